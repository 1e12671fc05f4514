/* bi-open-library-catalog.c — Open Library's search.json as a BiCatalog port
 *
 * The answer documented for search.json:
 *   {"numFound": n, "start": 0, "docs": [{"key": "/works/OL45804W", "title": "…",
 *     "author_name": ["…"], "first_publish_year": 1970, "isbn": ["…", …]}, …]}
 * An answer without a "docs" array is not the API's; a doc without a string key and title is
 * skipped; any other member of the wrong type counts as missing.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-open-library-catalog"

#include "bi-open-library-catalog.h"
#include "bi-provider-books.h"
#include "bi-provider-port.h"

/* Only what a book record needs: Open Library's docs are large without a field list. */
#define FIELDS "key,title,author_name,first_publish_year,isbn"

struct _BiOpenLibraryCatalog
{
  BiCatalog         port;   /* first member: the port functions cast back */
  BiProviderClient *client;
};

static const BiProviderInfo open_library_info = {
  "openlibrary",
  "Open Library",
  BI_OPEN_LIBRARY_URL,
  BI_OPEN_LIBRARY_REQUESTS_PER_SECOND,
  NULL, /* no errors of its own beyond HTTP's */
};

/* ---- parsing -------------------------------------------------------------------------- */

static int
doc_year (JsonObject *doc)
{
  JsonNode *node = json_object_get_member (doc, "first_publish_year");
  gint64 year;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_INT64)
    return 0;
  year = json_node_get_int (node);
  return year >= 1 && year <= 9999 ? (int) year : 0;
}

static BiBook *
book_from_doc (JsonNode *node)
{
  g_autoptr(BiBook) book = NULL;
  g_auto(GStrv) isbns = NULL;
  JsonObject *doc;
  const char *key;
  const char *title;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  doc = json_node_get_object (node);
  key = bi_json_object_get_string (doc, "key");
  title = bi_json_object_get_string (doc, "title");
  if (key == NULL || key[0] == '\0' || title == NULL || title[0] == '\0')
    return NULL;

  book = bi_book_new ();
  book->title = g_strdup (title);
  g_strfreev (book->authors);
  book->authors = bi_provider_json_strings (doc, "author_name");
  book->year = doc_year (doc);
  isbns = bi_provider_json_strings (doc, "isbn");
  book->isbn13 = bi_provider_pick_isbn13 ((const char * const *) isbns);
  book->source = g_strdup ("openlibrary");
  book->source_id = g_strdup (key);
  return g_steal_pointer (&book);
}

static GPtrArray *
parse_search (JsonNode  *root,
              gpointer   user_data,
              GError   **error)
{
  JsonNode *docs = JSON_NODE_HOLDS_OBJECT (root)
                   ? json_object_get_member (json_node_get_object (root), "docs") : NULL;

  if (docs == NULL || !JSON_NODE_HOLDS_ARRAY (docs))
    {
      g_set_error_literal (error, BI_PROVIDER_ERROR, BI_PROVIDER_ERROR_BAD_RESPONSE,
                           "Open Library's answer has no “docs” list; its search API may have "
                           "changed.");
      return NULL;
    }

  return bi_provider_read_books (json_node_get_array (docs), book_from_doc, "Open Library doc",
                                 "key");
}

/* ---- the port ------------------------------------------------------------------------- */

static GPtrArray *
fetch (BiCatalog   *port,
       const char  *q,
       guint        max_results,
       GError     **error)
{
  BiOpenLibraryCatalog *self = (BiOpenLibraryCatalog *) port;
  g_autofree char *escaped = g_uri_escape_string (q, NULL, FALSE);
  g_autofree char *path = g_strdup_printf ("/search.json?q=%s&fields=" FIELDS "&limit=%u",
                                           escaped, max_results);

  /* No secret in the path: it is the cache key as it is. */
  return bi_provider_client_fetch_books (self->client, path, path, parse_search, NULL, error);
}

static GPtrArray *
open_library_search (BiCatalog   *port,
                     const char  *query,
                     guint        limit,
                     GError     **error)
{
  return bi_provider_port_search (port, fetch, query, limit, error);
}

static BiBook *
open_library_lookup_isbn (BiCatalog   *port,
                          const char  *isbn13,
                          GError     **error)
{
  return bi_provider_port_lookup_isbn (port, fetch, isbn13, error);
}

/* ---- public API ----------------------------------------------------------------------- */

BiOpenLibraryCatalog *
bi_open_library_catalog_new (const BiProviderConfig *config)
{
  BiOpenLibraryCatalog *self = g_new0 (BiOpenLibraryCatalog, 1);

  self->port.search = open_library_search;
  self->port.lookup_isbn = open_library_lookup_isbn;
  /* No shelf marks: a call number is one library's, never a public catalog's. */
  self->port.lookup_shelf_mark = NULL;
  self->client = bi_provider_client_new (&open_library_info, config);
  return self;
}

void
bi_open_library_catalog_free (BiOpenLibraryCatalog *self)
{
  if (self == NULL)
    return;

  bi_provider_client_free (self->client);
  g_free (self);
}

BiCatalog *
bi_open_library_catalog_as_port (BiOpenLibraryCatalog *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return &self->port;
}
