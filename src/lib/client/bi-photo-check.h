/* bi-photo-check.h — what a photo is before it is uploaded
 *
 * A photo is uploaded only when it is a readable, non-empty regular file whose first bytes
 * are a JPEG, PNG, WebP or TIFF image (or, when they say nothing, whose extension names one):
 * anything else would only come back as 415 after the whole upload, with a worse message.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Finds the content type to upload @file with. Errors: BI_CLIENT_ERROR_FILE (missing,
 * unreadable, empty, not a regular file) and BI_CLIENT_ERROR_NOT_AN_IMAGE; each names the file. */
void   bi_photo_check_async  (GFile               *file,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data);
char  *bi_photo_check_finish (GAsyncResult        *result,
                              GError             **error);

/* A file name for the object key that every server accepts (bi_file_name_validate()), made
 * from @photo_name (UTF-8): separators and control characters become `_`, long names are cut. */
char  *bi_photo_upload_name  (const char          *photo_name);

G_END_DECLS
