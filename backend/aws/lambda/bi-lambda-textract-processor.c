/* bi-lambda-textract-processor.c — _HANDLER=textract-processor: the OCR stage over SQS,
 * reading photos with Textract
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-lambda-textract-processor"

#include "bi-lambda-handler.h"
#include "bi-lambda-sqs-batch.h"
#include "bi-textract-engine.h"

typedef struct
{
  BiLambdaStageHandler *stage;
  BiTextractEngine     *textract;
} TextractProcessor;

static void
textract_processor_free (gpointer data)
{
  TextractProcessor *self = data;

  bi_lambda_stage_handler_free (self->stage);
  g_clear_pointer (&self->textract, bi_textract_engine_free);
  g_free (self);
}

static gpointer
textract_processor_init (BiLambdaServices  *services,
                         GError           **error)
{
  TextractProcessor *self = g_new0 (TextractProcessor, 1);

  self->stage = bi_lambda_stage_handler_new (services, BI_QUEUE_OCR, BI_STAGE_OCR,
                                             bi_stage_ocr, error);
  if (self->stage == NULL)
    {
      textract_processor_free (self);
      return NULL;
    }
  self->textract = bi_textract_engine_new (bi_lambda_services_get_client (services));
  self->stage->ports.ocr_engine = bi_textract_engine_as_port (self->textract);
  return self;
}

static char *
textract_processor_handle (gpointer                  data,
                           const BiLambdaInvocation *invocation,
                           GError                  **error)
{
  TextractProcessor *self = data;

  return bi_lambda_sqs_batch_run (self->stage, invocation, error);
}

const BiLambdaHandler bi_lambda_textract_processor = {
  .name = "textract-processor",
  .init = textract_processor_init,
  .handle = textract_processor_handle,
  .free = textract_processor_free,
};
