/* test-rate-limiter.c — at most N requests a second, on a fake clock (no real waiting)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-rate-limiter.h"
#include "bi-test-clock.h"

#include <stdlib.h>
#include <string.h>

#define N_THREADS 4
#define PER_THREAD 6

/* No window of one second holds more than @rate of the (sorted) @starts. */
static void
assert_rate (const gint64 *starts,
             guint         n,
             guint         rate)
{
  for (guint i = 0; i + rate < n; i++)
    g_assert_cmpint (starts[i + rate] - starts[i], >=, G_USEC_PER_SEC);
}

static void
test_three_per_second (void)
{
  BiTestClock clock;
  g_autoptr(BiRateLimiter) limiter = NULL;
  gint64 starts[10];
  gint64 begin;

  bi_test_clock_init (&clock, 1700000000);
  limiter = bi_rate_limiter_new (3.0, 1, &clock.clock);
  begin = clock.clock.monotonic_us (&clock.clock);

  for (guint i = 0; i < G_N_ELEMENTS (starts); i++)
    starts[i] = bi_rate_limiter_acquire (limiter);

  /* the first at once, then one every third of a second */
  g_assert_cmpint (starts[0], ==, begin);
  assert_rate (starts, G_N_ELEMENTS (starts), 3);
  g_assert_cmpint (starts[9] - starts[0], <=, 3 * G_USEC_PER_SEC + 100);
  /* the waiting was done on the clock, by the limiter */
  g_assert_cmpint (bi_test_clock_slept (&clock), ==, starts[9] - begin);

  /* after a quiet spell, no debt: the next starts at once */
  bi_test_clock_advance (&clock, 10 * G_USEC_PER_SEC);
  g_assert_cmpint (bi_rate_limiter_acquire (limiter), ==,
                   clock.clock.monotonic_us (&clock.clock));
  bi_test_clock_clear (&clock);
}

static void
test_burst (void)
{
  BiTestClock clock;
  g_autoptr(BiRateLimiter) limiter = NULL;
  gint64 begin;

  bi_test_clock_init (&clock, 1700000000);
  limiter = bi_rate_limiter_new (2.0, 3, &clock.clock);
  begin = clock.clock.monotonic_us (&clock.clock);

  /* three at once, then the rate */
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (bi_rate_limiter_acquire (limiter), ==, begin);
  g_assert_cmpint (bi_rate_limiter_acquire (limiter), ==, begin + G_USEC_PER_SEC / 2);
  bi_test_clock_clear (&clock);
}

static void
test_pause (void)
{
  BiTestClock clock;
  g_autoptr(BiRateLimiter) limiter = NULL;
  gint64 now;

  bi_test_clock_init (&clock, 1700000000);
  limiter = bi_rate_limiter_new (3.0, 1, &clock.clock);
  now = clock.clock.monotonic_us (&clock.clock);
  bi_rate_limiter_acquire (limiter);

  /* a server said "Retry-After: 5": nobody starts before */
  bi_rate_limiter_pause_until (limiter, now + 5 * G_USEC_PER_SEC);
  g_assert_cmpint (bi_rate_limiter_acquire (limiter), ==, now + 5 * G_USEC_PER_SEC);
  g_assert_cmpint (bi_rate_limiter_acquire (limiter), >=,
                   now + 5 * G_USEC_PER_SEC + G_USEC_PER_SEC / 3);
  bi_test_clock_clear (&clock);
}

typedef struct
{
  BiRateLimiter *limiter;
  gint64         starts[PER_THREAD];
} Worker;

static gpointer
worker_thread (gpointer data)
{
  Worker *worker = data;

  for (guint i = 0; i < PER_THREAD; i++)
    worker->starts[i] = bi_rate_limiter_acquire (worker->limiter);
  return NULL;
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

/* Several stage workers share one limiter: together they stay under the rate. */
static void
test_threads (void)
{
  BiTestClock clock;
  g_autoptr(BiRateLimiter) limiter = NULL;
  Worker workers[N_THREADS];
  GThread *threads[N_THREADS];
  gint64 starts[N_THREADS * PER_THREAD];

  bi_test_clock_init (&clock, 1700000000);
  limiter = bi_rate_limiter_new (3.0, 1, &clock.clock);
  for (guint t = 0; t < N_THREADS; t++)
    {
      workers[t].limiter = limiter;
      threads[t] = g_thread_new ("limiter-worker", worker_thread, &workers[t]);
    }
  for (guint t = 0; t < N_THREADS; t++)
    {
      g_thread_join (threads[t]);
      memcpy (&starts[t * PER_THREAD], workers[t].starts, sizeof workers[t].starts);
    }

  qsort (starts, G_N_ELEMENTS (starts), sizeof starts[0], compare_gint64);
  for (guint i = 1; i < G_N_ELEMENTS (starts); i++)
    g_assert_cmpint (starts[i] - starts[i - 1], >=, G_USEC_PER_SEC / 3);
  assert_rate (starts, G_N_ELEMENTS (starts), 3);
  bi_test_clock_clear (&clock);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bookimg/rate-limiter/three-per-second", test_three_per_second);
  g_test_add_func ("/bookimg/rate-limiter/burst", test_burst);
  g_test_add_func ("/bookimg/rate-limiter/pause", test_pause);
  g_test_add_func ("/bookimg/rate-limiter/threads", test_threads);
  return g_test_run ();
}
