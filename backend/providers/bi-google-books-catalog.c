/* bi-google-books-catalog.c — Google Books' volumes list as a BiCatalog port
 *
 * With the field mask below, the documented answer is
 *   {"items": [{"id": "zyTCAlFPjgYC", "volumeInfo": {"title": "…", "authors": ["…"],
 *     "publishedDate": "2004-03-22", "industryIdentifiers": [{"type": "ISBN_13",
 *     "identifier": "9780…"}, {"type": "ISBN_10", …}]}}, …]}
 * and `{}` when nothing matched. Errors are Google's JSON error object:
 *   {"error": {"code": 403, "message": "…", "errors": [{"reason": "dailyLimitExceeded", …}],
 *              "status": "PERMISSION_DENIED"}}
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-google-books-catalog"

#include "bi-google-books-catalog.h"
#include "bi-provider-books.h"
#include "bi-provider-port.h"

#include <string.h>

#define FIELDS "items(id,volumeInfo(title,authors,publishedDate,industryIdentifiers))"
/* The API's own cap on maxResults. */
#define MAX_RESULTS 40
/* Longest part of Google's own message quoted in ours. */
#define MAX_QUOTED_MESSAGE 160

struct _BiGoogleBooksCatalog
{
  BiCatalog         port;    /* first member: the port functions cast back */
  BiProviderClient *client;
  char             *escaped_key;
};

static gboolean describe_status (const char            *display_name,
                                 const BiHttpResponse  *response,
                                 GError               **error);

static const BiProviderInfo google_books_info = {
  "googlebooks",
  "Google Books",
  BI_GOOGLE_BOOKS_URL,
  BI_GOOGLE_BOOKS_REQUESTS_PER_SECOND,
  describe_status,
};

/* Reasons in Google's error objects (the "errors"[].reason of its JSON error format). */
static const char *const quota_reasons[] = {
  "dailyLimitExceeded", "dailyLimitExceededUnreg", "quotaExceeded", "rateLimitExceeded",
  "userRateLimitExceeded", "limitExceeded", NULL
};
static const char *const key_reasons[] = {
  "keyInvalid", "keyExpired", "accessNotConfigured", "ipRefererBlocked", "forbidden",
  "API_KEY_INVALID", "API_KEY_SERVICE_BLOCKED", NULL
};

/* ---- errors --------------------------------------------------------------------------- */

static gboolean
describe_status (const char            *display_name,
                 const BiHttpResponse  *response,
                 GError               **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gconstpointer body;
  gsize length;
  JsonNode *root;
  JsonNode *error_node;
  JsonObject *error_object = NULL;
  JsonNode *errors;
  const char *message = NULL;
  const char *status = NULL;
  const char *reason = NULL;
  g_autofree char *quoted = NULL;

  if (response->status != 400 && response->status != 403 && response->status != 429)
    return FALSE;

  body = g_bytes_get_data (response->body, &length);
  if (body != NULL && json_parser_load_from_data (parser, body, (gssize) length, NULL)
      && (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root)
      && (error_node = json_object_get_member (json_node_get_object (root), "error")) != NULL
      && JSON_NODE_HOLDS_OBJECT (error_node))
    {
      error_object = json_node_get_object (error_node);
      message = bi_json_object_get_string (error_object, "message");
      status = bi_json_object_get_string (error_object, "status");
      errors = json_object_get_member (error_object, "errors");
      if (errors != NULL && JSON_NODE_HOLDS_ARRAY (errors)
          && json_array_get_length (json_node_get_array (errors)) > 0
          && JSON_NODE_HOLDS_OBJECT (json_array_get_element (json_node_get_array (errors), 0)))
        reason = bi_json_object_get_string (json_array_get_object_element (
                                            json_node_get_array (errors), 0), "reason");
    }
  if (reason == NULL)
    reason = status;
  quoted = g_strdup_printf ("%s%s%.*s", reason != NULL ? reason : "no reason given",
                            message != NULL ? ": " : "", MAX_QUOTED_MESSAGE,
                            message != NULL ? message : "");

  if ((reason != NULL && g_strv_contains (quota_reasons, reason))
      || g_strcmp0 (status, "RESOURCE_EXHAUSTED") == 0)
    {
      g_set_error (error, BI_PROVIDER_ERROR, BI_PROVIDER_ERROR_QUOTA,
                   "%s refused the request because the API key's quota is used up (HTTP %u, "
                   "%s). Books are looked up without it until the quota resets; see the Books "
                   "API quotas in the Google Cloud console.", display_name, response->status,
                   quoted);
      return TRUE;
    }
  if (response->status == 403
      || (reason != NULL && g_strv_contains (key_reasons, reason))
      || (message != NULL && strstr (message, "API key") != NULL))
    {
      g_set_error (error, BI_PROVIDER_ERROR, BI_PROVIDER_ERROR_BAD_KEY,
                   "%s rejected the API key (HTTP %u, %s). Check the key (Preferences → Online "
                   "Catalogs, or --google-books-key) and that the Books API is enabled for "
                   "its project.", display_name, response->status, quoted);
      return TRUE;
    }
  return FALSE;
}

/* ---- parsing -------------------------------------------------------------------------- */

static int
published_year (JsonObject *info)
{
  const char *date = bi_json_object_get_string (info, "publishedDate");
  guint64 year;
  char digits[5];

  /* "2004", "2004-03" or "2004-03-22" */
  if (date == NULL || strlen (date) < 4 || strspn (date, "0123456789") < 4)
    return 0;
  memcpy (digits, date, 4);
  digits[4] = '\0';
  if (!g_ascii_string_to_unsigned (digits, 10, 1, 9999, &year, NULL))
    return 0;
  return (int) year;
}

/* ISBN_13 identifiers first, then ISBN_10 ones; other types (OTHER, ISSN) are not ISBNs. */
static char *
volume_isbn13 (JsonObject *info)
{
  JsonNode *node = json_object_get_member (info, "industryIdentifiers");
  const char *const types[] = { "ISBN_13", "ISBN_10" };
  JsonArray *identifiers;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  identifiers = json_node_get_array (node);

  for (guint t = 0; t < G_N_ELEMENTS (types); t++)
    for (guint i = 0; i < json_array_get_length (identifiers); i++)
      {
        JsonNode *element = json_array_get_element (identifiers, i);
        const char *isbn[2] = { NULL, NULL };
        char *isbn13;

        if (!JSON_NODE_HOLDS_OBJECT (element)
            || g_strcmp0 (bi_json_object_get_string (json_node_get_object (element), "type"),
                          types[t]) != 0)
          continue;
        isbn[0] = bi_json_object_get_string (json_node_get_object (element), "identifier");
        if ((isbn13 = bi_provider_pick_isbn13 (isbn)) != NULL)
          return isbn13;
      }
  return NULL;
}

static BiBook *
book_from_item (JsonNode *node)
{
  g_autoptr(BiBook) book = NULL;
  JsonObject *item;
  JsonNode *info_node;
  JsonObject *info;
  const char *id;
  const char *title;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  item = json_node_get_object (node);
  id = bi_json_object_get_string (item, "id");
  info_node = json_object_get_member (item, "volumeInfo");
  if (id == NULL || id[0] == '\0' || info_node == NULL || !JSON_NODE_HOLDS_OBJECT (info_node))
    return NULL;
  info = json_node_get_object (info_node);
  title = bi_json_object_get_string (info, "title");
  if (title == NULL || title[0] == '\0')
    return NULL;

  book = bi_book_new ();
  book->title = g_strdup (title);
  g_strfreev (book->authors);
  book->authors = bi_provider_json_strings (info, "authors");
  book->year = published_year (info);
  book->isbn13 = volume_isbn13 (info);
  book->source = g_strdup ("googlebooks");
  book->source_id = g_strdup (id);
  return g_steal_pointer (&book);
}

static GPtrArray *
parse_volumes (JsonNode  *root,
               gpointer   user_data,
               GError   **error)
{
  JsonNode *items;

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, BI_PROVIDER_ERROR, BI_PROVIDER_ERROR_BAD_RESPONSE,
                           "Google Books' answer is not a JSON object; its API may have "
                           "changed.");
      return NULL;
    }
  /* The field mask leaves out "items" altogether when nothing matched. */
  items = json_object_get_member (json_node_get_object (root), "items");
  if (items == NULL)
    return g_ptr_array_new_with_free_func ((GDestroyNotify) bi_book_free);
  if (!JSON_NODE_HOLDS_ARRAY (items))
    {
      g_set_error_literal (error, BI_PROVIDER_ERROR, BI_PROVIDER_ERROR_BAD_RESPONSE,
                           "Google Books' answer has an “items” member that is not a list; its "
                           "API may have changed.");
      return NULL;
    }

  return bi_provider_read_books (json_node_get_array (items), book_from_item,
                                 "Google Books item", "id");
}

/* ---- the port ------------------------------------------------------------------------- */

static GPtrArray *
fetch (BiCatalog   *port,
       const char  *q,
       guint        max_results,
       GError     **error)
{
  BiGoogleBooksCatalog *self = (BiGoogleBooksCatalog *) port;
  g_autofree char *escaped = g_uri_escape_string (q, NULL, FALSE);
  g_autofree char *request = g_strdup_printf ("/books/v1/volumes?q=%s&maxResults=%u&fields="
                                              FIELDS, escaped, MIN (max_results, MAX_RESULTS));
  /* The key goes last, so the cache key is the path without it. */
  g_autofree char *path = g_strconcat (request, "&key=", self->escaped_key, NULL);

  return bi_provider_client_fetch_books (self->client, path, request, parse_volumes, NULL,
                                         error);
}

static GPtrArray *
google_books_search (BiCatalog   *port,
                     const char  *query,
                     guint        limit,
                     GError     **error)
{
  return bi_provider_port_search (port, fetch, query, limit, error);
}

static BiBook *
google_books_lookup_isbn (BiCatalog   *port,
                          const char  *isbn13,
                          GError     **error)
{
  return bi_provider_port_lookup_isbn (port, fetch, isbn13, error);
}

/* ---- public API ----------------------------------------------------------------------- */

BiGoogleBooksCatalog *
bi_google_books_catalog_new (const BiProviderConfig *config)
{
  BiGoogleBooksCatalog *self;

  g_return_val_if_fail (config != NULL && config->api_key != NULL, NULL);

  self = g_new0 (BiGoogleBooksCatalog, 1);
  self->port.search = google_books_search;
  self->port.lookup_isbn = google_books_lookup_isbn;
  /* No shelf marks: a call number is one library's, never a public catalog's. */
  self->port.lookup_shelf_mark = NULL;
  self->client = bi_provider_client_new (&google_books_info, config);
  self->escaped_key = g_uri_escape_string (config->api_key, NULL, FALSE);
  return self;
}

void
bi_google_books_catalog_free (BiGoogleBooksCatalog *self)
{
  if (self == NULL)
    return;

  bi_provider_client_free (self->client);
  g_free (self->escaped_key);
  g_free (self);
}

BiCatalog *
bi_google_books_catalog_as_port (BiGoogleBooksCatalog *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return &self->port;
}
