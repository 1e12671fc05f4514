/* bi-thumbnail-cache.c — photo thumbnails kept in the freedesktop thumbnail cache
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Decoding a 12-megapixel JPEG for a 96-pixel thumbnail keeps a core busy for 25–40 ms, even
 * with libjpeg's ⅛ scaling: a library of 1,000 photos cost half a minute of CPU at every start
 * of the app. Thumbnails are therefore kept as the Thumbnail Managing Standard of
 * freedesktop.org says (the cache Files, Eye of GNOME and Shotwell share): a PNG per photo in
 * $XDG_CACHE_HOME/thumbnails/<size>/, named by the MD5 of the photo's URI, that records the URI
 * and the photo's modification time. A thumbnail whose records do not match the photo is made
 * again; one that cannot be read is too. Inside the Flatpak sandbox the cache is the app's own.
 */
#define G_LOG_DOMAIN "bi-thumbnail-cache"

#include "config.h"

#include "bi-thumbnail-cache.h"

#include "bi-photo-decode.h"

#include <errno.h>

/* The standard's sizes: a thumbnail is made at the smallest that holds the size asked for,
 * and scaled down from there when shown. */
typedef struct
{
  int         size;    /* longest side, pixels */
  const char *folder;  /* under $XDG_CACHE_HOME/thumbnails */
} ThumbnailFlavour;

static const ThumbnailFlavour flavours[] = {
  { 128, "normal" },
  { 256, "large" },
  { 512, "x-large" },
  { 1024, "xx-large" },
};

/* ---- helpers ---- */

static const ThumbnailFlavour *
flavour_for_size (int size)
{
  for (guint i = 0; i < G_N_ELEMENTS (flavours); i++)
    if (size <= flavours[i].size)
      return &flavours[i];
  return NULL;
}

static char *
thumbnails_root (void)
{
  return g_build_filename (g_get_user_cache_dir (), "thumbnails", NULL);
}

static char *
cache_file_for_uri (const ThumbnailFlavour *flavour,
                    const char             *uri)
{
  g_autofree char *root = thumbnails_root ();
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_MD5, uri, -1);
  g_autofree char *name = g_strconcat (digest, ".png", NULL);

  return g_build_filename (root, flavour->folder, name, NULL);
}

/* The cached thumbnail, when it was made from this very file; NULL for none, a stale one or
 * one that cannot be read (all made again by the caller). */
static GdkPixbuf *
load_cached (const char *cache_path,
             const char *uri,
             const char *mtime)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) cached = gdk_pixbuf_new_from_file (cache_path, &error);

  if (cached == NULL)
    {
      if (!g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_debug ("Making the thumbnail %s again: %s", cache_path, error->message);
      return NULL;
    }
  if (g_strcmp0 (gdk_pixbuf_get_option (cached, "tEXt::Thumb::URI"), uri) != 0 ||
      g_strcmp0 (gdk_pixbuf_get_option (cached, "tEXt::Thumb::MTime"), mtime) != 0)
    return NULL;
  return g_steal_pointer (&cached);
}

static void
save_cached (GdkPixbuf  *thumbnail,
             const char *cache_path,
             const char *uri,
             const char *mtime)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *folder = g_path_get_dirname (cache_path);
  g_autofree char *png = NULL;
  gsize png_size = 0;

  /* A cache that cannot be written only costs the next start its decoding again. */
  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      g_debug ("Could not make the thumbnail folder %s: %s", folder, g_strerror (errno));
      return;
    }
  if (!gdk_pixbuf_save_to_buffer (thumbnail, &png, &png_size, "png", &error,
                                  "tEXt::Thumb::URI", uri,
                                  "tEXt::Thumb::MTime", mtime,
                                  "tEXt::Software", "BookImg " PACKAGE_VERSION,
                                  NULL) ||
      /* written beside and renamed: another program never reads half a thumbnail */
      !g_file_set_contents_full (cache_path, png, (gssize) png_size,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    g_debug ("Could not keep the thumbnail %s: %s", cache_path, error->message);
}

/* Where the thumbnail of @photo_path for @size is kept, with its standard size, the URI it
 * records and the photo's absolute path; NULL when no standard size holds @size or the path
 * has no URI. */
static char *
locate (const char  *photo_path,
        int          size,
        int         *thumbnail_size,
        char       **uri_out,
        char       **absolute_out)
{
  const ThumbnailFlavour *flavour = flavour_for_size (size);
  g_autofree char *absolute = g_canonicalize_filename (photo_path, NULL);
  g_autofree char *uri = g_filename_to_uri (absolute, NULL, NULL);
  char *cache_path;

  if (flavour == NULL || uri == NULL)
    return NULL;
  cache_path = cache_file_for_uri (flavour, uri);
  if (thumbnail_size != NULL)
    *thumbnail_size = flavour->size;
  if (uri_out != NULL)
    *uri_out = g_steal_pointer (&uri);
  if (absolute_out != NULL)
    *absolute_out = g_steal_pointer (&absolute);
  return cache_path;
}

/* ---- public API ---- */

/**
 * bi_thumbnail_cache_path:
 * @photo_path: a photo
 * @size: the longest side wanted, in pixels
 *
 * Returns: (transfer full) (nullable): where the thumbnail of @photo_path for @size is kept,
 *   or %NULL when @size is larger than the standard's largest thumbnails
 */
char *
bi_thumbnail_cache_path (const char *photo_path,
                         int         size)
{
  g_return_val_if_fail (photo_path != NULL, NULL);

  return locate (photo_path, size, NULL, NULL, NULL);
}

/**
 * bi_thumbnail_cache_load:
 * @photo_path: a photo
 * @size: the longest side wanted, in pixels
 * @error: the photo's error when it cannot be read
 *
 * Returns the photo upright (EXIF orientation applied), its longest side the standard's
 * thumbnail size that holds @size (the caller scales it down). From the cache when a
 * thumbnail of this file as it is now is kept there; otherwise decoded and kept. Blocks: call
 * it from a worker thread.
 *
 * Returns: (transfer full): the thumbnail, or %NULL with @error set
 */
GdkPixbuf *
bi_thumbnail_cache_load (const char  *photo_path,
                         int          size,
                         GError     **error)
{
  g_autofree char *uri = NULL;
  g_autofree char *absolute = NULL;
  g_autofree char *cache_path = NULL;
  g_autofree char *root = NULL;
  g_autofree char *inside_root = NULL;
  g_autofree char *mtime = NULL;
  g_autoptr(GdkPixbuf) thumbnail = NULL;
  gint64 modified;
  int thumbnail_size = 0;

  g_return_val_if_fail (photo_path != NULL, NULL);
  g_return_val_if_fail (size > 0, NULL);

  cache_path = locate (photo_path, size, &thumbnail_size, &uri, &absolute);
  if (cache_path == NULL)
    return bi_photo_decode_to_fit (photo_path, size, error);
  modified = bi_photo_get_modified (absolute, error);
  if (modified < 0)
    return NULL;

  mtime = g_strdup_printf ("%" G_GINT64_FORMAT, modified);
  thumbnail = load_cached (cache_path, uri, mtime);
  if (thumbnail != NULL)
    return g_steal_pointer (&thumbnail);

  thumbnail = bi_photo_decode_to_fit (absolute, thumbnail_size, error);
  if (thumbnail == NULL)
    return NULL;
  /* The standard forbids thumbnails of thumbnails. */
  root = thumbnails_root ();
  inside_root = g_strconcat (root, G_DIR_SEPARATOR_S, NULL);
  if (!g_str_has_prefix (absolute, inside_root))
    save_cached (thumbnail, cache_path, uri, mtime);
  return g_steal_pointer (&thumbnail);
}
