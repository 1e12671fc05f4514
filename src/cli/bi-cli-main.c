/* bi-cli-main.c — `bookimg-cli COMMAND …`: the headless BookImg client
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-cli-main"

#include "config.h"

#include "bi-cli-catalog.h"
#include "bi-cli-export.h"
#include "bi-cli-scan.h"

#include <locale.h>
#include <stdio.h>
#include <string.h>

typedef struct
{
  const char *name;
  const char *summary;
  int       (*run) (int    argc,
                    char **argv);
} BiCliCommand;

static const BiCliCommand commands[] = {
  { "scan", "Scan photos of book spines and print the books found", bi_cli_scan },
  { "export", "Write scanned books for Goodreads, Libib, BibTeX, …", bi_cli_export },
  { "catalog", "Import catalog files (Goodreads, Libib, Open Library…), search, stats",
    bi_cli_catalog },
};

static char *
commands_summary (void)
{
  GString *summary = g_string_new ("Commands:\n");

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (summary, "  %-10s %s\n", commands[i].name, commands[i].summary);
  g_string_append (summary, "\nRun \"bookimg-cli COMMAND --help\" for a command's options.");

  return g_string_free (summary, FALSE);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  gboolean show_version = FALSE;
  const GOptionEntry entries[] = {
    { "version", 0, 0, G_OPTION_ARG_NONE, &show_version, "Print the version and exit", NULL },
    { NULL },
  };

  setlocale (LC_ALL, "");
  g_set_prgname ("bookimg-cli");

  /* The first argument that is not an option names the command; it parses the rest. */
  if (argc >= 2 && argv[1][0] != '-')
    {
      for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
        {
          if (strcmp (argv[1], commands[i].name) == 0)
            return commands[i].run (argc - 1, argv + 1);
        }

      fprintf (stderr, "bookimg-cli: unknown command \"%s\"; run \"bookimg-cli --help\" to see "
               "the commands.\n", argv[1]);
      return 1;
    }

  context = g_option_context_new ("COMMAND [OPTION…] — the headless BookImg client");
  summary = commands_summary ();
  g_option_context_set_summary (context, summary);
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      fprintf (stderr, "bookimg-cli: %s; run \"bookimg-cli --help\" for usage.\n",
               error->message);
      return 1;
    }

  if (show_version)
    {
      printf ("bookimg-cli %s\n", PACKAGE_VERSION);
      return 0;
    }

  fprintf (stderr, "bookimg-cli: no command given.\n\n%s\n", summary);
  return 1;
}
