/* bi-lambda-progress.c — jobProgress messages with a seq fixed by (stage, state)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-lambda-progress"

#include "bi-lambda-progress.h"
#include "bi-job-id.h"

gint64
bi_lambda_progress_seq (BiStage  stage,
                        gboolean finished)
{
  g_return_val_if_fail (stage < BI_N_STAGES, 0);

  return 2 * (gint64) stage + (finished ? 2 : 1);
}

void
bi_lambda_progress_publish (BiTopic    *topic,
                            const char *job_id,
                            BiStage     stage,
                            gboolean    finished)
{
  g_autofree char *message = NULL;
  g_autoptr(GError) error = NULL;

  message = bi_message_job_progress_new (job_id, bi_lambda_progress_seq (stage, finished),
                                         stage, finished);
  if (!topic->publish (topic, message, &error))
    g_message ("Could not publish the progress of %s (%s %s); clients see the next step: %s",
               job_id, bi_stage_to_string (stage), finished ? "finished" : "started",
               error->message);
}

gboolean
bi_lambda_progress_parse (const char  *text,
                          char       **job_id)
{
  g_autoptr(JsonNode) root = json_from_string (text, NULL);
  JsonObject *object;
  const char *id;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;
  object = json_node_get_object (root);
  if (g_strcmp0 (bi_json_object_get_string (object, "type"), "jobProgress") != 0)
    return FALSE;
  id = bi_json_object_get_string (object, "jobId");
  if (!bi_job_id_validate (id, NULL))
    return FALSE;
  *job_id = g_strdup (id);
  return TRUE;
}
