/* bi-aws-test-utils.h — what the AWS client tests share: emulators, clients, scripted servers
 *
 * Emulators (s3rver, dynalite, sqslite) are npm packages that tests/aws/install-emulators.sh
 * puts in the build dir (run here when missing); each test starts its own on a free loopback
 * port (run-emulator.js reports it) and waits until it answers. A missing Node or package
 * fails the test with the reason. Scripted servers are the shared bi-test-http-server (a
 * libsoup server on its own thread: the clients block) answering as the handler says with
 * AWS's error header; it records each request.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "bi-aws-client.h"
#include "bi-test-http-server.h"

G_BEGIN_DECLS

/* ---- emulators ----------------------------------------------------------------------------- */

typedef struct _BiAwsTestEmulator BiAwsTestEmulator;

/* @name: "s3rver", "dynalite" or "sqslite"; @buckets (s3rver) NULL-terminated or NULL. */
BiAwsTestEmulator *bi_aws_test_emulator_start   (const char         *name,
                                                 const char * const *buckets);
const char        *bi_aws_test_emulator_get_url (BiAwsTestEmulator  *self);
/* Stops it (SIGTERM) and removes its data dir. */
void               bi_aws_test_emulator_free    (BiAwsTestEmulator  *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiAwsTestEmulator, bi_aws_test_emulator_free)

/* A client with example credentials (s3rver's own key pair for S3) and a session token, region eu-west-1, @service's
 * endpoint @url, and a sleep that only appends the delay (guint ms) to @sleeps (may be NULL):
 * no test waits on backoff. */
BiAwsClient *bi_aws_test_client_new (BiAwsService  service,
                                     const char   *url,
                                     GArray       *sleeps);

/* ---- DynamoDB through dynalite ------------------------------------------------------------ */

/* CreateTable with @request, then DescribeTable until the table is ACTIVE, as DynamoDB's own
 * "table exists" waiter does: a table answers item calls only once ACTIVE, and dynalite too
 * marks it so a moment after CreateTable has answered (an item written at once failed now and
 * then with ResourceNotFoundException). */
void bi_aws_test_dynamodb_create_table (BiAwsClient *client,
                                        JsonNode    *request);

/* ---- SQS through sqslite ------------------------------------------------------------------ */

/* sqslite makes queue URLs from the Host header but recognises only
 * "http://localhost:PORT/queues/…" ones: the endpoint to give clients (still 127.0.0.1). */
char        *bi_aws_test_sqslite_endpoint (BiAwsTestEmulator *emulator);

typedef struct
{
  char *message_id;
  char *receipt_handle;
  char *body;
  char *receive_count;  /* ApproximateReceiveCount */
} BiAwsTestSqsMessage;

void bi_aws_test_sqs_message_free (BiAwsTestSqsMessage *message);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiAwsTestSqsMessage, bi_aws_test_sqs_message_free)

/* One message of @queue_url (without waiting), or NULL when none is visible. */
BiAwsTestSqsMessage *bi_aws_test_sqs_receive   (BiAwsClient *client,
                                                const char  *queue_url);
/* Only its body. */
char                *bi_aws_test_sqs_receive_body (BiAwsClient *client,
                                                   const char  *queue_url);
void                 bi_aws_test_sqs_delete    (BiAwsClient *client,
                                                const char  *queue_url,
                                                const char  *receipt_handle);

/* ---- scripted servers --------------------------------------------------------------------- */

/* What the server recorded of a request (method, path, query, lower-case headers, body). */
typedef BiTestHttpRequest BiAwsTestRequest;

typedef struct
{
  guint  status;
  char  *content_type;  /* may be NULL */
  char  *error_type;    /* an x-amzn-ErrorType header, or NULL */
  char  *body;          /* may be NULL */
} BiAwsTestAnswer;

/* Called on the server's thread; returns the answer (the server frees its strings). */
typedef BiAwsTestAnswer (*BiAwsTestHandler) (const BiAwsTestRequest *request,
                                             guint                   index,
                                             gpointer                user_data);

typedef struct _BiAwsTestServer BiAwsTestServer;

BiAwsTestServer *bi_aws_test_server_new      (BiAwsTestHandler  handler,
                                              gpointer          user_data);
const char      *bi_aws_test_server_get_url  (BiAwsTestServer  *self);
/* The requests received so far (BiAwsTestRequest *, valid as long as @self); the array
 * belongs to @self and is refreshed at each call. Call once the client returned. */
GPtrArray       *bi_aws_test_server_requests (BiAwsTestServer  *self);
void             bi_aws_test_server_free     (BiAwsTestServer  *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiAwsTestServer, bi_aws_test_server_free)

BiAwsTestAnswer  bi_aws_test_answer          (guint       status,
                                              const char *content_type,
                                              const char *body);

/* Bedrock Converse's 200 answer whose assistant message is the text @model_text. */
BiAwsTestAnswer  bi_aws_test_converse_answer (const char *model_text);

/* The value of form field @name in an application/x-www-form-urlencoded body, or NULL. */
char            *bi_aws_test_form_field      (GBytes     *body,
                                              const char *name);

G_END_DECLS
