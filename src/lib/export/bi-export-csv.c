/* bi-export-csv.c — every field of a book as RFC 4180 CSV
 *
 * Columns: title, authors ("; " between names), year, isbn13, confidence (two decimals, a
 * point whatever the locale), source, source_id, photo, position, ocr_text (where it was
 * first seen), merged_from (how many readings), sightings ("photo#position" of each reading,
 * "; " between them).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-export-csv"

#include "bi-export-writers.h"

#include "bi-export-csv-record.h"

enum
{
  COLUMN_TITLE,
  COLUMN_AUTHORS,
  COLUMN_YEAR,
  COLUMN_ISBN13,
  COLUMN_CONFIDENCE,
  COLUMN_SOURCE,
  COLUMN_SOURCE_ID,
  COLUMN_PHOTO,
  COLUMN_POSITION,
  COLUMN_OCR_TEXT,
  COLUMN_MERGED_FROM,
  COLUMN_SIGHTINGS,
  N_COLUMNS
};

static const char *const header[N_COLUMNS] = {
  "title", "authors", "year", "isbn13", "confidence", "source", "source_id", "photo",
  "position", "ocr_text", "merged_from", "sightings",
};

static char *
position_text (gint64 position)
{
  return position >= 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, position) : g_strdup ("");
}

static char *
sightings_text (BiExportBook *book)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < book->sightings->len; i++)
    {
      BiExportSighting *sighting = g_ptr_array_index (book->sightings, i);

      if (i > 0)
        g_string_append (text, "; ");
      g_string_append (text, sighting->photo);
      if (sighting->position >= 0)
        g_string_append_printf (text, "#%" G_GINT64_FORMAT, sighting->position);
    }

  return g_string_free (text, FALSE);
}

guint
bi_export_write_csv (GPtrArray *books,
                     GString   *out,
                     GPtrArray *skipped)
{
  bi_export_csv_append_record (out, header, N_COLUMNS);

  for (guint i = 0; i < books->len; i++)
    {
      BiExportBook *book = g_ptr_array_index (books, i);
      g_autofree char *authors = bi_export_book_join_authors (book, "; ");
      g_autofree char *year = bi_export_book_dup_year (book);
      g_autofree char *position = position_text (bi_export_book_get_position (book));
      g_autofree char *merged_from = g_strdup_printf ("%u", bi_export_book_get_merged_from (book));
      g_autofree char *sightings = sightings_text (book);
      char confidence[G_ASCII_DTOSTR_BUF_SIZE];
      const char *row[N_COLUMNS];

      row[COLUMN_TITLE] = book->title;
      row[COLUMN_AUTHORS] = authors;
      row[COLUMN_YEAR] = year;
      row[COLUMN_ISBN13] = book->isbn13;
      row[COLUMN_CONFIDENCE] = g_ascii_formatd (confidence, sizeof confidence, "%.2f",
                                                book->confidence);
      row[COLUMN_SOURCE] = book->source;
      row[COLUMN_SOURCE_ID] = book->source_id;
      row[COLUMN_PHOTO] = bi_export_book_get_photo (book);
      row[COLUMN_POSITION] = position;
      row[COLUMN_OCR_TEXT] = bi_export_book_get_ocr_text (book);
      row[COLUMN_MERGED_FROM] = merged_from;
      row[COLUMN_SIGHTINGS] = sightings;
      bi_export_csv_append_record (out, row, N_COLUMNS);
    }

  return books->len;
}
