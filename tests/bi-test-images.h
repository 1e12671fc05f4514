/* bi-test-images.h — synthetic shelf and cover photos for tests, drawn with cairo and Pango
 *
 * Tests must not depend on photos that happen to lie around, so they draw their own: coloured
 * spine strips with a title and an author in DejaVu Sans (package fonts-dejavu-core), turned
 * the way real spines are, encoded as PNG, JPEG, TIFF or WebP by Leptonica, and optionally
 * stored sideways with an EXIF orientation that turns them upright again.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <leptonica/allheaders.h>

#include "bi-leptonica-autoptr.h"

G_BEGIN_DECLS

#define BI_TEST_IMAGE_ERROR (bi_test_image_error_quark ())

typedef enum
{
  BI_TEST_IMAGE_ERROR_INVALID,  /* bad arguments: size, format, orientation, not a JPEG */
  BI_TEST_IMAGE_ERROR_ENCODE,   /* Leptonica could not encode the picture */
} BiTestImageError;

GQuark bi_test_image_error_quark (void);

typedef struct
{
  const char *title;
  const char *author;     /* may be NULL */
  guint32     background; /* 0xRRGGBB of the strip */
  guint32     foreground; /* 0xRRGGBB of the text */
  int         rotation;   /* degrees clockwise the text is turned: 0 (across the strip), 90 (reads
                           * top to bottom, as on most English spines) or 270 (bottom to top) */
} BiTestSpine;

/* Where spine @index of @n_spines is drawn in a @width × @height photo: spines share the width
 * equally, left to right, with a small margin of shelf around each. */
void     bi_test_image_spine_bounds         (guint              n_spines,
                                             guint              index,
                                             int                width,
                                             int                height,
                                             int               *x,
                                             int               *y,
                                             int               *spine_width,
                                             int               *spine_height);

/* 32 bpp pictures (free with pixDestroy); NULL with a warning for impossible arguments. */
PIX     *bi_test_image_draw_spines          (const BiTestSpine *spines,
                                             guint              n_spines,
                                             int                width,
                                             int                height);
PIX     *bi_test_image_draw_cover           (const char        *title,
                                             const char        *author,
                                             int                width,
                                             int                height);

/* A book drawn where the test says, for checking what a detector finds against what was drawn:
 * a strip @across wide and @along long, centred on (@centre_x, @centre_y), its long axis
 * leaning @tilt degrees from vertical (positive: the top leans left, so a clockwise turn by
 * @tilt stands it straight; 90 for a book lying flat in a stack). */
typedef struct
{
  BiTestSpine spine;  /* its text and colours; rotation as in BiTestSpine, along the strip */
  double      centre_x;
  double      centre_y;
  double      across;
  double      along;
  double      tilt;
} BiTestBook;

/* The bounding box of @book as drawn. */
void     bi_test_image_book_bounds          (const BiTestBook  *book,
                                             int               *x,
                                             int               *y,
                                             int               *width,
                                             int               *height);

/* A shelf photo: dark back wall, light wooden boards @board_height high whose tops are at
 * @board_tops, then the books (32 bpp, NULL with a warning for impossible arguments). */
PIX     *bi_test_image_draw_books           (const BiTestBook  *books,
                                             guint              n_books,
                                             const int         *board_tops,
                                             guint              n_boards,
                                             int                board_height,
                                             int                width,
                                             int                height);

/* A library's call-number label: @text (NULL: no label) in dark @font_pixels high DejaVu Sans
 * on a white label near the bottom of its book, along the strip the way the title runs. */
typedef struct
{
  const char *text;
  double      font_pixels;
} BiTestLabel;

/* draw_books with @labels (nullable; one per book) stuck on the books. */
PIX     *bi_test_image_draw_library_books   (const BiTestBook  *books,
                                             const BiTestLabel *labels,
                                             guint              n_books,
                                             const int         *board_tops,
                                             guint              n_boards,
                                             int                board_height,
                                             int                width,
                                             int                height);

/* Draws the EAN-13 barcode of @digits (13 ASCII digits, the last the check digit, written as
 * given even when wrong) onto @pix (32 bpp) with its top left quiet zone at (@x, @y): bars
 * @module pixels per module, @bar_height high, black on a white quiet zone of 11 modules.
 * Returns FALSE for digits that are not 13 digits or a barcode that does not fit. */
gboolean bi_test_image_draw_ean13           (PIX               *pix,
                                             const char        *digits,
                                             int                x,
                                             int                y,
                                             int                module,
                                             int                bar_height);

/* @format: "png", "jpeg", "tiff" or "webp" (lossless). */
GBytes  *bi_test_image_encode               (PIX               *pix,
                                             const char        *format,
                                             GError           **error);

/* draw + encode in one step. Covers are 480 × 640. */
GBytes  *bi_test_image_render_spines        (const BiTestSpine *spines,
                                             guint              n_spines,
                                             int                width,
                                             int                height,
                                             const char        *format,
                                             GError           **error);
GBytes  *bi_test_image_render_cover         (const char        *title,
                                             const char        *author,
                                             const char        *format,
                                             GError           **error);

/* The pixels a camera would store for @upright when it records EXIF @orientation (1–8): the
 * inverse of what a viewer does, written out pixel by pixel from the Exif specification (not
 * with the loader's code), so that showing the result with @orientation gives @upright. */
PIX     *bi_test_image_store_for_orientation (PIX              *upright,
                                              int               orientation);

/* A copy of @jpeg with @payload inserted as an APP1 segment after SOI (and after a JFIF APP0
 * segment if there is one), where cameras put Exif. @payload excludes the marker and length. */
GBytes  *bi_test_image_insert_app1          (GBytes            *jpeg,
                                             const guint8      *payload,
                                             gsize              payload_length,
                                             GError           **error);

/* A copy of @jpeg with an Exif segment whose IFD0 holds only Orientation = @orientation
 * (1–8, or any value to test rejection), little-endian ("II") or big-endian ("MM"). */
GBytes  *bi_test_image_add_exif_orientation_full (GBytes       *jpeg,
                                                  int           orientation,
                                                  gboolean      big_endian,
                                                  GError      **error);
GBytes  *bi_test_image_add_exif_orientation (GBytes            *jpeg,
                                             int                orientation,
                                             GError           **error);

/* The Exif payload (from "Exif\0\0") add_exif_orientation inserts, for tests that damage it. */
GByteArray *bi_test_image_build_exif_payload (int               orientation,
                                              gboolean          big_endian);

/* @upright stored sideways for @orientation and encoded as a JPEG carrying that orientation:
 * what a phone held sideways uploads. */
GBytes  *bi_test_image_encode_oriented_jpeg (PIX               *upright,
                                             int                orientation,
                                             GError           **error);

G_END_DECLS
