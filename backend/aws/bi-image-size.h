/* bi-image-size.h — a photo's pixel size from its header alone (JPEG, PNG), without decoding
 *
 * Textract reports boxes as fractions of the page; the OCR port wants pixels, so the Textract
 * adapter needs the size, and the AWS Lambda does not link the Leptonica decoder for it.
 * A JPEG's EXIF orientation 5–8 (turned a quarter) swaps width and height, as the photo is
 * shown (and as the embedded engine's boxes are). The header also tells the orientation and
 * where its tag is, so the Textract adapter can send the stored grid and turn its boxes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  int      stored_width;           /* the pixel grid as stored */
  int      stored_height;
  int      orientation;            /* EXIF orientation 1–8; 1 when there is none (and PNG) */
  gsize    orientation_offset;     /* byte offset of the tag's 16-bit value; 0 if none */
  gboolean orientation_big_endian; /* the byte order of that value (the TIFF header's) */
} BiImageHeader;

/* FALSE when @data is not a JPEG or PNG whose header gives a size. Never reads past @length. */
gboolean bi_image_header_read          (const guint8        *data,
                                        gsize                length,
                                        BiImageHeader       *header);
/* The size as the photo is shown (width and height swapped for orientations 5–8). */
void     bi_image_header_oriented_size (const BiImageHeader *header,
                                        int                 *width,
                                        int                 *height);
/* @image (whose header is @header) with its EXIF orientation tag set to 1, so a reader sees
 * the stored pixel grid whatever it does with the tag; @image itself when it has no tag. */
GBytes  *bi_image_without_orientation  (GBytes              *image,
                                        const BiImageHeader *header);
/* Maps a point given as fractions (0–1) of the stored grid to fractions of the photo as shown
 * under EXIF @orientation. */
void     bi_image_orient_point         (int                  orientation,
                                        double              *x,
                                        double              *y);

/* The shown size; FALSE as bi_image_header_read. */
gboolean bi_image_size_read (const guint8 *data,
                             gsize         length,
                             int          *width,
                             int          *height);

G_END_DECLS
