/* test-aws-sqs-dynamodb.c — the SQS queue adapter against sqslite and the DynamoDB
 * subscriptions table against dynalite, both real emulators of the services' protocols
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-aws-sqs-dynamodb"

#include "bi-aws-test-utils.h"
#include "bi-dynamodb-client.h"
#include "bi-dynamodb-subscriptions.h"
#include "bi-protocol-error.h"
#include "bi-sqs-client.h"

#define TABLE "bookimg-subscriptions"
#define JOB_A "job-1714566645000-aaaaaaaaaaaaaaaaaaaaaa"
#define JOB_B "job-1714566645000-bbbbbbbbbbbbbbbbbbbbbb"

/* ---- SQS --------------------------------------------------------------------------------- */

static void
test_sqs_queue_port (void)
{
  g_autoptr(BiAwsTestEmulator) emulator = bi_aws_test_emulator_start ("sqslite", NULL);
  g_autofree char *endpoint = bi_aws_test_sqslite_endpoint (emulator);
  g_autoptr(BiAwsClient) client = bi_aws_test_client_new (BI_AWS_SERVICE_SQS, endpoint, NULL);
  g_autoptr(BiSqsQueue) queue = bi_sqs_queue_new (client, "bookimg-test");
  BiQueue *port = bi_sqs_queue_as_port (queue);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = bi_sqs_create_queue (client, "bookimg-test-ocr", &error);
  const char *body = "{\"jobId\":\"" JOB_A "\",\"key\":\"a b+c & ñ.jpg\"}";
  g_autofree char *received = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (url);

  /* The port's queue name "ocr" is the deployment's "bookimg-test-ocr", found by GetQueueUrl. */
  port->send (port, BI_QUEUE_OCR, body, &error);
  g_assert_no_error (error);
  received = bi_aws_test_sqs_receive_body (client, url);
  g_assert_cmpstr (received, ==, body);

  /* A queue the deployment does not have is reported as such. */
  g_assert_false (port->send (port, BI_QUEUE_VALIDATION, body, &error));
  g_assert_error (error, BI_AWS_ERROR, BI_AWS_ERROR_NOT_FOUND);
}

/* ---- DynamoDB ---------------------------------------------------------------------------- */

typedef struct
{
  BiAwsTestEmulator       *emulator;
  BiAwsClient             *client;
  BiDynamodbSubscriptions *subscriptions;
  gint64                   now_ms;
} Fixture;

static gint64
fixture_now (gpointer user_data)
{
  return ((Fixture *) user_data)->now_ms;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(JsonNode) create = bi_dynamodb_subscriptions_create_table_request (TABLE);

  fixture->emulator = bi_aws_test_emulator_start ("dynalite", NULL);
  fixture->client = bi_aws_test_client_new (BI_AWS_SERVICE_DYNAMODB,
                                            bi_aws_test_emulator_get_url (fixture->emulator),
                                            NULL);
  bi_aws_test_dynamodb_create_table (fixture->client, create);
  fixture->now_ms = 1714566645000;
  fixture->subscriptions = bi_dynamodb_subscriptions_new (fixture->client, TABLE,
                                                          60 * 60 * 1000);
  bi_dynamodb_subscriptions_set_clock (fixture->subscriptions, fixture_now, fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  bi_dynamodb_subscriptions_free (fixture->subscriptions);
  bi_aws_client_free (fixture->client);
  bi_aws_test_emulator_free (fixture->emulator);
}

static gboolean
contains (GPtrArray  *ids,
          const char *id)
{
  return g_ptr_array_find_with_equal_func (ids, id, g_str_equal, NULL);
}

static void
put (Fixture    *fixture,
     const char *job_id,
     const char *connection_id)
{
  g_autoptr(GError) error = NULL;

  gboolean stored = bi_dynamodb_subscriptions_put (fixture->subscriptions, job_id, connection_id,
                                                &error);

  /* the error first: it says what the emulator answered */
  g_assert_no_error (error);
  g_assert_true (stored);
}

/* Several connections per job, one connection on several jobs (API Gateway ids end in '='). */
static void
test_subscriptions_put_list_delete (Fixture       *fixture,
                                    gconstpointer  data)
{
  g_autoptr(GPtrArray) a = NULL;
  g_autoptr(GPtrArray) b = NULL;
  g_autoptr(GPtrArray) a_after = NULL;
  g_autoptr(GError) error = NULL;

  put (fixture, JOB_A, "L0SM9cOFvHcCIhw=");
  put (fixture, JOB_A, "Xk2abcDEFghiJKw=");
  put (fixture, JOB_B, "L0SM9cOFvHcCIhw=");
  put (fixture, JOB_A, "L0SM9cOFvHcCIhw="); /* a refresh, not a second row */

  a = bi_dynamodb_subscriptions_list_by_job (fixture->subscriptions, JOB_A, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (a->len, ==, 2);
  g_assert_true (contains (a, "L0SM9cOFvHcCIhw=") && contains (a, "Xk2abcDEFghiJKw="));
  b = bi_dynamodb_subscriptions_list_by_job (fixture->subscriptions, JOB_B, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (b->len, ==, 1);

  g_assert_true (bi_dynamodb_subscriptions_delete (fixture->subscriptions, JOB_A,
                                                   "Xk2abcDEFghiJKw=", &error));
  g_assert_no_error (error);
  a_after = bi_dynamodb_subscriptions_list_by_job (fixture->subscriptions, JOB_A, &error);
  g_assert_cmpuint (a_after->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (a_after, 0), ==, "L0SM9cOFvHcCIhw=");

  /* Bad ids are refused before any request. */
  g_assert_false (bi_dynamodb_subscriptions_put (fixture->subscriptions, "job-1", "c", &error));
  g_assert_error (error, BI_PROTOCOL_ERROR, BI_PROTOCOL_ERROR_BAD_JOB_ID);
}

/* $disconnect: every row of the connection goes, found through the connectionId index. */
static void
test_subscriptions_delete_by_connection (Fixture       *fixture,
                                         gconstpointer  data)
{
  g_autoptr(GPtrArray) a = NULL;
  g_autoptr(GPtrArray) b = NULL;
  g_autoptr(GError) error = NULL;
  guint n_deleted = 0;

  put (fixture, JOB_A, "L0SM9cOFvHcCIhw=");
  put (fixture, JOB_B, "L0SM9cOFvHcCIhw=");
  put (fixture, JOB_A, "Xk2abcDEFghiJKw=");

  g_assert_true (bi_dynamodb_subscriptions_delete_by_connection (fixture->subscriptions,
                                                                 "L0SM9cOFvHcCIhw=",
                                                                 &n_deleted, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_deleted, ==, 2);
  a = bi_dynamodb_subscriptions_list_by_job (fixture->subscriptions, JOB_A, &error);
  b = bi_dynamodb_subscriptions_list_by_job (fixture->subscriptions, JOB_B, &error);
  g_assert_cmpuint (a->len, ==, 1);
  g_assert_cmpuint (b->len, ==, 0);
}

/* Rows past their TTL are not read, although DynamoDB has not deleted them yet. */
static void
test_subscriptions_ttl (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) fresh = NULL;
  g_autoptr(GPtrArray) later = NULL;
  g_autoptr(JsonNode) key = json_from_string ("{\"jobId\":{\"S\":\"" JOB_A "\"},"
                                              "\"connectionId\":{\"S\":\"c1\"}}", NULL);
  g_autoptr(JsonNode) item = NULL;
  g_autoptr(GError) error = NULL;

  put (fixture, JOB_A, "c1");
  fixture->now_ms += 30 * 60 * 1000;
  put (fixture, JOB_A, "c2");

  /* The TTL attribute is Unix seconds, as DynamoDB's TTL requires. */
  item = bi_dynamodb_get_item (fixture->client, TABLE, key, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (json_node_get_object (item), "expiresAt"),
                     "N"), ==, "1714570245");

  fresh = bi_dynamodb_subscriptions_list_by_job (fixture->subscriptions, JOB_A, &error);
  g_assert_cmpuint (fresh->len, ==, 2);
  fixture->now_ms += 31 * 60 * 1000; /* c1 is 61 minutes old, c2 31 */
  later = bi_dynamodb_subscriptions_list_by_job (fixture->subscriptions, JOB_A, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (later->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (later, 0), ==, "c2");
}

/* A JSON-protocol error answer keeps DynamoDB's own code. */
static void
test_dynamodb_error (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(JsonNode) key = json_from_string ("{\"jobId\":{\"S\":\"x\"}}", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) item = bi_dynamodb_get_item (fixture->client, "no-such-table", key, FALSE,
                                                   &error);
  g_autofree char *code = bi_aws_error_get_code (error);

  g_assert_null (item);
  g_assert_error (error, BI_AWS_ERROR, BI_AWS_ERROR_NOT_FOUND);
  g_assert_cmpstr (code, ==, "ResourceNotFoundException");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bookimg/aws/sqs/queue-port", test_sqs_queue_port);
  g_test_add ("/bookimg/aws/dynamodb/subscriptions/put-list-delete", Fixture, NULL,
              fixture_set_up, test_subscriptions_put_list_delete, fixture_tear_down);
  g_test_add ("/bookimg/aws/dynamodb/subscriptions/delete-by-connection", Fixture, NULL,
              fixture_set_up, test_subscriptions_delete_by_connection, fixture_tear_down);
  g_test_add ("/bookimg/aws/dynamodb/subscriptions/ttl", Fixture, NULL, fixture_set_up,
              test_subscriptions_ttl, fixture_tear_down);
  g_test_add ("/bookimg/aws/dynamodb/error", Fixture, NULL, fixture_set_up,
              test_dynamodb_error, fixture_tear_down);
  return g_test_run ();
}
