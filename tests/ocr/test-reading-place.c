/* test-reading-place.c — when a line read is another reading of a place already read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-reading-place.h"
#include "bi-test-ocr-lines.h"

/* The garbage read from a spine at its wrong turn is a worse reading of the title's place. */
static void
test_wrong_turn_takes_no_place (void)
{
  g_autoptr (BiOcrResult) result = bi_test_ocr_two_spines_new (100, 0.0);
  g_autoptr (BiOcrLine) garbage = bi_ocr_line_new ("AOA DNISSIN", 0.82, 125, 305, 42, 580, 90);

  bi_test_ocr_add_line (result, "MISSING YOU", 0.96, 120, 300, 40, 600, 270, -1);
  g_assert_true (bi_reading_place_taken (result, garbage));
}

/* A label read inside the box of a title read along the spine holds a fifth of its length:
 * the title reads more, and is kept beside it. */
static void
test_label_leaves_the_title_its_place (void)
{
  g_autoptr (BiOcrResult) result = bi_test_ocr_two_spines_new (100, 0.0);
  g_autoptr (BiOcrLine) title = bi_ocr_line_new ("MUSCULACION Everett Aaberg", 0.64, 110, 200,
                                                  80, 800, 270);

  title->region = 0;
  bi_test_ocr_add_line (result, "796.41 Rad", 0.78, 140, 820, 40, 160, 270, 0);
  g_assert_true (bi_reading_place_overlaps (title, g_ptr_array_index (result->lines, 0)));
  g_assert_false (bi_reading_place_taken (result, title));

  /* The title's words read one by one cover it: the long line is another reading of them. */
  bi_test_ocr_add_line (result, "MUSCULACION", 0.90, 115, 210, 60, 320, 270, 0);
  bi_test_ocr_add_line (result, "Everett", 0.90, 115, 560, 60, 200, 270, 0);
  g_assert_true (bi_reading_place_taken (result, title));
}

/* A line read again on its own spine's page does not lose to a neighbour's line whose upright
 * box overlaps its own; a line of no spine, or of the same one, still does. */
static void
test_other_spine_takes_no_place (void)
{
  g_autoptr (BiOcrResult) result = bi_test_ocr_two_spines_new (100, 0.0);
  g_autoptr (BiOcrLine) again = bi_ocr_line_new ("GUIA DE LA MUSCULACION", 0.70, 170, 200, 90,
                                                  700, 270);

  bi_test_ocr_add_line (result, "TECNICO DE SALA DE FITNESS", 0.94, 160, 180, 80, 720, 270, 0);
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
  g_autoptr (BiOcrResult) result = bi_test_ocr_two_spines_new (100, 0.0);
  g_autoptr (BiOcrLine) across = bi_ocr_line_new ("la Mabel Jones i la ciutat prohibida", 0.60,
                                                   120, 100, 60, 1600, 270);

  bi_test_ocr_add_line (result, "Lliure i fantastica", 0.92, 120, 150, 60, 1500, 270, 0);
  g_assert_false (bi_reading_place_taken (result, across));
  across->height = 1400;
  g_assert_true (bi_reading_place_taken (result, across));
}

/* Lines apart take no place of each other. */
static void
test_apart_take_no_place (void)
{
  g_autoptr (BiOcrResult) result = bi_test_ocr_two_spines_new (100, 0.0);
  g_autoptr (BiOcrLine) other = bi_ocr_line_new ("DUNE", 0.96, 220, 300, 40, 300, 270);

  bi_test_ocr_add_line (result, "MISSING YOU", 0.96, 120, 300, 40, 600, 270, 0);
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
