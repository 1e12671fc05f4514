/* test-spine-text.c — the size, direction and doubts of the text read along a spine
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "bi-spine-text.h"
#include "bi-test-ocr-lines.h"

static gboolean
is_word (const BiOcrLine *line)
{
  return bi_ocr_count_characters (line->text) >= 4;
}

static gboolean
is_confident_word (const BiOcrLine *line)
{
  return is_word (line) && line->confidence >= 0.70;
}

/* A line read along a straight spine is as thick as its box is narrow. */
static void
test_straight_line (void)
{
  g_autoptr (BiOcrLine) line = bi_ocr_line_new ("BELL TOLLS", 0.96, 0, 0, 20, 200, 270);

  g_assert_cmpfloat_with_epsilon (bi_spine_text_line_thickness (line, 0.0), 20.0, 1e-9);
}

/* Along a spine leaning 5°, a line 20 px thick and 200 px long stands in an upright box
 * 37 px wide: its lean is taken off. Leaning the other way is the same. */
static void
test_leaning_line (void)
{
  double lean = 5.0 * G_PI / 180.0;
  int width = (int) lround (20.0 * cos (lean) + 200.0 * sin (lean));
  int height = (int) lround (200.0 * cos (lean) + 20.0 * sin (lean));
  g_autoptr (BiOcrLine) line = bi_ocr_line_new ("BELL TOLLS", 0.96, 0, 0, width, height, 270);

  g_assert_cmpint (width, ==, 37);
  g_assert_cmpfloat_with_epsilon (bi_spine_text_line_thickness (line, 5.0), 20.0, 0.6);
  g_assert_cmpfloat_with_epsilon (bi_spine_text_line_thickness (line, -5.0), 20.0, 0.6);
  /* A letter's box is no band: it never comes out thinner than a pixel. */
  g_assert_cmpfloat (bi_spine_text_line_thickness (line, 40.0), >=, 1.0);
}

/* The median thickness counts the region's sideways lines that the test accepts: not a
 * neighbour's, not a word read across the spine, not a stray letter. */
static void
test_spine_thickness (void)
{
  g_autoptr (BiOcrResult) result = bi_test_ocr_two_spines_new (150, 5.0);

  g_assert_cmpfloat (bi_spine_text_thickness (result, 0, is_word), ==, 0);
  bi_test_ocr_add_line (result, "OR WHO", 0.93, 150, 400, 26, 139, 270, 0);
  bi_test_ocr_add_line (result, "M THE", 0.82, 160, 560, 20, 96, 270, 0);
  bi_test_ocr_add_line (result, "TOLLS", 0.96, 120, 700, 22, 97, 270, 0);
  bi_test_ocr_add_line (result, "i", 0.70, 130, 900, 52, 32, 270, 0);
  bi_test_ocr_add_line (result, "ERNEST", 0.90, 110, 200, 120, 20, 0, 0);
  bi_test_ocr_add_line (result, "HEMINGWAY", 0.96, 260, 300, 60, 300, 270, 1);
  g_assert_cmpfloat (bi_spine_text_thickness (result, 0, is_word), ==, 22.0);
}

/* A spine's text turns the way most of its counted lines read. */
static void
test_quarter_turns (void)
{
  g_autoptr (BiOcrResult) result = bi_test_ocr_two_spines_new (150, 5.0);

  g_assert_cmpint (bi_spine_text_quarter_turns (result, 0, is_word), ==, 0);
  bi_test_ocr_add_line (result, "THINK", 0.67, 150, 400, 28, 109, 270, 0);
  bi_test_ocr_add_line (result, "KAHNEMAN", 0.96, 160, 800, 20, 120, 270, 0);
  bi_test_ocr_add_line (result, "sower", 0.86, 170, 900, 29, 111, 90, 0);
  bi_test_ocr_add_line (result, "Rascal", 0.87, 260, 500, 26, 123, 90, 1);
  g_assert_cmpint (bi_spine_text_quarter_turns (result, 0, is_word), ==, 3);
  g_assert_cmpint (bi_spine_text_quarter_turns (result, 0, is_confident_word), ==, 0);
  g_assert_cmpint (bi_spine_text_quarter_turns (result, 1, is_word), ==, 1);
}

/* A spine is in doubt when a counted line of it reads under the confidence asked; a title
 * read surely, or a stray letter read badly, leaves it in none. */
static void
test_doubt (void)
{
  g_autoptr (BiOcrResult) result = bi_test_ocr_two_spines_new (150, 5.0);

  bi_test_ocr_add_line (result, "NEW WORLD", 0.96, 150, 470, 20, 189, 270, 0);
  bi_test_ocr_add_line (result, "ii!", 0.76, 150, 710, 20, 18, 180, 0);
  bi_test_ocr_add_line (result, "s", 0.50, 150, 900, 9, 7, 270, 0);
  g_assert_false (bi_spine_text_has_doubt (result, 0, is_word, 0.85));
  bi_test_ocr_add_line (result, "HAAVE", 0.50, 150, 350, 16, 99, 270, 0);
  g_assert_true (bi_spine_text_has_doubt (result, 0, is_word, 0.85));
  g_assert_false (bi_spine_text_has_doubt (result, 0, is_word, 0.50));
  g_assert_false (bi_spine_text_has_doubt (result, 1, is_word, 0.85));
}

/* A line sure on its words' mean holding one word read doubtfully is a doubt: "HAAVE NEW
 * WORLD" at 0.91, "HAAVE" at 0.79. */
static void
test_doubtful_word (void)
{
  g_autoptr (BiOcrResult) result = bi_test_ocr_two_spines_new (150, 5.0);
  BiOcrLine *line;

  bi_test_ocr_add_line (result, "HAAVE NEW WORLD", 0.91, 150, 350, 26, 311, 270, 0);
  line = g_ptr_array_index (result->lines, 0);
  g_assert_cmpfloat (line->weakest_word, ==, 0.91);
  g_assert_false (bi_spine_text_has_doubtful_word (result, 0, is_word, 0.85));
  line->weakest_word = 0.79;
  g_assert_false (bi_spine_text_has_doubt (result, 0, is_word, 0.85));
  g_assert_true (bi_spine_text_has_doubtful_word (result, 0, is_word, 0.85));
  g_assert_false (bi_spine_text_has_doubtful_word (result, 0, is_word, 0.75));
  g_assert_false (bi_spine_text_has_doubtful_word (result, 1, is_word, 0.85));
}

/* A spine read again in part repeats what a line it holds says already; the repeat is
 * dropped, a new reading and another spine's are kept. */
static void
test_drop_repeated (void)
{
  g_autoptr (BiOcrResult) result = bi_test_ocr_two_spines_new (150, 5.0);
  g_autoptr (GPtrArray) readings =
    g_ptr_array_new_with_free_func ((GDestroyNotify) bi_ocr_line_free);
  BiOcrLine *reading;

  bi_test_ocr_add_line (result, "Platero y yo Juan Ramén Jiménez", 0.90, 130, 200, 73, 940, 90,
                        0);
  reading = bi_ocr_line_new ("PLATERO Y YO", 0.94, 130, 690, 77, 453, 90);
  reading->region = 0;
  g_ptr_array_add (readings, reading);
  reading = bi_ocr_line_new ("Juan Ramón", 0.95, 130, 300, 70, 200, 90);
  reading->region = 0;
  g_ptr_array_add (readings, reading);
  reading = bi_ocr_line_new ("Platero", 0.95, 260, 300, 40, 200, 90);
  reading->region = 1;
  g_ptr_array_add (readings, reading);
  g_assert_cmpuint (bi_spine_text_drop_repeated (readings, result->lines), ==, 1);
  g_assert_cmpuint (readings->len, ==, 2);
  g_assert_cmpstr (((BiOcrLine *) g_ptr_array_index (readings, 0))->text, ==, "Juan Ramón");
  g_assert_cmpstr (((BiOcrLine *) g_ptr_array_index (readings, 1))->text, ==, "Platero");
}

/* On a spine whose words were read across it, the short lines read along it under the
 * confidence given are dropped; its words, its sure readings, a longer line along it (a title
 * beside authors stacked across the spine's top) and its neighbours' lines stay. */
static void
test_drop_sideways (void)
{
  g_autoptr (BiOcrResult) result = bi_test_ocr_two_spines_new (150, 5.0);

  bi_test_ocr_add_line (result, "THIRD", 0.96, 110, 500, 120, 39, 0, 0);
  bi_test_ocr_add_line (result, "| OR: zg", 0.52, 150, 300, 73, 647, 90, 0);
  bi_test_ocr_add_line (result, "tH AS", 0.41, 120, 500, 38, 92, 270, 0);
  bi_test_ocr_add_line (result, "aa", 0.58, 130, 200, 47, 44, 180, 0);
  bi_test_ocr_add_line (result, "PENGUIN", 0.90, 120, 900, 30, 150, 270, 0);
  bi_test_ocr_add_line (result, "Doran", 0.60, 260, 500, 40, 200, 270, 1);
  bi_test_ocr_add_line (result, "WHET TS Functional Histology", 0.61, 125, 600, 30, 400, 270, 0);
  g_assert_cmpuint (bi_spine_text_drop_sideways (result->lines, 0, 0.70, 9), ==, 2);
  g_assert_cmpuint (result->lines->len, ==, 5);
  for (guint i = 0; i < result->lines->len; i++)
    {
      const BiOcrLine *line = g_ptr_array_index (result->lines, i);

      g_assert_true (line->region != 0 || line->angle == 0 || line->angle == 180 ||
                     line->confidence >= 0.70 || bi_ocr_count_characters (line->text) > 9);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bookimg/ocr/spine-text/straight-line", test_straight_line);
  g_test_add_func ("/bookimg/ocr/spine-text/leaning-line", test_leaning_line);
  g_test_add_func ("/bookimg/ocr/spine-text/thickness", test_spine_thickness);
  g_test_add_func ("/bookimg/ocr/spine-text/quarter-turns", test_quarter_turns);
  g_test_add_func ("/bookimg/ocr/spine-text/doubt", test_doubt);
  g_test_add_func ("/bookimg/ocr/spine-text/doubtful-word", test_doubtful_word);
  g_test_add_func ("/bookimg/ocr/spine-text/drop-sideways", test_drop_sideways);
  g_test_add_func ("/bookimg/ocr/spine-text/drop-repeated", test_drop_repeated);
  return g_test_run ();
}
