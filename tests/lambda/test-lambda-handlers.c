/* test-lambda-handlers.c — the real bookimg-lambda's handlers on events in AWS's documented
 * shapes (events/), against real emulators: s3rver (both buckets), sqslite (the stage queues),
 * dynalite (the connections table), the real bookimg-server's loopback @connections (API
 * Gateway's management API) with real WebSocket clients, and an in-process server playing
 * SNS Publish and Textract DetectDocumentText
 *
 * The emulators and servers are started once for the whole program; each test uses its own
 * job ids, so tests do not see each other's objects or rows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-lambda-handlers"

#include "bi-dynamodb-subscriptions.h"
#include "bi-job-id.h"
#include "bi-lambda-test-world.h"
#include "bi-s3-client.h"

#include <string.h>

#define UPLOADS BI_LAMBDA_TEST_UPLOADS
#define RESULTS BI_LAMBDA_TEST_RESULTS
#define TABLE   BI_LAMBDA_TEST_TABLE

static BiLambdaTestWorld *world;

/* ---- the played services ------------------------------------------------------------------- */

/* A PNG header of @width × 800: all Textract's stand-in and the OCR stage read of a photo. */
static GBytes *
png_photo (guint8 width_low)
{
  const guint8 header[] = {
    0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
    0, 0, 0x03, width_low, 0, 0, 0x03, 0x20, 8, 2, 0, 0, 0,
  };

  return g_bytes_new (header, sizeof header);
}

#define GOOD_PHOTO_WIDTH_LOW  0xe8 /* 1000 pixels: Textract reads it */
#define FAILING_PHOTO_WIDTH_LOW 0xe7 /* 999: Textract answers 500 every time */

/* Textract's stand-in; the world plays SNS. */
static BiAwsTestAnswer
textract_cb (const BiAwsTestRequest *request,
             guint                   index,
             gpointer                user_data)
{
  const char *target = g_hash_table_lookup (request->headers, "x-amz-target");
  g_autofree char *body = NULL;
  g_autoptr(JsonNode) root = NULL;
  const char *encoded;
  gsize size = 0;
  g_autofree guchar *photo = NULL;

  if (g_strcmp0 (target, "Textract.DetectDocumentText") != 0)
    return bi_aws_test_answer (400, "application/x-amz-json-1.1",
                               "{\"__type\":\"UnknownOperationException\"}");

  body = g_strndup (g_bytes_get_data (request->body, NULL), g_bytes_get_size (request->body));
  root = json_from_string (body, NULL);
  encoded = json_object_get_string_member (
    json_object_get_object_member (json_node_get_object (root), "Document"), "Bytes");
  photo = g_base64_decode (encoded, &size);
  if (size > 19 && photo[19] == FAILING_PHOTO_WIDTH_LOW)
    return bi_aws_test_answer (500, "application/x-amz-json-1.1",
                               "{\"__type\":\"InternalServerError\"}");
  return bi_aws_test_answer (200, "application/x-amz-json-1.1",
    "{\"DocumentMetadata\":{\"Pages\":1},\"Blocks\":["
    "{\"BlockType\":\"LINE\",\"Id\":\"l1\",\"Confidence\":99.5,\"Text\":\"DUNE\","
    "\"Geometry\":{\"BoundingBox\":{\"Width\":0.04,\"Height\":0.5,\"Left\":0.6,"
    "\"Top\":0.25},\"Polygon\":[{\"X\":0.6,\"Y\":0.75},{\"X\":0.6,\"Y\":0.25},"
    "{\"X\":0.64,\"Y\":0.25},{\"X\":0.64,\"Y\":0.75}]}}]}");
}

static BiLambdaTestRuntime *
start_function (const char *handler,
                const char *access_token)
{
  g_autofree char *token = g_strconcat ("BOOKIMG_ACCESS_TOKEN=",
                                        access_token != NULL ? access_token : "", NULL);
  const char *extra[] = { token, NULL };

  return bi_lambda_test_world_function (world, handler, extra);
}

static void
put_object (const char *bucket,
            const char *key,
            GBytes     *data)
{
  bi_lambda_test_world_put_object (world, bucket, key, data, "image/png");
}

static char *
receive_one (BiLambdaTestQueue queue)
{
  return bi_aws_test_sqs_receive_body (world->sqs_client, world->queue_urls[queue]);
}

/* ---- upload-handler ------------------------------------------------------------------------ */

/* S3 encodes the key of its event: a space is "+", everything else reserved is %XX. */
static void
test_upload_handler_key (void)
{
  g_autoptr(BiLambdaTestRuntime) runtime = start_function ("upload-handler", NULL);
  g_autofree char *job_id = bi_job_id_new ();
  g_autofree char *key = g_strconcat (job_id, "/my shelf+1 100%.png", NULL);
  g_autofree char *event_key = g_strconcat (job_id, "/my+shelf%2B1+100%25.png", NULL);
  g_autoptr(GBytes) photo = png_photo (GOOD_PHOTO_WIDTH_LOW);
  g_autofree char *size = g_strdup_printf ("%" G_GSIZE_FORMAT, g_bytes_get_size (photo));
  const char *subs[] = { "BUCKET", UPLOADS, "KEY", event_key, "SIZE", size, NULL };
  g_autofree char *event = bi_lambda_test_event ("s3-put.json", subs);
  g_autoptr(BiLambdaTestOutcome) outcome = NULL;
  g_autofree char *queued = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) published = NULL;

  put_object (UPLOADS, key, photo);
  outcome = bi_lambda_test_runtime_invoke (runtime, event, 10000);
  g_assert_false (outcome->failed);

  queued = receive_one (BI_LAMBDA_TEST_QUEUE_OCR);
  g_assert_nonnull (queued);
  g_assert_cmpstr (json_object_get_string_member (bi_lambda_test_parse_object (queued, &root), "key"), ==,
                   key);

  /* Progress: uploaded started (1) and finished (2), through the topic. */
  published = bi_lambda_test_world_published_about (world, job_id);
  g_assert_cmpuint (bi_lambda_test_count_containing (published, "\"type\":\"jobProgress\""), ==, 2);
  g_assert_cmpuint (bi_lambda_test_count_containing (published, "\"seq\":1,"), ==, 1);
  g_assert_cmpuint (bi_lambda_test_count_containing (published, "\"seq\":2,"), ==, 1);
}

/* ---- an SQS batch -------------------------------------------------------------------------- */

static char *
ocr_message (const char *job_id,
             const char *key,
             gsize       size)
{
  return g_strdup_printf ("{\"jobId\":\"%s\",\"key\":\"%s\",\"bucket\":\"uploads\","
                          "\"size\":%" G_GSIZE_FORMAT "}", job_id, key, size);
}

/* Three messages: one read, one Textract keeps failing (transient: only it is listed for
 * retry), one that is not a photo (permanent: processingFailed published once, not listed). */
static void
test_sqs_batch_poisoned (void)
{
  g_autoptr(BiLambdaTestRuntime) runtime = start_function ("textract-processor", NULL);
  g_autofree char *good_job = bi_job_id_new ();
  g_autofree char *failing_job = bi_job_id_new ();
  g_autofree char *poisoned_job = bi_job_id_new ();
  g_autofree char *good_key = g_strconcat (good_job, "/shelf.png", NULL);
  g_autofree char *failing_key = g_strconcat (failing_job, "/shelf.png", NULL);
  g_autofree char *poisoned_key = g_strconcat (poisoned_job, "/notes.png", NULL);
  g_autoptr(GBytes) good = png_photo (GOOD_PHOTO_WIDTH_LOW);
  g_autoptr(GBytes) failing = png_photo (FAILING_PHOTO_WIDTH_LOW);
  g_autoptr(GBytes) poisoned = g_bytes_new_static ("GIF89a, not what Textract reads", 31);
  g_autofree char *body1 = ocr_message (good_job, good_key, g_bytes_get_size (good));
  g_autofree char *body2 = ocr_message (failing_job, failing_key, g_bytes_get_size (failing));
  g_autofree char *body3 = ocr_message (poisoned_job, poisoned_key, g_bytes_get_size (poisoned));
  g_autofree char *b1 = bi_lambda_test_json_string_inside (body1);
  g_autofree char *b2 = bi_lambda_test_json_string_inside (body2);
  g_autofree char *b3 = bi_lambda_test_json_string_inside (body3);
  const char *subs[] = { "QUEUE", "ocr", "BODY1", b1, "BODY2", b2, "BODY3", b3, NULL };
  g_autofree char *event = bi_lambda_test_event ("sqs-three-messages.json", subs);
  g_autoptr(BiLambdaTestOutcome) outcome = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) next_root = NULL;
  g_autoptr(GPtrArray) failed_published = NULL;
  g_autoptr(GPtrArray) good_published = NULL;
  g_autoptr(GPtrArray) failing_published = NULL;
  g_autofree char *next = NULL;
  JsonArray *failures;

  put_object (UPLOADS, good_key, good);
  put_object (UPLOADS, failing_key, failing);
  put_object (UPLOADS, poisoned_key, poisoned);

  outcome = bi_lambda_test_runtime_invoke (runtime, event, 30000);
  g_assert_false (outcome->failed);
  failures = json_object_get_array_member (bi_lambda_test_parse_object (outcome->body, &root),
                                           "batchItemFailures");
  g_assert_cmpuint (json_array_get_length (failures), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (failures, 0),
                                                  "itemIdentifier"), ==,
                   "2e1424d4-f796-459a-8184-9c92662be6da");

  /* The good photo's lines went on to the candidates stage. */
  next = receive_one (BI_LAMBDA_TEST_QUEUE_CANDIDATES);
  g_assert_nonnull (next);
  g_assert_cmpstr (json_object_get_string_member (bi_lambda_test_parse_object (next, &next_root), "jobId"), ==,
                   good_job);
  good_published = bi_lambda_test_world_published_about (world, good_job);
  g_assert_cmpuint (bi_lambda_test_count_containing (good_published, "\"seq\":3,"), ==, 1);
  g_assert_cmpuint (bi_lambda_test_count_containing (good_published, "\"seq\":4,"), ==, 1);

  /* The poisoned one ended its job once, naming the stage (as its "started" did). */
  failed_published = bi_lambda_test_world_published_about (world, poisoned_job);
  g_assert_cmpuint (bi_lambda_test_count_containing (failed_published, "\"status\":\"failed\""), ==, 1);
  g_assert_cmpuint (bi_lambda_test_count_containing (failed_published, "\"stage\":\"ocr\""), ==, 2);
  g_assert_cmpuint (bi_lambda_test_count_containing (failed_published, "\"type\":\"jobProgress\""), ==, 1);
  failing_published = bi_lambda_test_world_published_about (world, failing_job);
  g_assert_cmpuint (failing_published->len, ==, 1); /* only "started": it is retried */
}

/* ---- sns-notifier -------------------------------------------------------------------------- */

static gint64 moved_clock_ms;

static gint64
moved_clock (gpointer user_data)
{
  return moved_clock_ms;
}

static char *
sns_event (const char *message)
{
  g_autofree char *inside = bi_lambda_test_json_string_inside (message);
  const char *subs[] = { "MESSAGE", inside, NULL };

  return bi_lambda_test_event ("sns-notification.json", subs);
}

/* Progress and the final result reach the live subscriber through @connections; a connection
 * that is gone (410) loses its row; an expired row is not used (nor deleted). */
static void
test_sns_notifier (void)
{
  g_autoptr(BiLambdaTestRuntime) runtime = start_function ("sns-notifier", NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(BiTestWebsocket) client = bi_test_websocket_connect (session, world->server);
  g_autofree char *job_id = bi_job_id_new ();
  g_autoptr(BiDynamodbSubscriptions) rows = bi_dynamodb_subscriptions_new (world->dynamodb_client,
                                                                           TABLE, 3600 * 1000);
  g_autoptr(BiDynamodbSubscriptions) expired_rows = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GPtrArray) left = NULL;
  g_autofree char *progress = bi_message_job_progress_new (job_id, 5, BI_STAGE_CANDIDATES, FALSE);
  g_autofree char *complete = bi_test_complete_message_new (job_id, "Dune", 0);
  g_autofree char *progress_event = sns_event (progress);
  g_autofree char *complete_event = sns_event (complete);
  g_autoptr(BiLambdaTestOutcome) first = NULL;
  g_autoptr(BiLambdaTestOutcome) second = NULL;
  g_autoptr(BiServerMessage) pushed_progress = NULL;
  g_autoptr(BiServerMessage) pushed_result = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  const char *live_id;

  /* The embedded server knows the client's id once it subscribed there. Its ids are 16
   * characters of [A-Za-z0-9_-]; the other two name no open connection (410). */
  bi_test_websocket_subscribe (client, job_id);
  ids = bi_test_server_subscribers (world->server, job_id);
  live_id = g_ptr_array_index (ids, 0);

  bi_dynamodb_subscriptions_put (rows, job_id, live_id, &error);
  g_assert_no_error (error);
  bi_dynamodb_subscriptions_put (rows, job_id, "GoneConnectionId", &error);
  g_assert_no_error (error);
  /* A row written two hours ago with a one-hour TTL: DynamoDB may not have removed it yet. */
  expired_rows = bi_dynamodb_subscriptions_new (world->dynamodb_client, TABLE, 3600 * 1000);
  moved_clock_ms = g_get_real_time () / 1000 - 2 * 3600 * 1000;
  bi_dynamodb_subscriptions_set_clock (expired_rows, moved_clock, NULL);
  bi_dynamodb_subscriptions_put (expired_rows, job_id, "ExpiredConnectio", &error);
  g_assert_no_error (error);

  first = bi_lambda_test_runtime_invoke (runtime, progress_event, 10000);
  g_assert_false (first->failed);
  g_assert_cmpint (json_object_get_int_member (bi_lambda_test_parse_object (first->body, &root), "pushed"), ==,
                   1);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (root), "gone"), ==, 1);
  pushed_progress = bi_test_websocket_wait_for_type (client, BI_SERVER_MESSAGE_JOB_PROGRESS,
                                                     job_id);
  g_assert_cmpint (pushed_progress->seq, ==, 5);

  second = bi_lambda_test_runtime_invoke (runtime, complete_event, 10000);
  g_assert_false (second->failed);
  pushed_result = bi_test_websocket_wait_for_type (client,
                                                   BI_SERVER_MESSAGE_PROCESSING_COMPLETE,
                                                   job_id);
  g_assert_cmpint (pushed_result->seq, ==, 9);

  /* The gone row is deleted; the expired one was never posted to, so it is still there
   * (its TTL removes it); the live one stays. */
  bi_dynamodb_subscriptions_set_clock (expired_rows, moved_clock, NULL);
  left = bi_dynamodb_subscriptions_list_by_job (expired_rows, job_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (left->len, ==, 2);
  g_assert_true (g_ptr_array_find_with_equal_func (left, "ExpiredConnectio", g_str_equal,
                                                   NULL));
  g_assert_false (g_ptr_array_find_with_equal_func (left, "GoneConnectionId", g_str_equal,
                                                    NULL));
}

/* ---- connection-manager -------------------------------------------------------------------- */

static BiLambdaTestOutcome *
route (BiLambdaTestRuntime *runtime,
       const char          *route_key,
       const char          *connection_id,
       const char          *query,
       const char          *body)
{
  g_autofree char *body_json = NULL;
  const char *event_type = g_str_equal (route_key, "$connect") ? "CONNECT"
                           : g_str_equal (route_key, "$disconnect") ? "DISCONNECT" : "MESSAGE";
  g_autofree char *event = NULL;

  if (body != NULL)
    {
      g_autofree char *inside = bi_lambda_test_json_string_inside (body);

      body_json = g_strdup_printf ("\"%s\"", inside);
    }
  {
    const char *subs[] = { "ROUTE", route_key, "EVENT_TYPE", event_type, "CONNECTION",
                           connection_id, "QUERY", query != NULL ? query : "null", "BODY",
                           body_json != NULL ? body_json : "null", NULL };

    event = bi_lambda_test_event ("websocket-route.json", subs);
  }
  return bi_lambda_test_runtime_invoke (runtime, event, 10000);
}

/* The frame of a route response {"statusCode":200,"body":"<frame>"}; NULL without a body. */
static BiServerMessage *
route_frame (BiLambdaTestOutcome *outcome,
             gint64              *status)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *response;
  const char *body;

  g_assert_false (outcome->failed);
  response = bi_lambda_test_parse_object (outcome->body, &root);
  *status = json_object_get_int_member (response, "statusCode");
  body = json_object_get_string_member_with_default (response, "body", NULL);
  return body != NULL ? bi_server_message_parse (body, strlen (body), NULL) : NULL;
}

static void
test_connection_manager (void)
{
  g_autoptr(BiLambdaTestRuntime) runtime = start_function ("connection-manager", "s3cret");
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(BiTestWebsocket) client = bi_test_websocket_connect (session, world->server);
  g_autofree char *job_id = bi_job_id_new ();
  g_autofree char *finished_job = bi_job_id_new ();
  g_autofree char *subscribe = g_strdup_printf ("{\"action\":\"subscribe\",\"jobId\":\"%s\"}",
                                                job_id);
  g_autofree char *late = g_strdup_printf ("{\"action\":\"subscribe\",\"jobId\":\"%s\"}",
                                           finished_job);
  g_autofree char *unsubscribe = g_strdup_printf ("{\"action\":\"unsubscribe\","
                                                  "\"jobId\":\"%s\"}", job_id);
  g_autofree char *stored = bi_test_complete_message_new (finished_job, "Dune", 0);
  g_autofree char *stored_key = g_strconcat (finished_job, "/final-results.json", NULL);
  g_autoptr(GBytes) stored_bytes = g_bytes_new (stored, strlen (stored));
  g_autoptr(BiDynamodbSubscriptions) rows = bi_dynamodb_subscriptions_new (world->dynamodb_client,
                                                                           TABLE, 3600 * 1000);
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GPtrArray) after = NULL;
  g_autoptr(GError) error = NULL;
  const char *connection_id;
  gint64 status = 0;

  /* The API Gateway connection id is the embedded server's, so @connections reaches the
   * real client for the late subscriber's push. */
  bi_test_websocket_subscribe (client, job_id);
  ids = bi_test_server_subscribers (world->server, job_id);
  connection_id = g_ptr_array_index (ids, 0);
  bi_s3_put_object (world->s3_client, RESULTS, stored_key, stored_bytes, "application/json",
                    &error);
  g_assert_no_error (error);

  {
    g_autoptr(BiLambdaTestOutcome) refused = route (runtime, "$connect", connection_id,
                                                    "{\"token\":\"wrong\"}", NULL);
    g_autoptr(BiLambdaTestOutcome) missing = route (runtime, "$connect", connection_id, NULL,
                                                    NULL);
    g_autoptr(BiLambdaTestOutcome) accepted = route (runtime, "$connect", connection_id,
                                                     "{\"token\":\"s3cret\"}", NULL);
    g_autoptr(BiServerMessage) none = NULL;

    none = route_frame (refused, &status);
    g_assert_cmpint (status, ==, 401);
    g_clear_pointer (&none, bi_server_message_free);
    none = route_frame (missing, &status);
    g_assert_cmpint (status, ==, 401);
    g_clear_pointer (&none, bi_server_message_free);
    none = route_frame (accepted, &status);
    g_assert_cmpint (status, ==, 200);
  }

  {
    g_autoptr(BiLambdaTestOutcome) ping = route (runtime, "ping", connection_id, NULL,
                                                 "{\"action\":\"ping\"}");
    g_autoptr(BiLambdaTestOutcome) nonsense = route (runtime, "$default", connection_id, NULL,
                                                     "{\"action\":\"dance\"}");
    g_autoptr(BiServerMessage) pong = route_frame (ping, &status);
    g_autoptr(BiServerMessage) refusal = route_frame (nonsense, &status);

    g_assert_cmpint (pong->type, ==, BI_SERVER_MESSAGE_PONG);
    g_assert_cmpint (refusal->type, ==, BI_SERVER_MESSAGE_ERROR);
    g_assert_cmpstr (refusal->error_code, ==, "unknown_action");
  }

  {
    g_autoptr(BiLambdaTestOutcome) subscribed = route (runtime, "subscribe", connection_id, NULL,
                                                       subscribe);
    g_autoptr(BiLambdaTestOutcome) late_subscribed = route (runtime, "subscribe", connection_id,
                                                            NULL, late);
    g_autoptr(BiServerMessage) frame = route_frame (subscribed, &status);
    g_autoptr(BiServerMessage) late_frame = route_frame (late_subscribed, &status);
    g_autoptr(BiServerMessage) result = NULL;

    g_assert_cmpint (frame->type, ==, BI_SERVER_MESSAGE_SUBSCRIBED);
    g_assert_cmpstr (frame->job_id, ==, job_id);
    g_assert_cmpint (late_frame->type, ==, BI_SERVER_MESSAGE_SUBSCRIBED);
    /* The finished job's result was pushed at once through @connections. */
    result = bi_test_websocket_wait_for_type (client, BI_SERVER_MESSAGE_PROCESSING_COMPLETE,
                                              finished_job);
    g_assert_cmpint (result->seq, ==, 9);
  }

  {
    g_autoptr(BiLambdaTestOutcome) unsubscribed = route (runtime, "unsubscribe", connection_id,
                                                         NULL, unsubscribe);
    g_autoptr(BiServerMessage) frame = route_frame (unsubscribed, &status);
    g_autoptr(GPtrArray) rows_left = bi_dynamodb_subscriptions_list_by_job (rows, job_id,
                                                                            &error);

    g_assert_no_error (error);
    g_assert_cmpint (frame->type, ==, BI_SERVER_MESSAGE_UNSUBSCRIBED);
    g_assert_cmpuint (rows_left->len, ==, 0);
  }

  {
    g_autoptr(BiLambdaTestOutcome) again = route (runtime, "subscribe", connection_id, NULL,
                                                  subscribe);
    g_autoptr(BiLambdaTestOutcome) gone = route (runtime, "$disconnect", connection_id, NULL,
                                                 NULL);
    g_autoptr(BiServerMessage) frame = route_frame (again, &status);
    g_autoptr(BiServerMessage) none = route_frame (gone, &status);

    g_assert_cmpint (status, ==, 200);
    after = bi_dynamodb_subscriptions_list_by_job (rows, job_id, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (after->len, ==, 0);
    g_clear_pointer (&after, g_ptr_array_unref);
    after = bi_dynamodb_subscriptions_list_by_job (rows, finished_job, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (after->len, ==, 0);
  }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bookimg/lambda/handlers/upload-handler-key", test_upload_handler_key);
  g_test_add_func ("/bookimg/lambda/handlers/sqs-batch-poisoned", test_sqs_batch_poisoned);
  g_test_add_func ("/bookimg/lambda/handlers/sns-notifier", test_sns_notifier);
  g_test_add_func ("/bookimg/lambda/handlers/connection-manager", test_connection_manager);

  return bi_lambda_test_world_run (&world, textract_cb, NULL);
}
