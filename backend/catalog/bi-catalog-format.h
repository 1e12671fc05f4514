/* bi-catalog-format.h — the delimited catalog files we import, told by their header, row by row
 *
 * Columns are found by name (any case), so their order does not matter:
 *   BookImg TSV    exactly id, title, authors, year, isbn13 (authors separated by "; ", year
 *                  and isbn13 may be empty; an isbn13 must have a correct check digit), and
 *                  optionally a sixth column shelf_mark (a library's call number, "796.34
 *                  Cas"; may be empty); source id "bookimg:<id>". Our own format, for the
 *                  starter catalog.
 *   Goodreads CSV  the library export (Book Id, Title, Author, Additional Authors, ISBN,
 *                  ISBN13, Year Published, Original Publication Year, …; ISBN cells written
 *                  ="…" for spreadsheets) or the import template our exporter writes (no
 *                  Book Id). Source id "goodreads:<Book Id>", or a hash without one.
 *   Libib CSV      item_type, title, creators, …, ean_isbn13, upc_isbn10, publish_date, …
 *                  (or just title, creators, ean_isbn13 as our exporter writes); rows whose
 *                  item_type is not "book" are skipped; call_numbers (Libib Pro) is the
 *                  shelf mark. Source id "libib:<hash>".
 *   goodbooks TSV  book_id … title original_title authors year isbn10 isbn13 …
 *                  (authors "Name Surname, Name Surname"); source id "goodbooks:<book_id>".
 *   llabres CSV    title,author,tag,series,isbn (author "Surname, Name, 1919-2020", written
 *                  back as "Name Surname"; tag is the call number on the spine's label,
 *                  "796.34 Cas", kept as the shelf mark; isbn may carry a note).
 * Goodreads' export has no call number (its Bookshelves are the reader's own shelves).
 * Files without an id per book (llabres, Libib, Goodreads' template) list each copy of a book,
 * so the source id is a hash of title, authors and ISBN and copies collapse into one book.
 * The Open Library dumps are not delimited files: see bi-open-library-dump.h.
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
  BI_CATALOG_FORMAT_GOODREADS,
  BI_CATALOG_FORMAT_LIBIB,
  BI_CATALOG_FORMAT_BOOKIMG,
} BiCatalogFormatKind;

/* Every catalog format the importer accepts, for error messages that say what to give. */
#define BI_CATALOG_FORMATS_ACCEPTED \
  "a Goodreads library export CSV, a Libib CSV, an Open Library works, editions or " \
  "authors dump (ol_dump_*.txt.gz), a BookImg catalog TSV (id, title, authors, year, " \
  "isbn13), a goodbooks TSV (book_id, title, authors) or an llabres CSV (title, author, isbn)"

typedef struct
{
  BiCatalogFormatKind kind;
  guint               n_columns;
  /* Column indexes; -1 for a column the file does not have. */
  int                 id;
  int                 title;
  int                 original_title;
  int                 authors;
  int                 additional_authors; /* Goodreads: comma-separated, after Author */
  int                 year;
  int                 year_fallback;  /* read when the year is empty (Goodreads: the edition's) */
  int                 isbn13;         /* llabres: "isbn", which may hold an ISBN-10 */
  int                 isbn10;
  int                 item_type;      /* Libib: only "book" rows are books */
  int                 shelf_mark;     /* a library's call number: llabres' tag, Libib's
                                       * call_numbers, BookImg's shelf_mark */
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
  char  *shelf_mark;     /* the library's call number ("796.34 Cas") or NULL */
} BiCatalogRecord;

/* Longest title or author name kept; longer values are not bibliographic data. */
#define BI_CATALOG_MAX_TEXT_LENGTH 2048

/* Trimmed, every run of blanks or control characters one space; NULL when nothing is left. */
char       *bi_catalog_clean_text            (const char         *text);

/* Sets *@reason, why a row or dump line is skipped, from @format; returns FALSE, so a parser
 * can `return bi_catalog_skip (reason, …);`. */
gboolean    bi_catalog_skip                  (char              **reason,
                                              const char         *format,
                                              ...) G_GNUC_PRINTF (2, 3);

/* "Goodreads CSV", "goodbooks TSV", …: how summaries name the format. */
const char *bi_catalog_format_kind_to_string (BiCatalogFormatKind kind);

/* Errors: BI_CATALOG_ERROR_FORMAT, naming the formats accepted. */
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
