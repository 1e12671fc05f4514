/* bi-book-columns.h — the columns of the book list: cheap cells and precomputed sorters
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Appends the book columns (Title, Authors, Year, ISBN, Confidence, Photo, Spine) to @view,
 * each with its cell factory and a sorter comparing what BiBook computed once. */
void bi_book_columns_append (GtkColumnView *view);

G_END_DECLS
