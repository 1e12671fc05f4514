/* bi-catalog-location.h — where the embedded backend keeps its catalog database
 *
 * bookimg-server keeps the catalog as CATALOG_DATABASE_NAME in its data dir; the desktop app
 * runs it with a data dir kept across runs, under the user's data dir. `bookimg-cli catalog`
 * opens the same file, so a catalog imported from the command line is the one the app's
 * server searches.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BI_CATALOG_DATABASE_NAME "catalog.sqlite3"

/* $XDG_DATA_HOME/bookimg/server: the data dir the desktop app gives its embedded server. */
char *bi_catalog_location_default_data_dir (void);

/* The catalog database in @data_dir. */
char *bi_catalog_location_database_path    (const char *data_dir);

G_END_DECLS
