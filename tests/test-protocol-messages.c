/* test-protocol-messages.c — the WebSocket messages round-trip and bad frames are named
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-protocol-error.h"
#include "bi-protocol-messages.h"

#include <string.h>

#define JOB "job-1700000000000-abcdefghijklmnopqrstuvwx"

static void
test_client_actions_round_trip (void)
{
  g_autofree char *subscribe = bi_action_subscribe_new (JOB);
  g_autofree char *unsubscribe = bi_action_unsubscribe_new (JOB);
  g_autofree char *ping = bi_action_ping_new ();
  g_autofree char *job_id = NULL;
  g_autofree char *job_id2 = NULL;
  g_autoptr(GError) error = NULL;
  BiClientAction action;

  g_assert_cmpstr (subscribe, ==, "{\"action\":\"subscribe\",\"jobId\":\"" JOB "\"}");
  g_assert_true (bi_client_action_parse (subscribe, strlen (subscribe), &action, &job_id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (action, ==, BI_CLIENT_ACTION_SUBSCRIBE);
  g_assert_cmpstr (job_id, ==, JOB);

  g_assert_true (bi_client_action_parse (unsubscribe, strlen (unsubscribe), &action, &job_id2,
                                         &error));
  g_assert_cmpint (action, ==, BI_CLIENT_ACTION_UNSUBSCRIBE);

  g_assert_true (bi_client_action_parse (ping, strlen (ping), &action, NULL, &error));
  g_assert_cmpint (action, ==, BI_CLIENT_ACTION_PING);
}

static void
test_client_action_errors (void)
{
  struct { const char *text; int code; } bad[] = {
    { "", BI_PROTOCOL_ERROR_BAD_MESSAGE },
    { "not json", BI_PROTOCOL_ERROR_BAD_MESSAGE },
    { "[1,2]", BI_PROTOCOL_ERROR_BAD_MESSAGE },
    { "{\"jobId\":\"" JOB "\"}", BI_PROTOCOL_ERROR_BAD_MESSAGE },
    { "{\"action\":5}", BI_PROTOCOL_ERROR_BAD_MESSAGE },
    { "{\"action\":\"sendmessage\"}", BI_PROTOCOL_ERROR_UNKNOWN_ACTION },
    { "{\"action\":\"subscribe\"}", BI_PROTOCOL_ERROR_BAD_JOB_ID },
    { "{\"action\":\"subscribe\",\"jobId\":\"../etc\"}", BI_PROTOCOL_ERROR_BAD_JOB_ID },
    { "{\"action\":\"subscribe\",\"jobId\":\"\"}", BI_PROTOCOL_ERROR_BAD_JOB_ID },
    { "{\"action\":\"unsubscribe\",\"jobId\":42}", BI_PROTOCOL_ERROR_BAD_JOB_ID },
    { "{\"action\":\"sub\xff\"}", BI_PROTOCOL_ERROR_BAD_MESSAGE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *job_id = NULL;
      BiClientAction action;

      g_assert_false (bi_client_action_parse (bad[i].text, strlen (bad[i].text), &action,
                                              &job_id, &error));
      g_assert_error (error, BI_PROTOCOL_ERROR, bad[i].code);
      g_assert_null (job_id);
    }
}

static void
test_pushes_round_trip (void)
{
  g_autoptr(JsonNode) results = json_from_string ("{\"jobId\":\"" JOB "\",\"books\":[]}", NULL);
  g_autofree char *progress = bi_message_job_progress_new (JOB, 3, BI_STAGE_OCR, TRUE);
  g_autofree char *complete = bi_message_processing_complete_new (JOB, 9, results);
  g_autofree char *failed = bi_message_processing_failed_new (JOB, 4, "ocr", "bad_image", "no");
  g_autoptr(BiServerMessage) p = NULL;
  g_autoptr(BiServerMessage) c = NULL;
  g_autoptr(BiServerMessage) f = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpstr (progress, ==,
                   "{\"type\":\"jobProgress\",\"jobId\":\"" JOB "\",\"seq\":3,"
                   "\"stage\":\"ocr\",\"state\":\"finished\"}");

  p = bi_server_message_parse (progress, strlen (progress), &error);
  g_assert_no_error (error);
  g_assert_cmpint (p->type, ==, BI_SERVER_MESSAGE_JOB_PROGRESS);
  g_assert_cmpint (p->seq, ==, 3);
  g_assert_cmpstr (p->stage, ==, "ocr");
  g_assert_true (p->finished);

  c = bi_server_message_parse (complete, strlen (complete), &error);
  g_assert_no_error (error);
  g_assert_cmpint (c->type, ==, BI_SERVER_MESSAGE_PROCESSING_COMPLETE);
  g_assert_cmpstr (c->job_id, ==, JOB);
  g_assert_true (json_node_equal (c->results, results));

  f = bi_server_message_parse (failed, strlen (failed), &error);
  g_assert_no_error (error);
  g_assert_cmpint (f->type, ==, BI_SERVER_MESSAGE_PROCESSING_FAILED);
  g_assert_cmpstr (f->stage, ==, "ocr");
  g_assert_cmpstr (f->error_code, ==, "bad_image");
  g_assert_cmpstr (f->error_message, ==, "no");
}

static void
test_server_message_errors (void)
{
  const char *bad[] = {
    "{}", "{\"type\":\"nope\"}", "{\"type\":\"jobProgress\",\"jobId\":\"" JOB "\"}",
    "{\"type\":\"jobProgress\",\"jobId\":\"" JOB "\",\"seq\":1,\"stage\":\"x\"}",
    "{\"type\":\"processingComplete\",\"jobId\":\"" JOB "\",\"seq\":1}",
    "{\"type\":\"processingFailed\",\"jobId\":\"" JOB "\",\"seq\":\"1\",\"error\":{}}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BiServerMessage) message = bi_server_message_parse (bad[i], strlen (bad[i]),
                                                                    &error);

      g_assert_null (message);
      g_assert_error (error, BI_PROTOCOL_ERROR, BI_PROTOCOL_ERROR_BAD_MESSAGE);
    }
}

static void
test_error_json (void)
{
  g_autofree char *json = bi_error_json_new ("bad_job_id", "Say \"what\"");

  g_assert_cmpstr (json, ==,
                   "{\"error\":{\"code\":\"bad_job_id\",\"message\":\"Say \\\"what\\\"\"}}");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/bookimg/protocol/client-actions-round-trip", test_client_actions_round_trip);
  g_test_add_func ("/bookimg/protocol/client-action-errors", test_client_action_errors);
  g_test_add_func ("/bookimg/protocol/pushes-round-trip", test_pushes_round_trip);
  g_test_add_func ("/bookimg/protocol/server-message-errors", test_server_message_errors);
  g_test_add_func ("/bookimg/protocol/error-json", test_error_json);
  return g_test_run ();
}
