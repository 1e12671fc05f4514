/* bi-spine-letters.c — whether a spine's picture shows letters
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-spine-letters"

#include "bi-spine-letters.h"

#include "bi-leptonica-autoptr.h"
#include "bi-spine-contrast.h"

/* The outer share of the strip on each side is left out, as for its levels: a spine's edges
 * and its neighbours' corners are not its letters. */
#define EDGE_SHARE         0.10

/* A letter's extent across the spine (its height, the text running along the spine) and along
 * it, as shares of the strip's width. A title stands about a third to two thirds of a spine's
 * width high; specks of noise and grain are smaller, a spine's band or picture larger. */
#define MIN_LETTER_ACROSS  0.08
#define MAX_LETTER_ACROSS  0.70
#define MIN_LETTER_ALONG   0.03
#define MAX_LETTER_ALONG   0.70

guint
bi_spine_letters_count (PIX *strip)
{
  int dark, background, light, ink, first, last, left, right, width;
  g_autoptr (PIX) middle = NULL;
  g_autoptr (PIX) ink_mask = NULL;
  g_autoptr (BOX) clip = NULL;
  g_autoptr (BOXA) blots = NULL;
  guint letters = 0;

  g_return_val_if_fail (strip != NULL && pixGetDepth (strip) == 8, 0);

  if (!bi_spine_contrast_tails (strip, &dark, &background, &light) ||
      !bi_spine_contrast_book_rows (strip, &first, &last) || last <= first)
    return 0;
  ink = light - background > background - dark ? light : dark;
  width = pixGetWidth (strip);
  left = (int) (width * EDGE_SHARE);
  right = width - left;
  if (right <= left)
    return 0;
  clip = boxCreate (left, first, right - left, last - first);
  middle = pixClipRectangle (strip, clip, NULL);
  if (middle == NULL)
    return 0;
  /* Ink is what lies nearer the ink's level than the background's. */
  if (ink < background)
    ink_mask = pixThresholdToBinary (middle, (ink + background + 1) / 2);
  else
    {
      g_autoptr (PIX) light_mask = pixThresholdToBinary (middle, (ink + background + 1) / 2);

      ink_mask = light_mask != NULL ? pixInvert (NULL, light_mask) : NULL;
    }
  if (ink_mask == NULL)
    return 0;
  blots = pixConnCompBB (ink_mask, 8);
  for (int i = 0; blots != NULL && i < boxaGetCount (blots); i++)
    {
      int x, y, w, h;

      if (boxaGetBoxGeometry (blots, i, &x, &y, &w, &h) != 0)
        continue;
      if (w >= MIN_LETTER_ACROSS * width && w <= MAX_LETTER_ACROSS * width &&
          h >= MIN_LETTER_ALONG * width && h <= MAX_LETTER_ALONG * width)
        letters++;
    }
  return letters;
}
