/* bi-export-writers.h — the writers behind bi_export_write(), one file each (private)
 *
 * Each appends its format to @out for the BiExportBook of @books and returns how many it
 * wrote; a writer that cannot hold a book adds a BiExportSkip to @skipped (never NULL here).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "bi-export.h"

G_BEGIN_DECLS

typedef guint (*BiExportWriter) (GPtrArray *books,
                                 GString   *out,
                                 GPtrArray *skipped);

guint bi_export_write_goodreads (GPtrArray *books, GString *out, GPtrArray *skipped);
guint bi_export_write_libib     (GPtrArray *books, GString *out, GPtrArray *skipped);
guint bi_export_write_csv       (GPtrArray *books, GString *out, GPtrArray *skipped);
guint bi_export_write_json      (GPtrArray *books, GString *out, GPtrArray *skipped);
guint bi_export_write_bibtex    (GPtrArray *books, GString *out, GPtrArray *skipped);
guint bi_export_write_ris       (GPtrArray *books, GString *out, GPtrArray *skipped);
guint bi_export_write_csl_json  (GPtrArray *books, GString *out, GPtrArray *skipped);
guint bi_export_write_tellico   (GPtrArray *books, GString *out, GPtrArray *skipped);

/* Appends @root as indented JSON and a line break (shared by the two JSON formats). */
void  bi_export_append_json     (GString *out, JsonNode *root);

G_END_DECLS
