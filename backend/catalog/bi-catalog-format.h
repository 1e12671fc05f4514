/* bi-catalog-format.h — the catalog files we import, told by their header, row by row
 *
 * Two formats, columns found by name so their order does not matter:
 *   goodbooks TSV  book_id … title original_title authors year isbn10 isbn13 …
 *                  (authors "Name Surname, Name Surname"); source id "goodbooks:<book_id>".
 *   llabres CSV    title,author,tag,series,isbn (author "Surname, Name, 1919-2020", written
 *                  back as "Name Surname"; isbn may carry a note). A library lists each copy
 *                  of a book, so the source id is derived from title, author and ISBN:
 *                  "llabres:<hash>", and copies collapse into one book.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  BI_CATALOG_FORMAT_GOODBOOKS,
  BI_CATALOG_FORMAT_LLABRES,
} BiCatalogFormatKind;

typedef struct
{
  BiCatalogFormatKind kind;
  guint               n_columns;
  /* Column indexes; -1 for a column the file does not have. */
  int                 id;
  int                 title;
  int                 original_title;
  int                 authors;
  int                 year;
  int                 isbn13;         /* llabres: "isbn", which may hold an ISBN-10 */
  int                 isbn10;
} BiCatalogFormat;

/* One book as imported. */
typedef struct
{
  char  *source_id;
  char  *title;
  char  *original_title; /* NULL when there is none or it equals the title */
  char **authors;        /* NULL-terminated, may be empty */
  int    year;           /* 0 when unknown */
  char  *isbn13;         /* a valid ISBN-13 or NULL */
} BiCatalogRecord;

/* Errors: BI_CATALOG_ERROR_FORMAT, naming the columns each format needs. */
gboolean bi_catalog_format_detect (const GPtrArray        *header,
                                   char                    delimiter,
                                   BiCatalogFormat        *format,
                                   GError                **error);

/* FALSE, with the reason in @reason, for a row that is not a book. */
gboolean bi_catalog_record_parse  (const BiCatalogFormat  *format,
                                   const GPtrArray        *fields,
                                   BiCatalogRecord        *record,
                                   char                  **reason);
void     bi_catalog_record_clear  (BiCatalogRecord        *record);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BiCatalogRecord, bi_catalog_record_clear)

G_END_DECLS
