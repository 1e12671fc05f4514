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
            GError     **error)
{
  const char *text;
  double confidence;
  double angle;
  int bbox[4];

  if ((text = bi_stage_member_string (object, "text", TRUE, error)) == NULL ||
      !bi_stage_member_double (object, "confidence", 0.0, 1.0, &confidence, error) ||
      !bi_stage_member_bbox (object, "bbox", bbox, error) ||
      !bi_stage_member_double (object, "angle", -360.0, 360.0, &angle, error))
    return NULL;

  if (strlen (text) > BI_STAGE_MAX_TEXT_LENGTH)
    {
      g_set_error (error, BI_STAGE_ERROR, BI_STAGE_ERROR_PERMANENT,
                   "The line's “text” is longer than %d bytes.", BI_STAGE_MAX_TEXT_LENGTH);
      return NULL;
    }

  return bi_ocr_line_new (text, confidence, bbox[0], bbox[1], bbox[2], bbox[3], angle);
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
  int width;
  int height;

  if (!bi_stage_message_init (&input->message, text, "candidates_ms", error) ||
      !bi_stage_member_image (input->message.object, &width, &height, error) ||
      (lines = bi_stage_member_array (input->message.object, "lines", error)) == NULL)
    return FALSE;

  input->ocr = bi_ocr_result_new (width, height);
  for (guint i = 0; i < json_array_get_length (lines); i++)
    {
      JsonObject *line_object = bi_stage_element_object (lines, i, "lines", error);
      BiOcrLine *line = line_object != NULL ? parse_line (line_object, error) : NULL;

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
