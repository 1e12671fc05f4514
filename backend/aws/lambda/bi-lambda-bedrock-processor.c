/* bi-lambda-bedrock-processor.c — _HANDLER=bedrock-processor: the candidates stage over SQS
 *
 * The built-in heuristics make the title/author guesses. With BOOKIMG_BEDROCK_MODEL_ID set,
 * a Bedrock model corrects them (bi-bedrock-candidates.h): its answer is taken only when it is
 * exactly the strict form asked for, so a failed or odd answer leaves the heuristics' guesses
 * standing rather than failing the job. An empty model id means heuristics only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-lambda-bedrock-processor"

#include "bi-lambda-handler.h"
#include "bi-lambda-sqs-batch.h"
#include "bi-bedrock-candidates.h"
#include "bi-heuristic-candidates.h"

typedef struct
{
  BiLambdaStageHandler  *stage;
  BiHeuristicCandidates *heuristics;
  BiBedrockCandidates   *bedrock;    /* NULL: heuristics only */
} BedrockProcessor;

static void
bedrock_processor_free (gpointer data)
{
  BedrockProcessor *self = data;

  bi_lambda_stage_handler_free (self->stage);
  g_clear_pointer (&self->bedrock, bi_bedrock_candidates_free);
  g_clear_pointer (&self->heuristics, bi_heuristic_candidates_free);
  g_free (self);
}

static gpointer
bedrock_processor_init (BiLambdaServices  *services,
                        GError           **error)
{
  const char *model_id = bi_lambda_services_get_config (services)->bedrock_model_id;
  BedrockProcessor *self;

  self = g_new0 (BedrockProcessor, 1);
  self->stage = bi_lambda_stage_handler_new (services, BI_QUEUE_CANDIDATES,
                                             BI_STAGE_CANDIDATES, bi_stage_candidates, error);
  if (self->stage == NULL)
    {
      bedrock_processor_free (self);
      return NULL;
    }
  self->heuristics = bi_heuristic_candidates_new ();
  self->stage->ports.candidate_generator = bi_heuristic_candidates_as_port (self->heuristics);
  if (model_id != NULL)
    {
      self->bedrock = bi_bedrock_candidates_new (bi_lambda_services_get_client (services),
                                                 model_id,
                                                 self->stage->ports.candidate_generator);
      self->stage->ports.candidate_generator = bi_bedrock_candidates_as_port (self->bedrock);
    }
  return self;
}

static char *
bedrock_processor_handle (gpointer                  data,
                          const BiLambdaInvocation *invocation,
                          GError                  **error)
{
  BedrockProcessor *self = data;

  return bi_lambda_sqs_batch_run (self->stage, invocation, error);
}

const BiLambdaHandler bi_lambda_bedrock_processor = {
  .name = "bedrock-processor",
  .init = bedrock_processor_init,
  .handle = bedrock_processor_handle,
  .free = bedrock_processor_free,
};
