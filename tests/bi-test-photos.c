/* bi-test-photos.c — photo files the desktop app's image tests decode
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "bi-test-photos.h"

#include <glib/gstdio.h>
#include <utime.h>

#include "bi-test-images.h"

/**
 * bi_test_write_photo:
 * @dir: where
 * @name: the file's name
 * @width: the photo's width
 * @height: the photo's height
 * @background_rgba: its colour, 0xRRGGBBAA
 * @spine: (nullable) (array fixed-size=4): x, y, width, height of a spine painted
 *   BI_TEST_SPINE_RGBA
 *
 * Writes a JPEG as a phone stores one (no EXIF orientation).
 *
 * Returns: (transfer full): its path
 */
char *
bi_test_write_photo (const char *dir,
                     const char *name,
                     int         width,
                     int         height,
                     guint32     background_rgba,
                     const int  *spine)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) photo = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, width, height);
  char *path = g_build_filename (dir, name, NULL);

  gdk_pixbuf_fill (photo, background_rgba);
  if (spine != NULL)
    {
      g_autoptr(GdkPixbuf) painted = gdk_pixbuf_new_subpixbuf (photo, spine[0], spine[1],
                                                               spine[2], spine[3]);

      gdk_pixbuf_fill (painted, BI_TEST_SPINE_RGBA);
    }
  gdk_pixbuf_save (photo, path, "jpeg", &error, "quality", "90", NULL);
  g_assert_no_error (error);
  return path;
}

/**
 * bi_test_write_turned_photo:
 * @dir: where
 * @name: the file's name
 * @upright: the photo as it is shown
 * @orientation: the EXIF orientation the JPEG is stored with (its pixels turned to match)
 *
 * Returns: (transfer full): its path
 */
char *
bi_test_write_turned_photo (const char *dir,
                            const char *name,
                            PIX        *upright,
                            int         orientation)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) jpeg = bi_test_image_encode_oriented_jpeg (upright, orientation, &error);
  char *path = g_build_filename (dir, name, NULL);

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (jpeg, NULL),
                                      (gssize) g_bytes_get_size (jpeg), NULL));
  return path;
}

/* Sets @path's modification time, as an edit of the photo would. */
void
bi_test_set_modified (const char *path,
                      gint64      seconds)
{
  struct utimbuf times = { .actime = (time_t) seconds, .modtime = (time_t) seconds };

  g_assert_cmpint (g_utime (path, &times), ==, 0);
}
