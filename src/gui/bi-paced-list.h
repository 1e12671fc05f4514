/* bi-paced-list.h — a list that grows on screen a few rows per frame
 *
 * Passes @source through, but when it grows, shows the new items @rows_per_step at a time, in
 * frames of @widget (the list view that shows it), for as long in each frame as the window's
 * budget for making rows allows (BiFrameBudget, shared by all its paced lists), until it has
 * shown @paced_rows of them; past that, the rest at once. GTK 4.8's list widgets make widgets
 * for up to 200 rows around the visible ones in the frame a list grows, in one go: 1,000 photos
 * or 10,000 books arriving at once made about 200 rows of widgets before the first frame or in
 * one frame (100–180 ms here). Shrinking and changes within what is shown pass at once; growth
 * waits while @widget is not mapped (no frames, no rows needed).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Rows past which a list of GTK 4.8 makes no more widgets (it keeps ~200 around the ones in
 * sight): the @paced_rows of the window's lists. */
#define BI_PACED_LIST_WIDGET_ROWS 256

#define BI_TYPE_PACED_LIST (bi_paced_list_get_type ())
G_DECLARE_FINAL_TYPE (BiPacedList, bi_paced_list, BI, PACED_LIST, GObject)

BiPacedList *bi_paced_list_new (GListModel *source,
                                GtkWidget  *widget,
                                guint       rows_per_step,
                                guint       paced_rows);

G_END_DECLS
