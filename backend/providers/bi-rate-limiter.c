/* bi-rate-limiter.c — a token bucket as the generic cell rate algorithm
 *
 * With interval T = 1 s / rate and tolerance τ = (burst − 1)·T, a request arriving at `now`
 * may start at max(tat, now) − τ, and moves tat (the theoretical arrival time) on by T. This
 * is the token bucket without a refill loop: one subtraction per request, exact at any rate.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-rate-limiter"

#include "bi-rate-limiter.h"

struct _BiRateLimiter
{
  GMutex         lock;         /* guards tat */
  const BiClock *clock;
  gint64         interval_us;  /* T: time one request uses of the rate */
  gint64         tolerance_us; /* τ: how far ahead of tat a burst may start */
  gint64         tat;          /* theoretical arrival time of the next request, monotonic µs */
};

BiRateLimiter *
bi_rate_limiter_new (double         requests_per_second,
                     guint          burst,
                     const BiClock *clock)
{
  BiRateLimiter *self;

  g_return_val_if_fail (requests_per_second > 0.0, NULL);
  g_return_val_if_fail (burst >= 1, NULL);

  self = g_new0 (BiRateLimiter, 1);
  g_mutex_init (&self->lock);
  self->clock = clock != NULL ? clock : bi_clock_get_system ();
  /* Rounded up: a rate of 3/s must never come out as a hair more than 3/s. */
  self->interval_us = (gint64) (G_USEC_PER_SEC / requests_per_second + 0.999);
  self->tolerance_us = (gint64) (burst - 1) * self->interval_us;
  self->tat = G_MININT64 / 2; /* long ago: the first requests start at once */
  return self;
}

void
bi_rate_limiter_free (BiRateLimiter *self)
{
  if (self == NULL)
    return;

  g_mutex_clear (&self->lock);
  g_free (self);
}

gint64
bi_rate_limiter_acquire (BiRateLimiter *self)
{
  gint64 now;
  gint64 start;

  g_return_val_if_fail (self != NULL, 0);

  g_mutex_lock (&self->lock);
  now = self->clock->monotonic_us (self->clock);
  start = MAX (MAX (self->tat, now) - self->tolerance_us, now);
  self->tat = MAX (self->tat, now) + self->interval_us;
  g_mutex_unlock (&self->lock);

  /* Outside the lock: the others reserve their own later slots meanwhile. */
  if (start > now)
    self->clock->sleep_us (self->clock, start - now);
  return start;
}

void
bi_rate_limiter_pause_until (BiRateLimiter *self,
                             gint64         monotonic_us)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->lock);
  /* The next request's start, max(tat, now) − τ, is then at least @monotonic_us. */
  self->tat = MAX (self->tat, monotonic_us + self->tolerance_us);
  g_mutex_unlock (&self->lock);
}
