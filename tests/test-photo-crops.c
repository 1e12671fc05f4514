/* test-photo-crops.c — spine crops cut from the user's photo off the main thread
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Real 12-megapixel JPEGs with a red spine painted at a known place: the crop must hold the
 * spine (red in the middle) at the size asked, whether the photo is decoded whole or reduced,
 * on the background thread (which reuses the photo it decoded last) or on its own worker, and
 * for a photo stored turned with an EXIF orientation.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "bi-image-loader.h"
#include "bi-test-photos.h"
#include "bi-test-store-utils.h"

#define PHOTO_WIDTH 4000
#define PHOTO_HEIGHT 3000

typedef struct
{
  gboolean    done;
  GdkTexture *texture;
  GError     *error;
} CropWait;

static char *photos_dir;

/* ---- helpers ---- */

/* A grey 4000×3000 photo with a red spine at (x, y, width, height), as a phone stores it. */
static char *
write_photo (const char *name,
             int         x,
             int         y,
             int         width,
             int         height)
{
  const int spine[] = { x, y, width, height };

  return bi_test_write_photo (photos_dir, name, PHOTO_WIDTH, PHOTO_HEIGHT, 0x808080ff, spine);
}

static void
crop_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  CropWait *wait = user_data;

  wait->texture = bi_image_load_crop_finish (result, &wait->error);
  wait->done = TRUE;
}

static GdkTexture *
load_crop (const char          *photo,
           int                  x,
           int                  y,
           int                  width,
           int                  height,
           int                  max_size,
           BiImageLoadPriority  priority)
{
  CropWait wait = { FALSE, NULL, NULL };

  bi_image_load_crop_async (photo, x, y, width, height, max_size, priority, NULL,
                            crop_loaded_cb, &wait);
  while (!wait.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (wait.error);
  g_assert_nonnull (wait.texture);
  return wait.texture;
}

/* The colour at the texture's middle, as 0xRRGGBB. */
static guint32
middle_colour (GdkTexture *texture)
{
  int width = gdk_texture_get_width (texture);
  int height = gdk_texture_get_height (texture);
  g_autofree guchar *pixels = g_malloc ((gsize) width * (gsize) height * 4);
  const guchar *middle;

  gdk_texture_download (texture, pixels, (gsize) width * 4);
  /* cairo's ARGB32 in native order: B, G, R, A on little-endian machines */
  middle = pixels + ((gsize) (height / 2) * (gsize) width + (gsize) (width / 2)) * 4;
  return ((guint32) middle[2] << 16) | ((guint32) middle[1] << 8) | middle[0];
}

static void
assert_red (guint32 colour)
{
  g_assert_cmpuint (colour >> 16, >, 0xc0);
  g_assert_cmpuint ((colour >> 8) & 0xff, <, 0x40);
  g_assert_cmpuint (colour & 0xff, <, 0x40);
}

/* ---- tests ---- */

static void
test_reduced_crop_holds_the_spine (void)
{
  g_autofree char *photo = write_photo ("shelf.jpg", 1000, 500, 200, 2000);

  /* 2000 px tall for 320: decoded at a quarter, still taller than asked */
  for (int priority = BI_IMAGE_LOAD_NOW; priority <= BI_IMAGE_LOAD_BACKGROUND; priority++)
    {
      g_autoptr(GdkTexture) crop = load_crop (photo, 1000, 500, 200, 2000, 320, priority);

      g_assert_cmpint (gdk_texture_get_height (crop), ==, 320);
      g_assert_cmpint (gdk_texture_get_width (crop), ==, 32);
      assert_red (middle_colour (crop));
    }
  g_unlink (photo);
}

static void
test_small_box_decoded_whole (void)
{
  g_autofree char *photo = write_photo ("small.jpg", 2000, 1000, 40, 300);
  g_autoptr(GdkTexture) crop = load_crop (photo, 2000, 1000, 40, 300, 320,
                                          BI_IMAGE_LOAD_BACKGROUND);

  /* smaller than asked: shown at its own size, never blown up */
  g_assert_cmpint (gdk_texture_get_width (crop), ==, 40);
  g_assert_cmpint (gdk_texture_get_height (crop), ==, 300);
  assert_red (middle_colour (crop));
  g_unlink (photo);
}

static void
test_neighbours_from_one_decode (void)
{
  g_autofree char *photo = write_photo ("neighbours.jpg", 1000, 500, 200, 2000);
  g_autoptr(GdkTexture) red = NULL;
  g_autoptr(GdkTexture) grey = NULL;
  g_autoptr(GdkTexture) red_again = NULL;

  /* the spine, the wall beside it, the spine again: the background thread keeps the photo
   * it decoded, and each crop must still be cut at its own place */
  red = load_crop (photo, 1000, 500, 200, 2000, 320, BI_IMAGE_LOAD_BACKGROUND);
  grey = load_crop (photo, 2400, 500, 200, 2000, 320, BI_IMAGE_LOAD_BACKGROUND);
  red_again = load_crop (photo, 1000, 500, 200, 2000, 320, BI_IMAGE_LOAD_BACKGROUND);
  assert_red (middle_colour (red));
  g_assert_cmphex (middle_colour (grey) >> 16, <, 0xa0);
  g_assert_cmphex (middle_colour (grey) >> 16, >, 0x60);
  assert_red (middle_colour (red_again));
  g_unlink (photo);
}

static void
test_changed_photo_decoded_again (void)
{
  g_autofree char *photo = write_photo ("changed.jpg", 1000, 500, 200, 2000);
  g_autoptr(GdkTexture) before = load_crop (photo, 1000, 500, 200, 2000, 320,
                                            BI_IMAGE_LOAD_BACKGROUND);
  g_autoptr(GdkTexture) after = NULL;
  g_autofree char *rewritten = NULL;

  assert_red (middle_colour (before));
  /* the same name, another photo (the spine elsewhere), another modification time */
  rewritten = write_photo ("changed.jpg", 3000, 500, 200, 2000);
  bi_test_set_modified (photo, 1000000000);
  after = load_crop (photo, 1000, 500, 200, 2000, 320, BI_IMAGE_LOAD_BACKGROUND);
  g_assert_cmphex (middle_colour (after) >> 16, <, 0xa0);
  g_unlink (photo);
}

static void
test_turned_photo_cropped_upright (void)
{
  g_autoptr(PIX) upright = pixCreate (PHOTO_WIDTH, PHOTO_HEIGHT, 32);
  g_autofree char *photo = NULL;
  g_autoptr(GdkTexture) crop = NULL;

  /* upright: grey, a red spine at (1000, 500, 200, 2000); stored turned, EXIF orientation 6 */
  pixSetAllArbitrary (upright, 0x80808000);
  for (int y = 500; y < 2500; y++)
    for (int x = 1000; x < 1200; x++)
      pixSetPixel (upright, x, y, 0xe0101000);
  photo = bi_test_write_turned_photo (photos_dir, "turned.jpg", upright, 6);

  crop = load_crop (photo, 1000, 500, 200, 2000, 320, BI_IMAGE_LOAD_BACKGROUND);
  g_assert_cmpint (gdk_texture_get_height (crop), ==, 320);
  assert_red (middle_colour (crop));
  g_unlink (photo);
}

static void
test_missing_photo_fails (void)
{
  g_autofree char *missing = g_build_filename (photos_dir, "gone.jpg", NULL);
  CropWait wait = { FALSE, NULL, NULL };

  bi_image_load_crop_async (missing, 0, 0, 10, 10, 320, BI_IMAGE_LOAD_BACKGROUND, NULL,
                            crop_loaded_cb, &wait);
  while (!wait.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_null (wait.texture);
  g_assert_error (wait.error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (wait.error->message, "gone.jpg"));
  g_clear_error (&wait.error);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  photos_dir = bi_test_temp_dir_new ();
  /* thumbnails are not asked for here, but nothing may reach the user's cache */
  g_setenv ("XDG_CACHE_HOME", photos_dir, TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bookimg/gui/photo-crops/reduced-crop-holds-the-spine",
                   test_reduced_crop_holds_the_spine);
  g_test_add_func ("/bookimg/gui/photo-crops/small-box-decoded-whole",
                   test_small_box_decoded_whole);
  g_test_add_func ("/bookimg/gui/photo-crops/neighbours-from-one-decode",
                   test_neighbours_from_one_decode);
  g_test_add_func ("/bookimg/gui/photo-crops/changed-photo-decoded-again",
                   test_changed_photo_decoded_again);
  g_test_add_func ("/bookimg/gui/photo-crops/turned-photo-cropped-upright",
                   test_turned_photo_cropped_upright);
  g_test_add_func ("/bookimg/gui/photo-crops/missing-photo-fails", test_missing_photo_fails);

  status = g_test_run ();
  bi_test_temp_dir_remove (photos_dir);
  g_free (photos_dir);
  return status;
}
