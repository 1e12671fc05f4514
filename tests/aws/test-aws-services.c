/* test-aws-services.c — the request core (configuration, retry policy, error answers) and the
 * SNS, Textract and Bedrock clients against in-process servers speaking their documented
 * formats (these services have no local emulator)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-aws-services"

#include <string.h>

#include "bi-aws-test-utils.h"
#include "bi-bedrock-candidates.h"
#include "bi-heuristic-candidates.h"
#include "bi-sns-client.h"
#include "bi-stages.h"
#include "bi-textract-engine.h"

/* ---- configuration ------------------------------------------------------------------------ */

static void
test_environment (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BiAwsClient) client = NULL;
  g_autoptr(BiAwsClient) missing = NULL;
  g_autoptr(BiAwsClient) bad = NULL;

  g_setenv ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", TRUE);
  g_setenv ("AWS_SECRET_ACCESS_KEY", "secret", TRUE);
  g_setenv ("AWS_SESSION_TOKEN", "token", TRUE);
  g_setenv ("AWS_REGION", "eu-central-1", TRUE);
  g_setenv ("BOOKIMG_AWS_ENDPOINT_SQS", "http://127.0.0.1:9324/", TRUE);
  client = bi_aws_client_new_from_environment (&error);
  g_assert_no_error (error);
  g_assert_cmpstr (bi_aws_client_get_endpoint (client, BI_AWS_SERVICE_SQS), ==,
                   "http://127.0.0.1:9324");
  g_assert_cmpstr (bi_aws_client_get_endpoint (client, BI_AWS_SERVICE_BEDROCK), ==,
                   "https://bedrock-runtime.eu-central-1.amazonaws.com");
  g_assert_null (bi_aws_client_get_endpoint (client, BI_AWS_SERVICE_APIGATEWAY));

  g_setenv ("BOOKIMG_AWS_ENDPOINT_SQS", "ftp://nowhere", TRUE);
  bad = bi_aws_client_new_from_environment (&error);
  g_assert_null (bad);
  g_assert_error (error, BI_AWS_ERROR, BI_AWS_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "BOOKIMG_AWS_ENDPOINT_SQS"));
  g_clear_error (&error);
  g_unsetenv ("BOOKIMG_AWS_ENDPOINT_SQS");

  g_unsetenv ("AWS_SECRET_ACCESS_KEY");
  missing = bi_aws_client_new_from_environment (&error);
  g_assert_null (missing);
  g_assert_error (error, BI_AWS_ERROR, BI_AWS_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "AWS_SECRET_ACCESS_KEY"));
}

/* ---- retry policy -------------------------------------------------------------------------- */

typedef struct
{
  guint       failures;     /* answers before the 200 */
  guint       status;       /* of the failures */
  const char *error_type;   /* JSON __type of the failures, or NULL */
} Script;

static BiAwsTestAnswer
scripted_cb (const BiAwsTestRequest *request,
             guint                   index,
             gpointer                user_data)
{
  const Script *script = user_data;

  if (index < script->failures)
    {
      g_autofree char *body = script->error_type != NULL
        ? g_strdup_printf ("{\"__type\":\"com.amazonaws.dynamodb.v20120810#%s\","
                           "\"message\":\"Rate exceeded\"}", script->error_type)
        : NULL;

      return bi_aws_test_answer (script->status, "application/x-amz-json-1.0", body);
    }
  return bi_aws_test_answer (200, "application/x-amz-json-1.0", "{}");
}

static void
assert_full_jitter (GArray *sleeps)
{
  for (guint i = 0; i < sleeps->len; i++)
    g_assert_cmpuint (g_array_index (sleeps, guint, i), <=, BI_AWS_BACKOFF_BASE_MS << i);
}

static GError *
call_script (const Script *script,
             guint         max_attempts,
             GArray       *sleeps,
             guint        *n_requests)
{
  g_autoptr(BiAwsTestServer) server = bi_aws_test_server_new (scripted_cb, (gpointer) script);
  g_autoptr(BiAwsClient) client = bi_aws_test_client_new (BI_AWS_SERVICE_DYNAMODB,
                                                          bi_aws_test_server_get_url (server),
                                                          sleeps);
  g_autoptr(BiAwsRequest) request = bi_aws_request_new ("POST", "/");
  g_autoptr(BiHttpResponse) response = NULL;
  GError *error = NULL;
  GPtrArray *requests;

  bi_aws_client_set_max_attempts (client, max_attempts);
  request->body = g_bytes_new_static ("{}", 2);
  response = bi_aws_client_send (client, BI_AWS_SERVICE_DYNAMODB, "DynamoDB GetItem", request,
                                 &error);
  requests = bi_aws_test_server_requests (server);
  *n_requests = requests->len;
  /* Each attempt is signed anew (x-amz-date is per attempt, the signature is there). */
  for (guint i = 0; i < requests->len; i++)
    {
      BiAwsTestRequest *received = g_ptr_array_index (requests, i);

      g_assert_true (g_str_has_prefix (g_hash_table_lookup (received->headers, "authorization"),
                                       "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"));
      g_assert_cmpstr (g_hash_table_lookup (received->headers, "x-amz-security-token"), ==,
                       "example-session-token");
    }
  g_assert_true ((response != NULL) == (error == NULL));
  return error;
}

/* One retry case: what the server answers, how many attempts the client may make, and what the
 * caller must see afterwards. */
typedef struct
{
  const char *path;              /* test path */
  Script      script;            /* the server's answers */
  guint       max_attempts;      /* the client's limit */
  gboolean    expect_error;      /* whether the call fails in the end */
  int         error_code;        /* BI_AWS_ERROR code when it fails */
  const char *service_code;      /* bi_aws_error_get_code() when it fails, or NULL */
  const char *message_part;      /* a part of the error message, or NULL */
  guint       n_requests;        /* requests the server sees */
  guint       n_sleeps;          /* back-off sleeps taken */
  gboolean    check_full_jitter; /* whether each sleep must stay under its cap */
} RetryCase;

static const RetryCase retry_cases[] = {
  { "/bookimg/aws/core/retry-503-then-ok", { 2, 503, NULL }, 3,
    FALSE, 0, NULL, NULL, 3, 2, TRUE },
  { "/bookimg/aws/core/retry-throttling-then-ok", { 2, 400, "ThrottlingException" }, 3,
    FALSE, 0, NULL, NULL, 3, 2, FALSE },
  { "/bookimg/aws/core/retry-gives-up", { 10, 400, "ProvisionedThroughputExceededException" }, 4,
    TRUE, BI_AWS_ERROR_THROTTLED, "ProvisionedThroughputExceededException", NULL, 4, 3, TRUE },
  /* A client error is final at once: retrying cannot change the answer. */
  { "/bookimg/aws/core/no-retry-on-client-error", { 10, 400, "ValidationException" }, 3,
    TRUE, BI_AWS_ERROR_SERVICE, NULL, "ValidationException (HTTP 400): Rate exceeded", 1, 0,
    FALSE },
};

static void
test_retry_case (gconstpointer data)
{
  const RetryCase *retry_case = data;
  g_autoptr(GArray) sleeps = g_array_new (FALSE, FALSE, sizeof (guint));
  guint n_requests = 0;
  g_autoptr(GError) error = call_script (&retry_case->script, retry_case->max_attempts, sleeps,
                                         &n_requests);

  if (retry_case->expect_error)
    g_assert_error (error, BI_AWS_ERROR, retry_case->error_code);
  else
    g_assert_no_error (error);
  if (retry_case->service_code != NULL)
    {
      g_autofree char *code = bi_aws_error_get_code (error);

      g_assert_cmpstr (code, ==, retry_case->service_code);
    }
  if (retry_case->message_part != NULL)
    g_assert_nonnull (strstr (error->message, retry_case->message_part));
  g_assert_cmpuint (n_requests, ==, retry_case->n_requests);
  g_assert_cmpuint (sleeps->len, ==, retry_case->n_sleeps);
  if (retry_case->check_full_jitter)
    assert_full_jitter (sleeps);
}

/* No server at all: a connection error, retried, then reported as unavailable. */
static void
test_retry_connection_refused (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GArray) sleeps = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autoptr(BiAwsClient) client = NULL;
  g_autoptr(BiAwsRequest) request = bi_aws_request_new ("POST", "/");
  g_autoptr(BiHttpResponse) response = NULL;

  /* A port that is bound but not listening refuses connections, and no one else takes it. */
  g_socket_bind (socket, any_port, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  url = g_strdup_printf ("http://127.0.0.1:%u",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  client = bi_aws_test_client_new (BI_AWS_SERVICE_SQS, url, sleeps);
  response = bi_aws_client_send (client, BI_AWS_SERVICE_SQS, "SQS SendMessage", request,
                                 &error);
  g_assert_null (response);
  g_assert_error (error, BI_AWS_ERROR, BI_AWS_ERROR_UNAVAILABLE);
  g_assert_cmpuint (sleeps->len, ==, BI_AWS_DEFAULT_MAX_ATTEMPTS - 1);
}

/* ---- SNS Publish --------------------------------------------------------------------------- */

#define TOPIC_ARN "arn:aws:sns:eu-west-1:123456789012:bookimg-results"

static BiAwsTestAnswer
sns_cb (const BiAwsTestRequest *request,
        guint                   index,
        gpointer                user_data)
{
  g_autofree char *action = bi_aws_test_form_field (request->body, "Action");

  if (g_strcmp0 (action, "Publish") != 0)
    return bi_aws_test_answer (400, "text/xml",
                               "<ErrorResponse><Error><Type>Sender</Type>"
                               "<Code>InvalidAction</Code><Message>Unknown action</Message>"
                               "</Error></ErrorResponse>");
  return bi_aws_test_answer (200, "text/xml",
                             "<PublishResponse xmlns=\"https://sns.amazonaws.com/doc/2010-03-31/\">"
                             "<PublishResult><MessageId>94f20ce6-13c5-43a0-9a9e-ca52d816e90b"
                             "</MessageId></PublishResult><ResponseMetadata><RequestId>"
                             "f187a3c1-376f-11df-8963-01868b7c937a</RequestId>"
                             "</ResponseMetadata></PublishResponse>");
}

static void
test_sns_publish (void)
{
  g_autoptr(BiAwsTestServer) server = bi_aws_test_server_new (sns_cb, NULL);
  g_autoptr(BiAwsClient) client = bi_aws_test_client_new (BI_AWS_SERVICE_SNS,
                                                          bi_aws_test_server_get_url (server),
                                                          NULL);
  g_autoptr(BiSnsTopic) topic = bi_sns_topic_new (client, TOPIC_ARN);
  BiTopic *port = bi_sns_topic_as_port (topic);
  const char *message = "{\"jobId\":\"job-1\",\"status\":\"complete\",\"note\":\"a&b=c+d ñ\"}";
  g_autoptr(GError) error = NULL;
  BiAwsTestRequest *request;
  g_autofree char *version = NULL;
  g_autofree char *arn = NULL;
  g_autofree char *sent = NULL;

  g_assert_true (port->publish (port, message, &error));
  g_assert_no_error (error);

  /* The documented form: POST / with Action, Version, TopicArn and Message. */
  request = g_ptr_array_index (bi_aws_test_server_requests (server), 0);
  g_assert_cmpstr (request->method, ==, "POST");
  g_assert_cmpstr (request->path, ==, "/");
  g_assert_true (g_str_has_prefix (g_hash_table_lookup (request->headers, "content-type"),
                                   "application/x-www-form-urlencoded"));
  version = bi_aws_test_form_field (request->body, "Version");
  arn = bi_aws_test_form_field (request->body, "TopicArn");
  sent = bi_aws_test_form_field (request->body, "Message");
  g_assert_cmpstr (version, ==, "2010-03-31");
  g_assert_cmpstr (arn, ==, TOPIC_ARN);
  g_assert_cmpstr (sent, ==, message);
  g_assert_nonnull (strstr (g_hash_table_lookup (request->headers, "authorization"),
                            "/eu-west-1/sns/aws4_request"));
}

/* ---- Textract ------------------------------------------------------------------------------ */

/* A PNG header of 1000 × 800 pixels is all the engine reads of the photo itself. */
static GBytes *
png_header (void)
{
  static const guint8 header[] = {
    0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13, 'I', 'H', 'D', 'R',
    0, 0, 0x03, 0xe8, 0, 0, 0x03, 0x20, 8, 2, 0, 0, 0,
  };

  return g_bytes_new_static (header, sizeof header);
}

static BiAwsTestAnswer
textract_cb (const BiAwsTestRequest *request,
             guint                   index,
             gpointer                user_data)
{
  if (g_strcmp0 (g_hash_table_lookup (request->headers, "x-amz-target"),
                 "Textract.DetectDocumentText") != 0)
    return bi_aws_test_answer (400, "application/x-amz-json-1.1",
                               "{\"__type\":\"UnknownOperationException\"}");
  if (user_data != NULL)
    return bi_aws_test_answer (400, "application/x-amz-json-1.1",
                               "{\"__type\":\"UnsupportedDocumentException\","
                               "\"Message\":\"Request has unsupported document format\"}");
  /* A PAGE, a horizontal LINE and a spine read bottom to top, as Textract answers. */
  return bi_aws_test_answer (200, "application/x-amz-json-1.1",
    "{\"DocumentMetadata\":{\"Pages\":1},\"Blocks\":["
    "{\"BlockType\":\"PAGE\",\"Id\":\"p\",\"Geometry\":{\"BoundingBox\":{\"Width\":1,"
    "\"Height\":1,\"Left\":0,\"Top\":0}}},"
    "{\"BlockType\":\"LINE\",\"Id\":\"l1\",\"Confidence\":99.5,\"Text\":\"The Hobbit\","
    "\"Geometry\":{\"BoundingBox\":{\"Width\":0.2,\"Height\":0.05,\"Left\":0.1,\"Top\":0.5},"
    "\"Polygon\":[{\"X\":0.1,\"Y\":0.5},{\"X\":0.3,\"Y\":0.5},{\"X\":0.3,\"Y\":0.55},"
    "{\"X\":0.1,\"Y\":0.55}]}},"
    "{\"BlockType\":\"LINE\",\"Id\":\"l2\",\"Confidence\":87.25,\"Text\":\"Dune\","
    "\"Geometry\":{\"BoundingBox\":{\"Width\":0.04,\"Height\":0.5,\"Left\":0.6,\"Top\":0.25},"
    "\"Polygon\":[{\"X\":0.6,\"Y\":0.75},{\"X\":0.6,\"Y\":0.25},{\"X\":0.64,\"Y\":0.25},"
    "{\"X\":0.64,\"Y\":0.75}]}},"
    "{\"BlockType\":\"WORD\",\"Id\":\"w1\",\"Confidence\":99.5,\"Text\":\"Hobbit\"}]}");
}

static void
test_textract_engine (void)
{
  g_autoptr(BiAwsTestServer) server = bi_aws_test_server_new (textract_cb, NULL);
  g_autoptr(BiAwsClient) client = bi_aws_test_client_new (BI_AWS_SERVICE_TEXTRACT,
                                                          bi_aws_test_server_get_url (server),
                                                          NULL);
  g_autoptr(BiTextractEngine) engine = bi_textract_engine_new (client);
  BiOcrEngine *port = bi_textract_engine_as_port (engine);
  g_autoptr(GBytes) photo = png_header ();
  g_autoptr(GError) error = NULL;
  g_autoptr(BiOcrResult) result = port->recognize (port, photo, &error);
  BiAwsTestRequest *request = g_ptr_array_index (bi_aws_test_server_requests (server), 0);
  g_autofree char *expected_bytes = g_base64_encode (g_bytes_get_data (photo, NULL),
                                                     g_bytes_get_size (photo));
  g_autofree char *body = g_strndup (g_bytes_get_data (request->body, NULL),
                                     g_bytes_get_size (request->body));
  BiOcrLine *title;
  BiOcrLine *spine;

  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (request->headers, "content-type"), ==,
                   "application/x-amz-json-1.1");
  g_assert_nonnull (strstr (body, expected_bytes));
  g_assert_cmpint (result->width, ==, 1000);
  g_assert_cmpint (result->height, ==, 800);
  g_assert_cmpuint (result->lines->len, ==, 2);

  title = g_ptr_array_index (result->lines, 0);
  g_assert_cmpstr (title->text, ==, "The Hobbit");
  g_assert_cmpfloat_with_epsilon (title->confidence, 0.995, 1e-9);
  g_assert_cmpint (title->x, ==, 100);
  g_assert_cmpint (title->y, ==, 400);
  g_assert_cmpint (title->width, ==, 200);
  g_assert_cmpint (title->height, ==, 40);
  g_assert_cmpfloat (title->angle, ==, 0.0);
  g_assert_cmpint (title->region, ==, -1);

  spine = g_ptr_array_index (result->lines, 1);
  g_assert_cmpstr (spine->text, ==, "Dune");
  g_assert_cmpint (spine->x, ==, 600);
  g_assert_cmpint (spine->y, ==, 200);
  g_assert_cmpint (spine->width, ==, 40);
  g_assert_cmpint (spine->height, ==, 400);
  g_assert_cmpfloat (spine->angle, ==, 270.0);
}

/* The start of a JPEG stored 1000 × 800 (little-endian EXIF) with @orientation. */
static GBytes *
jpeg_header (guint8 orientation)
{
  const guint8 header[] = {
    0xff, 0xd8,
    0xff, 0xe1, 0x00, 0x22, 'E', 'x', 'i', 'f', 0, 0,          /* APP1, 32 bytes of data */
    'I', 'I', 0x2a, 0x00, 0x08, 0x00, 0x00, 0x00,              /* TIFF header, IFD at 8 */
    0x01, 0x00,                                                /* one entry: */
    0x12, 0x01, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00,            /* Orientation, SHORT, 1 */
    orientation, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00,                                    /* no next IFD */
    0xff, 0xc0, 0x00, 0x0b, 0x08, 0x03, 0x20, 0x03, 0xe8, 0x01, 0x01, 0x11, 0x00, /* SOF0 */
  };

  return g_bytes_new (header, sizeof header);
}

/* A photo to be turned 90° clockwise to be shown (EXIF 6): Textract is sent the stored grid
 * (tag set to 1) and its boxes come back in the shown photo's pixels. */
static void
test_textract_orientation (void)
{
  g_autoptr(BiAwsTestServer) server = bi_aws_test_server_new (textract_cb, NULL);
  g_autoptr(BiAwsClient) client = bi_aws_test_client_new (BI_AWS_SERVICE_TEXTRACT,
                                                          bi_aws_test_server_get_url (server),
                                                          NULL);
  g_autoptr(BiTextractEngine) engine = bi_textract_engine_new (client);
  BiOcrEngine *port = bi_textract_engine_as_port (engine);
  g_autoptr(GBytes) photo = jpeg_header (6);
  g_autoptr(GBytes) upright = jpeg_header (1);
  g_autoptr(GError) error = NULL;
  g_autoptr(BiOcrResult) result = port->recognize (port, photo, &error);
  BiAwsTestRequest *request = g_ptr_array_index (bi_aws_test_server_requests (server), 0);
  g_autofree char *expected_bytes = g_base64_encode (g_bytes_get_data (upright, NULL),
                                                     g_bytes_get_size (upright));
  g_autofree char *body = g_strndup (g_bytes_get_data (request->body, NULL),
                                     g_bytes_get_size (request->body));
  BiOcrLine *title;
  BiOcrLine *spine;

  g_assert_no_error (error);
  g_assert_nonnull (strstr (body, expected_bytes));
  g_assert_cmpint (result->width, ==, 800);
  g_assert_cmpint (result->height, ==, 1000);

  /* Stored (100, 400) – (300, 440) of 1000 × 800 is shown at (360, 100) – (400, 300). */
  title = g_ptr_array_index (result->lines, 0);
  g_assert_cmpint (title->x, ==, 360);
  g_assert_cmpint (title->y, ==, 100);
  g_assert_cmpint (title->width, ==, 40);
  g_assert_cmpint (title->height, ==, 200);
  g_assert_cmpfloat (title->angle, ==, 90.0);

  /* A spine read bottom to top in the stored grid reads left to right once turned. */
  spine = g_ptr_array_index (result->lines, 1);
  g_assert_cmpint (spine->x, ==, 200);
  g_assert_cmpint (spine->y, ==, 600);
  g_assert_cmpint (spine->width, ==, 400);
  g_assert_cmpint (spine->height, ==, 40);
  g_assert_cmpfloat (spine->angle, ==, 0.0);
}

static void
test_textract_permanent_errors (void)
{
  g_autoptr(BiAwsTestServer) server = bi_aws_test_server_new (textract_cb, GINT_TO_POINTER (1));
  g_autoptr(BiAwsClient) client = bi_aws_test_client_new (BI_AWS_SERVICE_TEXTRACT,
                                                          bi_aws_test_server_get_url (server),
                                                          NULL);
  g_autoptr(BiTextractEngine) engine = bi_textract_engine_new (client);
  BiOcrEngine *port = bi_textract_engine_as_port (engine);
  g_autoptr(GBytes) photo = png_header ();
  g_autoptr(GBytes) not_a_photo = g_bytes_new_static ("GIF89a....", 10);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) sniff_error = NULL;
  g_autoptr(BiOcrResult) refused = port->recognize (port, photo, &error);
  g_autoptr(BiOcrResult) unread = port->recognize (port, not_a_photo, &sniff_error);

  g_assert_null (refused);
  g_assert_error (error, BI_STAGE_ERROR, BI_STAGE_ERROR_PERMANENT);
  g_assert_nonnull (strstr (error->message, "UnsupportedDocumentException"));
  g_assert_null (unread);
  g_assert_error (sniff_error, BI_STAGE_ERROR, BI_STAGE_ERROR_PERMANENT);
  /* The GIF never reached Textract. */
  g_assert_cmpuint (bi_aws_test_server_requests (server)->len, ==, 1);
}

/* ---- Bedrock Converse ---------------------------------------------------------------------- */

static BiAwsTestAnswer
bedrock_cb (const BiAwsTestRequest *request,
            guint                   index,
            gpointer                user_data)
{
  const char *model_text = user_data;
  /* libsoup may hand the path over with %3A decoded; the wire form is checked against
   * botocore by check-botocore-sigv4.py. */
  g_autofree char *path = g_uri_unescape_string (request->path, NULL);

  if (g_strcmp0 (path, "/model/anthropic.claude-3-haiku-20240307-v1:0/converse") != 0)
    {
      BiAwsTestAnswer answer = bi_aws_test_answer (404, "application/json",
                                                   "{\"message\":\"Unknown model\"}");

      answer.error_type = g_strdup ("ResourceNotFoundException:http://internal.amazon.com/");
      return answer;
    }
  if (model_text == NULL)
    {
      BiAwsTestAnswer answer = bi_aws_test_answer (400, "application/json",
                                                   "{\"message\":\"Malformed input request\"}");

      answer.error_type = g_strdup ("ValidationException");
      return answer;
    }
  return bi_aws_test_converse_answer (model_text);
}

/* Two spines read bottom to top, far apart: the heuristics make two candidates. */
static BiOcrResult *
two_spines (void)
{
  BiOcrResult *ocr = bi_ocr_result_new (1000, 800);

  g_ptr_array_add (ocr->lines, bi_ocr_line_new ("THE H0BBIT", 0.9, 100, 100, 40, 500, 270));
  g_ptr_array_add (ocr->lines, bi_ocr_line_new ("DUNE HERBERT", 0.9, 600, 100, 40, 500, 270));
  return ocr;
}

/* The candidates for two_spines() with Bedrock answering @model_text; *@server_out (the
 * stand-in, holding the requests it got) and *@heuristic_out are the caller's. */
static GPtrArray *
generate_with (const char       *model_text,
               GPtrArray       **heuristic_out,
               BiAwsTestServer **server_out)
{
  BiAwsTestServer *server = bi_aws_test_server_new (bedrock_cb, (gpointer) model_text);
  g_autoptr(BiAwsClient) client = bi_aws_test_client_new (BI_AWS_SERVICE_BEDROCK,
                                                          bi_aws_test_server_get_url (server),
                                                          NULL);
  g_autoptr(BiHeuristicCandidates) heuristics = bi_heuristic_candidates_new ();
  BiCandidateGenerator *fallback = bi_heuristic_candidates_as_port (heuristics);
  g_autoptr(BiBedrockCandidates) bedrock = bi_bedrock_candidates_new (client, NULL, fallback);
  BiCandidateGenerator *port = bi_bedrock_candidates_as_port (bedrock);
  g_autoptr(BiOcrResult) ocr = two_spines ();
  g_autoptr(GError) error = NULL;
  GPtrArray *candidates = port->generate (port, ocr, &error);

  g_assert_no_error (error);
  *heuristic_out = fallback->generate (fallback, ocr, &error);
  g_assert_no_error (error);
  *server_out = server;
  return candidates;
}

static void
test_bedrock_strict_answer (void)
{
  g_autoptr(GPtrArray) heuristic = NULL;
  g_autoptr(BiAwsTestServer) server = NULL;
  g_autoptr(GPtrArray) candidates = generate_with (
    "{\"books\":[{\"spine\":0,\"title\":\"The Hobbit\",\"author\":\"J. R. R. Tolkien\"},"
    "{\"spine\":1,\"title\":\"Dune\",\"author\":null}]}", &heuristic, &server);
  GPtrArray *requests = bi_aws_test_server_requests (server);
  BiAwsTestRequest *request;
  g_autofree char *body = NULL;
  BiCandidate *first;
  BiCandidate *second;

  g_assert_cmpuint (heuristic->len, ==, 2);
  g_assert_cmpuint (candidates->len, ==, 2);
  first = g_ptr_array_index (candidates, 0);
  second = g_ptr_array_index (candidates, 1);
  g_assert_cmpstr (first->title, ==, "The Hobbit");
  g_assert_cmpstr (first->author, ==, "J. R. R. Tolkien");
  g_assert_cmpstr (second->title, ==, "Dune");
  g_assert_null (second->author);
  /* Boxes, order and OCR text stay the heuristics'. */
  g_assert_cmpint (first->x, ==, ((BiCandidate *) g_ptr_array_index (heuristic, 0))->x);

  /* One request with every spine, in the documented Converse shape. */
  g_assert_cmpuint (requests->len, ==, 1);
  request = g_ptr_array_index (requests, 0);
  body = g_strndup (g_bytes_get_data (request->body, NULL), g_bytes_get_size (request->body));
  g_assert_nonnull (strstr (body, "\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":"));
  g_assert_nonnull (strstr (body, "0: THE H"));
  g_assert_nonnull (strstr (body, "1: DUNE HERBERT"));
  g_assert_nonnull (strstr (body, "\"system\":[{\"text\":"));
  g_assert_nonnull (strstr (g_hash_table_lookup (request->headers, "authorization"),
                            "/eu-west-1/bedrock/aws4_request"));
}

static void
assert_heuristics_stand (const char *model_text)
{
  g_autoptr(GPtrArray) heuristic = NULL;
  g_autoptr(BiAwsTestServer) server = NULL;
  g_autoptr(GPtrArray) candidates = generate_with (model_text, &heuristic, &server);

  g_assert_cmpuint (candidates->len, ==, heuristic->len);
  for (guint i = 0; i < candidates->len; i++)
    {
      BiCandidate *got = g_ptr_array_index (candidates, i);
      BiCandidate *expected = g_ptr_array_index (heuristic, i);

      g_assert_cmpstr (got->title, ==, expected->title);
      g_assert_cmpstr (got->author, ==, expected->author);
    }
}

static void
test_bedrock_loose_answers_rejected (void)
{
  /* Prose around the JSON, a fence, an index out of range, a repeated spine, an empty title,
   * a wrong type, an extra member, and an error answer: the heuristics stand each time. */
  assert_heuristics_stand ("Here you go: {\"books\":[{\"spine\":0,\"title\":\"X\"}]}");
  assert_heuristics_stand ("```json\n{\"books\":[{\"spine\":0,\"title\":\"X\"}]}\n```");
  assert_heuristics_stand ("{\"books\":[{\"spine\":2,\"title\":\"X\",\"author\":null}]}");
  assert_heuristics_stand ("{\"books\":[{\"spine\":0,\"title\":\"X\"},"
                           "{\"spine\":0,\"title\":\"Y\"}]}");
  assert_heuristics_stand ("{\"books\":[{\"spine\":0,\"title\":\"  \"}]}");
  assert_heuristics_stand ("{\"books\":[{\"spine\":\"0\",\"title\":\"X\"}]}");
  assert_heuristics_stand ("{\"books\":[],\"note\":\"none\"}");
  assert_heuristics_stand (NULL);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bookimg/aws/core/environment", test_environment);
  for (guint i = 0; i < G_N_ELEMENTS (retry_cases); i++)
    g_test_add_data_func (retry_cases[i].path, &retry_cases[i], test_retry_case);
  g_test_add_func ("/bookimg/aws/core/retry-connection-refused", test_retry_connection_refused);
  g_test_add_func ("/bookimg/aws/sns/publish", test_sns_publish);
  g_test_add_func ("/bookimg/aws/textract/engine", test_textract_engine);
  g_test_add_func ("/bookimg/aws/textract/orientation", test_textract_orientation);
  g_test_add_func ("/bookimg/aws/textract/permanent-errors", test_textract_permanent_errors);
  g_test_add_func ("/bookimg/aws/bedrock/strict-answer", test_bedrock_strict_answer);
  g_test_add_func ("/bookimg/aws/bedrock/loose-answers-rejected",
                   test_bedrock_loose_answers_rejected);
  return g_test_run ();
}
