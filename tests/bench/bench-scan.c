/* bench-scan.c — end-to-end seconds per photo through the real pipeline
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Starts bookimg-server on a temporary data dir with the shared catalog, then scans each photo
 * alone (seconds per photo: upload to final results) and all of them at once (total seconds for
 * the batch, where the stages overlap). With `bookimg-cli` in the build dir it runs
 * `bookimg-cli scan --server URL PHOTO…`; without it, the HTTP routes directly:
 * GET /upload-url, PUT the photo, poll GET /results/<jobId> with a bounded wait.
 * Photos: the arguments, else every JPEG in $BOOKIMG_SHARED_DATA/photos (default
 * SOURCE_ROOT/../shared/data with --source-root). Figures only: it never fails on time.
 */
#define G_LOG_DOMAIN "bi-bench-scan"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include <errno.h>
#include <signal.h>
#include <string.h>

#include "bi-job-id.h"

/* Between two GET /results polls: well under a photo's seconds, cheap for the server. */
#define POLL_INTERVAL_US (250 * 1000)
/* A 404 right after the upload only means the job is not registered yet; after this it is real. */
#define UNKNOWN_JOB_GRACE_SECONDS 15.0
#define SERVER_START_SECONDS 180
#define SERVER_STOP_SECONDS 10

typedef struct
{
  char    *path;
  char    *name;          /* base name, also the object key's file name */
  guint    truth_books;   /* books on the photo per ground-truth.tsv, 0 if not listed */
  char    *job_id;        /* HTTP mode: the job of the run in progress */
  gint64   started_at;    /* g_get_monotonic_time () of the upload */
  gboolean done;
  double   seconds;
  char    *status;        /* "complete", "failed", an HTTP error… */
  gint64   validated;     /* validatedBooks of the final results, -1 if unknown */
  gint64   candidates;    /* totalCandidates, -1 if unknown */
  char    *timings;       /* the results' "timings" object, compact JSON */
} Photo;

typedef struct
{
  GSubprocess *process;
  char        *temp_dir;
  char        *url;       /* "http://127.0.0.1:PORT" */
  double       start_seconds;
} Server;

typedef struct
{
  char        *line;
  GError      *error;
  gboolean     finished;
} LineRead;

/* ------------------------------------------------------------------------------------------ */

static void
photo_clear_run (Photo *photo)
{
  g_clear_pointer (&photo->job_id, g_free);
  g_clear_pointer (&photo->status, g_free);
  g_clear_pointer (&photo->timings, g_free);
  photo->done = FALSE;
  photo->seconds = 0.0;
  photo->validated = -1;
  photo->candidates = -1;
}

static void
photo_free (gpointer data)
{
  Photo *photo = data;

  photo_clear_run (photo);
  g_free (photo->path);
  g_free (photo->name);
  g_free (photo);
}

static const char *
content_type_for (const char *name)
{
  g_autofree char *lower = g_ascii_strdown (name, -1);

  if (g_str_has_suffix (lower, ".png"))
    return "image/png";
  if (g_str_has_suffix (lower, ".webp"))
    return "image/webp";
  if (g_str_has_suffix (lower, ".tif") || g_str_has_suffix (lower, ".tiff"))
    return "image/tiff";
  return "image/jpeg";
}

static gboolean
remove_tree (const char  *path,
             GError     **error)
{
  g_autoptr(GFile) root = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) children = NULL;

  children = g_file_enumerate_children (root, G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                        G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  /* Bounded by the directory's entries; a file that is not a directory just has no children. */
  while (children != NULL)
    {
      GFileInfo *info = NULL;
      GFile *child = NULL;

      if (!g_file_enumerator_iterate (children, &info, &child, NULL, error))
        return FALSE;
      if (info == NULL)
        break;
      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        {
          g_autofree char *child_path = g_file_get_path (child);

          if (!remove_tree (child_path, error))
            return FALSE;
        }
      else if (!g_file_delete (child, NULL, error))
        return FALSE;
    }
  return g_file_delete (root, NULL, error);
}

/* ------------------------------------------------------------------------------------------ */
/* The server                                                                                   */

static void
read_line_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  LineRead *read = user_data;

  read->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result,
                                                          NULL, &read->error);
  read->finished = TRUE;
}

static void
print_log_tail (const char *temp_dir)
{
  g_autofree char *log_path = g_build_filename (temp_dir, "server.log", NULL);
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (g_file_get_contents (log_path, &contents, &length, NULL) && length > 0)
    g_printerr ("--- last lines of the server's stderr ---\n%s\n---\n",
                contents + (length > 3000 ? length - 3000 : 0));
}

static gboolean
server_start (Server      *server,
              const char  *server_path,
              const char  *catalog,
              GError     **error)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GDataInputStream) output = NULL;
  g_autofree char *data_dir = NULL;
  g_autofree char *log_path = NULL;
  LineRead read = { NULL, NULL, FALSE };
  gint64 start = g_get_monotonic_time ();
  gint64 deadline = start + SERVER_START_SECONDS * G_USEC_PER_SEC;
  const char *address;

  server->temp_dir = g_dir_make_tmp ("bookimg-bench-scan-XXXXXX", error);
  if (server->temp_dir == NULL)
    return FALSE;
  data_dir = g_build_filename (server->temp_dir, "data", NULL);
  log_path = g_build_filename (server->temp_dir, "server.log", NULL);
  if (g_mkdir (data_dir, 0700) != 0)
    {
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errno), "cannot make %s: %s",
                   data_dir, g_strerror (errno));
      return FALSE;
    }

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDIN_INHERIT);
  /* Tesseract reads it when the process starts: setting it inside the server would be too late,
   * and OpenMP on 2 cores makes OCR about 2.5 times slower (see the architecture's facts). */
  g_subprocess_launcher_setenv (launcher, "OMP_THREAD_LIMIT", "1", TRUE);
  g_subprocess_launcher_set_stderr_file_path (launcher, log_path);
  server->process = g_subprocess_launcher_spawn (launcher, error, server_path,
                                                 "--listen", "127.0.0.1:0",
                                                 "--data-dir", data_dir,
                                                 "--catalog", catalog, NULL);
  if (server->process == NULL)
    return FALSE;

  output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  g_data_input_stream_read_line_async (output, G_PRIORITY_DEFAULT, NULL, read_line_cb, &read);
  /* Bounded: the server has SERVER_START_SECONDS to load the catalog and print its address. */
  while (!read.finished && g_get_monotonic_time () < deadline)
    {
      /* Nothing ready: a short nap instead of a busy loop, still bounded by the deadline. */
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (10000);
    }
  if (!read.finished)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                   "the server printed no address within %d s", SERVER_START_SECONDS);
      /* The pending read holds &read: stop the server so it finishes before we return. */
      g_subprocess_force_exit (server->process);
      while (!read.finished)
        g_main_context_iteration (NULL, TRUE);
      g_free (read.line);
      g_clear_error (&read.error);
      return FALSE;
    }
  if (read.line == NULL)
    {
      if (read.error != NULL)
        g_propagate_error (error, read.error);
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                     "the server exited before printing its address");
      return FALSE;
    }
  if (!g_str_has_prefix (read.line, "listening on http://"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "unexpected first line: %s", read.line);
      g_free (read.line);
      return FALSE;
    }
  address = read.line + strlen ("listening on ");
  server->url = g_strdup (address);
  g_free (read.line);
  server->start_seconds = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
  /* Later stdout lines are not read: the server logs to stderr, and a few lines fit the pipe. */
  return TRUE;
}

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  gboolean *finished = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_subprocess_wait_finish (G_SUBPROCESS (source), result, &error))
    g_printerr ("waiting for a child: %s\n", error->message);
  *finished = TRUE;
}

/* Waits for a child until the deadline; returns FALSE when it is still running. */
static gboolean
wait_child (GSubprocess *process,
            gint64       deadline)
{
  gboolean finished = FALSE;

  g_subprocess_wait_async (process, NULL, wait_cb, &finished);
  while (!finished && g_get_monotonic_time () < deadline)
    {
      /* Nothing ready: a short nap instead of a busy loop, still bounded by the deadline. */
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (10000);
    }
  if (finished)
    return TRUE;
  g_subprocess_force_exit (process);
  /* SIGKILL ends it: the pending wait (which holds &finished) completes promptly. */
  while (!finished)
    g_main_context_iteration (NULL, TRUE);
  return FALSE;
}

static void
server_stop (Server *server)
{
  g_autoptr(GError) error = NULL;

  if (server->process != NULL)
    {
      g_subprocess_send_signal (server->process, SIGTERM);
      if (!wait_child (server->process, g_get_monotonic_time ()
                                          + SERVER_STOP_SECONDS * G_USEC_PER_SEC))
        g_printerr ("the server did not stop on SIGTERM within %d s; killed it\n",
                    SERVER_STOP_SECONDS);
      g_clear_object (&server->process);
    }
  if (server->temp_dir != NULL && !remove_tree (server->temp_dir, &error))
    g_printerr ("cannot remove %s: %s\n", server->temp_dir, error->message);
  g_clear_pointer (&server->temp_dir, g_free);
  g_clear_pointer (&server->url, g_free);
}

/* ------------------------------------------------------------------------------------------ */
/* HTTP mode                                                                                    */

static char *
bytes_to_string (GBytes *bytes)
{
  gsize length = 0;
  const char *data = bytes != NULL ? g_bytes_get_data (bytes, &length) : NULL;

  return data != NULL ? g_strndup (data, length) : g_strdup ("");
}

/* Starts one job: upload URL, then PUT. */
static gboolean
photo_upload (SoupSession  *session,
              const char   *base_url,
              Photo        *photo,
              GError      **error)
{
  const char *content_type = content_type_for (photo->name);
  g_autofree char *key = NULL;
  g_autofree char *escaped_key = NULL;
  g_autofree char *escaped_type = NULL;
  g_autofree char *request_url = NULL;
  g_autofree char *signed_url = NULL;
  g_autofree char *put_url = NULL;
  g_autoptr(SoupMessage) get = NULL;
  g_autoptr(SoupMessage) put = NULL;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GMappedFile) file = NULL;

  photo_clear_run (photo);
  photo->started_at = g_get_monotonic_time ();
  photo->job_id = bi_job_id_new ();
  key = g_strdup_printf ("%s/%s", photo->job_id, photo->name);
  escaped_key = g_uri_escape_string (key, NULL, FALSE);
  escaped_type = g_uri_escape_string (content_type, NULL, FALSE);
  request_url = g_strdup_printf ("%s/upload-url?filename=%s&contentType=%s", base_url,
                                 escaped_key, escaped_type);
  file = g_mapped_file_new (photo->path, FALSE, error);
  if (file == NULL)
    return FALSE;
  body = g_mapped_file_get_bytes (file);

  get = soup_message_new ("GET", request_url);
  answer = soup_session_send_and_read (session, get, NULL, error);
  if (answer == NULL)
    return FALSE;
  signed_url = g_strstrip (bytes_to_string (answer));
  if (soup_message_get_status (get) != SOUP_STATUS_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "GET /upload-url: HTTP %u: %.200s",
                   soup_message_get_status (get), signed_url);
      return FALSE;
    }
  /* The signed URL may be absolute (as from S3) or a path on this server. */
  put_url = signed_url[0] == '/' ? g_strconcat (base_url, signed_url, NULL)
                                 : g_strdup (signed_url);
  put = soup_message_new ("PUT", put_url);
  if (put == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "the upload URL does not parse");
      return FALSE;
    }
  soup_message_set_request_body_from_bytes (put, content_type, body);
  g_clear_pointer (&answer, g_bytes_unref);
  answer = soup_session_send_and_read (session, put, NULL, error);
  if (answer == NULL)
    return FALSE;
  if (!SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (put)))
    {
      g_autofree char *text = bytes_to_string (answer);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "PUT: HTTP %u: %.200s",
                   soup_message_get_status (put), text);
      return FALSE;
    }
  return TRUE;
}

static void
photo_finish (Photo      *photo,
              const char *status)
{
  photo->done = TRUE;
  photo->seconds = (double) (g_get_monotonic_time () - photo->started_at) / G_USEC_PER_SEC;
  g_free (photo->status);
  photo->status = g_strdup (status);
}

static void
photo_read_results (Photo  *photo,
                    GBytes *answer)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  const char *data = g_bytes_get_data (answer, &length);
  JsonObject *results;
  JsonNode *timings;

  if (data == NULL || !json_parser_load_from_data (parser, data, (gssize) length, &error)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      photo_finish (photo, "results are not a JSON object");
      return;
    }
  results = json_node_get_object (json_parser_get_root (parser));
  photo_finish (photo, json_object_get_string_member_with_default (results, "status", "?"));
  photo->validated = json_object_get_int_member_with_default (results, "validatedBooks", -1);
  photo->candidates = json_object_get_int_member_with_default (results, "totalCandidates", -1);
  timings = json_object_get_member (results, "timings");
  if (timings != NULL)
    photo->timings = json_to_string (timings, FALSE);
}

/* One GET /results/<jobId>; marks the photo done on an answer other than "pending". */
static void
photo_poll (SoupSession *session,
            const char  *base_url,
            Photo       *photo)
{
  g_autofree char *url = g_strdup_printf ("%s/results/%s", base_url, photo->job_id);
  g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;
  guint status;
  double waited = (double) (g_get_monotonic_time () - photo->started_at) / G_USEC_PER_SEC;

  answer = soup_session_send_and_read (session, message, NULL, &error);
  if (answer == NULL)
    {
      g_autofree char *why = g_strdup_printf ("GET /results failed: %s", error->message);

      photo_finish (photo, why);
      return;
    }
  status = soup_message_get_status (message);
  if (status == SOUP_STATUS_OK)
    photo_read_results (photo, answer);
  else if (status == SOUP_STATUS_ACCEPTED
           || (status == SOUP_STATUS_NOT_FOUND && waited < UNKNOWN_JOB_GRACE_SECONDS))
    return;
  else
    {
      g_autofree char *text = bytes_to_string (answer);
      g_autofree char *why = g_strdup_printf ("HTTP %u: %.120s", status, text);

      photo_finish (photo, why);
    }
}

/* Uploads every photo of the array, then polls them all until each ends or times out. */
static void
scan_http (SoupSession *session,
           const char  *base_url,
           Photo      **photos,
           guint        n_photos,
           double       timeout_seconds)
{
  guint pending = 0;

  for (guint i = 0; i < n_photos; i++)
    {
      g_autoptr(GError) error = NULL;

      if (photo_upload (session, base_url, photos[i], &error))
        pending++;
      else
        photo_finish (photos[i], error->message);
    }
  /* Bounded by the timeout: every round sleeps POLL_INTERVAL_US. */
  while (pending > 0)
    {
      g_usleep (POLL_INTERVAL_US);
      pending = 0;
      for (guint i = 0; i < n_photos; i++)
        {
          Photo *photo = photos[i];

          if (photo->done)
            continue;
          if ((double) (g_get_monotonic_time () - photo->started_at) / G_USEC_PER_SEC
              > timeout_seconds)
            {
              photo_finish (photo, "timed out");
              continue;
            }
          photo_poll (session, base_url, photo);
          if (!photo->done)
            pending++;
        }
    }
}

/* ------------------------------------------------------------------------------------------ */
/* CLI mode                                                                                     */

static void
communicate_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  gboolean *finished = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, NULL, NULL, &error))
    g_printerr ("bookimg-cli: %s\n", error->message);
  *finished = TRUE;
}

/* Runs `bookimg-cli scan --server URL PHOTO…`; its output is discarded, its exit status kept. */
static void
scan_cli (const char  *cli_path,
          const char  *base_url,
          Photo      **photos,
          guint        n_photos,
          double       timeout_seconds)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  gboolean finished = FALSE;
  gint64 start = g_get_monotonic_time ();
  gint64 deadline = start + (gint64) (timeout_seconds * G_USEC_PER_SEC);
  g_autofree char *status = NULL;

  g_ptr_array_add (argv, (char *) cli_path);
  g_ptr_array_add (argv, "scan");
  g_ptr_array_add (argv, "--server");
  g_ptr_array_add (argv, (char *) base_url);
  for (guint i = 0; i < n_photos; i++)
    {
      photo_clear_run (photos[i]);
      photos[i]->started_at = start;
      g_ptr_array_add (argv, photos[i]->path);
    }
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  if (process == NULL)
    status = g_strdup_printf ("cannot run bookimg-cli: %s", error->message);
  else
    {
      g_subprocess_communicate_utf8_async (process, NULL, NULL, communicate_cb, &finished);
      /* Bounded by the deadline, then the child is killed. */
      while (!finished && g_get_monotonic_time () < deadline)
        {
          /* Nothing ready: a short nap instead of a busy loop, still bounded by the deadline. */
          if (!g_main_context_iteration (NULL, FALSE))
            g_usleep (10000);
        }
      if (!finished)
        {
          g_subprocess_force_exit (process);
          while (!finished)
            g_main_context_iteration (NULL, TRUE);
          status = g_strdup ("timed out");
        }
      else if (g_subprocess_get_if_exited (process))
        status = g_subprocess_get_exit_status (process) == 0
                   ? g_strdup ("complete")
                   : g_strdup_printf ("exit status %d", g_subprocess_get_exit_status (process));
      else
        status = g_strdup ("killed by a signal");
    }
  for (guint i = 0; i < n_photos; i++)
    photo_finish (photos[i], status);
}

/* ------------------------------------------------------------------------------------------ */

/* g_ptr_array_sort() hands the comparison pointers to the elements, not the elements. */
static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static GPtrArray *
find_photos (const char  *photos_dir,
             GError     **error)
{
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDir) dir = g_dir_open (photos_dir, 0, error);
  const char *name;

  if (dir == NULL)
    return NULL;
  /* Bounded by the directory's entries. */
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *lower = g_ascii_strdown (name, -1);

      if (g_str_has_suffix (lower, ".jpg") || g_str_has_suffix (lower, ".jpeg"))
        g_ptr_array_add (paths, g_build_filename (photos_dir, name, NULL));
    }
  g_ptr_array_sort (paths, compare_paths);
  return g_steal_pointer (&paths);
}

static void
count_ground_truth (GPtrArray  *photos,
                    const char *photos_dir)
{
  g_autofree char *path = g_build_filename (photos_dir, "ground-truth.tsv", NULL);
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return;
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      const char *tab = strchr (lines[i], '\t');

      if (tab == NULL)
        continue;
      for (guint p = 0; p < photos->len; p++)
        {
          Photo *photo = g_ptr_array_index (photos, p);

          if (strlen (photo->name) == (gsize) (tab - lines[i])
              && strncmp (photo->name, lines[i], (gsize) (tab - lines[i])) == 0)
            photo->truth_books++;
        }
    }
}

static void
print_photo_row (const Photo *photo)
{
  char validated[24] = "-";
  char candidates[24] = "-";
  char truth[24] = "-";

  if (photo->validated >= 0)
    g_snprintf (validated, sizeof validated, "%" G_GINT64_FORMAT, photo->validated);
  if (photo->candidates >= 0)
    g_snprintf (candidates, sizeof candidates, "%" G_GINT64_FORMAT, photo->candidates);
  if (photo->truth_books > 0)
    g_snprintf (truth, sizeof truth, "%u", photo->truth_books);
  g_print ("| %s | %.2f | %s | %s | %s | %s | %s |\n", photo->name, photo->seconds,
           photo->status != NULL ? photo->status : "?", validated, candidates, truth,
           photo->timings != NULL ? photo->timings : "");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *server_path = NULL;
  g_autofree char *cli_path = NULL;
  g_autofree char *source_root = NULL;
  g_autofree char *catalog = NULL;
  g_autofree char *mode = NULL;
  g_autofree char *shared = NULL;
  g_autofree char *photos_dir = NULL;
  g_autofree char *catalog_name = NULL;
  double timeout_seconds = 600.0;
  GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_FILENAME, &server_path,
      "bookimg-server binary (default: $BOOKIMG_SERVER, else the one in this build dir)", "PATH" },
    { "cli", 0, 0, G_OPTION_ARG_FILENAME, &cli_path,
      "bookimg-cli binary (default: $BOOKIMG_CLI, else the one in this build dir)", "PATH" },
    { "mode", 0, 0, G_OPTION_ARG_STRING, &mode,
      "auto (the CLI when built, else HTTP), cli or http", "MODE" },
    { "source-root", 0, 0, G_OPTION_ARG_FILENAME, &source_root,
      "Source tree: shared data defaults to SOURCE_ROOT/../shared/data", "DIR" },
    { "catalog", 0, 0, G_OPTION_ARG_FILENAME, &catalog,
      "Catalog for the server (default: the shared goodbooks-10k.tsv)", "FILE" },
    { "timeout-seconds", 0, 0, G_OPTION_ARG_DOUBLE, &timeout_seconds,
      "Longest wait for one scan (default 600)", "S" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("[PHOTO...] - seconds per photo");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) photo_paths = NULL;
  g_autoptr(GPtrArray) photos = g_ptr_array_new_with_free_func (photo_free);
  g_autoptr(SoupSession) session = NULL;
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *self_dir = self != NULL ? g_path_get_dirname (self) : g_strdup (".");
  Server server = { NULL, NULL, NULL, 0.0 };
  gboolean use_cli;
  double sum = 0.0;
  double batch_seconds = 0.0;
  gint64 batch_start;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  if (timeout_seconds <= 0)
    {
      g_printerr ("--timeout-seconds must be positive\n");
      return 1;
    }

  /* An empty variable counts as unset, as in the shell. */
  if (g_getenv ("BOOKIMG_SHARED_DATA") != NULL && *g_getenv ("BOOKIMG_SHARED_DATA") != '\0')
    shared = g_strdup (g_getenv ("BOOKIMG_SHARED_DATA"));
  else if (source_root != NULL)
    shared = g_build_filename (source_root, "..", "shared", "data", NULL);
  if (catalog == NULL && shared != NULL)
    catalog = g_build_filename (shared, "catalog", "goodbooks-10k.tsv", NULL);
  if (catalog == NULL || !g_file_test (catalog, G_FILE_TEST_IS_REGULAR))
    {
      g_printerr ("no catalog: set BOOKIMG_SHARED_DATA, pass --source-root or --catalog\n");
      return 1;
    }

  if (argc > 1)
    {
      photo_paths = g_ptr_array_new_with_free_func (g_free);
      for (int i = 1; i < argc; i++)
        g_ptr_array_add (photo_paths, g_strdup (argv[i]));
    }
  else if (shared != NULL)
    {
      photos_dir = g_build_filename (shared, "photos", NULL);
      photo_paths = find_photos (photos_dir, &error);
      if (photo_paths == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
    }
  if (photo_paths == NULL || photo_paths->len == 0)
    {
      g_printerr ("no photos: pass PHOTO... or set BOOKIMG_SHARED_DATA\n");
      return 1;
    }
  for (guint i = 0; i < photo_paths->len; i++)
    {
      Photo *photo = g_new0 (Photo, 1);

      photo->path = g_strdup (g_ptr_array_index (photo_paths, i));
      photo->name = g_path_get_basename (photo->path);
      photo->validated = photo->candidates = -1;
      g_ptr_array_add (photos, photo);
    }
  /* Photos given by name are matched to the ground truth by their base name too. */
  if (photos_dir == NULL && shared != NULL)
    photos_dir = g_build_filename (shared, "photos", NULL);
  if (photos_dir != NULL)
    count_ground_truth (photos, photos_dir);

  if (server_path == NULL && g_getenv ("BOOKIMG_SERVER") != NULL)
    server_path = g_strdup (g_getenv ("BOOKIMG_SERVER"));
  if (server_path == NULL)
    server_path = g_build_filename (self_dir, "..", "backend", "local", "bookimg-server", NULL);
  if (cli_path == NULL && g_getenv ("BOOKIMG_CLI") != NULL)
    cli_path = g_strdup (g_getenv ("BOOKIMG_CLI"));
  if (cli_path == NULL)
    cli_path = g_build_filename (self_dir, "..", "src", "cli", "bookimg-cli", NULL);
  if (!g_file_test (server_path, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_printerr ("%s is not an executable: build bookimg-server first, or pass --server PATH\n",
                  server_path);
      return 1;
    }
  if (mode == NULL || g_str_equal (mode, "auto"))
    use_cli = g_file_test (cli_path, G_FILE_TEST_IS_EXECUTABLE);
  else if (g_str_equal (mode, "cli") || g_str_equal (mode, "http"))
    use_cli = g_str_equal (mode, "cli");
  else
    {
      g_printerr ("--mode must be auto, cli or http\n");
      return 1;
    }
  if (use_cli && !g_file_test (cli_path, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_printerr ("%s is not an executable: build bookimg-cli or use --mode http\n", cli_path);
      return 1;
    }

  g_printerr ("starting bookimg-server with the catalog %s\n", catalog);
  if (!server_start (&server, server_path, catalog, &error))
    {
      g_printerr ("cannot start bookimg-server: %s\n", error->message);
      if (server.temp_dir != NULL)
        print_log_tail (server.temp_dir);
      server_stop (&server);
      return 1;
    }
  catalog_name = g_path_get_basename (catalog);
  session = soup_session_new_with_options ("timeout", 120, "idle-timeout", 120, NULL);

  g_print ("## End-to-end scan (%s, %u photos, catalog %s)\n\n"
           "server start (catalog load included): %.2f s\n\n"
           "| photo | seconds | status | validated | candidates | books on photo | timings |\n"
           "|---|---:|---|---:|---:|---:|---|\n",
           use_cli ? "bookimg-cli scan --server" : "HTTP routes", photos->len,
           catalog_name, server.start_seconds);
  /* One photo at a time: seconds per photo with the whole machine for that photo. */
  for (guint i = 0; i < photos->len; i++)
    {
      Photo *photo = g_ptr_array_index (photos, i);

      g_printerr ("scanning %s\n", photo->name);
      if (use_cli)
        scan_cli (cli_path, server.url, &photo, 1, timeout_seconds);
      else
        scan_http (session, server.url, &photo, 1, timeout_seconds);
      sum += photo->seconds;
      print_photo_row (photo);
    }
  g_print ("\nsequential: %.2f s total, %.2f s per photo\n", sum, sum / photos->len);

  /* All at once: the stages of different photos overlap on the worker threads. */
  g_printerr ("scanning all %u photos at once\n", photos->len);
  batch_start = g_get_monotonic_time ();
  if (use_cli)
    scan_cli (cli_path, server.url, (Photo **) photos->pdata, photos->len, timeout_seconds);
  else
    scan_http (session, server.url, (Photo **) photos->pdata, photos->len, timeout_seconds);
  batch_seconds = (double) (g_get_monotonic_time () - batch_start) / G_USEC_PER_SEC;
  g_print ("batch of %u at once: %.2f s total, %.2f s per photo\n\n", photos->len,
           batch_seconds, batch_seconds / photos->len);
  if (!use_cli)
    {
      g_print ("| photo (batch) | seconds | status | validated | candidates | books on photo "
               "| timings |\n|---|---:|---|---:|---:|---:|---|\n");
      for (guint i = 0; i < photos->len; i++)
        print_photo_row (g_ptr_array_index (photos, i));
    }

  server_stop (&server);
  return 0;
}
