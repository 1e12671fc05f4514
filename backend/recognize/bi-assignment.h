/* bi-assignment.h — one book per spine over a whole photo: maximum-weight assignment
 *
 * Greedy matching (best pair first) can give a book to the spine it fits best and so leave
 * another spine, which fits only that book, with nothing, when giving the first spine its
 * second-best book would have placed both. This solves the assignment exactly (the
 * Hungarian algorithm, Kuhn–Munkres, O(n²m) per connected group of rows).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @weights is row-major, @n_rows × @n_columns; a weight of 0 or less means "not allowed".
 * Fills @row_to_column (n_rows elements) with each row's column, or -1 for a row left
 * unassigned, so that no column is used twice and the sum of the weights is the largest
 * possible. */
void bi_assignment_maximize (const double *weights,
                             guint         n_rows,
                             guint         n_columns,
                             int          *row_to_column);

G_END_DECLS
