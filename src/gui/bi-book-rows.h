/* bi-book-rows.h — the book list as the column view sees it: stable rows over a selection
 *
 * A GtkSelectionModel of BiBookSlot, one per position of @books (a selection of BiBook),
 * selected as @books is. When @books changes, the slots of the positions that changed say so
 * ("changed") and only a change in length reaches the view as items-changed: GTK 4.8's
 * GtkColumnView makes a new row of widgets (a row, seven cells, their controllers) for every
 * item it has not shown before, which for a sort or a search step was most of the stall.
 * The slots in sight of @view (a GtkColumnView) show their new book at once, the others over
 * the next frames (BiViewRange). When @books grows, the rows come a few per frame of @view
 * (BiPacedList).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define BI_TYPE_BOOK_ROWS (bi_book_rows_get_type ())
G_DECLARE_FINAL_TYPE (BiBookRows, bi_book_rows, BI, BOOK_ROWS, GObject)

BiBookRows *bi_book_rows_new (GtkSelectionModel *books,
                              GtkWidget         *view);

G_END_DECLS
