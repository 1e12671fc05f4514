/* bi-image-loader.h — photos decoded off the main thread: thumbnails and spine crops
 *
 * Both load the user's photo in a worker thread with gdk-pixbuf, turn it upright with its EXIF
 * orientation (the backend's boxes are in upright pixels), and hand back a GdkTexture.
 * Thumbnails are decoded one at a time on a thread of their own at a lower CPU priority; a
 * crop (one the user asked to see) on GTask's threads.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

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
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
GdkTexture *bi_image_load_crop_finish      (GAsyncResult         *result,
                                            GError              **error);

G_END_DECLS
