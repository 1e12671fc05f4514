/* bi-sqs-client.h — SQS (query protocol) and the BiQueue adapter
 *
 * The port's queue names ("ocr", "candidates", …) become SQS queues "<prefix>-<name>" of the
 * deployment; their URLs are given (Terraform passes them to the Lambdas) or looked up once
 * with GetQueueUrl and remembered.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bi-aws-client.h"
#include "bi-ports.h"

G_BEGIN_DECLS

#define BI_SQS_API_VERSION "2012-11-05"

/* Returns the MessageId. */
char     *bi_sqs_send_message  (BiAwsClient  *client,
                                const char   *queue_url,
                                const char   *body,
                                GError      **error);
/* The URL of queue @queue_name; BI_AWS_ERROR_NOT_FOUND when there is none. */
char     *bi_sqs_get_queue_url (BiAwsClient  *client,
                                const char   *queue_name,
                                GError      **error);
/* Creates the queue (or finds the existing one); returns its URL. For tools and tests:
 * a deployment's queues come from Terraform. */
char     *bi_sqs_create_queue  (BiAwsClient  *client,
                                const char   *queue_name,
                                GError      **error);

/* ---- BiQueue ---------------------------------------------------------------------------- */

typedef struct _BiSqsQueue BiSqsQueue;

/* @client is borrowed. @prefix: the deployment prefix ("bookimg" → "bookimg-ocr"). */
BiSqsQueue *bi_sqs_queue_new     (BiAwsClient *client,
                                  const char  *prefix);
void        bi_sqs_queue_free    (BiSqsQueue  *self);
/* Uses @queue_url for port queue @queue_name instead of looking it up. */
void        bi_sqs_queue_set_url (BiSqsQueue  *self,
                                  const char  *queue_name,
                                  const char  *queue_url);
BiQueue    *bi_sqs_queue_as_port (BiSqsQueue  *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiSqsQueue, bi_sqs_queue_free)

G_END_DECLS
