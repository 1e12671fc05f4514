/* bi-export.h — write books in the formats other programs import
 *
 * goodreads  Goodreads' import CSV           libib     Libib's import CSV (ISBN-13 required)
 * csv        every field, RFC 4180           json      an array of book objects
 * bibtex     @book entries                   ris       TY  - BOOK … ER  - , CRLF
 * csl-json   CSL-JSON items (citeproc)       tellico   a Tellico bibliography (XML)
 *
 * Output is UTF-8. A format that cannot hold a book (Libib without an ISBN-13) leaves it out
 * and lists it in @skipped with the reason, for the caller to report: nothing is dropped
 * silently. See docs/export.md for the columns of each format.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "bi-export-book.h"

G_BEGIN_DECLS

typedef enum
{
  BI_BOOK_FORMAT_GOODREADS,
  BI_BOOK_FORMAT_LIBIB,
  BI_BOOK_FORMAT_CSV,
  BI_BOOK_FORMAT_JSON,
  BI_BOOK_FORMAT_BIBTEX,
  BI_BOOK_FORMAT_RIS,
  BI_BOOK_FORMAT_CSL_JSON,
  BI_BOOK_FORMAT_TELLICO,
  BI_BOOK_N_FORMATS,
} BiBookFormat;

/* A book a format could not hold. */
typedef struct
{
  BiExportBook *book;
  char         *reason;  /* a sentence for the user, e.g. "Libib needs an ISBN-13" */
} BiExportSkip;

void               bi_export_skip_free        (BiExportSkip     *skip);

/* NULL-terminated: "goodreads", "libib", "csv", "json", "bibtex", "ris", "csl-json",
 * "tellico" (the BiBookFormat order). */
const char *const *bi_book_format_names       (void);
const char        *bi_book_format_to_string   (BiBookFormat      format);
/* BI_EXPORT_ERROR_UNKNOWN_FORMAT names the formats there are. */
gboolean           bi_book_format_parse       (const char       *name,
                                               BiBookFormat     *format,
                                               GError          **error);
/* The usual file name extension, without the dot: "csv", "bib", "ris", "json", "xml". */
const char        *bi_book_format_extension   (BiBookFormat      format);

/* @books: of BiExportBook. @skipped (optional, of BiExportSkip, free func
 * bi_export_skip_free) receives the books left out. Returns how many books were written. */
guint              bi_export_write            (BiBookFormat      format,
                                               GPtrArray        *books,
                                               GString          *out,
                                               GPtrArray        *skipped);

/* The same to a stream (not closed). */
gboolean           bi_export_write_to_stream  (BiBookFormat      format,
                                               GPtrArray        *books,
                                               GOutputStream    *stream,
                                               GPtrArray        *skipped,
                                               guint            *n_written,
                                               GCancellable     *cancellable,
                                               GError          **error);

G_END_DECLS
