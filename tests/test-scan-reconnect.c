/* test-scan-reconnect.c — a scan survives its WebSocket being cut and its server dying
 *
 * The client library (what bookimg-cli runs) scans a rendered spine photo on a real
 * bookimg-server whose validation stage holds the job (--test-hold-stage). While the job is
 * held: the server drops the client's connection (DELETE /@connections/{id}, API Gateway's
 * route) — the client must reconnect and subscribe again; then the server is killed and started
 * again on the same data dir and port — the job is redelivered and completes, and the client
 * must still get its result (pushed after resubscribing, or from GET /results).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-scan-session.h"
#include "bi-test-files.h"
#include "bi-test-images.h"
#include "bi-test-server.h"
#include "bi-test-store-utils.h"

#include <string.h>

#define BOOK_TITLE "The Hobbit"

static const char catalog_tsv[] =
  "book_id\tgoodreads_book_id\twork_id\ttitle\toriginal_title\tauthors\tyear\tisbn10\t"
  "isbn13\tisbn13_note\tlanguage_code\tratings_count\n"
  "7\t7\t7\tThe Hobbit\tThe Hobbit or There and Back Again\tJ.R.R. Tolkien\t1937\t"
  "0618260307\t9780618260300\t\teng\t1\n";

static const BiTestSpine spine = { "THE HOBBIT", "TOLKIEN", 0x1f3a5f, 0xf5f0e1, 90 };

typedef struct
{
  BiScanJob *job;
  guint      lost;
  guint      reconnected;
  gboolean   done;
  GError    *error;
} Watch;

static void
lost_cb (BiPushChannel *channel,
         gpointer       user_data)
{
  Watch *watch = user_data;

  /* Both drops happen while the job is held: it must not be over yet. */
  g_assert_false (bi_scan_job_is_terminal (watch->job));
  watch->lost++;
}

static void
reconnected_cb (BiPushChannel *channel,
                gpointer       user_data)
{
  ((Watch *) user_data)->reconnected++;
}

static void
run_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  Watch *watch = user_data;

  bi_scan_session_run_finish (BI_SCAN_SESSION (source), result, &watch->error);
  watch->done = TRUE;
}

static gboolean
job_held_in_validation (gpointer user_data)
{
  return bi_scan_job_get_state (((Watch *) user_data)->job) == BI_SCAN_JOB_STATE_VALIDATION;
}

static gboolean
reconnected_once (gpointer user_data)
{
  return ((Watch *) user_data)->reconnected >= 1;
}

static gboolean
lost_twice (gpointer user_data)
{
  return ((Watch *) user_data)->lost >= 2;
}

static gboolean
run_done (gpointer user_data)
{
  return ((Watch *) user_data)->done;
}

typedef struct
{
  BiTestServer *server;
  const char   *job_id;
  const char   *old_connection;
} Resubscribed;

/* The job has a subscriber again, on a connection other than the deleted one. */
static gboolean
resubscribed (gpointer user_data)
{
  Resubscribed *check = user_data;
  g_autoptr(GPtrArray) ids = bi_test_server_subscribers (check->server, check->job_id);

  for (guint i = 0; i < ids->len; i++)
    {
      if (g_strcmp0 (g_ptr_array_index (ids, i), check->old_connection) != 0)
        return TRUE;
    }
  return FALSE;
}

static void
test_drop_and_restart_mid_job (void)
{
  g_autofree char *dir = bi_test_temp_dir_new ();
  g_autofree char *catalog = bi_test_write_file (dir, "catalog.tsv", catalog_tsv, -1);
  g_autofree char *photo_path = NULL;
  g_autoptr(GBytes) photo = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BiTestServer) server = NULL;
  g_autoptr(BiServerConnection) connection = NULL;
  g_autoptr(BiScanSession) session = NULL;
  g_autoptr(SoupSession) http = soup_session_new ();
  g_autoptr(GPtrArray) subscribers = NULL;
  g_autoptr(BiTestResponse) deleted = NULL;
  g_autofree char *delete_url = NULL;
  g_autofree char *url = NULL;
  g_autofree char *listen = NULL;
  BiPushChannel *channel;
  Resubscribed check;
  Watch watch = { 0 };
  JsonArray *books;
  gboolean found = FALSE;

  photo = bi_test_image_render_spines (&spine, 1, 240, 800, "png", &error);
  g_assert_no_error (error);
  photo_path = bi_test_write_file (dir, "shelf.png", g_bytes_get_data (photo, NULL),
                                   (gssize) g_bytes_get_size (photo));

  /* A short visibility timeout, so the held message is redelivered soon after the restart. */
  server = bi_test_server_new ((const char *[]) { "--catalog", catalog,
                                                  "--visibility-timeout-ms", "1000",
                                                  "--test-hold-stage", "validation", NULL });
  url = g_strdup (bi_test_server_get_url (server));

  connection = bi_server_connection_new (url, NULL, &error);
  g_assert_no_error (error);
  session = bi_scan_session_new (connection, 1);
  channel = bi_scan_session_get_channel (session);
  /* Keep trying while the server is down (the restart takes a second or two). */
  bi_push_channel_set_reconnect_delays (channel, 50, 500);
  bi_push_channel_set_max_reconnect_attempts (channel, 200);
  g_signal_connect (channel, "connection-lost", G_CALLBACK (lost_cb), &watch);
  g_signal_connect (channel, "reconnected", G_CALLBACK (reconnected_cb), &watch);
  watch.job = bi_scan_session_add_photo (session, photo_path);

  bi_scan_session_run_async (session, NULL, run_cb, &watch);
  bi_test_wait_until (job_held_in_validation, &watch, 2 * BI_TEST_TIMEOUT_SECONDS,
                      "the job to be held in validation");

  /* 1. The server cuts the client's connection, as API Gateway's @connections DELETE does. */
  subscribers = bi_test_server_subscribers (server, bi_scan_job_get_job_id (watch.job));
  g_assert_cmpuint (subscribers->len, ==, 1);
  delete_url = g_strdup_printf ("%s/@connections/%s", url,
                                (const char *) g_ptr_array_index (subscribers, 0));
  deleted = bi_test_http (http, "DELETE", delete_url, NULL, NULL);
  g_assert_cmpuint (deleted->status, >=, 200);
  g_assert_cmpuint (deleted->status, <, 300);

  bi_test_wait_until (reconnected_once, &watch, BI_TEST_TIMEOUT_SECONDS, "a reconnect");
  check = (Resubscribed) { server, bi_scan_job_get_job_id (watch.job),
                           g_ptr_array_index (subscribers, 0) };
  bi_test_wait_until (resubscribed, &check, BI_TEST_TIMEOUT_SECONDS,
                      "the job to be subscribed again");
  g_assert_false (bi_scan_job_is_terminal (watch.job));

  /* 2. The server dies in the middle of the job and comes back on the same port. */
  bi_test_server_kill (server);
  bi_test_wait_until (lost_twice, &watch, BI_TEST_TIMEOUT_SECONDS, "the second drop");
  listen = g_strdup (url + strlen ("http://"));
  bi_test_server_restart (server, (const char *[]) { "--catalog", catalog,
                                                     "--visibility-timeout-ms", "1000",
                                                     "--listen", listen, NULL });
  g_assert_cmpstr (bi_test_server_get_url (server), ==, url);

  bi_test_wait_until (run_done, &watch, 2 * BI_TEST_TIMEOUT_SECONDS, "the scan to finish");
  g_assert_no_error (watch.error);
  g_assert_cmpint (bi_scan_job_get_state (watch.job), ==, BI_SCAN_JOB_STATE_COMPLETE);
  g_assert_cmpuint (watch.reconnected, >=, 2);

  books = json_object_get_array_member (json_node_get_object (bi_scan_job_get_results (watch.job)),
                                        "books");
  for (guint i = 0; i < json_array_get_length (books); i++)
    found |= g_strcmp0 (json_object_get_string_member (json_array_get_object_element (books, i),
                                                       "title"), BOOK_TITLE) == 0;
  g_assert_true (found);

  g_clear_object (&session);
  g_clear_pointer (&server, bi_test_server_free);
  bi_test_temp_dir_remove (dir);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bookimg/integration/scan/drop-and-restart-mid-job",
                   test_drop_and_restart_mid_job);

  return g_test_run ();
}
