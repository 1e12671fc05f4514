/* bi-rate-limiter.h — at most N requests a second to one online service, across threads
 *
 * A token bucket kept as its "theoretical arrival time" (GCRA): each request reserves the next
 * free slot under a lock and then waits for it outside the lock, so the stage worker threads
 * that share a provider queue up fairly and never exceed the rate together. A server's
 * Retry-After pauses every thread, not only the one that was told.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bi-clock.h"

G_BEGIN_DECLS

typedef struct _BiRateLimiter BiRateLimiter;

/* @requests_per_second > 0. @burst (≥ 1) requests may start at once after a quiet spell; 1
 * spaces every request evenly, so no one-second window holds more than the rate. @clock NULL:
 * the system clock. */
BiRateLimiter *bi_rate_limiter_new         (double         requests_per_second,
                                            guint          burst,
                                            const BiClock *clock);
void           bi_rate_limiter_free        (BiRateLimiter *self);

/* Reserves the next slot and sleeps (on the clock) until it comes. Returns the monotonic time
 * of the slot, µs: when the request may start. */
gint64         bi_rate_limiter_acquire     (BiRateLimiter *self);

/* No request starts before @monotonic_us (a server asked us to wait). */
void           bi_rate_limiter_pause_until (BiRateLimiter *self,
                                            gint64         monotonic_us);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiRateLimiter, bi_rate_limiter_free)

G_END_DECLS
