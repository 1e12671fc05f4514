/* bi-spine-label.c — one spine's library label, cut out tight to be read on its own
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-spine-label"

#include "bi-spine-label.h"

#include <math.h>

#include "bi-leptonica-autoptr.h"
#include "bi-ocr-geometry.h"
#include "bi-strip-page.h"

/* A label is paper: its lightest levels stand at least this light (contrast normalisation
 * stretches every tile of the photo, so paper beside a dark spine is near white). */
#define MIN_PAPER_LEVEL     160

/* Pixels within this many levels of the paper are the label's; the dark spine around a light
 * label stands 100 levels and more below it. Its print is closed over by a square of this
 * share of the strip's width (its strokes are thinner). */
#define LABEL_STEP          48
#define CLOSING_SHARE       0.08

/* A label's box: at least this share of the strip across, longer along it than across by
 * this much, at most this share of the part's length (a light spine is paper all along), and
 * mostly paper (light title letters closed into a blob are not). */
#define MIN_LABEL_ACROSS    0.15
#define MIN_LABEL_RATIO     1.2
#define MAX_LABEL_ALONG     0.6
#define MIN_PAPER_SHARE     0.6

/* The level of @strip's lightest pixels: the one that this share of them lie above. */
#define PAPER_RANK          0.01

/* The share of a label's box left out on each side across: a label leaning in its box, or
 * rounded at its corners, shows the dark spine there, which Tesseract takes for a picture's
 * frame; its print stands clear of its sides. */
#define SIDE_MARGIN         0.08

gboolean
bi_spine_label_rows_of (const BiOcrRegion *region,
                        int                top,
                        int                bottom,
                        BiOcrRegion       *part)
{
  double across;

  g_return_val_if_fail (region != NULL && part != NULL, FALSE);

  top = MAX (top, region->y);
  bottom = MIN (bottom, region->y + region->height);
  if (bottom <= top)
    return FALSE;
  across = bi_strip_width_across (region->width, region->height, region->angle);
  *part = bi_leaning_strip_rows (region->x + region->width / 2.0,
                                 region->y + region->height / 2.0, region->angle, across, top,
                                 bottom);
  return TRUE;
}

/* The level below which all but PAPER_RANK of @strip's pixels lie. */
static int
paper_level (PIX *strip)
{
  NUMA *histogram = pixGetGrayHistogram (strip, 1);
  l_float32 total = 0, seen = 0, count = 0;
  int level = 255;

  if (histogram == NULL)
    return 0;
  numaGetSum (histogram, &total);
  for (; level > 0; level--)
    {
      numaGetFValue (histogram, level, &count);
      if ((seen += count) > PAPER_RANK * total)
        break;
    }
  numaDestroy (&histogram);
  return level;
}

/* The boxes of light pixels (@light: 1 for light), closed over their print in @closed, shaped
 * as labels on a strip @height long holding spines @spine_width wide, not
 * touching its ends (the board, or the dark space above a short book): in @labels (BOX), the
 * largest first. */
static void
label_boxes (PIX   *light,
             PIX   *closed,
             int    height,
             double spine_width,
             BOXA  *labels)
{
  g_autoptr (BOXA) boxes = pixConnComp (closed, NULL, 8);

  for (int i = 0; boxes != NULL && i < boxaGetCount (boxes); i++)
    {
      l_int32 x, y, w, h, paper = 0;
      g_autoptr (BOX) box = boxaGetBox (boxes, i, L_COPY);
      g_autoptr (PIX) inside = NULL;

      boxGetGeometry (box, &x, &y, &w, &h);
      if (w < MIN_LABEL_ACROSS * spine_width || h < MIN_LABEL_RATIO * w ||
          h > MAX_LABEL_ALONG * height || y == 0 || y + h >= height)
        continue;
      inside = pixClipRectangle (light, box, NULL);
      if (inside == NULL || pixCountPixels (inside, &paper, NULL) != 0 ||
          paper < MIN_PAPER_SHARE * w * h)
        continue;
      boxaAddBox (labels, box, L_COPY);
    }
}

GArray *
bi_spine_label_find_all (PIX               *grey,
                         const BiOcrRegion *part,
                         double             spine_width)
{
  GArray *labels = g_array_new (FALSE, FALSE, sizeof (BiOcrRegion));
  g_autoptr (PIX) strip = NULL;
  g_autoptr (PIX) dark = NULL;
  g_autoptr (PIX) light = NULL;
  g_autoptr (PIX) closed = NULL;
  g_autoptr (BOXA) boxes = boxaCreate (0);
  g_autoptr (BOXA) sorted = NULL;
  int width, height, paper, closing;
  double radians;

  g_return_val_if_fail (grey != NULL && part != NULL, labels);

  strip = bi_strip_cut_straight (grey, part, 1.0);
  if (strip == NULL)
    return labels;
  width = pixGetWidth (strip);
  height = pixGetHeight (strip);
  spine_width = spine_width > 0 ? MIN (spine_width, width) : width;
  paper = paper_level (strip);
  if (paper < MIN_PAPER_LEVEL)
    return labels;
  dark = pixThresholdToBinary (strip, paper - LABEL_STEP);
  light = dark != NULL ? pixInvert (NULL, dark) : NULL;
  closing = MAX (3, (int) lround (CLOSING_SHARE * spine_width)) | 1;
  closed = light != NULL ? pixCloseBrick (NULL, light, closing, closing) : NULL;
  if (closed == NULL)
    return labels;
  label_boxes (light, closed, height, spine_width, boxes);
  /* Leptonica warns of an empty one. */
  if (boxaGetCount (boxes) > 0)
    sorted = boxaSort (boxes, L_SORT_BY_AREA, L_SORT_DECREASING, NULL);

  radians = part->angle * G_PI / 180.0;
  for (int i = 0; sorted != NULL && i < boxaGetCount (sorted); i++)
    {
      l_int32 x, y, w, h;
      double offset;
      BiOcrRegion label;

      boxaGetBoxGeometry (sorted, i, &x, &y, &w, &h);
      x += (int) lround (SIDE_MARGIN * w);
      w -= 2 * (int) lround (SIDE_MARGIN * w);
      /* The strip's middle column is the part's axis; the label's lies off it, across the
       * strip, by the middle of its columns. */
      offset = x + w / 2.0 - width / 2.0;
      label = bi_leaning_strip_rows (part->x + part->width / 2.0 + offset * cos (radians),
                                     part->y + part->height / 2.0 - offset * sin (radians),
                                     part->angle, w, part->y + y, part->y + y + h);
      g_array_append_val (labels, label);
    }
  return labels;
}
