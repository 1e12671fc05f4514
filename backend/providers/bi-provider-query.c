/* bi-provider-query.c — the text and size of an online search
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-provider-query"

#include "bi-provider-query.h"
#include "bi-catalog-query.h"

#include <string.h>

char *
bi_provider_query_text (const char *text)
{
  g_autoptr(BiCatalogQuery) query = NULL;
  g_autoptr(GString) collapsed = NULL;
  g_auto(GStrv) words = NULL;

  if (text == NULL)
    return NULL;
  query = bi_catalog_query_new (text);
  if (bi_catalog_query_is_empty (query) || !g_utf8_validate (text, -1, NULL))
    return NULL;

  words = g_strsplit_set (text, " \t\r\n\v\f", -1);
  collapsed = g_string_new (NULL);
  for (guint i = 0; words[i] != NULL; i++)
    {
      gsize word_length = strlen (words[i]);

      if (word_length == 0)
        continue;
      if (collapsed->len + (collapsed->len > 0) + word_length > BI_PROVIDER_MAX_QUERY_BYTES)
        break;
      if (collapsed->len > 0)
        g_string_append_c (collapsed, ' ');
      g_string_append (collapsed, words[i]);
    }
  if (collapsed->len == 0)
    {
      /* One very long word: cut it where a character ends. */
      const char *end = text;

      while (*end != '\0' && g_ascii_isspace (*end))
        end++;
      g_string_append_len (collapsed, end, BI_PROVIDER_MAX_QUERY_BYTES);
      g_string_truncate (collapsed, (gsize) (g_utf8_find_prev_char (collapsed->str,
                                                                    collapsed->str
                                                                    + collapsed->len)
                                             - collapsed->str));
    }
  return g_string_free (g_steal_pointer (&collapsed), FALSE);
}

guint
bi_provider_query_limit (guint limit)
{
  return CLAMP (limit * 2, 5, 20);
}
