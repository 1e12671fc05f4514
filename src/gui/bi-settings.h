/* bi-settings.h — the app's GSettings, when its schema is installed
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BI_SETTINGS_SCHEMA_ID "io.github.bookimg.BookImg"

/* A GSettings for BI_SETTINGS_SCHEMA_ID, or NULL when the schema is not installed (a build
 * tree run without GSETTINGS_SCHEMA_DIR): the app then runs on the built-in defaults instead
 * of aborting, as g_settings_new() would. */
GSettings *bi_settings_new (void);

/* Where Preferences → Import Catalog keeps its copy: g_get_user_data_dir()/bookimg/
 * imported-catalog.<@extension> ("tsv" or "csv"; the server reads the format from it). */
char      *bi_settings_get_imported_catalog_path (const char *extension);
/* The imported catalog, or NULL when none was imported. */
char      *bi_settings_find_imported_catalog     (void);

G_END_DECLS
