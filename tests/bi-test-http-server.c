/* bi-test-http-server.c — a libsoup server on a thread of its own, scripted or with a handler
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-test-http-server"

#include "bi-test-http-server.h"

#include <string.h>

/* One scripted answer. */
typedef struct
{
  guint   status;
  GStrv   headers; /* name, value, … */
  GBytes *body;
} Response;

struct _BiTestHttpServer
{
  GThread           *thread;
  GMainContext      *context;   /* the server thread's */
  GMainLoop         *loop;
  SoupServer        *server;    /* made, used and freed on the server thread */
  BiTestHttpHandler  handler;   /* answers; answer_from_script for a scripted server */
  gpointer           user_data;

  GMutex             lock;      /* guards everything below */
  GCond              changed;   /* signalled when the server listens and at each request */
  char              *url;       /* NULL until the server listens */
  GQueue             queued;    /* of Response */
  Response          *fallback;
  GPtrArray         *requests;  /* of BiTestHttpRequest */
};

static Response *
response_new (guint               status,
              const char * const *headers,
              const char         *body)
{
  Response *response = g_new0 (Response, 1);

  response->status = status;
  response->headers = g_strdupv ((char **) headers);
  response->body = g_bytes_new (body != NULL ? body : "", body != NULL ? strlen (body) : 0);
  return response;
}

static void
response_free (Response *response)
{
  g_strfreev (response->headers);
  g_bytes_unref (response->body);
  g_free (response);
}

static void
request_free (BiTestHttpRequest *request)
{
  g_free (request->method);
  g_free (request->path);
  g_hash_table_unref (request->query);
  g_hash_table_unref (request->headers);
  g_bytes_unref (request->body);
  g_free (request);
}

static void
record_header_cb (const char *name,
                  const char *value,
                  gpointer    user_data)
{
  g_hash_table_insert (user_data, g_ascii_strdown (name, -1), g_strdup (value));
}

static BiTestHttpRequest *
request_new (SoupServerMessage *message,
             const char        *path)
{
  BiTestHttpRequest *request = g_new0 (BiTestHttpRequest, 1);
  GUri *uri = soup_server_message_get_uri (message);
  SoupMessageBody *body = soup_server_message_get_request_body (message);

  request->method = g_strdup (soup_server_message_get_method (message));
  request->path = g_strdup (path);
  request->query = g_uri_get_query (uri) != NULL
                   ? g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, NULL)
                   : NULL;
  if (request->query == NULL)
    request->query = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  request->headers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  soup_message_headers_foreach (soup_server_message_get_request_headers (message),
                                record_header_cb, request->headers);
  request->body = soup_message_body_flatten (body);
  return request;
}

/* The handler of a scripted server: the next queued answer, else a copy of the default. */
static void
answer_from_script (SoupServerMessage       *message,
                    const BiTestHttpRequest *request,
                    guint                    index,
                    gpointer                 user_data)
{
  BiTestHttpServer *self = user_data;
  SoupMessageHeaders *response_headers = soup_server_message_get_response_headers (message);
  Response *response;
  gconstpointer data;
  gsize length;

  g_mutex_lock (&self->lock);
  response = g_queue_pop_head (&self->queued);
  if (response == NULL)
    {
      response = response_new (self->fallback->status,
                               (const char * const *) self->fallback->headers, NULL);
      g_bytes_unref (response->body);
      response->body = g_bytes_ref (self->fallback->body);
    }
  g_mutex_unlock (&self->lock);

  soup_server_message_set_status (message, response->status, NULL);
  for (guint i = 0; response->headers != NULL && response->headers[i] != NULL
                    && response->headers[i + 1] != NULL; i += 2)
    soup_message_headers_append (response_headers, response->headers[i],
                                 response->headers[i + 1]);
  data = g_bytes_get_data (response->body, &length);
  soup_server_message_set_response (message, "application/json; charset=UTF-8",
                                    SOUP_MEMORY_COPY, data, length);
  response_free (response);
}

static void
handle_cb (SoupServer        *server,
           SoupServerMessage *message,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  BiTestHttpServer *self = user_data;
  BiTestHttpRequest *request = request_new (message, path);
  guint index;

  g_mutex_lock (&self->lock);
  index = self->requests->len;
  g_ptr_array_add (self->requests, request);
  g_cond_broadcast (&self->changed);
  g_mutex_unlock (&self->lock);

  /* Outside the lock: a handler may take its own, or ask the server what it recorded. */
  self->handler (message, request, index, self->user_data);
}

static gpointer
serve_thread (gpointer data)
{
  BiTestHttpServer *self = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  GSList *uris;

  /* The server's sockets attach to the thread-default context when it starts listening. */
  g_main_context_push_thread_default (self->context);
  self->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (self->server, NULL, handle_cb, self, NULL);
  soup_server_listen (self->server, address, 0, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (self->server);
  g_assert_nonnull (uris);

  g_mutex_lock (&self->lock);
  self->url = g_uri_to_string_partial (uris->data, G_URI_HIDE_PASSWORD);
  /* "http://127.0.0.1:PORT/": the clients add their own paths. */
  if (g_str_has_suffix (self->url, "/"))
    self->url[strlen (self->url) - 1] = '\0';
  g_cond_broadcast (&self->changed);
  g_mutex_unlock (&self->lock);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_main_loop_run (self->loop);

  /* Closes the held requests' connections too. */
  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  /* Let the disconnects finish on this context before it goes. */
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

/* A server not yet started: set its handler, then start it. */
static BiTestHttpServer *
server_alloc (void)
{
  BiTestHttpServer *self = g_new0 (BiTestHttpServer, 1);

  g_mutex_init (&self->lock);
  g_cond_init (&self->changed);
  g_queue_init (&self->queued);
  self->fallback = response_new (404, NULL, NULL);
  self->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) request_free);
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  return self;
}

/* Returns once the server listens, so its URL is known. */
static BiTestHttpServer *
server_start (BiTestHttpServer *self)
{
  g_mutex_lock (&self->lock);
  self->thread = g_thread_new ("test-http-server", serve_thread, self);
  while (self->url == NULL)
    g_cond_wait (&self->changed, &self->lock);
  g_mutex_unlock (&self->lock);
  return self;
}

BiTestHttpServer *
bi_test_http_server_new (void)
{
  BiTestHttpServer *self = server_alloc ();

  self->handler = answer_from_script;
  self->user_data = self;
  return server_start (self);
}

BiTestHttpServer *
bi_test_http_server_new_with_handler (BiTestHttpHandler handler,
                                      gpointer          user_data)
{
  BiTestHttpServer *self = NULL;

  g_return_val_if_fail (handler != NULL, NULL);

  self = server_alloc ();
  self->handler = handler;
  self->user_data = user_data;
  return server_start (self);
}

void
bi_test_http_server_free (BiTestHttpServer *self)
{
  if (self == NULL)
    return;

  g_main_context_invoke (self->context, quit_cb, self->loop);
  g_thread_join (self->thread);
  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  g_queue_clear_full (&self->queued, (GDestroyNotify) response_free);
  response_free (self->fallback);
  g_ptr_array_unref (self->requests);
  g_free (self->url);
  g_cond_clear (&self->changed);
  g_mutex_clear (&self->lock);
  g_free (self);
}

const char *
bi_test_http_server_get_url (BiTestHttpServer *self)
{
  return self->url;
}

void
bi_test_http_server_invoke (BiTestHttpServer *self,
                            GSourceFunc       func,
                            gpointer          data)
{
  g_main_context_invoke (self->context, func, data);
}

void
bi_test_http_server_queue (BiTestHttpServer   *self,
                           guint               status,
                           const char * const *headers,
                           const char         *body)
{
  g_assert_true (self->handler == answer_from_script);

  g_mutex_lock (&self->lock);
  g_queue_push_tail (&self->queued, response_new (status, headers, body));
  g_mutex_unlock (&self->lock);
}

void
bi_test_http_server_set_default (BiTestHttpServer   *self,
                                 guint               status,
                                 const char * const *headers,
                                 const char         *body)
{
  g_assert_true (self->handler == answer_from_script);

  g_mutex_lock (&self->lock);
  response_free (self->fallback);
  self->fallback = response_new (status, headers, body);
  g_mutex_unlock (&self->lock);
}

guint
bi_test_http_server_count (BiTestHttpServer *self)
{
  guint count;

  g_mutex_lock (&self->lock);
  count = self->requests->len;
  g_mutex_unlock (&self->lock);
  return count;
}

const BiTestHttpRequest *
bi_test_http_server_get_request (BiTestHttpServer *self,
                                 guint             index)
{
  const BiTestHttpRequest *request;

  g_mutex_lock (&self->lock);
  g_assert_cmpuint (index, <, self->requests->len);
  request = g_ptr_array_index (self->requests, index);
  g_mutex_unlock (&self->lock);
  return request;
}

gboolean
bi_test_http_server_wait_count (BiTestHttpServer *self,
                                guint             count)
{
  gint64 deadline = g_get_monotonic_time () + BI_TEST_HTTP_SERVER_WAIT_SECONDS * G_USEC_PER_SEC;
  gboolean arrived;

  g_mutex_lock (&self->lock);
  while (self->requests->len < count
         && g_cond_wait_until (&self->changed, &self->lock, deadline))
    ;
  arrived = self->requests->len >= count;
  g_mutex_unlock (&self->lock);
  return arrived;
}
