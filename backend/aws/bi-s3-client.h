/* bi-s3-client.h — S3 GetObject / PutObject / ListObjectsV2, presigned PUT URLs, and the
 * BiBlobStore adapter
 *
 * Against AWS's own endpoint buckets are addressed virtual-hosted style
 * (https://BUCKET.s3.REGION.amazonaws.com/KEY); against an overridden endpoint (an emulator,
 * BOOKIMG_AWS_ENDPOINT_S3) path style (ENDPOINT/BUCKET/KEY). Keys are UTF-8, any characters.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bi-aws-client.h"
#include "bi-ports.h"

G_BEGIN_DECLS

/* The object, or NULL with BI_AWS_ERROR_NOT_FOUND when there is none. */
GBytes   *bi_s3_get_object      (BiAwsClient  *client,
                                 const char   *bucket,
                                 const char   *key,
                                 GError      **error);
/* @content_type may be NULL (binary/octet-stream). */
gboolean  bi_s3_put_object      (BiAwsClient  *client,
                                 const char   *bucket,
                                 const char   *key,
                                 GBytes       *data,
                                 const char   *content_type,
                                 GError      **error);
/* Whether any object's key starts with @prefix (ListObjectsV2, one key). GET /results tells
 * an unknown job from one whose photo arrived by it: the photo's key is <jobId>/<file name>,
 * whose name the request does not give. */
gboolean  bi_s3_prefix_exists   (BiAwsClient  *client,
                                 const char   *bucket,
                                 const char   *prefix,
                                 gboolean     *exists,
                                 GError      **error);
/* A URL that lets its holder PUT this one object for @expires_seconds (1–604800), with
 * exactly @content_type when not NULL (it is signed). Never log it: it is a credential. */
char     *bi_s3_presign_put_url (BiAwsClient  *client,
                                 const char   *bucket,
                                 const char   *key,
                                 const char   *content_type,
                                 guint         expires_seconds,
                                 GError      **error);

/* ---- BiBlobStore over two buckets ---------------------------------------------------------- */

typedef struct _BiS3BlobStore BiS3BlobStore;

/* @client is borrowed and must outlive the store. A missing object is G_IO_ERROR_NOT_FOUND,
 * as the port requires. */
BiS3BlobStore *bi_s3_blob_store_new     (BiAwsClient   *client,
                                         const char    *uploads_bucket,
                                         const char    *results_bucket);
void           bi_s3_blob_store_free    (BiS3BlobStore *self);
BiBlobStore   *bi_s3_blob_store_as_port (BiS3BlobStore *self);
const char    *bi_s3_blob_store_get_bucket (BiS3BlobStore *self,
                                            BiBucket       bucket);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiS3BlobStore, bi_s3_blob_store_free)

G_END_DECLS
