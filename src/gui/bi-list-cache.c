/* bi-list-cache.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-list-cache"

#include "config.h"

#include "bi-list-cache.h"

#include <string.h>

struct _BiListCache
{
  GObject     parent_instance;

  GListModel *source;
  GPtrArray  *items;   /* the source's items, by position, each referenced */
};

static void bi_list_cache_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BiListCache, bi_list_cache, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      bi_list_cache_list_model_init))

/* ---- helpers ---- */

/* Puts the source's items @position … @position + @added - 1 into the array at @position. */
static void
insert_from_source (BiListCache *self,
                    guint        position,
                    guint        added)
{
  g_autoptr(GPtrArray) inserted = NULL;

  /* An empty array holds no pdata, and memcpy() takes no NULL even for 0 bytes. */
  if (added == 0)
    return;
  inserted = g_ptr_array_sized_new (added);
  for (guint i = 0; i < added; i++)
    g_ptr_array_add (inserted, g_list_model_get_item (self->source, position + i));
  /* one move of the tail instead of one per item */
  g_ptr_array_set_size (self->items, self->items->len + added);
  memmove (self->items->pdata + position + added, self->items->pdata + position,
           (self->items->len - added - position) * sizeof (gpointer));
  memcpy (self->items->pdata + position, inserted->pdata, added * sizeof (gpointer));
}

/* ---- callbacks ---- */

static void
source_items_changed_cb (GListModel  *source,
                         guint        position,
                         guint        removed,
                         guint        added,
                         BiListCache *self)
{
  g_assert (position + removed <= self->items->len);

  g_ptr_array_remove_range (self->items, position, removed);
  if (added > 0)
    insert_from_source (self, position, added);
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
}

/* ---- GListModel ---- */

static GType
bi_list_cache_get_item_type (GListModel *model)
{
  return g_list_model_get_item_type (BI_LIST_CACHE (model)->source);
}

static guint
bi_list_cache_get_n_items (GListModel *model)
{
  return BI_LIST_CACHE (model)->items->len;
}

static gpointer
bi_list_cache_get_item (GListModel *model,
                        guint       position)
{
  BiListCache *self = BI_LIST_CACHE (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
bi_list_cache_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = bi_list_cache_get_item_type;
  iface->get_n_items = bi_list_cache_get_n_items;
  iface->get_item = bi_list_cache_get_item;
}

/* ---- GObject ---- */

static void
bi_list_cache_dispose (GObject *object)
{
  BiListCache *self = BI_LIST_CACHE (object);

  if (self->source != NULL)
    g_signal_handlers_disconnect_by_data (self->source, self);
  g_clear_object (&self->source);
  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (bi_list_cache_parent_class)->dispose (object);
}

static void
bi_list_cache_class_init (BiListCacheClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bi_list_cache_dispose;
}

static void
bi_list_cache_init (BiListCache *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

/* ---- public API ---- */

BiListCache *
bi_list_cache_new (GListModel *source)
{
  BiListCache *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (source), NULL);

  self = g_object_new (BI_TYPE_LIST_CACHE, NULL);
  self->source = g_object_ref (source);
  insert_from_source (self, 0, g_list_model_get_n_items (source));
  g_signal_connect (source, "items-changed", G_CALLBACK (source_items_changed_cb), self);
  return self;
}
