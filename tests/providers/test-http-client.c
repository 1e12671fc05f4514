/* test-http-client.c — backend/net/bi-http-client against real sockets on 127.0.0.1
 *
 * Status and headers both ways, the body limit, a refused connection and a server that
 * accepts but never answers (the short request timeout ends it; the test itself never
 * sleeps).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <string.h>

#include "bi-http-client.h"
#include "bi-test-http-server.h"

/* A listening socket nobody accepts on: the kernel completes the handshake, nothing answers. */
static GSocket *
silent_listener_new (char **url)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, &error);

  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, address, TRUE, &error));
  g_assert_no_error (error);
  g_assert_true (g_socket_listen (socket, &error));
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  *url = g_strdup_printf ("http://127.0.0.1:%u/",
                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  return g_steal_pointer (&socket);
}

static void
test_status_and_headers (void)
{
  g_autoptr(BiTestHttpServer) server = bi_test_http_server_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(BiHttpResponse) response = NULL;
  g_autofree char *url = g_strconcat (bi_test_http_server_get_url (server), "/things?a=b%20c",
                                      NULL);
  g_autofree char *text = NULL;
  g_autoptr(GBytes) body = g_bytes_new_static ("{\"x\":1}", 7);
  const char *headers[] = { "X-Request-Thing: one two", "Content-Type: application/json",
                            NULL };
  BiHttpRequest request = { "POST", url, headers, body, 5000, 0 };
  const BiTestHttpRequest *seen;

  bi_test_http_server_queue (server, 201,
                             (const char *[]) { "X-Answer", "forty two", NULL }, "created");
  response = bi_http_request_send (&request, &error);
  g_assert_no_error (error);
  g_assert_nonnull (response);
  g_assert_cmpuint (response->status, ==, 201);
  /* names are matched without regard to case, values trimmed */
  g_assert_cmpstr (bi_http_response_get_header (response, "x-answer"), ==, "forty two");
  g_assert_cmpstr (bi_http_response_get_header (response, "X-ANSWER"), ==, "forty two");
  g_assert_null (bi_http_response_get_header (response, "x-missing"));
  text = bi_http_response_dup_text (response);
  g_assert_cmpstr (text, ==, "created");

  g_assert_cmpuint (bi_test_http_server_count (server), ==, 1);
  seen = bi_test_http_server_get_request (server, 0);
  g_assert_cmpstr (seen->method, ==, "POST");
  g_assert_cmpstr (seen->path, ==, "/things");
  g_assert_cmpstr (g_hash_table_lookup (seen->query, "a"), ==, "b c");
  g_assert_cmpstr (g_hash_table_lookup (seen->headers, "x-request-thing"), ==, "one two");
  /* no Expect: 100-continue round trip */
  g_assert_false (g_hash_table_contains (seen->headers, "expect"));
  g_assert_cmpmem (g_bytes_get_data (seen->body, NULL), g_bytes_get_size (seen->body),
                   "{\"x\":1}", 7);
}

static void
test_error_status_is_a_response (void)
{
  g_autoptr(BiTestHttpServer) server = bi_test_http_server_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(BiHttpResponse) response = NULL;
  g_autofree char *url = g_strconcat (bi_test_http_server_get_url (server), "/missing", NULL);
  BiHttpRequest request = { "GET", url, NULL, NULL, 5000, 0 };

  response = bi_http_request_send (&request, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, 404);
  g_assert_cmpuint (g_bytes_get_size (response->body), ==, 0);
}

static void
test_body_limit (void)
{
  g_autoptr(BiTestHttpServer) server = bi_test_http_server_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(BiHttpResponse) response = NULL;
  g_autofree char *big = g_strnfill (100 * 1024, 'x');
  g_autofree char *url = g_strconcat (bi_test_http_server_get_url (server), "/big", NULL);
  BiHttpRequest request = { "GET", url, NULL, NULL, 5000, 1024 };

  bi_test_http_server_queue (server, 200, NULL, big);
  response = bi_http_request_send (&request, &error);
  g_assert_error (error, BI_HTTP_ERROR, BI_HTTP_ERROR_TOO_LARGE);
  g_assert_null (response);
  g_assert_nonnull (strstr (error->message, "1024 bytes"));

  /* the same body under a limit it fits */
  g_clear_error (&error);
  request.max_body_size = 200 * 1024;
  bi_test_http_server_queue (server, 200, NULL, big);
  response = bi_http_request_send (&request, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (response->body), ==, 100 * 1024);
}

static void
test_connection_refused (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BiHttpResponse) response = NULL;
  g_autofree char *url = NULL;
  BiHttpRequest request = { "GET", NULL, NULL, NULL, 5000, 0 };
  GSocket *socket = silent_listener_new (&url);

  /* Closed again: the port is free, and nothing listens on it. */
  g_object_unref (socket);
  request.url = url;
  response = bi_http_request_send (&request, &error);
  g_assert_null (response);
  g_assert_error (error, BI_HTTP_ERROR, BI_HTTP_ERROR_CONNECT);
}

static void
test_timeout (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BiHttpResponse) response = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GSocket) socket = silent_listener_new (&url);
  BiHttpRequest request = { "GET", url, NULL, NULL, 300, 0 };
  gint64 start = g_get_monotonic_time ();

  response = bi_http_request_send (&request, &error);
  g_assert_null (response);
  g_assert_error (error, BI_HTTP_ERROR, BI_HTTP_ERROR_TIMEOUT);
  /* the deadline, not some default of libcurl's, ended it */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
}

static void
test_bad_url (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BiHttpResponse) response = NULL;
  BiHttpRequest request = { "GET", "ftp://127.0.0.1/file", NULL, NULL, 1000, 0 };

  response = bi_http_request_send (&request, &error);
  g_assert_null (response);
  g_assert_error (error, BI_HTTP_ERROR, BI_HTTP_ERROR_INVALID);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bookimg/http-client/status-and-headers", test_status_and_headers);
  g_test_add_func ("/bookimg/http-client/error-status-is-a-response",
                   test_error_status_is_a_response);
  g_test_add_func ("/bookimg/http-client/body-limit", test_body_limit);
  g_test_add_func ("/bookimg/http-client/connection-refused", test_connection_refused);
  g_test_add_func ("/bookimg/http-client/timeout", test_timeout);
  g_test_add_func ("/bookimg/http-client/bad-url", test_bad_url);
  return g_test_run ();
}
