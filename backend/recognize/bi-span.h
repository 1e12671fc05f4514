/* bi-span.h — lengths along one axis of a photo, shared by the stages that compare boxes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Length of the overlap of [a, a + a_length) and [b, b + b_length); negative is a gap. */
static inline int
bi_span_overlap (int a,
                 int a_length,
                 int b,
                 int b_length)
{
  return MIN (a + a_length, b + b_length) - MAX (a, b);
}

G_END_DECLS
