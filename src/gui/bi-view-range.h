/* bi-view-range.h — which positions of a list view's model are on screen
 *
 * Follows the vertical adjustment of @view (a GtkListView or GtkColumnView whose rows are all
 * the same height, showing @model) and tells which positions are in sight. The height of a row
 * is learnt when the view lays out the list (the adjustment's "changed": its upper is then the
 * height of @model's rows); until then the range is not known. "moved" says the view scrolled
 * or was laid out again, so other positions may be in sight.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define BI_TYPE_VIEW_RANGE (bi_view_range_get_type ())
G_DECLARE_FINAL_TYPE (BiViewRange, bi_view_range, BI, VIEW_RANGE, GObject)

BiViewRange *bi_view_range_new (GtkScrollable *view,
                                GListModel    *model);
gboolean     bi_view_range_get (BiViewRange   *self,
                                guint          margin,
                                guint         *first,
                                guint         *end);

G_END_DECLS
