/* test-thumbnail-cache.c — photo thumbnails in the freedesktop thumbnail cache
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Real JPEG photos in a temporary folder, a temporary $XDG_CACHE_HOME, and the cache entries
 * read back with gdk-pixbuf as another program of the desktop would read them.
 */
#include "config.h"

#include <glib/gstdio.h>
#include <sys/stat.h>

#include "bi-test-photos.h"
#include "bi-test-store-utils.h"
#include "bi-thumbnail-cache.h"

#define THUMBNAIL_SIZE 96   /* the app's, in the standard's "normal" (128 px) folder */

typedef struct
{
  char *dir;     /* photos and the cache home */
  char *photo;   /* a 400×200 grey JPEG */
} Fixture;

/* ---- helpers ---- */

static char *
expected_cache_path (const char *photo)
{
  g_autofree char *uri = g_filename_to_uri (photo, NULL, NULL);
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_MD5, uri, -1);
  g_autofree char *name = g_strconcat (digest, ".png", NULL);

  return g_build_filename (g_get_user_cache_dir (), "thumbnails", "normal", name, NULL);
}

static char *
mtime_text (const char *path)
{
  GStatBuf info;

  g_assert_cmpint (g_stat (path, &info), ==, 0);
  return g_strdup_printf ("%" G_GINT64_FORMAT, (gint64) info.st_mtime);
}

static guchar
first_red (GdkPixbuf *pixbuf)
{
  return gdk_pixbuf_read_pixels (pixbuf)[0];
}

/* Puts a red thumbnail with the photo's own records in the cache: only a load that reads the
 * cache can return red. */
static void
plant_red_thumbnail (const char *photo)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) red = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 128, 64);
  g_autofree char *uri = g_filename_to_uri (photo, NULL, NULL);
  g_autofree char *mtime = mtime_text (photo);
  g_autofree char *cache_path = expected_cache_path (photo);

  gdk_pixbuf_fill (red, 0xff0000ff);
  gdk_pixbuf_save (red, cache_path, "png", &error, "tEXt::Thumb::URI", uri,
                   "tEXt::Thumb::MTime", mtime, NULL);
  g_assert_no_error (error);
}

static GdkPixbuf *
load_thumbnail (const char *photo)
{
  g_autoptr(GError) error = NULL;
  GdkPixbuf *thumbnail = bi_thumbnail_cache_load (photo, THUMBNAIL_SIZE, &error);

  g_assert_no_error (error);
  g_assert_nonnull (thumbnail);
  return thumbnail;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *thumbnails = NULL;

  fixture->dir = g_strdup (g_getenv ("XDG_CACHE_HOME"));
  fixture->photo = bi_test_write_photo (fixture->dir, "shelf.jpg", 400, 200, 0x808080ff, NULL);
  thumbnails = g_build_filename (fixture->dir, "thumbnails", NULL);
  bi_test_temp_dir_remove (thumbnails);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_unlink (fixture->photo);
  g_free (fixture->photo);
  g_free (fixture->dir);
}

/* ---- tests ---- */

static void
test_writes_standard_entry (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GdkPixbuf) thumbnail = load_thumbnail (fixture->photo);
  g_autofree char *cache_path = expected_cache_path (fixture->photo);
  g_autofree char *folder = g_path_get_dirname (cache_path);
  g_autofree char *from_api = bi_thumbnail_cache_path (fixture->photo, THUMBNAIL_SIZE);
  g_autofree char *uri = g_filename_to_uri (fixture->photo, NULL, NULL);
  g_autofree char *mtime = mtime_text (fixture->photo);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) entry = NULL;
  GStatBuf info;

  /* made at the standard's size, the caller scales it down */
  g_assert_cmpint (gdk_pixbuf_get_width (thumbnail), ==, 128);
  g_assert_cmpint (gdk_pixbuf_get_height (thumbnail), ==, 64);
  g_assert_cmpstr (from_api, ==, cache_path);

  entry = gdk_pixbuf_new_from_file (cache_path, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (gdk_pixbuf_get_option (entry, "tEXt::Thumb::URI"), ==, uri);
  g_assert_cmpstr (gdk_pixbuf_get_option (entry, "tEXt::Thumb::MTime"), ==, mtime);
  g_assert_cmpint (gdk_pixbuf_get_width (entry), ==, 128);

  /* the standard: the thumbnails are the user's alone */
  g_assert_cmpint (g_stat (cache_path, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0600);
  g_assert_cmpint (g_stat (folder, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0700);
}

static void
test_reads_the_cache (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GdkPixbuf) first = load_thumbnail (fixture->photo);
  g_autoptr(GdkPixbuf) second = NULL;

  g_assert_cmpuint (first_red (first), <, 0xa0);
  plant_red_thumbnail (fixture->photo);
  second = load_thumbnail (fixture->photo);
  g_assert_cmpuint (first_red (second), ==, 0xff);
}

static void
test_changed_photo_made_again (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GdkPixbuf) first = load_thumbnail (fixture->photo);
  g_autoptr(GdkPixbuf) again = NULL;
  g_autoptr(GdkPixbuf) entry = NULL;
  g_autofree char *cache_path = expected_cache_path (fixture->photo);
  g_autofree char *mtime = NULL;

  plant_red_thumbnail (fixture->photo);
  /* the photo edited after its thumbnail was made */
  bi_test_set_modified (fixture->photo, 1000000000);
  again = load_thumbnail (fixture->photo);
  g_assert_cmpuint (first_red (again), <, 0xa0);

  mtime = mtime_text (fixture->photo);
  g_assert_cmpstr (mtime, ==, "1000000000");
  entry = gdk_pixbuf_new_from_file (cache_path, NULL);
  g_assert_nonnull (entry);
  g_assert_cmpstr (gdk_pixbuf_get_option (entry, "tEXt::Thumb::MTime"), ==, mtime);
}

static void
test_unreadable_entry_made_again (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(GdkPixbuf) first = load_thumbnail (fixture->photo);
  g_autoptr(GdkPixbuf) again = NULL;
  g_autoptr(GdkPixbuf) entry = NULL;
  g_autofree char *cache_path = expected_cache_path (fixture->photo);

  g_assert_true (g_file_set_contents (cache_path, "\x89PNG\r\n\x1a\n broken", -1, NULL));
  again = load_thumbnail (fixture->photo);
  g_assert_cmpint (gdk_pixbuf_get_width (again), ==, 128);
  entry = gdk_pixbuf_new_from_file (cache_path, NULL);
  g_assert_nonnull (entry);
}

static void
test_orientation_applied (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(PIX) upright = pixCreate (400, 200, 8);
  g_autofree char *photo = NULL;
  g_autoptr(GdkPixbuf) decoded = NULL;
  g_autoptr(GdkPixbuf) cached = NULL;

  pixSetAllArbitrary (upright, 128);
  /* stored turned, with an EXIF orientation (6: turn 90° clockwise to show) */
  photo = bi_test_write_turned_photo (fixture->dir, "sideways.jpg", upright, 6);

  decoded = load_thumbnail (photo);
  cached = load_thumbnail (photo);
  g_assert_cmpint (gdk_pixbuf_get_width (decoded), ==, 128);
  g_assert_cmpint (gdk_pixbuf_get_height (decoded), ==, 64);
  g_assert_cmpint (gdk_pixbuf_get_width (cached), ==, 128);
  g_assert_cmpint (gdk_pixbuf_get_height (cached), ==, 64);
  g_unlink (photo);
}

static void
test_missing_photo_fails (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *missing = g_build_filename (fixture->dir, "gone.jpg", NULL);
  g_autofree char *cache_path = expected_cache_path (missing);
  g_autoptr(GdkPixbuf) thumbnail = bi_thumbnail_cache_load (missing, THUMBNAIL_SIZE, &error);

  g_assert_null (thumbnail);
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_false (g_file_test (cache_path, G_FILE_TEST_EXISTS));
}

static void
test_not_an_image_fails (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = g_build_filename (fixture->dir, "notes.jpg", NULL);
  g_autofree char *cache_path = expected_cache_path (text);
  g_autoptr(GdkPixbuf) thumbnail = NULL;

  g_assert_true (g_file_set_contents (text, "not a photo", -1, NULL));
  thumbnail = bi_thumbnail_cache_load (text, THUMBNAIL_SIZE, &error);
  g_assert_null (thumbnail);
  g_assert_nonnull (error);
  g_assert_false (g_file_test (cache_path, G_FILE_TEST_EXISTS));
  g_unlink (text);
}

static void
test_beyond_standard_sizes_not_kept (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autofree char *thumbnails = g_build_filename (fixture->dir, "thumbnails", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) large = bi_thumbnail_cache_load (fixture->photo, 2048, &error);

  g_assert_no_error (error);
  g_assert_nonnull (large);
  g_assert_null (bi_thumbnail_cache_path (fixture->photo, 2048));
  g_assert_false (g_file_test (thumbnails, G_FILE_TEST_EXISTS));
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = bi_test_temp_dir_new ();
  int status;

  /* before GLib reads it once and for all */
  g_setenv ("XDG_CACHE_HOME", dir, TRUE);
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/bookimg/gui/thumbnail-cache/" path, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)
  ADD ("writes-standard-entry", test_writes_standard_entry);
  ADD ("reads-the-cache", test_reads_the_cache);
  ADD ("changed-photo-made-again", test_changed_photo_made_again);
  ADD ("unreadable-entry-made-again", test_unreadable_entry_made_again);
  ADD ("orientation-applied", test_orientation_applied);
  ADD ("missing-photo-fails", test_missing_photo_fails);
  ADD ("not-an-image-fails", test_not_an_image_fails);
  ADD ("beyond-standard-sizes-not-kept", test_beyond_standard_sizes_not_kept);
#undef ADD

  status = g_test_run ();
  bi_test_temp_dir_remove (dir);
  return status;
}
