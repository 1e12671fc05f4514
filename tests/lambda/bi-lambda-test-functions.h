/* bi-lambda-test-functions.h — the seven functions of AWS mode and the event sources between
 * them, played
 *
 * Each function is the real bookimg-lambda (one process per handler) with the environment
 * backend/terraform/functions.tf gives it, pointed at the world. Between them the test plays
 * what AWS itself does, and nothing else: S3's event notification (a stored upload becomes an
 * S3 event for upload-handler), the SQS event source mappings (receive from each sqslite
 * queue, invoke the stage's function with an SQS event, delete what it did not list in
 * batchItemFailures) and SNS's Lambda subscription (each captured Publish becomes an SNS event
 * for sns-notifier). The calls block; a thread of their own may make them while the test's
 * main context serves others.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bi-lambda-test-world.h"

G_BEGIN_DECLS

typedef struct
{
  BiLambdaTestWorld   *world;               /* borrowed */
  BiLambdaTestRuntime *http_api;
  BiLambdaTestRuntime *connection_manager;
  BiLambdaTestRuntime *upload_handler;
  BiLambdaTestRuntime *textract_processor;
  BiLambdaTestRuntime *bedrock_processor;
  BiLambdaTestRuntime *book_validator;
  BiLambdaTestRuntime *sns_notifier;
  guint                published;           /* Publish requests already handed to sns-notifier */
} BiLambdaTestFunctions;

/* Starts every function with the world's environment and @extra (as
 * bi_lambda_test_world_env(); may be NULL). */
void  bi_lambda_test_functions_start             (BiLambdaTestFunctions *functions,
                                                  BiLambdaTestWorld     *world,
                                                  const char * const    *extra);
void  bi_lambda_test_functions_stop              (BiLambdaTestFunctions *functions);

/* S3's notification of @key in the uploads bucket, sent once the object is stored: asks S3
 * until it is there (the client's PUT may still be on its way), then invokes upload-handler
 * with the S3 event. Fails the test when it does not appear within the pipeline's limit. */
void  bi_lambda_test_functions_notify_upload     (BiLambdaTestFunctions *functions,
                                                  const char            *key);
/* SNS's Lambda subscription: each message published since the last call, in order, as an
 * SNS event for sns-notifier. Returns how many. */
guint bi_lambda_test_functions_deliver_published (BiLambdaTestFunctions *functions);
/* Runs the event sources until nothing moves: every queue empty, every publish delivered. */
void  bi_lambda_test_functions_run_pipeline      (BiLambdaTestFunctions *functions);

G_END_DECLS
