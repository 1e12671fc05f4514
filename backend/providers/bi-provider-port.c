/* bi-provider-port.c — the BiCatalog search and ISBN lookup both online catalogs share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-provider-port"

#include "bi-provider-port.h"
#include "bi-isbn.h"
#include "bi-provider-books.h"
#include "bi-provider-query.h"

GPtrArray *
bi_provider_port_search (BiCatalog            *port,
                         BiProviderFetchFunc   fetch,
                         const char           *query,
                         guint                 limit,
                         GError              **error)
{
  g_autofree char *text = NULL;
  GPtrArray *books;

  g_return_val_if_fail (port != NULL && fetch != NULL && query != NULL, NULL);

  text = bi_provider_query_text (query);
  if (text == NULL || limit == 0)
    return g_ptr_array_new_with_free_func ((GDestroyNotify) bi_book_free);

  books = fetch (port, text, bi_provider_query_limit (limit), error);
  if (books != NULL)
    bi_provider_rank_books (books, text, limit);
  return books;
}

BiBook *
bi_provider_port_lookup_isbn (BiCatalog            *port,
                              BiProviderFetchFunc   fetch,
                              const char           *isbn13,
                              GError              **error)
{
  g_autofree char *q = NULL;
  g_autoptr(GPtrArray) books = NULL;
  BiBook *book;

  g_return_val_if_fail (port != NULL && fetch != NULL && isbn13 != NULL, NULL);

  /* Nothing to ask about a number that is not an ISBN. */
  if (!bi_isbn13_is_valid (isbn13))
    return NULL;

  q = g_strconcat ("isbn:", isbn13, NULL);
  books = fetch (port, q, 1, error);
  if (books == NULL || books->len == 0)
    return NULL;

  book = g_ptr_array_steal_index (books, 0);
  /* A record lists other editions' ISBNs too (an Open Library work lists them all); the one
   * asked for is the book in hand. */
  g_free (book->isbn13);
  book->isbn13 = g_strdup (isbn13);
  book->score = 1.0;
  return book;
}
