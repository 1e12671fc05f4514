/* bi-lambda-upload-handler.c — _HANDLER=upload-handler: S3 ObjectCreated notifications
 *
 * S3 invokes the function asynchronously with its event notification (Records[].s3.bucket.name,
 * s3.object.key encoded as S3 does: `+` is a space, then %XX). Each record is handed to the
 * upload-handler stage on its own, so one bad upload does not hold back the others:
 *  - a permanent failure (not an image, a key that is not <jobId>/<name>) publishes the job's
 *    failure to the topic and is not retried;
 *  - a transient one fails the invocation, and Lambda retries the event (records already
 *    queued are queued again; the stages are idempotent).
 * A record for another bucket than BOOKIMG_UPLOADS_BUCKET is refused for good: the
 * notification is wired to the wrong bucket. Each record's job gets its "uploaded" progress
 * published (bi-lambda-progress.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-lambda-upload-handler"

#include "bi-lambda-handler.h"
#include "bi-lambda-progress.h"
#include "bi-protocol-messages.h"
#include "bi-stages.h"

typedef struct
{
  BiStagePorts ports;
  const char  *uploads_bucket; /* the services' */
} UploadHandler;

static gpointer
upload_handler_init (BiLambdaServices  *services,
                     GError           **error)
{
  g_autofree UploadHandler *self = g_new0 (UploadHandler, 1);

  self->ports.blob_store = bi_lambda_services_blob_store (services, error);
  if (self->ports.blob_store == NULL)
    return NULL;
  self->ports.queue = bi_lambda_services_queue (services, error);
  if (self->ports.queue == NULL)
    return NULL;
  self->ports.topic = bi_lambda_services_topic (services, error);
  if (self->ports.topic == NULL)
    return NULL;
  self->uploads_bucket = bi_lambda_services_get_config (services)->uploads_bucket;
  return g_steal_pointer (&self);
}

/* {"Records":[record]}: the stage's input for one record. */
static char *
single_record_event (JsonNode *record)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "Records");
  json_builder_begin_array (builder);
  json_builder_add_value (builder, json_node_copy (record));
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return bi_json_to_string (root);
}

static const char *
record_bucket (JsonNode *record)
{
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (record) ? json_node_get_object (record) : NULL;
  JsonNode *s3 = object != NULL && json_object_has_member (object, "s3")
                   ? json_object_get_member (object, "s3") : NULL;
  JsonNode *bucket = s3 != NULL && JSON_NODE_HOLDS_OBJECT (s3)
                     && json_object_has_member (json_node_get_object (s3), "bucket")
                       ? json_object_get_member (json_node_get_object (s3), "bucket") : NULL;

  return bucket != NULL && JSON_NODE_HOLDS_OBJECT (bucket)
           ? bi_json_object_get_string (json_node_get_object (bucket), "name") : NULL;
}

/* TRUE when the record is done with (queued, or failed for good and reported). */
static gboolean
handle_record (UploadHandler  *self,
               JsonNode       *record,
               guint           index,
               GError        **error)
{
  g_autofree char *event = single_record_event (record);
  g_autofree char *job_id = bi_stage_message_job_id (BI_QUEUE_UPLOAD_EVENTS, event);
  g_autofree char *failure = NULL;
  g_autoptr(GError) stage_error = NULL;
  const char *bucket = record_bucket (record);

  if (bucket != NULL && g_strcmp0 (bucket, self->uploads_bucket) != 0)
    g_set_error (&stage_error, BI_STAGE_ERROR, BI_STAGE_ERROR_PERMANENT,
                 "The notification is about bucket “%.64s”, but uploads go to “%s”; check "
                 "the bucket notification.", bucket, self->uploads_bucket);
  else
    {
      if (job_id != NULL)
        bi_lambda_progress_publish (self->ports.topic, job_id, BI_STAGE_UPLOADED, FALSE);
      if (bi_stage_upload_handler (event, &self->ports, &stage_error))
        {
          if (job_id != NULL)
            bi_lambda_progress_publish (self->ports.topic, job_id, BI_STAGE_UPLOADED, TRUE);
          return TRUE;
        }
    }

  if (!g_error_matches (stage_error, BI_STAGE_ERROR, BI_STAGE_ERROR_PERMANENT))
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&stage_error), "Record %u: ", index);
      return FALSE;
    }

  g_message ("Upload record %u failed for good: %s", index, stage_error->message);
  if (job_id == NULL)
    return TRUE; /* not one of our keys: there is no job to tell */

  failure = bi_stage_failure_new (job_id, bi_stage_to_string (BI_STAGE_UPLOADED),
                                  "stage_failed", stage_error->message);
  if (!self->ports.topic->publish (self->ports.topic, failure, error))
    {
      g_prefix_error (error, "Record %u: could not report that job %s failed: ", index, job_id);
      return FALSE;
    }
  return TRUE;
}

static char *
upload_handler_handle (gpointer                  data,
                       const BiLambdaInvocation *invocation,
                       GError                  **error)
{
  UploadHandler *self = data;
  g_autoptr(JsonNode) event = NULL;
  JsonArray *records;
  guint n_records;

  event = bi_lambda_event_parse (invocation, error);
  if (event == NULL)
    return NULL;
  records = bi_lambda_event_get_records (event, "S3 event notifications of the uploads bucket", error);
  if (records == NULL)
    return NULL;
  n_records = json_array_get_length (records);

  for (guint i = 0; i < n_records; i++)
    if (!handle_record (self, json_array_get_element (records, i), i, error))
      return NULL;

  return g_strdup_printf ("{\"records\":%u}", n_records);
}

const BiLambdaHandler bi_lambda_upload_handler = {
  .name = "upload-handler",
  .init = upload_handler_init,
  .handle = upload_handler_handle,
  .free = g_free,
};
