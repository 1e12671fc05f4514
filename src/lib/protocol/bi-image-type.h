/* bi-image-type.h — the photo formats BookImg accepts, told by their magic bytes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Bytes needed to tell every supported format apart. */
#define BI_IMAGE_TYPE_SNIFF_LENGTH 12

/* "image/jpeg", "image/png", "image/webp" or "image/tiff"; NULL when @data is none of them. */
const char *bi_image_type_sniff            (const guint8 *data,
                                            gsize         length);

/* TRUE for the four content types above (parameters such as `; charset` are not allowed). */
gboolean    bi_image_type_is_supported     (const char   *content_type);

/* The content type for a file name's extension, or NULL. */
const char *bi_image_type_from_file_name   (const char   *file_name);

G_END_DECLS
