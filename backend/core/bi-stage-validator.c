/* bi-stage-validator.c — validation → final-results.json + topic
 *
 * The book matcher (backend/recognize/bi-book-matcher.h) asks the catalog port about every
 * spine of the photo, scores each hit with a calibrated probability of being the right book,
 * and assigns books over the whole photo at once: one book per spine, no book twice, the
 * largest expected number of right books; what a spine's book leaves of its text is matched
 * again, since a region may hold two or three spines. A spine without a book of at least
 * BI_BOOK_MATCHER_MIN_CONFIDENCE is "unresolved" (kept with its text, box and position for
 * the user to review). The final results are stored before they are published, so a pushed
 * result can always be read again.
 *
 * The matcher lives in the recognize library, so whatever links this stage links that
 * library too (the server, the Lambda and the tests do; the static libraries resolve each
 * other). Core's meson.build gives core the recognize headers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-stage-validator"

#include "bi-stage-common.h"
/* backend/recognize's headers are among core's include directories (backend/core/
 * meson.build says why). */
#include "bi-book-matcher.h"

#include <math.h>
#include <string.h>

/* The validation message, validated. */
typedef struct
{
  BiStageMessage  message;
  GPtrArray      *candidates; /* of BiCandidate */
} ValidationInput;

static void
validation_input_clear (ValidationInput *input)
{
  bi_stage_message_clear (&input->message);
  g_clear_pointer (&input->candidates, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ValidationInput, validation_input_clear)

static BiCandidate *
parse_candidate (JsonObject  *object,
                 GError     **error)
{
  g_autoptr(BiCandidate) candidate = bi_candidate_new ();
  const char *text;
  const char *title;
  const char *author = NULL;
  const char *isbn13 = NULL;
  JsonNode *author_node = json_object_get_member (object, "author");
  gint64 position;
  int bbox[4];

  if ((text = bi_stage_member_string (object, "text", TRUE, error)) == NULL ||
      (title = bi_stage_member_string (object, "title", TRUE, error)) == NULL ||
      !bi_stage_member_bbox (object, "bbox", bbox, error) ||
      !bi_stage_member_int (object, "position", 0, BI_STAGE_MAX_ITEMS, &position, error) ||
      !bi_stage_member_double (object, "angle", -360.0, 360.0, &candidate->angle, error) ||
      !bi_stage_member_double (object, "confidence", 0.0, 1.0, &candidate->confidence, error) ||
      !bi_stage_member_optional_string (object, "isbn13", &isbn13, error))
    return NULL;

  if (isbn13 != NULL && (strlen (isbn13) != 13 || strspn (isbn13, "0123456789") != 13))
    {
      g_set_error (error, BI_STAGE_ERROR, BI_STAGE_ERROR_PERMANENT,
                   "The candidate's “isbn13” is “%.32s”; it must be 13 digits.", isbn13);
      return NULL;
    }

  if (author_node != NULL && !JSON_NODE_HOLDS_NULL (author_node) &&
      (author = bi_stage_member_string (object, "author", TRUE, error)) == NULL)
    return NULL;

  if (strlen (text) > BI_STAGE_MAX_TEXT_LENGTH || strlen (title) > BI_STAGE_MAX_TEXT_LENGTH ||
      (author != NULL && strlen (author) > BI_STAGE_MAX_TEXT_LENGTH))
    {
      g_set_error (error, BI_STAGE_ERROR, BI_STAGE_ERROR_PERMANENT,
                   "The candidate's text, title or author is longer than %d bytes.",
                   BI_STAGE_MAX_TEXT_LENGTH);
      return NULL;
    }

  candidate->text = g_strdup (text);
  candidate->title = g_strdup (title);
  candidate->author = author != NULL && author[0] != '\0' ? g_strdup (author) : NULL;
  candidate->isbn13 = g_strdup (isbn13);
  candidate->x = bbox[0];
  candidate->y = bbox[1];
  candidate->width = bbox[2];
  candidate->height = bbox[3];
  candidate->position = (int) position;
  return g_steal_pointer (&candidate);
}

static gboolean
parse_input (const char       *text,
             ValidationInput  *input,
             GError          **error)
{
  JsonArray *candidates;
  int width;
  int height;

  if (!bi_stage_message_init (&input->message, text, "validation_ms", error) ||
      !bi_stage_member_image (input->message.object, &width, &height, error) ||
      (candidates = bi_stage_member_array (input->message.object, "candidates", error)) == NULL)
    return FALSE;

  input->candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) bi_candidate_free);
  for (guint i = 0; i < json_array_get_length (candidates); i++)
    {
      JsonObject *candidate_object = bi_stage_element_object (candidates, i, "candidates",
                                                              error);
      BiCandidate *candidate = candidate_object != NULL
                               ? parse_candidate (candidate_object, error) : NULL;

      if (candidate == NULL)
        {
          g_prefix_error (error, "In candidates[%u]: ", i);
          return FALSE;
        }
      g_ptr_array_add (input->candidates, candidate);
    }

  return TRUE;
}

/* "text", "bbox" and "position": where on the photo a candidate was read. */
static void
add_location (JsonBuilder       *builder,
              const BiCandidate *candidate)
{
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, candidate->text);
  json_builder_set_member_name (builder, "bbox");
  bi_stage_add_bbox (builder, candidate->x, candidate->y, candidate->width, candidate->height);
  json_builder_set_member_name (builder, "position");
  json_builder_add_int_value (builder, candidate->position);
}

/* Three decimals: enough to rank, and the same text on every run. */
static double
rounded_confidence (double probability)
{
  return round (CLAMP (probability, 0.0, 1.0) * 1000.0) / 1000.0;
}

static void
add_book (JsonBuilder       *builder,
          const BiBookHit   *hit,
          const BiCandidate *candidate)
{
  g_autoptr(JsonNode) book_node = bi_book_to_json (hit->book);
  JsonObject *book = json_node_get_object (book_node);
  /* The order of ARCHITECTURE.md: confidence sits between isbn13 and source. */
  static const char * const before[] = { "title", "authors", "year", "isbn13" };
  static const char * const after[] = { "source", "sourceId" };

  json_builder_begin_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (before); i++)
    {
      json_builder_set_member_name (builder, before[i]);
      json_builder_add_value (builder, json_node_copy (json_object_get_member (book, before[i])));
    }
  json_builder_set_member_name (builder, "confidence");
  json_builder_add_double_value (builder, rounded_confidence (hit->probability));
  for (guint i = 0; i < G_N_ELEMENTS (after); i++)
    {
      json_builder_set_member_name (builder, after[i]);
      json_builder_add_value (builder, json_node_copy (json_object_get_member (book, after[i])));
    }
  json_builder_set_member_name (builder, "evidence");
  json_builder_begin_object (builder);
  add_location (builder, candidate);
  json_builder_set_member_name (builder, "angle");
  json_builder_add_double_value (builder, candidate->angle);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
}

static void
add_unresolved (JsonBuilder       *builder,
                const BiCandidate *candidate)
{
  json_builder_begin_object (builder);
  add_location (builder, candidate);
  json_builder_end_object (builder);
}

static int
compare_candidate_position (gconstpointer a,
                            gconstpointer b)
{
  const BiCandidate *candidate_a = *(const BiCandidate * const *) a;
  const BiCandidate *candidate_b = *(const BiCandidate * const *) b;

  return (candidate_a->position > candidate_b->position) -
         (candidate_a->position < candidate_b->position);
}

static JsonNode *
validate_candidates (gpointer       data,
                     BiStagePorts  *ports,
                     GError       **error)
{
  ValidationInput *input = data;
  g_autoptr(GPtrArray) books = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *results_key = NULL;
  g_autofree char *timestamp = NULL;
  gint64 start = g_get_monotonic_time ();
  guint n_books = 0;

  /* Shelf order, so books and unresolved spines come out left to right. */
  g_ptr_array_sort (input->candidates, compare_candidate_position);

  books = bi_book_matcher_resolve (ports->catalog, input->candidates,
                                   BI_BOOK_MATCHER_MIN_CONFIDENCE, error);
  if (books == NULL)
    return NULL;
  for (guint i = 0; i < books->len; i++)
    n_books += ((GPtrArray *) g_ptr_array_index (books, i))->len;

  bi_stage_message_set_elapsed (&input->message, start);
  results_key = g_strdup_printf ("%s/%s", input->message.job_id, BI_STAGE_OUTPUT_FINAL_RESULTS);
  timestamp = bi_stage_timestamp_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "jobId");
  json_builder_add_string_value (builder, input->message.job_id);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "complete");
  json_builder_set_member_name (builder, "validatedBooks");
  json_builder_add_int_value (builder, n_books);
  json_builder_set_member_name (builder, "totalCandidates");
  json_builder_add_int_value (builder, input->candidates->len);

  json_builder_set_member_name (builder, "books");
  json_builder_begin_array (builder);
  /* A spine holding several books (a region of two spines) gives each its evidence. */
  for (guint i = 0; i < input->candidates->len; i++)
    {
      GPtrArray *spine_books = g_ptr_array_index (books, i);

      for (guint k = 0; k < spine_books->len; k++)
        add_book (builder, g_ptr_array_index (spine_books, k),
                  g_ptr_array_index (input->candidates, i));
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "unresolved");
  json_builder_begin_array (builder);
  for (guint i = 0; i < input->candidates->len; i++)
    if (((GPtrArray *) g_ptr_array_index (books, i))->len == 0)
      add_unresolved (builder, g_ptr_array_index (input->candidates, i));
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "resultsLocation");
  json_builder_add_string_value (builder, results_key);
  json_builder_set_member_name (builder, "timings");
  json_builder_add_value (builder, json_node_copy (input->message.timings));
  json_builder_set_member_name (builder, "timestamp");
  json_builder_add_string_value (builder, timestamp);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

gboolean
bi_stage_validator (const char    *text,
                    BiStagePorts  *ports,
                    GError       **error)
{
  g_auto(ValidationInput) input = { { 0 }, NULL };
  g_autofree char *final_results = NULL;

  g_return_val_if_fail (ports != NULL && ports->blob_store != NULL && ports->topic != NULL &&
                        ports->catalog != NULL, FALSE);

  if (!parse_input (text, &input, error))
    return FALSE;

  /* Stored first (or found stored by an earlier delivery), then published. */
  final_results = bi_stage_output_get_or_make (ports, input.message.job_id, input.message.key,
                                               BI_STAGE_OUTPUT_FINAL_RESULTS,
                                               validate_candidates, &input, error);
  if (final_results == NULL)
    return FALSE;

  return ports->topic->publish (ports->topic, final_results, error);
}
