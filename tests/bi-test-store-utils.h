/* bi-test-store-utils.h — what most tests share: temporary data dirs, a fake clock, threads,
 * and waiting on the main context without sleeping
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A new empty directory under the system's temporary directory; aborts the test on failure. */
char   *bi_test_temp_dir_new    (void);
/* Removes @dir and everything in it (subdirectories too). */
void    bi_test_temp_dir_remove (const char *dir);

/* A clock the test moves by hand (BiClockFunc with the BiTestClock as user data). */
typedef struct
{
  gint64 now_ms;
} BiTestClock;

gint64  bi_test_clock_now       (gpointer clock);

/* Runs @func (@data) on @n_threads threads at once and joins them. */
void    bi_test_run_threads     (guint        n_threads,
                                 GThreadFunc  func,
                                 gpointer     data);

/* Long enough for a loaded 2-core machine; a healthy run takes a fraction of it. */
#define BI_TEST_TIMEOUT_SECONDS 60

typedef gboolean (*BiTestCondition) (gpointer user_data);

/* Iterates the thread-default main context until @condition returns TRUE or @timeout_seconds
 * pass; returns whether it held. Never sleeps: a 50 ms tick wakes the loop to re-check. */
gboolean bi_test_iterate_until  (BiTestCondition  condition,
                                 gpointer         user_data,
                                 double           timeout_seconds);

/* The same, but fails the test naming @what when @condition does not hold in time. */
void     bi_test_wait_until     (BiTestCondition  condition,
                                 gpointer         user_data,
                                 double           timeout_seconds,
                                 const char      *what);

G_END_DECLS
