/* bi-provider-books.c — strict JSON reading and scoring shared by the online catalogs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-provider-books"

#include "bi-provider-books.h"
#include "bi-catalog-query.h"
#include "bi-isbn.h"

char **
bi_provider_json_strings (JsonObject *object,
                          const char *member)
{
  JsonNode *node = json_object_get_member (object, member);
  g_autoptr(GPtrArray) strings = g_ptr_array_new_with_free_func (g_free);
  JsonArray *array;

  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_VALUE (element)
              && json_node_get_value_type (element) == G_TYPE_STRING
              && json_node_get_string (element)[0] != '\0')
            g_ptr_array_add (strings, g_strdup (json_node_get_string (element)));
        }
    }
  g_ptr_array_add (strings, NULL);
  return (char **) g_ptr_array_free (g_steal_pointer (&strings), FALSE);
}

char *
bi_provider_pick_isbn13 (const char * const *isbns)
{
  for (guint i = 0; isbns != NULL && isbns[i] != NULL; i++)
    {
      char *isbn13 = bi_isbn_to_isbn13 (isbns[i]);

      if (isbn13 != NULL)
        return isbn13;
    }
  return NULL;
}

GPtrArray *
bi_provider_read_books (JsonArray          *array,
                        BiProviderBookFunc  read_book,
                        const char         *element_name,
                        const char         *id_member)
{
  g_autoptr(GPtrArray) books = g_ptr_array_new_with_free_func ((GDestroyNotify) bi_book_free);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      BiBook *book = read_book (json_array_get_element (array, i));

      if (book != NULL)
        g_ptr_array_add (books, book);
      else
        g_debug ("Skipped %s %u: no string %s and title", element_name, i, id_member);
    }
  return g_steal_pointer (&books);
}

void
bi_provider_rank_books (GPtrArray  *books,
                        const char *query,
                        guint       limit)
{
  g_autoptr(BiCatalogQuery) catalog_query = bi_catalog_query_new (query);

  for (guint i = books->len; i > 0; i--)
    {
      BiBook *book = g_ptr_array_index (books, i - 1);

      book->score = bi_catalog_query_score (catalog_query, book->title, NULL,
                                            (const char * const *) book->authors);
      if (book->score <= 0.0)
        g_ptr_array_remove_index (books, i - 1);
    }
  /* Stable: books that score the same keep the service's relevance order. */
  bi_catalog_sort_books_by_score (books);
  if (books->len > limit)
    g_ptr_array_set_size (books, limit);
}
