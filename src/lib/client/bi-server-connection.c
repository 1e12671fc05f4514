/* bi-server-connection.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-server-connection"

#include "bi-protocol-messages.h"
#include "config.h"

#include "bi-server-connection.h"

#include "bi-client-error.h"
#include "bi-job-id.h"

#include <string.h>

/* Answers are read into memory; these caps keep a broken or hostile server from filling it. */
#define SMALL_ANSWER_LIMIT (64 * 1024)         /* upload URLs, errors, PUT answers */
#define RESULTS_ANSWER_LIMIT (16 * 1024 * 1024) /* final results of a crowded shelf */
/* libsoup's default of 128 KiB per incoming WebSocket message is too small for the final
 * results of a photo with many books, which arrive in one processingComplete push. */
#define WEBSOCKET_MESSAGE_LIMIT (16 * 1024 * 1024)
/* Server-supplied error text shown to the user is cut to this many characters. */
#define SERVER_MESSAGE_MAX_CHARS 300
#define READ_CHUNK_SIZE (64 * 1024)

struct _BiServerConnection
{
  GObject      parent_instance;

  char        *base_url;     /* normalised: no trailing slash */
  char        *access_token; /* NULL when the server needs none */
  char        *server_label; /* scheme://host:port, shown in messages */
  SoupSession *session;      /* shared by every request, so connections are reused */
};

static void bi_server_connection_initable_iface_init (GInitableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BiServerConnection, bi_server_connection, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE,
                                                      bi_server_connection_initable_iface_init))

enum
{
  PROP_0,
  PROP_BASE_URL,
  PROP_ACCESS_TOKEN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* One HTTP exchange: the request is sent and its answer read, at most `limit` bytes. */
typedef struct
{
  SoupMessage  *message;
  GInputStream *stream;
  GByteArray   *body;
  gsize         limit;
  char         *server_label; /* where the request went, for "could not reach" messages */
} Exchange;

/* An upload in progress. */
typedef struct
{
  char                 *upload_url;
  char                 *content_type;
  char                 *display_name;
  GFileInputStream     *file_stream;
  BiUploadProgressFunc  progress;
  gpointer              progress_data;
  goffset               total_bytes;
  goffset               sent_bytes;
} Upload;

void
bi_job_results_free (BiJobResults *results)
{
  if (results == NULL)
    return;

  g_free (results->stage);
  g_clear_pointer (&results->results, json_node_unref);
  g_free (results->error_code);
  g_free (results->error_message);
  g_free (results);
}

static void
exchange_free (Exchange *exchange)
{
  g_clear_object (&exchange->message);
  g_clear_object (&exchange->stream);
  g_clear_pointer (&exchange->body, g_byte_array_unref);
  g_free (exchange->server_label);
  g_free (exchange);
}

static void
upload_free (Upload *upload)
{
  g_free (upload->upload_url);
  g_free (upload->content_type);
  g_free (upload->display_name);
  g_clear_object (&upload->file_stream);
  g_free (upload);
}

/* scheme://host[:port] of @uri: enough to say where we tried to go, without the path and
 * query, which for an upload URL hold its signature. */
static char *
label_for_uri (GUri *uri)
{
  return g_uri_join (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                     g_uri_get_port (uri), "", NULL, NULL);
}

/* Parses an absolute http(s) URL the way libsoup will; @what names it in errors. */
static GUri *
parse_http_url (const char  *url,
                const char  *what,
                GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) parse_error = NULL;
  const char *scheme;

  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, &parse_error);
  if (uri == NULL)
    {
      g_set_error (error, BI_CLIENT_ERROR, BI_CLIENT_ERROR_BAD_URL,
                   "The %s is not a valid URL (%s); it should look like "
                   "http://127.0.0.1:8080.", what, parse_error->message);
      return NULL;
    }

  scheme = g_uri_get_scheme (uri);
  if (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0)
    {
      g_set_error (error, BI_CLIENT_ERROR, BI_CLIENT_ERROR_BAD_URL,
                   "The %s must start with http:// or https://.", what);
      return NULL;
    }

  if (g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    {
      g_set_error (error, BI_CLIENT_ERROR, BI_CLIENT_ERROR_BAD_URL,
                   "The %s has no host name.", what);
      return NULL;
    }

  return g_steal_pointer (&uri);
}

/* Tokens travel in a header and in a query, so only printable ASCII without spaces is safe. */
static gboolean
validate_access_token (const char  *token,
                       GError     **error)
{
  if (token[0] == '\0')
    goto bad;
  for (const char *p = token; *p != '\0'; p++)
    {
      if (!g_ascii_isgraph (*p))
        goto bad;
    }
  return TRUE;

bad:
  g_set_error_literal (error, BI_CLIENT_ERROR, BI_CLIENT_ERROR_BAD_URL,
                       "The access token must be non-empty printable ASCII without spaces.");
  return FALSE;
}

/* Server-supplied text is shown to the user: valid UTF-8, no control characters, short. */
static char *
sanitize_server_text (const char *text,
                      gsize       length)
{
  g_autofree char *valid = g_utf8_make_valid (text, (gssize) length);
  GString *out = g_string_new (NULL);
  const char *p = valid;

  for (guint chars = 0; *p != '\0' && chars < SERVER_MESSAGE_MAX_CHARS; chars++)
    {
      gunichar c = g_utf8_get_char (p);

      g_string_append_unichar (out, g_unichar_iscntrl (c) ? ' ' : c);
      p = g_utf8_next_char (p);
    }
  if (*p != '\0')
    g_string_append (out, "…");

  return g_strstrip (g_string_free (out, FALSE));
}

/* The "message" of a JSON error body {"error":{"code":…,"message":…}}, or NULL. */
static char *
server_error_message (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize length = 0;
  const char *data = body != NULL ? g_bytes_get_data (body, &length) : NULL;
  JsonNode *root;
  JsonObject *error_object;
  const char *message;

  if (data == NULL || length == 0 || !g_utf8_validate (data, (gssize) length, NULL)
      || !json_parser_load_from_data (parser, data, (gssize) length, NULL))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root)
      || !json_object_has_member (json_node_get_object (root), "error")
      || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (json_node_get_object (root), "error")))
    return NULL;

  error_object = json_object_get_object_member (json_node_get_object (root), "error");
  if (!json_object_has_member (error_object, "message")
      || json_node_get_value_type (json_object_get_member (error_object, "message"))
           != G_TYPE_STRING)
    return NULL;

  message = json_object_get_string_member (error_object, "message");
  return sanitize_server_text (message, strlen (message));
}

/* A request that never reached the server (refused, no route, name not found, TLS): say
 * where it went and what to check. */
static GError *
unreachable_error_new (const char   *server_label,
                       const GError *cause)
{
  return g_error_new (BI_CLIENT_ERROR, BI_CLIENT_ERROR_UNREACHABLE,
                      "Could not reach the BookImg server at %s (%s). "
                      "Check that it is running and that the URL is right.",
                      server_label, cause->message);
}

static BiClientError
client_error_for_status (guint status)
{
  switch (status)
    {
    case SOUP_STATUS_UNAUTHORIZED:
      return BI_CLIENT_ERROR_UNAUTHORIZED;
    case SOUP_STATUS_FORBIDDEN:
      return BI_CLIENT_ERROR_FORBIDDEN;
    case SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE:
      return BI_CLIENT_ERROR_TOO_LARGE;
    case SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE:
      return BI_CLIENT_ERROR_UNSUPPORTED_TYPE;
    default:
      return status >= 500 ? BI_CLIENT_ERROR_SERVER : BI_CLIENT_ERROR_REJECTED;
    }
}

/* What the user can do about an HTTP error, beyond the server's own words. */
static const char *
advice_for_status (guint status)
{
  switch (status)
    {
    case SOUP_STATUS_UNAUTHORIZED:
      return "Check the access token.";
    case SOUP_STATUS_NOT_FOUND:
      return "Check that the URL points at a BookImg server.";
    case SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE:
      return "Scale the photo down or save it with stronger compression.";
    case SOUP_STATUS_UNSUPPORTED_MEDIA_TYPE:
      return "Use a JPEG, PNG, WebP or TIFF photo.";
    default:
      return status >= 500 ? "Try again later, or look at the server's log." : NULL;
    }
}

/* Turns a non-2xx answer into an error that names @action, the status, the server's own
 * message and what to do. */
static void
set_http_error (GError      **error,
                SoupMessage  *message,
                GBytes       *body,
                const char   *action)
{
  guint status = soup_message_get_status (message);
  g_autofree char *server_message = server_error_message (body);
  const char *reason = soup_message_get_reason_phrase (message);
  const char *advice = advice_for_status (status);
  g_autofree char *reason_text = NULL;

  if (reason == NULL || reason[0] == '\0')
    reason = soup_status_get_phrase (status);
  if (reason == NULL)
    reason = "";
  reason_text = sanitize_server_text (reason, strlen (reason));

  g_set_error (error, BI_CLIENT_ERROR, client_error_for_status (status),
               "%s failed: the server answered %u %s%s%s%s%s", action, status, reason_text,
               server_message != NULL ? ": " : ".",
               server_message != NULL ? server_message : "",
               advice != NULL ? " " : "", advice != NULL ? advice : "");
}

static gboolean
status_is_success (SoupMessage *message)
{
  return SOUP_STATUS_IS_SUCCESSFUL (soup_message_get_status (message));
}

/* ---- one HTTP exchange with a bounded answer ---- */

static void exchange_read_cb (GObject      *source,
                              GAsyncResult *result,
                              gpointer      user_data);

static void
exchange_read_next (GTask *task)
{
  Exchange *exchange = g_task_get_task_data (task);

  g_input_stream_read_bytes_async (exchange->stream, READ_CHUNK_SIZE, G_PRIORITY_DEFAULT,
                                   g_task_get_cancellable (task), exchange_read_cb, task);
}

static void
exchange_read_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Exchange *exchange = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) chunk = NULL;

  chunk = g_input_stream_read_bytes_finish (G_INPUT_STREAM (source), result, &error);
  if (chunk == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, BI_CLIENT_ERROR, BI_CLIENT_ERROR_UNREACHABLE,
                                 "The connection to %s broke while reading its answer (%s). "
                                 "Check that the server is still running, then try again.",
                                 exchange->server_label, error->message);
      return;
    }

  if (g_bytes_get_size (chunk) == 0)
    {
      g_task_return_pointer (task, g_byte_array_free_to_bytes (g_steal_pointer (&exchange->body)),
                             (GDestroyNotify) g_bytes_unref);
      return;
    }

  if (exchange->body->len + g_bytes_get_size (chunk) > exchange->limit)
    {
      g_task_return_new_error (task, BI_CLIENT_ERROR, BI_CLIENT_ERROR_BAD_RESPONSE,
                               "The answer from %s is larger than %" G_GSIZE_FORMAT " bytes; "
                               "check that the URL points at a BookImg server.",
                               exchange->server_label, exchange->limit);
      return;
    }

  g_byte_array_append (exchange->body, g_bytes_get_data (chunk, NULL),
                       (guint) g_bytes_get_size (chunk));
  exchange_read_next (g_steal_pointer (&task));
}

static void
exchange_send_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Exchange *exchange = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  exchange->stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (exchange->stream == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_error (task, unreachable_error_new (exchange->server_label, error));
      return;
    }

  exchange_read_next (g_steal_pointer (&task));
}

/* Sends @message and reads its answer (any status) into a GBytes of at most @limit bytes. */
static void
exchange_async (BiServerConnection  *self,
                SoupMessage         *message,
                gsize                limit,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Exchange *exchange = g_new0 (Exchange, 1);

  g_task_set_source_tag (task, exchange_async);
  exchange->message = g_object_ref (message);
  exchange->body = g_byte_array_new ();
  exchange->limit = limit;
  exchange->server_label = label_for_uri (soup_message_get_uri (message));
  g_task_set_task_data (task, exchange, (GDestroyNotify) exchange_free);

  soup_session_send_async (self->session, message, G_PRIORITY_DEFAULT, cancellable,
                           exchange_send_cb, g_steal_pointer (&task));
}

static GBytes *
exchange_finish (BiServerConnection  *self,
                 GAsyncResult        *result,
                 GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static SoupMessage *
new_api_message (BiServerConnection *self,
                 const char         *method,
                 const char         *path_and_query)
{
  g_autofree char *url = g_strconcat (self->base_url, path_and_query, NULL);
  SoupMessage *message = soup_message_new (method, url);

  g_assert (message != NULL); /* the base URL was validated, the rest is escaped */

  if (self->access_token != NULL)
    {
      g_autofree char *value = g_strconcat ("Bearer ", self->access_token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (message),
                                    "Authorization", value);
    }

  return message;
}

/* ---- GET /upload-url ---- */

static void
request_upload_url_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  BiServerConnection *self = BI_SERVER_CONNECTION (source);
  g_autoptr(GTask) task = user_data;
  SoupMessage *message = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autofree char *absolute = NULL;
  gsize length = 0;
  const char *data;

  body = exchange_finish (self, result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!status_is_success (message))
    {
      set_http_error (&error, message, body, "Asking the server for an upload URL");
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = g_bytes_get_data (body, &length);
  text = g_strndup (data != NULL ? data : "", length);
  g_strstrip (text);

  /* The URL may be relative to the server (embedded mode) or absolute (S3 presigned). A NUL
   * byte or inner white space means this is not one URL. */
  if (strlen (text) > 0 && memchr (data, '\0', length) == NULL
      && strpbrk (text, " \t\r\n") == NULL)
    absolute = g_uri_resolve_relative (self->base_url, text, SOUP_HTTP_URI_FLAGS, NULL);
  if (absolute == NULL
      || (uri = parse_http_url (absolute, "upload URL from the server", NULL)) == NULL)
    {
      g_task_return_new_error (task, BI_CLIENT_ERROR, BI_CLIENT_ERROR_BAD_RESPONSE,
                               "The server at %s answered the upload URL request with "
                               "something that is not an http(s) URL; check that it is a "
                               "BookImg server.", self->server_label);
      return;
    }

  g_task_return_pointer (task, g_uri_to_string (uri), g_free);
}

void
bi_server_connection_request_upload_url_async (BiServerConnection  *self,
                                               const char          *job_id,
                                               const char          *file_name,
                                               const char          *content_type,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autofree char *key = NULL;
  g_autofree char *escaped_key = NULL;
  g_autofree char *escaped_type = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (BI_IS_SERVER_CONNECTION (self));
  g_return_if_fail (job_id != NULL);
  g_return_if_fail (file_name != NULL);
  g_return_if_fail (content_type != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bi_server_connection_request_upload_url_async);

  /* Escaping everything but unreserved characters keeps `+` from being read as a space. */
  key = g_strconcat (job_id, "/", file_name, NULL);
  escaped_key = g_uri_escape_string (key, NULL, FALSE);
  escaped_type = g_uri_escape_string (content_type, NULL, FALSE);
  path = g_strconcat ("/upload-url?filename=", escaped_key, "&contentType=", escaped_type, NULL);

  message = new_api_message (self, SOUP_METHOD_GET, path);
  g_task_set_task_data (task, g_object_ref (message), g_object_unref);
  exchange_async (self, message, SMALL_ANSWER_LIMIT, cancellable, request_upload_url_cb,
                  g_steal_pointer (&task));
}

char *
bi_server_connection_request_upload_url_finish (BiServerConnection  *self,
                                                GAsyncResult        *result,
                                                GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- PUT <signed URL> ---- */

static void
upload_wrote_body_data_cb (SoupMessage *message,
                           guint        chunk_size,
                           gpointer     user_data)
{
  Upload *upload = user_data;

  upload->sent_bytes = MIN (upload->sent_bytes + chunk_size, upload->total_bytes);
  if (upload->progress != NULL)
    upload->progress (upload->sent_bytes, upload->total_bytes, upload->progress_data);
}

static void
upload_sent_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  BiServerConnection *self = BI_SERVER_CONNECTION (source);
  g_autoptr(GTask) task = user_data;
  Upload *upload = g_task_get_task_data (task);
  SoupMessage *message = g_object_get_data (G_OBJECT (task), "message");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;

  g_signal_handlers_disconnect_by_func (message, upload_wrote_body_data_cb, upload);

  body = exchange_finish (self, result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!status_is_success (message))
    {
      g_autofree char *action = g_strdup_printf ("Uploading %s", upload->display_name);

      set_http_error (&error, message, body, action);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
upload_query_size_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  BiServerConnection *self = g_task_get_source_object (user_data);
  g_autoptr(GTask) task = user_data;
  Upload *upload = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(SoupMessage) message = NULL;
  GCancellable *cancellable;

  info = g_file_input_stream_query_info_finish (G_FILE_INPUT_STREAM (source), result, &error);
  if (info == NULL)
    {
      g_task_return_new_error (task, BI_CLIENT_ERROR, BI_CLIENT_ERROR_FILE,
                               "Could not read the size of %s: %s", upload->display_name,
                               error->message);
      return;
    }

  upload->total_bytes = g_file_info_get_size (info);
  message = soup_message_new (SOUP_METHOD_PUT, upload->upload_url);
  g_assert (message != NULL); /* validated when the URL was received */

  /* No Authorization header: the signed URL is the credential, and S3 refuses a request that
   * carries two. Expect: 100-continue lets the server refuse (403, 413) before the body. */
  soup_message_headers_set_expectations (soup_message_get_request_headers (message),
                                         SOUP_EXPECTATION_CONTINUE);
  soup_message_set_request_body (message, upload->content_type,
                                 G_INPUT_STREAM (upload->file_stream),
                                 (gssize) upload->total_bytes);
  g_signal_connect (message, "wrote-body-data", G_CALLBACK (upload_wrote_body_data_cb), upload);
  g_object_set_data_full (G_OBJECT (task), "message", g_object_ref (message), g_object_unref);

  if (upload->progress != NULL)
    upload->progress (0, upload->total_bytes, upload->progress_data);

  cancellable = g_task_get_cancellable (task);
  exchange_async (self, message, SMALL_ANSWER_LIMIT, cancellable, upload_sent_cb,
                  g_steal_pointer (&task));
}

static void
upload_file_opened_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Upload *upload = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;

  upload->file_stream = g_file_read_finish (G_FILE (source), result, &error);
  if (upload->file_stream == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_new_error (task, BI_CLIENT_ERROR, BI_CLIENT_ERROR_FILE,
                                 "Could not open %s: %s", upload->display_name, error->message);
      return;
    }

  cancellable = g_task_get_cancellable (task);
  g_file_input_stream_query_info_async (upload->file_stream, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                        G_PRIORITY_DEFAULT, cancellable, upload_query_size_cb,
                                        g_steal_pointer (&task));
}

void
bi_server_connection_upload_async (BiServerConnection   *self,
                                   const char           *upload_url,
                                   GFile                *file,
                                   const char           *content_type,
                                   BiUploadProgressFunc  progress,
                                   gpointer              progress_data,
                                   GCancellable         *cancellable,
                                   GAsyncReadyCallback   callback,
                                   gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) error = NULL;
  Upload *upload;

  g_return_if_fail (BI_IS_SERVER_CONNECTION (self));
  g_return_if_fail (upload_url != NULL);
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (content_type != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bi_server_connection_upload_async);

  uri = parse_http_url (upload_url, "upload URL", &error);
  if (uri == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  upload = g_new0 (Upload, 1);
  upload->upload_url = g_uri_to_string (uri);
  upload->content_type = g_strdup (content_type);
  upload->display_name = g_file_get_parse_name (file);
  upload->progress = progress;
  upload->progress_data = progress_data;
  g_task_set_task_data (task, upload, (GDestroyNotify) upload_free);

  g_file_read_async (file, G_PRIORITY_DEFAULT, cancellable, upload_file_opened_cb,
                     g_steal_pointer (&task));
}

gboolean
bi_server_connection_upload_finish (BiServerConnection  *self,
                                    GAsyncResult        *result,
                                    GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- GET /results/<jobId> ---- */

/* Reads a 200 or 202 body: a JSON object for @job_id. */
static BiJobResults *
parse_results_body (GBytes      *body,
                    const char  *job_id,
                    gboolean     pending,
                    GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(BiJobResults) results = g_new0 (BiJobResults, 1);
  gsize length = 0;
  const char *data = g_bytes_get_data (body, &length);
  JsonNode *root;
  JsonObject *object;
  const char *status;
  const char *body_job_id;

  if (pending)
    {
      results->status = BI_JOB_STATUS_PENDING;
      /* The stage is informative only: a 202 without a usable body is still "pending". */
      if (data != NULL && g_utf8_validate (data, (gssize) length, NULL)
          && json_parser_load_from_data (parser, data, (gssize) length, NULL)
          && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          object = json_node_get_object (json_parser_get_root (parser));
          results->stage = g_strdup (bi_json_object_get_string (object, "stage"));
        }
      return g_steal_pointer (&results);
    }

  if (data == NULL || !g_utf8_validate (data, (gssize) length, NULL)
      || !json_parser_load_from_data (parser, data, (gssize) length, NULL)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    goto bad;

  object = json_node_get_object (root);
  body_job_id = bi_json_object_get_string (object, "jobId");
  if (body_job_id != NULL && strcmp (body_job_id, job_id) != 0)
    goto bad;

  status = bi_json_object_get_string (object, "status");
  if (g_strcmp0 (status, "complete") == 0)
    {
      results->status = BI_JOB_STATUS_COMPLETE;
      results->results = json_node_copy (root);
    }
  else if (g_strcmp0 (status, "failed") == 0)
    {
      JsonNode *error_node = json_object_get_member (object, "error");

      results->status = BI_JOB_STATUS_FAILED;
      if (error_node != NULL && JSON_NODE_HOLDS_OBJECT (error_node))
        {
          JsonObject *error_object = json_node_get_object (error_node);

          results->stage = g_strdup (bi_json_object_get_string (error_object, "stage"));
          results->error_code = g_strdup (bi_json_object_get_string (error_object, "code"));
          results->error_message = g_strdup (bi_json_object_get_string (error_object, "message"));
        }
    }
  else
    goto bad;

  return g_steal_pointer (&results);

bad:
  g_set_error (error, BI_CLIENT_ERROR, BI_CLIENT_ERROR_BAD_RESPONSE,
               "The server's results for %s are not the final results of that job.", job_id);
  return NULL;
}

static void
fetch_results_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  BiServerConnection *self = BI_SERVER_CONNECTION (source);
  g_autoptr(GTask) task = user_data;
  SoupMessage *message = g_task_get_task_data (task);
  const char *job_id = g_object_get_data (G_OBJECT (task), "job-id");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  BiJobResults *results;
  guint status;

  body = exchange_finish (self, result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  status = soup_message_get_status (message);
  if (status == SOUP_STATUS_NOT_FOUND)
    {
      results = g_new0 (BiJobResults, 1);
      results->status = BI_JOB_STATUS_UNKNOWN;
      g_task_return_pointer (task, results, (GDestroyNotify) bi_job_results_free);
      return;
    }

  if (status != SOUP_STATUS_OK && status != SOUP_STATUS_ACCEPTED)
    {
      set_http_error (&error, message, body, "Fetching the results of a job");
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  results = parse_results_body (body, job_id, status == SOUP_STATUS_ACCEPTED, &error);
  if (results == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, results, (GDestroyNotify) bi_job_results_free);
}

void
bi_server_connection_fetch_results_async (BiServerConnection  *self,
                                          const char          *job_id,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (BI_IS_SERVER_CONNECTION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bi_server_connection_fetch_results_async);

  /* The id goes into the path, so it must be exactly a job id. */
  if (!bi_job_id_validate (job_id, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  path = g_strconcat ("/results/", job_id, NULL);
  message = new_api_message (self, SOUP_METHOD_GET, path);
  g_task_set_task_data (task, g_object_ref (message), g_object_unref);
  g_object_set_data_full (G_OBJECT (task), "job-id", g_strdup (job_id), g_free);
  exchange_async (self, message, RESULTS_ANSWER_LIMIT, cancellable, fetch_results_cb,
                  g_steal_pointer (&task));
}

BiJobResults *
bi_server_connection_fetch_results_finish (BiServerConnection  *self,
                                           GAsyncResult        *result,
                                           GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- catalog search ---- */

#define CATALOG_ANSWER_LIMIT (1024 * 1024) /* at most 50 short book records */

static void
search_catalog_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  BiServerConnection *self = BI_SERVER_CONNECTION (source);
  g_autoptr(GTask) task = user_data;
  SoupMessage *message = g_task_get_task_data (task);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  const char *data;
  gsize length = 0;
  JsonNode *root;

  body = exchange_finish (self, result, &error);
  if (body == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (soup_message_get_status (message) != SOUP_STATUS_OK)
    {
      set_http_error (&error, message, body, "Searching the catalog");
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = g_bytes_get_data (body, &length);
  if (data == NULL || !json_parser_load_from_data (parser, data, (gssize) length, NULL)
      || (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_ARRAY (root))
    {
      g_task_return_new_error (task, BI_CLIENT_ERROR, BI_CLIENT_ERROR_BAD_RESPONSE,
                               "The server's catalog search answer is not a list of books.");
      return;
    }
  g_task_return_pointer (task, json_node_copy (root), (GDestroyNotify) json_node_unref);
}

void
bi_server_connection_search_catalog_async (BiServerConnection  *self,
                                           const char          *query,
                                           guint                limit,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (BI_IS_SERVER_CONNECTION (self));
  g_return_if_fail (query != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bi_server_connection_search_catalog_async);

  escaped = g_uri_escape_string (query, NULL, FALSE);
  path = g_strdup_printf ("/catalog/search?q=%s&limit=%u", escaped, CLAMP (limit, 1, 50));
  message = new_api_message (self, SOUP_METHOD_GET, path);
  g_task_set_task_data (task, g_object_ref (message), g_object_unref);
  exchange_async (self, message, CATALOG_ANSWER_LIMIT, cancellable, search_catalog_cb,
                  g_steal_pointer (&task));
}

JsonNode *
bi_server_connection_search_catalog_finish (BiServerConnection  *self,
                                            GAsyncResult        *result,
                                            GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- WebSocket ---- */

static void
open_websocket_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BiServerConnection *self = g_task_get_source_object (task);
  SoupMessage *message = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *websocket;
  guint status;

  websocket = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (websocket != NULL)
    {
      soup_websocket_connection_set_max_incoming_payload_size (websocket,
                                                               WEBSOCKET_MESSAGE_LIMIT);
      g_task_return_pointer (task, websocket, g_object_unref);
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* An HTTP answer other than 101 means the server is there but refused the upgrade. */
  status = soup_message_get_status (message);
  if (status >= 100)
    {
      g_autofree char *action = g_strdup_printf ("Opening the WebSocket at %s/ws",
                                                 self->server_label);

      if (status == SOUP_STATUS_SWITCHING_PROTOCOLS)
        g_task_return_new_error (task, BI_CLIENT_ERROR, BI_CLIENT_ERROR_BAD_RESPONSE,
                                 "%s failed: %s", action, error->message);
      else
        {
          g_clear_error (&error);
          set_http_error (&error, message, NULL, action);
          g_task_return_error (task, g_steal_pointer (&error));
        }
      return;
    }

  g_task_return_error (task, unreachable_error_new (self->server_label, error));
}

void
bi_server_connection_open_websocket_async (BiServerConnection  *self,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autofree char *url = NULL;

  g_return_if_fail (BI_IS_SERVER_CONNECTION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bi_server_connection_open_websocket_async);

  /* A browser cannot set headers on a WebSocket handshake, so the token rides in the query. */
  if (self->access_token != NULL)
    {
      g_autofree char *escaped = g_uri_escape_string (self->access_token, NULL, FALSE);

      url = g_strconcat (self->base_url, "/ws?token=", escaped, NULL);
    }
  else
    url = g_strconcat (self->base_url, "/ws", NULL);

  message = soup_message_new (SOUP_METHOD_GET, url);
  g_assert (message != NULL);
  g_task_set_task_data (task, g_object_ref (message), g_object_unref);

  soup_session_websocket_connect_async (self->session, message, NULL, NULL, G_PRIORITY_DEFAULT,
                                        cancellable, open_websocket_cb, g_steal_pointer (&task));
}

SoupWebsocketConnection *
bi_server_connection_open_websocket_finish (BiServerConnection  *self,
                                            GAsyncResult        *result,
                                            GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- GObject ---- */

static gboolean
bi_server_connection_initable_init (GInitable     *initable,
                                    GCancellable  *cancellable,
                                    GError       **error)
{
  BiServerConnection *self = BI_SERVER_CONNECTION (initable);
  g_autoptr(GUri) uri = NULL;
  g_autofree char *path = NULL;
  gsize path_length;

  if (self->base_url == NULL)
    {
      g_set_error_literal (error, BI_CLIENT_ERROR, BI_CLIENT_ERROR_BAD_URL,
                           "No server URL was given.");
      return FALSE;
    }

  uri = parse_http_url (self->base_url, "server URL", error);
  if (uri == NULL)
    return FALSE;

  if (g_uri_get_user (uri) != NULL)
    {
      g_set_error_literal (error, BI_CLIENT_ERROR, BI_CLIENT_ERROR_BAD_URL,
                           "The server URL must not contain a user name or password; "
                           "give the access token separately.");
      return FALSE;
    }
  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error_literal (error, BI_CLIENT_ERROR, BI_CLIENT_ERROR_BAD_URL,
                           "The server URL must not have a query (?…) or fragment (#…).");
      return FALSE;
    }

  if (self->access_token != NULL && !validate_access_token (self->access_token, error))
    return FALSE;

  /* Routes are appended to the base, so "http://h/api/" and "http://h/api" are the same.
   * (Joined without G_URI_FLAGS_SCHEME_NORMALIZE, which would turn an empty path into "/".) */
  path = g_strdup (g_uri_get_path (uri));
  path_length = strlen (path);
  while (path_length > 0 && path[path_length - 1] == '/')
    path[--path_length] = '\0';

  g_free (self->base_url);
  self->base_url = g_uri_join (G_URI_FLAGS_ENCODED, g_uri_get_scheme (uri), NULL,
                               g_uri_get_host (uri), g_uri_get_port (uri), path, NULL, NULL);
  self->server_label = label_for_uri (uri);
  return TRUE;
}

static void
bi_server_connection_initable_iface_init (GInitableIface *iface)
{
  iface->init = bi_server_connection_initable_init;
}

static void
bi_server_connection_dispose (GObject *object)
{
  BiServerConnection *self = BI_SERVER_CONNECTION (object);

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (bi_server_connection_parent_class)->dispose (object);
}

static void
bi_server_connection_finalize (GObject *object)
{
  BiServerConnection *self = BI_SERVER_CONNECTION (object);

  g_free (self->base_url);
  g_free (self->access_token);
  g_free (self->server_label);

  G_OBJECT_CLASS (bi_server_connection_parent_class)->finalize (object);
}

static void
bi_server_connection_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  BiServerConnection *self = BI_SERVER_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    case PROP_ACCESS_TOKEN:
      g_value_set_string (value, self->access_token);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bi_server_connection_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  BiServerConnection *self = BI_SERVER_CONNECTION (object);

  switch (prop_id)
    {
    case PROP_BASE_URL:
      self->base_url = g_value_dup_string (value);
      break;
    case PROP_ACCESS_TOKEN:
      self->access_token = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bi_server_connection_class_init (BiServerConnectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bi_server_connection_dispose;
  object_class->finalize = bi_server_connection_finalize;
  object_class->get_property = bi_server_connection_get_property;
  object_class->set_property = bi_server_connection_set_property;

  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ACCESS_TOKEN] =
    g_param_spec_string ("access-token", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bi_server_connection_init (BiServerConnection *self)
{
  self->session = soup_session_new_with_options ("user-agent", PACKAGE_NAME "/" PACKAGE_VERSION,
                                                 NULL);
}

/* ---- public API ---- */

BiServerConnection *
bi_server_connection_new (const char  *base_url,
                          const char  *access_token,
                          GError     **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  return g_initable_new (BI_TYPE_SERVER_CONNECTION, NULL, error,
                         "base-url", base_url,
                         "access-token", access_token,
                         NULL);
}

const char *
bi_server_connection_get_base_url (BiServerConnection *self)
{
  g_return_val_if_fail (BI_IS_SERVER_CONNECTION (self), NULL);

  return self->base_url;
}
