/* bi-cli-export.h — `bookimg-cli export`: scan results to Goodreads, Libib, BibTeX, …
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit statuses of the export command. */
#define BI_CLI_EXPORT_EXIT_OK 0           /* written (some books may have been skipped) */
#define BI_CLI_EXPORT_EXIT_ERROR 1        /* usage error, bad input, or the output failed */
#define BI_CLI_EXPORT_EXIT_ALL_SKIPPED 2  /* there were books, and the format took none */

/* @argv[0] is "export". Returns the exit status. */
int bi_cli_export (int    argc,
                   char **argv);

G_END_DECLS
