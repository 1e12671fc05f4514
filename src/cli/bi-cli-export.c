/* bi-cli-export.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-cli-export"

#include "bi-cli-export.h"
#include "bi-cli-output.h"

#include "bi-export.h"
#include "bi-export-merge.h"
#include "bi-export-reader.h"

#include <stdio.h>

/* What the command line asked for. */
typedef struct
{
  char           *format_name;
  BiBookFormat  format;
  char           *output_path;  /* --output, or NULL for standard output */
  char          **inputs;       /* results files */
} ExportOptions;

static void
export_options_clear (ExportOptions *options)
{
  g_free (options->format_name);
  g_free (options->output_path);
  g_strfreev (options->inputs);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ExportOptions, export_options_clear)

static gboolean
validate_options (ExportOptions  *options,
                  GError        **error)
{
  g_autoptr(GError) format_error = NULL;

  if (options->format_name == NULL)
    {
      g_autofree char *names = g_strjoinv (", ", (char **) bi_book_format_names ());

      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   "--format is required; use one of %s", names);
      return FALSE;
    }
  if (!bi_book_format_parse (options->format_name, &options->format, &format_error))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "--format: %s",
                   format_error->message);
      return FALSE;
    }

  if (options->inputs == NULL || options->inputs[0] == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           "no results files given; pass what \"bookimg-cli scan --format "
                           "json\" wrote, e.g. bookimg-cli export --format bibtex shelf.json");
      return FALSE;
    }

  if (!bi_cli_output_validate (options->output_path, error))
    return FALSE;

  return TRUE;
}

static gboolean
parse_options (ExportOptions   *options,
               int             *argc,
               char          ***argv,
               GError         **error)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autofree char *names = g_strjoinv (", ", (char **) bi_book_format_names ());
  g_autofree char *format_help = g_strdup_printf ("Output format: %s", names);
  g_autofree char *description = NULL;
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &options->format_name, format_help, "FORMAT" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &options->output_path,
      "Write to FILE (replaced atomically) instead of standard output", "FILE" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &options->inputs, NULL, NULL },
    { NULL },
  };

  context = g_option_context_new ("RESULTS.json… — write scanned books for another program");
  description = g_strdup_printf (
    "RESULTS.json is what \"bookimg-cli scan --format json\" writes, or one final results "
    "document. A book found on several photos is written once. Books a format cannot hold "
    "(Libib needs an ISBN-13) are listed on standard error.\n\n"
    "Exit status: %d written, %d usage error or bad input, %d every book was skipped.",
    BI_CLI_EXPORT_EXIT_OK, BI_CLI_EXPORT_EXIT_ERROR, BI_CLI_EXPORT_EXIT_ALL_SKIPPED);
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, NULL);

  if (!g_option_context_parse (context, argc, argv, error))
    return FALSE;
  return validate_options (options, error);
}

static void
report_skipped (GPtrArray *skipped)
{
  for (guint i = 0; i < skipped->len; i++)
    {
      BiExportSkip *skip = g_ptr_array_index (skipped, i);
      gint64 position = bi_export_book_get_position (skip->book);
      g_autofree char *where = position >= 0
        ? g_strdup_printf ("%s, position %" G_GINT64_FORMAT,
                           bi_export_book_get_photo (skip->book), position)
        : g_strdup (bi_export_book_get_photo (skip->book));

      fprintf (stderr, "bookimg-cli: skipped \"%s\" (%s): %s.\n", skip->book->title, where,
               skip->reason);
    }
}

int
bi_cli_export (int    argc,
               char **argv)
{
  g_auto(ExportOptions) options = { NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) books =
    g_ptr_array_new_with_free_func ((GDestroyNotify) bi_export_book_unref);
  g_autoptr(GPtrArray) merged = NULL;
  g_autoptr(GPtrArray) skipped =
    g_ptr_array_new_with_free_func ((GDestroyNotify) bi_export_skip_free);
  g_autoptr(GString) text = g_string_new (NULL);
  guint n_failed = 0;
  guint written;

  if (!parse_options (&options, &argc, &argv, &error))
    {
      fprintf (stderr, "bookimg-cli export: %s; run \"bookimg-cli export --help\" for usage.\n",
               error->message);
      return BI_CLI_EXPORT_EXIT_ERROR;
    }

  for (guint i = 0; options.inputs[i] != NULL; i++)
    {
      if (!bi_export_read_results_file (options.inputs[i], books, &n_failed, &error))
        {
          fprintf (stderr, "bookimg-cli export: %s\n", error->message);
          return BI_CLI_EXPORT_EXIT_ERROR;
        }
    }
  if (n_failed > 0)
    fprintf (stderr, "bookimg-cli export: %u photo(s) failed to scan and have no books; scan "
             "them again to include their books.\n", n_failed);

  merged = bi_export_merge (books);
  written = bi_export_write (options.format, merged, text, skipped);
  report_skipped (skipped);

  if (!bi_cli_output_write (options.output_path, text->str, (gssize) text->len, &error))
    {
      fprintf (stderr, "bookimg-cli export: could not write %s: %s; check the folder's "
               "permissions and free space\n",
               options.output_path != NULL ? options.output_path : "standard output",
               error != NULL ? error->message : "write error");
      return BI_CLI_EXPORT_EXIT_ERROR;
    }

  if (options.output_path != NULL)
    fprintf (stderr, "bookimg-cli export: wrote %u book(s) as %s to %s\n", written,
             bi_book_format_to_string (options.format), options.output_path);

  return merged->len > 0 && written == 0 ? BI_CLI_EXPORT_EXIT_ALL_SKIPPED : BI_CLI_EXPORT_EXIT_OK;
}
