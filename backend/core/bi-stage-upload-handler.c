/* bi-stage-upload-handler.c — upload-events → ocr
 *
 * Takes the job id from each S3 ObjectCreated record's key (decoded the way S3 encodes event
 * keys), checks that the photo is in the uploads bucket and is an image we read, and queues
 * it for OCR. Every record is checked before any is sent, so a bad event queues nothing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-stage-upload-handler"

#include "bi-stage-common.h"
#include "bi-image-type.h"
#include "bi-object-key.h"
#include "bi-protocol-messages.h"

#include <string.h>

/* The decoded key of one record; its photo is checked. Returns the OCR message. */
static char *
ocr_message_for_record (JsonObject    *record,
                        BiStagePorts  *ports,
                        GError       **error)
{
  const char *event_source;
  const char *event_name;
  const char *event_key;
  JsonObject *s3;
  JsonObject *object;
  g_autofree char *key = NULL;
  g_autofree char *job_id = NULL;
  g_autoptr(GBytes) photo = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  gsize size;
  const guint8 *data;

  event_source = bi_stage_member_string (record, "eventSource", FALSE, error);
  if (event_source == NULL)
    return NULL;
  event_name = bi_stage_member_string (record, "eventName", FALSE, error);
  if (event_name == NULL)
    return NULL;
  if (strcmp (event_source, "aws:s3") != 0 || !g_str_has_prefix (event_name, "ObjectCreated:"))
    {
      g_set_error (error, BI_STAGE_ERROR, BI_STAGE_ERROR_PERMANENT,
                   "The event is “%.64s” from “%.64s”; the upload handler takes only S3 "
                   "ObjectCreated events (check the bucket notification's filter).",
                   event_name, event_source);
      return NULL;
    }

  if ((s3 = bi_stage_member_object (record, "s3", error)) == NULL ||
      (object = bi_stage_member_object (s3, "object", error)) == NULL ||
      (event_key = bi_stage_member_string (object, "key", FALSE, error)) == NULL)
    return NULL;

  key = bi_object_key_decode (event_key, &local_error);
  if (key == NULL || !bi_object_key_parse (key, &job_id, NULL, &local_error))
    {
      g_set_error (error, BI_STAGE_ERROR, BI_STAGE_ERROR_PERMANENT,
                   "The uploaded object's key is not <jobId>/<file name>: %s",
                   local_error->message);
      return NULL;
    }

  photo = bi_stage_get_photo (ports, key, error);
  if (photo == NULL)
    return NULL;

  /* In AWS mode nothing looked at the bytes before: a presigned PUT takes anything. */
  data = g_bytes_get_data (photo, &size);
  if (bi_image_type_sniff (data, size) == NULL)
    {
      g_set_error (error, BI_STAGE_ERROR, BI_STAGE_ERROR_PERMANENT,
                   "The upload %s is not a JPEG, PNG, WebP or TIFF image; upload a photo.",
                   key);
      return NULL;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "jobId");
  json_builder_add_string_value (builder, job_id);
  json_builder_set_member_name (builder, "key");
  json_builder_add_string_value (builder, key);
  json_builder_set_member_name (builder, "bucket");
  json_builder_add_string_value (builder, "uploads");
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, (gint64) size);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return bi_json_to_string (root);
}

gboolean
bi_stage_upload_handler (const char    *message,
                         BiStagePorts  *ports,
                         GError       **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) ocr_messages = g_ptr_array_new_with_free_func (g_free);
  JsonArray *records;

  g_return_val_if_fail (ports != NULL && ports->blob_store != NULL && ports->queue != NULL,
                        FALSE);

  root = bi_stage_message_parse (message, error);
  if (root == NULL)
    return FALSE;

  records = bi_stage_member_array (json_node_get_object (root), "Records", error);
  if (records == NULL)
    return FALSE;
  if (json_array_get_length (records) == 0)
    {
      g_set_error_literal (error, BI_STAGE_ERROR, BI_STAGE_ERROR_PERMANENT,
                           "The event has no records; there is no upload to process.");
      return FALSE;
    }

  for (guint i = 0; i < json_array_get_length (records); i++)
    {
      JsonObject *record = bi_stage_element_object (records, i, "Records", error);
      char *ocr_message;

      if (record == NULL)
        return FALSE;
      ocr_message = ocr_message_for_record (record, ports, error);
      if (ocr_message == NULL)
        {
          g_prefix_error (error, "Record %u: ", i);
          return FALSE;
        }
      g_ptr_array_add (ocr_messages, ocr_message);
    }

  for (guint i = 0; i < ocr_messages->len; i++)
    if (!ports->queue->send (ports->queue, BI_QUEUE_OCR, g_ptr_array_index (ocr_messages, i),
                             error))
      return FALSE;

  return TRUE;
}

char *
bi_stage_upload_event_new (const char *key,
                           gsize       size)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *event_time = g_date_time_format_iso8601 (now);
  g_autofree char *encoded_key = bi_object_key_encode (key);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "Records");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "eventVersion");
  json_builder_add_string_value (builder, "2.1");
  json_builder_set_member_name (builder, "eventSource");
  json_builder_add_string_value (builder, "aws:s3");
  json_builder_set_member_name (builder, "eventTime");
  json_builder_add_string_value (builder, event_time);
  json_builder_set_member_name (builder, "eventName");
  json_builder_add_string_value (builder, "ObjectCreated:Put");
  json_builder_set_member_name (builder, "s3");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "bucket");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, "uploads");
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "object");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "key");
  json_builder_add_string_value (builder, encoded_key);
  json_builder_set_member_name (builder, "size");
  json_builder_add_int_value (builder, (gint64) size);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return bi_json_to_string (root);
}
