/* bi-ocr-geometry.c — boxes and pictures under quarter turns, and the width of a leaning strip
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-ocr-geometry"

#include "bi-ocr-geometry.h"

#include <math.h>

/* The side of the square blocks a quarter turn copies at a time. Leptonica's pixRotate90
 * walks the source down a column for every byte it writes, a cache miss each on a grey
 * picture: 16–20 ms of CPU for the 2048 × 1536 picture every sideways pass of a 12 MP photo
 * reads. A block of 64 rows of 64 bytes stays in the first-level cache. */
#define TURN_BLOCK 64

BiPixelBox
bi_pixel_box_unturn (BiPixelBox box,
                     int        quarter_turns,
                     int        width,
                     int        height)
{
  BiPixelBox unturned = box;

  switch (quarter_turns)
    {
    case 1:
      unturned = (BiPixelBox) { box.y, height - box.x - box.width, box.height, box.width };
      break;
    case 2:
      unturned = (BiPixelBox) { width - box.x - box.width, height - box.y - box.height,
                                box.width, box.height };
      break;
    case 3:
      unturned = (BiPixelBox) { width - box.y - box.height, box.x, box.height, box.width };
      break;
    default:
      break;
    }
  return unturned;
}

PIX *
bi_pix_turn (PIX *pix,
             int  quarter_turns)
{
  int width, height, depth, wpls, wpld;
  l_uint32 *source, *turned_data;
  PIX *turned;

  g_return_val_if_fail (pix != NULL, NULL);

  quarter_turns = ((quarter_turns % 4) + 4) % 4;
  pixGetDimensions (pix, &width, &height, &depth);
  if (quarter_turns == 0)
    return pixClone (pix);
  if (depth != 8 || pixGetColormap (pix) != NULL || quarter_turns == 2)
    return pixRotateOrth (pix, quarter_turns);

  turned = pixCreate (height, width, 8);
  if (turned == NULL)
    return NULL;
  pixCopyResolution (turned, pix);
  pixCopyInputFormat (turned, pix);
  source = pixGetData (pix);
  wpls = pixGetWpl (pix);
  turned_data = pixGetData (turned);
  wpld = pixGetWpl (turned);
  /* Row i, column j of the turned picture is row height − 1 − j, column i of @pix clockwise,
   * row j, column width − 1 − i anticlockwise (pixRotate90). */
  for (int top = 0; top < width; top += TURN_BLOCK)
    for (int left = 0; left < height; left += TURN_BLOCK)
      for (int i = top; i < MIN (top + TURN_BLOCK, width); i++)
        {
          l_uint32 *line = turned_data + (gsize) i * wpld;

          for (int j = left; j < MIN (left + TURN_BLOCK, height); j++)
            {
              l_uint32 *row = quarter_turns == 1 ? source + (gsize) (height - 1 - j) * wpls
                                                 : source + (gsize) j * wpls;

              SET_DATA_BYTE (line, j, GET_DATA_BYTE (row, quarter_turns == 1 ? i
                                                                             : width - 1 - i));
            }
        }
  return turned;
}

double
bi_strip_width_across (int    width,
                       int    height,
                       double angle)
{
  double c = cos (fabs (angle) * G_PI / 180.0), s = sin (fabs (angle) * G_PI / 180.0);

  /* width = a·cos + L·sin and height = L·cos + a·sin, solved for a (well conditioned up to
   * the detector's ±15°). */
  if (c * c - s * s < 0.5)
    return width;
  return CLAMP ((width * c - height * s) / (c * c - s * s), 1.0, (double) width);
}

BiOcrRegion
bi_leaning_strip_rows (double axis_x,
                       double axis_y,
                       double angle,
                       double across,
                       int    top,
                       int    bottom)
{
  double radians = angle * G_PI / 180.0, c = cos (fabs (radians)), s = sin (fabs (radians));
  double middle = (top + bottom) / 2.0;
  /* Up the axis, a strip leaning left (positive angle) moves left. */
  double centre = axis_x + (middle - axis_y) * tan (radians);
  /* Its box: height = along·cos + across·sin, width = across·cos + along·sin. */
  double along = MAX (1.0, ((bottom - top) - across * s) / c);
  double width = across * c + along * s;

  return (BiOcrRegion) { (int) lround (centre - width / 2), top, MAX (1, (int) lround (width)),
                         bottom - top, angle, BI_OCR_REGION_SPINE };
}

gboolean
bi_pixel_box_overlaps (BiPixelBox a,
                       BiPixelBox b,
                       double     share)
{
  gint64 across = MIN (a.x + a.width, b.x + b.width) - MAX (a.x, b.x);
  gint64 along = MIN (a.y + a.height, b.y + b.height) - MAX (a.y, b.y);
  gint64 smaller = MIN ((gint64) a.width * a.height, (gint64) b.width * b.height);

  if (across <= 0 || along <= 0 || smaller <= 0)
    return FALSE;
  return across * along >= share * smaller;
}
