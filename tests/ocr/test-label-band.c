/* test-label-band.c — a library shelf's call-number labels are found and read again, and
 * nothing else costs a label pass
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "bi-label-band.h"
#include "bi-tesseract-engine.h"
#include "bi-test-images.h"

/* Large enough to be read reduced (the sideways passes read 2048 px), so that small labels
 * are lost there as on a 12 MP photo. */
#define PHOTO_WIDTH   4000
#define PHOTO_HEIGHT  1300
#define BOARD_TOP     1200
#define BOARD_HEIGHT  60
#define BOOK_ALONG    1000
#define BOOK_ACROSS   150
#define BOOK_STEP     440

/* Label sizes: two large enough to be read at half size (they make the photo a library
 * shelf), the rest only at full size. */
#define LARGE_LABEL   46
#define SMALL_LABEL   20

/* Tesseract takes a while to load its models: one engine serves every test of this process. */
static BiTesseractEngine *engine;

/* Short titles, so that a gap as long as they are parts each from its label, as on a real
 * spine (the upright pass reads a title and a label run together as one column). */
static const char *titles[] = { "DUNE", "EMMA", "WALDEN", "BELOVED", "REBECCA", "ULYSSES",
                                "DRACULA", "HAMLET" };

static const char *call_numbers[] = { "796.34 Cas", "796.355 Pin", "796.4 Sal", "N 833 Par",
                                      "N Pam", "796.422 Pul", "796(03) Dic", "325 Ken" };

/* ---- the recogniser ----------------------------------------------------------------------- */

static void
test_call_number (void)
{
  const char *labels[] = { "796.34 Cas", "796(03) Dic", "N Pam", "N 833 Par", "JN Gri",
                           "796.422 Pul", "821.111-3 Sha" };
  const char *others[] = { "1000 juegos", "42 motius", "THE HOBBIT", "1984", "796 ESPORTS",
                           "Pam", "796.34", "796.34 Cas 12", "Dune", "" };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    {
      g_test_message ("“%s” is a call number", labels[i]);
      g_assert_true (bi_label_band_is_call_number (labels[i]));
    }
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    {
      g_test_message ("“%s” is not a call number", others[i]);
      g_assert_false (bi_label_band_is_call_number (others[i]));
    }

  /* A speck read before a label is not part of it; the longer reading holds more of it. */
  g_assert_cmpuint (bi_label_band_call_number_length ("4: 796.325 Ken"), ==,
                    strlen ("796.325 Ken"));
  g_assert_cmpuint (bi_label_band_call_number_length ("325 Ken"), ==, strlen ("325 Ken"));
  g_assert_cmpuint (bi_label_band_call_number_length ("N 833 Par"), ==, strlen ("N 833 Par"));
  g_assert_cmpuint (bi_label_band_call_number_length ("THE HOBBIT"), ==, 0);
}

/* ---- the bands ---------------------------------------------------------------------------- */

/* Two rows of three spines; labels read on the lower row's spines only. */
static BiOcrResult *
two_rows (guint n_labels)
{
  BiOcrResult *result = bi_ocr_result_new (1000, 1000);

  for (int row = 0; row < 2; row++)
    for (int i = 0; i < 3; i++)
      {
        BiOcrRegion region = { 100 + 60 * i, 50 + 500 * row, 50, 400, 0, BI_OCR_REGION_SPINE };

        g_array_append_val (result->regions, region);
      }
  for (guint i = 0; i < n_labels; i++)
    {
      BiOcrLine *line = bi_ocr_line_new (call_numbers[i], 0.9, 110 + 60 * i, 800 + 10 * i, 20, 80,
                                         90);

      line->region = 3 + i;
      g_ptr_array_add (result->lines, line);
    }
  /* A title is no label, wherever it stands. */
  g_ptr_array_add (result->lines, bi_ocr_line_new ("MIDDLEMARCH", 0.95, 110, 100, 20, 300, 90));
  ((BiOcrLine *) g_ptr_array_index (result->lines, n_labels))->region = 0;
  return result;
}

static void
test_bands (void)
{
  g_autoptr (BiOcrResult) library = two_rows (2);
  g_autoptr (BiOcrResult) one_label = two_rows (1);
  g_autoptr (GArray) bands = bi_label_band_find (library);
  g_autoptr (GArray) none = bi_label_band_find (one_label);
  BiPixelBox upper, lower;

  g_assert_cmpuint (none->len, ==, 0);
  g_assert_cmpuint (bands->len, ==, 2);
  upper = g_array_index (bands, BiPixelBox, 0);
  lower = g_array_index (bands, BiPixelBox, 1);

  /* The row with labels: around them, by a label's length. */
  g_assert_cmpint (lower.y, ==, 800 - 80);
  g_assert_cmpint (lower.y + lower.height, ==, 890 + 80);
  g_assert_cmpint (lower.x, ==, 100);
  g_assert_cmpint (lower.x + lower.width, ==, 270);
  /* The row without: the lower part of its spines, bottom included, top not. */
  g_assert_cmpint (upper.y + upper.height, ==, 450);
  g_assert_cmpint (upper.y, >, 250);
  g_assert_cmpint (upper.y, <, 400);
  g_assert_cmpint (bi_label_band_main_turn (library), ==, 1);
}

/* ---- the engine on a drawn shelf ---------------------------------------------------------- */

/* A shadow over books 3 to 5 (a neighbour's, or the shelf above), darkening them to this
 * share of their light: their white labels come out darker than the spines in the light. */
#define SHADOW_LEFT   1300
#define SHADOW_WIDTH  1400
#define SHADOW_LIGHT  0.2

/* Books 3 and 5 near black with light titles when draw_shelf() is asked for dark spines.
 * (Books 2 and 4 so drawn are found as stacks with the wall beside them, whose labels no
 * pass takes for a standing spine's.) */
#define IS_DARK_BOOK(i) ((i) == 3 || (i) == 5)

/* One row of books, the last two standing the other way, with labels when @labelled, books 3
 * to 5 in a shadow when @shadowed, and books IS_DARK_BOOK names near black when @dark. */
static GBytes *
draw_shelf (gboolean  labelled,
            gboolean  shadowed,
            gboolean  dark,
            GError  **error)
{
  BiTestBook books[G_N_ELEMENTS (titles)];
  BiTestLabel labels[G_N_ELEMENTS (titles)];
  int board = BOARD_TOP;
  g_autoptr (PIX) pix = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    {
      /* Light spines: Tesseract 5.3 reads no label on a near-black one, even alone on a
       * page (a white box in black, measured), unlike the textured spines of real photos. */
      books[i] = (BiTestBook) { { titles[i], NULL, i % 2 ? 0xa8c8e8 : 0xe8c872, 0x202020,
                                  i < 6 ? 90 : 270 },
                                200 + BOOK_STEP * i, BOARD_TOP - BOOK_ALONG / 2.0, BOOK_ACROSS,
                                BOOK_ALONG, 0 };
      if (dark && IS_DARK_BOOK (i))
        {
          books[i].spine.background = 0x1c1e22;
          books[i].spine.foreground = 0xeeeeee;
        }
      labels[i] = (BiTestLabel) { call_numbers[i], i < 2 ? LARGE_LABEL : SMALL_LABEL };
    }
  pix = bi_test_image_draw_library_books (books, labelled ? labels : NULL, G_N_ELEMENTS (books),
                                          &board, 1, BOARD_HEIGHT, PHOTO_WIDTH, PHOTO_HEIGHT);
  g_assert_nonnull (pix);
  if (shadowed)
    {
      g_autoptr (BOX) box = boxCreate (SHADOW_LEFT, 0, SHADOW_WIDTH, PHOTO_HEIGHT);
      g_autoptr (PIX) lit = pixClipRectangle (pix, box, NULL);
      g_autoptr (PIX) shade = NULL;

      g_assert_nonnull (lit);
      shade = pixMultConstantColor (lit, SHADOW_LIGHT, SHADOW_LIGHT, SHADOW_LIGHT);
      g_assert_nonnull (shade);
      pixRasterop (pix, SHADOW_LEFT, 0, SHADOW_WIDTH, PHOTO_HEIGHT, PIX_SRC, shade, 0, 0);
    }
  return bi_test_image_encode (pix, "png", error);
}

/* The region holding the middle of book @i, or -1. */
static int
region_of_book (const BiOcrResult *result,
                guint              i)
{
  int x = 200 + BOOK_STEP * i, y = BOARD_TOP - BOOK_ALONG / 2;

  for (guint r = 0; r < result->regions->len; r++)
    {
      const BiOcrRegion *region = &g_array_index (result->regions, BiOcrRegion, r);

      if (x >= region->x && x < region->x + region->width && y >= region->y &&
          y < region->y + region->height)
        return (int) r;
    }
  return -1;
}

static gboolean
region_holds (const BiOcrResult *result,
              int                region,
              const char        *text)
{
  for (guint j = 0; j < result->lines->len; j++)
    {
      const BiOcrLine *line = g_ptr_array_index (result->lines, j);

      if (line->region == region && strstr (line->text, text) != NULL)
        return TRUE;
    }
  return FALSE;
}

/* Every label (only those in the shadow when @shadowed) is read whole, as one line, in the
 * region of its spine: the small ones only by the label pass, on @dark spines only read
 * alone. */
static void
check_library_shelf (gboolean shadowed,
                     gboolean dark)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) photo = draw_shelf (TRUE, shadowed, dark, &error);
  g_autoptr (BiOcrResult) result = NULL;

  g_assert_no_error (error);
  result = bi_tesseract_engine_recognize (engine, photo, &error);
  g_assert_no_error (error);

  for (guint j = 0; j < result->lines->len; j++)
    {
      const BiOcrLine *line = g_ptr_array_index (result->lines, j);

      g_test_message ("[%d] %.2f %g° [%d,%d %d×%d] “%s”", line->region, line->confidence,
                      line->angle, line->x, line->y, line->width, line->height, line->text);
    }
  g_assert_cmpuint (bi_tesseract_engine_get_n_label_bands (engine), ==, 1);
  for (guint i = 0; i < G_N_ELEMENTS (titles); i++)
    {
      int region = region_of_book (result, i);
      int middle = 200 + BOOK_STEP * i;

      if (shadowed && (middle < SHADOW_LEFT || middle >= SHADOW_LEFT + SHADOW_WIDTH))
        continue;

      g_test_message ("looking for “%s” in region %d", call_numbers[i], region);
      g_assert_cmpint (region, >=, 0);
      g_assert_true (region_holds (result, region, call_numbers[i]));
    }
}

static void
test_library_shelf (void)
{
  check_library_shelf (FALSE, FALSE);
}

/* Small labels on near-black spines: a white patch in a black band, which Tesseract's layout
 * analysis takes for a picture (nothing read in the band); cut out tight, each is read. */
static void
test_dark_shelf (void)
{
  check_library_shelf (FALSE, TRUE);
}

/* The labels in the shadow are darker than the spines in the light: the band's one threshold
 * (Otsu's) turns them into dark slabs, and only the reading with a local threshold (Sauvola's)
 * reads them. Only they are checked: the other turn's pass, with Otsu's threshold and
 * PSM_AUTO, reads nothing in this band (the band as one block), with or without it. */
static void
test_shadowed_shelf (void)
{
  check_library_shelf (TRUE, FALSE);
}

/* The same shelf without labels: no label pass. */
static void
test_plain_shelf (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) photo = draw_shelf (FALSE, FALSE, FALSE, &error);
  g_autoptr (BiOcrResult) result = NULL;

  g_assert_no_error (error);
  result = bi_tesseract_engine_recognize (engine, photo, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (result->lines->len, >, 0);
  g_assert_cmpuint (bi_tesseract_engine_get_n_label_bands (engine), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bookimg/ocr/label-band/call-number", test_call_number);
  g_test_add_func ("/bookimg/ocr/label-band/bands", test_bands);
  g_test_add_func ("/bookimg/ocr/label-band/library-shelf", test_library_shelf);
  g_test_add_func ("/bookimg/ocr/label-band/shadowed-shelf", test_shadowed_shelf);
  g_test_add_func ("/bookimg/ocr/label-band/dark-shelf", test_dark_shelf);
  g_test_add_func ("/bookimg/ocr/label-band/plain-shelf", test_plain_shelf);

  engine = bi_tesseract_engine_new (NULL, &error);
  g_assert_no_error (error);
  status = g_test_run ();
  bi_tesseract_engine_free (engine);
  return status;
}
