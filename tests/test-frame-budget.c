/* test-frame-budget.c — the time a window's lists may spend making rows in one frame
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "bi-frame-budget.h"

/* Spent within a frame adds up; a step may start while some is left and overrun it. */
static void
test_frame_budget_spent_in_a_frame (void)
{
  g_autoptr(BiFrameBudget) budget = bi_frame_budget_new (2000);

  g_assert_true (bi_frame_budget_has_time (budget, 7));
  bi_frame_budget_spend (budget, 7, 1500);
  g_assert_true (bi_frame_budget_has_time (budget, 7));
  bi_frame_budget_spend (budget, 7, 1500);
  g_assert_false (bi_frame_budget_has_time (budget, 7));
  /* a step measured at no time (a clock that did not move) still counts nothing against it */
  bi_frame_budget_spend (budget, 7, -5);
  g_assert_false (bi_frame_budget_has_time (budget, 7));
}

/* The next frame starts with the whole budget, whatever the last one spent. */
static void
test_frame_budget_next_frame (void)
{
  g_autoptr(BiFrameBudget) budget = bi_frame_budget_new (2000);

  bi_frame_budget_spend (budget, 7, 50000);
  g_assert_false (bi_frame_budget_has_time (budget, 7));
  g_assert_true (bi_frame_budget_has_time (budget, 8));
  bi_frame_budget_spend (budget, 8, 1999);
  g_assert_true (bi_frame_budget_has_time (budget, 8));
  bi_frame_budget_spend (budget, 8, 1);
  g_assert_false (bi_frame_budget_has_time (budget, 8));
  /* spending for a new frame first starts it afresh */
  bi_frame_budget_spend (budget, 9, 500);
  g_assert_true (bi_frame_budget_has_time (budget, 9));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bookimg/frame-budget/spent-in-a-frame", test_frame_budget_spent_in_a_frame);
  g_test_add_func ("/bookimg/frame-budget/next-frame", test_frame_budget_next_frame);
  return g_test_run ();
}
