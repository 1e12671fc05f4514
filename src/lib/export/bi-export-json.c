/* bi-export-json.c — the books as a JSON array
 *
 * Each book: {"title", "authors":[…], "year" (null when unknown), "isbn13" (null when none),
 * "confidence", "source", "sourceId", "photo", "position" (null when unknown), "ocrText",
 * "mergedFrom", "sightings":[{"photo","position","text","confidence"}]}. Unlike the final
 * results this is after merging: one object per book, the readings under "sightings".
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-export-json"

#include "bi-export-writers.h"

void
bi_export_append_json (GString  *out,
                       JsonNode *root)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *text = NULL;

  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  g_string_append (out, text);
  g_string_append_c (out, '\n');
}

static void
add_position (JsonBuilder *builder,
              gint64       position)
{
  json_builder_set_member_name (builder, "position");
  if (position >= 0)
    json_builder_add_int_value (builder, position);
  else
    json_builder_add_null_value (builder);
}

static void
add_sightings (JsonBuilder  *builder,
               BiExportBook *book)
{
  json_builder_set_member_name (builder, "sightings");
  json_builder_begin_array (builder);
  for (guint i = 0; i < book->sightings->len; i++)
    {
      BiExportSighting *sighting = g_ptr_array_index (book->sightings, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "photo");
      json_builder_add_string_value (builder, sighting->photo);
      add_position (builder, sighting->position);
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, sighting->ocr_text);
      json_builder_set_member_name (builder, "confidence");
      json_builder_add_double_value (builder, sighting->confidence);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
add_book (JsonBuilder  *builder,
          BiExportBook *book)
{
  json_builder_begin_object (builder);

  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, book->title);

  json_builder_set_member_name (builder, "authors");
  json_builder_begin_array (builder);
  for (guint i = 0; book->authors[i] != NULL; i++)
    json_builder_add_string_value (builder, book->authors[i]);
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "year");
  if (book->year > 0)
    json_builder_add_int_value (builder, book->year);
  else
    json_builder_add_null_value (builder);

  json_builder_set_member_name (builder, "isbn13");
  if (book->isbn13 != NULL)
    json_builder_add_string_value (builder, book->isbn13);
  else
    json_builder_add_null_value (builder);

  json_builder_set_member_name (builder, "confidence");
  json_builder_add_double_value (builder, book->confidence);
  json_builder_set_member_name (builder, "source");
  json_builder_add_string_value (builder, book->source);
  json_builder_set_member_name (builder, "sourceId");
  json_builder_add_string_value (builder, book->source_id);
  json_builder_set_member_name (builder, "photo");
  json_builder_add_string_value (builder, bi_export_book_get_photo (book));
  add_position (builder, bi_export_book_get_position (book));
  json_builder_set_member_name (builder, "ocrText");
  json_builder_add_string_value (builder, bi_export_book_get_ocr_text (book));
  json_builder_set_member_name (builder, "mergedFrom");
  json_builder_add_int_value (builder, bi_export_book_get_merged_from (book));
  add_sightings (builder, book);

  json_builder_end_object (builder);
}

guint
bi_export_write_json (GPtrArray *books,
                      GString   *out,
                      GPtrArray *skipped)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < books->len; i++)
    add_book (builder, g_ptr_array_index (books, i));
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  bi_export_append_json (out, root);
  return books->len;
}
