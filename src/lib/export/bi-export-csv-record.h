/* bi-export-csv-record.h — RFC 4180 records, for the CSV formats
 *
 * Records end with CRLF; a field is quoted when it holds a comma, a double quote, CR or LF,
 * and a double quote inside is doubled. Control characters other than CR, LF and tab become
 * spaces: they are OCR noise, and would confuse spreadsheet imports.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void bi_export_csv_append_field  (GString           *out,
                                  const char        *value);

/* @fields: @n_fields strings (NULL is written as an empty field). */
void bi_export_csv_append_record (GString           *out,
                                  const char *const *fields,
                                  guint              n_fields);

G_END_DECLS
