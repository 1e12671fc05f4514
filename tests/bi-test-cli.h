/* bi-test-cli.h — runs the bookimg-cli of the build tree and collects what it printed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  int   exit_status;
  char *out;
  char *err;
} BiTestCliRun;

void bi_test_cli_run_clear (BiTestCliRun       *run);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BiTestCliRun, bi_test_cli_run_clear)

/* Runs bookimg-cli with @args (NULL-terminated) and waits for it, iterating the thread-default
 * main context meanwhile (so servers the test started keep being served); fails the test when
 * it cannot be run or does not exit. */
void bi_test_cli_run       (BiTestCliRun       *run,
                            const char * const *args);

G_END_DECLS
