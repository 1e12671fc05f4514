/* bi-lambda-book-validator.c — _HANDLER=book-validator: the validation stage over SQS, against
 * the catalog database bundled in the zip
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-lambda-book-validator"

#include "bi-lambda-handler.h"
#include "bi-lambda-sqs-batch.h"

static gpointer
book_validator_init (BiLambdaServices  *services,
                     GError           **error)
{
  g_autoptr(GError) local_error = NULL;
  BiLambdaStageHandler *stage;
  BiCatalog *catalog;

  catalog = bi_lambda_services_catalog (services, error);
  if (catalog == NULL)
    return NULL;
  stage = bi_lambda_stage_handler_new (services, BI_QUEUE_VALIDATION, BI_STAGE_VALIDATION,
                                       bi_stage_validator, error);
  if (stage == NULL)
    return NULL;
  stage->ports.catalog = catalog;
  return stage;
}

static char *
book_validator_handle (gpointer                  data,
                       const BiLambdaInvocation *invocation,
                       GError                  **error)
{
  return bi_lambda_sqs_batch_run (data, invocation, error);
}

const BiLambdaHandler bi_lambda_book_validator = {
  .name = "book-validator",
  .init = book_validator_init,
  .handle = book_validator_handle,
  .free = bi_lambda_stage_handler_free,
};
