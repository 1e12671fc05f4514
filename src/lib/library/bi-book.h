/* bi-book.h — one book found on a photo, as the library and the views see it
 *
 * Made from one entry of a job's final results (`books[]`): the catalog's title, authors, year
 * and ISBN-13, how sure the pipeline was, and the evidence — the OCR text and the spine's box
 * in the photo (pixels after EXIF orientation) — so a view can cut the spine from the user's
 * own photo. Position is the spine's place on the shelf, left to right.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "bi-library.h"

G_BEGIN_DECLS

#define BI_TYPE_BOOK (bi_book_get_type ())
G_DECLARE_FINAL_TYPE (BiBook, bi_book, BI, BOOK, GObject)

/* Every book of @results (a final results object) as a new BiBook, in the order given.
 * Entries without a title are skipped. */
GPtrArray  *bi_book_list_from_results (JsonNode   *results,
                                       const char *job_id,
                                       const char *photo_path);

BiBook     *bi_book_new_from_json     (JsonObject *book,
                                       const char *job_id,
                                       const char *photo_path);

const char *bi_book_get_title         (BiBook     *self);
/* The authors joined with ", " ("" when none are known). */
const char *bi_book_get_authors       (BiBook     *self);
/* The authors one by one (never NULL; may be empty). */
const char *const *bi_book_get_author_list (BiBook *self);
/* 0 when unknown. */
int         bi_book_get_year          (BiBook     *self);
const char *bi_book_get_isbn13        (BiBook     *self);
double      bi_book_get_confidence    (BiBook     *self);
const char *bi_book_get_source        (BiBook     *self);
/* The source's id of the book ("" when unknown). */
const char *bi_book_get_source_id     (BiBook     *self);
const char *bi_book_get_job_id        (BiBook     *self);
const char *bi_book_get_photo_path    (BiBook     *self);
/* The file name of the photo, for display. */
const char *bi_book_get_photo_name    (BiBook     *self);
int         bi_book_get_position      (BiBook     *self);
const char *bi_book_get_evidence_text (BiBook     *self);
/* FALSE when the result carried no usable box. */
gboolean    bi_book_get_bbox          (BiBook     *self,
                                       int        *x,
                                       int        *y,
                                       int        *width,
                                       int        *height);

/* Lower-case title, authors and ISBN, for filters. */
const char *bi_book_get_search_text   (BiBook     *self);

typedef enum
{
  BI_BOOK_SORT_TITLE,
  BI_BOOK_SORT_AUTHORS,
  BI_BOOK_SORT_PHOTO_NAME,
} BiBookSortField;

const char *bi_book_get_sort_key      (BiBook          *self,
                                       BiBookSortField  field);

/* A spine that matched no book: an entry of the results' `unresolved` (text, bbox, position).
 * Its title is "" until the user matches it by hand (bi_book_apply_review). */
BiBook     *bi_book_new_spine         (JsonObject *unresolved,
                                       const char *job_id,
                                       const char *photo_path);

/* Below this confidence a book is marked until the user accepts it. */
#define BI_BOOK_CONFIDENCE_THRESHOLD 0.7

gboolean    bi_book_get_accepted      (BiBook     *self);
/* TRUE for a low-confidence book the user has not accepted. */
gboolean    bi_book_needs_review      (BiBook     *self);

/* Applies the user's decision (its edited fields and accepted flag; removal is the caller's)
 * and emits ::changed. A review with source "manual" makes the book a sure one. */
void        bi_book_apply_review      (BiBook                *self,
                                       const BiLibraryReview *review);
/* The review that keeps the book as it is now. */
BiLibraryReview *bi_book_to_review    (BiBook     *self);

/* Merging: one book (the primary, the first reading) holds the readings of the same book on
 * other photos. A copy's primary is the book it was merged into (NULL for a primary). */
BiBook     *bi_book_get_primary       (BiBook     *self);
void        bi_book_add_copy          (BiBook     *self,
                                       BiBook     *copy);
/* Undoes the merge (a review changed what the readings match): the copies become books of
 * their own again. */
void        bi_book_detach_copies     (BiBook     *self);
/* The other readings merged into this one (never NULL; of BiBook). */
GPtrArray  *bi_book_get_copies        (BiBook     *self);
/* How many photos show the book: 1 + copies. */
guint       bi_book_get_n_photos      (BiBook     *self);

G_END_DECLS
