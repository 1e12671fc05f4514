/* bi-web-routes.c — the web upload page (web/) at GET / and GET /static/<file>
 *
 * The files are compiled into the server as a GResource (web/bookimg-web.gresource.xml). They
 * are public, also when the server has an access token: they hold no data, and a browser must
 * load the page before it can ask its user for the token (the page then sends it on every API
 * request and on the WebSocket). Every answer carries a strict Content-Security-Policy, so that
 * a title or OCR text that slipped into markup still could not run script.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-web-routes"

#include "config.h"

#include "bi-http-server-private.h"
#include "bookimg-web-resources.h"

#include <string.h>

#define WEB_RESOURCE_PREFIX "/io/github/bookimg/web/"

/* The page loads its own script, style sheet and modules, shows the user's photos from blob:
 * URLs and talks to this origin over HTTP and WebSocket; nothing else. ws:/wss: are listed
 * beside 'self' for browsers whose 'self' does not cover the WebSocket schemes (CSP level 2). */
static const char content_security_policy[] =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; "
  "connect-src 'self' ws: wss:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

typedef struct
{
  const char *suffix;
  const char *content_type;
} WebFileType;

static const WebFileType file_types[] = {
  { ".html", "text/html; charset=utf-8" },
  { ".js", "text/javascript; charset=utf-8" },
  { ".css", "text/css; charset=utf-8" },
};

static const char *
content_type_for (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (file_types); i++)
    {
      if (g_str_has_suffix (name, file_types[i].suffix))
        return file_types[i].content_type;
    }
  return NULL;
}

static void
respond_not_found (SoupServerMessage *msg)
{
  bi_http_respond_error (msg, SOUP_STATUS_NOT_FOUND, "not_found",
                         "There is no such file; the web page is at /.");
}

/* A strong validator: the files change only with the server binary. */
static char *
entity_tag_for (GBytes *contents)
{
  g_autofree char *digest = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, contents);

  return g_strdup_printf ("\"%.32s\"", digest);
}

static void
serve_web_file (SoupServerMessage *msg,
                const char        *name)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  g_autoptr(GBytes) contents = NULL;
  g_autofree char *resource_path = NULL;
  g_autofree char *entity_tag = NULL;
  const char *content_type;
  const char *if_none_match;
  gconstpointer data;
  gsize size = 0;

  /* One segment of a known type: nothing outside the page's own files can be named. */
  content_type = content_type_for (name);
  if (content_type == NULL || name[0] == '.' || strchr (name, '/') != NULL)
    {
      respond_not_found (msg);
      return;
    }

  resource_path = g_strconcat (WEB_RESOURCE_PREFIX, name, NULL);
  contents = g_resource_lookup_data (bi_web_get_resource (), resource_path,
                                     G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  if (contents == NULL)
    {
      respond_not_found (msg);
      return;
    }

  entity_tag = entity_tag_for (contents);
  soup_message_headers_replace (headers, "Content-Security-Policy",
                                content_security_policy);
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  /* Unversioned names: the browser may keep a copy but asks (with the ETag) before using it,
   * so a new server never runs with an old page. */
  soup_message_headers_replace (headers, "Cache-Control", "no-cache");
  soup_message_headers_replace (headers, "ETag", entity_tag);

  if_none_match = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                "If-None-Match");
  if (if_none_match != NULL && strstr (if_none_match, entity_tag) != NULL)
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_MODIFIED, NULL);
      return;
    }

  data = g_bytes_get_data (contents, &size);
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, content_type, SOUP_MEMORY_COPY, data, size);
}

void
bi_web_page_route (BiHttpServer      *self,
                   SoupServerMessage *msg,
                   const char        *tail,
                   GHashTable        *query)
{
  serve_web_file (msg, "index.html");
}

void
bi_web_static_route (BiHttpServer      *self,
                     SoupServerMessage *msg,
                     const char        *tail,
                     GHashTable        *query)
{
  g_autofree char *name = bi_http_decode_segment (tail);

  if (name == NULL)
    {
      respond_not_found (msg);
      return;
    }
  serve_web_file (msg, name);
}
