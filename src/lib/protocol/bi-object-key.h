/* bi-object-key.h — object keys of uploads: `<jobId>/<file name>`
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Longest file name part accepted, in bytes (a common file system limit). */
#define BI_FILE_NAME_MAX_LENGTH 255

/* Decodes a key the way S3 event notifications encode it: `+` is a space, then `%XX`.
 * Returns NULL (and sets @error) for a truncated or invalid escape or a NUL byte. */
char     *bi_object_key_decode     (const char  *event_key,
                                    GError     **error);

/* Encodes a key for an S3 event notification (the inverse of bi_object_key_decode()). */
char     *bi_object_key_encode     (const char  *key);

/* Splits and validates `<jobId>/<file name>`; both outputs are optional. */
gboolean  bi_object_key_parse      (const char  *key,
                                    char       **job_id,
                                    char       **file_name,
                                    GError     **error);

/* A file name is one path segment: UTF-8, 1 to 255 bytes, no `/`, `\`, control characters,
 * and neither `.` nor `..`. */
gboolean  bi_file_name_validate    (const char  *file_name,
                                    GError     **error);

G_END_DECLS
