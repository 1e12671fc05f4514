/* test-scan-session.c — a batch of photos: subscribe first, then upload, N at a time
 *
 * Against the in-process fake server, which records the order of requests and can hold jobs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-client-error.h"
#include "bi-fake-server.h"
#include "bi-scan-session.h"
#include "bi-test-files.h"
#include "bi-test-server.h"
#include "bi-test-store-utils.h"

#include <string.h>

typedef struct
{
  BiFakeServer       *server;
  BiServerConnection *connection;
  BiScanSession      *session;
  char               *dir;
  gboolean            done;
  GError             *error;
} Fixture;

/* A PNG signature and a little more: enough for the client, which sniffs the first bytes. */
static const guint8 png_bytes[] = {
  0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R', 1, 2, 3, 4,
};

static void
make_session (Fixture    *fixture,
              const char *token,
              guint       parallel_jobs)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&fixture->session);
  g_clear_object (&fixture->connection);
  fixture->connection = bi_server_connection_new (bi_fake_server_get_url (fixture->server), token,
                                                  &error);
  g_assert_no_error (error);
  fixture->session = bi_scan_session_new (fixture->connection, parallel_jobs);
  bi_push_channel_set_reconnect_delays (bi_scan_session_get_channel (fixture->session), 10, 50);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->server = bi_fake_server_new ();
  fixture->dir = bi_test_temp_dir_new ();
  make_session (fixture, NULL, 4);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->session);
  g_clear_object (&fixture->connection);
  g_clear_pointer (&fixture->server, bi_fake_server_free);
  g_clear_error (&fixture->error);
  bi_test_temp_dir_remove (fixture->dir);
  g_free (fixture->dir);
}

static BiScanJob *
add_png (Fixture    *fixture,
         const char *name)
{
  g_autofree char *path = bi_test_write_file (fixture->dir, name, png_bytes,
                                              (gssize) sizeof png_bytes);

  return bi_scan_session_add_photo (fixture->session, path);
}

static void
run_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  Fixture *fixture = user_data;

  bi_scan_session_run_finish (BI_SCAN_SESSION (source), result, &fixture->error);
  fixture->done = TRUE;
}

static gboolean
is_done (gpointer user_data)
{
  return ((Fixture *) user_data)->done;
}

static void
start_run (Fixture *fixture)
{
  fixture->done = FALSE;
  bi_scan_session_run_async (fixture->session, NULL, run_cb, fixture);
}

static void
wait_run (Fixture *fixture)
{
  bi_test_wait_until (is_done, fixture, BI_TEST_TIMEOUT_SECONDS, "the scan to finish");
}

static void
assert_complete (Fixture   *fixture,
                 BiScanJob *job)
{
  g_autoptr(GBytes) upload = NULL;
  g_autofree char *content_type = NULL;
  JsonObject *results;

  g_assert_cmpint (bi_scan_job_get_state (job), ==, BI_SCAN_JOB_STATE_COMPLETE);
  g_assert_null (bi_scan_job_get_error (job));
  results = json_node_get_object (bi_scan_job_get_results (job));
  g_assert_cmpstr (json_object_get_string_member (results, "jobId"), ==,
                   bi_scan_job_get_job_id (job));

  /* The photo went up whole, typed by its bytes, after the subscription was answered. */
  upload = bi_fake_server_get_upload (fixture->server, bi_scan_job_get_job_id (job),
                                      &content_type);
  g_assert_nonnull (upload);
  g_assert_cmpmem (g_bytes_get_data (upload, NULL), g_bytes_get_size (upload), png_bytes,
                   sizeof png_bytes);
  g_assert_cmpstr (content_type, ==, "image/png");
  g_assert_true (bi_fake_server_subscribed_before_upload_url (fixture->server,
                                                              bi_scan_job_get_job_id (job)));
  g_assert_cmpint (bi_scan_job_get_bytes_sent (job), ==, sizeof png_bytes);
  g_assert_cmpint (bi_scan_job_get_bytes_total (job), ==, sizeof png_bytes);
}

static void
test_scan_completes (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(BiScanJob) first = g_object_ref (add_png (fixture, "shelf one.png"));
  g_autoptr(BiScanJob) second = g_object_ref (add_png (fixture, "shelf+2.jpg"));

  start_run (fixture);
  wait_run (fixture);

  g_assert_no_error (fixture->error);
  assert_complete (fixture, first);
  assert_complete (fixture, second);
  /* The key's file name is the photo's, "+" and space intact through the query escaping. */
  g_assert_cmpstr (bi_fake_server_get_upload_name (fixture->server,
                                                   bi_scan_job_get_job_id (second)), ==,
                   "shelf+2.jpg");
  g_assert_cmpstr (bi_fake_server_get_upload_name (fixture->server,
                                                   bi_scan_job_get_job_id (first)), ==,
                   "shelf one.png");
}

static void
test_non_image_not_uploaded (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autofree char *text_path = bi_test_write_file (fixture->dir, "notes.txt", "not a photo\n",
                                                   -1);
  g_autofree char *missing_path = g_build_filename (fixture->dir, "missing.jpg", NULL);
  BiScanJob *text_job = bi_scan_session_add_photo (fixture->session, text_path);
  BiScanJob *missing_job = bi_scan_session_add_photo (fixture->session, missing_path);
  BiScanJob *photo_job = add_png (fixture, "shelf.png");

  start_run (fixture);
  wait_run (fixture);

  g_assert_no_error (fixture->error);
  g_assert_cmpint (bi_scan_job_get_state (text_job), ==, BI_SCAN_JOB_STATE_FAILED);
  g_assert_error (bi_scan_job_get_error (text_job), BI_CLIENT_ERROR,
                  BI_CLIENT_ERROR_NOT_AN_IMAGE);
  g_assert_nonnull (strstr (bi_scan_job_get_error (text_job)->message, "notes.txt"));
  g_assert_cmpstr (bi_scan_job_get_failure_code (text_job), ==, "not_an_image");
  g_assert_cmpint (bi_scan_job_get_state (missing_job), ==, BI_SCAN_JOB_STATE_FAILED);
  g_assert_error (bi_scan_job_get_error (missing_job), BI_CLIENT_ERROR, BI_CLIENT_ERROR_FILE);
  assert_complete (fixture, photo_job);

  /* Neither bad file was subscribed or uploaded. */
  g_assert_cmpuint (bi_fake_server_count_uploads (fixture->server), ==, 1);
  g_assert_cmpuint (bi_fake_server_count_subscribes (fixture->server,
                                                     bi_scan_job_get_job_id (text_job)), ==, 0);
}

typedef struct
{
  Fixture *fixture;
  guint    uploads;
} UploadsWait;

static gboolean
has_uploads (gpointer user_data)
{
  UploadsWait *wait = user_data;

  return bi_fake_server_count_uploads (wait->fixture->server) >= wait->uploads;
}

static gboolean
all_uploaded_jobs_settled (gpointer user_data)
{
  Fixture *fixture = user_data;
  GListModel *jobs = bi_scan_session_get_jobs (fixture->session);
  guint uploaded = 0;

  for (guint i = 0; i < g_list_model_get_n_items (jobs); i++)
    {
      g_autoptr(BiScanJob) job = g_list_model_get_item (jobs, i);

      if (bi_scan_job_get_state (job) == BI_SCAN_JOB_STATE_UPLOADED)
        uploaded++;
    }
  return uploaded == 2;
}

static gboolean
job_terminal (gpointer user_data)
{
  return bi_scan_job_is_terminal (user_data);
}

static BiScanJob *
first_uploaded_job (Fixture *fixture)
{
  GListModel *jobs = bi_scan_session_get_jobs (fixture->session);

  for (guint i = 0; i < g_list_model_get_n_items (jobs); i++)
    {
      g_autoptr(BiScanJob) job = g_list_model_get_item (jobs, i);

      if (bi_scan_job_get_state (job) == BI_SCAN_JOB_STATE_UPLOADED)
        return g_steal_pointer (&job);
    }
  return NULL;
}

static gboolean
some_job_uploaded (gpointer user_data)
{
  g_autoptr(BiScanJob) job = first_uploaded_job (user_data);

  return job != NULL;
}

static void
test_parallel_limit (Fixture       *fixture,
                     gconstpointer  data)
{
  GListModel *jobs;
  UploadsWait wait = { fixture, 0 };

  bi_fake_server_set_auto_complete (fixture->server, FALSE);
  make_session (fixture, NULL, 2);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *name = g_strdup_printf ("photo-%u.png", i);

      add_png (fixture, name);
    }
  jobs = bi_scan_session_get_jobs (fixture->session);
  start_run (fixture);

  /* Two jobs run to "uploaded" and wait for their results; the other three wait their turn,
   * not even subscribed. */
  bi_test_wait_until (all_uploaded_jobs_settled, fixture, BI_TEST_TIMEOUT_SECONDS,
                      "two jobs to be uploaded");
  g_assert_cmpuint (bi_fake_server_count_uploads (fixture->server), ==, 2);
  for (guint i = 2; i < 5; i++)
    {
      g_autoptr(BiScanJob) job = g_list_model_get_item (jobs, i);

      g_assert_cmpint (bi_scan_job_get_state (job), ==, BI_SCAN_JOB_STATE_QUEUED);
      g_assert_cmpuint (bi_fake_server_count_subscribes (fixture->server,
                                                         bi_scan_job_get_job_id (job)), ==, 0);
    }

  /* Each result frees a slot for the next photo. */
  for (guint round = 0; round < 5; round++)
    {
      g_autoptr(BiScanJob) job = NULL;

      bi_test_wait_until (some_job_uploaded, fixture, BI_TEST_TIMEOUT_SECONDS,
                          "a job waiting for its result");
      job = first_uploaded_job (fixture);
      bi_fake_server_complete_job (fixture->server, bi_scan_job_get_job_id (job), "Emma", TRUE);
      bi_test_wait_until (job_terminal, job, BI_TEST_TIMEOUT_SECONDS, "the job to complete");
      wait.uploads = MIN (round + 3, 5);
      bi_test_wait_until (has_uploads, &wait, BI_TEST_TIMEOUT_SECONDS, "the next upload");
      g_assert_cmpuint (bi_fake_server_count_uploads (fixture->server), ==, wait.uploads);
    }

  wait_run (fixture);
  g_assert_no_error (fixture->error);
  g_assert_cmpuint (bi_fake_server_count_uploads (fixture->server), ==, 5);
}

static void
test_upload_refused (Fixture       *fixture,
                     gconstpointer  data)
{
  BiScanJob *job = add_png (fixture, "huge.png");
  const GError *error;

  bi_fake_server_set_upload_status (fixture->server, 413,
                                    "The photo is larger than 25 MiB.");
  start_run (fixture);
  wait_run (fixture);

  g_assert_no_error (fixture->error);
  g_assert_cmpint (bi_scan_job_get_state (job), ==, BI_SCAN_JOB_STATE_FAILED);
  error = bi_scan_job_get_error (job);
  g_assert_error (error, BI_CLIENT_ERROR, BI_CLIENT_ERROR_TOO_LARGE);
  /* The user learns which photo, what the server said, and what to do. */
  g_assert_nonnull (strstr (error->message, "huge.png"));
  g_assert_nonnull (strstr (error->message, "413"));
  g_assert_nonnull (strstr (error->message, "The photo is larger than 25 MiB."));
  g_assert_nonnull (strstr (error->message, "Scale the photo down"));
  g_assert_cmpstr (bi_scan_job_get_failure_code (job), ==, "too_large");
}

static void
test_unreachable (Fixture       *fixture,
                  gconstpointer  data)
{
  add_png (fixture, "shelf.png");
  bi_fake_server_stop (fixture->server);

  start_run (fixture);
  wait_run (fixture);

  g_assert_error (fixture->error, BI_CLIENT_ERROR, BI_CLIENT_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (fixture->error->message, bi_fake_server_get_url (fixture->server)));
}

static void
test_access_token (Fixture       *fixture,
                   gconstpointer  data)
{
  make_session (fixture, "s3cret-token", 1);
  add_png (fixture, "shelf.png");

  start_run (fixture);
  wait_run (fixture);

  g_assert_no_error (fixture->error);
  g_assert_cmpstr (bi_fake_server_get_last_authorization (fixture->server), ==,
                   "Bearer s3cret-token");
  g_assert_cmpstr (bi_fake_server_get_last_websocket_token (fixture->server), ==,
                   "s3cret-token");
}

static gboolean
job_uploaded (gpointer user_data)
{
  return bi_scan_job_get_state (user_data) == BI_SCAN_JOB_STATE_UPLOADED;
}

static void
test_connection_lost_for_good (Fixture       *fixture,
                               gconstpointer  data)
{
  BiScanJob *job;
  BiScanJob *waiting;

  bi_fake_server_set_auto_complete (fixture->server, FALSE);
  make_session (fixture, NULL, 1);
  job = add_png (fixture, "shelf.png");
  waiting = add_png (fixture, "later.png");
  bi_push_channel_set_max_reconnect_attempts (bi_scan_session_get_channel (fixture->session), 2);

  start_run (fixture);
  bi_test_wait_until (job_uploaded, job, BI_TEST_TIMEOUT_SECONDS, "the upload");
  bi_fake_server_stop (fixture->server);
  wait_run (fixture);

  /* The run fails (the CLI exits 1), and no job is left hanging. */
  g_assert_error (fixture->error, BI_CLIENT_ERROR, BI_CLIENT_ERROR_CONNECTION_LOST);
  g_assert_cmpint (bi_scan_job_get_state (job), ==, BI_SCAN_JOB_STATE_FAILED);
  g_assert_cmpint (bi_scan_job_get_state (waiting), ==, BI_SCAN_JOB_STATE_FAILED);
  g_assert_error (bi_scan_job_get_error (waiting), BI_CLIENT_ERROR,
                  BI_CLIENT_ERROR_CONNECTION_LOST);
}

static void
test_cancel (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  BiScanJob *job = add_png (fixture, "shelf.png");

  bi_fake_server_set_auto_complete (fixture->server, FALSE);
  fixture->done = FALSE;
  bi_scan_session_run_async (fixture->session, cancellable, run_cb, fixture);
  bi_test_wait_until (job_uploaded, job, BI_TEST_TIMEOUT_SECONDS, "the upload");
  g_cancellable_cancel (cancellable);
  wait_run (fixture);

  g_assert_error (fixture->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (bi_push_channel_get_connected (bi_scan_session_get_channel (fixture->session)));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/bookimg/client/scan-session/" path, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)
  ADD ("completes", test_scan_completes);
  ADD ("non-image-not-uploaded", test_non_image_not_uploaded);
  ADD ("parallel-limit", test_parallel_limit);
  ADD ("upload-refused", test_upload_refused);
  ADD ("unreachable", test_unreachable);
  ADD ("access-token", test_access_token);
  ADD ("connection-lost-for-good", test_connection_lost_for_good);
  ADD ("cancel", test_cancel);
#undef ADD

  return g_test_run ();
}
