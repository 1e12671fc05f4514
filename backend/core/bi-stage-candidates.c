/* bi-stage-candidates.c — candidates → validation
 *
 * Rebuilds the OCR result from the message, asks the candidate generator port for title and
 * author guesses and passes them on. The output (the validation message) is kept as
 * `<jobId>/candidates.json`.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-stage-candidates"

#include "bi-stage-common.h"

#include <string.h>

static BiOcrLine *
parse_line (JsonObject  *object,
            gint64       n_regions,
            GError     **error)
{
  const char *text;
  const char *kind = NULL;
  double confidence;
  double angle;
  gint64 region = -1;
  int bbox[4];
  BiOcrLine *line;

  /* "region" and "kind" are optional: OCR outputs stored before they existed lack them. */
  if ((text = bi_stage_member_string (object, "text", TRUE, error)) == NULL ||
      !bi_stage_member_double (object, "confidence", 0.0, 1.0, &confidence, error) ||
      !bi_stage_member_bbox (object, "bbox", bbox, error) ||
      !bi_stage_member_double (object, "angle", -360.0, 360.0, &angle, error) ||
      !bi_stage_member_int_or_default (object, "region", -1, n_regions - 1, &region, error) ||
      !bi_stage_member_optional_string (object, "kind", &kind, error))
    return NULL;

  if (kind != NULL && strcmp (kind, "text") != 0 && strcmp (kind, "barcode") != 0)
    {
      g_set_error (error, BI_STAGE_ERROR, BI_STAGE_ERROR_PERMANENT,
                   "The line's “kind” is “%.32s”; it must be “text” or “barcode”.", kind);
      return NULL;
    }

  if (strlen (text) > BI_STAGE_MAX_TEXT_LENGTH)
    {
      g_set_error (error, BI_STAGE_ERROR, BI_STAGE_ERROR_PERMANENT,
                   "The line's “text” is longer than %d bytes.", BI_STAGE_MAX_TEXT_LENGTH);
      return NULL;
    }

  line = bi_ocr_line_new (text, confidence, bbox[0], bbox[1], bbox[2], bbox[3], angle);
  line->region = (int) region;
  line->kind = kind != NULL && strcmp (kind, "barcode") == 0 ? BI_OCR_LINE_BARCODE
                                                             : BI_OCR_LINE_TEXT;
  return line;
}

static gboolean
parse_region (JsonObject   *object,
              BiOcrRegion  *region,
              GError      **error)
{
  const char *kind;
  int bbox[4];

  if (!bi_stage_member_bbox (object, "bbox", bbox, error) ||
      !bi_stage_member_double (object, "angle", -360.0, 360.0, &region->angle, error) ||
      (kind = bi_stage_member_string (object, "kind", FALSE, error)) == NULL)
    return FALSE;

  if (strcmp (kind, "spine") != 0 && strcmp (kind, "cover") != 0)
    {
      g_set_error (error, BI_STAGE_ERROR, BI_STAGE_ERROR_PERMANENT,
                   "The region's “kind” is “%.32s”; it must be “spine” or “cover”.", kind);
      return FALSE;
    }

  region->x = bbox[0];
  region->y = bbox[1];
  region->width = bbox[2];
  region->height = bbox[3];
  region->kind = strcmp (kind, "cover") == 0 ? BI_OCR_REGION_COVER : BI_OCR_REGION_SPINE;
  return TRUE;
}

/* The candidates message, validated and turned back into an OCR result. */
typedef struct
{
  BiStageMessage  message;
  BiOcrResult    *ocr;
} CandidatesInput;

static void
candidates_input_clear (CandidatesInput *input)
{
  bi_stage_message_clear (&input->message);
  g_clear_pointer (&input->ocr, bi_ocr_result_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CandidatesInput, candidates_input_clear)

static gboolean
parse_input (const char       *text,
             CandidatesInput  *input,
             GError          **error)
{
  JsonArray *lines;
  JsonArray *regions = NULL;
  int width;
  int height;

  if (!bi_stage_message_init (&input->message, text, "candidates_ms", error) ||
      !bi_stage_member_image (input->message.object, &width, &height, error) ||
      (lines = bi_stage_member_array (input->message.object, "lines", error)) == NULL)
    return FALSE;
  if (json_object_has_member (input->message.object, "regions") &&
      (regions = bi_stage_member_array (input->message.object, "regions", error)) == NULL)
    return FALSE;

  input->ocr = bi_ocr_result_new (width, height);
  for (guint i = 0; regions != NULL && i < json_array_get_length (regions); i++)
    {
      JsonObject *region_object = bi_stage_element_object (regions, i, "regions", error);
      BiOcrRegion region = { 0 };

      if (region_object == NULL || !parse_region (region_object, &region, error))
        {
          g_prefix_error (error, "In regions[%u]: ", i);
          return FALSE;
        }
      g_array_append_val (input->ocr->regions, region);
    }

  for (guint i = 0; i < json_array_get_length (lines); i++)
    {
      JsonObject *line_object = bi_stage_element_object (lines, i, "lines", error);
      BiOcrLine *line = line_object != NULL
                        ? parse_line (line_object, input->ocr->regions->len, error) : NULL;

      if (line == NULL)
        {
          g_prefix_error (error, "In lines[%u]: ", i);
          return FALSE;
        }
      g_ptr_array_add (input->ocr->lines, line);
    }

  return TRUE;
}

static void
add_candidate (JsonBuilder       *builder,
               const BiCandidate *candidate)
{
  g_autofree char *text = bi_stage_text_sanitize (candidate->text);
  g_autofree char *title = bi_stage_text_sanitize (candidate->title != NULL ? candidate->title
                                                                            : candidate->text);
  g_autofree char *author = candidate->author != NULL
                            ? bi_stage_text_sanitize (candidate->author) : NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, text);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, title);
  json_builder_set_member_name (builder, "author");
  if (author != NULL)
    json_builder_add_string_value (builder, author);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "bbox");
  bi_stage_add_bbox (builder, candidate->x, candidate->y, candidate->width, candidate->height);
  json_builder_set_member_name (builder, "position");
  json_builder_add_int_value (builder, CLAMP (candidate->position, 0, BI_STAGE_MAX_ITEMS));
  json_builder_set_member_name (builder, "angle");
  json_builder_add_double_value (builder, bi_stage_clamp_angle (candidate->angle));
  json_builder_set_member_name (builder, "confidence");
  json_builder_add_double_value (builder, bi_stage_clamp_confidence (candidate->confidence));
  json_builder_set_member_name (builder, "isbn13");
  if (candidate->isbn13 != NULL)
    json_builder_add_string_value (builder, candidate->isbn13);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);
}

static JsonNode *
generate_candidates (gpointer       data,
                     BiStagePorts  *ports,
                     GError       **error)
{
  CandidatesInput *input = data;
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  gint64 start = g_get_monotonic_time ();
  guint n_candidates;

  candidates = ports->candidate_generator->generate (ports->candidate_generator, input->ocr,
                                                     error);
  if (candidates == NULL)
    return NULL;
  bi_stage_message_set_elapsed (&input->message, start);

  builder = bi_stage_output_begin (&input->message);
  json_builder_set_member_name (builder, "image");
  json_builder_add_value (builder,
                          json_node_copy (json_object_get_member (input->message.object,
                                                                  "image")));
  json_builder_set_member_name (builder, "candidates");
  json_builder_begin_array (builder);
  n_candidates = MIN (candidates->len, BI_STAGE_MAX_ITEMS);
  for (guint i = 0; i < n_candidates; i++)
    add_candidate (builder, g_ptr_array_index (candidates, i));
  json_builder_end_array (builder);

  return bi_stage_output_end (builder, &input->message);
}

gboolean
bi_stage_candidates (const char    *text,
                     BiStagePorts  *ports,
                     GError       **error)
{
  g_auto(CandidatesInput) input = { { 0 }, NULL };
  g_autofree char *output = NULL;

  g_return_val_if_fail (ports != NULL && ports->blob_store != NULL && ports->queue != NULL &&
                        ports->candidate_generator != NULL, FALSE);

  if (!parse_input (text, &input, error))
    return FALSE;

  output = bi_stage_output_get_or_make (ports, input.message.job_id, input.message.key,
                                        BI_STAGE_OUTPUT_CANDIDATES, generate_candidates,
                                        &input, error);
  if (output == NULL)
    return FALSE;

  return ports->queue->send (ports->queue, BI_QUEUE_VALIDATION, output, error);
}
