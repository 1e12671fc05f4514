/* test-push-channel.c — the WebSocket channel drops duplicates and survives drops
 *
 * Against the in-process fake server, so each situation (a duplicate push, a dropped
 * connection, a server that stops answering pings, a server gone for good) is exact.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-client-error.h"
#include "bi-fake-server.h"
#include "bi-job-id.h"
#include "bi-protocol-messages.h"
#include "bi-push-channel.h"
#include "bi-test-server.h"

#include <string.h>

typedef struct
{
  BiFakeServer       *server;
  BiServerConnection *connection;
  BiPushChannel      *channel;
  char               *job_id;
  guint               progress_pushes;
  guint               terminal_pushes;
  gboolean            terminal_has_books; /* the last terminal push's results list books */
  gint64              last_seq;
  guint               lost;
  guint               reconnected;
  GError             *failure;      /* from ::failed */
  gboolean            done;         /* an async call under wait completed */
  GError             *async_error;
} Fixture;

static void
push_cb (BiPushChannel   *channel,
         BiServerMessage *message,
         gpointer         user_data)
{
  Fixture *fixture = user_data;

  g_assert_cmpstr (message->job_id, ==, fixture->job_id);
  if (message->type == BI_SERVER_MESSAGE_JOB_PROGRESS)
    {
      fixture->progress_pushes++;
      fixture->last_seq = message->seq;
    }
  else
    {
      fixture->terminal_pushes++;
      fixture->terminal_has_books = message->results != NULL
                                    && json_object_has_member (json_node_get_object (message->results),
                                                               "books");
    }
}

static void
lost_cb (BiPushChannel *channel,
         gpointer       user_data)
{
  ((Fixture *) user_data)->lost++;
}

static void
reconnected_cb (BiPushChannel *channel,
                gpointer       user_data)
{
  ((Fixture *) user_data)->reconnected++;
}

static void
failed_cb (BiPushChannel *channel,
           const GError  *error,
           gpointer       user_data)
{
  Fixture *fixture = user_data;

  g_clear_error (&fixture->failure);
  fixture->failure = g_error_copy (error);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->server = bi_fake_server_new ();
  bi_fake_server_set_auto_complete (fixture->server, FALSE);
  fixture->connection = bi_server_connection_new (bi_fake_server_get_url (fixture->server), NULL,
                                                  &error);
  g_assert_no_error (error);
  fixture->channel = bi_push_channel_new (fixture->connection);
  /* Short delays keep the test fast; the logic is the same as with the defaults. */
  bi_push_channel_set_reconnect_delays (fixture->channel, 10, 50);
  g_signal_connect (fixture->channel, "push", G_CALLBACK (push_cb), fixture);
  g_signal_connect (fixture->channel, "connection-lost", G_CALLBACK (lost_cb), fixture);
  g_signal_connect (fixture->channel, "reconnected", G_CALLBACK (reconnected_cb), fixture);
  g_signal_connect (fixture->channel, "failed", G_CALLBACK (failed_cb), fixture);
  fixture->job_id = bi_job_id_new ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->channel);
  g_clear_object (&fixture->connection);
  g_clear_pointer (&fixture->server, bi_fake_server_free);
  g_clear_error (&fixture->failure);
  g_clear_error (&fixture->async_error);
  g_free (fixture->job_id);
}

static gboolean
is_done (gpointer user_data)
{
  return ((Fixture *) user_data)->done;
}

static void
connected_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Fixture *fixture = user_data;

  bi_push_channel_connect_finish (BI_PUSH_CHANNEL (source), result, &fixture->async_error);
  fixture->done = TRUE;
}

static void
subscribed_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Fixture *fixture = user_data;

  bi_push_channel_subscribe_finish (BI_PUSH_CHANNEL (source), result, &fixture->async_error);
  fixture->done = TRUE;
}

static void
connect_channel (Fixture *fixture)
{
  fixture->done = FALSE;
  bi_push_channel_connect_async (fixture->channel, NULL, connected_cb, fixture);
  bi_test_wait_until (is_done, fixture, BI_TEST_TIMEOUT_SECONDS, "the channel to connect");
  g_assert_no_error (fixture->async_error);
}

static void
subscribe (Fixture *fixture)
{
  fixture->done = FALSE;
  bi_push_channel_subscribe_async (fixture->channel, fixture->job_id, NULL, subscribed_cb,
                                   fixture);
  bi_test_wait_until (is_done, fixture, BI_TEST_TIMEOUT_SECONDS, "\"subscribed\"");
  g_assert_no_error (fixture->async_error);
}

static gboolean
has_terminal_push (gpointer user_data)
{
  return ((Fixture *) user_data)->terminal_pushes > 0;
}

static gboolean
has_reconnected (gpointer user_data)
{
  return ((Fixture *) user_data)->reconnected > 0;
}

static gboolean
has_failed (gpointer user_data)
{
  return ((Fixture *) user_data)->failure != NULL;
}

static void
push_progress (Fixture *fixture,
               gint64   seq)
{
  g_autofree char *text = bi_message_job_progress_new (fixture->job_id, seq, BI_STAGE_OCR,
                                                       FALSE);

  bi_fake_server_push (fixture->server, fixture->job_id, text);
}

static void
test_duplicates_dropped (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(JsonNode) results = json_from_string ("{\"books\":[]}", NULL);
  g_autofree char *replayed = NULL;

  connect_channel (fixture);
  subscribe (fixture);
  g_assert_cmpuint (bi_fake_server_count_subscribes (fixture->server, fixture->job_id), ==, 1);

  push_progress (fixture, 1);
  push_progress (fixture, 1); /* duplicate */
  push_progress (fixture, 3);
  push_progress (fixture, 2); /* stale: overtaken by 3 */
  bi_fake_server_complete_job (fixture->server, fixture->job_id, "Dune", TRUE);
  /* The same outcome again, as a replay after a resubscribe would send it. */
  replayed = bi_message_processing_complete_new (fixture->job_id, 99, results);
  bi_fake_server_push (fixture->server, fixture->job_id, replayed);
  push_progress (fixture, 100);

  /* Frames arrive in order, so once the terminal one is in, the earlier ones are too. */
  bi_test_wait_until (has_terminal_push, fixture, BI_TEST_TIMEOUT_SECONDS, "the terminal push");
  g_assert_cmpuint (fixture->progress_pushes, ==, 2);
  g_assert_cmpint (fixture->last_seq, ==, 3);

  /* A round trip on the same connection: once another job's "subscribed" is in, everything
   * the server sent before it (the replay and the late progress) has been handled. */
  g_free (fixture->job_id);
  fixture->job_id = bi_job_id_new ();
  subscribe (fixture);
  g_assert_cmpuint (fixture->terminal_pushes, ==, 1);
  g_assert_cmpuint (fixture->progress_pushes, ==, 2);
}

static void
test_reconnect_resubscribes (Fixture       *fixture,
                             gconstpointer  data)
{
  connect_channel (fixture);
  subscribe (fixture);
  push_progress (fixture, 1);

  bi_fake_server_drop_connections (fixture->server);
  bi_test_wait_until (has_reconnected, fixture, BI_TEST_TIMEOUT_SECONDS, "a reconnect");
  g_assert_cmpuint (fixture->lost, ==, 1);
  g_assert_cmpuint (bi_fake_server_count_connections (fixture->server), ==, 2);

  /* The job is resubscribed on the new connection, so its result still arrives. */
  bi_fake_server_complete_job (fixture->server, fixture->job_id, "Dune", TRUE);
  bi_test_wait_until (has_terminal_push, fixture, BI_TEST_TIMEOUT_SECONDS,
                      "the result after the reconnect");
  g_assert_cmpuint (bi_fake_server_count_subscribes (fixture->server, fixture->job_id), ==, 2);
  g_assert_cmpuint (fixture->terminal_pushes, ==, 1);
}

static void
test_results_fallback (Fixture       *fixture,
                       gconstpointer  data)
{
  /* The server lost the push with the connection and does not replay it on subscribe: only
   * GET /results/<jobId> can tell the client. */
  bi_fake_server_set_replay_terminal (fixture->server, FALSE);
  connect_channel (fixture);
  subscribe (fixture);

  bi_fake_server_complete_job (fixture->server, fixture->job_id, "Dune", FALSE);
  bi_fake_server_drop_connections (fixture->server);

  bi_test_wait_until (has_terminal_push, fixture, BI_TEST_TIMEOUT_SECONDS,
                      "the result from GET /results");
  g_assert_cmpuint (bi_fake_server_count_results_requests (fixture->server, fixture->job_id), ==,
                    1);
  g_assert_cmpuint (fixture->terminal_pushes, ==, 1);
}

/* A result too large for API Gateway comes pushed without its books and flagged; the channel
 * takes the whole document from GET /results instead, once. */
static void
test_truncated_results (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(JsonNode) slim = json_from_string ("{\"status\":\"complete\",\"validatedBooks\":1,"
                                               "\"totalCandidates\":1,"
                                               "\"resultsTruncated\":true}", NULL);
  g_autofree char *slim_push = NULL;

  connect_channel (fixture);
  subscribe (fixture);
  json_object_set_string_member (json_node_get_object (slim), "jobId", fixture->job_id);
  slim_push = bi_message_processing_complete_new (fixture->job_id, 9, slim);

  bi_fake_server_complete_job (fixture->server, fixture->job_id, "Dune", FALSE);
  bi_fake_server_push (fixture->server, fixture->job_id, slim_push);
  bi_fake_server_push (fixture->server, fixture->job_id, slim_push); /* SNS's duplicate */

  bi_test_wait_until (has_terminal_push, fixture, BI_TEST_TIMEOUT_SECONDS,
                      "the whole result from GET /results");
  g_assert_true (fixture->terminal_has_books);
  g_assert_cmpuint (bi_fake_server_count_results_requests (fixture->server, fixture->job_id), ==,
                    1);

  /* A round trip: the duplicate has been handled by the time another job is subscribed. */
  g_free (fixture->job_id);
  fixture->job_id = bi_job_id_new ();
  subscribe (fixture);
  g_assert_cmpuint (fixture->terminal_pushes, ==, 1);
}

static gboolean
has_lost_and_reconnected (gpointer user_data)
{
  Fixture *fixture = user_data;

  return fixture->lost > 0 && fixture->reconnected > 0;
}

static void
test_pong_timeout (Fixture       *fixture,
                   gconstpointer  data)
{
  /* A server that stops answering is dead even though TCP says nothing. */
  bi_fake_server_set_answer_pings (fixture->server, FALSE);
  bi_push_channel_set_ping_interval (fixture->channel, 50);
  bi_push_channel_set_reply_timeout (fixture->channel, 200);
  connect_channel (fixture);

  bi_test_wait_until (has_lost_and_reconnected, fixture, BI_TEST_TIMEOUT_SECONDS,
                      "the unanswered ping to count as a dead connection");
  g_assert_cmpuint (bi_fake_server_count_pings (fixture->server), >=, 1);
  g_assert_cmpuint (bi_fake_server_count_connections (fixture->server), >=, 2);
}

static gboolean
five_pings (gpointer user_data)
{
  return bi_fake_server_count_pings (user_data) >= 5;
}

static void
test_answered_pings_keep_alive (Fixture       *fixture,
                                gconstpointer  data)
{
  bi_push_channel_set_ping_interval (fixture->channel, 20);
  bi_push_channel_set_reply_timeout (fixture->channel, 5000);
  connect_channel (fixture);

  bi_test_wait_until (five_pings, fixture->server, BI_TEST_TIMEOUT_SECONDS, "five pings");
  g_assert_cmpuint (fixture->lost, ==, 0);
  g_assert_cmpuint (bi_fake_server_count_connections (fixture->server), ==, 1);
}

static void
test_gives_up (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *other_job = bi_job_id_new ();

  bi_push_channel_set_max_reconnect_attempts (fixture->channel, 3);
  connect_channel (fixture);
  bi_fake_server_stop (fixture->server);

  /* A subscribe made while reconnecting waits, then fails with the channel. */
  fixture->done = FALSE;
  bi_push_channel_subscribe_async (fixture->channel, other_job, NULL, subscribed_cb, fixture);

  bi_test_wait_until (has_failed, fixture, BI_TEST_TIMEOUT_SECONDS, "the channel to give up");
  g_assert_error (fixture->failure, BI_CLIENT_ERROR, BI_CLIENT_ERROR_CONNECTION_LOST);
  g_assert_nonnull (strstr (fixture->failure->message,
                            bi_fake_server_get_url (fixture->server)));
  g_assert_nonnull (strstr (fixture->failure->message, "3 attempts"));
  g_assert_cmpuint (fixture->reconnected, ==, 0);

  bi_test_wait_until (is_done, fixture, BI_TEST_TIMEOUT_SECONDS, "the pending subscribe");
  g_assert_error (fixture->async_error, BI_CLIENT_ERROR, BI_CLIENT_ERROR_CONNECTION_LOST);
}

static void
test_unreachable (Fixture       *fixture,
                  gconstpointer  data)
{
  bi_fake_server_stop (fixture->server);

  fixture->done = FALSE;
  bi_push_channel_connect_async (fixture->channel, NULL, connected_cb, fixture);
  bi_test_wait_until (is_done, fixture, BI_TEST_TIMEOUT_SECONDS, "the connect to fail");
  g_assert_error (fixture->async_error, BI_CLIENT_ERROR, BI_CLIENT_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (fixture->async_error->message,
                            bi_fake_server_get_url (fixture->server)));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/bookimg/client/push-channel/" path, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)
  ADD ("duplicates-dropped", test_duplicates_dropped);
  ADD ("reconnect-resubscribes", test_reconnect_resubscribes);
  ADD ("results-fallback", test_results_fallback);
  ADD ("truncated-results", test_truncated_results);
  ADD ("pong-timeout", test_pong_timeout);
  ADD ("answered-pings-keep-alive", test_answered_pings_keep_alive);
  ADD ("gives-up", test_gives_up);
  ADD ("unreachable", test_unreachable);
#undef ADD

  return g_test_run ();
}
