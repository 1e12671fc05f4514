/* bi-test-clock.c — a fake BiClock for the online catalogs' tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-test-clock.h"

static gint64
fake_monotonic_us (const BiClock *clock)
{
  BiTestClock *self = (BiTestClock *) clock;
  gint64 now;

  g_mutex_lock (&self->lock);
  now = self->monotonic_us;
  g_mutex_unlock (&self->lock);
  return now;
}

static gint64
fake_wall_us (const BiClock *clock)
{
  BiTestClock *self = (BiTestClock *) clock;
  gint64 now;

  g_mutex_lock (&self->lock);
  now = self->wall_us;
  g_mutex_unlock (&self->lock);
  return now;
}

static void
fake_sleep_us (const BiClock *clock,
               gint64         duration_us)
{
  BiTestClock *self = (BiTestClock *) clock;

  g_assert_cmpint (duration_us, >, 0);
  g_mutex_lock (&self->lock);
  self->monotonic_us += duration_us;
  self->wall_us += duration_us;
  self->slept_us += duration_us;
  self->sleeps++;
  g_mutex_unlock (&self->lock);
}

void
bi_test_clock_init (BiTestClock *self,
                    gint64       wall_seconds)
{
  self->clock.monotonic_us = fake_monotonic_us;
  self->clock.wall_us = fake_wall_us;
  self->clock.sleep_us = fake_sleep_us;
  g_mutex_init (&self->lock);
  self->monotonic_us = 1000 * G_USEC_PER_SEC;
  self->wall_us = wall_seconds * G_USEC_PER_SEC;
  self->slept_us = 0;
  self->sleeps = 0;
}

void
bi_test_clock_clear (BiTestClock *self)
{
  g_mutex_clear (&self->lock);
}

void
bi_test_clock_advance (BiTestClock *self,
                       gint64       duration_us)
{
  g_mutex_lock (&self->lock);
  self->monotonic_us += duration_us;
  self->wall_us += duration_us;
  g_mutex_unlock (&self->lock);
}

gint64
bi_test_clock_slept (BiTestClock *self)
{
  gint64 slept;

  g_mutex_lock (&self->lock);
  slept = self->slept_us;
  g_mutex_unlock (&self->lock);
  return slept;
}
