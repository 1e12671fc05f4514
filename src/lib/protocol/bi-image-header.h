/* bi-image-header.h — what a photo's header says without decoding it: JPEG segments, the
 * stored size (JPEG SOFn, PNG IHDR) and the EXIF orientation
 *
 * One reader for every side that needs it: the OCR engine orients what Leptonica decodes,
 * and the Textract engine, which never decodes, maps Textract's boxes into the photo as shown.
 * Every offset is checked against the data before it is used.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BI_JPEG_MARKER_EOI 0xd9

/* Walks the marker segments of a JPEG up to its compressed image data (ITU T.81, B.1.1). */
typedef struct
{
  const guint8 *data;
  gsize         length;
  gsize         position; /* of the next marker */
  gboolean      at_scan;  /* stopped at SOS: the compressed data starts at @position */
} BiJpegScanner;

/* FALSE when @data does not start with a JPEG's SOI. */
gboolean bi_jpeg_scanner_init (BiJpegScanner  *scanner,
                               const guint8   *data,
                               gsize           length);
/* The next segment's marker and payload (after its length field); FALSE at the compressed
 * data (at_scan set), at EOI, at malformed data or at the end of the data. */
gboolean bi_jpeg_scanner_next (BiJpegScanner  *scanner,
                               guint8         *marker,
                               const guint8  **payload,
                               gsize          *payload_length);

/* The EXIF orientation (1–8) recorded in a JPEG's APP1 Exif segment; 1 when @data is not a
 * JPEG, has no Exif segment, or the segment is malformed. Never reads outside @data. */
int      bi_image_exif_orientation (const guint8 *data,
                                    gsize         length);

typedef struct
{
  int      stored_width;           /* the pixel grid as stored */
  int      stored_height;
  int      orientation;            /* EXIF orientation 1–8; 1 when there is none (and PNG) */
  gsize    orientation_offset;     /* byte offset of the tag's 16-bit value; 0 if none */
  gboolean orientation_big_endian; /* the byte order of that value (the TIFF header's) */
} BiImageHeader;

/* FALSE when @data is not a JPEG or PNG whose header gives a size. */
gboolean bi_image_header_read          (const guint8        *data,
                                        gsize                length,
                                        BiImageHeader       *header);
/* The size as the photo is shown (width and height swapped for orientations 5–8). */
void     bi_image_header_oriented_size (const BiImageHeader *header,
                                        int                 *width,
                                        int                 *height);
/* @image (whose header is @header) with its EXIF orientation tag set to 1, so a reader sees
 * the stored pixels whatever it does with EXIF; @image itself when it has no tag. */
GBytes  *bi_image_without_orientation  (GBytes              *image,
                                        const BiImageHeader *header);
/* Maps a point given as fractions (0–1) of the stored grid to fractions of the photo as shown
 * under @orientation. */
void     bi_image_orient_point         (int                  orientation,
                                        double              *x,
                                        double              *y);

/* The shown size; FALSE as bi_image_header_read. */
gboolean bi_image_size_read (const guint8 *data,
                             gsize         length,
                             int          *width,
                             int          *height);

G_END_DECLS
