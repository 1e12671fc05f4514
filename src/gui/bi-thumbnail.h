/* bi-thumbnail.h — a photo's thumbnail at a fixed size, filling it (cropped, as "cover")
 *
 * Unlike a GtkPicture, a new paintable only redraws: the size comes from the widget's size
 * request, never from the image, so 1,000 thumbnails arriving do not lay out the list and the
 * window again each (on X11 every toplevel relayout asks the X server for the work area).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define BI_TYPE_THUMBNAIL (bi_thumbnail_get_type ())
G_DECLARE_FINAL_TYPE (BiThumbnail, bi_thumbnail, BI, THUMBNAIL, GtkWidget)

GtkWidget    *bi_thumbnail_new           (void);
GdkPaintable *bi_thumbnail_get_paintable (BiThumbnail  *self);
void          bi_thumbnail_set_paintable (BiThumbnail  *self,
                                          GdkPaintable *paintable);

G_END_DECLS
