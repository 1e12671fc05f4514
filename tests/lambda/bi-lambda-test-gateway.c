/* bi-lambda-test-gateway.c — API Gateway's HTTP API, WebSocket API and @connections, played
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-lambda-test-gateway"

#include "bi-lambda-test-gateway.h"

#include "bi-lambda-test-world.h"
#include "bi-test-store-utils.h"

#include <libsoup/soup.h>
#include <string.h>

/* backend/terraform/apis.tf: the stage, and the routes besides $connect, $disconnect and
 * $default (all two-way but $connect and $disconnect). */
#define STAGE "prod"
static const char * const action_routes[] = { "subscribe", "unsubscribe", "ping", NULL };
/* Far more than a function takes here; only a hung one reaches it. */
#define INVOKE_TIMEOUT_MS 10000

struct _BiLambdaTestGateway
{
  SoupServer                  *server;             /* the URL clients get */
  SoupServer                  *management;         /* @connections */
  char                        *url;
  char                        *management_endpoint;
  BiLambdaTestRuntime         *http_api;           /* borrowed */
  BiLambdaTestRuntime         *connection_manager; /* borrowed */
  BiLambdaTestGatewayAnswered  answered;
  gpointer                     answered_data;
  GHashTable                  *connections;        /* id → Connection, while open */
  guint                        in_flight;          /* invocations not come back yet */
  guint                        n_posted;
};

/* One client's WebSocket. */
typedef struct
{
  BiLambdaTestGateway     *gateway;
  char                    *id;
  SoupWebsocketConnection *websocket;
  char                    *token;           /* ?token= of the handshake, or NULL */
  char                    *source_ip;
  gint64                   connected_at_ms;
  gint64                   last_active_ms;
  GQueue                   routes;          /* of Route: waiting for connection-manager */
  gboolean                 busy;            /* one route is with connection-manager */
} Connection;

typedef struct
{
  char *route_key;
  char *event_type;  /* CONNECT, MESSAGE or DISCONNECT */
  char *body;        /* the frame's text, or NULL */
} Route;

/* A paused HTTP request waiting for http-api. */
typedef struct
{
  BiLambdaTestGateway *gateway;
  SoupServerMessage   *msg;
  char                *method;
  char                *path;
  char                *raw_query;
} HttpCall;

/* ---- invoking a function off the main context ---------------------------------------------- */

typedef struct
{
  BiLambdaTestRuntime *runtime;
  char                *event;
} Invocation;

static void
invocation_free (Invocation *invocation)
{
  g_free (invocation->event);
  g_free (invocation);
}

static void
invoke_thread (GTask        *task,
               gpointer      source,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Invocation *invocation = task_data;

  g_task_return_pointer (task, bi_lambda_test_runtime_invoke (invocation->runtime,
                                                              invocation->event,
                                                              INVOKE_TIMEOUT_MS),
                         (GDestroyNotify) bi_lambda_test_outcome_free);
}

/* Hands @event (taken) to @runtime on a worker thread; @callback runs on this main context
 * and gets the outcome from invoke_finish(). */
static void
invoke_async (BiLambdaTestGateway *self,
              BiLambdaTestRuntime *runtime,
              char                *event,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, callback, user_data);
  Invocation *invocation = g_new0 (Invocation, 1);

  g_assert_nonnull (runtime);
  invocation->runtime = runtime;
  invocation->event = event;
  g_task_set_task_data (task, invocation, (GDestroyNotify) invocation_free);
  self->in_flight++;
  g_task_run_in_thread (task, invoke_thread);
}

/* The proxy answer ({"statusCode", "headers", "body", "isBase64Encoded"}) of an invocation,
 * or NULL when the function failed. */
static JsonObject *
invoke_finish (BiLambdaTestGateway  *self,
               GAsyncResult         *result,
               JsonNode            **root)
{
  g_autoptr(BiLambdaTestOutcome) outcome = g_task_propagate_pointer (G_TASK (result), NULL);

  self->in_flight--;
  *root = NULL;
  if (outcome->failed)
    {
      g_test_message ("A function failed: %s", outcome->body);
      return NULL;
    }
  return bi_lambda_test_parse_object (outcome->body, root);
}

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_STRING ? json_node_get_string (node)
                                                              : NULL;
}

/* ---- the HTTP API -------------------------------------------------------------------------- */

static void
http_call_free (HttpCall *call)
{
  g_object_unref (call->msg);
  g_free (call->method);
  g_free (call->path);
  g_free (call->raw_query);
  g_free (call);
}

/* The proxy answer as the HTTP response; a failed function is API Gateway's 500. */
static void
respond_from (SoupServerMessage *msg,
              JsonObject        *answer)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  JsonObject *answer_headers = answer != NULL && json_object_has_member (answer, "headers")
                               ? json_object_get_object_member (answer, "headers") : NULL;
  const char *body = member_string (answer, "body");
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *content_type = NULL;

  if (answer == NULL)
    {
      const char *error = "{\"message\":\"Internal Server Error\"}";

      soup_server_message_set_status (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, error,
                                        strlen (error));
      return;
    }

  soup_server_message_set_status (msg, json_object_get_int_member (answer, "statusCode"), NULL);
  if (answer_headers != NULL)
    {
      g_autoptr(GList) names = json_object_get_members (answer_headers);

      for (GList *l = names; l != NULL; l = l->next)
        soup_message_headers_replace (headers, l->data, member_string (answer_headers, l->data));
    }
  if (body == NULL)
    return;
  if (json_object_has_member (answer, "isBase64Encoded")
      && json_object_get_boolean_member (answer, "isBase64Encoded"))
    {
      gsize size = 0;
      guchar *data = g_base64_decode (body, &size);

      bytes = g_bytes_new_take (data, size);
    }
  else
    bytes = g_bytes_new (body, strlen (body));
  /* A copy: setting the response replaces the Content-Type header, which frees the string
   * the headers gave. */
  content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY,
                                    g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
http_answered_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  HttpCall *call = user_data;
  BiLambdaTestGateway *self = call->gateway;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *answer = invoke_finish (self, result, &root);

  respond_from (call->msg, answer);
  soup_server_message_unpause (call->msg);
  if (self->answered != NULL)
    self->answered (call->method, call->path, call->raw_query,
                    soup_server_message_get_status (call->msg), member_string (answer, "body"),
                    self->answered_data);
  http_call_free (call);
}

/* API Gateway passes the headers with lower-case names. */
static void
collect_header (const char *name,
                const char *value,
                gpointer    user_data)
{
  g_ptr_array_add (user_data, g_ascii_strdown (name, -1));
  g_ptr_array_add (user_data, g_strdup (value));
}

static void
http_cb (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  BiLambdaTestGateway *self = user_data;
  GUri *uri = soup_server_message_get_uri (msg);
  g_autoptr(GPtrArray) headers = g_ptr_array_new_with_free_func (g_free);
  HttpCall *call = g_new0 (HttpCall, 1);
  char *event;

  soup_message_headers_foreach (soup_server_message_get_request_headers (msg), collect_header,
                                headers);
  g_ptr_array_add (headers, NULL);
  call->gateway = self;
  call->msg = g_object_ref (msg);
  call->method = g_strdup (soup_server_message_get_method (msg));
  call->path = g_strdup (path);
  call->raw_query = g_strdup (g_uri_get_query (uri));
  /* The HTTP API has GETs only: the event carries no body. */
  event = bi_lambda_test_http_api_event (call->method, path, call->raw_query,
                                         (const char * const *) headers->pdata);
  soup_server_message_pause (msg);
  invoke_async (self, self->http_api, event, http_answered_cb, call);
}

/* ---- the WebSocket API --------------------------------------------------------------------- */

static void
route_free (Route *route)
{
  g_free (route->route_key);
  g_free (route->event_type);
  g_free (route->body);
  g_free (route);
}

static Connection *
connection_ref (Connection *connection)
{
  return g_rc_box_acquire (connection);
}

static void
connection_clear (Connection *connection)
{
  g_signal_handlers_disconnect_by_data (connection->websocket, connection);
  g_object_unref (connection->websocket);
  g_free (connection->id);
  g_free (connection->token);
  g_free (connection->source_ip);
  g_queue_clear_full (&connection->routes, (GDestroyNotify) route_free);
}

static void
connection_unref (Connection *connection)
{
  g_rc_box_release_full (connection, (GDestroyNotify) connection_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Connection, connection_unref)

static gboolean
connection_is_open (Connection *connection)
{
  return soup_websocket_connection_get_state (connection->websocket)
         == SOUP_WEBSOCKET_STATE_OPEN;
}

/* An id as API Gateway's look: 12 characters then "=", so clients must encode it in paths. */
static char *
connection_id_new (void)
{
  static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  GString *id = g_string_new (NULL);

  for (guint i = 0; i < 12; i++)
    g_string_append_c (id, alphabet[g_random_int_range (0, sizeof alphabet - 1)]);
  g_string_append_c (id, '=');
  return g_string_free (id, FALSE);
}

static void connection_next (Connection *connection);

static void
routed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Connection) connection = user_data;
  Route *route = g_queue_pop_head (&connection->routes);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *answer = invoke_finish (connection->gateway, result, &root);
  gint64 status = answer != NULL ? json_object_get_int_member (answer, "statusCode") : 500;
  const char *body = member_string (answer, "body");

  if (g_str_equal (route->event_type, "CONNECT"))
    {
      /* API Gateway would refuse the handshake; the socket is already open here. */
      if (status != 200 && connection_is_open (connection))
        soup_websocket_connection_close (connection->websocket,
                                         SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION, "refused");
    }
  else if (g_str_equal (route->event_type, "MESSAGE") && connection_is_open (connection))
    {
      if (answer == NULL)
        body = "{\"message\": \"Internal server error\"}";
      if (body != NULL)
        soup_websocket_connection_send_text (connection->websocket, body);
    }
  route_free (route);
  connection->busy = FALSE;
  connection_next (connection);
}

/* Hands the connection's next route, if any and none is out, to connection-manager. */
static void
connection_next (Connection *connection)
{
  Route *route = g_queue_peek_head (&connection->routes);
  char *event;

  if (connection->busy || route == NULL)
    return;
  connection->busy = TRUE;
  event = bi_lambda_test_websocket_event (route->route_key, route->event_type, connection->id,
                                          g_str_equal (route->event_type, "CONNECT")
                                            ? connection->token : NULL,
                                          route->body);
  invoke_async (connection->gateway, connection->gateway->connection_manager, event,
                routed_cb, connection_ref (connection));
}

static void
connection_route (Connection *connection,
                  const char *route_key,
                  const char *event_type,
                  const char *body)
{
  Route *route = g_new0 (Route, 1);

  route->route_key = g_strdup (route_key);
  route->event_type = g_strdup (event_type);
  route->body = g_strdup (body);
  g_queue_push_tail (&connection->routes, route);
  connection_next (connection);
}

/* $request.body.action: the route of that name, else $default. */
static const char *
route_key_for (const char *text)
{
  g_autoptr(JsonNode) root = json_from_string (text, NULL);
  const char *action = root != NULL && JSON_NODE_HOLDS_OBJECT (root)
                       ? member_string (json_node_get_object (root), "action") : NULL;

  for (guint i = 0; action != NULL && action_routes[i] != NULL; i++)
    if (g_str_equal (action, action_routes[i]))
      return action_routes[i];
  return "$default";
}

static void
websocket_message_cb (SoupWebsocketConnection *websocket,
                      gint                     type,
                      GBytes                  *message,
                      gpointer                 user_data)
{
  Connection *connection = user_data;
  g_autofree char *text = g_strndup (g_bytes_get_data (message, NULL),
                                     g_bytes_get_size (message));

  connection->last_active_ms = g_get_real_time () / 1000;
  connection_route (connection, route_key_for (text), "MESSAGE", text);
}

static void
websocket_closed_cb (SoupWebsocketConnection *websocket,
                     gpointer                 user_data)
{
  Connection *connection = user_data;

  connection_route (connection, "$disconnect", "DISCONNECT", NULL);
  /* From now on @connections answers 410 for it. */
  g_hash_table_remove (connection->gateway->connections, connection->id);
}

static void
websocket_cb (SoupServer              *server,
              SoupServerMessage       *msg,
              const char              *path,
              SoupWebsocketConnection *websocket,
              gpointer                 user_data)
{
  BiLambdaTestGateway *self = user_data;
  Connection *connection = g_rc_box_new0 (Connection);
  const char *raw_query = g_uri_get_query (soup_server_message_get_uri (msg));
  g_autoptr(GHashTable) query = raw_query != NULL
                                ? g_uri_parse_params (raw_query, -1, "&", G_URI_PARAMS_NONE,
                                                      NULL)
                                : NULL;

  connection->gateway = self;
  connection->id = connection_id_new ();
  connection->websocket = g_object_ref (websocket);
  connection->token = g_strdup (query != NULL ? g_hash_table_lookup (query, "token") : NULL);
  connection->source_ip = g_strdup (soup_server_message_get_remote_host (msg));
  connection->connected_at_ms = connection->last_active_ms = g_get_real_time () / 1000;
  g_queue_init (&connection->routes);
  g_hash_table_insert (self->connections, connection->id, connection);
  g_signal_connect (websocket, "message", G_CALLBACK (websocket_message_cb), connection);
  g_signal_connect (websocket, "closed", G_CALLBACK (websocket_closed_cb), connection);
  connection_route (connection, "$connect", "CONNECT", NULL);
}

/* ---- the management API -------------------------------------------------------------------- */

static void
respond_json (SoupServerMessage *msg,
              guint              status,
              const char        *error_type,
              const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  if (error_type != NULL)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "x-amzn-ErrorType", error_type);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body,
                                    strlen (body));
}

static char *
iso_time (gint64 unix_ms)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (unix_ms / 1000);
  g_autofree char *seconds = g_date_time_format (time, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", seconds, (int) (unix_ms % 1000));
}

static void
describe_connection (SoupServerMessage *msg,
                     Connection        *connection)
{
  g_autofree char *connected_at = iso_time (connection->connected_at_ms);
  g_autofree char *last_active = iso_time (connection->last_active_ms);
  g_autofree char *body = g_strdup_printf (
    "{\"connectedAt\":\"%s\",\"identity\":{\"sourceIp\":\"%s\"},\"lastActiveAt\":\"%s\"}",
    connected_at, connection->source_ip, last_active);

  respond_json (msg, SOUP_STATUS_OK, NULL, body);
}

static void
management_cb (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  BiLambdaTestGateway *self = user_data;
  const char *prefix = "/" STAGE "/@connections/";
  const char *method = soup_server_message_get_method (msg);
  const char *authorization = soup_message_headers_get_one (
                                soup_server_message_get_request_headers (msg), "Authorization");
  g_autofree char *id = NULL;
  Connection *connection;

  if (!g_str_has_prefix (path, prefix))
    {
      respond_json (msg, SOUP_STATUS_NOT_FOUND, "NotFoundException", "{\"message\":null}");
      return;
    }
  /* Signatures are not checked (as by the emulators), but an unsigned call is a bug. */
  if (authorization == NULL || !g_str_has_prefix (authorization, "AWS4-HMAC-SHA256 "))
    {
      respond_json (msg, SOUP_STATUS_FORBIDDEN, "ForbiddenException",
                    "{\"message\":\"Missing Authentication Token\"}");
      return;
    }

  id = g_uri_unescape_string (path + strlen (prefix), NULL);
  connection = id != NULL ? g_hash_table_lookup (self->connections, id) : NULL;
  if (connection == NULL || !connection_is_open (connection))
    {
      respond_json (msg, SOUP_STATUS_GONE, "GoneException", "{\"message\":null}");
      return;
    }

  if (g_str_equal (method, SOUP_METHOD_POST))
    {
      SoupMessageBody *request_body = soup_server_message_get_request_body (msg);
      g_autoptr(GBytes) body = soup_message_body_flatten (request_body);
      g_autofree char *text = g_strndup (g_bytes_get_data (body, NULL),
                                         g_bytes_get_size (body));

      soup_websocket_connection_send_text (connection->websocket, text);
      self->n_posted++;
      soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
    }
  else if (g_str_equal (method, SOUP_METHOD_GET))
    describe_connection (msg, connection);
  else if (g_str_equal (method, SOUP_METHOD_DELETE))
    {
      soup_websocket_connection_close (connection->websocket, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
    }
  else
    soup_server_message_set_status (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, NULL);
}

/* ---- the gateway --------------------------------------------------------------------------- */

static char *
listen_on_loopback (SoupServer *server)
{
  g_autoptr(GError) error = NULL;
  GSList *uris;
  char *url;

  soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (server);
  g_assert_nonnull (uris);
  url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return url;
}

BiLambdaTestGateway *
bi_lambda_test_gateway_new (void)
{
  BiLambdaTestGateway *self = g_new0 (BiLambdaTestGateway, 1);
  g_autofree char *management_url = NULL;

  self->connections = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                             (GDestroyNotify) connection_unref);
  self->server = soup_server_new (NULL, NULL);
  soup_server_add_websocket_handler (self->server, "/ws", NULL, NULL, websocket_cb, self, NULL);
  soup_server_add_handler (self->server, NULL, http_cb, self, NULL);
  self->url = listen_on_loopback (self->server);

  self->management = soup_server_new (NULL, NULL);
  soup_server_add_handler (self->management, NULL, management_cb, self, NULL);
  management_url = listen_on_loopback (self->management);
  self->management_endpoint = g_strconcat (management_url, "/" STAGE, NULL);
  return self;
}

void
bi_lambda_test_gateway_set_functions (BiLambdaTestGateway *self,
                                      BiLambdaTestRuntime *http_api,
                                      BiLambdaTestRuntime *connection_manager)
{
  self->http_api = http_api;
  self->connection_manager = connection_manager;
}

void
bi_lambda_test_gateway_set_answered (BiLambdaTestGateway         *self,
                                     BiLambdaTestGatewayAnswered  answered,
                                     gpointer                     user_data)
{
  self->answered = answered;
  self->answered_data = user_data;
}

const char *
bi_lambda_test_gateway_get_url (BiLambdaTestGateway *self)
{
  return self->url;
}

const char *
bi_lambda_test_gateway_get_management_endpoint (BiLambdaTestGateway *self)
{
  return self->management_endpoint;
}

guint
bi_lambda_test_gateway_get_n_posted (BiLambdaTestGateway *self)
{
  return self->n_posted;
}

static gboolean
is_quiet (gpointer user_data)
{
  BiLambdaTestGateway *self = user_data;

  return self->in_flight == 0 && g_hash_table_size (self->connections) == 0;
}

void
bi_lambda_test_gateway_free (BiLambdaTestGateway *self)
{
  if (self == NULL)
    return;

  bi_test_wait_until (is_quiet, self, BI_TEST_TIMEOUT_SECONDS,
                      "the gateway's connections to close and its invocations to end");
  soup_server_disconnect (self->server);
  soup_server_disconnect (self->management);
  g_object_unref (self->server);
  g_object_unref (self->management);
  g_hash_table_unref (self->connections);
  g_free (self->url);
  g_free (self->management_endpoint);
  g_free (self);
}
