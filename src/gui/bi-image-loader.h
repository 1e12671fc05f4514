/* bi-image-loader.h — photos decoded off the main thread: thumbnails and spine crops
 *
 * Both load the user's photo in a worker thread with gdk-pixbuf, turn it upright with its EXIF
 * orientation (the backend's boxes are in upright pixels), and hand back a GdkTexture.
 * Thumbnails (through the freedesktop thumbnail cache) and the unresolved spines' crops are
 * decoded one at a time on a thread of their own at a lower CPU priority; the selected book's
 * crop on GTask's threads. A crop decodes the photo at the smallest of libjpeg's reductions
 * that keeps it sharp, and the background thread reuses the photo it decoded last.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/**
 * BiImageLoadPriority:
 * @BI_IMAGE_LOAD_NOW: someone waits for it (the selected book's spine): a worker of its own
 * @BI_IMAGE_LOAD_BACKGROUND: thumbnails and the unresolved spines' crops: one at a time, in
 *   the order asked, on a thread that yields the cores to the app
 */
typedef enum
{
  BI_IMAGE_LOAD_NOW,
  BI_IMAGE_LOAD_BACKGROUND,
} BiImageLoadPriority;

/* A texture at most @size pixels on its longer side. */
void        bi_image_load_thumbnail_async  (const char           *path,
                                            int                   size,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
GdkTexture *bi_image_load_thumbnail_finish (GAsyncResult         *result,
                                            GError              **error);

/* The box (@x, @y, @width, @height in upright pixels, clamped to the photo) cut from the
 * photo, scaled down to at most @max_size pixels on its longer side. */
void        bi_image_load_crop_async       (const char           *path,
                                            int                   x,
                                            int                   y,
                                            int                   width,
                                            int                   height,
                                            int                   max_size,
                                            BiImageLoadPriority   priority,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
GdkTexture *bi_image_load_crop_finish      (GAsyncResult         *result,
                                            GError              **error);

G_END_DECLS
