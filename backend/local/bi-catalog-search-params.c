/* bi-catalog-search-params.c — GET /catalog/search's parameters and answer
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-catalog-search-params"

#include "bi-catalog-search-params.h"
#include "bi-ports.h"

#include <string.h>

/* 1..BI_CATALOG_SEARCH_MAX_LIMIT in plain decimal, or the default when absent. */
static gboolean
parse_search_limit (const char *text,
                    guint      *limit)
{
  guint64 value = 0;

  if (text == NULL)
    {
      *limit = BI_CATALOG_SEARCH_DEFAULT_LIMIT;
      return TRUE;
    }
  if (!g_ascii_string_to_unsigned (text, 10, 1, BI_CATALOG_SEARCH_MAX_LIMIT, &value, NULL)
      || !g_ascii_isdigit (text[0]))
    return FALSE;

  *limit = (guint) value;
  return TRUE;
}

gboolean
bi_catalog_search_params_parse (const char  *q,
                                const char  *limit_text,
                                char       **text,
                                guint       *limit,
                                const char **code,
                                const char **message)
{
  g_autofree char *trimmed = g_strdup (q);

  if (trimmed != NULL)
    g_strstrip (trimmed);
  if (trimmed == NULL || trimmed[0] == '\0' || strlen (trimmed) > BI_CATALOG_SEARCH_MAX_QUERY_BYTES
      || !g_utf8_validate (trimmed, -1, NULL))
    {
      *code = "bad_query";
      *message = "Give the words to look for as q=… (1 to 256 bytes of text).";
      return FALSE;
    }
  if (!parse_search_limit (limit_text, limit))
    {
      *code = "bad_limit";
      *message = "limit must be a whole number from 1 to 50.";
      return FALSE;
    }
  *text = g_steal_pointer (&trimmed);
  return TRUE;
}

JsonNode *
bi_catalog_search_results_to_json (GPtrArray *books)
{
  JsonArray *array = json_array_sized_new (books->len);
  JsonNode *list;

  for (guint i = 0; i < books->len; i++)
    json_array_add_element (array, bi_book_to_json (g_ptr_array_index (books, i)));
  list = json_node_init_array (json_node_alloc (), array);
  json_array_unref (array);
  return list;
}
