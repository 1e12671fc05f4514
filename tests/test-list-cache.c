/* test-list-cache.c — a list that keeps its source's items at hand
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A GListStore changed at random (inserts, removals, splices, at the ends and inside): after
 * every change the cache holds the store's items in its order, and passed on the very change.
 */
#include "config.h"

#include "bi-list-cache.h"

typedef struct
{
  guint position;
  guint removed;
  guint added;
} Change;

static void
record_change_cb (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  GArray     *changes)
{
  Change change = { position, removed, added };

  g_array_append_val (changes, change);
}

static void
assert_same_items (GListModel *cache,
                   GListModel *store)
{
  g_assert_cmpuint (g_list_model_get_n_items (cache), ==, g_list_model_get_n_items (store));
  for (guint i = 0; i < g_list_model_get_n_items (store); i++)
    {
      g_autoptr(GObject) cached = g_list_model_get_item (cache, i);
      g_autoptr(GObject) stored = g_list_model_get_item (store, i);

      g_assert_true (cached == stored);
    }
  g_assert_null (g_list_model_get_item (cache, g_list_model_get_n_items (store)));
}

static void
test_list_cache_follows_changes (void)
{
  g_autoptr(GListStore) store = g_list_store_new (G_TYPE_OBJECT);
  g_autoptr(BiListCache) cache = NULL;
  g_autoptr(GArray) store_changes = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(GArray) cache_changes = g_array_new (FALSE, FALSE, sizeof (Change));
  GRand *rand = g_rand_new_with_seed (42);

  for (guint i = 0; i < 50; i++)
    {
      g_autoptr(GObject) item = g_object_new (G_TYPE_OBJECT, NULL);

      g_list_store_append (store, item);
    }
  cache = bi_list_cache_new (G_LIST_MODEL (store));
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (cache)) == G_TYPE_OBJECT);
  assert_same_items (G_LIST_MODEL (cache), G_LIST_MODEL (store));
  g_signal_connect (store, "items-changed", G_CALLBACK (record_change_cb), store_changes);
  g_signal_connect (cache, "items-changed", G_CALLBACK (record_change_cb), cache_changes);

  for (guint step = 0; step < 500; step++)
    {
      guint length = g_list_model_get_n_items (G_LIST_MODEL (store));
      guint position = g_rand_int_range (rand, 0, length + 1);
      guint removed = g_rand_int_range (rand, 0, length - position + 1);
      guint added = g_rand_int_range (rand, 0, 8);
      g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

      /* keep the list between empty and a few hundred */
      if (length > 300)
        added = 0;
      for (guint i = 0; i < added; i++)
        g_ptr_array_add (items, g_object_new (G_TYPE_OBJECT, NULL));
      g_list_store_splice (store, position, removed, items->pdata, added);
      assert_same_items (G_LIST_MODEL (cache), G_LIST_MODEL (store));
    }
  g_assert_cmpuint (cache_changes->len, ==, store_changes->len);
  g_assert_cmpmem (cache_changes->data, cache_changes->len * sizeof (Change),
                   store_changes->data, store_changes->len * sizeof (Change));
  g_rand_free (rand);
}

/* An item removed from the source is let go with the change: the cache keeps no book alive. */
static void
test_list_cache_lets_go_of_removed_items (void)
{
  g_autoptr(GListStore) store = g_list_store_new (G_TYPE_OBJECT);
  g_autoptr(BiListCache) cache = bi_list_cache_new (G_LIST_MODEL (store));
  GObject *item = g_object_new (G_TYPE_OBJECT, NULL);

  g_object_add_weak_pointer (item, (gpointer *) &item);
  g_list_store_append (store, item);
  g_object_unref (item);
  g_assert_nonnull (item);
  g_list_store_remove (store, 0);
  g_assert_null (item);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (cache)), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bookimg/list-cache/follows-changes", test_list_cache_follows_changes);
  g_test_add_func ("/bookimg/list-cache/lets-go-of-removed-items",
                   test_list_cache_lets_go_of_removed_items);
  return g_test_run ();
}
