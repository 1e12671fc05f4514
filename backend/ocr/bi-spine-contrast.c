/* bi-spine-contrast.c — a spine's picture made dark text on white, by its own contrast
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-spine-contrast"

#include "bi-spine-contrast.h"

#include <math.h>

#include "bi-image-loader.h"

/* The share of a spine's pixels taken as its darkest and lightest: the ink of a title and an
 * author is 3–8 % of a spine's area, so its tail lies beyond these ranks while the background
 * (the median) does not. */
#define INK_RANK        0.02

/* Below this spread between the ink ranks the spine holds no text worth stretching: JPEG and
 * sensor noise would be blown up into specks. */
#define MIN_CONTRAST    24

/* Binarised, a level is ink up to this share of the way from the ink to the background:
 * halfway for one tail. With both tails (BI_SPINE_INK_BOTH), the one taken for its letters lies
 * near the background (48–80 levels: bi-spine-letters.c) and its letters' thin strokes and
 * rims fell past halfway: llabres_one's white "MUSCULACIÓN" on green, 78 levels above its
 * spine, read "muscu acon" at half and "MUSCULACIO" at 0.65 (docs/ocr.md, round 14). */
#define INK_SPLIT       0.5
#define BOTH_INK_SPLIT  0.65

/* The outer share of the strip on each side is left out of its histogram: a spine's edges,
 * and the corners of its neighbours, are neither its background nor its ink. */
#define EDGE_SHARE      0.10

/* A row at an end of the strip whose median lies this far from the strip's is not on the
 * book (see find_book_rows). */
#define END_MARGIN      48

/* The grey level below which @rank of the @total pixels counted in @histogram lie. */
static int
rank_level (const guint *histogram,
            guint        total,
            double       rank)
{
  guint64 wanted = (guint64) (rank * total), seen = 0;

  for (int level = 0; level < 256; level++)
    if ((seen += histogram[level]) > wanted)
      return level;
  return 255;
}

/* The median of @histogram's @total counts. */
static int
median_level (const guint *histogram,
              guint        total)
{
  return rank_level (histogram, total, 0.5);
}

/* The median grey of row @y of @strip between columns @left and @right. */
static int
row_median (PIX *strip,
            int  y,
            int  left,
            int  right)
{
  const l_uint32 *line = pixGetData (strip) + y * pixGetWpl (strip);
  guint histogram[256] = { 0 };

  for (int x = left; x < right; x++)
    histogram[GET_DATA_BYTE (line, x)]++;
  return median_level (histogram, (guint) (right - left));
}

/* The rows from @first up to @last (excluded) that lie on the book. A region spans its shelf
 * row from top to bottom, and a book shorter than its neighbours leaves the dark space above
 * it, or the board below, at the ends of its strip: rows whose median is far from the
 * strip's are cut off there, or they would pass for a huge blot of ink. */
static void
find_book_rows (PIX  *strip,
                int   left,
                int   right,
                int   background,
                int  *first,
                int  *last)
{
  int height = pixGetHeight (strip);

  *first = 0;
  *last = height;
  while (*first < *last &&
         ABS (row_median (strip, *first, left, right) - background) > END_MARGIN)
    (*first)++;
  while (*last > *first &&
         ABS (row_median (strip, *last - 1, left, right) - background) > END_MARGIN)
    (*last)--;
}

/* Counts the levels of @strip's middle columns, from @left up to @right (EDGE_SHARE of its width
 * left out on each side), in @histogram; their number, 0 when there are none. */
static guint
count_middle_columns (PIX   *strip,
                      guint *histogram,
                      int   *left,
                      int   *right)
{
  int height = pixGetHeight (strip), words = pixGetWpl (strip);
  l_uint32 *data = pixGetData (strip);

  *left = (int) (pixGetWidth (strip) * EDGE_SHARE);
  *right = pixGetWidth (strip) - *left;
  for (int y = 0; y < height; y++)
    for (int x = *left; x < *right; x++)
      histogram[GET_DATA_BYTE (data + y * words, x)]++;
  return (guint) (MAX (*right - *left, 0) * height);
}

gboolean
bi_spine_contrast_book_rows (PIX *strip,
                             int *first,
                             int *last)
{
  guint histogram[256] = { 0 };
  guint total;
  int left, right;

  g_return_val_if_fail (strip != NULL && pixGetDepth (strip) == 8, FALSE);
  g_return_val_if_fail (first != NULL && last != NULL, FALSE);

  total = count_middle_columns (strip, histogram, &left, &right);
  if (total == 0)
    return FALSE;
  find_book_rows (strip, left, right, median_level (histogram, total), first, last);
  return TRUE;
}

gboolean
bi_spine_contrast_tails (PIX *strip,
                         int *dark,
                         int *background,
                         int *light)
{
  int height, words, left, right, first, last;
  guint histogram[256] = { 0 };
  guint total;
  l_uint32 *data;

  g_return_val_if_fail (strip != NULL && pixGetDepth (strip) == 8, FALSE);

  height = pixGetHeight (strip);
  words = pixGetWpl (strip);
  data = pixGetData (strip);
  total = count_middle_columns (strip, histogram, &left, &right);
  if (total == 0)
    return FALSE;

  find_book_rows (strip, left, right, median_level (histogram, total), &first, &last);
  for (int y = 0; y < first; y++)
    for (int x = left; x < right; x++)
      histogram[GET_DATA_BYTE (data + y * words, x)]--;
  for (int y = last; y < height; y++)
    for (int x = left; x < right; x++)
      histogram[GET_DATA_BYTE (data + y * words, x)]--;
  total = (guint) ((right - left) * (last - first));
  if (total == 0)
    return FALSE;

  *dark = rank_level (histogram, total, INK_RANK);
  *background = median_level (histogram, total);
  *light = rank_level (histogram, total, 1.0 - INK_RANK);
  return *light - *dark >= MIN_CONTRAST;
}

int
bi_spine_contrast_ink_level (BiSpineInk which,
                             int        dark,
                             int        background,
                             int        light)
{
  switch (which)
    {
    case BI_SPINE_INK_DARK:
      return dark;
    case BI_SPINE_INK_LIGHT:
    case BI_SPINE_INK_BOTH:
      return light;
    case BI_SPINE_INK_FARTHER:
    default:
      return light - background > background - dark ? light : dark;
    }
}

gboolean
bi_spine_contrast_levels (PIX *strip,
                          int *ink,
                          int *background)
{
  int dark, light;

  if (!bi_spine_contrast_tails (strip, &dark, background, &light))
    return FALSE;
  *ink = bi_spine_contrast_ink_level (BI_SPINE_INK_FARTHER, dark, *background, light);
  return *ink != *background;
}

/* Stretches each tile of @strip (half its width square) between its own darkest and lightest
 * levels, as the photo's contrast normalisation does at the photo's scale
 * (bi_image_normalise_contrast), and makes its ink dark (inverts it when @light_ink); FALSE,
 * leaving it as it was, when it is too small for two tiles across. A title in light type
 * beside an author in black ("Els àngels em miren", orange, beside "Marc Pastor") stays pale
 * under one map of the strip, whose ink is the black; tile by tile it is as dark as the
 * author (docs/ocr.md, round 17). */
static gboolean
normalise_locally (PIX      *strip,
                   gboolean  light_ink)
{
  if (!bi_image_normalise_contrast (strip, pixGetWidth (strip) / 2))
    return FALSE;
  if (light_ink)
    pixInvert (strip, strip);
  return TRUE;
}

/* Maps every pixel of @strip through the table @tones makes from the ink and background
 * levels of @sample (@strip itself, or a part of it), or with BI_SPINE_TONES_LOCAL stretches
 * it tile by tile with its ink made dark; FALSE, leaving it as it was, when @sample holds too
 * little contrast to be text. */
static gboolean
map_strip (PIX           *strip,
           PIX           *sample,
           BiSpineInk     which,
           BiSpineTones   tones)
{
  int ink, background, dark, light, width, height, words;
  l_uint32 *data;
  guint8 map[256];

  if (!bi_spine_contrast_tails (sample, &dark, &background, &light))
    return FALSE;
  ink = bi_spine_contrast_ink_level (which, dark, background, light);
  if (ink == background)
    return FALSE;
  if (tones == BI_SPINE_TONES_LOCAL)
    return normalise_locally (strip, ink > background);
  for (int level = 0; level < 256; level++)
    {
      /* 0 at the ink, 255 at the background and beyond it; with both tails, at either ink
       * (each side of the background measured against its own tail). */
      double share = (double) (level - ink) / (background - ink);

      if (which == BI_SPINE_INK_BOTH && level < background)
        share = dark < background ? (double) (level - dark) / (background - dark) : 1.0;
      if (tones == BI_SPINE_TONES_BINARY)
        map[level] = share < (which == BI_SPINE_INK_BOTH ? BOTH_INK_SPLIT : INK_SPLIT) ? 0 : 255;
      else
        map[level] = (guint8) CLAMP (lround (share * 255.0), 0, 255);
    }
  width = pixGetWidth (strip);
  height = pixGetHeight (strip);
  words = pixGetWpl (strip);
  data = pixGetData (strip);
  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      SET_DATA_BYTE (data + y * words, x, map[GET_DATA_BYTE (data + y * words, x)]);
  return TRUE;
}

gboolean
bi_spine_contrast_stretch (PIX        *strip,
                           BiSpineInk  ink)
{
  return map_strip (strip, strip, ink, BI_SPINE_TONES_STRETCHED);
}

gboolean
bi_spine_contrast_binarise (PIX        *strip,
                            BiSpineInk  ink)
{
  return map_strip (strip, strip, ink, BI_SPINE_TONES_BINARY);
}

gboolean
bi_spine_contrast_map_by (PIX          *strip,
                          PIX          *sample,
                          BiSpineInk    ink,
                          BiSpineTones  tones)
{
  g_return_val_if_fail (strip != NULL && sample != NULL, FALSE);

  return map_strip (strip, sample, ink, tones);
}

int
bi_spine_contrast_page_threshold (PIX *grey)
{
  NUMA *histogram;
  l_int32 split = 128;

  g_return_val_if_fail (grey != NULL && pixGetDepth (grey) == 8, 128);

  /* Every 4th pixel each way is plenty for a histogram of a photo. */
  histogram = pixGetGrayHistogram (grey, 4);
  if (histogram == NULL || numaSplitDistribution (histogram, 0.0, &split, NULL, NULL, NULL,
                                                  NULL, NULL) != 0)
    split = 128;
  numaDestroy (&histogram);
  return split;
}
