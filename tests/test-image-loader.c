/* test-image-loader.c — decoding, EXIF orientation, grey and reduction of uploaded photos
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "bi-image-header.h"
#include "bi-image-loader.h"
#include "bi-stages.h"
#include "bi-test-images.h"

/* Grey levels of the four quadrants of the orientation pattern: one black corner on white.
 * Each of the eight orientations stores that corner in a different place (with the size, that
 * tells them all apart), and black on white survives JPEG and the loader's local contrast
 * normalisation unchanged, where intermediate greys would not. */
static const guint8 quadrant_levels[4] = { 0, 255, 255, 255 }; /* top left, top right, bottom left, bottom right */

#define PATTERN_WIDTH  64
#define PATTERN_HEIGHT 40
#define LEVEL_TOLERANCE 30

/* A picture that looks different under each of the eight orientations. */
static PIX *
draw_quadrant_pattern (void)
{
  PIX *pix = pixCreate (PATTERN_WIDTH, PATTERN_HEIGHT, 8);

  for (int y = 0; y < PATTERN_HEIGHT; y++)
    for (int x = 0; x < PATTERN_WIDTH; x++)
      {
        int quadrant = (y >= PATTERN_HEIGHT / 2) * 2 + (x >= PATTERN_WIDTH / 2);

        pixSetPixel (pix, x, y, quadrant_levels[quadrant]);
      }
  return pix;
}

static void
assert_quadrant_pattern (PIX *grey)
{
  g_assert_cmpint (pixGetWidth (grey), ==, PATTERN_WIDTH);
  g_assert_cmpint (pixGetHeight (grey), ==, PATTERN_HEIGHT);

  for (int quadrant = 0; quadrant < 4; quadrant++)
    {
      /* The centre of each quadrant, away from the edges JPEG blurs. */
      int x = (quadrant % 2) * PATTERN_WIDTH / 2 + PATTERN_WIDTH / 4;
      int y = (quadrant / 2) * PATTERN_HEIGHT / 2 + PATTERN_HEIGHT / 4;
      l_uint32 value = 0;

      pixGetPixel (grey, x, y, &value);
      g_assert_cmpint (ABS ((int) value - quadrant_levels[quadrant]), <=, LEVEL_TOLERANCE);
    }
}

static BiLoadedImage *
load_successfully (GBytes *data,
                   int     max_side)
{
  g_autoptr (GError) error = NULL;
  BiLoadedImage *image = bi_image_loader_load (data, max_side, &error);

  g_assert_no_error (error);
  g_assert_nonnull (image);
  g_assert_cmpint (pixGetDepth (image->grey), ==, 8);
  g_assert_null (pixGetColormap (image->grey));
  return image;
}

static void
assert_permanent_failure (GBytes *data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BiLoadedImage) image = bi_image_loader_load (data, 0, &error);

  g_assert_null (image);
  g_assert_error (error, BI_STAGE_ERROR, BI_STAGE_ERROR_PERMANENT);
  g_assert_nonnull (strstr (error->message, "upload"));
}

static GBytes *
encode_or_fail (PIX        *pix,
                const char *format)
{
  g_autoptr (GError) error = NULL;
  GBytes *data = bi_test_image_encode (pix, format, &error);

  g_assert_no_error (error);
  return data;
}

/* ---- formats ---------------------------------------------------------------------------- */

static void
test_formats (void)
{
  static const struct { const char *format, *content_type; } cases[] = {
    { "png", "image/png" },
    { "jpeg", "image/jpeg" },
    { "tiff", "image/tiff" },
    { "webp", "image/webp" },
  };
  g_autoptr (PIX) cover = bi_test_image_draw_cover ("EMMA", "JANE AUSTEN", 120, 160);
  g_autoptr (PIX) pattern = draw_quadrant_pattern ();
  g_autoptr (PIX) pattern_rgb = pixConvert8To32 (pattern);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GBytes) cover_data = encode_or_fail (cover, cases[i].format);
      g_autoptr (GBytes) pattern_data = encode_or_fail (pattern_rgb, cases[i].format);
      g_autoptr (BiLoadedImage) cover_image = load_successfully (cover_data, 0);
      g_autoptr (BiLoadedImage) pattern_image = load_successfully (pattern_data, 0);

      g_test_message ("%s: %" G_GSIZE_FORMAT " bytes", cases[i].format, g_bytes_get_size (cover_data));
      g_assert_cmpstr (cover_image->content_type, ==, cases[i].content_type);
      g_assert_cmpint (cover_image->width, ==, 120);
      g_assert_cmpint (cover_image->height, ==, 160);
      g_assert_cmpint (cover_image->orientation, ==, 1);
      g_assert_cmpfloat (cover_image->scale, ==, 1.0);
      assert_quadrant_pattern (pattern_image->grey);
    }
}

/* An 8-bit picture with a palette is read as the palette's grey levels, not its indices: only
 * a plain 8-bit grey picture is kept as decoded (convert_to_grey). */
static void
test_palette (void)
{
  g_autoptr (PIX) indexed = pixCreate (100, 100, 8);
  PIXCMAP *palette = pixcmapCreate (8);
  g_autoptr (GBytes) data = NULL;
  g_autoptr (BiLoadedImage) image = NULL;
  BOX *dark = boxCreate (20, 20, 30, 60);
  l_uint32 background = 0, ink = 0;

  pixcmapAddColor (palette, 255, 255, 255); /* index 0 */
  pixcmapAddColor (palette, 0, 0, 0);       /* index 1 */
  pixSetColormap (indexed, palette);
  pixSetInRectArbitrary (indexed, dark, 1);
  boxDestroy (&dark);
  data = encode_or_fail (indexed, "png");
  image = load_successfully (data, 0);

  g_assert_cmpint (pixGetDepth (image->grey), ==, 8);
  g_assert_null (pixGetColormap (image->grey));
  pixGetPixel (image->grey, 80, 80, &background);
  pixGetPixel (image->grey, 35, 50, &ink);
  g_assert_cmpuint (background, >=, 245);
  g_assert_cmpuint (ink, <=, 10);
}

/* A dim, hazy photo is stretched to the full grey range before OCR. */
static void
test_contrast_is_stretched (void)
{
  g_autoptr (PIX) dim = pixCreate (100, 100, 8);
  g_autoptr (GBytes) data = NULL;
  g_autoptr (BiLoadedImage) image = NULL;
  BOX *bright = boxCreate (20, 20, 30, 60);
  l_int32 low = 0, high = 0;

  pixSetAllArbitrary (dim, 100);
  pixSetInRectArbitrary (dim, bright, 160);
  boxDestroy (&bright);
  data = encode_or_fail (dim, "png");
  image = load_successfully (data, 0);

  pixGetExtremeValue (image->grey, 1, L_SELECT_MIN, NULL, NULL, NULL, &low);
  pixGetExtremeValue (image->grey, 1, L_SELECT_MAX, NULL, NULL, NULL, &high);
  g_assert_cmpint (low, <=, 10);
  g_assert_cmpint (high, >=, 245);
}

/* ---- EXIF orientation ------------------------------------------------------------------- */

static void
test_exif_orientations (void)
{
  g_autoptr (PIX) upright = draw_quadrant_pattern ();

  for (int orientation = 1; orientation <= 8; orientation++)
    for (int big_endian = 0; big_endian <= 1; big_endian++)
      {
        g_autoptr (PIX) stored = bi_test_image_store_for_orientation (upright, orientation);
        g_autoptr (GBytes) plain = encode_or_fail (stored, "jpeg");
        g_autoptr (GError) error = NULL;
        g_autoptr (GBytes) tagged = bi_test_image_add_exif_orientation_full (plain, orientation, big_endian, &error);
        g_autoptr (BiLoadedImage) image = NULL;
        gsize length = 0;
        const guint8 *bytes = NULL;

        g_assert_no_error (error);
        bytes = g_bytes_get_data (tagged, &length);
        g_test_message ("orientation %d, %s", orientation, big_endian ? "big-endian" : "little-endian");
        g_assert_cmpint (bi_image_exif_orientation (bytes, length), ==, orientation);

        image = load_successfully (tagged, 0);
        g_assert_cmpint (image->orientation, ==, orientation);
        g_assert_cmpint (image->width, ==, PATTERN_WIDTH);
        g_assert_cmpint (image->height, ==, PATTERN_HEIGHT);
        assert_quadrant_pattern (image->grey);
      }
}

/* The loader's turns and flips, pixel for pixel, against the helper written from the
 * specification: showing what a camera stores for each orientation gives the upright picture. */
static void
test_apply_orientation (void)
{
  g_autoptr (PIX) upright = pixCreate (7, 5, 8);

  /* Every pixel different: any misplaced pixel shows. */
  for (int y = 0; y < 5; y++)
    for (int x = 0; x < 7; x++)
      pixSetPixel (upright, x, y, y * 7 + x);

  for (int orientation = 1; orientation <= 8; orientation++)
    {
      g_autoptr (PIX) stored = bi_test_image_store_for_orientation (upright, orientation);
      g_autoptr (PIX) shown = bi_image_loader_apply_orientation (stored, orientation);
      l_int32 same = FALSE;

      g_test_message ("orientation %d", orientation);
      g_assert_cmpint (pixGetWidth (stored), ==, orientation >= 5 ? 5 : 7);
      pixEqual (shown, upright, &same);
      g_assert_true (same);
    }
}

/* Without Exif, stored pixels are shown as they are — even when stored sideways. */
static void
test_exif_absent (void)
{
  g_autoptr (PIX) upright = draw_quadrant_pattern ();
  g_autoptr (PIX) stored = bi_test_image_store_for_orientation (upright, 6);
  g_autoptr (GBytes) plain = encode_or_fail (stored, "jpeg");
  g_autoptr (BiLoadedImage) image = load_successfully (plain, 0);

  g_assert_cmpint (image->orientation, ==, 1);
  g_assert_cmpint (image->width, ==, PATTERN_HEIGHT);
  g_assert_cmpint (image->height, ==, PATTERN_WIDTH);
}

/* An XMP APP1 segment before the Exif one must not hide it. */
static void
test_exif_after_other_app1 (void)
{
  static const char xmp[] = "http://ns.adobe.com/xap/1.0/\0<x:xmpmeta/>";
  g_autoptr (PIX) upright = draw_quadrant_pattern ();
  g_autoptr (PIX) stored = bi_test_image_store_for_orientation (upright, 8);
  g_autoptr (GBytes) plain = encode_or_fail (stored, "jpeg");
  g_autoptr (GBytes) with_exif = bi_test_image_add_exif_orientation (plain, 8, NULL);
  /* Inserted after APP0 too, so it lands before the Exif segment. */
  g_autoptr (GBytes) with_xmp = bi_test_image_insert_app1 (with_exif, (const guint8 *) xmp, sizeof xmp, NULL);
  g_autoptr (BiLoadedImage) image = load_successfully (with_xmp, 0);

  g_assert_cmpint (image->orientation, ==, 8);
  assert_quadrant_pattern (image->grey);
}

static GBytes *
jpeg_with_app1 (GBytes       *plain,
                const guint8 *payload,
                gsize         length)
{
  g_autoptr (GError) error = NULL;
  GBytes *jpeg = bi_test_image_insert_app1 (plain, payload, length, &error);

  g_assert_no_error (error);
  return jpeg;
}

/* Reads the orientation of @payload as an APP1 segment, and decodes the whole JPEG: neither may
 * crash or read out of bounds (run under valgrind or ASan to see the latter), the orientation
 * must be a real one, and the photo still loads. */
static int
read_hostile (GBytes       *plain,
              const guint8 *payload,
              gsize         length)
{
  g_autoptr (GBytes) jpeg = jpeg_with_app1 (plain, payload, length);
  g_autoptr (BiLoadedImage) image = load_successfully (jpeg, 0);
  gsize jpeg_length = 0;
  const guint8 *bytes = g_bytes_get_data (jpeg, &jpeg_length);
  /* A copy of exactly the payload's size: a reader that runs past it touches freed memory's
   * neighbour, which MALLOC_CHECK_ and the sanitizers catch. */
  g_autofree guint8 *exact = g_memdup2 (bytes, jpeg_length);
  int orientation = bi_image_exif_orientation (exact, jpeg_length);

  g_assert_cmpint (orientation, >=, 1);
  g_assert_cmpint (orientation, <=, 8);
  g_assert_cmpint (image->orientation, ==, orientation);
  return orientation;
}

static void
put_u32_le (GByteArray *payload,
            gsize       offset,
            guint32     value)
{
  g_assert_cmpuint (offset + 4, <=, payload->len);
  for (int i = 0; i < 4; i++)
    payload->data[offset + i] = (value >> (8 * i)) & 0xff;
}

static void
put_u16_le (GByteArray *payload,
            gsize       offset,
            guint       value)
{
  g_assert_cmpuint (offset + 2, <=, payload->len);
  payload->data[offset] = value & 0xff;
  payload->data[offset + 1] = (value >> 8) & 0xff;
}

/* Offsets inside the little-endian payload of bi_test_image_build_exif_payload. */
#define TIFF_START          6
#define IFD0_OFFSET_FIELD   (TIFF_START + 4)
#define IFD0_COUNT_FIELD    (TIFF_START + 8)
#define ENTRY_TYPE_FIELD    (TIFF_START + 12)
#define ENTRY_COUNT_FIELD   (TIFF_START + 14)
#define ENTRY_VALUE_FIELD   (TIFF_START + 18)
#define NEXT_IFD_FIELD      (TIFF_START + 22)

static void
test_exif_hostile (void)
{
  g_autoptr (PIX) upright = draw_quadrant_pattern ();
  g_autoptr (GBytes) plain = encode_or_fail (upright, "jpeg");
  g_autoptr (GByteArray) valid = bi_test_image_build_exif_payload (6, FALSE);

  g_assert_cmpint (read_hostile (plain, valid->data, valid->len), ==, 6);

  /* Cut at every length: a segment that ends before its IFD entry ends has no orientation. */
  for (guint length = 0; length < valid->len; length++)
    {
      int orientation = read_hostile (plain, valid->data, length);

      g_assert_cmpint (orientation, ==, length >= ENTRY_VALUE_FIELD + 4 ? 6 : 1);
    }

  /* Each damage, on its own copy of a valid payload. */
  for (int damage = 0; damage < 9; damage++)
    {
      g_autoptr (GByteArray) payload = bi_test_image_build_exif_payload (6, FALSE);
      int expected = 1;

      switch (damage)
        {
        case 0: put_u32_le (payload, IFD0_OFFSET_FIELD, 0xfffffff0); break;   /* far outside */
        case 1: put_u32_le (payload, IFD0_OFFSET_FIELD, payload->len - TIFF_START - 1); break; /* count straddles the end */
        case 2: put_u32_le (payload, IFD0_OFFSET_FIELD, 0); break;            /* IFD inside the header */
        case 3: put_u16_le (payload, IFD0_COUNT_FIELD, 0xffff); expected = 6; break; /* claims more entries than exist: the first still counts */
        case 4: put_u16_le (payload, ENTRY_TYPE_FIELD, 4); break;             /* LONG, not SHORT */
        case 5: put_u32_le (payload, ENTRY_COUNT_FIELD, 0x7fffffff); break;   /* an array, not one value */
        case 6: put_u16_le (payload, ENTRY_VALUE_FIELD, 9); break;            /* no such orientation */
        case 7: put_u32_le (payload, NEXT_IFD_FIELD, 8); expected = 6; break; /* IFD1 loops back to IFD0 */
        case 8: payload->data[TIFF_START + 2] = 0; break;                     /* not TIFF's 42 */
        default: g_assert_not_reached ();
        }

      g_test_message ("damage %d", damage);
      g_assert_cmpint (read_hostile (plain, payload->data, payload->len), ==, expected);
    }
}

/* Segment lengths that lie: the marker walk must neither stall nor run off the end. */
static void
test_exif_bad_segments (void)
{
  static const guint8 zero_length[] = { 0xff, 0xd8, 0xff, 0xe1, 0x00, 0x00, 'E', 'x', 'i', 'f' };
  static const guint8 one_length[] = { 0xff, 0xd8, 0xff, 0xe1, 0x00, 0x01, 'E', 'x', 'i', 'f' };
  static const guint8 past_end[] = { 0xff, 0xd8, 0xff, 0xe1, 0xff, 0xff, 'E', 'x', 'i', 'f', 0, 0 };
  static const guint8 fill_bytes[] = { 0xff, 0xd8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
  static const guint8 not_a_marker[] = { 0xff, 0xd8, 0x12, 0x34, 0x00, 0x10 };
  static const guint8 restart_markers[] = { 0xff, 0xd8, 0xff, 0xd0, 0xff, 0x01, 0xff, 0xd9 };
  static const guint8 png_signature[] = { 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a };
  static const struct { const guint8 *data; gsize length; } cases[] = {
    { zero_length, sizeof zero_length }, { one_length, sizeof one_length },
    { past_end, sizeof past_end }, { fill_bytes, sizeof fill_bytes },
    { not_a_marker, sizeof not_a_marker }, { restart_markers, sizeof restart_markers },
    { png_signature, sizeof png_signature },
  };

  g_assert_cmpint (bi_image_exif_orientation (NULL, 0), ==, 1);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree guint8 *exact = g_memdup2 (cases[i].data, cases[i].length);

      for (gsize length = 0; length <= cases[i].length; length++)
        g_assert_cmpint (bi_image_exif_orientation (exact, length), ==, 1);
    }
}

/* Random damage to the header of a tagged JPEG (seeded by the test harness: rerun a failure
 * with its --seed). Whatever the bytes, the reader answers 1–8 and the loader an image or a
 * permanent error. */
static void
test_exif_random_damage (void)
{
  g_autoptr (PIX) upright = draw_quadrant_pattern ();
  g_autoptr (GBytes) tagged = bi_test_image_encode_oriented_jpeg (upright, 7, NULL);
  gsize length = 0;
  const guint8 *bytes = g_bytes_get_data (tagged, &length);
  guint header_length = MIN (length, 64);

  for (int round = 0; round < 300; round++)
    {
      g_autofree guint8 *damaged = g_memdup2 (bytes, length);
      g_autoptr (GBytes) data = NULL;
      g_autoptr (BiLoadedImage) image = NULL;
      g_autoptr (GError) error = NULL;
      int orientation;

      for (int flips = g_test_rand_int_range (1, 6); flips > 0; flips--)
        damaged[g_test_rand_int_range (0, header_length)] = g_test_rand_int_range (0, 256);

      orientation = bi_image_exif_orientation (damaged, length);
      g_assert_cmpint (orientation, >=, 1);
      g_assert_cmpint (orientation, <=, 8);

      data = g_bytes_new_take (g_steal_pointer (&damaged), length);
      image = bi_image_loader_load (data, 0, &error);
      g_assert_true ((image != NULL) != (error != NULL));
      if (error != NULL)
        g_assert_error (error, BI_STAGE_ERROR, BI_STAGE_ERROR_PERMANENT);
    }
}

/* ---- bad input ------------------------------------------------------------------------------ */

static void
test_garbage_is_rejected (void)
{
  g_autoptr (GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr (GBytes) text = g_bytes_new_static ("not a photo at all", 18);
  g_autoptr (GBytes) gif = g_bytes_new_static ("GIF89a\x01\x00\x01\x00\x00\x00\x00;", 14);
  guint8 noise[4096];
  g_autoptr (GBytes) random = NULL;

  for (guint i = 0; i < sizeof noise; i++)
    noise[i] = g_test_rand_int_range (0, 256);
  random = g_bytes_new (noise, sizeof noise);

  assert_permanent_failure (empty);
  assert_permanent_failure (text);
  assert_permanent_failure (gif);
  assert_permanent_failure (random);
}

/* A photo whose upload stopped halfway: never a half-grey picture, always an error. */
static void
test_truncated_is_rejected (void)
{
  static const char *formats[] = { "png", "jpeg", "tiff", "webp" };
  g_autoptr (PIX) cover = bi_test_image_draw_cover ("DUNE", "FRANK HERBERT", 160, 200);

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_autoptr (GBytes) whole = encode_or_fail (cover, formats[i]);
      gsize length = g_bytes_get_size (whole);

      /* Cut inside the header, early in the data, and just before the end. */
      gsize cuts[] = { 10, 40, length / 3, length / 2, length - 16 };

      for (guint j = 0; j < G_N_ELEMENTS (cuts); j++)
        {
          g_autoptr (GBytes) truncated = g_bytes_new_from_bytes (whole, 0, cuts[j]);

          g_test_message ("%s cut at %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT, formats[i], cuts[j], length);
          assert_permanent_failure (truncated);
        }
    }
}

/* Bad uploads must not spam the server's log with decoder chatter. */
static void
test_bad_input_is_quiet (void)
{
  if (g_test_subprocess ())
    {
      /* No text: fonts would bring their own chatter under sanitizers. */
      g_autoptr (PIX) pattern = draw_quadrant_pattern ();
      g_autoptr (PIX) photo = pixConvert8To32 (pattern);
      static const char *formats[] = { "png", "jpeg", "tiff", "webp" };

      for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
        {
          g_autoptr (GBytes) whole = encode_or_fail (photo, formats[i]);
          g_autoptr (GBytes) truncated = g_bytes_new_from_bytes (whole, 0, g_bytes_get_size (whole) / 2);

          assert_permanent_failure (truncated);
        }
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("");
}

/* A small file that claims enormous dimensions is refused before anything is allocated. */
static void
test_decompression_bomb_is_rejected (void)
{
  /* A PNG header for a 60000 × 60000 RGB picture, and nothing else. */
  static const guint8 png[] = {
    0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a,
    0x00, 0x00, 0x00, 0x0d, 'I', 'H', 'D', 'R',
    0x00, 0x00, 0xea, 0x60, 0x00, 0x00, 0xea, 0x60, 0x08, 0x02, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 'I', 'E', 'N', 'D', 0xae, 0x42, 0x60, 0x82,
  };
  g_autoptr (GBytes) data = g_bytes_new_static (png, sizeof png);
  g_autoptr (GError) error = NULL;
  g_autoptr (BiLoadedImage) image = bi_image_loader_load (data, 0, &error);

  g_assert_null (image);
  g_assert_error (error, BI_STAGE_ERROR, BI_STAGE_ERROR_PERMANENT);
  g_assert_nonnull (strstr (error->message, "60000"));
}

/* ---- reduction ---------------------------------------------------------------------------- */

static void
test_large_photos_are_reduced (void)
{
  g_autoptr (PIX) wide = bi_test_image_draw_cover ("THE HOBBIT", "TOLKIEN", 2400, 600);
  g_autoptr (GBytes) png = encode_or_fail (wide, "png");
  g_autoptr (GBytes) jpeg = bi_test_image_encode_oriented_jpeg (wide, 6, NULL);
  g_autoptr (BiLoadedImage) from_png = load_successfully (png, 512);
  g_autoptr (BiLoadedImage) from_jpeg = load_successfully (jpeg, 512);
  g_autoptr (BiLoadedImage) unreduced = load_successfully (png, 0);

  /* Sizes are the photo's; only the picture OCR reads is smaller. */
  g_assert_cmpint (from_png->width, ==, 2400);
  g_assert_cmpint (from_png->height, ==, 600);
  g_assert_cmpint (pixGetWidth (from_png->grey), ==, 512);
  g_assert_cmpfloat_with_epsilon (from_png->scale, 512.0 / 2400, 1e-3);

  /* The JPEG is stored 600 × 2400 and shown 2400 × 600; libjpeg decodes it at a quarter. */
  g_assert_cmpint (from_jpeg->width, ==, 2400);
  g_assert_cmpint (from_jpeg->height, ==, 600);
  g_assert_cmpint (pixGetWidth (from_jpeg->grey), ==, 512);
  g_assert_cmpint (ABS (pixGetHeight (from_jpeg->grey) - 128), <=, 1);

  g_assert_cmpint (pixGetWidth (unreduced->grey), ==, 2400);
  g_assert_cmpfloat (unreduced->scale, ==, 1.0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bookimg/ocr/image-loader/formats", test_formats);
  g_test_add_func ("/bookimg/ocr/image-loader/contrast-stretched", test_contrast_is_stretched);
  g_test_add_func ("/bookimg/ocr/image-loader/palette", test_palette);
  g_test_add_func ("/bookimg/ocr/image-loader/exif-orientations", test_exif_orientations);
  g_test_add_func ("/bookimg/ocr/image-loader/apply-orientation", test_apply_orientation);
  g_test_add_func ("/bookimg/ocr/image-loader/exif-absent", test_exif_absent);
  g_test_add_func ("/bookimg/ocr/image-loader/exif-after-other-app1", test_exif_after_other_app1);
  g_test_add_func ("/bookimg/ocr/image-loader/exif-hostile", test_exif_hostile);
  g_test_add_func ("/bookimg/ocr/image-loader/exif-bad-segments", test_exif_bad_segments);
  g_test_add_func ("/bookimg/ocr/image-loader/exif-random-damage", test_exif_random_damage);
  g_test_add_func ("/bookimg/ocr/image-loader/garbage", test_garbage_is_rejected);
  g_test_add_func ("/bookimg/ocr/image-loader/truncated", test_truncated_is_rejected);
  g_test_add_func ("/bookimg/ocr/image-loader/bad-input-quiet", test_bad_input_is_quiet);
  g_test_add_func ("/bookimg/ocr/image-loader/decompression-bomb", test_decompression_bomb_is_rejected);
  g_test_add_func ("/bookimg/ocr/image-loader/large-photos-reduced", test_large_photos_are_reduced);

  return g_test_run ();
}
