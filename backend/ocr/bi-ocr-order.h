/* bi-ocr-order.h — the sort orders and medians the OCR's measurements share
 *
 * Line thicknesses, spine widths, boundary columns and label lengths are all collected in
 * arrays and ordered or reduced to their middle value, by several passes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Ascending orders of ints and doubles, for g_array_sort() and qsort(). */
int    bi_ocr_compare_ints    (gconstpointer a,
                               gconstpointer b);
int    bi_ocr_compare_doubles (gconstpointer a,
                               gconstpointer b);

/* The middle value (the upper one of an even count) of @values, an array of double or of
 * int, which is sorted in place; @values holds at least one. */
double bi_ocr_median_double   (GArray       *values);
int    bi_ocr_median_int      (GArray       *values);

G_END_DECLS
