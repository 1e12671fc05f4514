/* bi-export-goodreads.c — Goodreads' import CSV
 *
 * The header is Goodreads' import template, column for column. Goodreads matches a row by
 * ISBN first, then by title and author, so the ISBN column carries the plain ISBN-13: the
 * ="…" wrapping of Goodreads' own export only stops spreadsheets from turning the digits into
 * a number, and other readers of an import file would take it literally. Author is the first
 * author (the template has one); the columns about a reader's own history stay empty, since
 * a photo of a shelf says nothing about ratings or dates read.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-export-goodreads"

#include "bi-export-writers.h"

#include "bi-export-csv-record.h"

enum
{
  COLUMN_TITLE,
  COLUMN_AUTHOR,
  COLUMN_ISBN,
  COLUMN_MY_RATING,
  COLUMN_AVERAGE_RATING,
  COLUMN_PUBLISHER,
  COLUMN_BINDING,
  COLUMN_YEAR_PUBLISHED,
  COLUMN_ORIGINAL_PUBLICATION_YEAR,
  COLUMN_DATE_READ,
  COLUMN_DATE_ADDED,
  COLUMN_SHELVES,
  COLUMN_BOOKSHELVES,
  COLUMN_MY_REVIEW,
  N_COLUMNS
};

static const char *const header[N_COLUMNS] = {
  "Title", "Author", "ISBN", "My Rating", "Average Rating", "Publisher", "Binding",
  "Year Published", "Original Publication Year", "Date Read", "Date Added", "Shelves",
  "Bookshelves", "My Review",
};

guint
bi_export_write_goodreads (GPtrArray *books,
                           GString   *out,
                           GPtrArray *skipped)
{
  bi_export_csv_append_record (out, header, N_COLUMNS);

  for (guint i = 0; i < books->len; i++)
    {
      BiExportBook *book = g_ptr_array_index (books, i);
      g_autofree char *year = bi_export_book_dup_year (book);
      const char *row[N_COLUMNS] = { NULL };

      row[COLUMN_TITLE] = book->title;
      row[COLUMN_AUTHOR] = bi_export_book_get_first_author (book);
      row[COLUMN_ISBN] = book->isbn13;
      row[COLUMN_YEAR_PUBLISHED] = year;
      bi_export_csv_append_record (out, row, N_COLUMNS);
    }

  return books->len;
}
