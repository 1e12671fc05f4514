/* bi-shelf-generator.h — synthetic shelf and cover photos with their ground truth
 *
 * Each photo is planned first, from one GRand seeded by the caller, in photo order: which
 * books, where, in which font, colour and orientation, and how the camera saw them (roll,
 * perspective, light, blur, noise, JPEG quality). Rendering a plan is then a pure function of
 * the plan, so photos can be drawn on any thread in any order and a seed always gives the same
 * photos (with the same fonts installed: the families are those fontconfig offers).
 *
 * Shelf photos hold one or two shelves of standing spines, their text reading top to bottom
 * (90°) or bottom to top (270°), and sometimes a stack of books lying flat (0°). Cover photos
 * hold one to three front covers; a book with an ISBN-13 gets its EAN-13 barcode on a label.
 * Every third photo is 4000 × 3000 (12 megapixels), the others smaller.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "bi-shelf-books.h"

G_BEGIN_DECLS

/* One book of a photo's ground truth. */
typedef struct
{
  char *title;   /* the catalog's title */
  char *author;  /* may be NULL */
  char *isbn13;  /* may be NULL */
  int   x, y, width, height; /* where the book's spine or cover is in the photo, pixels */
} BiShelfTruth;

void bi_shelf_truth_free (BiShelfTruth *truth);

typedef struct _BiShelfPhoto BiShelfPhoto;
typedef struct _BiShelfGenerator BiShelfGenerator;

/* @pool must outlive the generator and every photo it plans. NULL, with @error set, when a
 * font family the photos are drawn in is not installed. */
BiShelfGenerator *bi_shelf_generator_new        (BiShelfBookPool   *pool,
                                                 guint32            seed,
                                                 GError           **error);
void              bi_shelf_generator_free       (BiShelfGenerator  *self);

/* Makes every photo planned from now on @width × @height (each at least 800 × 600) instead
 * of the usual mix of sizes: for quick runs on small photos. */
void              bi_shelf_generator_set_photo_size (BiShelfGenerator *self,
                                                     int               width,
                                                     int               height);

/* Plans the next photo ("photo-01.jpg", "photo-02.jpg", …). */
BiShelfPhoto     *bi_shelf_generator_next       (BiShelfGenerator  *self);

void              bi_shelf_photo_free           (BiShelfPhoto      *photo);
const char       *bi_shelf_photo_get_name       (BiShelfPhoto      *photo);
guint             bi_shelf_photo_get_n_books    (BiShelfPhoto      *photo);
void              bi_shelf_photo_get_size       (BiShelfPhoto      *photo,
                                                 int               *width,
                                                 int               *height);

/* Draws the photo as a JPEG. @truth (optional) receives a GPtrArray of BiShelfTruth in shelf
 * order (left to right, top shelf first). Safe to call from several threads at once. */
GBytes           *bi_shelf_photo_render         (BiShelfPhoto      *photo,
                                                 GPtrArray        **truth,
                                                 GError           **error);

/* The ground-truth file's header line and one line for book @n (1-based) of @file, in the
 * columns file, n, title, author, isbn13, bbox ("x,y,w,h"); both end in a newline. */
const char       *bi_shelf_truth_tsv_header     (void);
char             *bi_shelf_truth_to_tsv_line    (const BiShelfTruth *truth,
                                                 const char         *file,
                                                 guint               n);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiShelfTruth, bi_shelf_truth_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiShelfPhoto, bi_shelf_photo_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiShelfGenerator, bi_shelf_generator_free)

G_END_DECLS
