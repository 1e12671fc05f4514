/* bi-export-book.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-export-book"

#include "bi-export-book.h"

G_DEFINE_BOXED_TYPE (BiExportBook, bi_export_book, bi_export_book_ref, bi_export_book_unref)

static void
sighting_free (BiExportSighting *sighting)
{
  g_free (sighting->photo);
  g_free (sighting->ocr_text);
  g_free (sighting);
}

static void
book_clear (BiExportBook *book)
{
  g_free (book->title);
  g_strfreev (book->authors);
  g_free (book->isbn13);
  g_free (book->source);
  g_free (book->source_id);
  g_ptr_array_unref (book->sightings);
}

BiExportBook *
bi_export_book_new (const char *title)
{
  BiExportBook *book;

  g_return_val_if_fail (title != NULL && *title != '\0', NULL);

  book = g_rc_box_new0 (BiExportBook);
  book->title = g_strdup (title);
  book->authors = g_new0 (char *, 1);
  book->source = g_strdup ("");
  book->source_id = g_strdup ("");
  book->sightings = g_ptr_array_new_with_free_func ((GDestroyNotify) sighting_free);
  return book;
}

BiExportBook *
bi_export_book_ref (BiExportBook *book)
{
  g_return_val_if_fail (book != NULL, NULL);

  return g_rc_box_acquire (book);
}

void
bi_export_book_unref (BiExportBook *book)
{
  g_return_if_fail (book != NULL);

  g_rc_box_release_full (book, (GDestroyNotify) book_clear);
}

void
bi_export_book_add_sighting (BiExportBook *book,
                             const char   *photo,
                             gint64        position,
                             const char   *ocr_text,
                             double        confidence)
{
  BiExportSighting *sighting;

  g_return_if_fail (book != NULL);
  g_return_if_fail (photo != NULL);

  sighting = g_new0 (BiExportSighting, 1);
  sighting->photo = g_strdup (photo);
  sighting->position = position;
  sighting->ocr_text = g_strdup (ocr_text != NULL ? ocr_text : "");
  sighting->confidence = confidence;
  g_ptr_array_add (book->sightings, sighting);
}

static BiExportSighting *
first_sighting (BiExportBook *book)
{
  return book->sightings->len > 0 ? g_ptr_array_index (book->sightings, 0) : NULL;
}

const char *
bi_export_book_get_photo (BiExportBook *book)
{
  g_return_val_if_fail (book != NULL, NULL);

  return first_sighting (book) != NULL ? first_sighting (book)->photo : NULL;
}

gint64
bi_export_book_get_position (BiExportBook *book)
{
  g_return_val_if_fail (book != NULL, -1);

  return first_sighting (book) != NULL ? first_sighting (book)->position : -1;
}

const char *
bi_export_book_get_ocr_text (BiExportBook *book)
{
  g_return_val_if_fail (book != NULL, "");

  return first_sighting (book) != NULL ? first_sighting (book)->ocr_text : "";
}

guint
bi_export_book_get_merged_from (BiExportBook *book)
{
  g_return_val_if_fail (book != NULL, 0);

  return book->sightings->len;
}

const char *
bi_export_book_get_first_author (BiExportBook *book)
{
  g_return_val_if_fail (book != NULL, NULL);

  return book->authors[0];
}

char *
bi_export_book_join_authors (BiExportBook *book,
                             const char   *separator)
{
  g_return_val_if_fail (book != NULL, NULL);

  return g_strjoinv (separator, book->authors);
}

char *
bi_export_book_dup_year (BiExportBook *book)
{
  g_return_val_if_fail (book != NULL, NULL);

  return book->year > 0 ? g_strdup_printf ("%d", book->year) : g_strdup ("");
}
