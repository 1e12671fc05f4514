/* test-web-routes.c — the web page's files at GET / and /static/, with their security headers
 *
 * Against the real bookimg-server: the page and its script and style sheet come from the
 * GResource with the right types, the Content-Security-Policy and the other headers; nothing
 * else can be named; the files are public also when the server has an access token (the API
 * they call is not). The page itself is tested in a browser by tests/web/test-web-page.mjs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "bi-test-server.h"

#define TOKEN "test-token-0123456789abcdef"
#define CSP "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: " \
            "data:; connect-src 'self' ws: wss:; base-uri 'none'; form-action 'none'; "       \
            "frame-ancestors 'none'"

static BiTestServer *server;
static SoupSession *session;

typedef struct
{
  BiTestResponse     *response;
  SoupMessageHeaders *headers;  /* the response's */
  SoupMessage        *msg;
} WebAnswer;

static void
web_answer_clear (WebAnswer *answer)
{
  g_clear_pointer (&answer->response, bi_test_response_free);
  g_clear_object (&answer->msg);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (WebAnswer, web_answer_clear)

static void
request (WebAnswer    *answer,
         BiTestServer *target,
         const char   *method,
         const char   *path,
         const char   *if_none_match)
{
  g_autofree char *url = g_strconcat (bi_test_server_get_url (target), path, NULL);

  answer->msg = soup_message_new (method, url);
  g_assert_nonnull (answer->msg);
  if (if_none_match != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (answer->msg),
                                  "If-None-Match", if_none_match);
  answer->response = bi_test_send (session, answer->msg);
  answer->headers = soup_message_get_response_headers (answer->msg);
}

static void
assert_security_headers (WebAnswer *answer)
{
  g_assert_cmpstr (soup_message_headers_get_one (answer->headers, "Content-Security-Policy"), ==,
                   CSP);
  g_assert_cmpstr (soup_message_headers_get_one (answer->headers, "X-Content-Type-Options"), ==,
                   "nosniff");
  g_assert_cmpstr (soup_message_headers_get_one (answer->headers, "Referrer-Policy"), ==,
                   "no-referrer");
  g_assert_cmpstr (soup_message_headers_get_one (answer->headers, "Cache-Control"), ==,
                   "no-cache");
  g_assert_nonnull (soup_message_headers_get_one (answer->headers, "ETag"));
}

static void
test_page (void)
{
  g_auto(WebAnswer) answer = { 0 };

  request (&answer, server, "GET", "/", NULL);

  g_assert_cmpuint (answer.response->status, ==, 200);
  g_assert_cmpstr (answer.response->content_type, ==, "text/html");
  g_assert_cmpstr (soup_message_headers_get_content_type (answer.headers, NULL), ==,
                   "text/html");
  assert_security_headers (&answer);
  g_assert_nonnull (strstr (answer.response->body, "<script type=\"module\" src=\"/static/app.js\">"));
  g_assert_nonnull (strstr (answer.response->body, "href=\"/static/style.css\""));
  /* What the policy would block must not be needed: no inline script, style or handlers. */
  g_assert_null (strstr (answer.response->body, "<script>"));
  g_assert_null (strstr (answer.response->body, "<style"));
  g_assert_null (strstr (answer.response->body, " style="));
  g_assert_null (strstr (answer.response->body, " onclick="));
}

static void
test_static_files (void)
{
  const struct { const char *path; const char *type; const char *contains; } files[] = {
    { "/static/app.js", "text/javascript", "import {" },
    { "/static/bookimg.js", "text/javascript", "export function newJobId" },
    { "/static/style.css", "text/css", ".job-list" },
    { "/static/index.html", "text/html", "<!DOCTYPE html>" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (files); i++)
    {
      g_auto(WebAnswer) answer = { 0 };

      request (&answer, server, "GET", files[i].path, NULL);
      g_assert_cmpuint (answer.response->status, ==, 200);
      g_assert_cmpstr (answer.response->content_type, ==, files[i].type);
      g_assert_nonnull (strstr (answer.response->body, files[i].contains));
      assert_security_headers (&answer);
    }
}

static void
test_not_modified (void)
{
  g_auto(WebAnswer) first = { 0 };
  g_auto(WebAnswer) again = { 0 };
  g_auto(WebAnswer) changed = { 0 };

  request (&first, server, "GET", "/static/app.js", NULL);
  request (&again, server, "GET", "/static/app.js",
           soup_message_headers_get_one (first.headers, "ETag"));
  request (&changed, server, "GET", "/static/app.js", "\"something-else\"");

  g_assert_cmpuint (again.response->status, ==, 304);
  g_assert_cmpuint (again.response->length, ==, 0);
  g_assert_cmpuint (changed.response->status, ==, 200);
}

static void
test_unknown_files (void)
{
  const char *paths[] = {
    "/static/", "/static/nope.js", "/static/..%2Fmeson.build", "/static/%2E%2E%2Fapp.js",
    "/static/bookimg-web.gresource.xml", "/static/meson.build", "/static/.app.js",
    "/static/app.js%00.css", "/static/sub/app.js", "/static/%2Fapp.js", "/index.html",
    "/app.js",
  };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_auto(WebAnswer) answer = { 0 };

      request (&answer, server, "GET", paths[i], NULL);
      bi_test_assert_error (answer.response, 404, "not_found");
    }
}

static void
test_methods (void)
{
  g_auto(WebAnswer) post = { 0 };
  g_auto(WebAnswer) head = { 0 };

  request (&post, server, "POST", "/", NULL);
  request (&head, server, "HEAD", "/static/style.css", NULL);

  bi_test_assert_error (post.response, 405, "method_not_allowed");
  g_assert_cmpstr (post.response->allow, ==, "GET, HEAD");
  g_assert_cmpuint (head.response->status, ==, 200);
  g_assert_cmpuint (head.response->length, ==, 0);
}

/* With a token, the page loads without one (so it can ask for it) but the API does not. */
static void
test_public_with_access_token (void)
{
  const char *args[] = { "--access-token", TOKEN, NULL };
  g_autoptr(BiTestServer) token_server = bi_test_server_new (args);
  g_auto(WebAnswer) page = { 0 };
  g_auto(WebAnswer) script = { 0 };
  g_auto(WebAnswer) search = { 0 };
  g_auto(WebAnswer) results = { 0 };

  request (&page, token_server, "GET", "/", NULL);
  request (&script, token_server, "GET", "/static/app.js", NULL);
  request (&search, token_server, "GET", "/catalog/search?q=bookimg&limit=1", NULL);
  request (&results, token_server, "GET", "/results/job-1700000000000-abcdefabcdef", NULL);

  g_assert_cmpuint (page.response->status, ==, 200);
  assert_security_headers (&page);
  g_assert_cmpuint (script.response->status, ==, 200);
  bi_test_assert_error (search.response, 401, "unauthorized");
  bi_test_assert_error (results.response, 401, "unauthorized");
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);

  server = bi_test_server_new (NULL);
  session = soup_session_new ();

  g_test_add_func ("/bookimg/web-routes/page", test_page);
  g_test_add_func ("/bookimg/web-routes/static-files", test_static_files);
  g_test_add_func ("/bookimg/web-routes/not-modified", test_not_modified);
  g_test_add_func ("/bookimg/web-routes/unknown-files", test_unknown_files);
  g_test_add_func ("/bookimg/web-routes/methods", test_methods);
  g_test_add_func ("/bookimg/web-routes/public-with-access-token", test_public_with_access_token);

  status = g_test_run ();

  g_clear_object (&session);
  bi_test_server_free (server);
  return status;
}
