/* bi-clock.h — the time the online catalogs read and wait on, replaceable in tests
 *
 * The rate limiter, the Retry-After backoff and the cache's age checks all ask a BiClock, so a
 * test can run "three requests a second" or "retry in 2 s" on a fake clock whose sleep only
 * moves its hands: no real waiting. Like the ports, a fake embeds BiClock as its first member.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _BiClock BiClock;
struct _BiClock
{
  /* Monotonic time, µs (g_get_monotonic_time): spacing requests. */
  gint64 (*monotonic_us) (const BiClock *self);
  /* Wall-clock time, µs since the epoch (g_get_real_time): cache ages, HTTP dates. */
  gint64 (*wall_us)      (const BiClock *self);
  /* Blocks the calling thread for @duration_us (> 0). */
  void   (*sleep_us)     (const BiClock *self,
                          gint64         duration_us);
};

/* The real clock; static, thread-safe. */
const BiClock *bi_clock_get_system (void);

G_END_DECLS
