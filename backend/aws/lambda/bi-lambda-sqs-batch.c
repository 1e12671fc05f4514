/* bi-lambda-sqs-batch.c — a pipeline stage over an SQS event, with partial batch responses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-lambda-sqs-batch"

#include "bi-lambda-sqs-batch.h"
#include "bi-lambda-handler.h"
#include "bi-lambda-progress.h"

#include <string.h>

BiLambdaStageHandler *
bi_lambda_stage_handler_new (BiLambdaServices   *services,
                             const char         *queue_name,
                             BiStage             stage,
                             BiLambdaStageFunc   func,
                             GError            **error)
{
  g_autofree BiLambdaStageHandler *handler = g_new0 (BiLambdaStageHandler, 1);

  handler->queue_name = queue_name;
  handler->stage = stage;
  handler->func = func;
  handler->max_receive_count = bi_lambda_services_get_config (services)->max_receive_count;
  handler->ports.blob_store = bi_lambda_services_blob_store (services, error);
  if (handler->ports.blob_store == NULL)
    return NULL;
  handler->ports.queue = bi_lambda_services_queue (services, error);
  if (handler->ports.queue == NULL)
    return NULL;
  handler->ports.topic = bi_lambda_services_topic (services, error);
  if (handler->ports.topic == NULL)
    return NULL;
  return g_steal_pointer (&handler);
}

void
bi_lambda_stage_handler_free (gpointer handler)
{
  g_free (handler);
}

/* Publishes that the job of @body failed in this stage. FALSE when that could not be done
 * (the message must then come back). */
static gboolean
publish_failure (BiLambdaStageHandler *handler,
                 const char           *message_id,
                 const char           *body,
                 const char           *code,
                 const char           *error_message)
{
  g_autofree char *job_id = bi_stage_message_job_id (handler->queue_name, body);
  g_autofree char *failure = NULL;
  g_autoptr(GError) error = NULL;

  if (job_id == NULL)
    {
      /* Nothing to tell anyone: the message is not about a job of ours. */
      g_warning ("Dropping message %s of the %s queue, which names no job: %s", message_id,
                 handler->queue_name, error_message);
      return TRUE;
    }

  failure = bi_stage_failure_new (job_id, bi_stage_to_string (handler->stage), code,
                                  error_message);
  if (!handler->ports.topic->publish (handler->ports.topic, failure, &error))
    {
      g_warning ("Could not report that job %s failed in the %s stage (the message will be "
                 "retried): %s", job_id, bi_stage_to_string (handler->stage), error->message);
      return FALSE;
    }
  return TRUE;
}

/* Processes one record; TRUE when SQS may delete it. */
static gboolean
process_record (BiLambdaStageHandler *handler,
                const char           *message_id,
                const char           *body,
                guint                 receive_count)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *job_id = bi_stage_message_job_id (handler->queue_name, body);

  if (job_id != NULL)
    bi_lambda_progress_publish (handler->ports.topic, job_id, handler->stage, FALSE);
  if (handler->func (body, &handler->ports, &error))
    {
      if (job_id != NULL)
        bi_lambda_progress_publish (handler->ports.topic, job_id, handler->stage, TRUE);
      return TRUE;
    }

  if (g_error_matches (error, BI_STAGE_ERROR, BI_STAGE_ERROR_PERMANENT))
    {
      g_message ("The %s stage failed message %s for good: %s",
                 bi_stage_to_string (handler->stage), message_id, error->message);
      return publish_failure (handler, message_id, body, "stage_failed", error->message);
    }

  if (receive_count >= handler->max_receive_count)
    {
      g_autofree char *text = g_strdup_printf ("The %s stage failed %u times; the last error "
                                               "was: %s", bi_stage_to_string (handler->stage),
                                               receive_count, error->message);

      g_message ("Message %s: %s", message_id, text);
      /* Still listed: SQS moves it to the dead-letter queue, where it can be inspected. */
      publish_failure (handler, message_id, body, "retries_exhausted", text);
      return FALSE;
    }

  g_message ("The %s stage failed message %s (will retry): %s",
             bi_stage_to_string (handler->stage), message_id, error->message);
  return FALSE;
}

static guint
record_receive_count (JsonObject *record)
{
  JsonObject *attributes = NULL;
  const char *text;
  guint64 count = 0;

  if (json_object_has_member (record, "attributes")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (record, "attributes")))
    attributes = json_object_get_object_member (record, "attributes");
  text = bi_json_object_get_string (attributes, "ApproximateReceiveCount");
  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT, &count, NULL))
    return 1;
  return (guint) count;
}

static void
add_failure (JsonBuilder *builder,
             const char  *message_id)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "itemIdentifier");
  json_builder_add_string_value (builder, message_id);
  json_builder_end_object (builder);
}

char *
bi_lambda_sqs_batch_run (BiLambdaStageHandler     *handler,
                         const BiLambdaInvocation *invocation,
                         GError                  **error)
{
  g_autoptr(JsonNode) event = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) response = NULL;
  JsonArray *records;
  gint64 reserve_ms = BI_LAMBDA_RECORD_RESERVE_MS;
  guint n_failed = 0;

  event = bi_lambda_event_parse (invocation, error);
  if (event == NULL)
    return NULL;
  records = bi_lambda_event_get_records (event, "SQS events from its queue's event source mapping", error);
  if (records == NULL)
    return NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "batchItemFailures");
  json_builder_begin_array (builder);

  for (guint i = 0; i < json_array_get_length (records); i++)
    {
      JsonNode *node = json_array_get_element (records, i);
      JsonObject *record = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      const char *message_id = bi_json_object_get_string (record, "messageId");
      const char *body = bi_json_object_get_string (record, "body");
      gint64 started_us;
      gint64 took_ms;

      if (message_id == NULL)
        {
          /* It cannot be named in batchItemFailures: fail the whole batch so nothing is
           * deleted unprocessed. */
          g_set_error (error, BI_LAMBDA_ERROR, BI_LAMBDA_ERROR_BAD_EVENT,
                       "Record %u of the SQS event has no messageId.", i);
          return NULL;
        }

      if (bi_lambda_invocation_remaining_ms (invocation) < reserve_ms)
        {
          g_message ("Not starting message %s: %" G_GINT64_FORMAT " ms left of the "
                     "invocation; it is retried.", message_id,
                     bi_lambda_invocation_remaining_ms (invocation));
          add_failure (builder, message_id);
          n_failed++;
          continue;
        }

      started_us = g_get_monotonic_time ();
      if (body == NULL || !process_record (handler, message_id, body,
                                           record_receive_count (record)))
        {
          if (body == NULL)
            g_warning ("Message %s has no body; it is retried until it goes to the "
                       "dead-letter queue.", message_id);
          add_failure (builder, message_id);
          n_failed++;
        }
      took_ms = (g_get_monotonic_time () - started_us) / 1000;
      reserve_ms = MAX (reserve_ms, took_ms + BI_LAMBDA_RECORD_RESERVE_MS);
    }

  json_builder_end_array (builder);
  json_builder_end_object (builder);
  response = json_builder_get_root (builder);
  g_debug ("%u of %u messages to retry", n_failed, json_array_get_length (records));
  return json_to_string (response, FALSE);
}
