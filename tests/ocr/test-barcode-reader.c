/* test-barcode-reader.c — ISBN barcodes: read with the right digits, in the right region
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "bi-barcode-reader.h"
#include "bi-tesseract-engine.h"
#include "bi-test-images.h"

/* Penguin Classics' Pride and Prejudice: a real ISBN, check digit 8. */
#define GOOD_ISBN "9780141439518"
/* The same with its check digit changed. */
#define BAD_ISBN  "9780141439517"

static void
test_checksum (void)
{
  g_assert_true (bi_barcode_is_isbn13 (GOOD_ISBN));
  g_assert_true (bi_barcode_is_isbn13 ("9791032305690"));
  g_assert_false (bi_barcode_is_isbn13 (BAD_ISBN));
  /* A valid EAN-13 that is not a book (a shop's product). */
  g_assert_false (bi_barcode_is_isbn13 ("4006381333931"));
  g_assert_false (bi_barcode_is_isbn13 ("978014143951"));
  g_assert_false (bi_barcode_is_isbn13 ("97801414395188"));
  g_assert_false (bi_barcode_is_isbn13 ("978014143951x"));
  g_assert_false (bi_barcode_is_isbn13 (NULL));
}

/* A back cover: title above, ISBN barcode below, on a dark table. */
static PIX *
draw_back_cover (const char *digits)
{
  BiTestBook cover = { { "Pride and Prejudice", "Jane Austen", 0xf2ead8, 0x1a1a40, 0 },
                       400, 450, 480, 640, 0 };
  PIX *pix = bi_test_image_draw_books (&cover, 1, NULL, 0, 0, 800, 900);

  g_assert_nonnull (pix);
  g_assert_true (bi_test_image_draw_ean13 (pix, digits, 250, 560, 2, 90));
  return pix;
}

static void
test_read (void)
{
  g_autoptr (PIX) pix = draw_back_cover (GOOD_ISBN);
  g_autoptr (PIX) grey = pixConvertRGBToLuminance (pix);
  g_autoptr (GPtrArray) lines = bi_barcode_reader_read (grey);
  const BiOcrLine *line;

  g_assert_cmpuint (lines->len, ==, 1);
  line = g_ptr_array_index (lines, 0);
  g_assert_cmpstr (line->text, ==, GOOD_ISBN);
  g_assert_cmpint (line->kind, ==, BI_OCR_LINE_BARCODE);
  g_assert_cmpfloat (line->confidence, ==, 1.0);
  /* The bars start 11 modules (22 px) into the quiet zone and span 95 modules. */
  g_assert_cmpint (line->x, >=, 250 + 22 - 4);
  g_assert_cmpint (line->x + line->width, <=, 250 + 22 + 190 + 4);
  g_assert_cmpint (line->y, >=, 560 + 22 - 4);
  g_assert_cmpint (line->y + line->height, <=, 560 + 22 + 90 + 4);
}

static void
test_bad_checksum_ignored (void)
{
  g_autoptr (PIX) pix = draw_back_cover (BAD_ISBN);
  g_autoptr (PIX) grey = pixConvertRGBToLuminance (pix);
  g_autoptr (GPtrArray) lines = bi_barcode_reader_read (grey);

  g_assert_cmpuint (lines->len, ==, 0);
}

/* Through the engine: the barcode line carries the cover's region. */
static void
test_engine_region (void)
{
  g_autoptr (PIX) pix = draw_back_cover (GOOD_ISBN);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) png = bi_test_image_encode (pix, "png", &error);
  g_autoptr (BiTesseractEngine) engine = NULL;
  g_autoptr (BiOcrResult) result = NULL;
  const BiOcrLine *barcode = NULL;
  gboolean title_read = FALSE;

  g_assert_no_error (error);
  engine = bi_tesseract_engine_new ("eng", &error);
  g_assert_no_error (error);
  result = bi_tesseract_engine_recognize (engine, png, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (result->regions->len, ==, 1);
  g_assert_cmpint (g_array_index (result->regions, BiOcrRegion, 0).kind, ==, BI_OCR_REGION_COVER);
  for (guint i = 0; i < result->lines->len; i++)
    {
      const BiOcrLine *line = g_ptr_array_index (result->lines, i);

      g_test_message ("[%d] %s “%s” %.2f %g°", line->region,
                      line->kind == BI_OCR_LINE_BARCODE ? "barcode" : "text", line->text,
                      line->confidence, line->angle);
      if (line->kind == BI_OCR_LINE_BARCODE)
        barcode = line;
      else if (strstr (line->text, "Prejudice") != NULL)
        title_read = line->region == 0 && line->angle == 0;
    }
  g_assert_nonnull (barcode);
  g_assert_cmpstr (barcode->text, ==, GOOD_ISBN);
  g_assert_cmpint (barcode->region, ==, 0);
  g_assert_true (title_read);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bookimg/ocr/barcodes/checksum", test_checksum);
  g_test_add_func ("/bookimg/ocr/barcodes/read", test_read);
  g_test_add_func ("/bookimg/ocr/barcodes/bad-checksum-ignored", test_bad_checksum_ignored);
  g_test_add_func ("/bookimg/ocr/barcodes/engine-region", test_engine_region);

  return g_test_run ();
}
