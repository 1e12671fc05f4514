/* bi-test-clock.h — a BiClock whose sleep only moves its hands: time without waiting
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bi-clock.h"

G_BEGIN_DECLS

typedef struct
{
  BiClock clock;        /* first member: a BiClock * */
  GMutex  lock;         /* sleeps may come from several threads */
  gint64  monotonic_us;
  gint64  wall_us;
  gint64  slept_us;     /* total of all sleeps */
  guint   sleeps;
} BiTestClock;

/* Starts at an arbitrary monotonic time and at @wall_seconds since the epoch. */
void   bi_test_clock_init    (BiTestClock *self,
                              gint64       wall_seconds);
void   bi_test_clock_clear   (BiTestClock *self);
/* Moves both hands on (as time passing without a sleep). */
void   bi_test_clock_advance (BiTestClock *self,
                              gint64       duration_us);
gint64 bi_test_clock_slept   (BiTestClock *self);

G_END_DECLS
