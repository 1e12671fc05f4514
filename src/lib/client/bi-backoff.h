/* bi-backoff.h — exponential backoff with jitter for reconnecting
 *
 * The delay before attempt n (counted from 0) is drawn from [cap / 2, cap] where
 * cap = MIN (max, initial × 2ⁿ) ("equal jitter"): it grows quickly enough not to hammer a
 * server that is down, and the random half keeps many clients that lost the same server at
 * the same moment from all coming back at the same moment.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  guint initial_ms; /* cap of the first delay */
  guint max_ms;     /* no delay is longer than this */
  guint attempt;    /* failed attempts since the last success */
} BiBackoff;

/* The pure computation: @random_fraction in [0, 1) picks the point in [cap / 2, cap]. */
guint bi_backoff_compute_delay (guint   initial_ms,
                                guint   max_ms,
                                guint   attempt,
                                double  random_fraction);

void  bi_backoff_init          (BiBackoff *self,
                                guint      initial_ms,
                                guint      max_ms);
/* The delay before the next attempt (random jitter); counts the attempt. */
guint bi_backoff_next_delay    (BiBackoff *self);
/* After a success: the next failure starts again from the initial delay. */
void  bi_backoff_reset         (BiBackoff *self);

G_END_DECLS
