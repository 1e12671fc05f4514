/* bi-list-cache.h — a list that keeps its source's items at hand
 *
 * Passes @source through with the same items and changes, holding a reference to each in an
 * array, so that asking for the item at a position costs an array lookup. The book list's
 * source is a GListStore (a GSequence: O(log n) a lookup) under a GtkFilterListModel (a bitset
 * select per lookup), and the sort and the search above it ask for items by position all the
 * time: a keystroke in the search checks every book (10,000 lookups), and those lookups were
 * about 30 % of its cost (docs/benchmarks.md).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BI_TYPE_LIST_CACHE (bi_list_cache_get_type ())
G_DECLARE_FINAL_TYPE (BiListCache, bi_list_cache, BI, LIST_CACHE, GObject)

BiListCache *bi_list_cache_new (GListModel *source);

G_END_DECLS
