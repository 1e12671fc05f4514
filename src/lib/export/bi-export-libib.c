/* bi-export-libib.c — Libib's import CSV
 *
 * Libib imports only rows with an identifier and fetches the rest of a book's data itself
 * (support.libib.com, "Import a CSV file"); our identifier is the ISBN-13, in its column
 * ean_isbn13. Books without one are not written but returned as skipped, with the reason.
 * title and creators (comma separated, "Firstname Lastname") override what Libib finds.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-export-libib"

#include "bi-export-writers.h"

#include "bi-export-csv-record.h"

enum
{
  COLUMN_TITLE,
  COLUMN_CREATORS,
  COLUMN_EAN_ISBN13,
  N_COLUMNS
};

static const char *const header[N_COLUMNS] = { "title", "creators", "ean_isbn13" };

guint
bi_export_write_libib (GPtrArray *books,
                       GString   *out,
                       GPtrArray *skipped)
{
  guint written = 0;

  bi_export_csv_append_record (out, header, N_COLUMNS);

  for (guint i = 0; i < books->len; i++)
    {
      BiExportBook *book = g_ptr_array_index (books, i);
      g_autofree char *creators = NULL;
      const char *row[N_COLUMNS];

      if (book->isbn13 == NULL)
        {
          BiExportSkip *skip = g_new0 (BiExportSkip, 1);

          skip->book = bi_export_book_ref (book);
          skip->reason = g_strdup ("Libib imports only books with an ISBN-13, and this book "
                                   "has none; add it in Libib by hand or by its barcode");
          g_ptr_array_add (skipped, skip);
          continue;
        }

      creators = bi_export_book_join_authors (book, ", ");
      row[COLUMN_TITLE] = book->title;
      row[COLUMN_CREATORS] = creators;
      row[COLUMN_EAN_ISBN13] = book->isbn13;
      bi_export_csv_append_record (out, row, N_COLUMNS);
      written++;
    }

  return written;
}
