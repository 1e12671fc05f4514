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

/* A tail is a spine's text, whichever lies farther from its background, when its blots the size
 * of a letter outnumber the other tail's this many times over, and number at least
 * INK_MIN_LETTERS: white capitals on a mid-grey spine beside a dark gap or a dark neighbour's
 * edge count 19–20 letters against 4–9 specks of the dark tail (llabres_one's "GUÍA DE LA
 * MUSCULACIÓN" and "fitness", docs/ocr.md). */
#define INK_LETTERS_RATIO  1.5
#define INK_MIN_LETTERS    12

/* … and when that tail stands this many levels from the background: nearer, it is the spine's
 * own shading or texture, whose blots are as many as letters (a dark purple spine's folds 36
 * levels below it, photo 13 of the generated shelves, against 78 for llabres_one's white
 * capitals on green). */
#define INK_MIN_CONTRAST   48

/* When the tail that makes letters is the nearer one, the farther one is read as ink too when
 * its blots make half as many letters: a title printed in two colours (llabres_one's "GUÍA DE
 * LA" dark and "MUSCULACIÓN" white on one green spine, 9 blots against 20). A dark gap or the
 * dark space above a short book makes none or few (0 beside "The Heroes" on photo 09 of the
 * generated shelves, 4 beside llabres_one's "fitness"), and read as ink it lays black blocks
 * against the title that Tesseract's layout takes for a picture. */
#define INK_OTHER_LETTERS  (INK_MIN_LETTERS / 2)

/* The levels of a strip that its letters are counted against: its tails, its background and
 * the rows that lie on the book (bi-spine-contrast.h), measured once per strip. */
typedef struct
{
  int dark, background, light;
  int first, last;
} Levels;

static gboolean
measure_levels (PIX    *strip,
                Levels *levels)
{
  return bi_spine_contrast_tails (strip, &levels->dark, &levels->background, &levels->light) &&
         bi_spine_contrast_book_rows (strip, &levels->first, &levels->last) &&
         levels->last > levels->first;
}

/* The blots the size of a letter of @strip's tail @which, of @levels. */
static guint
count_letters (PIX          *strip,
               const Levels *levels,
               BiSpineInk    which)
{
  int ink, left, right, width;
  int background = levels->background;
  g_autoptr (PIX) middle = NULL;
  g_autoptr (PIX) ink_mask = NULL;
  g_autoptr (BOX) clip = NULL;
  g_autoptr (BOXA) blots = NULL;
  guint letters = 0;

  ink = bi_spine_contrast_ink_level (which, levels->dark, background, levels->light);
  if (ink == background)
    return 0;
  width = pixGetWidth (strip);
  left = (int) (width * EDGE_SHARE);
  right = width - left;
  if (right <= left)
    return 0;
  clip = boxCreate (left, levels->first, right - left, levels->last - levels->first);
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

guint
bi_spine_letters_count (PIX *strip)
{
  return bi_spine_letters_count_towards (strip, BI_SPINE_INK_FARTHER);
}

guint
bi_spine_letters_count_towards (PIX        *strip,
                                BiSpineInk  which)
{
  Levels levels;

  g_return_val_if_fail (strip != NULL && pixGetDepth (strip) == 8, 0);

  if (!measure_levels (strip, &levels))
    return 0;
  return count_letters (strip, &levels, which);
}

BiSpineInk
bi_spine_letters_ink (PIX   *strip,
                      guint *letters)
{
  Levels levels;
  guint dark = 0, light = 0, chosen, other;
  gboolean dark_counted, light_counted, light_farther;
  BiSpineInk ink;

  g_return_val_if_fail (strip != NULL && pixGetDepth (strip) == 8, BI_SPINE_INK_FARTHER);

  if (letters != NULL)
    *letters = 0;
  if (!measure_levels (strip, &levels))
    return BI_SPINE_INK_FARTHER;
  dark_counted = levels.background - levels.dark >= INK_MIN_CONTRAST;
  light_counted = levels.light - levels.background >= INK_MIN_CONTRAST;
  if (dark_counted)
    dark = count_letters (strip, &levels, BI_SPINE_INK_DARK);
  if (light_counted)
    light = count_letters (strip, &levels, BI_SPINE_INK_LIGHT);
  light_farther = levels.light - levels.background > levels.background - levels.dark;
  if (light >= INK_MIN_LETTERS && light >= INK_LETTERS_RATIO * dark)
    ink = BI_SPINE_INK_LIGHT;
  else if (dark >= INK_MIN_LETTERS && dark >= INK_LETTERS_RATIO * light)
    ink = BI_SPINE_INK_DARK;
  else
    {
      /* The farther tail's letters, counted above when it stands far enough. */
      if (letters != NULL)
        *letters = light_farther ? (light_counted ? light
                                    : count_letters (strip, &levels, BI_SPINE_INK_LIGHT))
                                 : (dark_counted ? dark
                                    : count_letters (strip, &levels, BI_SPINE_INK_DARK));
      return BI_SPINE_INK_FARTHER;
    }
  chosen = ink == BI_SPINE_INK_LIGHT ? light : dark;
  other = ink == BI_SPINE_INK_LIGHT ? dark : light;
  if (letters != NULL)
    *letters = chosen;
  /* The nearer tail makes the letters: the farther one is a gap or a neighbour's edge, unless
   * it makes some letters too. */
  if ((ink == BI_SPINE_INK_LIGHT) != light_farther && other >= INK_OTHER_LETTERS)
    return BI_SPINE_INK_BOTH;
  return ink;
}
