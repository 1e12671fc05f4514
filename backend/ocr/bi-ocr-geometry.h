/* bi-ocr-geometry.h — boxes and pictures under quarter turns, and the width of a leaning strip
 *
 * The OCR engine reads a photo turned by quarter turns and maps the boxes it reads back; a
 * spine region is a strip leaning a few degrees whose bounding box is wider than the spine.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <leptonica/allheaders.h>

#include "bi-ports.h"

G_BEGIN_DECLS

typedef struct
{
  int x, y, width, height;
} BiPixelBox;

/* A box in a picture turned @quarter_turns × 90° clockwise → the same box in the unturned
 * @width × @height picture. */
BiPixelBox   bi_pixel_box_unturn   (BiPixelBox  box,
                                    int         quarter_turns,
                                    int         width,
                                    int         height);

/* @pix turned @quarter_turns × 90° clockwise, as pixRotateOrth() turns it (the same pixels),
 * or a clone for 0; NULL when out of memory. */
PIX         *bi_pix_turn           (PIX        *pix,
                                    int         quarter_turns);

/* The width across a strip of bounding box @width × @height leaning @angle degrees. */
double       bi_strip_width_across (int         width,
                                    int         height,
                                    double      angle);

/* Whether @a and @b (boxes of one picture) overlap over @share of the smaller one's area. */
gboolean     bi_pixel_box_overlaps (BiPixelBox  a,
                                    BiPixelBox  b,
                                    double      share);

/* The bounding box of the part of a strip leaning @angle degrees (positive when its top leans
 * left), @across wide, whose axis passes (@axis_x, @axis_y), between rows @top and @bottom:
 * a spine's region of those rows (BI_OCR_REGION_SPINE at @angle). */
BiOcrRegion  bi_leaning_strip_rows (double      axis_x,
                                    double      axis_y,
                                    double      angle,
                                    double      across,
                                    int         top,
                                    int         bottom);

G_END_DECLS
