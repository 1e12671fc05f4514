/* bi-open-library-dump.c — one line of an Open Library dump, as the catalog needs it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-open-library-dump"

#include "bi-open-library-dump.h"
#include "bi-catalog-format.h"
#include "bi-isbn.h"
#include "bi-protocol-messages.h"

#include <stdlib.h>
#include <string.h>

/* Authors kept per work; more are credits (illustrators, translators) a spine does not show. */
#define MAX_WORK_AUTHORS 16

static JsonObject *
object_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

static JsonArray *
array_member (JsonObject *object,
              const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
}

/* The first four-digit run of a free-form date: "1954", "July 29, 1954", "c1954", "1954?". */
static int
year_of_date (const char *date)
{
  for (const char *p = date; p != NULL && *p != '\0'; p++)
    {
      gsize digits = strspn (p, "0123456789");

      if (digits == 4)
        return atoi (p);
      if (digits > 0)
        p += digits - 1;
    }
  return 0;
}

/* A work's authors are [{"author": {"key": "/authors/OL1A"}, "type": …}]; older records
 * have {"key": …} directly or "author": "/authors/OL1A". Entries without a key are ignored. */
static char **
author_keys_of (JsonObject *work)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  JsonArray *authors = array_member (work, "authors");
  guint n = authors != NULL ? json_array_get_length (authors) : 0;
  guint kept = 0;

  for (guint i = 0; i < n && kept < MAX_WORK_AUTHORS; i++)
    {
      JsonNode *element = json_array_get_element (authors, i);
      JsonObject *entry = JSON_NODE_HOLDS_OBJECT (element) ? json_node_get_object (element)
                                                           : NULL;
      const char *key = bi_json_object_get_string (object_member (entry, "author"), "key");

      if (key == NULL)
        key = bi_json_object_get_string (entry, "author");
      if (key == NULL)
        key = bi_json_object_get_string (entry, "key");
      if (key != NULL && g_str_has_prefix (key, "/authors/"))
        {
          g_strv_builder_add (builder, key);
          kept++;
        }
    }
  return g_strv_builder_end (builder);
}

/* The first ISBN of @names (arrays of strings) with a correct check digit, as an ISBN-13. */
static char *
first_valid_isbn (JsonObject        *edition,
                  const char *const *names)
{
  for (guint n = 0; names[n] != NULL; n++)
    {
      JsonArray *isbns = array_member (edition, names[n]);
      guint length = isbns != NULL ? json_array_get_length (isbns) : 0;

      for (guint i = 0; i < length; i++)
        {
          JsonNode *element = json_array_get_element (isbns, i);
          char *isbn13;

          if (!JSON_NODE_HOLDS_VALUE (element) ||
              json_node_get_value_type (element) != G_TYPE_STRING)
            continue;
          isbn13 = bi_isbn_to_isbn13 (json_node_get_string (element));
          if (isbn13 != NULL)
            return isbn13;
        }
    }
  return NULL;
}

static gboolean
parse_author (JsonObject           *json,
              BiOpenLibraryRecord  *record,
              char                **reason)
{
  record->name = bi_catalog_clean_text (bi_json_object_get_string (json, "name"));
  if (record->name == NULL)
    return bi_catalog_skip (reason, "the author %s has no name", record->key);
  if (strlen (record->name) > BI_CATALOG_MAX_TEXT_LENGTH)
    return bi_catalog_skip (reason, "the name of %s is longer than %d bytes", record->key,
                            BI_CATALOG_MAX_TEXT_LENGTH);
  return TRUE;
}

static gboolean
parse_work (JsonObject           *json,
            BiOpenLibraryRecord  *record,
            char                **reason)
{
  record->title = bi_catalog_clean_text (bi_json_object_get_string (json, "title"));
  if (record->title == NULL)
    return bi_catalog_skip (reason, "the work %s has no title", record->key);
  if (strlen (record->title) > BI_CATALOG_MAX_TEXT_LENGTH)
    return bi_catalog_skip (reason, "the title of %s is longer than %d bytes", record->key,
                            BI_CATALOG_MAX_TEXT_LENGTH);
  record->author_keys = author_keys_of (json);
  record->year = year_of_date (bi_json_object_get_string (json, "first_publish_date"));
  return TRUE;
}

static gboolean
parse_edition (JsonObject           *json,
               BiOpenLibraryRecord  *record,
               char                **reason)
{
  JsonArray *works = array_member (json, "works");
  JsonNode *first = works != NULL && json_array_get_length (works) > 0
                    ? json_array_get_element (works, 0) : NULL;
  const char *work_key = first != NULL && JSON_NODE_HOLDS_OBJECT (first)
                         ? bi_json_object_get_string (json_node_get_object (first), "key") : NULL;

  if (work_key == NULL || !g_str_has_prefix (work_key, "/works/"))
    return bi_catalog_skip (reason, "the edition %s names no work", record->key);
  record->work_key = g_strdup (work_key);

  record->isbn13 = first_valid_isbn (json, (const char *const[]) { "isbn_13", "isbn_10", NULL });
  if (record->isbn13 == NULL)
    return bi_catalog_skip (reason, "the edition %s has no ISBN with a correct check digit",
                            record->key);
  return TRUE;
}

gboolean
bi_open_library_record_parse (JsonParser           *parser,
                              const char           *line,
                              gsize                 length,
                              BiOpenLibraryRecord  *record,
                              char                **reason)
{
  static const struct { const char *type; const char *key_prefix; BiOpenLibraryType value; }
  types[] = {
    { "/type/author", "/authors/", BI_OPEN_LIBRARY_AUTHOR },
    { "/type/work", "/works/", BI_OPEN_LIBRARY_WORK },
    { "/type/edition", "/books/", BI_OPEN_LIBRARY_EDITION },
  };
  g_auto(GStrv) fields = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonNode *root;
  JsonObject *json;
  guint type;

  g_return_val_if_fail (JSON_IS_PARSER (parser) && line != NULL, FALSE);
  g_return_val_if_fail (record != NULL && reason != NULL, FALSE);

  memset (record, 0, sizeof *record);

  text = g_strndup (line, length);
  if (!g_utf8_validate (text, -1, NULL))
    return bi_catalog_skip (reason, "the line is not valid UTF-8");
  fields = g_strsplit (text, "\t", 5);
  if (g_strv_length (fields) != 5)
    return bi_catalog_skip (reason, "the line has %u tab-separated fields instead of 5 (type, "
                            "key, revision, last_modified, JSON)", g_strv_length (fields));

  for (type = 0; type < G_N_ELEMENTS (types); type++)
    if (strcmp (fields[0], types[type].type) == 0)
      break;
  if (type == G_N_ELEMENTS (types))
    return bi_catalog_skip (reason, "the type \"%.32s\" is not an author, work or edition",
                            fields[0]);
  if (!g_str_has_prefix (fields[1], types[type].key_prefix) || strlen (fields[1]) > 64)
    return bi_catalog_skip (reason, "the key \"%.64s\" is not a %s key", fields[1],
                            types[type].key_prefix);
  record->type = types[type].value;
  record->key = g_strdup (fields[1]);

  if (!json_parser_load_from_data (parser, fields[4], -1, &error))
    return bi_catalog_skip (reason, "the JSON of %s does not parse: %s", record->key,
                            error->message);
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return bi_catalog_skip (reason, "the JSON of %s is not an object", record->key);
  json = json_node_get_object (root);

  switch (record->type)
    {
    case BI_OPEN_LIBRARY_AUTHOR:
      return parse_author (json, record, reason);
    case BI_OPEN_LIBRARY_WORK:
      return parse_work (json, record, reason);
    case BI_OPEN_LIBRARY_EDITION:
    default:
      return parse_edition (json, record, reason);
    }
}

void
bi_open_library_record_clear (BiOpenLibraryRecord *record)
{
  g_clear_pointer (&record->key, g_free);
  g_clear_pointer (&record->name, g_free);
  g_clear_pointer (&record->title, g_free);
  g_clear_pointer (&record->author_keys, g_strfreev);
  g_clear_pointer (&record->work_key, g_free);
  g_clear_pointer (&record->isbn13, g_free);
}
