/* test-seq-tracker.c — duplicate and stale pushes are dropped, the terminal one taken once
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-seq-tracker.h"

#define JOB_A "job-1700000000000-aaaaaaaaaaaaaaaaaaaaaaaa"
#define JOB_B "job-1700000000000-bbbbbbbbbbbbbbbbbbbbbbbb"

static void
test_duplicates_and_stale (void)
{
  g_autoptr(BiSeqTracker) tracker = bi_seq_tracker_new ();

  g_assert_true (bi_seq_tracker_accept (tracker, JOB_A, 1, FALSE));
  g_assert_false (bi_seq_tracker_accept (tracker, JOB_A, 1, FALSE));  /* duplicate */
  g_assert_true (bi_seq_tracker_accept (tracker, JOB_A, 3, FALSE));   /* a gap is fine */
  g_assert_false (bi_seq_tracker_accept (tracker, JOB_A, 2, FALSE));  /* stale: overtaken */
  g_assert_false (bi_seq_tracker_is_terminal (tracker, JOB_A));
}

static void
test_jobs_are_independent (void)
{
  g_autoptr(BiSeqTracker) tracker = bi_seq_tracker_new ();

  g_assert_true (bi_seq_tracker_accept (tracker, JOB_A, 5, FALSE));
  g_assert_true (bi_seq_tracker_accept (tracker, JOB_B, 1, FALSE));
  g_assert_true (bi_seq_tracker_accept (tracker, JOB_B, 2, TRUE));
  g_assert_true (bi_seq_tracker_is_terminal (tracker, JOB_B));
  g_assert_false (bi_seq_tracker_is_terminal (tracker, JOB_A));
  g_assert_true (bi_seq_tracker_accept (tracker, JOB_A, 6, FALSE));
}

static void
test_terminal_once (void)
{
  g_autoptr(BiSeqTracker) tracker = bi_seq_tracker_new ();

  g_assert_true (bi_seq_tracker_accept (tracker, JOB_A, 4, FALSE));
  /* The GET /results fallback has no seq (0): still the job's outcome, taken. */
  g_assert_true (bi_seq_tracker_accept (tracker, JOB_A, 0, TRUE));
  g_assert_true (bi_seq_tracker_is_terminal (tracker, JOB_A));
  /* The replayed push of the same outcome, and anything later, are dropped. */
  g_assert_false (bi_seq_tracker_accept (tracker, JOB_A, 9, TRUE));
  g_assert_false (bi_seq_tracker_accept (tracker, JOB_A, 10, FALSE));
}

static void
test_unknown_job (void)
{
  g_autoptr(BiSeqTracker) tracker = bi_seq_tracker_new ();

  g_assert_false (bi_seq_tracker_is_terminal (tracker, JOB_A));
  /* seq starts at 1; a seq of 0 or less is not a push the server can send. */
  g_assert_false (bi_seq_tracker_accept (tracker, JOB_A, 0, FALSE));
  g_assert_true (bi_seq_tracker_accept (tracker, JOB_A, 1, FALSE));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bookimg/client/seq-tracker/duplicates-and-stale", test_duplicates_and_stale);
  g_test_add_func ("/bookimg/client/seq-tracker/jobs-are-independent", test_jobs_are_independent);
  g_test_add_func ("/bookimg/client/seq-tracker/terminal-once", test_terminal_once);
  g_test_add_func ("/bookimg/client/seq-tracker/unknown-job", test_unknown_job);

  return g_test_run ();
}
