/* bi-http-server.c — dispatch, access control, request bodies, /ws and the small routes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-http-server"

#include "config.h"

#include "bi-http-server-private.h"
#include "bi-protocol-error.h"
#include "bi-protocol-messages.h"

#include <string.h>

/* Connections waiting to be accepted. libsoup's own listen uses 10: measured here, 1,000
 * clients connecting at once then took 30 s of SYN retries instead of under a second. */
#define LISTEN_BACKLOG 1024
/* Bodies of the management routes: at most one queue message. */
#define MAX_MANAGEMENT_BODY_BYTES BI_QUEUE_MAX_BODY_SIZE

typedef enum
{
  ACCESS_PUBLIC,   /* anyone (liveness probes carry no token) */
  ACCESS_TOKEN,    /* the access token, if the server has one */
  ACCESS_SIGNED,   /* the URL's own signature, checked by the route */
  ACCESS_LOOPBACK, /* the access token and a client on this machine */
} RouteAccess;

typedef enum
{
  BODY_NONE,       /* whatever comes is left to libsoup (GET, DELETE) */
  BODY_MANAGEMENT, /* up to MAX_MANAGEMENT_BODY_BYTES */
  BODY_UPLOAD,     /* up to --max-upload-bytes */
} RouteBody;

typedef struct
{
  const char  *path;    /* exact path, or a prefix ending in '/' when `prefix` is set */
  gboolean     prefix;
  const char  *methods; /* allowed methods, as in an Allow header */
  const char  *label;   /* for metrics: the path pattern */
  RouteAccess  access;
  RouteBody    body;
  BiRouteFunc  begin;   /* when the headers are in (may answer at once); may be NULL */
  BiRouteFunc  handle;  /* when the body is in; NULL for /ws, which libsoup upgrades */
} Route;

static void healthz_route      (BiHttpServer *, SoupServerMessage *, const char *, GHashTable *);
static void metrics_route      (BiHttpServer *, SoupServerMessage *, const char *, GHashTable *);
static void websocket_begin    (BiHttpServer *, SoupServerMessage *, const char *, GHashTable *);

static const Route routes[] = {
  /* The web page is public: a browser must load it before it can ask for the token. */
  { "/", FALSE, "GET, HEAD", "/", ACCESS_PUBLIC, BODY_NONE, NULL, bi_web_page_route },
  { "/static/", TRUE, "GET, HEAD", "/static/{file}", ACCESS_PUBLIC, BODY_NONE, NULL,
    bi_web_static_route },
  { "/healthz", FALSE, "GET", "/healthz", ACCESS_PUBLIC, BODY_NONE, NULL, healthz_route },
  { "/metrics", FALSE, "GET", "/metrics", ACCESS_TOKEN, BODY_NONE, NULL, metrics_route },
  { "/upload-url", FALSE, "GET", "/upload-url", ACCESS_TOKEN, BODY_NONE, NULL,
    bi_upload_url_route },
  { "/upload/", TRUE, "PUT", "/upload/{key}", ACCESS_SIGNED, BODY_UPLOAD,
    bi_upload_route_begin, bi_upload_route_finish },
  { "/results/", TRUE, "GET", "/results/{jobId}", ACCESS_TOKEN, BODY_NONE, NULL,
    bi_results_route },
  { "/catalog/search", FALSE, "GET", "/catalog/search", ACCESS_TOKEN, BODY_NONE, NULL,
    bi_catalog_search_route },
  { "/ws", FALSE, "GET", "/ws", ACCESS_TOKEN, BODY_NONE, websocket_begin, NULL },
  { "/@connections/", TRUE, "GET, POST, DELETE", "/@connections/{id}", ACCESS_LOOPBACK,
    BODY_MANAGEMENT, NULL, bi_connections_route },
  { "/@topic", FALSE, "POST", "/@topic", ACCESS_LOOPBACK, BODY_MANAGEMENT, NULL,
    bi_topic_route },
};

/* ---- responses ---------------------------------------------------------------------------- */

/* libsoup reports both a request the client cut short and one answered 500 as "aborted";
 * the 500s we answer carry this mark, so the metrics can tell them apart. */
#define ANSWERED_500_KEY "bi-answered-500"

void
bi_http_respond (SoupServerMessage *msg,
                 guint              status,
                 const char        *content_type,
                 const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  if (status == SOUP_STATUS_INTERNAL_SERVER_ERROR)
    g_object_set_data (G_OBJECT (msg), ANSWERED_500_KEY, GINT_TO_POINTER (TRUE));
  if (body != NULL)
    soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, body, strlen (body));
}

void
bi_http_respond_json_node (SoupServerMessage *msg,
                           guint              status,
                           JsonNode          *node)
{
  g_autofree char *body = bi_json_to_string (node);

  bi_http_respond (msg, status, "application/json", body);
}

void
bi_http_respond_error (SoupServerMessage *msg,
                       guint              status,
                       const char        *code,
                       const char        *message)
{
  g_autofree char *body = bi_error_json_new (code, message);

  bi_http_respond (msg, status, "application/json", body);
}

void
bi_http_respond_bad_request (SoupServerMessage *msg,
                             const GError      *error)
{
  const char *code = error->domain == BI_PROTOCOL_ERROR
                     ? bi_protocol_error_code_name (error->code) : "bad_request";

  bi_http_respond_error (msg, SOUP_STATUS_BAD_REQUEST, code, error->message);
}

char *
bi_http_decode_segment (const char *segment)
{
  /* g_uri_unescape_string() refuses invalid escapes; "" as illegal characters refuses none,
   * but a decoded NUL would cut the string short, so look for its escape ourselves. */
  if (segment == NULL || strstr (segment, "%00") != NULL)
    return NULL;
  return g_uri_unescape_string (segment, NULL);
}

/* ---- request bodies ------------------------------------------------------------------------
 *
 * libsoup accumulates a request body without limit. For routes that take one we collect it
 * ourselves, chunk by chunk, and stop keeping it once it passes the limit: a declared length
 * over the limit is refused before anything is read; a chunked body, which declares none, is
 * read to its end (so the connection stays in step) but not kept. */

#define CAPTURED_BODY_KEY "bi-captured-body"

typedef struct
{
  GByteArray *data;      /* NULL once the body passed the limit */
  guint64     limit;
} CapturedBody;

static void
captured_body_free (CapturedBody *captured)
{
  g_clear_pointer (&captured->data, g_byte_array_unref);
  g_free (captured);
}

static void
got_chunk_cb (SoupServerMessage *msg,
              GBytes            *chunk,
              gpointer           user_data)
{
  CapturedBody *captured = user_data;
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (chunk, &size);

  if (captured->data == NULL)
    return;
  if (captured->data->len + (guint64) size > captured->limit)
    {
      g_clear_pointer (&captured->data, g_byte_array_unref);
      return;
    }
  g_byte_array_append (captured->data, data, size);
}

static void
respond_too_large (SoupServerMessage *msg,
                   guint64            limit)
{
  g_autofree char *message = g_strdup_printf ("The body is larger than this server takes "
                                              "(%" G_GUINT64_FORMAT " bytes).", limit);

  /* The unread rest of the body must not be taken for the next request. */
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection",
                                "close");
  bi_http_respond_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "payload_too_large",
                         message);
}

/* Early: answers 413 at once when the declared length passes @limit. */
static void
capture_body (SoupServerMessage *msg,
              guint64            limit)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  CapturedBody *captured;

  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH
      && (guint64) soup_message_headers_get_content_length (headers) > limit)
    {
      respond_too_large (msg, limit);
      return;
    }

  captured = g_new0 (CapturedBody, 1);
  captured->data = g_byte_array_new ();
  captured->limit = limit;
  g_object_set_data_full (G_OBJECT (msg), CAPTURED_BODY_KEY, captured,
                          (GDestroyNotify) captured_body_free);
  soup_message_body_set_accumulate (soup_server_message_get_request_body (msg), FALSE);
  g_signal_connect (msg, "got-chunk", G_CALLBACK (got_chunk_cb), captured);
}

GBytes *
bi_http_captured_body (SoupServerMessage *msg)
{
  CapturedBody *captured = g_object_get_data (G_OBJECT (msg), CAPTURED_BODY_KEY);

  g_return_val_if_fail (captured != NULL, NULL);

  if (captured->data == NULL)
    {
      respond_too_large (msg, captured->limit);
      return NULL;
    }
  return g_bytes_new (captured->data->data, captured->data->len);
}

/* ---- routing and access ------------------------------------------------------------------ */

static const Route *
find_route (const char *path)
{
  for (guint i = 0; i < G_N_ELEMENTS (routes); i++)
    {
      if (routes[i].prefix ? g_str_has_prefix (path, routes[i].path)
                           : strcmp (path, routes[i].path) == 0)
        return &routes[i];
    }
  return NULL;
}

/* What follows a prefix route's path ("<jobId>" of "/results/<jobId>"); NULL for others. */
static const char *
route_tail (const Route *route,
            const char  *path)
{
  return route->prefix ? path + strlen (route->path) : NULL;
}

static gboolean
method_allowed (const Route *route,
                const char  *method)
{
  g_auto(GStrv) methods = g_strsplit (route->methods, ", ", -1);

  return g_strv_contains ((const char * const *) methods, method);
}

static gboolean
client_is_loopback (SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);
  GInetAddress *address;
  g_autofree char *text = NULL;

  if (!G_IS_INET_SOCKET_ADDRESS (remote))
    return FALSE;
  address = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote));
  if (g_inet_address_get_is_loopback (address))
    return TRUE;
  /* An IPv4 client of a dual-stack socket shows up as ::ffff:127.x.y.z. */
  text = g_inet_address_to_string (address);
  return g_str_has_prefix (text, "::ffff:127.");
}

static const char *
request_token (SoupServerMessage *msg,
               GHashTable        *query)
{
  const char *authorization;

  authorization = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                "Authorization");
  if (authorization != NULL && g_ascii_strncasecmp (authorization, "Bearer ", 7) == 0)
    return authorization + 7;
  /* Browsers cannot set headers on a WebSocket handshake, so a query parameter also works. */
  return query != NULL ? g_hash_table_lookup (query, "token") : NULL;
}

/* FALSE (with the response set) when the request may not use @route. */
static gboolean
check_access (BiHttpServer      *self,
              const Route       *route,
              SoupServerMessage *msg,
              GHashTable        *query)
{
  const char *token;

  if (route->access == ACCESS_LOOPBACK && !client_is_loopback (msg))
    {
      bi_http_respond_error (msg, SOUP_STATUS_FORBIDDEN, "forbidden",
                             "The management API only answers clients on this machine.");
      return FALSE;
    }

  if (route->access == ACCESS_PUBLIC || route->access == ACCESS_SIGNED
      || self->access_token == NULL)
    return TRUE;

  token = request_token (msg, query);
  if (token == NULL || !bi_constant_time_equal (token, self->access_token))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate", "Bearer");
      bi_http_respond_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                             token == NULL
                             ? "This server needs its access token: send "
                               "`Authorization: Bearer TOKEN` (or ?token=TOKEN)."
                             : "The access token is wrong; use the one the server was "
                               "started with.");
      return FALSE;
    }

  return TRUE;
}

/* Runs when a request's headers are in: unknown paths, wrong methods and missing
 * credentials are answered before any body is read. */
static void
early_handler_cb (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  BiHttpServer *self = user_data;
  const Route *route = find_route (path);
  const char *method = soup_server_message_get_method (msg);

  if (route == NULL)
    {
      bi_http_respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found",
                             "There is no such route; see docs/protocol.md for the API.");
      return;
    }

  if (!method_allowed (route, method))
    {
      g_autofree char *message = g_strdup_printf ("%s takes %s only.", route->label,
                                                  route->methods);

      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                    route->methods);
      bi_http_respond_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method_not_allowed", message);
      return;
    }

  if (!check_access (self, route, msg, query))
    return;

  /* The route's own checks (an upload's signature) come before the size: a stranger learns
   * nothing from a 413. */
  if (route->begin != NULL)
    {
      route->begin (self, msg, route_tail (route, path), query);
      if (soup_server_message_get_status (msg) != 0)
        return;
    }

  if (route->body != BODY_NONE)
    capture_body (msg, route->body == BODY_UPLOAD ? self->max_upload_bytes
                                                  : MAX_MANAGEMENT_BODY_BYTES);
}

static void
handler_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  BiHttpServer *self = user_data;
  const Route *route = find_route (path);

  /* The early handler answered every request without a route. */
  g_return_if_fail (route != NULL && route->handle != NULL);

  route->handle (self, msg, route_tail (route, path), query);
}

static void
request_finished_cb (SoupServer        *server,
                     SoupServerMessage *msg,
                     gpointer           user_data)
{
  BiHttpServer *self = user_data;
  const Route *route = find_route (g_uri_get_path (soup_server_message_get_uri (msg)));

  bi_metrics_count_http_request (self->parts.metrics, route != NULL ? route->label : "other",
                                 soup_server_message_get_status (msg));
}

static void
request_aborted_cb (SoupServer        *server,
                    SoupServerMessage *msg,
                    gpointer           user_data)
{
  BiHttpServer *self = user_data;

  if (g_object_get_data (G_OBJECT (msg), ANSWERED_500_KEY) != NULL)
    request_finished_cb (server, msg, user_data);
  else
    bi_metrics_count_http_aborted (self->parts.metrics);
}

/* ---- WebSocket ----------------------------------------------------------------------------- */

/* A plain GET of /ws gets a JSON error instead of libsoup's bare 400. */
static void
websocket_begin (BiHttpServer      *self,
                 SoupServerMessage *msg,
                 const char        *tail,
                 GHashTable        *query)
{
  g_autoptr(GError) error = NULL;

  if (!soup_websocket_server_check_handshake (msg, NULL, NULL, NULL, &error))
    {
      g_autofree char *message = g_strdup_printf ("/ws is the WebSocket endpoint; connect with "
                                                  "a WebSocket client (%s).", error->message);

      bi_http_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_request", message);
    }
}

static void
websocket_cb (SoupServer              *server,
              SoupServerMessage       *msg,
              const char              *path,
              SoupWebsocketConnection *connection,
              gpointer                 user_data)
{
  BiHttpServer *self = user_data;

  bi_metrics_count_http_request (self->parts.metrics, "/ws",
                                 SOUP_STATUS_SWITCHING_PROTOCOLS);
  bi_connection_manager_accept (self->parts.connections, connection,
                                soup_server_message_get_socket (msg),
                                soup_server_message_get_remote_host (msg));
}

/* ---- small routes ------------------------------------------------------------------------- */

static void
healthz_route (BiHttpServer      *self,
               SoupServerMessage *msg,
               const char        *tail,
               GHashTable        *query)
{
  bi_http_respond (msg, SOUP_STATUS_OK, "application/json", "{\"status\":\"ok\"}");
}

static void
metrics_route (BiHttpServer      *self,
               SoupServerMessage *msg,
               const char        *tail,
               GHashTable        *query)
{
  static const char * const queues[] = {
    BI_QUEUE_UPLOAD_EVENTS, BI_QUEUE_OCR, BI_QUEUE_CANDIDATES, BI_QUEUE_VALIDATION,
    BI_QUEUE_NOTIFICATIONS, NULL,
  };
  g_autoptr(GString) out = g_string_new (NULL);

  bi_metrics_write_gauge (out, "bookimg_websocket_connections", "Open WebSocket connections.",
                          bi_connection_manager_count (self->parts.connections));
  bi_metrics_write_gauge (out, "bookimg_subscriptions", "Subscriptions that have not expired.",
                          bi_subscription_store_count (self->parts.subscriptions));
  bi_metrics_write (self->parts.metrics, out);
  bi_metrics_write_queue_depths (out, self->parts.queue, queues);
  if (self->parts.stage_host != NULL)
    bi_stage_host_write_metrics (self->parts.stage_host, out);

  bi_http_respond (msg, SOUP_STATUS_OK, "text/plain; version=0.0.4; charset=utf-8", out->str);
}

/* ---- public API ---------------------------------------------------------------------------- */

BiHttpServer *
bi_http_server_new (const BiHttpServerParts  *parts,
                    const BiHttpServerConfig *config)
{
  BiHttpServer *self;

  g_return_val_if_fail (parts != NULL && config != NULL, NULL);
  g_return_val_if_fail (parts->queue != NULL && parts->blob_store != NULL, NULL);
  g_return_val_if_fail (parts->jobs != NULL && parts->subscriptions != NULL, NULL);
  g_return_val_if_fail (parts->catalog != NULL && parts->signer != NULL, NULL);
  g_return_val_if_fail (parts->connections != NULL && parts->metrics != NULL, NULL);

  self = g_new0 (BiHttpServer, 1);
  self->parts = *parts;
  self->access_token = g_strdup (config->access_token);
  self->max_upload_bytes = config->max_upload_bytes;

  /* raw-paths: we decode path segments ourselves, so that an encoded "../" in a job id is
   * answered with our JSON error (bad_job_id) rather than libsoup's bare 400. */
  self->server = soup_server_new ("server-header", PACKAGE_NAME "/" PACKAGE_VERSION,
                                  "raw-paths", TRUE, NULL);
  /* permessage-deflate keeps a zlib stream per connection (tens of KiB each); our messages
   * are small, and memory per idle connection matters more. */
  soup_server_remove_websocket_extension (self->server, SOUP_TYPE_WEBSOCKET_EXTENSION_DEFLATE);

  soup_server_add_early_handler (self->server, NULL, early_handler_cb, self, NULL);
  soup_server_add_handler (self->server, NULL, handler_cb, self, NULL);
  soup_server_add_early_handler (self->server, "/ws", early_handler_cb, self, NULL);
  soup_server_add_websocket_handler (self->server, "/ws", NULL, NULL, websocket_cb, self, NULL);
  g_signal_connect (self->server, "request-finished", G_CALLBACK (request_finished_cb), self);
  g_signal_connect (self->server, "request-aborted", G_CALLBACK (request_aborted_cb), self);

  return self;
}

void
bi_http_server_free (BiHttpServer *self)
{
  if (self == NULL)
    return;

  /* An upload being stored or a catalog search uses the stores and the catalog, which the
   * caller frees next. */
  while (self->work_in_progress > 0)
    g_main_context_iteration (NULL, TRUE);

  soup_server_disconnect (self->server);
  g_signal_handlers_disconnect_by_data (self->server, self);
  g_clear_object (&self->server);
  g_free (self->access_token);
  g_free (self->url);
  g_free (self);
}

gboolean
bi_http_server_listen (BiHttpServer        *self,
                       GInetSocketAddress  *address,
                       GError             **error)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketAddress) local = NULL;
  g_autofree char *host = NULL;
  GInetAddress *inet;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (G_IS_INET_SOCKET_ADDRESS (address), FALSE);

  socket = g_socket_new (g_socket_address_get_family (G_SOCKET_ADDRESS (address)),
                         G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, error);
  if (socket == NULL)
    return FALSE;

  g_socket_set_listen_backlog (socket, LISTEN_BACKLOG);
  if (!g_socket_bind (socket, G_SOCKET_ADDRESS (address), TRUE, error)
      || !g_socket_listen (socket, error)
      || !soup_server_listen_socket (self->server, socket, 0, error))
    return FALSE;

  local = g_socket_get_local_address (socket, error);
  if (local == NULL)
    return FALSE;

  inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (local));
  host = g_inet_address_to_string (inet);
  g_free (self->url);
  self->url = g_strdup_printf (g_inet_address_get_family (inet) == G_SOCKET_FAMILY_IPV6
                               ? "http://[%s]:%u" : "http://%s:%u", host,
                               g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (local)));
  return TRUE;
}

const char *
bi_http_server_get_url (BiHttpServer *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->url;
}
