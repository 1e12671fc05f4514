/* bi-lambda-handler.h — what each _HANDLER of bookimg-lambda provides, and the table of them
 *
 * init runs once per process (a cold start) and checks the configuration the handler needs:
 * its failure is reported to POST /init/error. handle runs once per event.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bi-lambda-runtime.h"
#include "bi-lambda-services.h"

G_BEGIN_DECLS

typedef struct
{
  const char *name;  /* the _HANDLER value */
  /* Returns the handler's state (may hold borrowed @services). */
  gpointer  (*init)   (BiLambdaServices         *services,
                       GError                  **error);
  char     *(*handle) (gpointer                  state,
                       const BiLambdaInvocation *invocation,
                       GError                  **error);
  void      (*free)   (gpointer                  state);
} BiLambdaHandler;

extern const BiLambdaHandler bi_lambda_upload_handler;
extern const BiLambdaHandler bi_lambda_textract_processor;
extern const BiLambdaHandler bi_lambda_bedrock_processor;
extern const BiLambdaHandler bi_lambda_book_validator;
extern const BiLambdaHandler bi_lambda_connection_manager;
extern const BiLambdaHandler bi_lambda_sns_notifier;
extern const BiLambdaHandler bi_lambda_http_api;

/* The handler named @name, or NULL. */
const BiLambdaHandler *bi_lambda_handler_lookup (const char *name);
/* "upload-handler, textract-processor, …" for messages. */
char                  *bi_lambda_handler_list   (void);

/* The event as a JSON object; BI_LAMBDA_ERROR_BAD_EVENT otherwise. */
JsonNode              *bi_lambda_event_parse    (const BiLambdaInvocation *invocation,
                                                 GError                  **error);

/* The event's Records array (S3, SQS and SNS events); BI_LAMBDA_ERROR_BAD_EVENT naming
 * @source ("SQS events from its queue's event source mapping", …) when there is none. The
 * array belongs to @event. */
JsonArray             *bi_lambda_event_get_records (JsonNode               *event,
                                                    const char             *source,
                                                    GError                **error);

G_END_DECLS
