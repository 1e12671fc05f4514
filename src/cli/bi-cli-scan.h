/* bi-cli-scan.h — `bookimg-cli scan`: scan photos and print the books found
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit statuses of the scan command. */
#define BI_CLI_EXIT_OK 0             /* every job complete */
#define BI_CLI_EXIT_ERROR 1          /* usage or connection error */
#define BI_CLI_EXIT_JOBS_FAILED 2    /* some jobs failed */
#define BI_CLI_EXIT_INTERRUPTED 130  /* Ctrl-C, as shells report SIGINT */

/* @argv[0] is "scan". Returns the exit status. */
int bi_cli_scan (int    argc,
                 char **argv);

G_END_DECLS
