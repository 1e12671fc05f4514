/* bi-results-export.h — the books of a scan as a table, JSON or CSV
 *
 * table: aligned columns (photo, position, title, authors, year, ISBN-13, confidence), the
 *        spines that matched no book listed after; text from the server or the photo is
 *        stripped of control characters, so it cannot drive the terminal.
 * json:  an array with the final results of each photo, plus its "photo" name; a failed
 *        photo has "status":"failed" and an "error" object instead.
 * csv:   RFC 4180 (CRLF, fields quoted when they hold a comma, quote or line break), one row
 *        per book with the photo name.
 * Jobs that are not complete contribute no rows to the table and CSV.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  BI_EXPORT_FORMAT_TABLE,
  BI_EXPORT_FORMAT_JSON,
  BI_EXPORT_FORMAT_CSV,
} BiExportFormat;

/* "table", "json" or "csv". */
gboolean  bi_export_format_parse (const char     *name,
                                  BiExportFormat *format);

/* @jobs: a GListModel of BiScanJob. Returns UTF-8 text ending with a line break. */
char     *bi_results_export      (GListModel     *jobs,
                                  BiExportFormat  format);

G_END_DECLS
