/* bi-stage-ocr.c — ocr → candidates
 *
 * Reads the photo from the uploads bucket, runs the OCR engine port on it and passes the
 * lines on. The output (the candidates message) is kept as `<jobId>/ocr.json`, so a
 * redelivered message does not run OCR again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-stage-ocr"

#include "bi-stage-common.h"

#include <string.h>

static void
add_line (JsonBuilder     *builder,
          const BiOcrLine *line)
{
  g_autofree char *text = bi_stage_text_sanitize (line->text);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, text);
  json_builder_set_member_name (builder, "confidence");
  json_builder_add_double_value (builder, bi_stage_clamp_confidence (line->confidence));
  json_builder_set_member_name (builder, "bbox");
  bi_stage_add_bbox (builder, line->x, line->y, line->width, line->height);
  json_builder_set_member_name (builder, "angle");
  json_builder_add_double_value (builder, bi_stage_clamp_angle (line->angle));
  json_builder_set_member_name (builder, "region");
  json_builder_add_int_value (builder, CLAMP (line->region, -1, BI_STAGE_MAX_ITEMS - 1));
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, line->kind == BI_OCR_LINE_BARCODE ? "barcode"
                                                                            : "text");
  json_builder_end_object (builder);
}

static void
add_region (JsonBuilder       *builder,
            const BiOcrRegion *region)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "bbox");
  bi_stage_add_bbox (builder, region->x, region->y, region->width, region->height);
  json_builder_set_member_name (builder, "angle");
  json_builder_add_double_value (builder, bi_stage_clamp_angle (region->angle));
  json_builder_set_member_name (builder, "kind");
  json_builder_add_string_value (builder, region->kind == BI_OCR_REGION_COVER ? "cover"
                                                                              : "spine");
  json_builder_end_object (builder);
}

static gboolean
parse_input (const char      *text,
             BiStageMessage  *message,
             GError         **error)
{
  const char *bucket;
  gint64 size;

  if (!bi_stage_message_init (message, text, "ocr_ms", error) ||
      (bucket = bi_stage_member_string (message->object, "bucket", FALSE, error)) == NULL ||
      !bi_stage_member_int (message->object, "size", 0, G_MAXINT64, &size, error))
    return FALSE;

  if (strcmp (bucket, "uploads") != 0)
    {
      g_set_error (error, BI_STAGE_ERROR, BI_STAGE_ERROR_PERMANENT,
                   "The message's “bucket” is “%.64s”; photos are read from “uploads”.",
                   bucket);
      return FALSE;
    }
  return TRUE;
}

static JsonNode *
recognize_photo (gpointer       data,
                 BiStagePorts  *ports,
                 GError       **error)
{
  BiStageMessage *message = data;
  g_autoptr(GBytes) photo = NULL;
  g_autoptr(BiOcrResult) result = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  gint64 start = g_get_monotonic_time ();
  guint n_lines;
  guint n_regions;

  photo = bi_stage_get_photo (ports, message->key, error);
  if (photo == NULL)
    return NULL;

  result = ports->ocr_engine->recognize (ports->ocr_engine, photo, error);
  if (result == NULL)
    return NULL;
  bi_stage_message_set_elapsed (message, start);

  builder = bi_stage_output_begin (message);
  json_builder_set_member_name (builder, "image");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "width");
  json_builder_add_int_value (builder, CLAMP (result->width, 1, BI_STAGE_MAX_IMAGE_SIDE));
  json_builder_set_member_name (builder, "height");
  json_builder_add_int_value (builder, CLAMP (result->height, 1, BI_STAGE_MAX_IMAGE_SIDE));
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "regions");
  json_builder_begin_array (builder);
  n_regions = result->regions != NULL ? MIN (result->regions->len, BI_STAGE_MAX_ITEMS) : 0;
  for (guint i = 0; i < n_regions; i++)
    add_region (builder, &g_array_index (result->regions, BiOcrRegion, i));
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "lines");
  json_builder_begin_array (builder);
  n_lines = result->lines != NULL ? MIN (result->lines->len, BI_STAGE_MAX_ITEMS) : 0;
  for (guint i = 0; i < n_lines; i++)
    add_line (builder, g_ptr_array_index (result->lines, i));
  json_builder_end_array (builder);

  return bi_stage_output_end (builder, message);
}

gboolean
bi_stage_ocr (const char    *text,
              BiStagePorts  *ports,
              GError       **error)
{
  g_auto(BiStageMessage) message = { 0 };
  g_autofree char *output = NULL;

  g_return_val_if_fail (ports != NULL && ports->blob_store != NULL && ports->queue != NULL &&
                        ports->ocr_engine != NULL, FALSE);

  if (!parse_input (text, &message, error))
    return FALSE;

  output = bi_stage_output_get_or_make (ports, message.job_id, message.key,
                                        BI_STAGE_OUTPUT_OCR, recognize_photo, &message, error);
  if (output == NULL)
    return FALSE;

  return ports->queue->send (ports->queue, BI_QUEUE_CANDIDATES, output, error);
}
