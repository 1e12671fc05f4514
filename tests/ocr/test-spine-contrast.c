/* test-spine-contrast.c — a spine's two tails of levels, light letters the page threshold hid
 * on a spine whose dark tail it separated, and the titles of books lying flat, read again
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "bi-spine-contrast.h"
#include "bi-tesseract-engine.h"
#include "bi-test-images.h"

/* Levels of the drawn strip: a mid-grey spine with light letters and a dark block. */
#define BACKGROUND  130
#define LIGHT_INK   220
#define DARK_INK    10

/* Large enough to be read reduced (the sideways passes read 2048 px), as a 12 MP photo. */
#define PHOTO_WIDTH   4000
#define PHOTO_HEIGHT  1300
#define BOARD_TOP     1200
#define BOARD_HEIGHT  60
#define BOOK_ALONG    1000
#define BOOK_ACROSS   180
#define BOOK_STEP     440

/* ---- levels ------------------------------------------------------------------------------- */

/* A 100 × 400 strip of @BACKGROUND with 5 % of its middle columns' pixels at each ink. */
static PIX *
draw_two_tailed_strip (void)
{
  PIX *strip = pixCreate (100, 400, 8);

  pixSetAllArbitrary (strip, BACKGROUND);
  for (int y = 40; y < 100; y++)
    for (int x = 30; x < 70; x++)
      pixSetPixel (strip, x, y, LIGHT_INK);
  for (int y = 250; y < 310; y++)
    for (int x = 30; x < 70; x++)
      pixSetPixel (strip, x, y, DARK_INK);
  return strip;
}

static void
test_tails (void)
{
  g_autoptr (PIX) strip = draw_two_tailed_strip ();
  int dark = 0, background = 0, light = 0, ink = 0;

  g_assert_true (bi_spine_contrast_tails (strip, &dark, &background, &light));
  g_assert_cmpint (dark, ==, DARK_INK);
  g_assert_cmpint (background, ==, BACKGROUND);
  g_assert_cmpint (light, ==, LIGHT_INK);
  /* The ink by default is the tail farther from the background. */
  g_assert_true (bi_spine_contrast_levels (strip, &ink, &background));
  g_assert_cmpint (ink, ==, DARK_INK);
}

/* Binarised towards one tail, that tail becomes black and the other as white as the
 * background: the letters the page threshold hid are the ones left to read, and no grey is
 * left for Tesseract's layout to take for a picture. */
static void
test_binarise_towards_ink (void)
{
  g_autoptr (PIX) to_light = draw_two_tailed_strip ();
  g_autoptr (PIX) to_dark = draw_two_tailed_strip ();
  g_autoptr (PIX) farther = draw_two_tailed_strip ();
  l_uint32 value = 0;

  g_assert_true (bi_spine_contrast_binarise (to_light, BI_SPINE_INK_LIGHT));
  pixGetPixel (to_light, 50, 70, &value);
  g_assert_cmpuint (value, ==, 0);
  pixGetPixel (to_light, 50, 280, &value);
  g_assert_cmpuint (value, ==, 255);
  pixGetPixel (to_light, 50, 200, &value);
  g_assert_cmpuint (value, ==, 255);

  g_assert_true (bi_spine_contrast_binarise (to_dark, BI_SPINE_INK_DARK));
  pixGetPixel (to_dark, 50, 280, &value);
  g_assert_cmpuint (value, ==, 0);
  pixGetPixel (to_dark, 50, 70, &value);
  g_assert_cmpuint (value, ==, 255);

  /* Speckle a quarter of the way from the dark ink to the background, and three quarters. */
  pixSetPixel (farther, 50, 150, (3 * DARK_INK + BACKGROUND) / 4);
  pixSetPixel (farther, 50, 160, (DARK_INK + 3 * BACKGROUND) / 4);
  g_assert_true (bi_spine_contrast_binarise (farther, BI_SPINE_INK_FARTHER));
  pixGetPixel (farther, 50, 280, &value);
  g_assert_cmpuint (value, ==, 0);
  pixGetPixel (farther, 50, 150, &value);
  g_assert_cmpuint (value, ==, 0);
  pixGetPixel (farther, 50, 160, &value);
  g_assert_cmpuint (value, ==, 255);
}

/* Binarised towards both tails (a title printed in two colours), the letters of each become
 * black and the background white; a rim of light letters past halfway to the background, which
 * binarising towards one tail loses, stays black. */
static void
test_binarise_both (void)
{
  g_autoptr (PIX) strip = draw_two_tailed_strip ();
  l_uint32 value = 0;

  pixSetPixel (strip, 50, 150, LIGHT_INK - (LIGHT_INK - BACKGROUND) * 4 / 7);
  g_assert_true (bi_spine_contrast_binarise (strip, BI_SPINE_INK_BOTH));
  pixGetPixel (strip, 50, 70, &value);
  g_assert_cmpuint (value, ==, 0);
  pixGetPixel (strip, 50, 280, &value);
  g_assert_cmpuint (value, ==, 0);
  pixGetPixel (strip, 50, 150, &value);
  g_assert_cmpuint (value, ==, 0);
  pixGetPixel (strip, 50, 200, &value);
  g_assert_cmpuint (value, ==, 255);
}

/* Mapped by the levels of a part of it, a strip cut out longer than its book keeps its book's
 * ink: here the dark block at one end, the gap beside a stack the longer cut reaches over,
 * would be the farther tail of the whole strip and turn the light letters white. */
static void
test_map_by_sample (void)
{
  g_autoptr (PIX) strip = draw_two_tailed_strip ();
  g_autoptr (BOX) book_box = boxCreate (0, 0, 100, 200);
  g_autoptr (PIX) book = pixClipRectangle (strip, book_box, NULL);
  l_uint32 value = 0;

  g_assert_true (bi_spine_contrast_map_by (strip, book, BI_SPINE_INK_FARTHER,
                                           BI_SPINE_TONES_BINARY));
  /* The light letters, the only ink of the sample, are black; the dark block is not ink. */
  pixGetPixel (strip, 50, 70, &value);
  g_assert_cmpuint (value, ==, 0);
  pixGetPixel (strip, 50, 280, &value);
  g_assert_cmpuint (value, ==, 255);
  pixGetPixel (strip, 50, 200, &value);
  g_assert_cmpuint (value, ==, 255);
}

/* Stretched, the levels between ink and background keep their places in proportion. */
static void
test_stretch_keeps_levels_between (void)
{
  g_autoptr (PIX) strip = draw_two_tailed_strip ();
  l_uint32 value = 0;

  pixSetPixel (strip, 50, 150, (3 * DARK_INK + BACKGROUND) / 4);
  g_assert_true (bi_spine_contrast_stretch (strip, BI_SPINE_INK_DARK));
  pixGetPixel (strip, 50, 280, &value);
  g_assert_cmpuint (value, ==, 0);
  pixGetPixel (strip, 50, 150, &value);
  g_assert_cmpuint (value, >, 48);
  g_assert_cmpuint (value, <, 80);
  pixGetPixel (strip, 50, 200, &value);
  g_assert_cmpuint (value, ==, 255);
}

/* A book shorter than its neighbours: its strip holds the dark space above it and the board
 * below it at its ends, rows that are not on the book; its own rows, ink and all, are. */
static void
test_book_rows (void)
{
  g_autoptr (PIX) strip = draw_two_tailed_strip ();
  g_autoptr (BOX) above = boxCreate (0, 0, 100, 20);
  g_autoptr (BOX) board = boxCreate (0, 390, 100, 10);
  int first = -1, last = -1;

  g_assert_true (bi_spine_contrast_book_rows (strip, &first, &last));
  g_assert_cmpint (first, ==, 0);
  g_assert_cmpint (last, ==, 400);

  pixSetInRectArbitrary (strip, above, DARK_INK);
  pixSetInRectArbitrary (strip, board, BACKGROUND - 60);
  g_assert_true (bi_spine_contrast_book_rows (strip, &first, &last));
  g_assert_cmpint (first, ==, 20);
  g_assert_cmpint (last, ==, 390);
}

/* ---- the engine on a drawn shelf ---------------------------------------------------------- */

/* Tesseract takes a while to load its models: one engine serves every test of this process. */
static BiTesseractEngine *engine;

static const char *titles[] = { "DUNE", "EMMA", "WALDEN", "BELOVED", "REBECCA", "ULYSSES",
                                "DRACULA", "HAMLET" };

/* The book whose title only the re-read of hidden light ink reads. */
#define HIDDEN_BOOK 3

/* One row of light spines, and one mid-grey spine with a white title and a black band across
 * it (as many real spines carry). After contrast normalisation its levels are 0 / 155 / 255
 * against a page threshold of 119: the title and its background lie on one side of the
 * threshold, so the whole-photo reading sees a slab, while the band lies far beyond it. By
 * its farther (dark) tail the threshold separated this spine, and the re-read before round 6
 * left it alone; only its nearer (light) tail tells that its letters were lost. */
static GBytes *
draw_shelf (GError **error)
{
  BiTestBook books[G_N_ELEMENTS (titles)];
  int board = BOARD_TOP;
  g_autoptr (PIX) pix = NULL;
  g_autoptr (BOX) band = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    books[i] = (BiTestBook) { { titles[i], NULL, i % 2 ? 0xa8c8e8 : 0xe8c872, 0x202020, 90 },
                              200 + BOOK_STEP * i, BOARD_TOP - BOOK_ALONG / 2.0, BOOK_ACROSS,
                              BOOK_ALONG, 0 };
  books[HIDDEN_BOOK].spine.background = 0x6c6c6c;
  books[HIDDEN_BOOK].spine.foreground = 0xf4f4f4;
  pix = bi_test_image_draw_books (books, G_N_ELEMENTS (books), &board, 1, BOARD_HEIGHT,
                                  PHOTO_WIDTH, PHOTO_HEIGHT);
  g_assert_nonnull (pix);
  band = boxCreate (200 + BOOK_STEP * HIDDEN_BOOK - BOOK_ACROSS / 2, BOARD_TOP - 140,
                    BOOK_ACROSS, 80);
  pixSetInRectArbitrary (pix, band, 0x10101000);
  return bi_test_image_encode (pix, "png", error);
}

static void
test_hidden_light_title (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) photo = draw_shelf (&error);
  g_autoptr (BiOcrResult) result = NULL;
  gboolean found = FALSE;

  g_assert_no_error (error);
  result = bi_tesseract_engine_recognize (engine, photo, &error);
  g_assert_no_error (error);

  for (guint j = 0; j < result->lines->len; j++)
    {
      const BiOcrLine *line = g_ptr_array_index (result->lines, j);
      int middle_x = line->x + line->width / 2;

      g_test_message ("[%d] %.2f %g° [%d,%d %d×%d] “%s”", line->region, line->confidence,
                      (double) line->angle, line->x, line->y, line->width, line->height,
                      line->text);
      if (ABS (middle_x - (200 + BOOK_STEP * HIDDEN_BOOK)) < BOOK_ACROSS / 2 &&
          strstr (line->text, titles[HIDDEN_BOOK]) != NULL)
        found = TRUE;
    }
  g_assert_true (found);
}

/* The stack: thin books lying flat at the end of the row, behind empty shelf. Their titles
 * stand about 25 px high, 8 px in the upright pass (1200 px across): the sideways passes catch
 * some of them as columns (is_vertical_reading), but not the light one, "HORIZON", which only
 * the re-read of lying regions reads (2 of 3 without it). */
static const char *stacked_titles[] = { "GRAVITY", "HORIZON", "MERIDIAN" };

#define STACK_CENTRE_X  3500
#define STACK_ALONG     640
#define STACK_ACROSS    70

static GBytes *
draw_stack (GError **error)
{
  BiTestBook books[6 + G_N_ELEMENTS (stacked_titles)];
  int board = BOARD_TOP;
  g_autoptr (PIX) pix = NULL;

  for (guint i = 0; i < 6; i++)
    books[i] = (BiTestBook) { { titles[i], NULL, i % 2 ? 0xa8c8e8 : 0xe8c872, 0x202020, 90 },
                              200 + BOOK_STEP * i, BOARD_TOP - BOOK_ALONG / 2.0, BOOK_ACROSS,
                              BOOK_ALONG, 0 };
  for (guint i = 0; i < G_N_ELEMENTS (stacked_titles); i++)
    books[6 + i] = (BiTestBook) { { stacked_titles[i], NULL, i % 2 ? 0xd8d0c0 : 0x304878,
                                    i % 2 ? 0x202020 : 0xf4f4f4, 90 },
                                  STACK_CENTRE_X, BOARD_TOP - STACK_ACROSS * (i + 0.5),
                                  STACK_ACROSS, STACK_ALONG, i == 1 ? 91 : 89.5 };
  pix = bi_test_image_draw_books (books, G_N_ELEMENTS (books), &board, 1, BOARD_HEIGHT,
                                  PHOTO_WIDTH, PHOTO_HEIGHT);
  g_assert_nonnull (pix);
  return bi_test_image_encode (pix, "png", error);
}

static void
test_stacked_titles (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) photo = draw_stack (&error);
  g_autoptr (BiOcrResult) result = NULL;
  guint found = 0;

  g_assert_no_error (error);
  result = bi_tesseract_engine_recognize (engine, photo, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (stacked_titles); i++)
    for (guint j = 0; j < result->lines->len; j++)
      {
        const BiOcrLine *line = g_ptr_array_index (result->lines, j);
        int middle_y = line->y + line->height / 2;

        if (i == 0)
          g_test_message ("[%d] %.2f %g° [%d,%d %d×%d] “%s”", line->region, line->confidence,
                          (double) line->angle, line->x, line->y, line->width, line->height,
                          line->text);
        if (ABS (middle_y - (BOARD_TOP - STACK_ACROSS * (i + 0.5))) < STACK_ACROSS / 2 &&
            line->angle == 0 && strstr (line->text, stacked_titles[i]) != NULL)
          {
            found++;
            break;
          }
      }
  g_test_message ("%u of %u stacked titles read", found, (guint) G_N_ELEMENTS (stacked_titles));
  g_assert_cmpuint (found, ==, G_N_ELEMENTS (stacked_titles));
}

/* Pale type beside black type on a white spine (an orange title beside its author): one map
 * of the strip takes the black for its ink and leaves the pale type pale; tile by tile
 * (BI_SPINE_TONES_LOCAL) it comes out much darker, and the white stays white. */
static void
test_local_tones (void)
{
  g_autoptr (PIX) stretched = pixCreate (60, 600, 8);
  g_autoptr (PIX) local = NULL;
  g_autoptr (BOX) black = boxCreate (20, 60, 20, 120);
  g_autoptr (BOX) pale = boxCreate (20, 360, 20, 120);
  l_uint32 pale_stretched = 0, pale_local = 0, paper_local = 0;

  pixSetAllArbitrary (stretched, 245);
  pixSetInRectArbitrary (stretched, black, 20);
  /* Strokes of pale type: 6 px bars 6 px apart. */
  for (int y = 360; y < 480; y += 12)
    {
      g_autoptr (BOX) stroke = boxCreate (20, y, 20, 6);

      pixSetInRectArbitrary (stretched, stroke, 190);
    }
  local = pixCopy (NULL, stretched);
  g_assert_true (bi_spine_contrast_map_by (stretched, stretched, BI_SPINE_INK_DARK,
                                           BI_SPINE_TONES_STRETCHED));
  g_assert_true (bi_spine_contrast_map_by (local, local, BI_SPINE_INK_DARK,
                                           BI_SPINE_TONES_LOCAL));
  pixGetPixel (stretched, 30, 362, &pale_stretched);
  pixGetPixel (local, 30, 362, &pale_local);
  pixGetPixel (local, 5, 300, &paper_local);
  g_test_message ("pale type: %u stretched, %u locally; paper %u locally", pale_stretched,
                  pale_local, paper_local);
  g_assert_cmpuint (pale_stretched, >, 150);
  g_assert_cmpuint (pale_local + 40, <, pale_stretched);
  g_assert_cmpuint (paper_local, >, 200);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr (GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  engine = bi_tesseract_engine_new (NULL, &error);
  g_assert_no_error (error);

  g_test_add_func ("/bookimg/ocr/spine-contrast/tails", test_tails);
  g_test_add_func ("/bookimg/ocr/spine-contrast/binarise-towards-ink", test_binarise_towards_ink);
  g_test_add_func ("/bookimg/ocr/spine-contrast/binarise-both", test_binarise_both);
  g_test_add_func ("/bookimg/ocr/spine-contrast/map-by-sample", test_map_by_sample);
  g_test_add_func ("/bookimg/ocr/spine-contrast/stretch-keeps-levels-between",
                   test_stretch_keeps_levels_between);
  g_test_add_func ("/bookimg/ocr/spine-contrast/book-rows", test_book_rows);
  g_test_add_func ("/bookimg/ocr/spine-contrast/local-tones", test_local_tones);
  g_test_add_func ("/bookimg/ocr/spine-contrast/hidden-light-title", test_hidden_light_title);
  g_test_add_func ("/bookimg/ocr/spine-contrast/stacked-titles", test_stacked_titles);
  status = g_test_run ();

  bi_tesseract_engine_free (engine);
  return status;
}
