/* bi-spine-row.h — one unresolved spine: its crop, the OCR text, and a catalog search to
 * match it by hand
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "bi-scanner.h"

G_BEGIN_DECLS

#define BI_TYPE_SPINE_ROW (bi_spine_row_get_type ())
G_DECLARE_FINAL_TYPE (BiSpineRow, bi_spine_row, BI, SPINE_ROW, GtkBox)

/* @spine: an item of bi_scanner_get_unresolved(); picking a search result resolves it. */
GHashTable *bi_spine_row_kept_queries_new (void);
GtkWidget *bi_spine_row_new         (BiScanner  *scanner,
                                     GHashTable *kept_queries);
void       bi_spine_row_set_spine   (BiSpineRow *self,
                                     BiBook     *spine);
BiBook    *bi_spine_row_get_spine   (BiSpineRow *self);
GdkPaintable *bi_spine_row_get_crop (BiSpineRow *self);
/* Searches the catalog as if @query were typed into the row's search box. */
void       bi_spine_row_search      (BiSpineRow *self,
                                     const char *query);
/* How many search results are listed. */
guint      bi_spine_row_get_n_results (BiSpineRow *self);
/* Picks the result at @index, as a click on its "Use" button does. */
void       bi_spine_row_pick        (BiSpineRow *self,
                                     guint       index);

G_END_DECLS
