/* bi-text-mask.c — text already read, painted out before the photo is read again
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-text-mask"

#include "bi-text-mask.h"

#include <math.h>

#include "bi-leptonica-autoptr.h"

/* Pixels added around a line's box: Tesseract's boxes are tight around the glyphs, and an
 * anti-aliased rim left behind still reads as the outline of letters. */
#define MARGIN 2

/* The median grey of @box in @page, sampled every other pixel. */
static int
median_in (PIX *page,
           BOX *box)
{
  g_autoptr (PIX) cut = pixClipRectangle (page, box, NULL);
  l_float32 value = 255;

  if (cut == NULL || pixGetRankValueMasked (cut, NULL, 0, 0, 2, 0.5, &value, NULL) != 0)
    return 255;
  return (int) value;
}

guint
bi_text_mask_paint (PIX             *page,
                    double           scale,
                    const GPtrArray *lines,
                    gboolean       (*is_read) (const BiOcrLine *line))
{
  guint painted = 0;

  g_return_val_if_fail (page != NULL && pixGetDepth (page) == 8, 0);
  g_return_val_if_fail (lines != NULL && is_read != NULL, 0);

  for (guint i = 0; i < lines->len; i++)
    {
      const BiOcrLine *line = g_ptr_array_index ((GPtrArray *) lines, i);
      g_autoptr (BOX) box = NULL;
      int left, top, right, bottom;

      if (!is_read (line))
        continue;
      left = MAX ((int) floor (line->x * scale) - MARGIN, 0);
      top = MAX ((int) floor (line->y * scale) - MARGIN, 0);
      right = MIN ((int) ceil ((line->x + line->width) * scale) + MARGIN, pixGetWidth (page));
      bottom = MIN ((int) ceil ((line->y + line->height) * scale) + MARGIN, pixGetHeight (page));
      if (right <= left || bottom <= top)
        continue;
      box = boxCreate (left, top, right - left, bottom - top);
      pixSetInRectArbitrary (page, box, median_in (page, box));
      painted++;
    }
  return painted;
}
