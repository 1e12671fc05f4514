/* test-spine-letters.c — the blots the size of a letter on a spine's picture, counted
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-leptonica-autoptr.h"
#include "bi-spine-letters.h"

/* Levels of the drawn strips: light letters on a dark spine. */
#define BACKGROUND  60
#define INK         200

#define STRIP_ACROSS 80
#define STRIP_ALONG  600

/* An 80 × 600 strip of @BACKGROUND, its text running along its height. */
static PIX *
draw_plain_strip (void)
{
  PIX *strip = pixCreate (STRIP_ACROSS, STRIP_ALONG, 8);

  pixSetAllArbitrary (strip, BACKGROUND);
  return strip;
}

static void
fill (PIX *strip,
      int  x,
      int  y,
      int  width,
      int  height,
      int  level)
{
  for (int j = y; j < y + height; j++)
    for (int i = x; i < x + width; i++)
      pixSetPixel (strip, i, j, (l_uint32) level);
}

/* A title of @n letters, 30 px high across the spine and 16 px along it, 8 px apart. */
static void
draw_title (PIX   *strip,
            guint  n)
{
  for (guint i = 0; i < n; i++)
    fill (strip, 25, 40 + (int) i * 24, 30, 16, INK);
}

static void
test_title_counted (void)
{
  g_autoptr (PIX) strip = draw_plain_strip ();

  draw_title (strip, 16);
  g_assert_cmpuint (bi_spine_letters_count (strip), ==, 16);
}

/* A plain spine holds too little contrast to be text: nothing to count. */
static void
test_plain_spine (void)
{
  g_autoptr (PIX) strip = draw_plain_strip ();

  g_assert_cmpuint (bi_spine_letters_count (strip), ==, 0);
}

/* Specks of grain, a band across the spine and a picture larger than any letter are not
 * letters; the letters beside them still are. */
static void
test_not_letters (void)
{
  g_autoptr (PIX) strip = draw_plain_strip ();

  for (int i = 0; i < 20; i++)
    fill (strip, 20 + (i % 4) * 10, 420 + (i / 4) * 12, 2, 2, INK);
  fill (strip, 0, 500, STRIP_ACROSS, 20, INK);
  fill (strip, 12, 530, 60, 60, INK);
  g_assert_cmpuint (bi_spine_letters_count (strip), ==, 0);
  draw_title (strip, 10);
  g_assert_cmpuint (bi_spine_letters_count (strip), ==, 10);
}

/* Dark letters on a light spine count as light ones on a dark spine do. */
static void
test_dark_letters (void)
{
  g_autoptr (PIX) strip = pixCreate (STRIP_ACROSS, STRIP_ALONG, 8);

  pixSetAllArbitrary (strip, INK);
  for (guint i = 0; i < 12; i++)
    fill (strip, 25, 40 + (int) i * 24, 30, 16, BACKGROUND);
  g_assert_cmpuint (bi_spine_letters_count (strip), ==, 12);
}

/* Light letters on a mid-grey spine beside a dark gap: the gap lies farther from the
 * background, but the letters are the light tail's blots, so that tail is the ink. */
static void
test_ink_nearer_letters (void)
{
  g_autoptr (PIX) strip = pixCreate (STRIP_ACROSS, STRIP_ALONG, 8);
  guint letters = 0;

  pixSetAllArbitrary (strip, 170);
  /* The gap: a dark band along the whole spine, inside the columns measured. */
  fill (strip, 10, 0, 8, STRIP_ALONG, 10);
  for (guint i = 0; i < 16; i++)
    fill (strip, 30, 40 + (int) i * 24, 30, 16, 250);
  g_assert_cmpuint (bi_spine_letters_count (strip), ==, 0);
  g_assert_cmpint (bi_spine_letters_ink (strip, &letters), ==, BI_SPINE_INK_LIGHT);
  g_assert_cmpuint (letters, ==, 16);
}

/* A title in two colours: white words and dark ones on one mid-grey spine. The light letters
 * are more, the dark ones farther from the background; both are its ink. */
static void
test_ink_both (void)
{
  g_autoptr (PIX) strip = pixCreate (STRIP_ACROSS, STRIP_ALONG, 8);
  guint letters = 0;

  pixSetAllArbitrary (strip, 170);
  for (guint i = 0; i < 24; i++)
    fill (strip, 25, 10 + (int) i * 24, 30, 16, i < 16 ? 250 : 10);
  g_assert_cmpint (bi_spine_letters_ink (strip, &letters), ==, BI_SPINE_INK_BOTH);
  g_assert_cmpuint (letters, ==, 16);
}

/* Blots of a tail that lies near the background are the spine's shading, not letters: the
 * ink stays the farther tail. */
static void
test_ink_shading_not_letters (void)
{
  g_autoptr (PIX) strip = draw_plain_strip ();
  guint letters = 0;

  for (guint i = 0; i < 16; i++)
    fill (strip, 25, 40 + (int) i * 24, 30, 16, BACKGROUND - 30);
  fill (strip, 25, 440, 30, 100, INK);
  g_assert_cmpint (bi_spine_letters_ink (strip, &letters), ==, BI_SPINE_INK_FARTHER);
  g_assert_cmpuint (bi_spine_letters_count_towards (strip, BI_SPINE_INK_DARK), ==, 16);
}

/* Both tails with as many letters: neither is chosen over the other. */
static void
test_ink_undecided (void)
{
  g_autoptr (PIX) strip = pixCreate (STRIP_ACROSS, STRIP_ALONG, 8);

  pixSetAllArbitrary (strip, 128);
  for (guint i = 0; i < 24; i++)
    fill (strip, 25, 20 + (int) i * 24, 30, 16, i % 2 == 0 ? 10 : 250);
  g_assert_cmpint (bi_spine_letters_ink (strip, NULL), ==, BI_SPINE_INK_FARTHER);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bookimg/ocr/spine-letters/title", test_title_counted);
  g_test_add_func ("/bookimg/ocr/spine-letters/plain", test_plain_spine);
  g_test_add_func ("/bookimg/ocr/spine-letters/not-letters", test_not_letters);
  g_test_add_func ("/bookimg/ocr/spine-letters/dark-letters", test_dark_letters);
  g_test_add_func ("/bookimg/ocr/spine-letters/ink/nearer-letters", test_ink_nearer_letters);
  g_test_add_func ("/bookimg/ocr/spine-letters/ink/both", test_ink_both);
  g_test_add_func ("/bookimg/ocr/spine-letters/ink/shading", test_ink_shading_not_letters);
  g_test_add_func ("/bookimg/ocr/spine-letters/ink/undecided", test_ink_undecided);
  return g_test_run ();
}
