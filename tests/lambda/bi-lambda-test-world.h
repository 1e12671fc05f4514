/* bi-lambda-test-world.h — the AWS side the Lambda tests run bookimg-lambda against
 *
 * Real emulators (s3rver with both buckets, sqslite with the three stage queues, dynalite with
 * the connections table), the real bookimg-server (its loopback @connections stands in for
 * API Gateway's management API; its /ws for the WebSocket side), an in-process server playing
 * SNS Publish (every message recorded) and, through the test's own handler, whatever else the
 * test plays (Textract, Bedrock), and the starter catalog in SQLite. Started once per test
 * program; tests keep apart by their own job ids.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bi-aws-test-utils.h"
#include "bi-lambda-test-runtime.h"
#include "bi-test-server.h"

G_BEGIN_DECLS

#define BI_LAMBDA_TEST_UPLOADS "bookimg-uploads"
#define BI_LAMBDA_TEST_RESULTS "bookimg-results"
#define BI_LAMBDA_TEST_TABLE   "bookimg-connections"
#define BI_LAMBDA_TEST_TOPIC   "arn:aws:sns:eu-west-1:123456789012:bookimg-results"

typedef enum
{
  BI_LAMBDA_TEST_QUEUE_OCR,
  BI_LAMBDA_TEST_QUEUE_CANDIDATES,
  BI_LAMBDA_TEST_QUEUE_VALIDATION,
  BI_LAMBDA_TEST_N_QUEUES,
} BiLambdaTestQueue;

typedef struct
{
  BiAwsTestEmulator *s3;
  BiAwsTestEmulator *sqs;
  BiAwsTestEmulator *dynamodb;
  BiAwsTestServer   *played;          /* SNS, and the test's handler for the rest */
  BiTestServer      *server;          /* @connections and /ws */
  BiAwsClient       *s3_client;
  BiAwsClient       *sqs_client;
  BiAwsClient       *dynamodb_client;
  char              *sqs_endpoint;    /* http://localhost:PORT: sqslite's queue URLs need it */
  char              *queue_urls[BI_LAMBDA_TEST_N_QUEUES];
  char              *dir;
  char              *catalog;         /* BOOKIMG_CATALOG_DATABASE */
  BiAwsTestHandler   handler;         /* requests that are not SNS Publish */
  gpointer           handler_data;
} BiLambdaTestWorld;

/* Starts everything. @handler answers the played requests that are not SNS Publish (may be
 * NULL: 400). The catalog is the starter catalog ($BOOKIMG_STARTER_CATALOG), as
 * build-aux/package-lambda bundles it. */
BiLambdaTestWorld   *bi_lambda_test_world_start        (BiAwsTestHandler    handler,
                                                        gpointer            handler_data);
void                 bi_lambda_test_world_stop         (BiLambdaTestWorld  *world);
/* A test program's main after g_test_init(): starts the world into *@world, runs the tests
 * added, stops it and returns g_test_run()'s status. */
int                  bi_lambda_test_world_run          (BiLambdaTestWorld **world,
                                                        BiAwsTestHandler    handler,
                                                        gpointer            handler_data);

/* What backend/terraform/functions.tf gives every function, pointed at the world, then
 * @extra ("NAME=value", NULL-terminated, may be NULL), which wins. */
GStrv                bi_lambda_test_world_env          (BiLambdaTestWorld  *world,
                                                        const char * const *extra);
/* bookimg-lambda with _HANDLER=@handler in that environment. */
BiLambdaTestRuntime *bi_lambda_test_world_function     (BiLambdaTestWorld  *world,
                                                        const char         *handler,
                                                        const char * const *extra);

void                 bi_lambda_test_world_put_object   (BiLambdaTestWorld  *world,
                                                        const char         *bucket,
                                                        const char         *key,
                                                        GBytes             *data,
                                                        const char         *content_type);

/* The messages published to the topic from the @from-th Publish on (NULL-terminated), and
 * in *@next the index to ask from next time. */
GStrv                bi_lambda_test_world_published    (BiLambdaTestWorld  *world,
                                                        guint               from,
                                                        guint              *next);
/* Those of them that mention @job_id. */
GPtrArray           *bi_lambda_test_world_published_about (BiLambdaTestWorld *world,
                                                           const char        *job_id);

/* ---- Lambda's event sources, played ---- */

/* An SQS event (what an event source mapping hands the function) of @messages
 * (BiAwsTestSqsMessage *) received from @queue. */
char                *bi_lambda_test_sqs_event          (BiLambdaTestQueue   queue,
                                                        GPtrArray          *messages);
/* The event source mapping once: receives what @queue has (up to 10), invokes @runtime with
 * it and deletes the messages the function did not list in batchItemFailures. Returns how
 * many it handed over (0: the queue was empty, the function not invoked). */
guint                bi_lambda_test_world_deliver      (BiLambdaTestWorld   *world,
                                                        BiLambdaTestQueue    queue,
                                                        BiLambdaTestRuntime *runtime);
/* An API Gateway HTTP API (payload 2.0) event for @method @path?@raw_query (may be NULL) with
 * @headers (NULL-terminated lower-case name, value, …; may be NULL). */
char                *bi_lambda_test_http_api_event     (const char         *method,
                                                        const char         *path,
                                                        const char         *raw_query,
                                                        const char * const *headers);

/* An API Gateway WebSocket API event of route @route_key (@event_type: CONNECT, MESSAGE or
 * DISCONNECT) for @connection_id, with the frame's text @body and the handshake's ?token=
 * @token (both may be NULL), as connection-manager gets it. */
char                *bi_lambda_test_websocket_event    (const char         *route_key,
                                                        const char         *event_type,
                                                        const char         *connection_id,
                                                        const char         *token,
                                                        const char         *body);

/* @text as the inside of a JSON string (for fixtures' "@NAME@" slots). */
char                *bi_lambda_test_json_string_inside (const char         *text);
/* How many of @messages (char *) contain @text. */
guint                bi_lambda_test_count_containing   (GPtrArray          *messages,
                                                        const char         *text);

G_END_DECLS
