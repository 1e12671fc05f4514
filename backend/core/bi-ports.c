/* bi-ports.c — constructors of the records that cross the ports
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-ports"

#include "bi-ports.h"

guint
bi_ocr_count_characters (const char *text)
{
  guint characters = 0;

  g_return_val_if_fail (text != NULL, 0);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    characters += g_unichar_isalnum (g_utf8_get_char (p)) ? 1 : 0;
  return characters;
}

BiOcrLine *
bi_ocr_line_new (const char *text,
                 double      confidence,
                 int         x,
                 int         y,
                 int         width,
                 int         height,
                 double      angle)
{
  BiOcrLine *line = g_new0 (BiOcrLine, 1);

  line->text = g_strdup (text);
  line->confidence = confidence;
  line->weakest_word = confidence;
  line->x = x;
  line->y = y;
  line->width = width;
  line->height = height;
  line->angle = angle;
  line->region = -1;
  line->kind = BI_OCR_LINE_TEXT;
  return line;
}

void
bi_ocr_line_free (BiOcrLine *line)
{
  if (line == NULL)
    return;

  g_free (line->text);
  g_free (line);
}

BiOcrResult *
bi_ocr_result_new (int width,
                   int height)
{
  BiOcrResult *result = g_new0 (BiOcrResult, 1);

  result->width = width;
  result->height = height;
  result->lines = g_ptr_array_new_with_free_func ((GDestroyNotify) bi_ocr_line_free);
  result->regions = g_array_new (FALSE, TRUE, sizeof (BiOcrRegion));
  return result;
}

void
bi_ocr_result_free (BiOcrResult *result)
{
  if (result == NULL)
    return;

  g_clear_pointer (&result->lines, g_ptr_array_unref);
  g_clear_pointer (&result->regions, g_array_unref);
  g_free (result);
}

BiCandidate *
bi_candidate_new (void)
{
  return g_new0 (BiCandidate, 1);
}

void
bi_candidate_free (BiCandidate *candidate)
{
  if (candidate == NULL)
    return;

  g_free (candidate->text);
  g_free (candidate->title);
  g_free (candidate->author);
  g_free (candidate->isbn13);
  g_free (candidate);
}

BiBook *
bi_book_new (void)
{
  BiBook *book = g_new0 (BiBook, 1);

  book->authors = g_new0 (char *, 1);
  return book;
}

BiBook *
bi_book_copy (const BiBook *book)
{
  BiBook *copy;

  g_return_val_if_fail (book != NULL, NULL);

  copy = g_new0 (BiBook, 1);
  copy->title = g_strdup (book->title);
  copy->authors = g_strdupv (book->authors);
  copy->year = book->year;
  copy->isbn13 = g_strdup (book->isbn13);
  copy->source = g_strdup (book->source);
  copy->source_id = g_strdup (book->source_id);
  copy->score = book->score;
  return copy;
}

void
bi_book_free (BiBook *book)
{
  if (book == NULL)
    return;

  g_free (book->title);
  g_strfreev (book->authors);
  g_free (book->isbn13);
  g_free (book->source);
  g_free (book->source_id);
  g_free (book);
}

void
bi_shelf_mark_hit_free (BiShelfMarkHit *hit)
{
  if (hit == NULL)
    return;

  bi_book_free (hit->book);
  g_free (hit->shelf_mark);
  g_free (hit);
}

JsonNode *
bi_book_to_json (const BiBook *book)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  g_return_val_if_fail (book != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, book->title);
  json_builder_set_member_name (builder, "authors");
  json_builder_begin_array (builder);
  for (guint i = 0; book->authors != NULL && book->authors[i] != NULL; i++)
    json_builder_add_string_value (builder, book->authors[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "year");
  if (book->year != 0)
    json_builder_add_int_value (builder, book->year);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "isbn13");
  if (book->isbn13 != NULL)
    json_builder_add_string_value (builder, book->isbn13);
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "source");
  json_builder_add_string_value (builder, book->source != NULL ? book->source : "catalog");
  json_builder_set_member_name (builder, "sourceId");
  if (book->source_id != NULL)
    json_builder_add_string_value (builder, book->source_id);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}
