/* bi-cli-scan.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-cli-scan"

#include "bi-cli-scan.h"
#include "bi-cli-output.h"

#include "bi-client-error.h"
#include "bi-embedded-server.h"
#include "bi-progress-view.h"
#include "bi-results-export.h"
#include "bi-scan-session.h"
#include "bi-server-connection.h"

#include <glib-unix.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>

/* What the command line asked for. */
typedef struct
{
  char           *server_url;   /* --server, or NULL for the embedded server */
  gboolean        embedded;
  char           *catalog_path; /* --catalog (embedded only) */
  char           *format_name;
  BiExportFormat  format;
  char           *output_path;  /* --output, or NULL for standard output */
  int             jobs;
  char           *token;        /* --token or $BOOKIMG_TOKEN (--server only) */
  char          **photos;
} ScanOptions;

/* One run of the command: everything the callbacks share. */
typedef struct
{
  ScanOptions         options;
  GMainLoop          *loop;
  GCancellable       *cancellable;  /* Ctrl-C */
  BiEmbeddedServer   *server;       /* --embedded */
  BiServerConnection *connection;
  BiScanSession      *session;
  BiProgressView     *progress;
  gboolean            finishing;    /* stopping the server / quitting */
  int                 exit_status;
} ScanCommand;

static void
scan_options_clear (ScanOptions *options)
{
  g_free (options->server_url);
  g_free (options->catalog_path);
  g_free (options->format_name);
  g_free (options->output_path);
  g_free (options->token);
  g_strfreev (options->photos);
}

G_GNUC_PRINTF (1, 2)
static void
print_error (const char *format,
             ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  fprintf (stderr, "bookimg-cli: %s\n", message);
}

/* ---- options ---- */

static gboolean
validate_options (ScanOptions  *options,
                  GError      **error)
{
  if (options->photos == NULL || options->photos[0] == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           "no photos given; pass one or more photo files, e.g. "
                           "bookimg-cli scan shelf.jpg");
      return FALSE;
    }

  if (options->server_url != NULL && options->embedded)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           "use either --server URL or --embedded, not both");
      return FALSE;
    }
  options->embedded = options->server_url == NULL;

  if (options->catalog_path != NULL)
    {
      if (!options->embedded)
        {
          g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                               "--catalog is for --embedded only; a remote server uses its "
                               "own catalog");
          return FALSE;
        }
      if (!g_file_test (options->catalog_path, G_FILE_TEST_IS_REGULAR)
          || g_access (options->catalog_path, R_OK) != 0)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "--catalog: %s is not a readable file; give a TSV or CSV catalog",
                       options->catalog_path);
          return FALSE;
        }
    }

  if (!bi_export_format_parse (options->format_name != NULL ? options->format_name : "table",
                               &options->format))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--format: \"%s\" is not a format; use table, json or csv",
                   options->format_name);
      return FALSE;
    }

  if (options->jobs < 1 || options->jobs > BI_SCAN_SESSION_MAX_PARALLEL_JOBS)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--jobs: %d is out of range; use 1 to %d", options->jobs,
                   BI_SCAN_SESSION_MAX_PARALLEL_JOBS);
      return FALSE;
    }

  if (!bi_cli_output_validate (options->output_path, error))
    return FALSE;

  if (options->token == NULL && !options->embedded && g_getenv ("BOOKIMG_TOKEN") != NULL)
    options->token = g_strdup (g_getenv ("BOOKIMG_TOKEN"));
  if (options->token != NULL && options->embedded)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           "--token is for --server only; the embedded server needs none");
      return FALSE;
    }

  return TRUE;
}

static gboolean
parse_options (ScanOptions   *options,
               int           *argc,
               char        ***argv,
               GError       **error)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autofree char *description = NULL;
  const GOptionEntry entries[] = {
    { "server", 's', 0, G_OPTION_ARG_STRING, &options->server_url,
      "Use the BookImg server at URL", "URL" },
    { "embedded", 'e', 0, G_OPTION_ARG_NONE, &options->embedded,
      "Start a private bookimg-server for this scan (the default)", NULL },
    { "catalog", 'c', 0, G_OPTION_ARG_FILENAME, &options->catalog_path,
      "Book catalog (TSV or CSV) for the embedded server", "FILE" },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &options->format_name,
      "Output format: table, json or csv (default: table)", "FORMAT" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &options->output_path,
      "Write the books to FILE (replaced atomically) instead of standard output", "FILE" },
    { "jobs", 'j', 0, G_OPTION_ARG_INT, &options->jobs,
      "Process N photos at a time, 1 to 64 (default: 4)", "N" },
    { "token", 't', 0, G_OPTION_ARG_STRING, &options->token,
      "Access token for --server (default: $BOOKIMG_TOKEN)", "TOKEN" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &options->photos, NULL, NULL },
    { NULL },
  };

  options->jobs = BI_SCAN_SESSION_DEFAULT_PARALLEL_JOBS;

  context = g_option_context_new ("PHOTO… — scan photos of book spines and print the books");
  description = g_strdup_printf (
    "Each photo is uploaded under its own job; progress goes to standard error and the books "
    "to standard output (or --output) when every job has ended.\n\n"
    "Exit status: %d every photo was scanned, %d some photos failed, %d usage or connection "
    "error, %d interrupted.\n\n"
    "Environment: BOOKIMG_SERVER (the bookimg-server program for --embedded), "
    "BOOKIMG_TOKEN (the access token for --server).",
    BI_CLI_EXIT_OK, BI_CLI_EXIT_JOBS_FAILED, BI_CLI_EXIT_ERROR, BI_CLI_EXIT_INTERRUPTED);
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, NULL);

  if (!g_option_context_parse (context, argc, argv, error))
    return FALSE;

  return validate_options (options, error);
}

/* ---- ending ---- */

static void
server_stopped_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ScanCommand *command = user_data;

  bi_embedded_server_stop_finish (BI_EMBEDDED_SERVER (source), result, NULL);
  g_main_loop_quit (command->loop);
}

/* Stops the embedded server, if any, then leaves the main loop with @exit_status. */
static void
finish (ScanCommand *command,
        int          exit_status)
{
  if (command->finishing)
    return;

  command->finishing = TRUE;
  command->exit_status = exit_status;
  /* First the WebSocket, so that stopping the server does not look like a drop. */
  if (command->session != NULL)
    bi_push_channel_close (bi_scan_session_get_channel (command->session));
  if (command->server != NULL)
    bi_embedded_server_stop_async (command->server, NULL, server_stopped_cb, command);
  else
    g_main_loop_quit (command->loop);
}

static gboolean
interrupted_cb (gpointer user_data)
{
  ScanCommand *command = user_data;

  if (!command->finishing)
    fprintf (stderr, "bookimg-cli: interrupted; stopping…\n");
  g_cancellable_cancel (command->cancellable);
  /* A running session ends through its cancelled run; otherwise end here. */
  if (command->session == NULL)
    finish (command, BI_CLI_EXIT_INTERRUPTED);
  return G_SOURCE_CONTINUE;
}

/* ---- results ---- */

static gboolean
write_results (ScanCommand  *command,
               GError      **error)
{
  GListModel *jobs = bi_scan_session_get_jobs (command->session);
  g_autofree char *text = bi_results_export (jobs, command->options.format);

  if (!bi_cli_output_write (command->options.output_path, text, -1, error))
    return FALSE;
  if (command->options.output_path == NULL)
    return TRUE;

  fprintf (stderr, "bookimg-cli: wrote the books to %s\n", command->options.output_path);
  return TRUE;
}

static void
count_jobs (GListModel *jobs,
            guint      *complete,
            guint      *failed)
{
  *complete = *failed = 0;
  for (guint i = 0; i < g_list_model_get_n_items (jobs); i++)
    {
      g_autoptr(BiScanJob) job = g_list_model_get_item (jobs, i);

      if (bi_scan_job_get_state (job) == BI_SCAN_JOB_STATE_COMPLETE)
        (*complete)++;
      else if (bi_scan_job_get_state (job) == BI_SCAN_JOB_STATE_FAILED)
        (*failed)++;
    }
}

/* What to do about a connection-level error, beyond its message. */
static const char *
advice_for_error (ScanCommand  *command,
                  const GError *error)
{
  if (g_error_matches (error, BI_CLIENT_ERROR, BI_CLIENT_ERROR_UNREACHABLE)
      && !command->options.embedded)
    return "Start bookimg-server at that address, or run bookimg-cli scan --embedded to start "
           "a private one for this scan.";
  if (g_error_matches (error, BI_CLIENT_ERROR, BI_CLIENT_ERROR_UNAUTHORIZED))
    return "Pass the server's access token with --token or BOOKIMG_TOKEN.";
  return NULL;
}

static void
scan_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  ScanCommand *command = user_data;
  GListModel *jobs = bi_scan_session_get_jobs (command->session);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) write_error = NULL;
  guint complete, failed;
  int status;

  bi_scan_session_run_finish (command->session, result, &error);
  if (command->progress != NULL)
    bi_progress_view_finish (command->progress);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      finish (command, BI_CLI_EXIT_INTERRUPTED);
      return;
    }

  count_jobs (jobs, &complete, &failed);
  if (error != NULL)
    {
      const char *advice = advice_for_error (command, error);

      print_error ("%s%s%s", error->message, advice != NULL ? " " : "",
                   advice != NULL ? advice : "");
      status = BI_CLI_EXIT_ERROR;
    }
  else
    status = failed > 0 ? BI_CLI_EXIT_JOBS_FAILED : BI_CLI_EXIT_OK;

  /* After a lost connection the photos that did finish are still worth having. */
  if ((error == NULL || complete > 0) && !write_results (command, &write_error))
    {
      print_error ("could not write %s: %s; check the folder's permissions and free space",
                   command->options.output_path, write_error->message);
      status = BI_CLI_EXIT_ERROR;
    }

  if (failed > 0 && error == NULL)
    print_error ("%u of %u photos could not be scanned (see above why).", failed,
                 g_list_model_get_n_items (jobs));

  finish (command, status);
}

/* ---- starting ---- */

static void
connection_lost_cb (BiPushChannel *channel,
                    gpointer       user_data)
{
  ScanCommand *command = user_data;

  bi_progress_view_note (command->progress,
                         "bookimg-cli: lost the connection to the server; reconnecting…");
}

static void
reconnected_cb (BiPushChannel *channel,
                gpointer       user_data)
{
  ScanCommand *command = user_data;

  bi_progress_view_note (command->progress, "bookimg-cli: reconnected to the server");
}

/* FALSE (with the error printed) when @server_url cannot be used. */
static gboolean
begin_scan (ScanCommand *command,
            const char  *server_url)
{
  g_autoptr(GError) error = NULL;

  command->connection = bi_server_connection_new (server_url, command->options.token, &error);
  if (command->connection == NULL)
    {
      print_error ("%s", error->message);
      return FALSE;
    }

  command->session = bi_scan_session_new (command->connection, (guint) command->options.jobs);
  for (guint i = 0; command->options.photos[i] != NULL; i++)
    bi_scan_session_add_photo (command->session, command->options.photos[i]);

  command->progress = bi_progress_view_new (bi_scan_session_get_jobs (command->session), stderr,
                                            bi_progress_view_stream_is_live (stderr));
  g_signal_connect (bi_scan_session_get_channel (command->session), "connection-lost",
                    G_CALLBACK (connection_lost_cb), command);
  g_signal_connect (bi_scan_session_get_channel (command->session), "reconnected",
                    G_CALLBACK (reconnected_cb), command);
  bi_scan_session_run_async (command->session, command->cancellable, scan_done_cb, command);
  return TRUE;
}

static void
server_started_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  ScanCommand *command = user_data;
  g_autoptr(GError) error = NULL;

  if (!bi_embedded_server_start_finish (BI_EMBEDDED_SERVER (source), result, &error))
    {
      if (!command->finishing)
        print_error ("could not start the embedded server: %s", error->message);
      finish (command, BI_CLI_EXIT_ERROR);
      return;
    }
  if (command->finishing)
    return;

  if (!begin_scan (command, bi_embedded_server_get_url (command->server)))
    finish (command, BI_CLI_EXIT_ERROR);
}

static gboolean
start (ScanCommand *command)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *program = NULL;

  /* Before the main loop runs: failing here must not quit a loop that has not started. */
  if (!command->options.embedded)
    return begin_scan (command, command->options.server_url);

  program = bi_embedded_server_find_program (&error);
  if (program == NULL)
    {
      print_error ("%s", error->message);
      return FALSE;
    }

  command->server = bi_embedded_server_new (program, command->options.catalog_path);
  bi_embedded_server_start_async (command->server, command->cancellable, server_started_cb,
                                  command);
  return TRUE;
}

int
bi_cli_scan (int    argc,
             char **argv)
{
  ScanCommand command = { 0 };
  g_autoptr(GError) error = NULL;
  guint sigint_source, sigterm_source;

  g_set_prgname ("bookimg-cli scan");
  if (!parse_options (&command.options, &argc, &argv, &error))
    {
      print_error ("%s", error->message);
      fprintf (stderr, "Run \"bookimg-cli scan --help\" to see the options.\n");
      scan_options_clear (&command.options);
      return BI_CLI_EXIT_ERROR;
    }

  command.loop = g_main_loop_new (NULL, FALSE);
  command.cancellable = g_cancellable_new ();
  sigint_source = g_unix_signal_add (SIGINT, interrupted_cb, &command);
  sigterm_source = g_unix_signal_add (SIGTERM, interrupted_cb, &command);

  if (start (&command))
    g_main_loop_run (command.loop);
  else
    command.exit_status = BI_CLI_EXIT_ERROR;

  g_source_remove (sigint_source);
  g_source_remove (sigterm_source);
  g_clear_pointer (&command.progress, bi_progress_view_free);
  g_clear_object (&command.session);
  g_clear_object (&command.connection);
  g_clear_object (&command.server);
  g_clear_object (&command.cancellable);
  g_main_loop_unref (command.loop);
  scan_options_clear (&command.options);

  return command.exit_status;
}
