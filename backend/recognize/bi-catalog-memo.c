/* bi-catalog-memo.c — a catalog port that answers a repeated search from memory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-catalog-memo"

#include "bi-catalog-memo.h"

struct _BiCatalogMemo
{
  BiCatalog   port;     /* first member: the port functions cast back */
  BiCatalog  *catalog;  /* borrowed: the catalog asked */
  GHashTable *answers;  /* "limit query" → GPtrArray of BiBook, both owned */
  GHashTable *marks;    /* "limit class\x1fcode" → GPtrArray of BiShelfMarkHit, both owned */
};

static GPtrArray *
memo_search (BiCatalog   *port,
             const char  *query,
             guint        limit,
             GError     **error)
{
  BiCatalogMemo *self = (BiCatalogMemo *) port;
  g_autofree char *key = NULL;
  GPtrArray *books;

  g_return_val_if_fail (self != NULL && query != NULL, NULL);

  /* The limit first: a number never holds the blank that ends it, so keys do not collide. */
  key = g_strdup_printf ("%u %s", limit, query);
  books = g_hash_table_lookup (self->answers, key);
  if (books == NULL)
    {
      books = self->catalog->search (self->catalog, query, limit, error);
      if (books == NULL)
        return NULL;
      g_hash_table_insert (self->answers, g_steal_pointer (&key), books);
    }
  return g_ptr_array_ref (books);
}

/* Spines rarely share an ISBN: asked of the catalog every time. */
static BiBook *
memo_lookup_isbn (BiCatalog   *port,
                  const char  *isbn13,
                  GError     **error)
{
  BiCatalogMemo *self = (BiCatalogMemo *) port;

  return self->catalog->lookup_isbn (self->catalog, isbn13, error);
}

/* Each residual round of a region reads its label again: asked of the catalog once. */
static GPtrArray *
memo_lookup_shelf_mark (BiCatalog   *port,
                        const char  *class_number,
                        const char  *author_code,
                        guint        limit,
                        GError     **error)
{
  BiCatalogMemo *self = (BiCatalogMemo *) port;
  g_autofree char *key = NULL;
  GPtrArray *hits;

  g_return_val_if_fail (self != NULL && class_number != NULL && author_code != NULL, NULL);

  /* A unit separator never occurs in a label read, so keys do not collide. */
  key = g_strdup_printf ("%u %s\x1f%s", limit, class_number, author_code);
  hits = g_hash_table_lookup (self->marks, key);
  if (hits == NULL)
    {
      hits = self->catalog->lookup_shelf_mark (self->catalog, class_number, author_code,
                                               limit, error);
      if (hits == NULL)
        return NULL;
      g_hash_table_insert (self->marks, g_steal_pointer (&key), hits);
    }
  return g_ptr_array_ref (hits);
}

BiCatalogMemo *
bi_catalog_memo_new (BiCatalog *catalog)
{
  BiCatalogMemo *self;

  g_return_val_if_fail (catalog != NULL, NULL);

  self = g_new0 (BiCatalogMemo, 1);
  self->port.search = memo_search;
  self->port.lookup_isbn = memo_lookup_isbn;
  /* Optional in the port: a catalog without shelf marks stays without. */
  self->port.lookup_shelf_mark = catalog->lookup_shelf_mark != NULL ? memo_lookup_shelf_mark
                                                                    : NULL;
  self->catalog = catalog;
  self->answers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) g_ptr_array_unref);
  self->marks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) g_ptr_array_unref);
  return self;
}

void
bi_catalog_memo_free (BiCatalogMemo *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->answers);
  g_hash_table_unref (self->marks);
  g_free (self);
}

BiCatalog *
bi_catalog_memo_as_port (BiCatalogMemo *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return &self->port;
}
