/* bi-cli-catalog.h — `bookimg-cli catalog`: import catalog files, search and summarise the catalog
 *
 * Works on the embedded backend's own catalog database (the file bookimg-server searches), so
 * a catalog imported here is used by the next scan; --data-dir or --catalog-db choose another.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Exit statuses of the catalog command. */
#define BI_CLI_CATALOG_EXIT_OK 0     /* done (rows may have been skipped: they are listed) */
#define BI_CLI_CATALOG_EXIT_USAGE 1  /* bad options or arguments */
#define BI_CLI_CATALOG_EXIT_FAILED 2 /* a file could not be read or is of no format we know,
                                      * or the catalog database could not be opened or read */

/* @argv[0] is "catalog". Returns the exit status. */
int bi_cli_catalog (int    argc,
                    char **argv);

G_END_DECLS
