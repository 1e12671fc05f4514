/* test-server-http.c — bookimg-server's HTTP routes, good and bad input, over real HTTP
 *
 * One server serves most cases (started once: each start costs a process and a catalog
 * import); the access token and the refusal to listen off loopback need their own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <string.h>

#include "bi-job-id.h"
#include "bi-test-server.h"
#include "bi-test-store-utils.h"
#include "bi-url-signer.h"

/* Small, so that "too large" needs only a few KiB. */
#define MAX_UPLOAD_BYTES 4096
#define TOKEN "test-token-0123456789abcdef"

static const char catalog[] =
  "book_id\ttitle\toriginal_title\tauthors\tyear\tisbn10\tisbn13\n"
  "1\tThe Hunger Games (The Hunger Games, #1)\tThe Hunger Games\tSuzanne Collins\t2008"
  "\t0439023483\t9780439023481\n"
  "2\tDune\tDune\tFrank Herbert\t1965\t\t\n";

static BiTestServer *server;
static SoupSession *session;
static char *catalog_path;

static char *
server_url (const char *path)
{
  return g_strconcat (bi_test_server_get_url (server), path, NULL);
}

static BiTestResponse *
get (const char *path)
{
  g_autofree char *url = server_url (path);

  return bi_test_http (session, "GET", url, NULL, NULL);
}

static BiTestResponse *
put (const char *url,
     const char *content_type,
     GBytes     *body)
{
  return bi_test_http (session, "PUT", url, content_type, body);
}

/* @url with the value of query parameter @name replaced by @value. */
static char *
replace_parameter (const char *url,
                   const char *name,
                   const char *value)
{
  g_autofree char *prefix = g_strconcat (name, "=", NULL);
  const char *start = strstr (url, prefix);
  const char *end;

  g_assert_nonnull (start);
  start += strlen (prefix);
  end = strchr (start, '&');
  return g_strdup_printf ("%.*s%s%s", (int) (start - url), url, value, end != NULL ? end : "");
}

/* ---- small routes --------------------------------------------------------------------------- */

static void
test_healthz (void)
{
  g_autoptr(BiTestResponse) response = get ("/healthz");

  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpstr (response->content_type, ==, "application/json");
  g_assert_cmpstr (response->body, ==, "{\"status\":\"ok\"}");
}

static void
test_index_page (void)
{
  g_autoptr(BiTestResponse) response = get ("/");

  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpstr (response->content_type, ==, "text/html");
  g_assert_nonnull (strstr (response->body, "bookimg-server"));
  g_assert_nonnull (strstr (response->body, "docs/protocol.md"));
}

static void
test_unknown_route (void)
{
  const char *paths[] = { "/nope", "/results", "/upload", "/healthz/x", "/%2Fhealthz" };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(BiTestResponse) response = get (paths[i]);

      bi_test_assert_error (response, 404, "not_found");
    }
}

static void
test_wrong_method (void)
{
  struct { const char *method; const char *path; const char *allow; } cases[] = {
    { "POST", "/healthz", "GET" },
    { "DELETE", "/results/job-1700000000000-abcdefgh", "GET" },
    { "PUT", "/upload-url", "GET" },
    { "GET", "/upload/job-1700000000000-abcdefgh/x.png", "PUT" },
    { "GET", "/@topic", "POST" },
    { "PUT", "/@connections/AAAAAAAAAAAAAAAA", "GET, POST, DELETE" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *url = server_url (cases[i].path);
      g_autoptr(BiTestResponse) response = bi_test_http (session, cases[i].method, url, NULL,
                                                          NULL);

      bi_test_assert_error (response, 405, "method_not_allowed");
      g_assert_cmpstr (response->allow, ==, cases[i].allow);
    }
}

static void
test_metrics (void)
{
  g_autoptr(BiTestResponse) healthz = get ("/healthz");
  g_autoptr(BiTestResponse) response = get ("/metrics");

  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpstr (response->content_type, ==, "text/plain");
  g_assert_cmpfloat (bi_test_metric (session, server, "bookimg_websocket_connections"), ==, 0);
  g_assert_cmpfloat (bi_test_metric (session, server,
                                     "bookimg_http_requests_total{route=\"/healthz\","
                                     "status=\"200\"}"), >=, 1);
  g_assert_cmpfloat (bi_test_metric (session, server,
                                     "bookimg_queue_depth{queue=\"ocr\"}"), >=, 0);
  g_assert_cmpfloat (bi_test_metric (session, server,
                                     "bookimg_dead_letter_depth{queue=\"ocr\"}"), >=, 0);
  g_assert_cmpfloat (bi_test_metric (session, server, "bookimg_pushes_total"), >=, 0);
  /* The stage host's histograms are on the same page. */
  g_assert_nonnull (strstr (response->body, "bookimg_stage_duration_seconds_bucket{stage=\"ocr\""));
}

/* ---- GET /upload-url ------------------------------------------------------------------------ */

static void
assert_upload_url_refused (const char *query,
                           const char *code)
{
  g_autofree char *path = g_strconcat ("/upload-url?", query, NULL);
  g_autoptr(BiTestResponse) response = get (path);

  g_test_message ("GET %s", path);
  bi_test_assert_error (response, 400, code);
}

static void
test_upload_url_bad_input (void)
{
  g_autofree char *long_id = g_strdup_printf ("job-1700000000000-%065d", 0);
  g_autofree char *too_long = g_strdup_printf ("filename=%s/x.jpg&contentType=image/jpeg",
                                               long_id);

  assert_upload_url_refused ("contentType=image/jpeg", "bad_file_name");
  assert_upload_url_refused ("filename=..%2Fx.jpg&contentType=image/jpeg", "bad_job_id");
  assert_upload_url_refused ("filename=..%2F..%2Fetc%2Fpasswd&contentType=image/jpeg",
                             "bad_job_id");
  assert_upload_url_refused ("filename=%2Fx.jpg&contentType=image/jpeg", "bad_job_id");
  assert_upload_url_refused ("filename=&contentType=image/jpeg", "bad_file_name");
  assert_upload_url_refused (too_long, "bad_job_id");
  assert_upload_url_refused ("filename=JOB-1700000000000-abcdefgh/x.jpg&contentType=image/jpeg",
                             "bad_job_id");
  assert_upload_url_refused ("filename=job-17-abcdefgh/x.jpg&contentType=image/jpeg",
                             "bad_job_id");
  assert_upload_url_refused ("filename=job-1700000000000-abcdefgh&contentType=image/jpeg",
                             "bad_file_name");
  assert_upload_url_refused ("filename=job-1700000000000-abcdefgh/..&contentType=image/jpeg",
                             "bad_file_name");
  assert_upload_url_refused ("filename=job-1700000000000-abcdefgh/a%2Fb.jpg&contentType=image/jpeg",
                             "bad_file_name");
  assert_upload_url_refused ("filename=job-1700000000000-abcdefgh/x.jpg", "bad_content_type");
  assert_upload_url_refused ("filename=job-1700000000000-abcdefgh/x.jpg&contentType=text/plain",
                             "bad_content_type");
  assert_upload_url_refused ("filename=job-1700000000000-abcdefgh/x.jpg"
                             "&contentType=image/jpeg%3B%20charset%3Dx", "bad_content_type");
}

static void
test_upload_url_uses_client_host (void)
{
  g_autofree char *url = bi_test_upload_url (session, server, "job-1700000000000-abcdefgh",
                                             "my shelf.jpg", "IMAGE/JPEG");
  g_autofree char *prefix = g_strconcat (bi_test_server_get_url (server),
                                         "/upload/job-1700000000000-abcdefgh/my%20shelf.jpg?"
                                         "contentType=image%2Fjpeg&expires=", NULL);

  g_assert_true (g_str_has_prefix (url, prefix));
  g_assert_nonnull (strstr (url, "&signature="));
}

/* ---- PUT /upload/… --------------------------------------------------------------------------- */

static void
test_upload_accepted (void)
{
  g_autofree char *job_id = bi_job_id_new ();
  g_autofree char *url = bi_test_upload_url (session, server, job_id, "shelf.png", "image/png");
  g_autofree char *results_path = g_strconcat ("/results/", job_id, NULL);
  g_autoptr(GBytes) png = bi_test_tiny_png ();
  g_autoptr(BiTestResponse) before = get (results_path);
  g_autoptr(BiTestResponse) response = put (url, "image/png", png);
  g_autoptr(BiTestResponse) after = get (results_path);
  g_autofree char *stored = g_build_filename (bi_test_server_get_data_dir (server), "uploads",
                                              job_id, "shelf.png", NULL);

  bi_test_assert_error (before, 404, "unknown_job");
  g_assert_cmpuint (response->status, ==, 200);
  /* Accepted means stored and queued: the job is known from the moment 200 is sent. */
  g_assert_true (after->status == 202 || after->status == 200);
  g_assert_nonnull (strstr (after->body, job_id));
  g_assert_true (g_file_test (stored, G_FILE_TEST_IS_REGULAR));
}

static void
test_upload_tampered (void)
{
  g_autofree char *job_id = bi_job_id_new ();
  g_autofree char *url = bi_test_upload_url (session, server, job_id, "shelf.png", "image/png");
  g_autoptr(GBytes) png = bi_test_tiny_png ();
  g_autofree char *signature = g_strdup (strstr (url, "signature=") + strlen ("signature="));
  g_autofree char *other_key = NULL;
  char *tampered[6];

  signature[0] = signature[0] == '0' ? '1' : '0';
  other_key = g_strdup (url);
  *strstr (other_key, "shelf.png") = 'S';
  tampered[0] = replace_parameter (url, "signature", signature);
  tampered[1] = replace_parameter (url, "expires", "9999999999");
  tampered[2] = replace_parameter (url, "contentType", "image%2Fjpeg");
  tampered[3] = replace_parameter (url, "signature", "");
  tampered[4] = g_strdup (other_key);
  tampered[5] = replace_parameter (url, "expires", "soon");

  for (guint i = 0; i < G_N_ELEMENTS (tampered); i++)
    {
      g_autoptr(BiTestResponse) response = put (tampered[i], "image/png", png);

      g_test_message ("PUT %s", tampered[i]);
      bi_test_assert_error (response, 403, "bad_signature");
      g_free (tampered[i]);
    }
}

static gint64
an_hour_ago (gpointer user_data)
{
  return g_get_real_time () / G_USEC_PER_SEC - 3600;
}

static void
test_upload_expired (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BiUrlSigner) signer = NULL;
  g_autofree char *job_id = bi_job_id_new ();
  g_autofree char *key = g_strconcat (job_id, "/shelf.png", NULL);
  g_autofree char *url = NULL;
  g_autoptr(GBytes) png = bi_test_tiny_png ();
  g_autoptr(BiTestResponse) response = NULL;

  /* Signed with the server's own secret, an hour ago: authentic but expired. */
  signer = bi_url_signer_new_for_data_dir (bi_test_server_get_data_dir (server), &error);
  g_assert_no_error (error);
  bi_url_signer_set_clock (signer, an_hour_ago, NULL);
  url = bi_url_signer_sign_upload (signer, bi_test_server_get_url (server), key, "image/png");

  response = put (url, "image/png", png);
  bi_test_assert_error (response, 403, "expired_url");
  g_assert_nonnull (strstr (response->body, "expired"));
}

static void
test_upload_not_an_image (void)
{
  g_autofree char *job_id = bi_job_id_new ();
  g_autofree char *jpeg_url = bi_test_upload_url (session, server, job_id, "a.jpg", "image/jpeg");
  g_autofree char *png_url = bi_test_upload_url (session, server, job_id, "b.png", "image/png");
  g_autofree char *results_path = g_strconcat ("/results/", job_id, NULL);
  g_autoptr(GBytes) png = bi_test_tiny_png ();
  g_autoptr(GBytes) text = g_bytes_new_static ("hello, this is no photo", 23);
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(BiTestResponse) wrong_type = put (jpeg_url, "image/jpeg", png);
  g_autoptr(BiTestResponse) not_image = put (png_url, "image/png", text);
  g_autoptr(BiTestResponse) no_body = put (png_url, "image/png", empty);
  g_autoptr(BiTestResponse) wrong_header = put (png_url, "image/jpeg", png);
  g_autoptr(BiTestResponse) results = NULL;

  bi_test_assert_error (wrong_type, 415, "unsupported_media_type");
  bi_test_assert_error (not_image, 415, "unsupported_media_type");
  bi_test_assert_error (no_body, 415, "unsupported_media_type");
  bi_test_assert_error (wrong_header, 415, "unsupported_media_type");
  /* None of them created the job. */
  results = get (results_path);
  bi_test_assert_error (results, 404, "unknown_job");
}

static void
test_upload_too_large (void)
{
  g_autofree char *job_id = bi_job_id_new ();
  g_autofree char *url = bi_test_upload_url (session, server, job_id, "big.png", "image/png");
  g_autofree char *results_path = g_strconcat ("/results/", job_id, NULL);
  g_autoptr(GByteArray) data = g_byte_array_new ();
  g_autoptr(GBytes) png = bi_test_tiny_png ();
  g_autoptr(GBytes) big = NULL;
  g_autoptr(BiTestResponse) declared = NULL;
  g_autoptr(BiTestResponse) chunked = NULL;
  g_autoptr(BiTestResponse) results = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GInputStream) stream = NULL;

  g_byte_array_append (data, g_bytes_get_data (png, NULL), (guint) g_bytes_get_size (png));
  g_byte_array_set_size (data, MAX_UPLOAD_BYTES + 1);
  big = g_byte_array_free_to_bytes (g_steal_pointer (&data));

  /* With a Content-Length: refused before the body is read. */
  declared = put (url, "image/png", big);
  bi_test_assert_error (declared, 413, "payload_too_large");

  /* Chunked, with no length up front: refused once it passes the limit. */
  msg = soup_message_new ("PUT", url);
  stream = g_memory_input_stream_new_from_bytes (big);
  soup_message_set_request_body (msg, "image/png", stream, -1);
  chunked = bi_test_send (session, msg);
  bi_test_assert_error (chunked, 413, "payload_too_large");

  results = get (results_path);
  bi_test_assert_error (results, 404, "unknown_job");
}

static gboolean
upload_was_aborted (gpointer user_data)
{
  const double *aborted_before = user_data;

  return bi_test_metric (session, server, "bookimg_http_requests_aborted_total")
         > *aborted_before;
}

static void
test_upload_truncated (void)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnectable) address = bi_test_server_address (server);
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) png = bi_test_tiny_png ();
  g_autofree char *job_id = bi_job_id_new ();
  g_autofree char *url = bi_test_upload_url (session, server, job_id, "cut.png", "image/png");
  g_autofree char *request = NULL;
  g_autofree char *results_path = g_strconcat ("/results/", job_id, NULL);
  g_autofree char *stored = g_build_filename (bi_test_server_get_data_dir (server), "uploads",
                                              job_id, NULL);
  g_autoptr(BiTestResponse) health = NULL;
  g_autoptr(BiTestResponse) results = NULL;
  double aborted_before = bi_test_metric (session, server, "bookimg_http_requests_aborted_total");
  GOutputStream *output;

  /* Says 1000 bytes, sends the PNG's 67 and hangs up. */
  request = g_strdup_printf ("PUT %s HTTP/1.1\r\nHost: %s\r\nContent-Type: image/png\r\n"
                             "Content-Length: 1000\r\n\r\n",
                             url + strlen (bi_test_server_get_url (server)),
                             bi_test_server_get_url (server) + strlen ("http://"));
  connection = g_socket_client_connect (client, address, NULL, &error);
  g_assert_no_error (error);
  output = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_output_stream_write_all (output, request, strlen (request), NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_write_all (output, g_bytes_get_data (png, NULL), g_bytes_get_size (png), NULL,
                             NULL, &error);
  g_assert_no_error (error);
  g_io_stream_close (G_IO_STREAM (connection), NULL, &error);
  g_assert_no_error (error);

  /* Once the server has seen the hang-up, nothing is stored or queued for the cut upload,
   * and it goes on serving. */
  bi_test_wait_until (upload_was_aborted, &aborted_before, BI_TEST_TIMEOUT_SECONDS,
                      "the server to notice the cut upload");
  health = get ("/healthz");
  g_assert_cmpuint (health->status, ==, 200);
  results = get (results_path);
  bi_test_assert_error (results, 404, "unknown_job");
  g_assert_false (g_file_test (stored, G_FILE_TEST_EXISTS));
}

/* ---- GET /results/… -------------------------------------------------------------------------- */

static void
test_results_bad_ids (void)
{
  g_autofree char *too_long = g_strdup_printf ("/results/job-1700000000000-%065d", 0);
  const char *paths[] = {
    "/results/", "/results/..%2F..%2Fetc%2Fpasswd", "/results/%2E%2E%2Fetc", "/results/job-1-abcdefgh",
    "/results/job-1700000000000-ABCDEFGH", "/results/job-1700000000000-abc", "/results/%00",
    "/results/job-1700000000000-abcdefgh%2Ffinal-results.json", too_long,
  };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(BiTestResponse) response = get (paths[i]);

      g_test_message ("GET %s", paths[i]);
      bi_test_assert_error (response, 400, "bad_job_id");
    }
}

static void
test_results_unknown (void)
{
  g_autofree char *job_id = bi_job_id_new ();
  g_autofree char *path = g_strconcat ("/results/", job_id, NULL);
  g_autoptr(BiTestResponse) response = get (path);

  bi_test_assert_error (response, 404, "unknown_job");
}

/* ---- GET /catalog/search ----------------------------------------------------------------------- */

static void
test_catalog_search (void)
{
  g_autoptr(BiTestResponse) response = get ("/catalog/search?q=hunger%20games&limit=5");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *books;

  g_assert_cmpuint (response->status, ==, 200);
  g_assert_cmpstr (response->content_type, ==, "application/json");
  json_parser_load_from_data (parser, response->body, -1, &error);
  g_assert_no_error (error);
  books = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (books), >=, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (books, 0),
                                                  "title"), ==, "The Hunger Games (The Hunger Games, #1)");
}

static void
test_catalog_search_bad_input (void)
{
  struct { const char *query; const char *code; } cases[] = {
    { "", "bad_query" }, { "?q=", "bad_query" }, { "?q=%20%20", "bad_query" },
    { "?q=dune&limit=0", "bad_limit" }, { "?q=dune&limit=51", "bad_limit" },
    { "?q=dune&limit=abc", "bad_limit" }, { "?q=dune&limit=-1", "bad_limit" },
    { "?q=dune&limit=%2B5", "bad_limit" }, { "?q=dune&limit=", "bad_limit" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strconcat ("/catalog/search", cases[i].query, NULL);
      g_autoptr(BiTestResponse) response = get (path);

      g_test_message ("GET %s", path);
      bi_test_assert_error (response, 400, cases[i].code);
    }
}

/* ---- @topic and @connections input ------------------------------------------------------------- */

static void
test_management_bad_input (void)
{
  g_autofree char *topic = server_url ("/@topic");
  struct { const char *body; const char *code; } topic_cases[] = {
    { "", "bad_message" }, { "not json", "bad_message" }, { "[]", "bad_message" },
    { "{\"jobId\":\"../x\",\"status\":\"complete\"}", "bad_job_id" },
    { "{\"jobId\":\"job-1700000000000-abcdefgh\",\"status\":\"maybe\"}", "bad_message" },
    { "{\"jobId\":\"job-1700000000000-abcdefgh\",\"status\":\"failed\"}", "bad_message" },
  };
  const char *methods[] = { "GET", "POST", "DELETE" };

  for (guint i = 0; i < G_N_ELEMENTS (topic_cases); i++)
    {
      g_autoptr(GBytes) body = g_bytes_new_static (topic_cases[i].body,
                                                   strlen (topic_cases[i].body));
      g_autoptr(BiTestResponse) response = bi_test_http (session, "POST", topic,
                                                          "application/json", body);

      g_test_message ("POST /@topic %s", topic_cases[i].body);
      bi_test_assert_error (response, 400, topic_cases[i].code);
    }

  for (guint i = 0; i < G_N_ELEMENTS (methods); i++)
    {
      g_autofree char *bad = server_url ("/@connections/..%2F..%2Fx");
      g_autofree char *unknown = server_url ("/@connections/AAAAAAAAAAAAAAAA");
      g_autoptr(GBytes) body = g_bytes_new_static ("hi", 2);
      gboolean post = g_str_equal (methods[i], "POST");
      g_autoptr(BiTestResponse) bad_response =
        bi_test_http (session, methods[i], bad, post ? "text/plain" : NULL, post ? body : NULL);
      g_autoptr(BiTestResponse) gone =
        bi_test_http (session, methods[i], unknown, post ? "text/plain" : NULL,
                      post ? body : NULL);

      bi_test_assert_error (bad_response, 400, "bad_connection_id");
      bi_test_assert_error (gone, 410, "gone");
    }
}

/* A non-loopback address of this machine, or NULL when it has none (e.g. a sandbox). */
static char *
find_external_address (void)
{
  struct ifaddrs *addresses = NULL;
  char *found = NULL;

  if (getifaddrs (&addresses) != 0)
    return NULL;
  for (struct ifaddrs *entry = addresses; entry != NULL && found == NULL; entry = entry->ifa_next)
    {
      g_autoptr(GSocketAddress) address = NULL;
      GInetAddress *inet;

      if (entry->ifa_addr == NULL || entry->ifa_addr->sa_family != AF_INET)
        continue;
      address = g_socket_address_new_from_native (entry->ifa_addr, sizeof (struct sockaddr_in));
      inet = g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (address));
      if (!g_inet_address_get_is_loopback (inet))
        found = g_inet_address_to_string (inet);
    }
  freeifaddrs (addresses);
  return found;
}

/* ---- access token and listening -------------------------------------------------------------- */

static BiTestResponse *
get_with_bearer (BiTestServer *token_server,
                 const char   *path,
                 const char   *token)
{
  g_autofree char *url = g_strconcat (bi_test_server_get_url (token_server), path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autofree char *authorization = g_strconcat ("Bearer ", token, NULL);

  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                authorization);
  return bi_test_send (session, msg);
}

static void
test_access_token (void)
{
  const char *args[] = { "--access-token", TOKEN, NULL };
  g_autoptr(BiTestServer) token_server = bi_test_server_new (args);
  g_autofree char *base = g_strdup (bi_test_server_get_url (token_server));
  g_autofree char *healthz = g_strconcat (base, "/healthz", NULL);
  g_autofree char *metrics = g_strconcat (base, "/metrics", NULL);
  g_autofree char *websocket = g_strconcat (base, "/ws", NULL);
  g_autofree char *query_token = g_strconcat (base, "/metrics?token=" TOKEN, NULL);
  g_autofree char *upload_url_path = NULL;
  g_autofree char *upload_url = NULL;
  g_autofree char *job_id = bi_job_id_new ();
  g_autoptr(GBytes) png = bi_test_tiny_png ();
  g_autoptr(BiTestResponse) open = bi_test_http (session, "GET", healthz, NULL, NULL);
  g_autoptr(BiTestResponse) missing = bi_test_http (session, "GET", metrics, NULL, NULL);
  g_autoptr(BiTestResponse) missing_ws = bi_test_http (session, "GET", websocket, NULL, NULL);
  g_autoptr(BiTestResponse) wrong = get_with_bearer (token_server, "/metrics",
                                                     "test-token-0123456789abcdeX");
  g_autoptr(BiTestResponse) bearer = get_with_bearer (token_server, "/metrics", TOKEN);
  g_autoptr(BiTestResponse) query = bi_test_http (session, "GET", query_token, NULL, NULL);
  g_autoptr(BiTestResponse) signed_url = NULL;
  g_autoptr(BiTestResponse) upload = NULL;

  g_assert_cmpuint (open->status, ==, 200);
  bi_test_assert_error (missing, 401, "unauthorized");
  bi_test_assert_error (missing_ws, 401, "unauthorized");
  bi_test_assert_error (wrong, 401, "unauthorized");
  g_assert_cmpuint (bearer->status, ==, 200);
  g_assert_cmpuint (query->status, ==, 200);

  /* The signed URL is the upload's credential: no token needed to PUT. */
  upload_url_path = g_strdup_printf ("/upload-url?filename=%s%%2Fshelf.png&contentType=image/png",
                                     job_id);
  signed_url = get_with_bearer (token_server, upload_url_path, TOKEN);
  g_assert_cmpuint (signed_url->status, ==, 200);
  g_assert_null (strstr (signed_url->body, TOKEN));
  upload_url = g_strdup (signed_url->body);
  upload = bi_test_http (session, "PUT", upload_url, "image/png", png);
  g_assert_cmpuint (upload->status, ==, 200);
}

static void
test_management_loopback_only (void)
{
  const char *args[] = { "--access-token", TOKEN, "--listen", "0.0.0.0:0", NULL };
  g_autofree char *external = find_external_address ();
  g_autoptr(BiTestServer) open_server = NULL;
  g_autofree char *port = NULL;
  g_autofree char *url = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(BiTestResponse) response = NULL;

  if (external == NULL)
    {
      g_test_skip ("This machine has no non-loopback IPv4 address to connect from.");
      return;
    }

  /* The later --listen wins over the helper's 127.0.0.1:0. */
  open_server = bi_test_server_new (args);
  port = g_strdup (strrchr (bi_test_server_get_url (open_server), ':') + 1);
  url = g_strdup_printf ("http://%s:%s/@connections/AAAAAAAAAAAAAAAA", external, port);
  msg = soup_message_new ("GET", url);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization",
                                "Bearer " TOKEN);
  response = bi_test_send (session, msg);
  bi_test_assert_error (response, 403, "forbidden");
}

static void
test_refuses_open_listen_without_token (void)
{
  g_autofree char *dir = bi_test_temp_dir_new ();
  const char *args[] = { "--data-dir", dir, "--listen", "0.0.0.0:0", NULL };
  int exit_status = 0;
  g_autofree char *stderr_text = bi_test_server_run_failing (args, &exit_status);

  g_assert_cmpint (exit_status, ==, 1);
  g_assert_nonnull (strstr (stderr_text, "without an access token"));
  g_assert_nonnull (strstr (stderr_text, "--access-token"));
  bi_test_temp_dir_remove (dir);
}

static void
test_refuses_bad_options (void)
{
  g_autofree char *dir = bi_test_temp_dir_new ();
  const char *cases[][4] = {
    { "--listen", "nonsense", NULL },
    { "--listen", "127.0.0.1:99999", NULL },
    { "--access-token", "short", NULL },
    { "--max-upload-bytes", "0", NULL },
    { "--test-hold-stage", "../ocr", NULL },
  };
  const char *no_data_dir[] = { "--listen", "127.0.0.1:0", NULL };
  int exit_status = 0;
  g_autofree char *missing = bi_test_server_run_failing (no_data_dir, &exit_status);

  g_assert_cmpint (exit_status, ==, 1);
  g_assert_nonnull (strstr (missing, "--data-dir"));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const char *args[] = { "--data-dir", dir, cases[i][0], cases[i][1], NULL };
      g_autofree char *stderr_text = bi_test_server_run_failing (args, &exit_status);

      g_test_message ("%s %s: %s", cases[i][0], cases[i][1], stderr_text);
      g_assert_cmpint (exit_status, ==, 1);
      g_assert_true (g_str_has_prefix (stderr_text, "bookimg-server: "));
    }
  bi_test_temp_dir_remove (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *max_upload = g_strdup_printf ("%d", MAX_UPLOAD_BYTES);
  int status;

  g_test_init (&argc, &argv, NULL);

  catalog_path = bi_test_write_temp_file (".tsv", catalog);
  {
    const char *args[] = { "--max-upload-bytes", max_upload, "--catalog", catalog_path,
                           "--ocr-workers", "1", NULL };

    server = bi_test_server_new (args);
  }
  session = soup_session_new ();

  g_test_add_func ("/bookimg/server-http/healthz", test_healthz);
  g_test_add_func ("/bookimg/server-http/index-page", test_index_page);
  g_test_add_func ("/bookimg/server-http/unknown-route", test_unknown_route);
  g_test_add_func ("/bookimg/server-http/wrong-method", test_wrong_method);
  g_test_add_func ("/bookimg/server-http/metrics", test_metrics);
  g_test_add_func ("/bookimg/server-http/upload-url/bad-input", test_upload_url_bad_input);
  g_test_add_func ("/bookimg/server-http/upload-url/client-host", test_upload_url_uses_client_host);
  g_test_add_func ("/bookimg/server-http/upload/accepted", test_upload_accepted);
  g_test_add_func ("/bookimg/server-http/upload/tampered", test_upload_tampered);
  g_test_add_func ("/bookimg/server-http/upload/expired", test_upload_expired);
  g_test_add_func ("/bookimg/server-http/upload/not-an-image", test_upload_not_an_image);
  g_test_add_func ("/bookimg/server-http/upload/too-large", test_upload_too_large);
  g_test_add_func ("/bookimg/server-http/upload/truncated", test_upload_truncated);
  g_test_add_func ("/bookimg/server-http/results/bad-ids", test_results_bad_ids);
  g_test_add_func ("/bookimg/server-http/results/unknown", test_results_unknown);
  g_test_add_func ("/bookimg/server-http/catalog/search", test_catalog_search);
  g_test_add_func ("/bookimg/server-http/catalog/bad-input", test_catalog_search_bad_input);
  g_test_add_func ("/bookimg/server-http/management/bad-input", test_management_bad_input);
  g_test_add_func ("/bookimg/server-http/management/loopback-only",
                   test_management_loopback_only);
  g_test_add_func ("/bookimg/server-http/access-token", test_access_token);
  g_test_add_func ("/bookimg/server-http/refuses-open-listen-without-token",
                   test_refuses_open_listen_without_token);
  g_test_add_func ("/bookimg/server-http/refuses-bad-options", test_refuses_bad_options);

  status = g_test_run ();

  g_clear_object (&session);
  g_clear_pointer (&server, bi_test_server_free);
  g_unlink (catalog_path);
  g_free (catalog_path);
  return status;
}
