/* test-google-books.c — the Google Books catalog against a local server speaking its API
 *
 * The request (key, maxResults, field mask), the mapping of volumes (ISBN_13 first, ISBN_10
 * converted, odd items skipped), an empty answer, and Google's errors: a used-up quota and a
 * wrong key come back as errors that say so, and never repeat the key.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "bi-google-books-catalog.h"
#include "bi-provider-test-utils.h"
#include "bi-test-clock.h"

#define KEY "AIzaTest-key_123"
#define FIELDS "items(id,volumeInfo(title,authors,publishedDate,industryIdentifiers))"

typedef struct
{
  BiTestHttpServer     *server;
  BiTestClock           clock;
  BiGoogleBooksCatalog *google_books;
  BiCatalog            *catalog;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  BiProviderConfig config = { 0 };

  bi_provider_test_start_clock (&fixture->clock, &config);
  fixture->server = bi_provider_test_start_server (&config);
  config.api_key = KEY;
  fixture->google_books = bi_google_books_catalog_new (&config);
  fixture->catalog = bi_google_books_catalog_as_port (fixture->google_books);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  bi_google_books_catalog_free (fixture->google_books);
  bi_provider_test_stop (fixture->server, &fixture->clock);
}

/* ---- tests ---- */

static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) books = NULL;
  const BiTestHttpRequest *request;
  const BiBook *book;

  bi_provider_test_queue_fixture (fixture->server, 200, "googlebooks-volumes.json");
  books = fixture->catalog->search (fixture->catalog, "the fellowship of the ring tolkien", 5,
                                    &error);
  g_assert_no_error (error);

  request = bi_test_http_server_get_request (fixture->server, 0);
  g_assert_cmpstr (request->path, ==, "/books/v1/volumes");
  g_assert_cmpstr (g_hash_table_lookup (request->query, "q"), ==,
                   "the fellowship of the ring tolkien");
  g_assert_cmpstr (g_hash_table_lookup (request->query, "key"), ==, KEY);
  g_assert_cmpstr (g_hash_table_lookup (request->query, "maxResults"), ==, "10");
  g_assert_cmpstr (g_hash_table_lookup (request->query, "fields"), ==, FIELDS);
  g_assert_true (g_str_has_prefix (g_hash_table_lookup (request->headers, "user-agent"),
                                   "BookImg/"));

  book = g_ptr_array_index (books, 0);
  g_assert_cmpstr (book->source_id, ==, "aWZzLPhY4o0C");
  g_assert_cmpstr (book->source, ==, "googlebooks");
  g_assert_cmpstr (book->title, ==, "The Fellowship Of The Ring");
  g_assert_cmpstrv (book->authors, ((const char *[]) { "J.R.R. Tolkien", NULL }));
  g_assert_cmpint (book->year, ==, 2012);
  /* ISBN_13 is preferred though listed second */
  g_assert_cmpstr (book->isbn13, ==, "9780547951942");

  book = bi_provider_test_get_book (books, "yl4dILkcqm4C");
  g_assert_cmpint (book->year, ==, 1991);
  /* OTHER is not an ISBN; the ISBN_10 is converted */
  g_assert_cmpstr (book->isbn13, ==, "9780261103252");

  /* members of the wrong type count as missing; items without an id or volumeInfo go */
  book = bi_provider_test_get_book (books, "oddTypes");
  g_assert_cmpstrv (book->authors, ((const char *[]) { "Tolkien", NULL }));
  g_assert_cmpint (book->year, ==, 0);
  g_assert_null (book->isbn13);
  g_assert_null (bi_provider_test_find_book (books, "noVolumeInfo"));
  g_assert_cmpuint (books->len, <=, 3);
}

static void
test_no_items (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) books = NULL;

  /* the field mask leaves "items" out when nothing matched */
  bi_test_http_server_queue (fixture->server, 200, NULL, "{}");
  books = fixture->catalog->search (fixture->catalog, "no such book anywhere", 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (books->len, ==, 0);
  g_clear_pointer (&books, g_ptr_array_unref);

  bi_test_http_server_queue (fixture->server, 200, NULL, "{\"items\": {}}");
  books = fixture->catalog->search (fixture->catalog, "no such book anywhere", 5, &error);
  g_assert_error (error, BI_PROVIDER_ERROR, BI_PROVIDER_ERROR_BAD_RESPONSE);
}

static void
test_lookup_isbn (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BiBook) book = NULL;
  const BiTestHttpRequest *request;

  bi_provider_test_queue_fixture (fixture->server, 200, "googlebooks-isbn.json");
  book = fixture->catalog->lookup_isbn (fixture->catalog, "9780140328721", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (book->title, ==, "Fantastic Mr Fox");
  g_assert_cmpstr (book->source_id, ==, "wrOQLV6xB-wC");
  g_assert_cmpstr (book->isbn13, ==, "9780140328721");
  request = bi_test_http_server_get_request (fixture->server, 0);
  g_assert_cmpstr (g_hash_table_lookup (request->query, "q"), ==, "isbn:9780140328721");
  g_assert_cmpstr (g_hash_table_lookup (request->query, "maxResults"), ==, "1");
}

static void
test_quota (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) books = NULL;

  bi_provider_test_queue_fixture (fixture->server, 403, "googlebooks-403-quota.json");
  books = fixture->catalog->search (fixture->catalog, "dune herbert", 5, &error);
  g_assert_null (books);
  g_assert_error (error, BI_PROVIDER_ERROR, BI_PROVIDER_ERROR_QUOTA);
  g_assert_nonnull (strstr (error->message, "quota"));
  g_assert_nonnull (strstr (error->message, "dailyLimitExceeded"));
  g_assert_null (strstr (error->message, KEY));
  /* a used-up quota is not retried */
  g_assert_cmpuint (bi_test_http_server_count (fixture->server), ==, 1);
}

static void
test_bad_key (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) books = NULL;

  bi_provider_test_queue_fixture (fixture->server, 400, "googlebooks-400-key-invalid.json");
  books = fixture->catalog->search (fixture->catalog, "dune herbert", 5, &error);
  g_assert_null (books);
  g_assert_error (error, BI_PROVIDER_ERROR, BI_PROVIDER_ERROR_BAD_KEY);
  g_assert_nonnull (strstr (error->message, "API key"));
  g_assert_null (strstr (error->message, KEY));
}

static void
test_key_never_in_messages (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) books = NULL;
  g_autoptr(BiGoogleBooksCatalog) unreachable = NULL;
  BiProviderConfig config = { 0 };
  BiCatalog *catalog;

  /* libcurl's messages name the URL, and the URL holds the key */
  config.base_url = "http://127.0.0.1:1";
  config.api_key = KEY;
  config.clock = &fixture->clock.clock;
  unreachable = bi_google_books_catalog_new (&config);
  catalog = bi_google_books_catalog_as_port (unreachable);
  books = catalog->search (catalog, "dune herbert", 5, &error);
  g_assert_error (error, BI_PROVIDER_ERROR, BI_PROVIDER_ERROR_UNAVAILABLE);
  g_assert_nonnull (strstr (error->message, "Google Books"));
  g_assert_null (strstr (error->message, KEY));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, function) \
  g_test_add ("/bookimg/google-books/" path, Fixture, NULL, fixture_set_up, function, \
              fixture_tear_down)
  ADD ("search", test_search);
  ADD ("no-items", test_no_items);
  ADD ("lookup-isbn", test_lookup_isbn);
  ADD ("quota", test_quota);
  ADD ("bad-key", test_bad_key);
  ADD ("key-never-in-messages", test_key_never_in_messages);
#undef ADD
  return g_test_run ();
}
