/* bi-http-client.c — one blocking HTTP request on libcurl
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-http-client"

#include "bi-http-client.h"

#include <curl/curl.h>
#include <string.h>

#define DEFAULT_MAX_BODY_SIZE (64 * 1024 * 1024)

G_DEFINE_QUARK (bi-http-error-quark, bi_http_error)

typedef struct
{
  GByteArray *body;
  gsize       max_body_size;
  gboolean    too_large;
  GPtrArray  *headers;
} Exchange;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CURL, curl_easy_cleanup)

static void
global_init_once (void)
{
  static gsize initialised = 0;

  /* curl_global_init is not thread-safe itself; the first request of the process runs it. */
  if (g_once_init_enter (&initialised))
    {
      curl_global_init (CURL_GLOBAL_DEFAULT);
      g_once_init_leave (&initialised, 1);
    }
}

/* The CA certificates to verify servers with. libcurl falls back to the bundle path its build
 * was configured with, which is Debian's; Amazon Linux 2023 (Lambda) keeps its bundle
 * elsewhere, and a Debian-built libcurl bundled into the Lambda zip would then trust nothing.
 * CURL_CA_BUNDLE or SSL_CERT_FILE win, then the first bundle of the usual layouts that exists;
 * NULL leaves libcurl's own default. */
static const char *
find_ca_bundle (void)
{
  static const char *const known[] = {
    "/etc/ssl/certs/ca-certificates.crt", /* Debian, Ubuntu */
    "/etc/pki/tls/certs/ca-bundle.crt",   /* Amazon Linux, Fedora, RHEL */
    "/etc/ssl/cert.pem",                  /* Alpine, macOS */
  };
  static char *found = NULL;
  static gsize initialised = 0;

  if (g_once_init_enter (&initialised))
    {
      const char *from_env = g_getenv ("CURL_CA_BUNDLE");

      if (from_env == NULL || *from_env == '\0')
        from_env = g_getenv ("SSL_CERT_FILE");
      if (from_env != NULL && *from_env != '\0')
        found = g_strdup (from_env);
      for (guint i = 0; found == NULL && i < G_N_ELEMENTS (known); i++)
        if (g_file_test (known[i], G_FILE_TEST_IS_REGULAR))
          found = g_strdup (known[i]);
      g_once_init_leave (&initialised, 1);
    }
  return found;
}

static size_t
write_body (char   *data,
            size_t  size,
            size_t  count,
            void   *user_data)
{
  Exchange *exchange = user_data;
  gsize length = size * count;

  if (exchange->body->len + length > exchange->max_body_size)
    {
      exchange->too_large = TRUE;
      return 0; /* makes curl stop with CURLE_WRITE_ERROR */
    }
  g_byte_array_append (exchange->body, (const guint8 *) data, length);
  return length;
}

static size_t
write_header (char   *data,
              size_t  size,
              size_t  count,
              void   *user_data)
{
  Exchange *exchange = user_data;
  gsize length = size * count;
  const char *colon = memchr (data, ':', length);
  g_autofree char *name = NULL;
  g_autofree char *value = NULL;

  /* A status line ("HTTP/1.1 100 Continue" and then the real one) restarts the list. */
  if (length >= 5 && memcmp (data, "HTTP/", 5) == 0)
    {
      g_ptr_array_set_size (exchange->headers, 0);
      return length;
    }
  if (colon == NULL)
    return length;

  name = g_ascii_strdown (data, colon - data);
  value = g_strndup (colon + 1, length - (colon + 1 - data));
  g_strstrip (value);
  g_ptr_array_add (exchange->headers, g_strdup_printf ("%s: %s", g_strstrip (name), value));
  return length;
}

static BiHttpError
error_code (CURLcode code)
{
  switch (code)
    {
    case CURLE_URL_MALFORMAT:
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_BAD_FUNCTION_ARGUMENT:
      return BI_HTTP_ERROR_INVALID;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
    case CURLE_COULDNT_CONNECT:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
      return BI_HTTP_ERROR_CONNECT;
    case CURLE_OPERATION_TIMEDOUT:
      return BI_HTTP_ERROR_TIMEOUT;
    default:
      return BI_HTTP_ERROR_TRANSFER;
    }
}

BiHttpResponse *
bi_http_request_send (const BiHttpRequest  *request,
                      GError              **error)
{
  g_autoptr(CURL) curl = NULL;
  struct curl_slist *header_list = NULL;
  g_autoptr(GByteArray) body = g_byte_array_new ();
  g_autoptr(GPtrArray) headers = g_ptr_array_new_with_free_func (g_free);
  Exchange exchange = { body, 0, FALSE, headers };
  BiHttpResponse *response;
  CURLcode code;
  long status = 0;
  gsize body_size = 0;
  gconstpointer body_data = NULL;

  g_return_val_if_fail (request != NULL && request->method != NULL && request->url != NULL,
                        NULL);

  global_init_once ();
  exchange.max_body_size = request->max_body_size > 0 ? request->max_body_size
                                                       : DEFAULT_MAX_BODY_SIZE;
  curl = curl_easy_init ();
  if (curl == NULL)
    {
      g_set_error_literal (error, BI_HTTP_ERROR, BI_HTTP_ERROR_INVALID,
                           "Could not start an HTTP request (libcurl is out of memory).");
      return NULL;
    }

  for (guint i = 0; request->headers != NULL && request->headers[i] != NULL; i++)
    header_list = curl_slist_append (header_list, request->headers[i]);
  /* libcurl would add "Expect: 100-continue" to larger bodies: a round trip for nothing. */
  header_list = curl_slist_append (header_list, "Expect:");

  if (request->body != NULL)
    body_data = g_bytes_get_data (request->body, &body_size);

  curl_easy_setopt (curl, CURLOPT_URL, request->url);
  curl_easy_setopt (curl, CURLOPT_CUSTOMREQUEST, request->method);
  curl_easy_setopt (curl, CURLOPT_NOBODY, (long) (g_strcmp0 (request->method, "HEAD") == 0));
  if (request->body != NULL)
    {
      curl_easy_setopt (curl, CURLOPT_POSTFIELDS, body_size > 0 ? body_data : "");
      curl_easy_setopt (curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t) body_size);
    }
  curl_easy_setopt (curl, CURLOPT_HTTPHEADER, header_list);
  curl_easy_setopt (curl, CURLOPT_WRITEFUNCTION, write_body);
  curl_easy_setopt (curl, CURLOPT_WRITEDATA, &exchange);
  curl_easy_setopt (curl, CURLOPT_HEADERFUNCTION, write_header);
  curl_easy_setopt (curl, CURLOPT_HEADERDATA, &exchange);
  curl_easy_setopt (curl, CURLOPT_TIMEOUT_MS, (long) request->timeout_ms);
  curl_easy_setopt (curl, CURLOPT_CONNECTTIMEOUT_MS,
                    (long) (request->timeout_ms > 0 ? MIN (request->timeout_ms, 10000) : 10000));
  /* Worker threads: no SIGALRM-based name resolution timeouts. */
  curl_easy_setopt (curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt (curl, CURLOPT_PROTOCOLS_STR, "http,https");
  if (find_ca_bundle () != NULL)
    curl_easy_setopt (curl, CURLOPT_CAINFO, find_ca_bundle ());
  curl_easy_setopt (curl, CURLOPT_ACCEPT_ENCODING, "");

  code = curl_easy_perform (curl);
  curl_slist_free_all (header_list);

  if (exchange.too_large)
    {
      g_set_error (error, BI_HTTP_ERROR, BI_HTTP_ERROR_TOO_LARGE,
                   "The response from %s is larger than %" G_GSIZE_FORMAT " bytes.",
                   request->url, exchange.max_body_size);
      return NULL;
    }
  if (code != CURLE_OK)
    {
      g_set_error (error, BI_HTTP_ERROR, error_code (code), "%s %s failed: %s.",
                   request->method, request->url, curl_easy_strerror (code));
      return NULL;
    }

  curl_easy_getinfo (curl, CURLINFO_RESPONSE_CODE, &status);
  response = g_new0 (BiHttpResponse, 1);
  response->status = (guint) status;
  response->headers = g_steal_pointer (&headers);
  response->body = g_byte_array_free_to_bytes (g_steal_pointer (&body));
  return response;
}

void
bi_http_response_free (BiHttpResponse *response)
{
  if (response == NULL)
    return;

  g_clear_pointer (&response->headers, g_ptr_array_unref);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_free (response);
}

const char *
bi_http_response_get_header (const BiHttpResponse *response,
                             const char           *name)
{
  gsize name_length = strlen (name);

  for (guint i = 0; i < response->headers->len; i++)
    {
      const char *line = g_ptr_array_index (response->headers, i);

      if (g_ascii_strncasecmp (line, name, name_length) == 0 && line[name_length] == ':')
        return line + name_length + 2;
    }
  return NULL;
}

char *
bi_http_response_dup_text (const BiHttpResponse *response)
{
  gsize size;
  const char *data = g_bytes_get_data (response->body, &size);

  return g_strndup (data != NULL ? data : "", size);
}
