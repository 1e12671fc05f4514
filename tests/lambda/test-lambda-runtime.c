/* test-lambda-runtime.c — the runtime loop of the real bookimg-lambda against a runtime API
 * played in process: a response, a handler error (and the loop going on), init errors
 * (unknown _HANDLER, missing variable) and the deadline of an SQS batch
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-lambda-test-runtime.h"
#include "bi-sqlite-catalog.h"
#include "bi-test-store-utils.h"

#include <json-glib/json-glib.h>

typedef struct
{
  char *dir;
  char *catalog_env;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *catalog = NULL;
  BiSqliteCatalog *database;

  fixture->dir = g_dir_make_tmp ("bookimg-lambda-XXXXXX", &error);
  g_assert_no_error (error);
  catalog = g_build_filename (fixture->dir, "catalog.sqlite", NULL);
  database = bi_sqlite_catalog_open (catalog, &error);
  g_assert_no_error (error);
  bi_sqlite_catalog_free (database);
  fixture->catalog_env = g_strconcat ("BOOKIMG_CATALOG_DATABASE=", catalog, NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  /* The lambda leaves the catalog's -wal and -shm beside it. */
  bi_test_temp_dir_remove (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->catalog_env);
}

/* Everything a function gets from Terraform; the AWS endpoints are a closed port: none of
 * these tests may reach AWS. */
static GStrv
function_env (Fixture *fixture)
{
  GStrvBuilder *builder = g_strv_builder_new ();

  g_strv_builder_add_many (builder,
    "AWS_REGION=eu-west-1", "AWS_ACCESS_KEY_ID=AKIDEXAMPLE",
    "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
    "AWS_SESSION_TOKEN=session", "BOOKIMG_UPLOADS_BUCKET=bookimg-uploads",
    "BOOKIMG_RESULTS_BUCKET=bookimg-results",
    "BOOKIMG_QUEUE_URL_OCR=http://127.0.0.1:9/123456789012/bookimg-ocr",
    "BOOKIMG_QUEUE_URL_CANDIDATES=http://127.0.0.1:9/123456789012/bookimg-candidates",
    "BOOKIMG_QUEUE_URL_VALIDATION=http://127.0.0.1:9/123456789012/bookimg-validation",
    "BOOKIMG_TOPIC_ARN=arn:aws:sns:eu-west-1:123456789012:bookimg-results",
    "BOOKIMG_CONNECTIONS_TABLE=bookimg-connections",
    "BOOKIMG_CONNECTIONS_INDEX=connectionId-index",
    "BOOKIMG_WEBSOCKET_ENDPOINT=http://127.0.0.1:9/prod", "BOOKIMG_BEDROCK_MODEL_ID=",
    "BOOKIMG_SUBSCRIPTION_TTL_SECONDS=3600", "BOOKIMG_ACCESS_TOKEN=",
    "BOOKIMG_AWS_ENDPOINT_S3=http://127.0.0.1:9", "BOOKIMG_AWS_ENDPOINT_SQS=http://127.0.0.1:9",
    "BOOKIMG_AWS_ENDPOINT_SNS=http://127.0.0.1:9",
    "BOOKIMG_AWS_ENDPOINT_DYNAMODB=http://127.0.0.1:9",
    "BOOKIMG_AWS_ENDPOINT_TEXTRACT=http://127.0.0.1:9", fixture->catalog_env, NULL);
  return g_strv_builder_end (builder);
}

static char *
healthz_event (void)
{
  const char *subs[] = { "PATH", "/healthz", "QUERY", "", "PARAMS", "null", "METHOD", "GET",
                         NULL };

  return bi_lambda_test_event ("http-api-get.json", subs);
}

static void
test_response (Fixture       *fixture,
               gconstpointer  data)
{
  g_auto(GStrv) env = function_env (fixture);
  g_autoptr(BiLambdaTestRuntime) runtime = bi_lambda_test_runtime_new ("http-api",
                                                                       (const char * const *) env);
  g_autofree char *event = healthz_event ();
  g_autoptr(BiLambdaTestOutcome) outcome = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *response;

  outcome = bi_lambda_test_runtime_invoke (runtime, event, 3000);
  g_assert_false (outcome->failed);
  response = bi_lambda_test_parse_object (outcome->body, &root);
  g_assert_cmpint (json_object_get_int_member (response, "statusCode"), ==, 200);
  g_assert_cmpstr (json_object_get_string_member (response, "body"), ==, "{\"status\":\"ok\"}");
}

static void
test_handler_error (Fixture       *fixture,
                    gconstpointer  data)
{
  g_auto(GStrv) env = function_env (fixture);
  g_autoptr(BiLambdaTestRuntime) runtime = bi_lambda_test_runtime_new ("http-api",
                                                                       (const char * const *) env);
  g_autofree char *event = healthz_event ();
  g_autoptr(BiLambdaTestOutcome) failed = NULL;
  g_autoptr(BiLambdaTestOutcome) next = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *error;

  failed = bi_lambda_test_runtime_invoke (runtime, "this is not JSON", 3000);
  g_assert_true (failed->failed);
  error = bi_lambda_test_parse_object (failed->body, &root);
  g_assert_cmpstr (json_object_get_string_member (error, "errorType"), ==,
                   "bi-lambda-error-quark.1");
  g_assert_cmpstr (failed->error_type, ==, "bi-lambda-error-quark.1");
  g_assert_true (g_str_has_prefix (json_object_get_string_member (error, "errorMessage"),
                                   "The event is not a JSON object"));

  /* The loop goes on with the next event. */
  next = bi_lambda_test_runtime_invoke (runtime, event, 3000);
  g_assert_false (next->failed);
}

static void
test_unknown_handler (Fixture       *fixture,
                      gconstpointer  data)
{
  g_auto(GStrv) env = function_env (fixture);
  g_autoptr(BiLambdaTestRuntime) runtime = bi_lambda_test_runtime_new ("book-reader",
                                                                       (const char * const *) env);
  g_autoptr(BiLambdaTestOutcome) outcome = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *error;
  int status = 0;

  outcome = bi_lambda_test_runtime_wait_init_error (runtime, &status);
  g_assert_cmpint (status, ==, 1);
  error = bi_lambda_test_parse_object (outcome->body, &root);
  g_assert_cmpstr (json_object_get_string_member (error, "errorType"), ==,
                   "bi-lambda-error-quark.0");
  g_assert_nonnull (strstr (json_object_get_string_member (error, "errorMessage"),
                            "_HANDLER is “book-reader”"));
  g_assert_nonnull (strstr (json_object_get_string_member (error, "errorMessage"),
                            "upload-handler, textract-processor"));
}

static void
test_missing_variable (Fixture       *fixture,
                       gconstpointer  data)
{
  const char *env[] = { "AWS_REGION=eu-west-1", "AWS_ACCESS_KEY_ID=AKIDEXAMPLE",
                        "AWS_SECRET_ACCESS_KEY=secret", "BOOKIMG_UPLOADS_BUCKET=bookimg-uploads",
                        "BOOKIMG_RESULTS_BUCKET=", NULL };
  g_autoptr(BiLambdaTestRuntime) runtime = bi_lambda_test_runtime_new ("textract-processor",
                                                                       env);
  g_autoptr(BiLambdaTestOutcome) outcome = NULL;
  int status = 0;

  outcome = bi_lambda_test_runtime_wait_init_error (runtime, &status);
  g_assert_cmpint (status, ==, 1);
  g_assert_nonnull (strstr (outcome->body, "BOOKIMG_RESULTS_BUCKET is not set"));
}

/* With less time left than a record needs, no record is started and each is reported for
 * retry (the AWS endpoints are a closed port: touching them would fail differently). */
static void
test_deadline (Fixture       *fixture,
               gconstpointer  data)
{
  g_auto(GStrv) env = function_env (fixture);
  g_autoptr(BiLambdaTestRuntime) runtime = bi_lambda_test_runtime_new ("textract-processor",
                                                                       (const char * const *) env);
  const char *subs[] = { "QUEUE", "ocr", "BODY1", "{}", "BODY2", "{}", "COUNT2", "1", NULL };
  g_autofree char *event = bi_lambda_test_event ("sqs-two-messages.json", subs);
  g_autoptr(BiLambdaTestOutcome) outcome = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *failures;

  outcome = bi_lambda_test_runtime_invoke (runtime, event, 300);
  g_assert_false (outcome->failed);
  failures = json_object_get_array_member (bi_lambda_test_parse_object (outcome->body, &root),
                                           "batchItemFailures");
  g_assert_cmpuint (json_array_get_length (failures), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (failures, 0),
                                                  "itemIdentifier"), ==,
                   "059f36b4-87a3-44ab-83d2-661975830a7d");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (failures, 1),
                                                  "itemIdentifier"), ==,
                   "2e1424d4-f796-459a-8184-9c92662be6da");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/bookimg/lambda/runtime/response", Fixture, NULL, fixture_set_up, test_response,
              fixture_tear_down);
  g_test_add ("/bookimg/lambda/runtime/handler-error", Fixture, NULL, fixture_set_up,
              test_handler_error, fixture_tear_down);
  g_test_add ("/bookimg/lambda/runtime/unknown-handler", Fixture, NULL, fixture_set_up,
              test_unknown_handler, fixture_tear_down);
  g_test_add ("/bookimg/lambda/runtime/missing-variable", Fixture, NULL, fixture_set_up,
              test_missing_variable, fixture_tear_down);
  g_test_add ("/bookimg/lambda/runtime/deadline", Fixture, NULL, fixture_set_up, test_deadline,
              fixture_tear_down);
  return g_test_run ();
}
