/* bi-export-csl-json.c — CSL-JSON items, for citeproc processors (Zotero, pandoc)
 *
 * Each book is {"id" (the BibTeX key), "type":"book", "title", "author":[{"family","given"}],
 * "issued":{"date-parts":[[year]]}, "ISBN"}, the variables of the CSL 1.0.2 schema
 * (csl-data.json); "issued" and "ISBN" are left out when unknown, "given" for one-word names.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-export-csl-json"

#include "bi-export-writers.h"

#include "bi-export-citation-key.h"
#include "bi-export-normalize.h"

static void
add_authors (JsonBuilder  *builder,
             BiExportBook *book)
{
  json_builder_set_member_name (builder, "author");
  json_builder_begin_array (builder);
  for (guint i = 0; book->authors[i] != NULL; i++)
    {
      g_autofree char *family = NULL;
      g_autofree char *given = NULL;

      bi_export_split_name (book->authors[i], &family, &given);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "family");
      json_builder_add_string_value (builder, family);
      if (*given != '\0')
        {
          json_builder_set_member_name (builder, "given");
          json_builder_add_string_value (builder, given);
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
}

static void
add_item (JsonBuilder  *builder,
          BiExportBook *book,
          const char   *id)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, id);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "book");
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, book->title);
  if (book->authors[0] != NULL)
    add_authors (builder, book);

  if (book->year > 0)
    {
      json_builder_set_member_name (builder, "issued");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "date-parts");
      json_builder_begin_array (builder);
      json_builder_begin_array (builder);
      json_builder_add_int_value (builder, book->year);
      json_builder_end_array (builder);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }

  if (book->isbn13 != NULL)
    {
      json_builder_set_member_name (builder, "ISBN");
      json_builder_add_string_value (builder, book->isbn13);
    }
  json_builder_end_object (builder);
}

guint
bi_export_write_csl_json (GPtrArray *books,
                          GString   *out,
                          GPtrArray *skipped)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_auto(GStrv) ids = bi_export_citation_keys (books);

  json_builder_begin_array (builder);
  for (guint i = 0; i < books->len; i++)
    add_item (builder, g_ptr_array_index (books, i), ids[i]);
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  bi_export_append_json (out, root);
  return books->len;
}
