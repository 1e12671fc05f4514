/* test-spine-label.c — a spine's library label is found on its part of the label band
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "bi-leptonica-autoptr.h"
#include "bi-spine-label.h"

#define PICTURE_WIDTH  400
#define PICTURE_HEIGHT 900

/* A spine 100 px wide and 700 long, standing at x 150–250 (rows 100–800) in a picture of
 * level @wall, itself of level @spine, with a label of level 245 on rows 520–700 across
 * columns 160–240 holding print (dark bars along the spine, as a call number turned on its
 * side) when @print. */
static PIX *
draw_spine (int      wall,
            int      spine,
            gboolean print)
{
  PIX *pix = pixCreate (PICTURE_WIDTH, PICTURE_HEIGHT, 8);
  g_autoptr (BOX) book = boxCreate (150, 100, 100, 700);
  g_autoptr (BOX) label = boxCreate (160, 520, 80, 180);

  pixSetAllArbitrary (pix, wall);
  pixSetInRectArbitrary (pix, book, spine);
  pixSetInRectArbitrary (pix, label, 245);
  for (int i = 0; print && i < 8; i++)
    {
      g_autoptr (BOX) stroke = boxCreate (190 + (i % 2) * 12, 540 + 18 * i, 4, 12);

      pixSetInRectArbitrary (pix, stroke, 30);
    }
  return pix;
}

/* The part of a leaning strip between two rows follows its axis, and keeps its tilt and
 * width across. */
static void
test_rows_of (void)
{
  BiOcrRegion region = { 100, 100, 0, 600, 5.0, BI_OCR_REGION_SPINE };
  double radians = 5.0 * G_PI / 180.0;
  BiOcrRegion part, outside;

  /* 80 px across, 600 px along: its box as the detector gives it. */
  region.width = (int) lround (80 * cos (radians) + 600 * sin (radians));
  region.height = (int) lround (600 * cos (radians) + 80 * sin (radians));
  g_assert_true (bi_spine_label_rows_of (&region, 500, 700, &part));
  g_assert_cmpint (part.y, ==, 500);
  g_assert_cmpint (part.height, ==, MIN (700, region.y + region.height) - 500);
  g_assert_cmpfloat (part.angle, ==, 5.0);
  /* Leaning left at the top, the axis lies right of the box's middle further down. */
  g_assert_cmpfloat (part.x + part.width / 2.0, >, region.x + region.width / 2.0 + 10);
  g_assert_cmpfloat (part.width, <, region.width);
  g_assert_false (bi_spine_label_rows_of (&region, 800, 900, &outside));
}

/* A light label on a dark spine is found, tight: its rows, and its columns less a margin. */
static void
test_label_on_dark_spine (void)
{
  g_autoptr (PIX) pix = draw_spine (200, 40, TRUE);
  BiOcrRegion spine = { 150, 100, 100, 700, 0, BI_OCR_REGION_SPINE };
  BiOcrRegion part, label;
  g_autoptr (GArray) labels = NULL;

  g_assert_true (bi_spine_label_rows_of (&spine, 450, 800, &part));
  labels = bi_spine_label_find_all (pix, &part, 0);
  g_assert_cmpuint (labels->len, ==, 1);
  label = g_array_index (labels, BiOcrRegion, 0);
  g_test_message ("label [%d,%d %d×%d]", label.x, label.y, label.width, label.height);
  g_assert_cmpint (ABS (label.y - 520), <=, 2);
  g_assert_cmpint (ABS (label.y + label.height - 700), <=, 2);
  g_assert_cmpint (label.x, >=, 160);
  g_assert_cmpint (label.x + label.width, <=, 240);
  g_assert_cmpint (label.width, >=, 60);
}

/* A spine as light as its label all along: nothing to tell them apart by. A dark spine with no
 * label: nothing light enough to be paper. */
static void
test_no_label (void)
{
  g_autoptr (PIX) light = draw_spine (60, 245, TRUE);
  g_autoptr (PIX) dark = draw_spine (200, 40, FALSE);
  g_autoptr (BOX) cover = boxCreate (150, 100, 100, 700);
  BiOcrRegion spine = { 150, 100, 100, 700, 0, BI_OCR_REGION_SPINE };
  BiOcrRegion part;
  g_autoptr (GArray) on_light = NULL;
  g_autoptr (GArray) on_dark = NULL;

  g_assert_true (bi_spine_label_rows_of (&spine, 450, 800, &part));
  on_light = bi_spine_label_find_all (light, &part, 0);
  g_assert_cmpuint (on_light->len, ==, 0);
  pixSetInRectArbitrary (dark, cover, 40);
  on_dark = bi_spine_label_find_all (dark, &part, 0);
  g_assert_cmpuint (on_dark->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bookimg/ocr/spine-label/rows-of", test_rows_of);
  g_test_add_func ("/bookimg/ocr/spine-label/on-dark-spine", test_label_on_dark_spine);
  g_test_add_func ("/bookimg/ocr/spine-label/none", test_no_label);
  return g_test_run ();
}
