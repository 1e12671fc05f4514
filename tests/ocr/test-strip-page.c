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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bookimg/ocr/strip-page/turn-is-leptonicas", test_turn_is_leptonicas);
  g_test_add_func ("/bookimg/ocr/strip-page/add-last-of-is-adding", test_add_last_of_is_adding);
  return g_test_run ();
}
