/* test-strip-page.c — strips turned once and laid on a page at another turn are the same
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-leptonica-autoptr.h"
#include "bi-strip-page.h"

/* Grey levels that differ from pixel to pixel, so that any pixel out of place shows. */
static PIX *
make_noise (int width,
            int height)
{
  PIX *pix = pixCreate (width, height, 8);

  for (int y = 0; y < height; y++)
    for (int x = 0; x < width; x++)
      pixSetPixel (pix, x, y, (l_uint32) ((x * 7 + y * 13 + x * y) % 256));
  return pix;
}

/* bi_pix_turn() gives Leptonica's pixels, at sizes that are not whole blocks or words. */
static void
test_turn_is_leptonicas (void)
{
  const int sizes[][2] = { { 1, 1 }, { 3, 130 }, { 131, 67 }, { 200, 129 } };

  for (guint s = 0; s < G_N_ELEMENTS (sizes); s++)
    for (int quarter_turns = 0; quarter_turns < 4; quarter_turns++)
      {
        g_autoptr (PIX) pix = make_noise (sizes[s][0], sizes[s][1]);
        g_autoptr (PIX) expected = pixRotateOrth (pix, quarter_turns);
        g_autoptr (PIX) turned = bi_pix_turn (pix, quarter_turns);
        l_int32 same = 0;

        g_assert_nonnull (turned);
        pixEqual (turned, expected, &same);
        g_assert_true (same);
      }
}

/* Strips added at a quarter turn and copied to a page at three quarters make the page that
 * adding them there makes, and map back alike. */
static void
test_add_last_of_is_adding (void)
{
  g_autoptr (PIX) grey = make_noise (300, 200);
  const BiOcrRegion regions[] = {
    { 20, 10, 40, 180, 4.0, BI_OCR_REGION_SPINE },
    { 100, 30, 60, 150, -2.5, BI_OCR_REGION_SPINE },
    { 180, 120, 110, 30, 90, BI_OCR_REGION_SPINE },
  };
  g_autoptr (BiStripPage) first = bi_strip_page_new (1, BI_SPINE_TONES_BINARY);
  g_autoptr (BiStripPage) copied = bi_strip_page_new (3, BI_SPINE_TONES_BINARY);
  g_autoptr (BiStripPage) added = bi_strip_page_new (3, BI_SPINE_TONES_BINARY);
  BiPixelBox from_copied, from_added;
  l_int32 same = 0;

  g_assert_false (bi_strip_page_add_last_of (copied, first));
  for (guint i = 0; i < G_N_ELEMENTS (regions); i++)
    {
      g_assert_true (bi_strip_page_add (first, grey, &regions[i], (int) i, 1.3,
                                        BI_SPINE_INK_FARTHER));
      g_assert_true (bi_strip_page_add_last_of (copied, first));
      g_assert_true (bi_strip_page_add (added, grey, &regions[i], (int) i, 1.3,
                                        BI_SPINE_INK_FARTHER));
    }

  pixEqual (bi_strip_page_render (copied), bi_strip_page_render (added), &same);
  g_assert_true (same);
  g_assert_cmpint (bi_strip_page_map_box (copied, (BiPixelBox) { 60, 60, 30, 20 }, &from_copied),
                   ==, bi_strip_page_map_box (added, (BiPixelBox) { 60, 60, 30, 20 },
                                              &from_added));
  g_assert_cmpmem (&from_copied, sizeof from_copied, &from_added, sizeof from_added);
}

/* A spine of dark strokes on a light ground: binarised, its page is 1 bpp, black where the
 * 8 bpp page would be 0; stretched, it stays 8 bpp. */
static void
test_binarised_page_is_binary (void)
{
  g_autoptr (PIX) grey = pixCreate (120, 300, 8);
  const BiOcrRegion spine = { 30, 10, 60, 280, 0, BI_OCR_REGION_SPINE };
  g_autoptr (BiStripPage) binarised = bi_strip_page_new (1, BI_SPINE_TONES_BINARY);
  g_autoptr (BiStripPage) stretched = bi_strip_page_new (1, BI_SPINE_TONES_STRETCHED);
  PIX *page;
  l_uint32 value = 0;

  pixSetAllArbitrary (grey, 200);
  for (int y = 40; y < 260; y += 12)
    {
      g_autoptr (BOX) stroke = boxCreate (50, y, 20, 4);

      pixSetInRectArbitrary (grey, stroke, 30);
    }
  g_assert_true (bi_strip_page_add (binarised, grey, &spine, 0, 1.0, BI_SPINE_INK_FARTHER));
  g_assert_true (bi_strip_page_add (stretched, grey, &spine, 0, 1.0, BI_SPINE_INK_FARTHER));

  page = bi_strip_page_render (binarised);
  g_assert_cmpint (pixGetDepth (page), ==, 1);
  /* The stroke at rows 40–43 of the spine, turned a quarter: columns 300 − 1 − (40…43) − 10. */
  pixGetPixel (page, 48 + 300 - 1 - 41 - 10, 48 + 30, &value);
  g_assert_cmpuint (value, ==, 1);
  pixGetPixel (page, 10, 10, &value);
  g_assert_cmpuint (value, ==, 0);
  g_assert_cmpint (pixGetDepth (bi_strip_page_render (stretched)), ==, 8);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bookimg/ocr/strip-page/turn-is-leptonicas", test_turn_is_leptonicas);
  g_test_add_func ("/bookimg/ocr/strip-page/add-last-of-is-adding", test_add_last_of_is_adding);
  g_test_add_func ("/bookimg/ocr/strip-page/binarised-page-is-binary",
                   test_binarised_page_is_binary);
  return g_test_run ();
}
