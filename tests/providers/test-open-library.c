/* test-open-library.c — the Open Library catalog against a local server speaking search.json
 *
 * What is sent (fields listed, User-Agent with a contact, the query), how the documented
 * answer maps to books (odd docs skipped, only valid ISBNs), the cache (a hit makes no
 * request), the rate (3 a second, on a fake clock), 429/503 with and without Retry-After,
 * and answers that are not the API's.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <string.h>

#include "bi-open-library-catalog.h"
#include "bi-provider-test-utils.h"
#include "bi-test-clock.h"

#define FIELDS "key,title,author_name,first_publish_year,isbn"

typedef struct
{
  BiTestHttpServer     *server;
  BiTestClock           clock;
  BiResponseCache      *cache;
  BiOpenLibraryCatalog *open_library;
  BiCatalog            *catalog;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  BiProviderConfig config = { 0 };

  bi_provider_test_start_clock (&fixture->clock, &config);
  fixture->server = bi_provider_test_start_server (&config);
  fixture->cache = bi_response_cache_open (":memory:", BI_RESPONSE_CACHE_DEFAULT_TTL_SECONDS,
                                           &fixture->clock.clock, &error);
  g_assert_no_error (error);
  config.cache = GPOINTER_TO_INT (data) ? fixture->cache : NULL;
  fixture->open_library = bi_open_library_catalog_new (&config);
  fixture->catalog = bi_open_library_catalog_as_port (fixture->open_library);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  bi_open_library_catalog_free (fixture->open_library);
  bi_response_cache_free (fixture->cache);
  bi_provider_test_stop (fixture->server, &fixture->clock);
}

/* ---- tests ---- */

static void
test_search (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) books = NULL;
  const BiTestHttpRequest *request;
  const BiBook *book;
  g_autofree char *user_agent = g_strdup_printf ("BookImg/%s (https://github.com/bookimg/"
                                                 "bookimg)", PACKAGE_VERSION);

  bi_provider_test_queue_fixture (fixture->server, 200, "openlibrary-search.json");
  books = bi_provider_test_search (fixture->catalog, "  lord of the\n rings  tolkien ");

  g_assert_cmpuint (bi_test_http_server_count (fixture->server), ==, 1);
  request = bi_test_http_server_get_request (fixture->server, 0);
  g_assert_cmpstr (request->method, ==, "GET");
  g_assert_cmpstr (request->path, ==, "/search.json");
  g_assert_cmpstr (g_hash_table_lookup (request->query, "q"), ==, "lord of the rings tolkien");
  g_assert_cmpstr (g_hash_table_lookup (request->query, "fields"), ==, FIELDS);
  g_assert_cmpstr (g_hash_table_lookup (request->query, "limit"), ==, "10");
  g_assert_cmpstr (g_hash_table_lookup (request->headers, "user-agent"), ==, user_agent);

  /* best first, mapped from the documented fields */
  g_assert_cmpuint (books->len, >=, 2);
  book = g_ptr_array_index (books, 0);
  g_assert_cmpstr (book->title, ==, "The Lord of the Rings");
  g_assert_cmpstr (book->source, ==, "openlibrary");
  g_assert_cmpstr (book->source_id, ==, "/works/OL27448W");
  g_assert_cmpstrv (book->authors, ((const char *[]) { "J.R.R. Tolkien", NULL }));
  g_assert_cmpint (book->year, ==, 1954);
  /* the first ISBN has a wrong check digit; the ISBN-10 after it is converted */
  g_assert_cmpstr (book->isbn13, ==, "9780618640157");
  g_assert_cmpfloat (book->score, >, 0.8);

  /* members of the wrong type count as missing */
  book = bi_provider_test_get_book (books, "/works/OL2W");
  g_assert_cmpstrv (book->authors, ((const char *[]) { NULL }));
  g_assert_cmpint (book->year, ==, 0);
  g_assert_null (book->isbn13);
  g_assert_cmpfloat (book->score, <, ((BiBook *) g_ptr_array_index (books, 0))->score);

  /* docs without a string key and title are skipped */
  g_assert_null (bi_provider_test_find_book (books, "/works/OL1W"));
  for (guint i = 0; i < books->len; i++)
    g_assert_cmpstr (((BiBook *) g_ptr_array_index (books, i))->title, !=,
                     "A key that is not a string");
}

static void
test_nothing_to_search (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) books = bi_provider_test_search (fixture->catalog, " - . ");

  g_assert_cmpuint (books->len, ==, 0);
  g_assert_cmpuint (bi_test_http_server_count (fixture->server), ==, 0);
}

static void
test_lookup_isbn (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BiBook) book = NULL;
  const BiTestHttpRequest *request;

  bi_provider_test_queue_fixture (fixture->server, 200, "openlibrary-isbn.json");
  book = fixture->catalog->lookup_isbn (fixture->catalog, "9780140328721", &error);
  g_assert_no_error (error);
  g_assert_nonnull (book);
  g_assert_cmpstr (book->title, ==, "Fantastic Mr Fox");
  g_assert_cmpstr (book->isbn13, ==, "9780140328721");
  g_assert_cmpstr (book->source_id, ==, "/works/OL45804W");
  request = bi_test_http_server_get_request (fixture->server, 0);
  g_assert_cmpstr (g_hash_table_lookup (request->query, "q"), ==, "isbn:9780140328721");
  g_assert_cmpstr (g_hash_table_lookup (request->query, "fields"), ==, FIELDS);
  g_assert_cmpstr (g_hash_table_lookup (request->query, "limit"), ==, "1");
  g_clear_pointer (&book, bi_book_free);

  /* not found: NULL without an error */
  bi_provider_test_queue_fixture (fixture->server, 200, "openlibrary-empty.json");
  book = fixture->catalog->lookup_isbn (fixture->catalog, "9780345339683", &error);
  g_assert_no_error (error);
  g_assert_null (book);

  /* a wrong check digit is not worth a request */
  book = fixture->catalog->lookup_isbn (fixture->catalog, "9780140328722", &error);
  g_assert_no_error (error);
  g_assert_null (book);
  g_assert_cmpuint (bi_test_http_server_count (fixture->server), ==, 2);
}

static void
test_cache (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) second = NULL;
  g_autoptr(GPtrArray) third = NULL;

  bi_test_http_server_set_default (fixture->server, 500, NULL, "");
  bi_provider_test_queue_fixture (fixture->server, 200, "openlibrary-search.json");
  first = bi_provider_test_search (fixture->catalog, "lord of the rings tolkien");

  /* the same search a day later: answered from the cache, no request */
  bi_test_clock_advance (&fixture->clock, (gint64) 24 * 3600 * G_USEC_PER_SEC);
  second = bi_provider_test_search (fixture->catalog, "lord of the rings tolkien");
  g_assert_cmpuint (bi_test_http_server_count (fixture->server), ==, 1);
  g_assert_cmpuint (second->len, ==, first->len);
  g_assert_cmpstr (((BiBook *) g_ptr_array_index (second, 0))->source_id, ==,
                   "/works/OL27448W");

  /* past the TTL (30 days) the service is asked again */
  bi_test_clock_advance (&fixture->clock, (gint64) 30 * 24 * 3600 * G_USEC_PER_SEC);
  bi_provider_test_queue_fixture (fixture->server, 200, "openlibrary-search.json");
  third = bi_provider_test_search (fixture->catalog, "lord of the rings tolkien");
  g_assert_cmpuint (bi_test_http_server_count (fixture->server), ==, 2);
}

static void
test_rate (Fixture       *fixture,
           gconstpointer  data)
{
  const char *queries[] = { "dune", "emma", "ulysses", "beloved", "middlemarch", "rebecca",
                            "frankenstein" };

  bi_test_http_server_set_default (fixture->server, 200, NULL,
                                   "{\"numFound\":0,\"start\":0,\"docs\":[]}");
  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autoptr(GPtrArray) books = bi_provider_test_search (fixture->catalog, queries[i]);
    }
  g_assert_cmpuint (bi_test_http_server_count (fixture->server), ==, G_N_ELEMENTS (queries));
  /* 7 requests at 3 a second: the last starts 2 s after the first, waited on the clock */
  g_assert_cmpint (bi_test_clock_slept (&fixture->clock), >=, 2 * G_USEC_PER_SEC);
  g_assert_cmpint (bi_test_clock_slept (&fixture->clock), <, 2 * G_USEC_PER_SEC + 1000);
}

static void
test_retry_after (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) books = NULL;
  g_autoptr(GError) error = NULL;
  const char *retry_after[] = { "Retry-After", "2", NULL };

  /* 429 with Retry-After: 2 → waits 2 s (on the clock), then the answer */
  bi_test_http_server_queue (fixture->server, 429, retry_after, "Too Many Requests");
  bi_provider_test_queue_fixture (fixture->server, 200, "openlibrary-search.json");
  books = bi_provider_test_search (fixture->catalog, "lord of the rings");
  g_assert_cmpuint (bi_test_http_server_count (fixture->server), ==, 2);
  g_assert_cmpint (bi_test_clock_slept (&fixture->clock), >=, 2 * G_USEC_PER_SEC);
  g_assert_cmpuint (books->len, >, 0);
  g_clear_pointer (&books, g_ptr_array_unref);

  /* 503 without Retry-After → 1 s of backoff */
  bi_test_http_server_queue (fixture->server, 503, NULL, "");
  bi_provider_test_queue_fixture (fixture->server, 200, "openlibrary-search.json");
  books = bi_provider_test_search (fixture->catalog, "the fellowship of the ring");
  g_assert_cmpuint (bi_test_http_server_count (fixture->server), ==, 4);
  g_clear_pointer (&books, g_ptr_array_unref);

  /* still 429 after three tries: an error that says so */
  bi_test_http_server_set_default (fixture->server, 429, retry_after, "");
  books = fixture->catalog->search (fixture->catalog, "emma", 5, &error);
  g_assert_null (books);
  g_assert_error (error, BI_PROVIDER_ERROR, BI_PROVIDER_ERROR_RATE_LIMITED);
  g_assert_nonnull (strstr (error->message, "slow down"));
  g_assert_cmpuint (bi_test_http_server_count (fixture->server), ==, 7);
}

static void
test_long_retry_after (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) books = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) later =
    g_date_time_new_from_unix_utc (BI_PROVIDER_TEST_START_SECONDS + 3600);
  g_autofree char *date = g_date_time_format (later, "%a, %d %b %Y %H:%M:%S GMT");
  const char *retry_after[] = { "Retry-After", date, NULL };

  /* an HTTP-date an hour ahead: no worker waits that long; fail now, and until then */
  bi_test_http_server_queue (fixture->server, 429, retry_after, "");
  books = fixture->catalog->search (fixture->catalog, "emma", 5, &error);
  g_assert_error (error, BI_PROVIDER_ERROR, BI_PROVIDER_ERROR_RATE_LIMITED);
  g_assert_nonnull (strstr (error->message, "3600 s"));
  g_clear_error (&error);

  books = fixture->catalog->search (fixture->catalog, "dune", 5, &error);
  g_assert_error (error, BI_PROVIDER_ERROR, BI_PROVIDER_ERROR_RATE_LIMITED);
  g_assert_cmpuint (bi_test_http_server_count (fixture->server), ==, 1);
  g_assert_cmpint (bi_test_clock_slept (&fixture->clock), ==, 0);
  g_clear_error (&error);

  /* an hour later it is asked again */
  bi_test_clock_advance (&fixture->clock, (gint64) 3600 * G_USEC_PER_SEC);
  bi_provider_test_queue_fixture (fixture->server, 200, "openlibrary-empty.json");
  books = bi_provider_test_search (fixture->catalog, "dune");
  g_assert_cmpuint (bi_test_http_server_count (fixture->server), ==, 2);
}

static void
test_malformed (Fixture       *fixture,
                gconstpointer  data)
{
  const char *answers[] = { "<html><body>Service Unavailable</body></html>", "",
                            "{\"docs\": \"none\"}", "[1, 2, 3]", "{\"numFound\": 3}" };

  for (guint i = 0; i < G_N_ELEMENTS (answers); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) books = NULL;

      bi_test_http_server_queue (fixture->server, 200, NULL, answers[i]);
      books = fixture->catalog->search (fixture->catalog, "lord of the rings", 5, &error);
      g_assert_null (books);
      g_assert_error (error, BI_PROVIDER_ERROR, BI_PROVIDER_ERROR_BAD_RESPONSE);
      g_assert_nonnull (strstr (error->message, "Open Library"));
    }
  /* none of them was cached: the good answer is asked for */
  bi_provider_test_queue_fixture (fixture->server, 200, "openlibrary-search.json");
  {
    g_autoptr(GPtrArray) books = bi_provider_test_search (fixture->catalog, "lord of the rings");

    g_assert_cmpuint (books->len, >, 0);
  }
  g_assert_cmpuint (bi_test_http_server_count (fixture->server), ==,
                    G_N_ELEMENTS (answers) + 1);
}

static void
test_unavailable (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) books = NULL;

  bi_test_http_server_queue (fixture->server, 500, NULL, "Internal Server Error");
  books = fixture->catalog->search (fixture->catalog, "lord of the rings", 5, &error);
  g_assert_null (books);
  g_assert_error (error, BI_PROVIDER_ERROR, BI_PROVIDER_ERROR_UNAVAILABLE);
  g_assert_nonnull (strstr (error->message, "HTTP 500"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, function, cached) \
  g_test_add ("/bookimg/open-library/" path, Fixture, GINT_TO_POINTER (cached), \
              fixture_set_up, function, fixture_tear_down)
  ADD ("search", test_search, FALSE);
  ADD ("nothing-to-search", test_nothing_to_search, FALSE);
  ADD ("lookup-isbn", test_lookup_isbn, FALSE);
  ADD ("cache", test_cache, TRUE);
  ADD ("rate", test_rate, FALSE);
  ADD ("retry-after", test_retry_after, FALSE);
  ADD ("long-retry-after", test_long_retry_after, FALSE);
  ADD ("malformed", test_malformed, TRUE);
  ADD ("unavailable", test_unavailable, FALSE);
#undef ADD
  return g_test_run ();
}
