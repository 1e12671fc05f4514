/* bi-ocr-geometry.c — boxes under quarter turns, and the width of a leaning strip
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-ocr-geometry"

#include "bi-ocr-geometry.h"

#include <math.h>

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
