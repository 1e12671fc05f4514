/* test-reading-place.c — when a line read is another reading of a place already read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-reading-place.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiOcrLine, bi_ocr_line_free)

/* A line read sideways (270°) with its upright box, in @region. */
static BiOcrLine *
add_line (BiOcrResult *result,
          const char  *text,
          double       confidence,
          int          x,
          int          y,
          int          width,
          int          height,
          int          region)
{
  BiOcrLine *line = bi_ocr_line_new (text, confidence, x, y, width, height, 270);

  line->region = region;
  g_ptr_array_add (result->lines, line);
  return line;
}

/* Two standing spines 100 px wide and 1000 px tall, side by side. */
static BiOcrResult *
shelf_new (void)
{
  BiOcrResult *result = bi_ocr_result_new (400, 1200);
  BiOcrRegion regions[] = {
    { 100, 100, 100, 1000, 0.0, BI_OCR_REGION_SPINE },
    { 200, 100, 100, 1000, 0.0, BI_OCR_REGION_SPINE },
  };

  g_array_append_vals (result->regions, regions, G_N_ELEMENTS (regions));
  return result;
}

/* The garbage read from a spine at its wrong turn is a worse reading of the title's place. */
static void
test_wrong_turn_takes_no_place (void)
{
  g_autoptr (BiOcrResult) result = shelf_new ();
  g_autoptr (BiOcrLine) garbage = bi_ocr_line_new ("AOA DNISSIN", 0.82, 125, 305, 42, 580, 90);

  add_line (result, "MISSING YOU", 0.96, 120, 300, 40, 600, -1);
  g_assert_true (bi_reading_place_taken (result, garbage));
}

/* A label read inside the box of a title read along the spine holds a fifth of its length:
 * the title reads more, and is kept beside it. */
static void
test_label_leaves_the_title_its_place (void)
{
  g_autoptr (BiOcrResult) result = shelf_new ();
  g_autoptr (BiOcrLine) title = bi_ocr_line_new ("MUSCULACION Everett Aaberg", 0.64, 110, 200,
                                                  80, 800, 270);

  title->region = 0;
  add_line (result, "796.41 Rad", 0.78, 140, 820, 40, 160, 0);
  g_assert_true (bi_reading_place_overlaps (title, g_ptr_array_index (result->lines, 0)));
  g_assert_false (bi_reading_place_taken (result, title));

  /* The title's words read one by one cover it: the long line is another reading of them. */
  add_line (result, "MUSCULACION", 0.90, 115, 210, 60, 320, 0);
  add_line (result, "Everett", 0.90, 115, 560, 60, 200, 0);
  g_assert_true (bi_reading_place_taken (result, title));
}

/* A line read again on its own spine's page does not lose to a neighbour's line whose upright
 * box overlaps its own; a line of no spine, or of the same one, still does. */
static void
test_other_spine_takes_no_place (void)
{
  g_autoptr (BiOcrResult) result = shelf_new ();
  g_autoptr (BiOcrLine) again = bi_ocr_line_new ("GUIA DE LA MUSCULACION", 0.70, 170, 200, 90,
                                                  700, 270);

  add_line (result, "TECNICO DE SALA DE FITNESS", 0.94, 160, 180, 80, 720, 0);
  again->region = 1;
  g_assert_false (bi_reading_place_taken (result, again));
  again->region = 0;
  g_assert_true (bi_reading_place_taken (result, again));
  again->region = -1;
  g_assert_true (bi_reading_place_taken (result, again));
}

/* A line read across both rows of a shelf runs past the region of the line in its place. */
static void
test_line_past_the_region_keeps_its_place (void)
{
  g_autoptr (BiOcrResult) result = shelf_new ();
  g_autoptr (BiOcrLine) across = bi_ocr_line_new ("la Mabel Jones i la ciutat prohibida", 0.60,
                                                   120, 100, 60, 1600, 270);

  add_line (result, "Lliure i fantastica", 0.92, 120, 150, 60, 1500, 0);
  g_assert_false (bi_reading_place_taken (result, across));
  across->height = 1400;
  g_assert_true (bi_reading_place_taken (result, across));
}

/* Lines apart take no place of each other. */
static void
test_apart_take_no_place (void)
{
  g_autoptr (BiOcrResult) result = shelf_new ();
  g_autoptr (BiOcrLine) other = bi_ocr_line_new ("DUNE", 0.96, 220, 300, 40, 300, 270);

  add_line (result, "MISSING YOU", 0.96, 120, 300, 40, 600, 0);
  g_assert_false (bi_reading_place_overlaps (other, g_ptr_array_index (result->lines, 0)));
  g_assert_false (bi_reading_place_taken (result, other));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bookimg/ocr/reading-place/wrong-turn", test_wrong_turn_takes_no_place);
  g_test_add_func ("/bookimg/ocr/reading-place/label-in-a-title",
                   test_label_leaves_the_title_its_place);
  g_test_add_func ("/bookimg/ocr/reading-place/other-spine", test_other_spine_takes_no_place);
  g_test_add_func ("/bookimg/ocr/reading-place/past-the-region",
                   test_line_past_the_region_keeps_its_place);
  g_test_add_func ("/bookimg/ocr/reading-place/apart", test_apart_take_no_place);
  return g_test_run ();
}
