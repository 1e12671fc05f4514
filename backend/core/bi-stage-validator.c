/* bi-stage-validator.c — validation → final-results.json + topic
 *
 * Looks each candidate up in the catalog port (title and author, else the title alone, else
 * the whole spine text) and keeps the best book whose confidence — the catalog's match score
 * weighed by the OCR confidence — reaches a threshold. Books are handed out best match first
 * so no book is given twice on one photo; candidates left without one are "unresolved" for
 * the user to review. The final results are stored before they are published, so a pushed
 * result can always be read again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-stage-validator"

#include "bi-stage-common.h"

#include <math.h>
#include <string.h>

/* Below this a match is more likely a coincidence of common words than the book. */
#define MIN_CONFIDENCE 0.6
/* Catalog hits considered per query. */
#define HITS_PER_QUERY 5
/* How much a poor OCR reading lowers the confidence of a perfect catalog match. */
#define OCR_CONFIDENCE_WEIGHT 0.4

/* The validation message, validated. */
typedef struct
{
  BiStageMessage  message;
  GPtrArray      *candidates; /* of BiCandidate */
} ValidationInput;

/* A candidate's possible book. */
typedef struct
{
  guint   candidate;  /* index in ValidationInput.candidates */
  guint   rank;       /* order of the catalog's hits */
  double  confidence;
  BiBook *book;
} Match;

static void
validation_input_clear (ValidationInput *input)
{
  bi_stage_message_clear (&input->message);
  g_clear_pointer (&input->candidates, g_ptr_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ValidationInput, validation_input_clear)

static void
match_clear (gpointer data)
{
  Match *match = data;

  g_clear_pointer (&match->book, bi_book_free);
}

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

static double
combined_confidence (double catalog_score,
                     double ocr_confidence)
{
  double confidence = catalog_score * (1.0 - OCR_CONFIDENCE_WEIGHT +
                                       OCR_CONFIDENCE_WEIGHT * ocr_confidence);

  /* Three decimals: enough to rank, and the same text on every run. */
  return round (CLAMP (confidence, 0.0, 1.0) * 1000.0) / 1000.0;
}

/* Adds the candidate's matches from the first query that has any. */
static gboolean
find_matches (BiCatalog          *catalog,
              const BiCandidate  *candidate,
              guint               index,
              GArray             *matches,
              GError            **error)
{
  g_autofree char *title_and_author = candidate->author != NULL
                                      ? g_strdup_printf ("%s %s", candidate->title,
                                                         candidate->author)
                                      : NULL;
  const char *queries[] = { title_and_author, candidate->title, candidate->text };

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      g_autoptr(GPtrArray) hits = NULL;
      guint before = matches->len;
      gboolean asked = FALSE;

      for (guint earlier = 0; earlier < q; earlier++)
        asked |= g_strcmp0 (queries[q], queries[earlier]) == 0;
      if (queries[q] == NULL || queries[q][0] == '\0' || asked)
        continue;

      hits = catalog->search (catalog, queries[q], HITS_PER_QUERY, error);
      if (hits == NULL)
        return FALSE;

      for (guint rank = 0; rank < hits->len; rank++)
        {
          BiBook *book = g_ptr_array_index (hits, rank);
          Match match = { index, rank, combined_confidence (book->score,
                                                            candidate->confidence), NULL };

          if (match.confidence < MIN_CONFIDENCE || book->source_id == NULL)
            continue;
          match.book = bi_book_copy (book);
          g_array_append_val (matches, match);
        }
      if (matches->len > before)
        break;
    }

  return TRUE;
}

static int
compare_matches (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  const Match *match_a = a;
  const Match *match_b = b;
  GPtrArray *candidates = user_data;
  const BiCandidate *candidate_a = g_ptr_array_index (candidates, match_a->candidate);
  const BiCandidate *candidate_b = g_ptr_array_index (candidates, match_b->candidate);
  int position_a = candidate_a->position;
  int position_b = candidate_b->position;

  if (match_a->confidence != match_b->confidence)
    return match_a->confidence > match_b->confidence ? -1 : 1;
  if (position_a != position_b)
    return position_a < position_b ? -1 : 1;
  return (match_a->rank > match_b->rank) - (match_a->rank < match_b->rank);
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

static void
add_book (JsonBuilder       *builder,
          const Match       *match,
          const BiCandidate *candidate)
{
  g_autoptr(JsonNode) book_node = bi_book_to_json (match->book);
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
  json_builder_add_double_value (builder, match->confidence);
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
  g_autoptr(GArray) matches = g_array_new (FALSE, TRUE, sizeof (Match));
  g_autoptr(GHashTable) used_books = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) chosen = g_hash_table_new (NULL, NULL); /* candidate → Match */
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *results_key = NULL;
  g_autofree char *timestamp = NULL;
  gint64 start = g_get_monotonic_time ();
  guint n_books;

  g_array_set_clear_func (matches, match_clear);

  /* Shelf order, so books and unresolved spines come out left to right. */
  g_ptr_array_sort (input->candidates, compare_candidate_position);

  for (guint i = 0; i < input->candidates->len; i++)
    if (!find_matches (ports->catalog, g_ptr_array_index (input->candidates, i), i, matches,
                       error))
      return NULL;

  /* Best matches first: a book goes to the candidate that matches it best. */
  g_array_sort_with_data (matches, compare_matches, input->candidates);
  for (guint i = 0; i < matches->len; i++)
    {
      Match *match = &g_array_index (matches, Match, i);

      if (g_hash_table_contains (chosen, GUINT_TO_POINTER (match->candidate + 1)) ||
          g_hash_table_contains (used_books, match->book->source_id))
        continue;
      g_hash_table_insert (chosen, GUINT_TO_POINTER (match->candidate + 1), match);
      g_hash_table_add (used_books, match->book->source_id);
    }
  n_books = g_hash_table_size (chosen);

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
  for (guint i = 0; i < input->candidates->len; i++)
    {
      const Match *match = g_hash_table_lookup (chosen, GUINT_TO_POINTER (i + 1));

      if (match != NULL)
        add_book (builder, match, g_ptr_array_index (input->candidates, i));
    }
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "unresolved");
  json_builder_begin_array (builder);
  for (guint i = 0; i < input->candidates->len; i++)
    if (!g_hash_table_contains (chosen, GUINT_TO_POINTER (i + 1)))
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
