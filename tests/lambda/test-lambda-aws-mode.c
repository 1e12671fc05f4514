/* test-lambda-aws-mode.c — AWS mode end to end on one machine: a shelf photo goes in through
 * the http-api's presigned URL and a real WebSocket client gets the books
 *
 * The test plays what AWS itself does between the functions, and nothing else: S3's event
 * notification (the stored object becomes an S3 event for upload-handler), the SQS event
 * source mappings (receive from each sqslite queue, invoke the stage's function with an SQS
 * event, delete what it did not list in batchItemFailures), SNS's Lambda subscription (each
 * captured Publish becomes an SNS event for sns-notifier) and API Gateway's WebSocket routes
 * (connection-manager events for the client's $connect and subscribe). The functions are the
 * real bookimg-lambda, one process per handler, with the environment functions.tf gives them;
 * Textract is an in-process stand-in answering DetectDocumentText with the documented JSON of
 * the lines drawn on the photo; the catalog is the starter catalog, bundled as
 * build-aux/package-lambda does; the embedded bookimg-server plays API Gateway's WebSocket
 * side (its /ws and @connections).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-lambda-aws-mode"

#include "bi-job-id.h"
#include "bi-lambda-test-functions.h"
#include "bi-lambda-test-shelf.h"

static BiLambdaTestWorld *world;

/* ---- API Gateway's routes, played ---------------------------------------------------------- */

/* The API Gateway proxy answer of @runtime to an HTTP API GET; asserts @status. */
static char *
http_get (BiLambdaTestFunctions *functions,
          const char            *path,
          const char            *query,
          gint64                 status)
{
  g_autofree char *event = bi_lambda_test_http_api_event ("GET", path, query, NULL);
  g_autoptr(BiLambdaTestOutcome) outcome = bi_lambda_test_runtime_invoke (functions->http_api,
                                                                          event, 10000);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *response;

  g_assert_false (outcome->failed);
  response = bi_lambda_test_parse_object (outcome->body, &root);
  g_assert_cmpint (json_object_get_int_member (response, "statusCode"), ==, status);
  return g_strdup (json_object_get_string_member (response, "body"));
}

/* API Gateway's WebSocket route @route_key for @connection_id, as connection-manager gets it;
 * asserts a 200 answer. */
static void
websocket_route (BiLambdaTestFunctions *functions,
                 const char            *route_key,
                 const char            *event_type,
                 const char            *connection_id,
                 const char            *body)
{
  g_autofree char *event = bi_lambda_test_websocket_event (route_key, event_type, connection_id,
                                                           NULL, body);
  g_autoptr(BiLambdaTestOutcome) outcome = bi_lambda_test_runtime_invoke (
                                             functions->connection_manager, event, 10000);
  g_autoptr(JsonNode) root = NULL;

  g_assert_false (outcome->failed);
  g_assert_cmpint (json_object_get_int_member (bi_lambda_test_parse_object (outcome->body,
                                                                            &root),
                                               "statusCode"), ==, 200);
}

/* ---- the test ------------------------------------------------------------------------------ */

static gboolean
is_about (const BiServerMessage *message,
          gpointer               job_id)
{
  return g_strcmp0 (message->job_id, job_id) == 0;
}

static void
test_shelf_photo (void)
{
  BiLambdaTestFunctions functions = { NULL, };
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(BiTestWebsocket) client = bi_test_websocket_connect (session, world->server);
  g_autofree char *probe_job = bi_job_id_new ();
  g_autofree char *job_id = bi_job_id_new ();
  g_autofree char *key = g_strconcat (job_id, "/shelf.png", NULL);
  g_autofree char *escaped_key = g_uri_escape_string (key, NULL, FALSE);
  g_autofree char *query = g_strconcat ("filename=", escaped_key, "&contentType=image%2Fpng",
                                        NULL);
  g_autofree char *subscribe = g_strdup_printf ("{\"action\":\"subscribe\",\"jobId\":\"%s\"}",
                                                job_id);
  g_autofree char *results_path = g_strconcat ("/results/", job_id, NULL);
  g_autofree char *upload_url = NULL;
  g_autofree char *stored_results = NULL;
  g_autofree char *pushed_titles = NULL;
  g_autofree char *stored_titles = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(BiTestResponse) put = NULL;
  g_autoptr(BiServerMessage) complete = NULL;
  g_autoptr(JsonNode) stored = NULL;
  g_autoptr(GError) error = NULL;
  gint64 last_seq = 0;
  guint progress = 0;
  const char *connection_id;
  gint64 started = g_get_monotonic_time ();

  bi_lambda_test_functions_start (&functions, world, NULL);

  /* The client's connection id, which API Gateway would put in its route events: the
   * embedded server tells it for a subscription of its own (to another job). */
  bi_test_websocket_subscribe (client, probe_job);
  ids = bi_test_server_subscribers (world->server, probe_job);
  g_assert_cmpuint (ids->len, ==, 1);
  connection_id = g_ptr_array_index (ids, 0);
  websocket_route (&functions, "$connect", "CONNECT", connection_id, NULL);
  websocket_route (&functions, "subscribe", "MESSAGE", connection_id, subscribe);

  /* The upload, as a browser does it: a presigned URL from the API, then a PUT to S3. */
  upload_url = http_get (&functions, "/upload-url", query, 200);
  put = bi_test_http (session, "PUT", upload_url, "image/png", bi_lambda_test_shelf_photo ());
  g_assert_cmpuint (put->status, ==, 200);
  bi_lambda_test_functions_notify_upload (&functions, key);

  bi_lambda_test_functions_run_pipeline (&functions);

  /* Progress came in order, then the result with the shelf's books, left to right. */
  while (TRUE)
    {
      g_autoptr(BiServerMessage) message = bi_test_websocket_wait_for (
        client, is_about, job_id, "the job's next message");

      g_assert_cmpint (message->seq, >, last_seq);
      last_seq = message->seq;
      if (message->type == BI_SERVER_MESSAGE_JOB_PROGRESS)
        {
          progress++;
          continue;
        }
      g_assert_cmpint (message->type, ==, BI_SERVER_MESSAGE_PROCESSING_COMPLETE);
      complete = g_steal_pointer (&message);
      break;
    }
  g_assert_cmpuint (progress, >=, 6);
  pushed_titles = bi_lambda_test_shelf_titles (complete->results);
  g_assert_cmpstr (pushed_titles, ==, BI_LAMBDA_TEST_SHELF_TITLES);

  /* The same results from the API, as a client that missed the push reads them. */
  stored_results = http_get (&functions, results_path, NULL, 200);
  stored = json_from_string (stored_results, &error);
  g_assert_no_error (error);
  stored_titles = bi_lambda_test_shelf_titles (stored);
  g_assert_cmpstr (stored_titles, ==, pushed_titles);

  g_test_message ("photo to books in %.1f s",
                  (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);
  bi_lambda_test_functions_stop (&functions);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  bi_lambda_test_shelf_photo ();

  g_test_add_func ("/bookimg/lambda/aws-mode/shelf-photo", test_shelf_photo);

  return bi_lambda_test_world_run (&world, bi_lambda_test_shelf_textract_cb, NULL);
}
