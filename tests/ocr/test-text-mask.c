/* test-text-mask.c — text already read is painted out, and nothing else
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-leptonica-autoptr.h"
#include "bi-text-mask.h"

#define BACKGROUND 120
#define INK        20

static gboolean
is_confident (const BiOcrLine *line)
{
  return line->confidence >= 0.9;
}

/* Letters stand-in: strokes 2 px wide every 6 px across @box, so that, as in a line of text,
 * the ink is a minority of the box and its median is the background. */
static void
draw_strokes (PIX *page,
              int  left,
              int  top,
              int  width,
              int  height)
{
  for (int x = left; x + 2 <= left + width; x += 6)
    {
      g_autoptr (BOX) stroke = boxCreate (x, top, 2, height);

      pixSetInRectArbitrary (page, stroke, INK);
    }
}

/* A grey page with the strokes of two lines of text, in a photo twice its size: one read
 * confidently (it goes), one not (it stays). */
static void
test_paints_read_lines_only (void)
{
  g_autoptr (PIX) page = pixCreate (200, 100, 8);
  g_autoptr (GPtrArray) lines = g_ptr_array_new_with_free_func ((GDestroyNotify) bi_ocr_line_free);
  l_uint32 value = 0;

  pixSetAllArbitrary (page, BACKGROUND);
  draw_strokes (page, 20, 20, 60, 10);
  draw_strokes (page, 120, 20, 60, 10);
  g_ptr_array_add (lines, bi_ocr_line_new ("DUNE", 0.96, 40, 40, 120, 20, 270));
  g_ptr_array_add (lines, bi_ocr_line_new ("SOULSNVIO", 0.75, 240, 40, 120, 20, 270));

  g_assert_cmpuint (bi_text_mask_paint (page, 0.5, lines, is_confident), ==, 1);

  for (int x = 18; x < 82; x++)
    {
      pixGetPixel (page, x, 25, &value);
      g_assert_cmpuint (value, ==, BACKGROUND);
    }
  pixGetPixel (page, 120, 25, &value);
  g_assert_cmpuint (value, ==, INK);
  pixGetPixel (page, 100, 60, &value);
  g_assert_cmpuint (value, ==, BACKGROUND);
}

/* Boxes reaching past the page (rounding, a line at the photo's edge) are clipped to it. */
static void
test_clips_to_the_page (void)
{
  g_autoptr (PIX) page = pixCreate (50, 50, 8);
  g_autoptr (GPtrArray) lines = g_ptr_array_new_with_free_func ((GDestroyNotify) bi_ocr_line_free);

  pixSetAllArbitrary (page, BACKGROUND);
  g_ptr_array_add (lines, bi_ocr_line_new ("EDGE", 0.95, 90, 90, 40, 40, 90));
  g_ptr_array_add (lines, bi_ocr_line_new ("AWAY", 0.95, 400, 400, 40, 40, 90));

  g_assert_cmpuint (bi_text_mask_paint (page, 0.5, lines, is_confident), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bookimg/ocr/text-mask/paints-read-lines-only", test_paints_read_lines_only);
  g_test_add_func ("/bookimg/ocr/text-mask/clips-to-the-page", test_clips_to_the_page);
  return g_test_run ();
}
