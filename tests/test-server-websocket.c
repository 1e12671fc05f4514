/* test-server-websocket.c — /ws, the notifier's pushes and @connections, over real WebSockets
 *
 * Results are published with POST /@topic (the embedded SNS Publish), so these cases need no
 * OCR and share one server; the real pipeline is test-server-pipeline.c's business.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "bi-job-id.h"
#include "bi-subscription-store.h"
#include "bi-test-server.h"

/* Small, so a client that stops reading is found out after a few messages. */
#define SEND_QUEUE_LIMIT 8

static BiTestServer *server;
static SoupSession *session;

static void
publish (const char *topic_message)
{
  g_autofree char *url = g_strconcat (bi_test_server_get_url (server), "/@topic", NULL);
  g_autoptr(GBytes) body = g_bytes_new (topic_message, strlen (topic_message));
  g_autoptr(BiTestResponse) response = bi_test_http (session, "POST", url, "application/json",
                                                      body);

  g_assert_cmpuint (response->status, ==, 200);
}

static void
publish_complete (const char *job_id,
                  const char *title)
{
  g_autofree char *message = bi_test_complete_message_new (job_id, title, 0);

  publish (message);
}

static void
assert_book_title (const BiServerMessage *message,
                   const char            *title)
{
  JsonObject *results = json_node_get_object (message->results);
  JsonArray *books = json_object_get_array_member (results, "books");

  g_assert_cmpuint (json_array_get_length (books), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (books, 0),
                                                  "title"), ==, title);
}

/* The only connection subscribed to @job_id. */
static char *
connection_id_of (const char *job_id)
{
  g_autoptr(GPtrArray) ids = bi_test_server_subscribers (server, job_id);

  g_assert_cmpuint (ids->len, ==, 1);
  return g_strdup (g_ptr_array_index (ids, 0));
}

static void
assert_still_serving (void)
{
  g_autoptr(BiTestWebsocket) client = bi_test_websocket_connect (session, server);
  g_autofree char *ping = bi_action_ping_new ();
  g_autoptr(BiServerMessage) pong = NULL;

  bi_test_websocket_send (client, ping);
  pong = bi_test_websocket_wait_for_type (client, BI_SERVER_MESSAGE_PONG, NULL);
}

/* ---- actions ------------------------------------------------------------------------------- */

static void
test_ping_pong (void)
{
  g_autoptr(BiTestWebsocket) client = bi_test_websocket_connect (session, server);
  g_autofree char *ping = bi_action_ping_new ();
  g_autoptr(BiServerMessage) first = NULL;
  g_autoptr(BiServerMessage) second = NULL;

  bi_test_websocket_send (client, ping);
  bi_test_websocket_send (client, ping);
  first = bi_test_websocket_wait_for_type (client, BI_SERVER_MESSAGE_PONG, NULL);
  second = bi_test_websocket_wait_for_type (client, BI_SERVER_MESSAGE_PONG, NULL);
}

static void
assert_error_reply (BiTestWebsocket *client,
                    const char      *frame,
                    const char      *code)
{
  g_autoptr(BiServerMessage) error = NULL;

  bi_test_websocket_send (client, frame);
  error = bi_test_websocket_wait_for_type (client, BI_SERVER_MESSAGE_ERROR, NULL);
  g_assert_cmpstr (error->error_code, ==, code);
  g_assert_cmpstr (error->error_message, !=, "");
}

static void
test_bad_frames_are_answered (void)
{
  g_autoptr(BiTestWebsocket) client = bi_test_websocket_connect (session, server);
  g_autofree char *ping = bi_action_ping_new ();
  g_autoptr(BiServerMessage) binary_error = NULL;
  g_autoptr(BiServerMessage) pong = NULL;
  double errors_before = bi_test_metric (session, server,
                                         "bookimg_websocket_message_errors_total");

  assert_error_reply (client, "{\"action\":\"dance\"}", "unknown_action");
  assert_error_reply (client, "{\"jobId\":\"job-1700000000000-abcdefgh\"}", "bad_message");
  assert_error_reply (client, "not json at all", "bad_message");
  assert_error_reply (client, "[1,2,3]", "bad_message");
  assert_error_reply (client, "", "bad_message");
  assert_error_reply (client, "{\"action\":\"subscribe\",\"jobId\":\"../../etc\"}", "bad_job_id");
  assert_error_reply (client, "{\"action\":\"subscribe\",\"jobId\":\"\"}", "bad_job_id");
  assert_error_reply (client, "{\"action\":\"subscribe\"}", "bad_job_id");
  assert_error_reply (client, "{\"action\":\"unsubscribe\",\"jobId\":\"job-1-x\"}", "bad_job_id");

  /* Binary frames, even holding valid JSON, are refused with a message, not a close. */
  soup_websocket_connection_send_binary (bi_test_websocket_get_connection (client),
                                         "{\"action\":\"ping\"}", 17);
  binary_error = bi_test_websocket_wait_for_type (client, BI_SERVER_MESSAGE_ERROR, NULL);
  g_assert_cmpstr (binary_error->error_code, ==, "bad_message");

  /* The connection is still good for real actions. */
  bi_test_websocket_send (client, ping);
  pong = bi_test_websocket_wait_for_type (client, BI_SERVER_MESSAGE_PONG, NULL);
  g_assert_cmpfloat (bi_test_metric (session, server, "bookimg_websocket_message_errors_total"),
                     ==, errors_before + 10);
}

static void
test_oversized_frame_closes_1009 (void)
{
  g_autoptr(BiTestWebsocket) client = bi_test_websocket_connect (session, server);
  g_autofree char *big = g_strnfill (80 * 1024, ' ');

  /* Over our 64 KiB limit, under libsoup's 128 KiB cap: the limit is ours, with a close frame. */
  bi_test_websocket_send (client, big);
  g_assert_cmpuint (bi_test_websocket_wait_closed (client), ==,
                    SOUP_WEBSOCKET_CLOSE_TOO_BIG);
  assert_still_serving ();
}

static void
test_huge_frame_drops_connection (void)
{
  GSocketConnection *raw = bi_test_raw_websocket_connect (server, 0);
  g_autoptr(GError) error = NULL;
  char buffer[256];
  gssize count;

  /* Past libsoup's cap it drops the connection as soon as it reads the header (no close
   * frame: libsoup 3.2 closes such a stream outright). Only the header is sent, so no unread
   * payload can turn that into a reset before we read. */
  bi_test_raw_websocket_send (raw, 0x2, NULL, 1024 * 1024);
  do
    count = g_input_stream_read (g_io_stream_get_input_stream (G_IO_STREAM (raw)), buffer,
                                 sizeof buffer, NULL, &error);
  while (count > 0);
  if (error != NULL)
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_CLOSED);
  g_object_unref (raw);
  assert_still_serving ();
}

static void
test_invalid_utf8_closes_1007 (void)
{
  GSocketConnection *raw = bi_test_raw_websocket_connect (server, 0);
  guint skipped = 0;

  /* RFC 6455 §8.1: a text frame that is not UTF-8 fails the connection (libsoup does so). */
  bi_test_raw_websocket_send (raw, 0x1, "\xff\xfe{}", 4);
  g_assert_cmpuint (bi_test_raw_websocket_read_close (raw, &skipped), ==,
                    SOUP_WEBSOCKET_CLOSE_BAD_DATA);
  g_object_unref (raw);
  assert_still_serving ();
}

static void
test_keepalive_pings (void)
{
  GSocketConnection *raw = bi_test_raw_websocket_connect (server, 0);
  g_autoptr(GBytes) payload = NULL;

  /* The server runs with --keepalive-seconds 1: a ping comes without anything sent. */
  g_assert_cmpuint (bi_test_raw_websocket_read_frame (raw, &payload), ==, 0x9);
  g_object_unref (raw);
}

/* ---- subscriptions and pushes ------------------------------------------------------------------ */

static void
test_subscribe_and_unsubscribe (void)
{
  g_autoptr(BiTestWebsocket) client = bi_test_websocket_connect (session, server);
  g_autofree char *kept = bi_job_id_new ();
  g_autofree char *dropped = bi_job_id_new ();
  g_autofree char *unsubscribe = bi_action_unsubscribe_new (dropped);
  g_autoptr(BiServerMessage) unsubscribed = NULL;
  g_autoptr(BiServerMessage) complete = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  bi_test_websocket_subscribe (client, kept);
  bi_test_websocket_subscribe (client, dropped);
  bi_test_websocket_send (client, unsubscribe);
  unsubscribed = bi_test_websocket_wait_for_type (client, BI_SERVER_MESSAGE_UNSUBSCRIBED,
                                                  dropped);
  rows = bi_test_server_subscribers (server, dropped);
  g_assert_cmpuint (rows->len, ==, 0);

  /* Published first, the dropped job's result would arrive first if it were pushed. */
  publish_complete (dropped, "Dropped");
  publish_complete (kept, "Kept");
  complete = bi_test_websocket_wait_for_type (client, BI_SERVER_MESSAGE_PROCESSING_COMPLETE,
                                              NULL);
  g_assert_cmpstr (complete->job_id, ==, kept);
  assert_book_title (complete, "Kept");
}

static void
test_two_connections_one_job (void)
{
  g_autoptr(BiTestWebsocket) first = bi_test_websocket_connect (session, server);
  g_autoptr(BiTestWebsocket) second = bi_test_websocket_connect (session, server);
  g_autofree char *job_id = bi_job_id_new ();
  g_autoptr(BiServerMessage) first_result = NULL;
  g_autoptr(BiServerMessage) second_result = NULL;

  bi_test_websocket_subscribe (first, job_id);
  bi_test_websocket_subscribe (second, job_id);
  publish_complete (job_id, "Shared");

  first_result = bi_test_websocket_wait_for_type (first, BI_SERVER_MESSAGE_PROCESSING_COMPLETE,
                                                  job_id);
  second_result = bi_test_websocket_wait_for_type (second,
                                                   BI_SERVER_MESSAGE_PROCESSING_COMPLETE, job_id);
  assert_book_title (first_result, "Shared");
  g_assert_cmpint (first_result->seq, ==, second_result->seq);
}

static void
test_subscribe_after_finish (void)
{
  g_autofree char *job_id = bi_job_id_new ();
  g_autofree char *results_url = NULL;
  g_autoptr(BiTestWebsocket) watcher = bi_test_websocket_connect (session, server);
  g_autoptr(BiTestWebsocket) late = NULL;
  g_autoptr(BiServerMessage) pushed = NULL;
  g_autoptr(BiServerMessage) answered = NULL;
  g_autoptr(BiTestResponse) results = NULL;

  /* A first subscriber tells when the result is stored. */
  bi_test_websocket_subscribe (watcher, job_id);
  publish_complete (job_id, "Late");
  pushed = bi_test_websocket_wait_for_type (watcher, BI_SERVER_MESSAGE_PROCESSING_COMPLETE,
                                            job_id);

  late = bi_test_websocket_connect (session, server);
  bi_test_websocket_subscribe (late, job_id);
  answered = bi_test_websocket_wait_for_type (late, BI_SERVER_MESSAGE_PROCESSING_COMPLETE,
                                              job_id);
  g_assert_cmpint (answered->seq, ==, pushed->seq);
  assert_book_title (answered, "Late");

  /* The fallback answers the same. */
  results_url = g_strconcat (bi_test_server_get_url (server), "/results/", job_id, NULL);
  results = bi_test_http (session, "GET", results_url, NULL, NULL);
  g_assert_cmpuint (results->status, ==, 200);
  g_assert_nonnull (strstr (results->body, "\"Late\""));
}

static void
test_reconnect_after_drop (void)
{
  g_autofree char *job_id = bi_job_id_new ();
  g_autoptr(BiTestWebsocket) again = NULL;
  g_autoptr(BiServerMessage) result = NULL;
  g_autoptr(GPtrArray) rows = NULL;

  {
    g_autoptr(BiTestWebsocket) dropped = bi_test_websocket_connect (session, server);

    bi_test_websocket_subscribe (dropped, job_id);
  }
  /* The result comes while nobody is connected. The dropped connection's row is deleted by
   * its close or, if the push gets there first, by the failed push: either way one row is
   * left in the end, the new connection's. */
  publish_complete (job_id, "Reconnected");

  again = bi_test_websocket_connect (session, server);
  bi_test_websocket_subscribe (again, job_id);
  result = bi_test_websocket_wait_for_type (again, BI_SERVER_MESSAGE_PROCESSING_COMPLETE,
                                            job_id);
  assert_book_title (result, "Reconnected");
  rows = bi_test_server_subscribers (server, job_id);
  g_assert_cmpuint (rows->len, ==, 1);
}

static void
test_duplicate_topic_message (void)
{
  g_autoptr(BiTestWebsocket) client = bi_test_websocket_connect (session, server);
  g_autofree char *job_id = bi_job_id_new ();
  g_autofree char *failure = g_strdup_printf ("{\"jobId\":\"%s\",\"status\":\"failed\",\"error\":"
                                              "{\"stage\":\"ocr\",\"code\":\"x\",\"message\":"
                                              "\"too late\"}}", job_id);
  g_autoptr(BiServerMessage) first = NULL;
  g_autoptr(BiServerMessage) again = NULL;
  g_autoptr(BiServerMessage) third = NULL;

  bi_test_websocket_subscribe (client, job_id);
  publish_complete (job_id, "Once");
  publish_complete (job_id, "Twice");
  /* A different, later verdict does not change a finished job either. */
  publish (failure);

  first = bi_test_websocket_wait_for_type (client, BI_SERVER_MESSAGE_PROCESSING_COMPLETE, job_id);
  again = bi_test_websocket_wait_for_type (client, BI_SERVER_MESSAGE_PROCESSING_COMPLETE, job_id);
  third = bi_test_websocket_wait_for_type (client, BI_SERVER_MESSAGE_PROCESSING_COMPLETE, job_id);
  g_assert_cmpint (again->seq, ==, first->seq);
  g_assert_cmpint (third->seq, ==, first->seq);
  assert_book_title (again, "Once");
  g_assert_cmpuint (bi_test_websocket_count_type (client, BI_SERVER_MESSAGE_PROCESSING_FAILED),
                    ==, 0);
}

static void
test_failure_is_pushed_and_stored (void)
{
  g_autoptr(BiTestWebsocket) client = bi_test_websocket_connect (session, server);
  g_autofree char *job_id = bi_job_id_new ();
  g_autofree char *failure = g_strdup_printf ("{\"jobId\":\"%s\",\"status\":\"failed\",\"error\":"
                                              "{\"stage\":\"candidates\",\"code\":\"boom\","
                                              "\"message\":\"It broke.\"},\"timestamp\":"
                                              "\"2024-01-01T00:00:00Z\"}", job_id);
  g_autofree char *results_url = g_strconcat (bi_test_server_get_url (server), "/results/",
                                              job_id, NULL);
  g_autoptr(BiServerMessage) failed = NULL;
  g_autoptr(BiTestResponse) results = NULL;

  bi_test_websocket_subscribe (client, job_id);
  publish (failure);
  failed = bi_test_websocket_wait_for_type (client, BI_SERVER_MESSAGE_PROCESSING_FAILED, job_id);
  g_assert_cmpstr (failed->stage, ==, "candidates");
  g_assert_cmpstr (failed->error_code, ==, "boom");

  results = bi_test_http (session, "GET", results_url, NULL, NULL);
  g_assert_cmpuint (results->status, ==, 200);
  g_assert_nonnull (strstr (results->body, "\"status\":\"failed\""));
}

static gboolean
push_failures_reached (gpointer user_data)
{
  const double *expected = user_data;

  return bi_test_metric (session, server, "bookimg_push_failures_total") >= *expected;
}

static void
test_push_to_gone_connection_deletes_row (void)
{
  g_autofree char *path = g_build_filename (bi_test_server_get_data_dir (server),
                                            "bookimg.sqlite3", NULL);
  g_autofree char *job_id = bi_job_id_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(BiTestWebsocket) client = bi_test_websocket_connect (session, server);
  g_autoptr(BiServerMessage) result = NULL;
  double failures_before = bi_test_metric (session, server, "bookimg_push_failures_total");
  double expected_failures;

  /* A row whose connection is gone, as a crashed server or a missed close leaves behind. */
  {
    g_autoptr(BiSubscriptionStore) store = bi_subscription_store_open (path,
                                                                       BI_SUBSCRIPTION_TTL_MS,
                                                                       &error);

    g_assert_no_error (error);
    bi_subscription_store_put (store, job_id, "AAAAAAAAAAAAAAAA", &error);
    g_assert_no_error (error);
  }
  bi_test_websocket_subscribe (client, job_id);
  publish_complete (job_id, "Gone");
  result = bi_test_websocket_wait_for_type (client, BI_SERVER_MESSAGE_PROCESSING_COMPLETE, job_id);

  /* The live client may read its push while the server is still walking the rows: wait for
   * the failed push to be counted before looking at what is left. */
  expected_failures = failures_before + 1;
  bi_test_wait_until (push_failures_reached, &expected_failures, BI_TEST_TIMEOUT_SECONDS,
                      "the push to the gone connection to fail");
  rows = bi_test_server_subscribers (server, job_id);
  g_assert_cmpuint (rows->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (rows, 0), !=, "AAAAAAAAAAAAAAAA");
  g_assert_cmpfloat (bi_test_metric (session, server, "bookimg_push_failures_total"), ==,
                     failures_before + 1);
}

/* ---- @connections ---------------------------------------------------------------------------- */

static BiTestResponse *
manage (const char *method,
        const char *connection_id,
        const char *body)
{
  g_autofree char *url = g_strconcat (bi_test_server_get_url (server), "/@connections/",
                                      connection_id, NULL);
  g_autoptr(GBytes) bytes = body != NULL ? g_bytes_new (body, strlen (body)) : NULL;

  return bi_test_http (session, method, url, body != NULL ? "text/plain" : NULL, bytes);
}

static gboolean
is_custom_message (const BiServerMessage *message,
                   gpointer               user_data)
{
  return message->type == BI_SERVER_MESSAGE_PONG;
}

static void
test_connections_api (void)
{
  g_autoptr(BiTestWebsocket) client = bi_test_websocket_connect (session, server);
  g_autofree char *job_id = bi_job_id_new ();
  g_autofree char *connection_id = NULL;
  g_autoptr(BiTestResponse) info = NULL;
  g_autoptr(BiTestResponse) posted = NULL;
  g_autoptr(BiTestResponse) deleted = NULL;
  g_autoptr(BiServerMessage) received = NULL;
  const char *methods[] = { "GET", "POST", "DELETE" };

  bi_test_websocket_subscribe (client, job_id);
  connection_id = connection_id_of (job_id);

  info = manage ("GET", connection_id, NULL);
  g_assert_cmpuint (info->status, ==, 200);
  g_assert_nonnull (strstr (info->body, "\"connectedAt\":\""));
  g_assert_nonnull (strstr (info->body, "\"lastActiveAt\":\""));
  g_assert_nonnull (strstr (info->body, "\"identity\":{\"sourceIp\":\"127.0.0.1\"}"));

  /* Any text goes through as one frame. */
  posted = manage ("POST", connection_id, "{\"type\":\"pong\"}");
  g_assert_cmpuint (posted->status, ==, 200);
  received = bi_test_websocket_wait_for (client, is_custom_message, NULL, "the posted frame");

  deleted = manage ("DELETE", connection_id, NULL);
  g_assert_cmpuint (deleted->status, ==, 204);
  g_assert_cmpuint (bi_test_websocket_wait_closed (client), ==, SOUP_WEBSOCKET_CLOSE_NORMAL);

  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    {
      g_autoptr(BiTestResponse) gone = manage (methods[i], connection_id,
                                               g_str_equal (methods[i], "POST") ? "x" : NULL);

      bi_test_assert_error (gone, 410, "gone");
    }
}

static void
test_slow_consumer_closed_1008 (void)
{
  g_autofree char *job_id = bi_job_id_new ();
  g_autofree char *subscribe = bi_action_subscribe_new (job_id);
  g_autofree char *connection_id = NULL;
  g_autofree char *big = g_strnfill (100 * 1024, 'x');
  GSocketConnection *raw = bi_test_raw_websocket_connect (server, 4096);
  g_autoptr(GBytes) reply = NULL;
  double closed_before = bi_test_metric (session, server,
                                         "bookimg_slow_consumers_closed_total");
  guint posted = 0;
  guint skipped = 0;

  bi_test_raw_websocket_send (raw, 0x1, subscribe, strlen (subscribe));
  /* "subscribed" (after any keepalive pings): the row exists once it came. */
  while (bi_test_raw_websocket_read_frame (raw, &reply) != 0x1)
    g_clear_pointer (&reply, g_bytes_unref);
  connection_id = connection_id_of (job_id);

  /* The client reads nothing more: the kernel buffers fill, then our queue, then the server
   * gives up on it. Bounded, so a server that never does fails here instead of hanging. */
  while (posted < 2000)
    {
      g_autoptr(BiTestResponse) response = manage ("POST", connection_id, big);

      if (response->status == 410)
        break;
      g_assert_cmpuint (response->status, ==, 200);
      posted++;
    }
  g_assert_cmpuint (posted, <, 2000);
  g_assert_cmpuint (posted, >, SEND_QUEUE_LIMIT);
  g_assert_cmpfloat (bi_test_metric (session, server, "bookimg_slow_consumers_closed_total"), ==,
                     closed_before + 1);

  /* What was handed to the socket arrives, then the close frame: 1008. */
  g_assert_cmpuint (bi_test_raw_websocket_read_close (raw, &skipped), ==,
                    SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION);
  g_assert_cmpuint (skipped, <=, posted);
  g_object_unref (raw);
  assert_still_serving ();
}

static void
test_connection_gauge (void)
{
  double before = bi_test_metric (session, server, "bookimg_websocket_connections");
  g_autoptr(BiTestWebsocket) one = bi_test_websocket_connect (session, server);
  g_autoptr(BiTestWebsocket) two = bi_test_websocket_connect (session, server);
  g_autofree char *ping = bi_action_ping_new ();
  g_autoptr(BiServerMessage) pong = NULL;

  /* A round trip on the later connection: both are registered by then. */
  bi_test_websocket_send (two, ping);
  pong = bi_test_websocket_wait_for_type (two, BI_SERVER_MESSAGE_PONG, NULL);
  g_assert_cmpfloat (bi_test_metric (session, server, "bookimg_websocket_connections"), ==,
                     before + 2);
}

static void
test_shutdown_closes_clients (void)
{
  const char *args[] = { "--ocr-workers", "1", NULL };
  g_autoptr(BiTestServer) stopping = bi_test_server_new (args);
  g_autoptr(BiTestWebsocket) client = bi_test_websocket_connect (session, stopping);
  g_autofree char *job_id = bi_job_id_new ();

  bi_test_websocket_subscribe (client, job_id);
  /* SIGTERM: the server exits 0 (asserted by the helper) and says goodbye to its clients. */
  bi_test_server_stop (stopping);
  g_assert_cmpuint (bi_test_websocket_wait_closed (client), ==, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *limit = g_strdup_printf ("%d", SEND_QUEUE_LIMIT);
  const char *args[] = { "--keepalive-seconds", "1", "--send-queue-limit", limit,
                         "--ocr-workers", "1", NULL };
  int status;

  g_test_init (&argc, &argv, NULL);

  server = bi_test_server_new (args);
  session = soup_session_new ();

  g_test_add_func ("/bookimg/server-websocket/ping-pong", test_ping_pong);
  g_test_add_func ("/bookimg/server-websocket/bad-frames", test_bad_frames_are_answered);
  g_test_add_func ("/bookimg/server-websocket/oversized-frame", test_oversized_frame_closes_1009);
  g_test_add_func ("/bookimg/server-websocket/huge-frame", test_huge_frame_drops_connection);
  g_test_add_func ("/bookimg/server-websocket/invalid-utf8", test_invalid_utf8_closes_1007);
  g_test_add_func ("/bookimg/server-websocket/keepalive", test_keepalive_pings);
  g_test_add_func ("/bookimg/server-websocket/subscribe-unsubscribe",
                   test_subscribe_and_unsubscribe);
  g_test_add_func ("/bookimg/server-websocket/two-connections", test_two_connections_one_job);
  g_test_add_func ("/bookimg/server-websocket/subscribe-after-finish",
                   test_subscribe_after_finish);
  g_test_add_func ("/bookimg/server-websocket/reconnect-after-drop", test_reconnect_after_drop);
  g_test_add_func ("/bookimg/server-websocket/duplicate-topic-message",
                   test_duplicate_topic_message);
  g_test_add_func ("/bookimg/server-websocket/failure", test_failure_is_pushed_and_stored);
  g_test_add_func ("/bookimg/server-websocket/gone-connection-row",
                   test_push_to_gone_connection_deletes_row);
  g_test_add_func ("/bookimg/server-websocket/connections-api", test_connections_api);
  g_test_add_func ("/bookimg/server-websocket/slow-consumer", test_slow_consumer_closed_1008);
  g_test_add_func ("/bookimg/server-websocket/connection-gauge", test_connection_gauge);
  g_test_add_func ("/bookimg/server-websocket/shutdown", test_shutdown_closes_clients);

  status = g_test_run ();

  g_clear_object (&session);
  g_clear_pointer (&server, bi_test_server_free);
  return status;
}
