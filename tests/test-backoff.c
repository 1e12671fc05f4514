/* test-backoff.c — reconnect delays grow exponentially, are capped, and carry jitter
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-backoff.h"

static void
test_growth_and_cap (void)
{
  /* With the jitter at its top the delay is the cap itself: 100, 200, 400, … up to 1000. */
  g_assert_cmpuint (bi_backoff_compute_delay (100, 1000, 0, 1.0), ==, 100);
  g_assert_cmpuint (bi_backoff_compute_delay (100, 1000, 1, 1.0), ==, 200);
  g_assert_cmpuint (bi_backoff_compute_delay (100, 1000, 2, 1.0), ==, 400);
  g_assert_cmpuint (bi_backoff_compute_delay (100, 1000, 3, 1.0), ==, 800);
  g_assert_cmpuint (bi_backoff_compute_delay (100, 1000, 4, 1.0), ==, 1000);
  /* A huge attempt count must neither overflow nor exceed the cap. */
  g_assert_cmpuint (bi_backoff_compute_delay (100, 1000, G_MAXUINT, 1.0), ==, 1000);
  g_assert_cmpuint (bi_backoff_compute_delay (500, 30000, 200, 0.0), ==, 15000);
}

static void
test_jitter_range (void)
{
  /* Equal jitter: the delay lies in [cap / 2, cap]. */
  g_assert_cmpuint (bi_backoff_compute_delay (100, 1000, 3, 0.0), ==, 400);
  g_assert_cmpuint (bi_backoff_compute_delay (100, 1000, 3, 0.5), ==, 600);
  /* Out-of-range fractions are clamped rather than trusted. */
  g_assert_cmpuint (bi_backoff_compute_delay (100, 1000, 3, -3.0), ==, 400);
  g_assert_cmpuint (bi_backoff_compute_delay (100, 1000, 3, 7.0), ==, 800);
}

static void
test_sequence_and_reset (void)
{
  BiBackoff backoff;
  gboolean differs = FALSE;
  guint first = 0;

  bi_backoff_init (&backoff, 100, 1000);
  for (guint attempt = 0; attempt < 8; attempt++)
    {
      guint cap = MIN (1000u, 100u << attempt);
      guint delay = bi_backoff_next_delay (&backoff);

      g_assert_cmpuint (delay, >=, cap / 2);
      g_assert_cmpuint (delay, <=, cap);
    }
  g_assert_cmpuint (backoff.attempt, ==, 8);

  bi_backoff_reset (&backoff);
  g_assert_cmpuint (backoff.attempt, ==, 0);
  g_assert_cmpuint (bi_backoff_next_delay (&backoff), <=, 100);

  /* Jitter: clients that lost the same server do not all come back at the same moment. */
  for (guint i = 0; i < 50 && !differs; i++)
    {
      guint delay;

      bi_backoff_reset (&backoff);
      backoff.attempt = 5;
      delay = bi_backoff_next_delay (&backoff);
      if (i == 0)
        first = delay;
      else
        differs = delay != first;
    }
  g_assert_true (differs);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bookimg/client/backoff/growth-and-cap", test_growth_and_cap);
  g_test_add_func ("/bookimg/client/backoff/jitter-range", test_jitter_range);
  g_test_add_func ("/bookimg/client/backoff/sequence-and-reset", test_sequence_and_reset);

  return g_test_run ();
}
