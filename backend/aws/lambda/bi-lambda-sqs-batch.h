/* bi-lambda-sqs-batch.h — runs a pipeline stage over an SQS event, with partial batch responses
 *
 * The event source mapping hands a batch of messages (Records[].messageId, body). Each is
 * given to the stage in turn; the response lists the ones to retry:
 * {"batchItemFailures":[{"itemIdentifier":messageId}]}, so SQS deletes the others.
 *  - success: not listed;
 *  - permanent failure (BI_STAGE_ERROR_PERMANENT): the job's failure is published to the
 *    topic (processingFailed, naming the stage, as the embedded host does) and the message is
 *    not listed: retrying cannot help. If publishing fails, it is listed, so it comes back;
 *  - transient failure: listed; on its last receive (ApproximateReceiveCount reaching
 *    BOOKIMG_MAX_RECEIVE_COUNT, after which SQS moves it to the dead-letter queue) the job's
 *    failure is published too, so the job never ends silently;
 *  - not started because the deadline is near: listed (as Lambda would time out on it).
 * Each message's job gets its progress (stage started, and finished on success) published
 * to the topic (bi-lambda-progress.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bi-lambda-runtime.h"
#include "bi-lambda-services.h"
#include "bi-protocol-messages.h"
#include "bi-stages.h"

G_BEGIN_DECLS

/* A record is started only with at least this much time left, or more when an earlier record
 * of the batch took longer. */
#define BI_LAMBDA_RECORD_RESERVE_MS 1000

typedef gboolean (*BiLambdaStageFunc) (const char    *message,
                                       BiStagePorts  *ports,
                                       GError       **error);

typedef struct
{
  const char        *queue_name; /* BI_QUEUE_OCR, … */
  BiStage            stage;
  BiLambdaStageFunc  func;
  BiStagePorts       ports;
  guint              max_receive_count;
} BiLambdaStageHandler;

/* Makes the ports every stage has (blob store, queue, topic); the caller adds its own. */
BiLambdaStageHandler *bi_lambda_stage_handler_new (BiLambdaServices      *services,
                                                   const char            *queue_name,
                                                   BiStage                stage,
                                                   BiLambdaStageFunc      func,
                                                   GError               **error);
void                  bi_lambda_stage_handler_free (gpointer              handler);

/* The partial batch response for @invocation's SQS event; NULL with an error only when the
 * event is not an SQS event at all (then every message is retried). */
char *bi_lambda_sqs_batch_run (BiLambdaStageHandler     *handler,
                               const BiLambdaInvocation *invocation,
                               GError                  **error);

G_END_DECLS
