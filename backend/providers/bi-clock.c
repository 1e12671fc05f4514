/* bi-clock.c — the system clock behind BiClock
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-clock"

#include "bi-clock.h"

static gint64
system_monotonic_us (const BiClock *self)
{
  return g_get_monotonic_time ();
}

static gint64
system_wall_us (const BiClock *self)
{
  return g_get_real_time ();
}

static void
system_sleep_us (const BiClock *self,
                 gint64         duration_us)
{
  if (duration_us > 0)
    g_usleep ((gulong) duration_us);
}

const BiClock *
bi_clock_get_system (void)
{
  static const BiClock system_clock = {
    system_monotonic_us,
    system_wall_us,
    system_sleep_us,
  };

  return &system_clock;
}
