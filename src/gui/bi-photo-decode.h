/* bi-photo-decode.h — the user's photo decoded upright, for a thumbnail or a crop
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>

G_BEGIN_DECLS

GdkPixbuf *bi_photo_decode_reduced  (const char  *path,
                                     int          reduction,
                                     int         *applied,
                                     GError     **error);
GdkPixbuf *bi_photo_decode_to_fit   (const char  *path,
                                     int          size,
                                     GError     **error);
gint64     bi_photo_get_modified    (const char  *path,
                                     GError     **error);

G_END_DECLS
