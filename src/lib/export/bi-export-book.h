/* bi-export-book.h — one book as the export formats see it, and where it was seen
 *
 * A book comes from one entry of a final results document's "books"; when the same book is
 * found on several photos, bi_export_merge() folds the entries into one book whose sightings
 * say which photos and shelf positions it came from (the UI shows the merge from them).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* One place a book was read: a spine on a photo. */
typedef struct
{
  char   *photo;      /* file name of the photo (or its job id when the results do not say) */
  gint64  position;   /* shelf position on that photo, left to right; -1 when unknown */
  char   *ocr_text;   /* the text the book was recognised from; "" when none */
  double  confidence; /* 0.0–1.0, of this reading */
} BiExportSighting;

#define BI_TYPE_EXPORT_BOOK (bi_export_book_get_type ())

/* Reference counted: a merged book may be held by the UI and by a writer at once. */
typedef struct
{
  char       *title;      /* never NULL or empty */
  char      **authors;    /* never NULL; may be empty */
  int         year;       /* 0 when unknown */
  char       *isbn13;     /* 13 digits with a valid check digit, or NULL */
  double      confidence; /* the best of the sightings' */
  char       *source;     /* "catalog", "openlibrary", …; "" when unknown */
  char       *source_id;  /* "" when unknown */
  GPtrArray  *sightings;  /* of BiExportSighting; [0] is the first; never empty once read */
} BiExportBook;

GType             bi_export_book_get_type       (void) G_GNUC_CONST;

BiExportBook     *bi_export_book_new            (const char   *title);
BiExportBook     *bi_export_book_ref            (BiExportBook *book);
void              bi_export_book_unref          (BiExportBook *book);

void              bi_export_book_add_sighting   (BiExportBook *book,
                                                 const char   *photo,
                                                 gint64        position,
                                                 const char   *ocr_text,
                                                 double        confidence);

/* Where the book was first seen (sightings[0]); NULL / -1 / "" without sightings. */
const char       *bi_export_book_get_photo      (BiExportBook *book);
gint64            bi_export_book_get_position   (BiExportBook *book);
const char       *bi_export_book_get_ocr_text   (BiExportBook *book);
/* How many readings were merged into this book (1 when it was seen once). */
guint             bi_export_book_get_merged_from (BiExportBook *book);
/* The first author, or NULL. */
const char       *bi_export_book_get_first_author (BiExportBook *book);
/* The authors joined by @separator; "" when there are none. */
char             *bi_export_book_join_authors   (BiExportBook *book,
                                                 const char   *separator);
/* The year as digits, "" when unknown. */
char             *bi_export_book_dup_year       (BiExportBook *book);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiExportBook, bi_export_book_unref)

G_END_DECLS
