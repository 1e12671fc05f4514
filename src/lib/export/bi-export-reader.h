/* bi-export-reader.h — books from final results documents, validated
 *
 * Accepts what `bookimg-cli scan --format json` writes (an array of final results, one per
 * photo, each with a "photo" member; failed photos carry "status":"failed") and a single final
 * results document (docs/protocol.md). Anything else is BI_EXPORT_ERROR_BAD_RESULTS with a
 * message naming the file, the book and the member that is wrong.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "bi-export-book.h"

G_BEGIN_DECLS

/* Appends a BiExportBook (one sighting each) to @books per book in @root. @origin names the
 * input in error messages (a file name). @n_failed (optional) is increased by the number of
 * failed photos, which have no books. On error @books is left as it was. */
gboolean bi_export_read_results      (JsonNode    *root,
                                      const char  *origin,
                                      GPtrArray   *books,
                                      guint       *n_failed,
                                      GError     **error);

/* The same for a file (UTF-8 JSON, at most 64 MiB). */
gboolean bi_export_read_results_file (const char  *path,
                                      GPtrArray   *books,
                                      guint       *n_failed,
                                      GError     **error);

/* TRUE when @isbn is 13 digits whose ISBN-13 check digit is right. */
gboolean bi_export_isbn13_is_valid   (const char  *isbn);

G_END_DECLS
