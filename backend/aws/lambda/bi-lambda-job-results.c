/* bi-lambda-job-results.c — a job's terminal push in AWS mode, and its stored result
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-lambda-job-results"

#include "bi-lambda-job-results.h"
#include "bi-apigateway-management.h"
#include "bi-topic-message.h"

#include <gio/gio.h>
#include <string.h>

char *
bi_lambda_results_key (const char *job_id)
{
  return g_strconcat (job_id, "/", BI_LAMBDA_RESULTS_DOCUMENT, NULL);
}

GBytes *
bi_lambda_results_get (BiBlobStore *results_store,
                       const char  *job_id,
                       GError     **error)
{
  g_autofree char *key = bi_lambda_results_key (job_id);
  g_autoptr(GError) local_error = NULL;
  GBytes *document;

  document = results_store->get (results_store, BI_BUCKET_RESULTS, key, &local_error);
  if (document == NULL && !g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    g_propagate_error (error, g_steal_pointer (&local_error));
  return document;
}

char *
bi_lambda_push_slim (const char *job_id,
                     JsonNode   *topic_message)
{
  g_autoptr(JsonNode) slim = json_node_copy (topic_message);
  JsonObject *object = json_node_get_object (slim);

  json_object_remove_member (object, "books");
  json_object_remove_member (object, "unresolved");
  json_object_set_boolean_member (object, "resultsTruncated", TRUE);
  return bi_message_processing_complete_new (job_id, BI_LAMBDA_TERMINAL_SEQ, slim);
}

char *
bi_lambda_terminal_push_new (const char  *job_id,
                             JsonNode    *topic_message,
                             GError     **error)
{
  g_autofree char *push = NULL;
  gboolean failed = FALSE;

  push = bi_topic_message_to_push (job_id, BI_LAMBDA_TERMINAL_SEQ, topic_message, &failed,
                                   error);
  if (push == NULL)
    return NULL;
  /* A failure is a few hundred bytes; only results can pass the frame limit. */
  if (!failed && strlen (push) > BI_APIGATEWAY_MAX_MESSAGE_BYTES)
    return bi_lambda_push_slim (job_id, topic_message);
  return g_steal_pointer (&push);
}
