/* bi-lambda-test-world.c — emulators, the embedded server and played services for the Lambda
 * tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-lambda-test-world"

#include "bi-lambda-test-world.h"

#include "bi-dynamodb-client.h"
#include "bi-dynamodb-subscriptions.h"
#include "bi-s3-client.h"
#include "bi-sqlite-catalog.h"
#include "bi-sqs-client.h"
#include "bi-test-store-utils.h"

#include <string.h>

static BiAwsTestAnswer
played_cb (const BiAwsTestRequest *request,
           guint                   index,
           gpointer                user_data)
{
  BiLambdaTestWorld *world = user_data;
  g_autofree char *action = bi_aws_test_form_field (request->body, "Action");

  if (g_strcmp0 (action, "Publish") == 0)
    {
      g_autofree char *answer = g_strdup_printf (
        "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult>"
        "<MessageId>00000000-0000-0000-0000-%012u</MessageId></PublishResult>"
        "<ResponseMetadata><RequestId>r-%u</RequestId></ResponseMetadata></PublishResponse>",
        index, index);

      return bi_aws_test_answer (200, "text/xml", answer);
    }
  if (world->handler != NULL)
    return world->handler (request, index, world->handler_data);
  return bi_aws_test_answer (400, "text/xml", "<ErrorResponse><Error><Code>InvalidAction"
                                               "</Code></Error></ErrorResponse>");
}

static void
fill_catalog (BiLambdaTestWorld *world)
{
  const char *starter = g_getenv ("BOOKIMG_STARTER_CATALOG");
  g_autoptr(GError) error = NULL;
  BiSqliteCatalog *catalog = bi_sqlite_catalog_open (world->catalog, &error);

  g_assert_no_error (error);
  g_assert_nonnull (starter);
  bi_sqlite_catalog_import_file (catalog, starter, NULL, &error);
  g_assert_no_error (error);
  bi_sqlite_catalog_free (catalog);
}

BiLambdaTestWorld *
bi_lambda_test_world_start (BiAwsTestHandler  handler,
                            gpointer          handler_data)
{
  BiLambdaTestWorld *world = g_new0 (BiLambdaTestWorld, 1);
  const char *buckets[] = { BI_LAMBDA_TEST_UPLOADS, BI_LAMBDA_TEST_RESULTS, NULL };
  const char *queues[] = { "bookimg-ocr", "bookimg-candidates", "bookimg-validation" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) sqs_uri = NULL;
  g_autoptr(JsonNode) create = bi_dynamodb_subscriptions_create_table_request (
                                 BI_LAMBDA_TEST_TABLE);

  world->handler = handler;
  world->handler_data = handler_data;
  world->s3 = bi_aws_test_emulator_start ("s3rver", buckets);
  world->sqs = bi_aws_test_emulator_start ("sqslite", NULL);
  world->dynamodb = bi_aws_test_emulator_start ("dynalite", NULL);
  world->played = bi_aws_test_server_new (played_cb, world);
  world->server = bi_test_server_new (NULL);

  /* sqslite recognises only queue URLs of localhost (still its loopback port). */
  sqs_uri = g_uri_parse (bi_aws_test_emulator_get_url (world->sqs), G_URI_FLAGS_NONE, NULL);
  world->sqs_endpoint = g_strdup_printf ("http://localhost:%d", g_uri_get_port (sqs_uri));
  world->s3_client = bi_aws_test_client_new (BI_AWS_SERVICE_S3,
                                             bi_aws_test_emulator_get_url (world->s3), NULL);
  world->sqs_client = bi_aws_test_client_new (BI_AWS_SERVICE_SQS, world->sqs_endpoint, NULL);
  world->dynamodb_client = bi_aws_test_client_new (BI_AWS_SERVICE_DYNAMODB,
                                                   bi_aws_test_emulator_get_url (world->dynamodb),
                                                   NULL);
  for (guint i = 0; i < G_N_ELEMENTS (queues); i++)
    {
      world->queue_urls[i] = bi_sqs_create_queue (world->sqs_client, queues[i], &error);
      g_assert_no_error (error);
    }
  bi_aws_test_dynamodb_create_table (world->dynamodb_client, create);

  world->dir = g_dir_make_tmp ("bookimg-lambda-world-XXXXXX", &error);
  g_assert_no_error (error);
  world->catalog = g_build_filename (world->dir, "catalog.sqlite", NULL);
  fill_catalog (world);
  return world;
}

void
bi_lambda_test_world_stop (BiLambdaTestWorld *world)
{
  g_clear_pointer (&world->server, bi_test_server_free);
  g_clear_pointer (&world->played, bi_aws_test_server_free);
  g_clear_pointer (&world->s3_client, bi_aws_client_free);
  g_clear_pointer (&world->sqs_client, bi_aws_client_free);
  g_clear_pointer (&world->dynamodb_client, bi_aws_client_free);
  g_clear_pointer (&world->s3, bi_aws_test_emulator_free);
  g_clear_pointer (&world->sqs, bi_aws_test_emulator_free);
  g_clear_pointer (&world->dynamodb, bi_aws_test_emulator_free);
  for (guint i = 0; i < G_N_ELEMENTS (world->queue_urls); i++)
    g_clear_pointer (&world->queue_urls[i], g_free);
  g_clear_pointer (&world->sqs_endpoint, g_free);
  bi_test_temp_dir_remove (world->dir); /* the catalog and SQLite's files beside it */
  g_free (world->catalog);
  g_free (world->dir);
  g_free (world);
}

int
bi_lambda_test_world_run (BiLambdaTestWorld **world,
                          BiAwsTestHandler    handler,
                          gpointer            handler_data)
{
  int status;

  *world = bi_lambda_test_world_start (handler, handler_data);
  status = g_test_run ();
  g_clear_pointer (world, bi_lambda_test_world_stop);
  return status;
}

/* s3rver checks the key id only; the other emulators none. */
GStrv
bi_lambda_test_world_env (BiLambdaTestWorld  *world,
                          const char * const *extra)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const char *played = bi_aws_test_server_get_url (world->played);
  g_autofree char *s3 = g_strconcat ("BOOKIMG_AWS_ENDPOINT_S3=",
                                     bi_aws_test_emulator_get_url (world->s3), NULL);
  g_autofree char *sqs = g_strconcat ("BOOKIMG_AWS_ENDPOINT_SQS=", world->sqs_endpoint, NULL);
  g_autofree char *dynamodb = g_strconcat ("BOOKIMG_AWS_ENDPOINT_DYNAMODB=",
                                           bi_aws_test_emulator_get_url (world->dynamodb), NULL);
  g_autofree char *sns = g_strconcat ("BOOKIMG_AWS_ENDPOINT_SNS=", played, NULL);
  g_autofree char *textract = g_strconcat ("BOOKIMG_AWS_ENDPOINT_TEXTRACT=", played, NULL);
  g_autofree char *bedrock = g_strconcat ("BOOKIMG_AWS_ENDPOINT_BEDROCK=", played, NULL);
  g_autofree char *websocket = g_strconcat ("BOOKIMG_WEBSOCKET_ENDPOINT=",
                                            bi_test_server_get_url (world->server), NULL);
  g_autofree char *ocr = g_strconcat ("BOOKIMG_QUEUE_URL_OCR=",
                                      world->queue_urls[BI_LAMBDA_TEST_QUEUE_OCR], NULL);
  g_autofree char *candidates = g_strconcat ("BOOKIMG_QUEUE_URL_CANDIDATES=",
                                             world->queue_urls[BI_LAMBDA_TEST_QUEUE_CANDIDATES],
                                             NULL);
  g_autofree char *validation = g_strconcat ("BOOKIMG_QUEUE_URL_VALIDATION=",
                                             world->queue_urls[BI_LAMBDA_TEST_QUEUE_VALIDATION],
                                             NULL);
  g_autofree char *catalog = g_strconcat ("BOOKIMG_CATALOG_DATABASE=", world->catalog, NULL);

  g_strv_builder_add_many (builder,
    "AWS_REGION=eu-west-1", "AWS_ACCESS_KEY_ID=S3RVER", "AWS_SECRET_ACCESS_KEY=S3RVER",
    "AWS_SESSION_TOKEN=session", "BOOKIMG_UPLOADS_BUCKET=" BI_LAMBDA_TEST_UPLOADS,
    "BOOKIMG_RESULTS_BUCKET=" BI_LAMBDA_TEST_RESULTS, "BOOKIMG_TOPIC_ARN=" BI_LAMBDA_TEST_TOPIC,
    "BOOKIMG_CONNECTIONS_TABLE=" BI_LAMBDA_TEST_TABLE,
    "BOOKIMG_CONNECTIONS_INDEX=connectionId-index", "BOOKIMG_BEDROCK_MODEL_ID=",
    "BOOKIMG_ACCESS_TOKEN=", "BOOKIMG_SUBSCRIPTION_TTL_SECONDS=3600",
    "BOOKIMG_MAX_RECEIVE_COUNT=5",
    s3, sqs, dynamodb, sns, textract, bedrock, websocket, ocr, candidates, validation, catalog,
    NULL);
  /* Later entries win: the runtime sets them in order. */
  if (extra != NULL)
    g_strv_builder_addv (builder, (const char **) extra);
  return g_strv_builder_end (builder);
}

BiLambdaTestRuntime *
bi_lambda_test_world_function (BiLambdaTestWorld  *world,
                               const char         *handler,
                               const char * const *extra)
{
  g_auto(GStrv) env = bi_lambda_test_world_env (world, extra);

  return bi_lambda_test_runtime_new (handler, (const char * const *) env);
}

void
bi_lambda_test_world_put_object (BiLambdaTestWorld *world,
                                 const char        *bucket,
                                 const char        *key,
                                 GBytes            *data,
                                 const char        *content_type)
{
  g_autoptr(GError) error = NULL;

  bi_s3_put_object (world->s3_client, bucket, key, data, content_type, &error);
  g_assert_no_error (error);
}

GStrv
bi_lambda_test_world_published (BiLambdaTestWorld *world,
                                guint              from,
                                guint             *next)
{
  GPtrArray *requests = bi_aws_test_server_requests (world->played);
  g_autoptr(GStrvBuilder) messages = g_strv_builder_new ();
  guint i;

  for (i = from; i < requests->len; i++)
    {
      BiAwsTestRequest *request = g_ptr_array_index (requests, i);
      g_autofree char *action = bi_aws_test_form_field (request->body, "Action");
      g_autofree char *message = NULL;

      if (g_strcmp0 (action, "Publish") != 0)
        continue;
      message = bi_aws_test_form_field (request->body, "Message");
      g_assert_nonnull (message);
      g_strv_builder_add (messages, message);
    }
  if (next != NULL)
    *next = i;
  return g_strv_builder_end (messages);
}

GPtrArray *
bi_lambda_test_world_published_about (BiLambdaTestWorld *world,
                                      const char        *job_id)
{
  g_auto(GStrv) all = bi_lambda_test_world_published (world, 0, NULL);
  GPtrArray *messages = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; all[i] != NULL; i++)
    if (strstr (all[i], job_id) != NULL)
      g_ptr_array_add (messages, g_strdup (all[i]));
  return messages;
}

static const char * const queue_names[] = { "ocr", "candidates", "validation" };

char *
bi_lambda_test_sqs_event (BiLambdaTestQueue  queue,
                          GPtrArray         *messages)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *arn = g_strconcat ("arn:aws:sqs:eu-west-1:123456789012:bookimg-",
                                      queue_names[queue], NULL);
  g_autofree char *now = g_strdup_printf ("%" G_GINT64_FORMAT, g_get_real_time () / 1000);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "Records");
  json_builder_begin_array (builder);
  for (guint i = 0; i < messages->len; i++)
    {
      BiAwsTestSqsMessage *message = g_ptr_array_index (messages, i);
      g_autofree char *md5 = g_compute_checksum_for_string (G_CHECKSUM_MD5, message->body, -1);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "messageId");
      json_builder_add_string_value (builder, message->message_id);
      json_builder_set_member_name (builder, "receiptHandle");
      json_builder_add_string_value (builder, message->receipt_handle);
      json_builder_set_member_name (builder, "body");
      json_builder_add_string_value (builder, message->body);
      json_builder_set_member_name (builder, "attributes");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "ApproximateReceiveCount");
      json_builder_add_string_value (builder, message->receive_count != NULL
                                              ? message->receive_count : "1");
      json_builder_set_member_name (builder, "SentTimestamp");
      json_builder_add_string_value (builder, now);
      json_builder_set_member_name (builder, "SenderId");
      json_builder_add_string_value (builder, "AIDAIENQZJOLO23YVJ4VO");
      json_builder_set_member_name (builder, "ApproximateFirstReceiveTimestamp");
      json_builder_add_string_value (builder, now);
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "messageAttributes");
      json_builder_begin_object (builder);
      json_builder_end_object (builder);
      json_builder_set_member_name (builder, "md5OfBody");
      json_builder_add_string_value (builder, md5);
      json_builder_set_member_name (builder, "eventSource");
      json_builder_add_string_value (builder, "aws:sqs");
      json_builder_set_member_name (builder, "eventSourceARN");
      json_builder_add_string_value (builder, arn);
      json_builder_set_member_name (builder, "awsRegion");
      json_builder_add_string_value (builder, "eu-west-1");
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/* Whether @outcome's batchItemFailures lists @message_id. */
static gboolean
listed_as_failed (JsonObject *response,
                  const char *message_id)
{
  JsonArray *failures = json_object_has_member (response, "batchItemFailures")
                        ? json_object_get_array_member (response, "batchItemFailures") : NULL;

  for (guint i = 0; failures != NULL && i < json_array_get_length (failures); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (failures, i),
                                                  "itemIdentifier"), message_id) == 0)
      return TRUE;
  return FALSE;
}

guint
bi_lambda_test_world_deliver (BiLambdaTestWorld   *world,
                              BiLambdaTestQueue    queue,
                              BiLambdaTestRuntime *runtime)
{
  const char *url = world->queue_urls[queue];
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (
                                    (GDestroyNotify) bi_aws_test_sqs_message_free);
  g_autofree char *event = NULL;
  g_autoptr(BiLambdaTestOutcome) outcome = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *response;
  BiAwsTestSqsMessage *message;

  /* The batch size of backend/terraform/functions.tf's mappings is at most 10. */
  while (messages->len < 10 && (message = bi_aws_test_sqs_receive (world->sqs_client, url)))
    g_ptr_array_add (messages, message);
  if (messages->len == 0)
    return 0;

  event = bi_lambda_test_sqs_event (queue, messages);
  outcome = bi_lambda_test_runtime_invoke (runtime, event, 60000);
  g_assert_false (outcome->failed);
  response = bi_lambda_test_parse_object (outcome->body, &root);
  for (guint i = 0; i < messages->len; i++)
    {
      message = g_ptr_array_index (messages, i);
      if (!listed_as_failed (response, message->message_id))
        bi_aws_test_sqs_delete (world->sqs_client, url, message->receipt_handle);
    }
  return messages->len;
}

char *
bi_lambda_test_http_api_event (const char         *method,
                               const char         *path,
                               const char         *raw_query,
                               const char * const *headers)
{
  const char *subs[] = { "METHOD", method, "PATH", path, "QUERY",
                         raw_query != NULL ? raw_query : "", "PARAMS", "null", NULL };
  g_autofree char *fixture = bi_lambda_test_event ("http-api-get.json", subs);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *event = bi_lambda_test_parse_object (fixture, &root);
  JsonObject *header_object = json_object_get_object_member (event, "headers");

  for (guint i = 0; headers != NULL && headers[i] != NULL && headers[i + 1] != NULL; i += 2)
    json_object_set_string_member (header_object, headers[i], headers[i + 1]);

  /* API Gateway decodes the parameters, joins repeated ones with commas and leaves the
   * member out when there is no query. */
  json_object_remove_member (event, "queryStringParameters");
  if (raw_query != NULL && raw_query[0] != '\0')
    {
      g_autoptr(GHashTable) params = g_uri_parse_params (raw_query, -1, "&",
                                                         G_URI_PARAMS_WWW_FORM, NULL);
      JsonObject *object = json_object_new ();
      GHashTableIter iter;
      gpointer name, value;

      g_assert_nonnull (params);
      g_hash_table_iter_init (&iter, params);
      while (g_hash_table_iter_next (&iter, &name, &value))
        json_object_set_string_member (object, name, value);
      json_object_set_object_member (event, "queryStringParameters", object);
    }
  return json_to_string (root, FALSE);
}

/* @text as a JSON string, or null. */
static char *
json_string_or_null (const char *text)
{
  g_autofree char *inside = text != NULL ? bi_lambda_test_json_string_inside (text) : NULL;

  return inside != NULL ? g_strdup_printf ("\"%s\"", inside) : g_strdup ("null");
}

char *
bi_lambda_test_websocket_event (const char *route_key,
                                const char *event_type,
                                const char *connection_id,
                                const char *token,
                                const char *body)
{
  g_autofree char *body_json = json_string_or_null (body);
  g_autofree char *token_json = json_string_or_null (token);
  g_autofree char *query = token != NULL ? g_strdup_printf ("{\"token\":%s}", token_json)
                                         : g_strdup ("null");
  const char *subs[] = { "ROUTE", route_key, "EVENT_TYPE", event_type, "CONNECTION",
                         connection_id, "QUERY", query, "BODY", body_json, NULL };

  return bi_lambda_test_event ("websocket-route.json", subs);
}

char *
bi_lambda_test_json_string_inside (const char *text)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);
  g_autofree char *quoted = NULL;

  json_node_set_string (node, text);
  quoted = json_to_string (node, FALSE);
  return g_strndup (quoted + 1, strlen (quoted) - 2);
}

guint
bi_lambda_test_count_containing (GPtrArray  *messages,
                                 const char *text)
{
  guint n = 0;

  for (guint i = 0; i < messages->len; i++)
    if (strstr (g_ptr_array_index (messages, i), text) != NULL)
      n++;
  return n;
}
