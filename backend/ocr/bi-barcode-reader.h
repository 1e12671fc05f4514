/* bi-barcode-reader.h — ISBN barcodes (EAN-13, prefix 978/979) read with zbar
 *
 * The back of a book, and often a cover photo, carries its ISBN as an EAN-13 barcode: a far
 * surer way to the book than any OCR text. Only checksum-valid EAN-13 codes with a Bookland
 * prefix (978 or 979) are kept; shop and product barcodes are not books.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <leptonica/allheaders.h>

#include "bi-ports.h"

G_BEGIN_DECLS

/* TRUE when @digits is 13 ASCII digits starting 978 or 979 whose EAN-13 check digit is right. */
gboolean   bi_barcode_is_isbn13    (const char *digits);

/* Every ISBN barcode in @grey (8 bpp) as a BiOcrLine of kind BI_OCR_LINE_BARCODE: text its 13
 * digits, confidence 1.0, box (in @grey's pixels) around zbar's points on the code, angle 0,
 * region -1. Returns a GPtrArray (free func set), possibly empty. */
GPtrArray *bi_barcode_reader_read  (PIX        *grey);

G_END_DECLS
