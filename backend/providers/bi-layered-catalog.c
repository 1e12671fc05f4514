/* bi-layered-catalog.c — local first, online when the local catalog has no good hit
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-layered-catalog"

#include "bi-layered-catalog.h"
#include "bi-catalog-query.h"

/* While an online catalog keeps failing, its failure is logged again this often. */
#define RELOG_INTERVAL_US (10 * 60 * G_USEC_PER_SEC)

typedef struct
{
  char      *display_name;
  BiCatalog *catalog;       /* borrowed */
  gboolean   failing;       /* the last request failed */
  guint      not_logged;    /* failures since the last logged one */
  gint64     logged_at;     /* monotonic µs of the last logged failure */
} Layer;

struct _BiLayeredCatalog
{
  BiCatalog  port;   /* first member: the port functions cast back */
  BiCatalog *local;  /* borrowed */
  GArray    *online; /* of Layer, in the order asked */
  GMutex     lock;   /* guards the failure bookkeeping of the layers */
};

/* ---- helpers -------------------------------------------------------------------------- */

static void
layer_clear (gpointer data)
{
  Layer *layer = data;

  g_free (layer->display_name);
}

static void
note_failure (BiLayeredCatalog *self,
              Layer            *layer,
              const GError     *error)
{
  gint64 now = g_get_monotonic_time ();
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  if (layer->failing && now - layer->logged_at < RELOG_INTERVAL_US)
    {
      layer->not_logged++;
      return;
    }
  if (layer->not_logged > 0)
    g_warning ("%s still fails (%u times since the last report); the local catalog's answers "
               "stand: %s", layer->display_name, layer->not_logged + 1, error->message);
  else
    g_warning ("%s failed; the local catalog's answers stand, and further failures are "
               "reported every 10 minutes until it answers again: %s", layer->display_name,
               error->message);
  layer->failing = TRUE;
  layer->not_logged = 0;
  layer->logged_at = now;
}

static void
note_success (BiLayeredCatalog *self,
              Layer            *layer)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  if (!layer->failing)
    return;
  g_message ("%s answers again (%u failures were not logged)", layer->display_name,
             layer->not_logged);
  layer->failing = FALSE;
  layer->not_logged = 0;
}

static char *
book_identity (const BiBook *book)
{
  g_autofree char *title = g_utf8_casefold (book->title != NULL ? book->title : "", -1);
  g_autofree char *author = g_utf8_casefold (book->authors != NULL && book->authors[0] != NULL
                                             ? book->authors[0] : "", -1);

  return g_strconcat (title, "\n", author, NULL);
}

/* @books best first, each book once (same ISBN-13, or same title and first author): the
 * better scored reading stays, the local one on a tie (it was added first; the sort is
 * stable). At most @limit. */
static void
sort_and_merge (GPtrArray *books,
                guint      limit)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint kept = 0;

  bi_catalog_sort_books_by_score (books);
  for (guint i = 0; i < books->len; i++)
    {
      BiBook *book = g_ptr_array_index (books, i);
      char *identity = book_identity (book);

      if (g_hash_table_contains (seen, identity)
          || (book->isbn13 != NULL && g_hash_table_contains (seen, book->isbn13)))
        {
          g_free (identity);
          bi_book_free (book);
          continue;
        }
      g_hash_table_add (seen, identity);
      if (book->isbn13 != NULL)
        g_hash_table_add (seen, g_strdup (book->isbn13));
      books->pdata[kept++] = book;
    }
  /* The dropped books are freed already: shrink without the free function. */
  books->len = kept;
  if (books->len > limit)
    g_ptr_array_set_size (books, limit);
}

static double
best_score (GPtrArray *books)
{
  double best = 0.0;

  for (guint i = 0; i < books->len; i++)
    best = MAX (best, ((BiBook *) g_ptr_array_index (books, i))->score);
  return best;
}

/* ---- the port ------------------------------------------------------------------------- */

static GPtrArray *
layered_search (BiCatalog   *port,
                const char  *query,
                guint        limit,
                GError     **error)
{
  BiLayeredCatalog *self = (BiLayeredCatalog *) port;
  g_autoptr(GPtrArray) local = NULL;
  double best;

  local = self->local->search (self->local, query, limit, error);
  if (local == NULL)
    return NULL;
  best = best_score (local);
  if (best >= BI_LAYERED_CATALOG_GOOD_SCORE || self->online->len == 0 || limit == 0)
    return g_steal_pointer (&local);

  /* The local books come first in the list: on equal scores they stay ahead. */
  for (guint i = 0; i < self->online->len && best < BI_LAYERED_CATALOG_GOOD_SCORE; i++)
    {
      Layer *layer = &g_array_index (self->online, Layer, i);
      g_autoptr(GError) online_error = NULL;
      g_autoptr(GPtrArray) hits = layer->catalog->search (layer->catalog, query, limit,
                                                           &online_error);

      if (hits == NULL)
        {
          note_failure (self, layer, online_error);
          continue;
        }
      note_success (self, layer);
      best = MAX (best, best_score (hits));
      g_ptr_array_extend_and_steal (local, g_steal_pointer (&hits));
    }

  sort_and_merge (local, limit);
  return g_steal_pointer (&local);
}

static BiBook *
layered_lookup_isbn (BiCatalog   *port,
                     const char  *isbn13,
                     GError     **error)
{
  BiLayeredCatalog *self = (BiLayeredCatalog *) port;
  g_autoptr(GError) local_error = NULL;
  BiBook *book;

  book = self->local->lookup_isbn (self->local, isbn13, &local_error);
  if (book != NULL)
    return book;
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  for (guint i = 0; i < self->online->len; i++)
    {
      Layer *layer = &g_array_index (self->online, Layer, i);
      g_autoptr(GError) online_error = NULL;

      book = layer->catalog->lookup_isbn (layer->catalog, isbn13, &online_error);
      if (online_error != NULL)
        {
          note_failure (self, layer, online_error);
          continue;
        }
      note_success (self, layer);
      if (book != NULL)
        return book;
    }
  return NULL;
}

/* Only the local catalog holds shelf marks (a library's own call numbers): Open Library
 * and Google Books have none, so nothing is asked of them. */
static GPtrArray *
layered_lookup_shelf_mark (BiCatalog   *port,
                           const char  *class_number,
                           const char  *author_code,
                           guint        limit,
                           GError     **error)
{
  BiLayeredCatalog *self = (BiLayeredCatalog *) port;

  return self->local->lookup_shelf_mark (self->local, class_number, author_code, limit,
                                         error);
}

/* ---- public API ----------------------------------------------------------------------- */

BiLayeredCatalog *
bi_layered_catalog_new (BiCatalog *local)
{
  BiLayeredCatalog *self;

  g_return_val_if_fail (local != NULL, NULL);

  self = g_new0 (BiLayeredCatalog, 1);
  self->port.search = layered_search;
  self->port.lookup_isbn = layered_lookup_isbn;
  self->port.lookup_shelf_mark = local->lookup_shelf_mark != NULL ? layered_lookup_shelf_mark
                                                                  : NULL;
  self->local = local;
  self->online = g_array_new (FALSE, TRUE, sizeof (Layer));
  g_array_set_clear_func (self->online, layer_clear);
  g_mutex_init (&self->lock);
  return self;
}

void
bi_layered_catalog_free (BiLayeredCatalog *self)
{
  if (self == NULL)
    return;

  g_array_unref (self->online);
  g_mutex_clear (&self->lock);
  g_free (self);
}

void
bi_layered_catalog_add_online (BiLayeredCatalog *self,
                               const char       *display_name,
                               BiCatalog        *online)
{
  Layer layer = { NULL, NULL, FALSE, 0, 0 };

  g_return_if_fail (self != NULL && display_name != NULL && online != NULL);

  layer.display_name = g_strdup (display_name);
  layer.catalog = online;
  g_array_append_val (self->online, layer);
}

BiCatalog *
bi_layered_catalog_as_port (BiLayeredCatalog *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return &self->port;
}
