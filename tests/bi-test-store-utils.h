/* bi-test-store-utils.h — what the storage tests share: temporary data dirs and a fake clock
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

G_END_DECLS
