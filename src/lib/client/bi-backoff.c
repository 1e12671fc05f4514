/* bi-backoff.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-backoff"

#include "bi-backoff.h"

guint
bi_backoff_compute_delay (guint  initial_ms,
                          guint  max_ms,
                          guint  attempt,
                          double random_fraction)
{
  guint64 cap = MAX (initial_ms, 1);
  guint half;

  /* Doubling stops at max_ms, so a large attempt count cannot overflow the shift. */
  for (guint i = 0; i < attempt && cap < max_ms; i++)
    cap *= 2;
  cap = MIN (cap, MAX (max_ms, 1));

  random_fraction = CLAMP (random_fraction, 0.0, 1.0);
  half = (guint) (cap / 2);
  return half + (guint) ((double) (cap - half) * random_fraction);
}

void
bi_backoff_init (BiBackoff *self,
                 guint      initial_ms,
                 guint      max_ms)
{
  g_return_if_fail (self != NULL);

  self->initial_ms = initial_ms;
  self->max_ms = max_ms;
  self->attempt = 0;
}

guint
bi_backoff_next_delay (BiBackoff *self)
{
  guint delay;

  g_return_val_if_fail (self != NULL, 0);

  delay = bi_backoff_compute_delay (self->initial_ms, self->max_ms, self->attempt,
                                    g_random_double ());
  if (self->attempt < G_MAXUINT)
    self->attempt++;
  return delay;
}

void
bi_backoff_reset (BiBackoff *self)
{
  g_return_if_fail (self != NULL);

  self->attempt = 0;
}
