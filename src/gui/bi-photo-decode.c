/* bi-photo-decode.c — the user's photo decoded upright, for a thumbnail or a crop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * gdk-pixbuf only, thread-safe per object: called from the image loader's worker threads. A
 * reduced size asked of a JPEG is decoded reduced inside libjpeg (its ½, ¼, ⅛ scaling), so a
 * 12-megapixel photo never exists at full size for a thumbnail or a small crop. The result is
 * turned upright by its EXIF orientation: the backend's boxes are in upright pixels.
 */
#define G_LOG_DOMAIN "bi-photo-decode"

#include "config.h"

#include "bi-photo-decode.h"

#include <errno.h>
#include <glib/gstdio.h>

/* ---- helpers ---- */

/* @loaded turned by its EXIF orientation (a new reference either way). */
static GdkPixbuf *
upright (GdkPixbuf *loaded)
{
  GdkPixbuf *turned = gdk_pixbuf_apply_embedded_orientation (loaded);

  return turned != NULL ? turned : g_object_ref (loaded);
}

/* ---- public API ---- */

/**
 * bi_photo_decode_reduced:
 * @path: a photo
 * @reduction: 1, 2, 4 or 8: the photo's sides are divided by it
 * @applied: (out): the reduction decoded, 1 when the photo's size could not be read first
 * @error: gdk-pixbuf's error
 *
 * Returns: (transfer full): the photo upright, or %NULL with @error set
 */
GdkPixbuf *
bi_photo_decode_reduced (const char  *path,
                         int          reduction,
                         int         *applied,
                         GError     **error)
{
  g_autoptr(GdkPixbuf) loaded = NULL;
  int width = 0;
  int height = 0;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (reduction >= 1, NULL);
  g_return_val_if_fail (applied != NULL, NULL);

  *applied = 1;
  if (reduction > 1 && gdk_pixbuf_get_file_info (path, &width, &height) != NULL &&
      width > 0 && height > 0)
    {
      loaded = gdk_pixbuf_new_from_file_at_scale (path, MAX (1, width / reduction),
                                                  MAX (1, height / reduction), FALSE, error);
      *applied = reduction;
    }
  else
    loaded = gdk_pixbuf_new_from_file (path, error);
  return loaded != NULL ? upright (loaded) : NULL;
}

/**
 * bi_photo_decode_to_fit:
 * @path: a photo
 * @size: the longest side of the result, in pixels
 * @error: gdk-pixbuf's error
 *
 * Returns: (transfer full): the photo upright, scaled to fit @size × @size, or %NULL with
 *   @error set
 */
GdkPixbuf *
bi_photo_decode_to_fit (const char  *path,
                        int          size,
                        GError     **error)
{
  g_autoptr(GdkPixbuf) loaded = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (size > 0, NULL);

  /* fitting a square fits the photo turned too */
  loaded = gdk_pixbuf_new_from_file_at_scale (path, size, size, TRUE, error);
  return loaded != NULL ? upright (loaded) : NULL;
}

/**
 * bi_photo_get_modified:
 * @path: a photo
 * @error: a #GFileError when the photo cannot be looked at
 *
 * Returns: the photo's modification time, seconds since 1970, or -1 with @error set
 */
gint64
bi_photo_get_modified (const char  *path,
                       GError     **error)
{
  GStatBuf info;

  g_return_val_if_fail (path != NULL, -1);

  if (g_stat (path, &info) != 0)
    {
      int saved_errno = errno;

      g_set_error_literal (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                           g_strerror (saved_errno));
      return -1;
    }
  return (gint64) info.st_mtime;
}
