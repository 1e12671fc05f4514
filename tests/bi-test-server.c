/* bi-test-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-test-server.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "bi-subscription-store.h"
#include "bi-test-store-utils.h"

/* ---- waiting ------------------------------------------------------------------------------ */

/* Wakes the blocking iteration below now and then, so the deadline is checked. */
typedef struct
{
  gboolean      done;
  GAsyncResult *result;
} AsyncWait;

static void
async_done_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  AsyncWait *wait = user_data;

  wait->result = g_object_ref (result);
  wait->done = TRUE;
}

static gboolean
async_is_done (gpointer user_data)
{
  AsyncWait *wait = user_data;

  return wait->done;
}

/* ---- the server process --------------------------------------------------------------------- */

struct _BiTestServer
{
  char        *data_dir;
  GSubprocess *process;
  char        *url;      /* "http://127.0.0.1:PORT" of the running process */
};

static const char *
server_binary (void)
{
  const char *path = g_getenv ("BOOKIMG_SERVER");

  if (path == NULL)
    g_error ("BOOKIMG_SERVER is not set; run the tests with `meson test`.");
  return path;
}

/* In the child: die with the test. A test that aborts must not leave a server behind holding
 * the test harness's output pipe (meson would wait for it until the timeout). */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static GSubprocess *
spawn (const char * const  *args,
       GSubprocessFlags     flags)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (flags);
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  process = g_subprocess_launcher_spawnv (launcher, args, &error);
  g_assert_no_error (error);
  return process;
}

static void
server_start (BiTestServer       *self,
              const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GDataInputStream) output = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *line = NULL;
  AsyncWait wait = { 0 };

  g_ptr_array_add (argv, (gpointer) server_binary ());
  g_ptr_array_add (argv, (gpointer) "--data-dir");
  g_ptr_array_add (argv, self->data_dir);
  g_ptr_array_add (argv, (gpointer) "--listen");
  g_ptr_array_add (argv, (gpointer) "127.0.0.1:0");
  for (guint i = 0; args != NULL && args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  self->process = spawn ((const char * const *) argv->pdata, G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));
  g_data_input_stream_read_line_async (output, G_PRIORITY_DEFAULT, NULL, async_done_cb, &wait);
  bi_test_wait_until (async_is_done, &wait, BI_TEST_TIMEOUT_SECONDS,
                      "bookimg-server to print `listening on`");
  line = g_data_input_stream_read_line_finish (output, wait.result, NULL, &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);
  if (line == NULL || !g_str_has_prefix (line, "listening on http://"))
    g_error ("bookimg-server did not start (first line: %s); see its log above",
             line != NULL ? line : "none");

  g_free (self->url);
  self->url = g_strdup (line + strlen ("listening on "));
}

static void
server_wait_exit (BiTestServer *self)
{
  AsyncWait wait = { 0 };
  g_autoptr(GError) error = NULL;

  g_subprocess_wait_async (self->process, NULL, async_done_cb, &wait);
  bi_test_wait_until (async_is_done, &wait, BI_TEST_TIMEOUT_SECONDS, "bookimg-server to exit");
  g_subprocess_wait_finish (self->process, wait.result, &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);
}

BiTestServer *
bi_test_server_new (const char * const *args)
{
  BiTestServer *self = g_new0 (BiTestServer, 1);

  self->data_dir = bi_test_temp_dir_new ();
  server_start (self, args);
  return self;
}

void
bi_test_server_restart (BiTestServer       *self,
                        const char * const *args)
{
  g_assert_null (self->process);
  server_start (self, args);
}

void
bi_test_server_kill (BiTestServer *self)
{
  g_assert_nonnull (self->process);
  g_subprocess_send_signal (self->process, SIGKILL);
  server_wait_exit (self);
  g_assert_true (g_subprocess_get_if_signaled (self->process));
  g_clear_object (&self->process);
  g_clear_pointer (&self->url, g_free);
}

void
bi_test_server_stop (BiTestServer *self)
{
  g_assert_nonnull (self->process);
  g_subprocess_send_signal (self->process, SIGTERM);
  server_wait_exit (self);
  g_assert_true (g_subprocess_get_if_exited (self->process));
  g_assert_cmpint (g_subprocess_get_exit_status (self->process), ==, 0);
  g_clear_object (&self->process);
  g_clear_pointer (&self->url, g_free);
}

void
bi_test_server_free (BiTestServer *self)
{
  if (self == NULL)
    return;

  if (self->process != NULL)
    bi_test_server_stop (self);
  bi_test_temp_dir_remove (self->data_dir);
  g_free (self->data_dir);
  g_free (self);
}

const char *
bi_test_server_get_url (BiTestServer *self)
{
  g_assert_nonnull (self->url);
  return self->url;
}

const char *
bi_test_server_get_data_dir (BiTestServer *self)
{
  return self->data_dir;
}

char *
bi_test_server_websocket_url (BiTestServer *self)
{
  return g_strdup_printf ("ws://%s/ws", bi_test_server_get_url (self) + strlen ("http://"));
}

GSocketConnectable *
bi_test_server_address (BiTestServer *self)
{
  g_autoptr(GError) error = NULL;
  GSocketConnectable *address;

  address = g_network_address_parse_uri (bi_test_server_get_url (self), 80, &error);
  g_assert_no_error (error);
  return address;
}

GPtrArray *
bi_test_server_subscribers (BiTestServer *self,
                            const char   *job_id)
{
  g_autofree char *path = g_build_filename (self->data_dir, "bookimg.sqlite3", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BiSubscriptionStore) store = NULL;
  GPtrArray *ids;

  store = bi_subscription_store_open (path, BI_SUBSCRIPTION_TTL_MS, &error);
  g_assert_no_error (error);
  ids = bi_subscription_store_list_by_job (store, job_id, &error);
  g_assert_no_error (error);
  return ids;
}

char *
bi_test_server_run_failing (const char * const *args,
                            int                *exit_status)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  char *stderr_text = NULL;
  AsyncWait wait = { 0 };

  g_ptr_array_add (argv, (gpointer) server_binary ());
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  process = spawn ((const char * const *) argv->pdata,
                   G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, async_done_cb, &wait);
  bi_test_wait_until (async_is_done, &wait, BI_TEST_TIMEOUT_SECONDS,
                      "bookimg-server to refuse to start");
  g_subprocess_communicate_utf8_finish (process, wait.result, NULL, &stderr_text, &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);

  g_assert_true (g_subprocess_get_if_exited (process));
  *exit_status = g_subprocess_get_exit_status (process);
  return stderr_text;
}

/* ---- HTTP --------------------------------------------------------------------------------- */

void
bi_test_response_free (BiTestResponse *response)
{
  if (response == NULL)
    return;

  g_free (response->content_type);
  g_free (response->allow);
  g_free (response->body);
  g_free (response);
}

BiTestResponse *
bi_test_send (SoupSession *session,
              SoupMessage *msg)
{
  g_autoptr(GBytes) received = NULL;
  g_autoptr(GError) error = NULL;
  BiTestResponse *response;
  SoupMessageHeaders *headers;
  AsyncWait wait = { 0 };

  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, async_done_cb,
                                    &wait);
  bi_test_wait_until (async_is_done, &wait, BI_TEST_TIMEOUT_SECONDS, "an HTTP response");
  received = soup_session_send_and_read_finish (session, wait.result, &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);

  headers = soup_message_get_response_headers (msg);
  response = g_new0 (BiTestResponse, 1);
  response->status = soup_message_get_status (msg);
  response->content_type = g_strdup (soup_message_headers_get_content_type (headers, NULL));
  response->allow = g_strdup (soup_message_headers_get_one (headers, "Allow"));
  response->body = g_strndup (g_bytes_get_data (received, NULL), g_bytes_get_size (received));
  response->length = g_bytes_get_size (received);
  return response;
}

BiTestResponse *
bi_test_http (SoupSession *session,
              const char  *method,
              const char  *url,
              const char  *content_type,
              GBytes      *body)
{
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);

  g_assert_nonnull (msg);
  if (body != NULL)
    soup_message_set_request_body_from_bytes (msg, content_type, body);
  return bi_test_send (session, msg);
}

void
bi_test_assert_error (BiTestResponse *response,
                      guint           status,
                      const char     *code)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  if (response->status != status)
    g_test_message ("Unexpected answer: %u %s", response->status, response->body);
  g_assert_cmpuint (response->status, ==, status);
  g_assert_cmpstr (response->content_type, ==, "application/json");
  json_parser_load_from_data (parser, response->body, (gssize) response->length, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  object = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                          "error");
  g_assert_nonnull (object);
  g_assert_cmpstr (json_object_get_string_member (object, "code"), ==, code);
  g_assert_cmpstr (json_object_get_string_member (object, "message"), !=, "");
}

char *
bi_test_upload_url (SoupSession  *session,
                    BiTestServer *server,
                    const char   *job_id,
                    const char   *file_name,
                    const char   *content_type)
{
  g_autofree char *key = g_strconcat (job_id, "/", file_name, NULL);
  g_autofree char *escaped_key = g_uri_escape_string (key, NULL, FALSE);
  g_autofree char *escaped_type = g_uri_escape_string (content_type, NULL, FALSE);
  g_autofree char *url = g_strdup_printf ("%s/upload-url?filename=%s&contentType=%s",
                                          bi_test_server_get_url (server), escaped_key,
                                          escaped_type);
  g_autoptr(BiTestResponse) response = bi_test_http (session, "GET", url, NULL, NULL);

  g_assert_cmpuint (response->status, ==, SOUP_STATUS_OK);
  g_assert_cmpstr (response->content_type, ==, "text/plain");
  return g_steal_pointer (&response->body);
}

double
bi_test_metric (SoupSession  *session,
                BiTestServer *server,
                const char   *name)
{
  g_autofree char *url = g_strconcat (bi_test_server_get_url (server), "/metrics", NULL);
  g_autoptr(BiTestResponse) response = bi_test_http (session, "GET", url, NULL, NULL);
  g_auto(GStrv) lines = NULL;
  gsize name_length = strlen (name);

  g_assert_cmpuint (response->status, ==, SOUP_STATUS_OK);
  lines = g_strsplit (response->body, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (strncmp (lines[i], name, name_length) == 0 && lines[i][name_length] == ' ')
        return g_ascii_strtod (lines[i] + name_length + 1, NULL);
    }
  return -1;
}

char *
bi_test_write_temp_file (const char *suffix,
                         const char *contents)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_strconcat ("bi-test-XXXXXX", suffix, NULL);
  char *path = NULL;
  int fd = g_file_open_tmp (name, &path, &error);

  g_assert_no_error (error);
  close (fd);
  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
  return path;
}

GBytes *
bi_test_tiny_png (void)
{
  static const guint8 png[] =
    "\x89\x50\x4e\x47\x0d\x0a\x1a\x0a\x00\x00\x00\x0d\x49\x48\x44\x52\x00\x00\x00\x01\x00\x00"
    "\x00\x01\x08\x00\x00\x00\x00\x3a\x7e\x9b\x55\x00\x00\x00\x0a\x49\x44\x41\x54\x78\x9c\x63"
    "\x60\x00\x00\x00\x02\x00\x01\x48\xaf\xa4\x71\x00\x00\x00\x00\x49\x45\x4e\x44\xae\x42\x60"
    "\x82";

  return g_bytes_new_static (png, sizeof png - 1);
}

char *
bi_test_complete_message_new (const char *job_id,
                              const char *title,
                              gsize       padding)
{
  g_autofree char *fill = g_strnfill (padding, 'x');

  return g_strdup_printf ("{\"jobId\":\"%s\",\"status\":\"complete\",\"validatedBooks\":1,"
                          "\"totalCandidates\":1,\"books\":[{\"title\":\"%s\",\"authors\":[],"
                          "\"confidence\":1.0,\"source\":\"catalog\",\"sourceId\":\"test\"}],"
                          "\"unresolved\":[],\"timings\":{},\"timestamp\":"
                          "\"2024-01-01T00:00:00Z\",\"padding\":\"%s\"}", job_id, title, fill);
}

/* ---- WebSocket clients on SoupSession ------------------------------------------------------- */

struct _BiTestWebsocket
{
  SoupWebsocketConnection *connection;
  GPtrArray               *received; /* char *: every text message, in order */
  GPtrArray               *untaken;  /* char *: borrowed from received, not returned by a wait */
  gboolean                 closed;
};

static void
websocket_message_cb (SoupWebsocketConnection *connection,
                      gint                     type,
                      GBytes                  *message,
                      gpointer                 user_data)
{
  BiTestWebsocket *self = user_data;
  char *text;

  g_assert_cmpint (type, ==, SOUP_WEBSOCKET_DATA_TEXT);
  text = g_strndup (g_bytes_get_data (message, NULL), g_bytes_get_size (message));
  g_ptr_array_add (self->received, text);
  g_ptr_array_add (self->untaken, text);
}

static void
websocket_closed_cb (SoupWebsocketConnection *connection,
                     gpointer                 user_data)
{
  BiTestWebsocket *self = user_data;

  self->closed = TRUE;
}

BiTestWebsocket *
bi_test_websocket_connect (SoupSession  *session,
                           BiTestServer *server)
{
  g_autofree char *url = bi_test_server_websocket_url (server);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GError) error = NULL;
  BiTestWebsocket *self;
  AsyncWait wait = { 0 };

  soup_session_websocket_connect_async (session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        async_done_cb, &wait);
  bi_test_wait_until (async_is_done, &wait, BI_TEST_TIMEOUT_SECONDS, "the WebSocket handshake");

  self = g_new0 (BiTestWebsocket, 1);
  self->connection = soup_session_websocket_connect_finish (session, wait.result, &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);
  self->received = g_ptr_array_new_with_free_func (g_free);
  self->untaken = g_ptr_array_new ();
  /* Tests push large messages on purpose; the client must not be the one to refuse them. */
  soup_websocket_connection_set_max_incoming_payload_size (self->connection, 16 * 1024 * 1024);
  g_signal_connect (self->connection, "message", G_CALLBACK (websocket_message_cb), self);
  g_signal_connect (self->connection, "closed", G_CALLBACK (websocket_closed_cb), self);
  return self;
}

static gboolean
websocket_is_closed (gpointer user_data)
{
  BiTestWebsocket *self = user_data;

  return self->closed;
}

void
bi_test_websocket_free (BiTestWebsocket *self)
{
  if (self == NULL)
    return;

  if (!self->closed
      && soup_websocket_connection_get_state (self->connection) == SOUP_WEBSOCKET_STATE_OPEN)
    {
      soup_websocket_connection_close (self->connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      bi_test_wait_until (websocket_is_closed, self, BI_TEST_TIMEOUT_SECONDS,
                          "the WebSocket to close");
    }
  g_signal_handlers_disconnect_by_data (self->connection, self);
  g_object_unref (self->connection);
  g_ptr_array_unref (self->untaken);
  g_ptr_array_unref (self->received);
  g_free (self);
}

SoupWebsocketConnection *
bi_test_websocket_get_connection (BiTestWebsocket *self)
{
  return self->connection;
}

void
bi_test_websocket_send (BiTestWebsocket *self,
                        const char      *text)
{
  soup_websocket_connection_send_text (self->connection, text);
}

typedef struct
{
  BiTestWebsocket        *websocket;
  BiTestMessagePredicate  predicate;
  gpointer                predicate_data;
  BiServerMessage        *found;
} MessageSearch;

static gboolean
find_message (gpointer user_data)
{
  MessageSearch *search = user_data;
  GPtrArray *untaken = search->websocket->untaken;

  for (guint i = 0; i < untaken->len; i++)
    {
      const char *text = g_ptr_array_index (untaken, i);
      g_autoptr(GError) error = NULL;
      g_autoptr(BiServerMessage) message = bi_server_message_parse (text, strlen (text), &error);

      g_assert_no_error (error);
      if (search->predicate (message, search->predicate_data))
        {
          g_ptr_array_remove_index (untaken, i);
          search->found = g_steal_pointer (&message);
          return TRUE;
        }
    }

  if (search->websocket->closed)
    g_error ("The WebSocket closed (%u) while a message was awaited",
             soup_websocket_connection_get_close_code (search->websocket->connection));
  return FALSE;
}

BiServerMessage *
bi_test_websocket_wait_for (BiTestWebsocket        *self,
                            BiTestMessagePredicate  predicate,
                            gpointer                user_data,
                            const char             *what)
{
  MessageSearch search = { self, predicate, user_data, NULL };

  bi_test_wait_until (find_message, &search, BI_TEST_TIMEOUT_SECONDS, what);
  return search.found;
}

typedef struct
{
  BiServerMessageType  type;
  const char          *job_id;
} TypeFilter;

static gboolean
has_type (const BiServerMessage *message,
          gpointer               user_data)
{
  const TypeFilter *filter = user_data;

  return message->type == filter->type
         && (filter->job_id == NULL || g_strcmp0 (message->job_id, filter->job_id) == 0);
}

BiServerMessage *
bi_test_websocket_wait_for_type (BiTestWebsocket     *self,
                                 BiServerMessageType  type,
                                 const char          *job_id)
{
  TypeFilter filter = { type, job_id };
  g_autofree char *what = g_strdup_printf ("a message of type %d about %s", type,
                                           job_id != NULL ? job_id : "any job");

  return bi_test_websocket_wait_for (self, has_type, &filter, what);
}

guint
bi_test_websocket_count_type (BiTestWebsocket     *self,
                              BiServerMessageType  type)
{
  guint count = 0;

  for (guint i = 0; i < self->received->len; i++)
    {
      const char *text = g_ptr_array_index (self->received, i);
      g_autoptr(BiServerMessage) message = bi_server_message_parse (text, strlen (text), NULL);

      if (message != NULL && message->type == type)
        count++;
    }
  return count;
}

void
bi_test_websocket_subscribe (BiTestWebsocket *self,
                             const char      *job_id)
{
  g_autofree char *action = bi_action_subscribe_new (job_id);
  g_autoptr(BiServerMessage) reply = NULL;

  bi_test_websocket_send (self, action);
  reply = bi_test_websocket_wait_for_type (self, BI_SERVER_MESSAGE_SUBSCRIBED, job_id);
}

gushort
bi_test_websocket_wait_closed (BiTestWebsocket *self)
{
  bi_test_wait_until (websocket_is_closed, self, BI_TEST_TIMEOUT_SECONDS,
                      "the server to close the WebSocket");
  return soup_websocket_connection_get_close_code (self->connection);
}

/* ---- raw WebSocket client ------------------------------------------------------------------- */

static void
shrink_receive_buffer_cb (GSocketClient      *client,
                          GSocketClientEvent  event,
                          GSocketConnectable *connectable,
                          GIOStream          *connection,
                          gpointer            user_data)
{
  g_autoptr(GError) error = NULL;
  int size = GPOINTER_TO_INT (user_data);

  /* Before connecting, so that the TCP window is negotiated small. */
  if (event == G_SOCKET_CLIENT_CONNECTING)
    {
      g_socket_set_option (g_socket_connection_get_socket (G_SOCKET_CONNECTION (connection)),
                           SOL_SOCKET, SO_RCVBUF, size, &error);
      g_assert_no_error (error);
    }
}

GSocketConnection *
bi_test_raw_websocket_connect (BiTestServer *server,
                               int           receive_buffer)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnectable) address = bi_test_server_address (server);
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) response = g_string_new (NULL);
  g_autofree char *request = NULL;
  GSocketConnection *connection;
  GInputStream *input;

  if (receive_buffer > 0)
    g_signal_connect (client, "event", G_CALLBACK (shrink_receive_buffer_cb),
                      GINT_TO_POINTER (receive_buffer));
  connection = g_socket_client_connect (client, address, NULL, &error);
  g_assert_no_error (error);
  /* Reads and writes below block: bound them so a broken server fails the test. */
  g_socket_set_timeout (g_socket_connection_get_socket (connection), BI_TEST_TIMEOUT_SECONDS);

  request = g_strdup_printf ("GET /ws HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\n"
                             "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                             "Sec-WebSocket-Version: 13\r\n\r\n",
                             bi_test_server_get_url (server) + strlen ("http://"));
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)), request,
                             strlen (request), NULL, NULL, &error);
  g_assert_no_error (error);

  /* Byte by byte up to the blank line: the first frame may follow in the same packet. */
  input = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  while (!g_str_has_suffix (response->str, "\r\n\r\n"))
    {
      char byte;

      g_assert_cmpint (g_input_stream_read (input, &byte, 1, NULL, &error), ==, 1);
      g_assert_no_error (error);
      g_string_append_c (response, byte);
    }
  g_assert_true (g_str_has_prefix (response->str, "HTTP/1.1 101"));
  return connection;
}

void
bi_test_raw_websocket_send (GSocketConnection *connection,
                            guint8             opcode,
                            const void        *payload,
                            gsize              length)
{
  g_autoptr(GByteArray) frame = g_byte_array_new ();
  g_autoptr(GError) error = NULL;
  guint8 header[14];
  gsize header_length = 2;
  guint32 mask = g_random_int ();
  const guint8 *mask_bytes = (const guint8 *) &mask;

  header[0] = 0x80 | opcode;
  if (length < 126)
    {
      header[1] = 0x80 | (guint8) length;
    }
  else if (length <= G_MAXUINT16)
    {
      header[1] = 0x80 | 126;
      header[2] = (guint8) (length >> 8);
      header[3] = (guint8) length;
      header_length = 4;
    }
  else
    {
      header[1] = 0x80 | 127;
      for (int i = 0; i < 8; i++)
        header[2 + i] = (guint8) ((guint64) length >> (56 - 8 * i));
      header_length = 10;
    }
  memcpy (header + header_length, mask_bytes, 4);
  header_length += 4;

  g_byte_array_append (frame, header, (guint) header_length);
  for (gsize i = 0; payload != NULL && i < length; i++)
    {
      guint8 byte = ((const guint8 *) payload)[i] ^ mask_bytes[i % 4];

      g_byte_array_append (frame, &byte, 1);
    }

  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                             frame->data, frame->len, NULL, NULL, &error);
  g_assert_no_error (error);
}

static void
read_exactly (GInputStream *input,
              void         *buffer,
              gsize         length)
{
  g_autoptr(GError) error = NULL;
  gsize bytes_read = 0;

  g_input_stream_read_all (input, buffer, length, &bytes_read, NULL, &error);
  g_assert_no_error (error);
  if (bytes_read != length)
    g_error ("The server closed the stream in the middle of a frame");
}

guint8
bi_test_raw_websocket_read_frame (GSocketConnection  *connection,
                                  GBytes            **payload)
{
  GInputStream *input = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  guint8 header[2];
  guint64 length;
  guint8 *data;

  read_exactly (input, header, 2);
  g_assert_cmpint (header[1] & 0x80, ==, 0); /* servers never mask */
  length = header[1] & 0x7f;
  if (length >= 126)
    {
      guint8 extended[8];
      guint n = length == 126 ? 2 : 8;

      read_exactly (input, extended, n);
      length = 0;
      for (guint i = 0; i < n; i++)
        length = (length << 8) | extended[i];
    }

  data = g_malloc (length);
  read_exactly (input, data, length);
  *payload = g_bytes_new_take (data, length);
  return header[0] & 0x0f;
}

gushort
bi_test_raw_websocket_read_close (GSocketConnection *connection,
                                  guint             *frames_skipped)
{
  *frames_skipped = 0;
  while (TRUE)
    {
      g_autoptr(GBytes) payload = NULL;
      guint8 opcode = bi_test_raw_websocket_read_frame (connection, &payload);
      const guint8 *data;

      if (opcode == 0x8)
        {
          g_assert_cmpuint (g_bytes_get_size (payload), >=, 2);
          data = g_bytes_get_data (payload, NULL);
          return (gushort) ((data[0] << 8) | data[1]);
        }
      (*frames_skipped)++;
    }
}
