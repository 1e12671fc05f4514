/* bi-thumbnail-cache.h — photo thumbnails kept in the freedesktop thumbnail cache
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>

G_BEGIN_DECLS

GdkPixbuf *bi_thumbnail_cache_load (const char  *photo_path,
                                    int          size,
                                    GError     **error);
char      *bi_thumbnail_cache_path (const char  *photo_path,
                                    int          size);

G_END_DECLS
