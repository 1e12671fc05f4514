/* bi-upload-routes.c — GET /upload-url and PUT /upload/<key>: signed URLs and the uploads
 *
 * An upload is accepted only when all of this holds: the URL's signature is ours and not
 * expired, the body fits the size limit, and its magic bytes are a supported image of the
 * type the URL was signed for. Then, on a worker thread (fsync'ing a photo must not stall the
 * WebSocket pushes): the photo is stored atomically, the job recorded, an S3-style
 * ObjectCreated event queued for the upload handler — and only then is 200 sent. An upload
 * cut short never reaches the handler, so nothing is stored or queued for it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-upload-routes"

#include "bi-http-server-private.h"
#include "bi-image-type.h"
#include "bi-object-key.h"
#include "bi-protocol-error.h"
#include "bi-protocol-messages.h"
#include "bi-stages.h"

#include <string.h>

/* Longest Host header we copy into a signed URL. */
#define MAX_HOST_LENGTH 255

/* ---- GET /upload-url ---------------------------------------------------------------------- */

/* A host name, IPv4 or [IPv6] address, with an optional port: nothing that could change the
 * meaning of the URL we build from it. */
static gboolean
host_is_plain (const char *host)
{
  gsize length = host != NULL ? strlen (host) : 0;

  if (length == 0 || length > MAX_HOST_LENGTH)
    return FALSE;
  for (const char *p = host; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && strchr (".-:[]", *p) == NULL)
        return FALSE;
    }
  return TRUE;
}

/* The URL has to work for the client that asked, so it uses the host the client used (e.g.
 * the LAN address of a server listening on 0.0.0.0). */
static char *
base_url_for (BiHttpServer      *self,
              SoupServerMessage *msg)
{
  const char *host = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "Host");

  if (host_is_plain (host))
    return g_strconcat ("http://", host, NULL);
  return g_strdup (self->url);
}

void
bi_upload_url_route (BiHttpServer      *self,
                     SoupServerMessage *msg,
                     const char        *tail,
                     GHashTable        *query)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *url = NULL;
  const char *key = query != NULL ? g_hash_table_lookup (query, "filename") : NULL;
  const char *requested_type = query != NULL ? g_hash_table_lookup (query, "contentType") : NULL;

  if (key == NULL)
    {
      bi_http_respond_error (msg, SOUP_STATUS_BAD_REQUEST,
                             bi_protocol_error_code_name (BI_PROTOCOL_ERROR_BAD_FILE_NAME),
                             "Name the upload as filename=<jobId>/<file name>.");
      return;
    }
  if (!bi_object_key_parse (key, NULL, NULL, &error))
    {
      bi_http_respond_bad_request (msg, error);
      return;
    }
  if (!bi_image_type_is_supported (requested_type))
    {
      bi_http_respond_error (msg, SOUP_STATUS_BAD_REQUEST,
                             bi_protocol_error_code_name (BI_PROTOCOL_ERROR_BAD_CONTENT_TYPE),
                             "contentType must be image/jpeg, image/png, image/webp or "
                             "image/tiff.");
      return;
    }

  /* One spelling is signed, so the upload's own type compares equal whatever case was asked. */
  content_type = g_ascii_strdown (requested_type, -1);
  base_url = base_url_for (self, msg);
  url = bi_url_signer_sign_upload (self->parts.signer, base_url, key, content_type);
  bi_http_respond (msg, SOUP_STATUS_OK, "text/plain; charset=utf-8", url);
}

/* ---- PUT /upload/<key> -------------------------------------------------------------------- */

void
bi_upload_route_begin (BiHttpServer      *self,
                       SoupServerMessage *msg,
                       const char        *tail,
                       GHashTable        *query)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *key = bi_http_decode_segment (tail);
  const char *signed_type = query != NULL ? g_hash_table_lookup (query, "contentType") : NULL;
  const char *sent_type;

  if (!bi_url_signer_verify_upload (self->parts.signer, key, signed_type,
                                    query != NULL ? g_hash_table_lookup (query, "expires") : NULL,
                                    query != NULL ? g_hash_table_lookup (query, "signature")
                                                  : NULL,
                                    &error))
    {
      bi_http_respond_error (msg, SOUP_STATUS_FORBIDDEN,
                             g_error_matches (error, BI_URL_SIGNER_ERROR,
                                              BI_URL_SIGNER_ERROR_EXPIRED)
                             ? "expired_url" : "bad_signature",
                             error->message);
      return;
    }

  /* As S3 does for a signed content type: the request must not claim another one. */
  sent_type = soup_message_headers_get_content_type (soup_server_message_get_request_headers (msg),
                                                     NULL);
  if (sent_type != NULL && g_ascii_strcasecmp (sent_type, signed_type) != 0)
    {
      g_autofree char *message = g_strdup_printf ("The request's Content-Type is %s, but the URL "
                                                  "was signed for %s; send the type you asked "
                                                  "the URL for.", sent_type, signed_type);

      bi_http_respond_error (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                             message);
    }
}

typedef struct
{
  BiHttpServer      *server;
  SoupServerMessage *msg;          /* a reference, paused until the upload is stored */
  gulong             finished_id;
  gboolean           finished;     /* the client went away meanwhile: do not unpause */
  char              *key;
  char              *job_id;
  char              *content_type;
  GBytes            *body;
} StoreUpload;

static void
store_upload_free (StoreUpload *upload)
{
  g_clear_signal_handler (&upload->finished_id, upload->msg);
  g_object_unref (upload->msg);
  g_free (upload->key);
  g_free (upload->job_id);
  g_free (upload->content_type);
  g_bytes_unref (upload->body);
  g_free (upload);
}

/* Worker thread: the stores and the queue are thread-safe. */
static void
store_upload_thread (GTask        *task,
                     gpointer      source_object,
                     gpointer      task_data,
                     GCancellable *cancellable)
{
  StoreUpload *upload = task_data;
  const BiHttpServerParts *parts = &upload->server->parts;
  g_autoptr(GError) error = NULL;
  g_autofree char *event = NULL;

  if (!parts->blob_store->put (parts->blob_store, BI_BUCKET_UPLOADS, upload->key, upload->body,
                               upload->content_type, &error)
      || !bi_job_store_create (parts->jobs, upload->job_id, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  event = bi_stage_upload_event_new (upload->key, g_bytes_get_size (upload->body));
  if (!bi_sqlite_queue_send (parts->queue, BI_QUEUE_UPLOAD_EVENTS, event, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
upload_finished_cb (SoupServerMessage *msg,
                    gpointer           user_data)
{
  StoreUpload *upload = user_data;

  upload->finished = TRUE;
}

static void
upload_stored_cb (GObject      *source_object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  StoreUpload *upload = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      g_warning ("Could not accept the upload of %s: %s", upload->job_id, error->message);
      bi_http_respond_error (upload->msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal_error",
                             "The server could not store the photo; try again.");
    }
  else
    {
      g_info ("Accepted %s (%zu bytes)", upload->job_id, g_bytes_get_size (upload->body));
      soup_server_message_set_status (upload->msg, SOUP_STATUS_OK, NULL);
    }

  if (!upload->finished)
    soup_server_message_unpause (upload->msg);
  upload->server->work_in_progress--;
}

void
bi_upload_route_finish (BiHttpServer      *self,
                        SoupServerMessage *msg,
                        const char        *tail,
                        GHashTable        *query)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = bi_http_captured_body (msg);
  g_autoptr(GTask) task = NULL;
  g_autofree char *key = NULL;
  g_autofree char *job_id = NULL;
  const char *signed_type;
  const char *sniffed_type;
  StoreUpload *upload;
  gsize size = 0;
  const guint8 *data;

  if (body == NULL)
    return;

  /* The signature was checked when the headers came, so the key and type are ours. */
  key = bi_http_decode_segment (tail);
  signed_type = g_hash_table_lookup (query, "contentType");
  if (!bi_object_key_parse (key, &job_id, NULL, &error))
    {
      bi_http_respond_bad_request (msg, error);
      return;
    }

  data = g_bytes_get_data (body, &size);
  sniffed_type = bi_image_type_sniff (data, size);
  if (sniffed_type == NULL)
    {
      bi_http_respond_error (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                             "The body is not a JPEG, PNG, WebP or TIFF image (judged by its "
                             "first bytes); upload the photo file itself.");
      return;
    }
  if (g_ascii_strcasecmp (sniffed_type, signed_type) != 0)
    {
      g_autofree char *message = g_strdup_printf ("The body is %s, but the URL was signed for "
                                                  "%s; ask for an upload URL with "
                                                  "contentType=%s.", sniffed_type, signed_type,
                                                  sniffed_type);

      bi_http_respond_error (msg, SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type",
                             message);
      return;
    }

  upload = g_new0 (StoreUpload, 1);
  upload->server = self;
  upload->msg = g_object_ref (msg);
  upload->finished_id = g_signal_connect (msg, "finished", G_CALLBACK (upload_finished_cb),
                                          upload);
  upload->key = g_steal_pointer (&key);
  upload->job_id = g_steal_pointer (&job_id);
  upload->content_type = g_strdup (sniffed_type);
  upload->body = g_steal_pointer (&body);

  self->work_in_progress++;
  soup_server_message_pause (msg);
  task = g_task_new (NULL, NULL, upload_stored_cb, NULL);
  g_task_set_source_tag (task, bi_upload_route_finish);
  g_task_set_task_data (task, upload, (GDestroyNotify) store_upload_free);
  g_task_run_in_thread (task, store_upload_thread);
}
