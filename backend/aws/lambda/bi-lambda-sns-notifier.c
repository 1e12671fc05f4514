/* bi-lambda-sns-notifier.c — _HANDLER=sns-notifier: pushes each job's outcome to its
 * subscribers
 *
 * SNS invokes the function with Records[].Sns.Message, each a topic message (the final results
 * or a failure; bi-topic-message.h) or a stage's jobProgress (bi-lambda-progress.h), which is
 * pushed as it is to the job's subscribers. For a final message: a failure is stored as the job's
 * final-results.json unless one is there (the validator stores complete results before
 * publishing), so GET /results and late subscribers see it; then the terminal push
 * (bi-lambda-job-results.h: its seq rule, and the slim form beyond API Gateway's 128 KiB frame
 * limit) is posted to every connection subscribed to the job (expired rows are ignored), and
 * the row of a connection that answers 410 Gone is deleted.
 *
 * A message that is not a valid topic message is logged and dropped (SNS would retry it in
 * vain). Failing to read the subscriptions or to store the document fails the invocation, so
 * SNS retries; pushes to connections that fail otherwise are logged (the client falls back on
 * GET /results when it reconnects).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-lambda-sns-notifier"

#include "bi-lambda-api-response.h"
#include "bi-lambda-handler.h"
#include "bi-lambda-job-results.h"
#include "bi-lambda-progress.h"
#include "bi-apigateway-management.h"
#include "bi-topic-message.h"

#include <string.h>

typedef struct
{
  BiLambdaPushParts        parts;
} SnsNotifier;

typedef struct
{
  guint pushed;
  guint gone;
  guint failed;
} PushCounts;

static gpointer
sns_notifier_init (BiLambdaServices  *services,
                   GError           **error)
{
  g_autofree SnsNotifier *self = g_new0 (SnsNotifier, 1);

  if (!bi_lambda_push_parts_init (&self->parts, services, error))
    return NULL;
  return g_steal_pointer (&self);
}

static gboolean
store_failure_document (SnsNotifier *self,
                        const char  *job_id,
                        const char  *text,
                        GError     **error)
{
  g_autofree char *key = bi_lambda_results_key (job_id);
  g_autoptr(GBytes) existing = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GError) local_error = NULL;

  existing = bi_lambda_results_get (self->parts.results_store, job_id, &local_error);
  if (existing != NULL)
    return TRUE;
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  data = g_bytes_new (text, strlen (text));
  return self->parts.results_store->put (self->parts.results_store, BI_BUCKET_RESULTS, key, data,
                                   "application/json", error);
}

/* Posts @push to every unexpired subscriber of @job_id; deletes the rows of gone ones. */
static gboolean
push_to_subscribers (SnsNotifier *self,
                     const char  *job_id,
                     const char  *push,
                     PushCounts  *counts,
                     GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GPtrArray) connection_ids = NULL;

  connection_ids = bi_dynamodb_subscriptions_list_by_job (self->parts.subscriptions, job_id, error);
  if (connection_ids == NULL)
    {
      g_prefix_error (error, "Could not list the subscribers of %s: ", job_id);
      return FALSE;
    }

  for (guint i = 0; i < connection_ids->len; i++)
    {
      const char *connection_id = g_ptr_array_index (connection_ids, i);

      g_clear_error (&local_error);
      if (bi_apigateway_post_to_connection (bi_lambda_services_get_client (self->parts.services),
                                            connection_id, push, &local_error))
        counts->pushed++;
      else if (g_error_matches (local_error, BI_AWS_ERROR, BI_AWS_ERROR_GONE))
        {
          counts->gone++;
          g_clear_error (&local_error);
          if (!bi_dynamodb_subscriptions_delete (self->parts.subscriptions, job_id, connection_id,
                                                 &local_error))
            g_warning ("Could not delete the subscription of a closed connection (it "
                       "expires by its TTL): %s", local_error->message);
        }
      else
        {
          counts->failed++;
          g_warning ("Could not push to a subscriber of %s: %s", job_id,
                     local_error->message);
        }
    }
  return TRUE;
}

static gboolean
notify (SnsNotifier *self,
        const char  *text,
        PushCounts  *counts,
        GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) message = NULL;
  g_autofree char *job_id = NULL;
  g_autofree char *push = NULL;
  const char *status;

  if (bi_lambda_progress_parse (text, &job_id))
    return push_to_subscribers (self, job_id, text, counts, error);

  if (!bi_topic_message_parse (text, -1, &job_id, &message, &local_error)
      || (push = bi_lambda_terminal_push_new (job_id, message, &local_error)) == NULL)
    {
      g_warning ("Dropping a topic message: %s", local_error->message);
      return TRUE;
    }

  status = bi_json_object_get_string (json_node_get_object (message), "status");
  if (g_strcmp0 (status, "failed") == 0 && !store_failure_document (self, job_id, text, error))
    {
      g_prefix_error (error, "Could not store the failure of %s: ", job_id);
      return FALSE;
    }

  return push_to_subscribers (self, job_id, push, counts, error);
}

static char *
sns_notifier_handle (gpointer                  data,
                     const BiLambdaInvocation *invocation,
                     GError                  **error)
{
  SnsNotifier *self = data;
  g_autoptr(JsonNode) event = NULL;
  JsonArray *records;
  PushCounts counts = { 0, };

  event = bi_lambda_event_parse (invocation, error);
  if (event == NULL)
    return NULL;
  records = bi_lambda_event_get_records (event, "the results topic's SNS events", error);
  if (records == NULL)
    return NULL;

  for (guint i = 0; i < json_array_get_length (records); i++)
    {
      const char *message = bi_lambda_event_get_string (json_array_get_element (records, i),
                                                        "Sns", "Message", NULL);

      if (message == NULL)
        {
          g_warning ("Record %u of the SNS event has no Sns.Message; skipped.", i);
          continue;
        }
      if (!notify (self, message, &counts, error))
        return NULL;
    }

  return g_strdup_printf ("{\"pushed\":%u,\"gone\":%u,\"failed\":%u}", counts.pushed,
                          counts.gone, counts.failed);
}

const BiLambdaHandler bi_lambda_sns_notifier = {
  .name = "sns-notifier",
  .init = sns_notifier_init,
  .handle = sns_notifier_handle,
  .free = g_free,
};
