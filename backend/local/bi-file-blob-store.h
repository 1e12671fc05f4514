/* bi-file-blob-store.h — the blob store port on files: <root>/uploads/<key>, <root>/results/<key>
 *
 * Keys must be `<jobId>/<file name>` (validated: no path escapes the root). Writes go to a
 * temporary file that is fsync'ed and renamed, so readers never see a partial object.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bi-ports.h"

G_BEGIN_DECLS

typedef struct _BiFileBlobStore BiFileBlobStore;

BiFileBlobStore *bi_file_blob_store_new      (const char      *root_dir,
                                              GError         **error);
void             bi_file_blob_store_free     (BiFileBlobStore *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiFileBlobStore, bi_file_blob_store_free)

BiBlobStore     *bi_file_blob_store_as_port  (BiFileBlobStore *self);

/* Path of an object (whether or not it exists); NULL with an error for an invalid key. */
char            *bi_file_blob_store_path     (BiFileBlobStore *self,
                                              BiBucket         bucket,
                                              const char      *key,
                                              GError         **error);

G_END_DECLS
