/* bi-s3-client.c — S3 objects and presigned URLs; the BiBlobStore adapter
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-s3-client"

#include "bi-s3-client.h"
#include "bi-aws-xml.h"

#include <gio/gio.h>
#include <string.h>

struct _BiS3BlobStore
{
  BiBlobStore  port;            /* first: the port is the adapter */
  BiAwsClient *client;          /* borrowed */
  char        *buckets[2];      /* by BiBucket */
};

/* Virtual-hosted URL base for AWS's endpoint (the bucket's path is "/"), path style for any
 * other ("/BUCKET"). Bucket names are DNS labels (checked here), so the virtual host needs no
 * encoding. */
static gboolean
bucket_location (BiAwsClient  *client,
                 const char   *bucket,
                 char        **endpoint_url,
                 char        **bucket_path,
                 GError      **error)
{
  if (bucket == NULL || bucket[0] == '\0' || strlen (bucket) > 63
      || strspn (bucket, "abcdefghijklmnopqrstuvwxyz0123456789-.") != strlen (bucket))
    {
      g_set_error (error, BI_AWS_ERROR, BI_AWS_ERROR_CONFIG,
                   "“%s” is not an S3 bucket name (3–63 of a–z, 0–9, '-' and '.'); check the "
                   "bucket settings.", bucket != NULL ? bucket : "");
      return FALSE;
    }

  if (bi_aws_client_endpoint_is_default (client, BI_AWS_SERVICE_S3))
    {
      *endpoint_url = g_strdup_printf ("https://%s.s3.%s.amazonaws.com", bucket,
                                       bi_aws_client_get_region (client));
      *bucket_path = g_strdup ("/");
    }
  else
    {
      *endpoint_url = g_strdup (bi_aws_client_get_endpoint (client, BI_AWS_SERVICE_S3));
      *bucket_path = g_strdup_printf ("/%s", bucket);
    }
  return TRUE;
}

static gboolean
object_location (BiAwsClient  *client,
                 const char   *bucket,
                 const char   *key,
                 char        **endpoint_url,
                 char        **wire_path,
                 GError      **error)
{
  g_autofree char *encoded_key = NULL;
  g_autofree char *bucket_path = NULL;

  if (key == NULL || key[0] == '\0' || !g_utf8_validate (key, -1, NULL))
    {
      g_set_error_literal (error, BI_AWS_ERROR, BI_AWS_ERROR_CONFIG,
                           "An S3 object key must be non-empty UTF-8.");
      return FALSE;
    }
  if (!bucket_location (client, bucket, endpoint_url, &bucket_path, error))
    return FALSE;

  encoded_key = bi_aws_uri_encode (key, TRUE);
  *wire_path = g_strconcat (bucket_path, g_str_has_suffix (bucket_path, "/") ? "" : "/",
                            encoded_key, NULL);
  return TRUE;
}

GBytes *
bi_s3_get_object (BiAwsClient  *client,
                  const char   *bucket,
                  const char   *key,
                  GError      **error)
{
  g_autofree char *endpoint_url = NULL;
  g_autofree char *wire_path = NULL;
  g_autoptr(BiAwsRequest) request = NULL;
  g_autoptr(BiHttpResponse) response = NULL;

  if (!object_location (client, bucket, key, &endpoint_url, &wire_path, error))
    return NULL;
  request = bi_aws_request_new ("GET", wire_path);
  response = bi_aws_client_send_to (client, BI_AWS_SERVICE_S3, endpoint_url, "S3 GetObject",
                                    request, error);
  return response != NULL ? g_bytes_ref (response->body) : NULL;
}

gboolean
bi_s3_put_object (BiAwsClient  *client,
                  const char   *bucket,
                  const char   *key,
                  GBytes       *data,
                  const char   *content_type,
                  GError      **error)
{
  g_autofree char *endpoint_url = NULL;
  g_autofree char *wire_path = NULL;
  g_autoptr(BiAwsRequest) request = NULL;
  g_autoptr(BiHttpResponse) response = NULL;

  g_return_val_if_fail (data != NULL, FALSE);

  if (!object_location (client, bucket, key, &endpoint_url, &wire_path, error))
    return FALSE;
  request = bi_aws_request_new ("PUT", wire_path);
  bi_aws_request_add_header (request, "Content-Type",
                             content_type != NULL ? content_type : "binary/octet-stream");
  bi_aws_request_set_body (request, data);
  response = bi_aws_client_send_to (client, BI_AWS_SERVICE_S3, endpoint_url, "S3 PutObject",
                                    request, error);
  return response != NULL;
}

gboolean
bi_s3_prefix_exists (BiAwsClient  *client,
                     const char   *bucket,
                     const char   *prefix,
                     gboolean     *exists,
                     GError      **error)
{
  g_autofree char *endpoint_url = NULL;
  g_autofree char *bucket_path = NULL;
  g_autofree char *key = NULL;
  g_autoptr(BiAwsRequest) request = NULL;
  g_autoptr(BiHttpResponse) response = NULL;
  gsize size = 0;
  const char *data;

  g_return_val_if_fail (prefix != NULL && exists != NULL, FALSE);

  if (!bucket_location (client, bucket, &endpoint_url, &bucket_path, error))
    return FALSE;
  request = bi_aws_request_new ("GET", bucket_path);
  bi_aws_request_add_query (request, "list-type", "2");
  bi_aws_request_add_query (request, "max-keys", "1");
  bi_aws_request_add_query (request, "prefix", prefix);
  response = bi_aws_client_send_to (client, BI_AWS_SERVICE_S3, endpoint_url,
                                    "S3 ListObjectsV2", request, error);
  if (response == NULL)
    return FALSE;

  data = g_bytes_get_data (response->body, &size);
  key = bi_aws_xml_find_text (data, size, "Key");
  *exists = key != NULL;
  return TRUE;
}

char *
bi_s3_presign_put_url (BiAwsClient  *client,
                       const char   *bucket,
                       const char   *key,
                       const char   *content_type,
                       guint         expires_seconds,
                       GError      **error)
{
  g_autofree char *endpoint_url = NULL;
  g_autofree char *wire_path = NULL;
  g_autofree char *target = NULL;
  g_autoptr(BiAwsRequest) request = NULL;
  g_autoptr(GUri) endpoint = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *host = NULL;
  BiAwsSigningParams params;

  if (expires_seconds < 1 || expires_seconds > 604800)
    {
      g_set_error (error, BI_AWS_ERROR, BI_AWS_ERROR_CONFIG,
                   "A presigned URL lasts 1 s to 7 days, not %u s.", expires_seconds);
      return NULL;
    }
  if (!object_location (client, bucket, key, &endpoint_url, &wire_path, error))
    return NULL;

  endpoint = g_uri_parse (endpoint_url, G_URI_FLAGS_ENCODED, NULL);
  host = g_uri_get_port (endpoint) > 0
         ? g_strdup_printf ("%s:%d", g_uri_get_host (endpoint), g_uri_get_port (endpoint))
         : g_strdup (g_uri_get_host (endpoint));
  if (g_uri_get_path (endpoint)[0] != '\0' && !g_str_equal (g_uri_get_path (endpoint), "/"))
    {
      char *path = g_strconcat (g_uri_get_path (endpoint), wire_path, NULL);

      g_free (wire_path);
      wire_path = path;
    }

  request = bi_aws_request_new ("PUT", wire_path);
  bi_aws_request_add_header (request, "Host", host);
  if (content_type != NULL)
    bi_aws_request_add_header (request, "Content-Type", content_type);
  bi_aws_client_get_signing_params (client, BI_AWS_SERVICE_S3, &params);
  now = bi_aws_client_now (client);
  target = bi_aws_sigv4_presign (request, &params, now, expires_seconds, NULL);
  return g_strdup_printf ("%s://%s%s", g_uri_get_scheme (endpoint), host, target);
}

/* ---- BiBlobStore ------------------------------------------------------------------------- */

static GBytes *
blob_get (BiBlobStore  *port,
          BiBucket      bucket,
          const char   *key,
          GError      **error)
{
  BiS3BlobStore *self = (BiS3BlobStore *) port;
  g_autoptr(GError) local_error = NULL;
  GBytes *data = bi_s3_get_object (self->client, self->buckets[bucket], key, &local_error);

  if (data != NULL)
    return data;
  /* The port's contract: a missing object is G_IO_ERROR_NOT_FOUND. */
  if (g_error_matches (local_error, BI_AWS_ERROR, BI_AWS_ERROR_NOT_FOUND))
    g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "%s", local_error->message);
  else
    g_propagate_error (error, g_steal_pointer (&local_error));
  return NULL;
}

static gboolean
blob_put (BiBlobStore  *port,
          BiBucket      bucket,
          const char   *key,
          GBytes       *data,
          const char   *content_type,
          GError      **error)
{
  BiS3BlobStore *self = (BiS3BlobStore *) port;

  /* An S3 PUT replaces the object whole: readers see the old or the new one. */
  return bi_s3_put_object (self->client, self->buckets[bucket], key, data, content_type, error);
}

BiS3BlobStore *
bi_s3_blob_store_new (BiAwsClient *client,
                      const char  *uploads_bucket,
                      const char  *results_bucket)
{
  BiS3BlobStore *self;

  g_return_val_if_fail (client != NULL && uploads_bucket != NULL && results_bucket != NULL,
                        NULL);

  self = g_new0 (BiS3BlobStore, 1);
  self->port.get = blob_get;
  self->port.put = blob_put;
  self->client = client;
  self->buckets[BI_BUCKET_UPLOADS] = g_strdup (uploads_bucket);
  self->buckets[BI_BUCKET_RESULTS] = g_strdup (results_bucket);
  return self;
}

void
bi_s3_blob_store_free (BiS3BlobStore *self)
{
  if (self == NULL)
    return;

  g_free (self->buckets[BI_BUCKET_UPLOADS]);
  g_free (self->buckets[BI_BUCKET_RESULTS]);
  g_free (self);
}

BiBlobStore *
bi_s3_blob_store_as_port (BiS3BlobStore *self)
{
  return &self->port;
}

const char *
bi_s3_blob_store_get_bucket (BiS3BlobStore *self,
                             BiBucket       bucket)
{
  return self->buckets[bucket];
}
