/* test-lambda-http-api.c — the real bookimg-lambda's http-api on API Gateway HTTP API
 * (payload 2.0) events against s3rver and the bundled starter catalog, and its
 * bedrock-processor against an in-process Bedrock Converse stand-in
 *
 * The presigned upload URL is used for real: the photo is PUT to s3rver with it. Answers are
 * checked as the embedded server gives them (ARCHITECTURE.md, "HTTP API").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-lambda-http-api"

#include "bi-job-id.h"
#include "bi-lambda-test-world.h"
#include "bi-s3-client.h"
#include "bi-sqs-client.h"

#include <string.h>

#define MODEL_ID "anthropic.claude-3-haiku-20240307-v1:0"

static BiLambdaTestWorld *world;

/* ---- the http-api's answers ---------------------------------------------------------------- */

typedef struct
{
  gint64  status;
  char   *content_type;
  char   *authenticate;  /* WWW-Authenticate */
  char   *body;
} Answer;

static void
answer_free (Answer *answer)
{
  g_free (answer->content_type);
  g_free (answer->authenticate);
  g_free (answer->body);
  g_free (answer);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Answer, answer_free)

static Answer *
call (BiLambdaTestRuntime *runtime,
      const char          *method,
      const char          *path,
      const char          *query,
      const char * const  *headers)
{
  g_autofree char *event = bi_lambda_test_http_api_event (method, path, query, headers);
  g_autoptr(BiLambdaTestOutcome) outcome = bi_lambda_test_runtime_invoke (runtime, event, 10000);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *response;
  JsonObject *response_headers;
  Answer *answer = g_new0 (Answer, 1);

  g_assert_false (outcome->failed);
  response = bi_lambda_test_parse_object (outcome->body, &root);
  answer->status = json_object_get_int_member (response, "statusCode");
  response_headers = json_object_get_object_member (response, "headers");
  answer->content_type = g_strdup (json_object_get_string_member_with_default (
                                     response_headers, "Content-Type", NULL));
  answer->authenticate = g_strdup (json_object_get_string_member_with_default (
                                     response_headers, "WWW-Authenticate", NULL));
  answer->body = g_strdup (json_object_get_string_member_with_default (response, "body", ""));
  g_assert_false (json_object_get_boolean_member_with_default (response, "isBase64Encoded",
                                                               FALSE));
  return answer;
}

/* Asserts @status and the JSON error {"error":{"code":@code,"message":…}}. */
static void
assert_error (Answer     *answer,
              gint64      status,
              const char *code)
{
  g_autoptr(JsonNode) root = NULL;
  JsonObject *error;

  g_assert_cmpint (answer->status, ==, status);
  g_assert_cmpstr (answer->content_type, ==, "application/json");
  error = json_object_get_object_member (bi_lambda_test_parse_object (answer->body, &root),
                                         "error");
  g_assert_cmpstr (json_object_get_string_member (error, "code"), ==, code);
  g_assert_cmpuint (strlen (json_object_get_string_member (error, "message")), >, 0);
}

static BiLambdaTestRuntime *
http_api (const char *access_token)
{
  g_autofree char *token = g_strconcat ("BOOKIMG_ACCESS_TOKEN=",
                                        access_token != NULL ? access_token : "", NULL);
  const char *extra[] = { token, NULL };

  return bi_lambda_test_world_function (world, "http-api", extra);
}

static char *
upload_query (const char *key,
              const char *content_type)
{
  g_autofree char *escaped_key = g_uri_escape_string (key, NULL, FALSE);
  g_autofree char *escaped_type = g_uri_escape_string (content_type, NULL, FALSE);

  return g_strdup_printf ("filename=%s&contentType=%s", escaped_key, escaped_type);
}

static guint
put_with (const char *url,
          const char *content_type,
          GBytes     *body)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(SoupMessage) msg = soup_message_new ("PUT", url);
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  soup_message_set_request_body_from_bytes (msg, content_type, body);
  answer = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  return soup_message_get_status (msg);
}

/* ---- /upload-url --------------------------------------------------------------------------- */

static void
test_upload_url (void)
{
  g_autoptr(BiLambdaTestRuntime) runtime = http_api (NULL);
  g_autofree char *job_id = bi_job_id_new ();
  g_autofree char *key = g_strconcat (job_id, "/shelf photo.png", NULL);
  g_autofree char *query = upload_query (key, "IMAGE/PNG");
  g_autoptr(Answer) answer = call (runtime, "GET", "/upload-url", query, NULL);
  g_autoptr(GBytes) photo = bi_test_tiny_png ();
  g_autoptr(GBytes) stored = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) signed_headers = NULL;

  g_assert_cmpint (answer->status, ==, 200);
  g_assert_cmpstr (answer->content_type, ==, "text/plain; charset=utf-8");
  g_assert_true (g_str_has_prefix (answer->body, bi_aws_test_emulator_get_url (world->s3)));

  /* A SigV4 query-signed PUT, valid 15 minutes, whose signature covers the content type. */
  uri = g_uri_parse (answer->body, G_URI_FLAGS_ENCODED, &error);
  g_assert_no_error (error);
  params = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (params, "X-Amz-Algorithm"), ==, "AWS4-HMAC-SHA256");
  g_assert_cmpstr (g_hash_table_lookup (params, "X-Amz-Expires"), ==, "900");
  signed_headers = g_strsplit (g_hash_table_lookup (params, "X-Amz-SignedHeaders"), ";", -1);
  g_assert_true (g_strv_contains ((const char * const *) signed_headers, "content-type"));
  g_assert_true (g_strv_contains ((const char * const *) signed_headers, "host"));

  /* The photo goes up with it, as the signed type. (s3rver checks the key id of a SigV4
   * request, not its signature: that the signature is S3's own for these headers is
   * aws-sigv4-botocore's check, against botocore's presigned PUT.) */
  g_assert_cmpuint (put_with (answer->body, "image/png", photo), ==, 200);
  stored = bi_s3_get_object (world->s3_client, BI_LAMBDA_TEST_UPLOADS, key, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (stored, photo));
}

static void
test_upload_url_refusals (void)
{
  g_autoptr(BiLambdaTestRuntime) runtime = http_api (NULL);
  g_autofree char *job_id = bi_job_id_new ();
  g_autofree char *nested = g_strconcat (job_id, "/a/b.png", NULL);
  g_autofree char *empty_name = g_strconcat (job_id, "/", NULL);
  g_autofree char *good = g_strconcat (job_id, "/shelf.png", NULL);
  const struct
  {
    const char *key;
    const char *content_type;
    const char *code;
  } cases[] = {
    { "not-a-job-id/shelf.png", "image/png", "bad_job_id" },
    { nested, "image/png", "bad_file_name" },
    { empty_name, "image/png", "bad_file_name" },
    { good, "image/gif", "bad_content_type" },
    { good, "text/html", "bad_content_type" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *query = upload_query (cases[i].key, cases[i].content_type);
      g_autoptr(Answer) answer = call (runtime, "GET", "/upload-url", query, NULL);

      g_test_message ("%s as %s", cases[i].key, cases[i].content_type);
      assert_error (answer, 400, cases[i].code);
    }

  {
    g_autoptr(Answer) unnamed = call (runtime, "GET", "/upload-url", "contentType=image%2Fpng",
                                      NULL);

    assert_error (unnamed, 400, "bad_file_name");
  }
}

/* ---- /results/{jobId} ---------------------------------------------------------------------- */

static void
put_text (const char *bucket,
          const char *job_id,
          const char *name,
          const char *text)
{
  g_autofree char *key = g_strconcat (job_id, "/", name, NULL);
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));

  bi_lambda_test_world_put_object (world, bucket, key, bytes, "application/json");
}

static void
assert_pending (BiLambdaTestRuntime *runtime,
                const char          *job_id,
                const char          *stage)
{
  g_autofree char *path = g_strconcat ("/results/", job_id, NULL);
  g_autoptr(Answer) answer = call (runtime, "GET", path, NULL, NULL);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *pending;

  g_assert_cmpint (answer->status, ==, 202);
  pending = bi_lambda_test_parse_object (answer->body, &root);
  g_assert_cmpstr (json_object_get_string_member (pending, "jobId"), ==, job_id);
  g_assert_cmpstr (json_object_get_string_member (pending, "status"), ==, "pending");
  g_assert_cmpstr (json_object_get_string_member (pending, "stage"), ==, stage);
}

static void
test_results (void)
{
  g_autoptr(BiLambdaTestRuntime) runtime = http_api (NULL);
  g_autofree char *done_job = bi_job_id_new ();
  g_autofree char *pending_job = bi_job_id_new ();
  g_autofree char *unknown_job = bi_job_id_new ();
  g_autofree char *final = bi_test_complete_message_new (done_job, "Dune", 0);
  g_autofree char *done_path = g_strconcat ("/results/", done_job, NULL);
  g_autofree char *unknown_path = g_strconcat ("/results/", unknown_job, NULL);

  put_text (BI_LAMBDA_TEST_RESULTS, done_job, "final-results.json", final);
  {
    g_autoptr(Answer) done = call (runtime, "GET", done_path, NULL, NULL);

    g_assert_cmpint (done->status, ==, 200);
    g_assert_cmpstr (done->content_type, ==, "application/json");
    g_assert_cmpstr (done->body, ==, final);
  }

  /* Pending: the stage the stored outputs say runs now. */
  put_text (BI_LAMBDA_TEST_UPLOADS, pending_job, "shelf.png", "not looked at");
  assert_pending (runtime, pending_job, "uploaded");
  put_text (BI_LAMBDA_TEST_RESULTS, pending_job, "ocr.json", "{}");
  assert_pending (runtime, pending_job, "candidates");
  put_text (BI_LAMBDA_TEST_RESULTS, pending_job, "candidates.json", "{}");
  assert_pending (runtime, pending_job, "validation");

  {
    g_autoptr(Answer) unknown = call (runtime, "GET", unknown_path, NULL, NULL);
    g_autoptr(Answer) bad = call (runtime, "GET", "/results/not-a-job-id", NULL, NULL);

    assert_error (unknown, 404, "unknown_job");
    assert_error (bad, 400, "bad_job_id");
  }
}

/* ---- /catalog/search, /, /healthz ---------------------------------------------------------- */

static void
test_catalog_search (void)
{
  g_autoptr(BiLambdaTestRuntime) runtime = http_api (NULL);
  g_autoptr(Answer) found = call (runtime, "GET", "/catalog/search", "q=dune+herbert&limit=5",
                                  NULL);
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *books;
  JsonObject *first;

  g_assert_cmpint (found->status, ==, 200);
  g_assert_cmpstr (found->content_type, ==, "application/json");
  json_parser_load_from_data (parser, found->body, -1, &error);
  g_assert_no_error (error);
  books = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (books), >=, 1);
  g_assert_cmpuint (json_array_get_length (books), <=, 5);
  first = json_array_get_object_element (books, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "title"), ==, "Dune");

  {
    g_autoptr(Answer) zero = call (runtime, "GET", "/catalog/search", "q=dune&limit=0", NULL);
    g_autoptr(Answer) word = call (runtime, "GET", "/catalog/search", "q=dune&limit=many",
                                   NULL);
    g_autoptr(Answer) many = call (runtime, "GET", "/catalog/search", "q=dune&limit=51", NULL);
    g_autoptr(Answer) no_words = call (runtime, "GET", "/catalog/search", NULL, NULL);

    assert_error (zero, 400, "bad_limit");
    assert_error (word, 400, "bad_limit");
    assert_error (many, 400, "bad_limit");
    assert_error (no_words, 400, "bad_query");
  }
}

static void
test_page_and_health (void)
{
  g_autoptr(BiLambdaTestRuntime) runtime = http_api (NULL);
  g_autoptr(Answer) page = call (runtime, "GET", "/", NULL, NULL);
  g_autoptr(Answer) health = call (runtime, "GET", "/healthz", NULL, NULL);
  g_autoptr(Answer) posted = call (runtime, "POST", "/healthz", NULL, NULL);
  g_autoptr(Answer) nowhere = call (runtime, "GET", "/nowhere", NULL, NULL);

  g_assert_cmpint (page->status, ==, 200);
  g_assert_cmpstr (page->content_type, ==, "text/html; charset=utf-8");
  g_assert_nonnull (strstr (page->body, "<html"));
  g_assert_cmpint (health->status, ==, 200);
  g_assert_cmpstr (health->body, ==, "{\"status\":\"ok\"}");
  assert_error (posted, 405, "method_not_allowed");
  assert_error (nowhere, 404, "not_found");
}

/* With BOOKIMG_ACCESS_TOKEN set, the API needs it (401 without or wrong, with
 * WWW-Authenticate: Bearer, as the embedded server); the page and the probe stay public. */
static void
test_access_token (void)
{
  g_autoptr(BiLambdaTestRuntime) runtime = http_api ("s3cret");
  const char *right[] = { "authorization", "Bearer s3cret", NULL };
  const char *wrong[] = { "authorization", "Bearer guess", NULL };
  g_autoptr(Answer) missing = call (runtime, "GET", "/catalog/search", "q=dune", NULL);
  g_autoptr(Answer) refused = call (runtime, "GET", "/catalog/search", "q=dune", wrong);
  g_autoptr(Answer) bearer = call (runtime, "GET", "/catalog/search", "q=dune", right);
  g_autoptr(Answer) in_query = call (runtime, "GET", "/catalog/search", "q=dune&token=s3cret",
                                     NULL);
  g_autoptr(Answer) results = call (runtime, "GET", "/results/not-a-job-id", NULL, NULL);
  g_autoptr(Answer) page = call (runtime, "GET", "/", NULL, NULL);
  g_autoptr(Answer) health = call (runtime, "GET", "/healthz", NULL, NULL);

  assert_error (missing, 401, "unauthorized");
  g_assert_cmpstr (missing->authenticate, ==, "Bearer");
  assert_error (refused, 401, "unauthorized");
  g_assert_cmpstr (refused->authenticate, ==, "Bearer");
  g_assert_cmpint (bearer->status, ==, 200);
  g_assert_cmpint (in_query->status, ==, 200);
  /* Refused before the id is even looked at. */
  assert_error (results, 401, "unauthorized");
  g_assert_cmpint (page->status, ==, 200);
  g_assert_cmpint (health->status, ==, 200);
}

/* ---- bedrock-processor --------------------------------------------------------------------- */

/* Bedrock Converse's stand-in: a strict answer for the shelf with THE HOBBIT, prose around
 * the JSON (not the strict form) for any other. */
static BiAwsTestAnswer
bedrock_cb (const BiAwsTestRequest *request,
            guint                   index,
            gpointer                user_data)
{
  g_autofree char *path = g_uri_unescape_string (request->path, NULL);
  g_autofree char *body = g_strndup (g_bytes_get_data (request->body, NULL),
                                     g_bytes_get_size (request->body));

  if (g_strcmp0 (path, "/model/" MODEL_ID "/converse") != 0)
    {
      BiAwsTestAnswer refusal = bi_aws_test_answer (404, "application/json",
                                                    "{\"message\":\"Unknown model\"}");

      refusal.error_type = g_strdup ("ResourceNotFoundException");
      return refusal;
    }
  return bi_aws_test_converse_answer (
    strstr (body, "HOBBIT") != NULL
    ? "{\"books\":[{\"spine\":0,\"title\":\"The Hobbit\",\"author\":\"J. R. R. Tolkien\"},"
      "{\"spine\":1,\"title\":\"Dune\",\"author\":null}]}"
    : "Sure! {\"books\":[{\"spine\":0,\"title\":\"Wrong\"}]}");
}

/* A candidates-stage message of two spines read bottom to top, far apart. */
static char *
candidates_message (const char *job_id,
                    const char *first_spine)
{
  return g_strdup_printf (
    "{\"jobId\":\"%s\",\"key\":\"%s/shelf.png\",\"image\":{\"width\":1000,\"height\":800},"
    "\"lines\":[{\"text\":\"%s\",\"confidence\":0.9,\"bbox\":[100,100,40,500],\"angle\":270},"
    "{\"text\":\"DUNE HERBERT\",\"confidence\":0.9,\"bbox\":[600,100,40,500],\"angle\":270}],"
    "\"timings\":{}}", job_id, job_id, first_spine);
}

/* The titles and authors the candidates stage sent on for @job_id ("title/author;…"). */
static char *
run_candidates (BiLambdaTestRuntime *runtime,
                const char          *job_id,
                const char          *first_spine)
{
  g_autofree char *message = candidates_message (job_id, first_spine);
  g_autofree char *message_id = NULL;
  g_autofree char *next = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *candidates;
  GString *summary = g_string_new (NULL);

  message_id = bi_sqs_send_message (world->sqs_client,
                                    world->queue_urls[BI_LAMBDA_TEST_QUEUE_CANDIDATES], message,
                                    &error);
  g_assert_no_error (error);
  g_assert_cmpuint (bi_lambda_test_world_deliver (world, BI_LAMBDA_TEST_QUEUE_CANDIDATES,
                                                  runtime), ==, 1);
  next = bi_aws_test_sqs_receive_body (world->sqs_client,
                                       world->queue_urls[BI_LAMBDA_TEST_QUEUE_VALIDATION]);
  g_assert_nonnull (next);
  candidates = json_object_get_array_member (bi_lambda_test_parse_object (next, &root),
                                             "candidates");
  for (guint i = 0; i < json_array_get_length (candidates); i++)
    {
      JsonObject *candidate = json_array_get_object_element (candidates, i);

      g_string_append_printf (summary, "%s/%s;",
                              json_object_get_string_member_with_default (candidate, "title",
                                                                          "-"),
                              json_object_get_string_member_with_default (candidate, "author",
                                                                          "-"));
    }
  return g_string_free (summary, FALSE);
}

static BiLambdaTestRuntime *
bedrock_processor (const char *model_id)
{
  g_autofree char *model = g_strconcat ("BOOKIMG_BEDROCK_MODEL_ID=", model_id, NULL);
  const char *extra[] = { model, NULL };

  return bi_lambda_test_world_function (world, "bedrock-processor", extra);
}

/* With a model id, a strict answer corrects the heuristics' guesses; a loose one leaves them
 * standing (the job goes on either way). */
static void
test_bedrock_processor (void)
{
  g_autoptr(BiLambdaTestRuntime) with_model = bedrock_processor (MODEL_ID);
  g_autoptr(BiLambdaTestRuntime) heuristics_only = bedrock_processor ("");
  g_autofree char *strict_job = bi_job_id_new ();
  g_autofree char *loose_job = bi_job_id_new ();
  g_autofree char *plain_job = bi_job_id_new ();
  g_autofree char *corrected = run_candidates (with_model, strict_job, "THE H0BBIT");
  g_autofree char *stood = run_candidates (with_model, loose_job, "EMMA AUSTEN");
  g_autofree char *heuristics = run_candidates (heuristics_only, plain_job, "EMMA AUSTEN");
  guint converse_calls = 0;
  GPtrArray *requests = bi_aws_test_server_requests (world->played);

  g_assert_cmpstr (corrected, ==, "The Hobbit/J. R. R. Tolkien;Dune/-;");
  g_assert_cmpstr (stood, ==, heuristics);
  g_assert_cmpstr (stood, !=, "Wrong/-;Dune/-;");

  /* The model was asked for the two shelves with a model id only, signed for Bedrock. */
  for (guint i = 0; i < requests->len; i++)
    {
      BiAwsTestRequest *request = g_ptr_array_index (requests, i);

      if (g_str_has_suffix (request->path, "/converse"))
        {
          converse_calls++;
          g_assert_nonnull (strstr (g_hash_table_lookup (request->headers, "authorization"),
                                    "/eu-west-1/bedrock/aws4_request"));
        }
    }
  g_assert_cmpuint (converse_calls, ==, 2);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bookimg/lambda/http-api/upload-url", test_upload_url);
  g_test_add_func ("/bookimg/lambda/http-api/upload-url-refusals", test_upload_url_refusals);
  g_test_add_func ("/bookimg/lambda/http-api/results", test_results);
  g_test_add_func ("/bookimg/lambda/http-api/catalog-search", test_catalog_search);
  g_test_add_func ("/bookimg/lambda/http-api/page-and-health", test_page_and_health);
  g_test_add_func ("/bookimg/lambda/http-api/access-token", test_access_token);
  g_test_add_func ("/bookimg/lambda/bedrock-processor/model", test_bedrock_processor);

  return bi_lambda_test_world_run (&world, bedrock_cb, NULL);
}
