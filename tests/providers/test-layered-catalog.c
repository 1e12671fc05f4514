/* test-layered-catalog.c — local first, online only without a good local hit, never failing
 *
 * A scripted local catalog in front of the real Open Library and Google Books catalogs, which
 * talk to local servers.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "bi-google-books-catalog.h"
#include "bi-layered-catalog.h"
#include "bi-open-library-catalog.h"
#include "bi-provider-test-utils.h"
#include "bi-test-clock.h"

/* A local catalog that answers every search with its books, and knows one ISBN. */
typedef struct
{
  BiCatalog  port;
  GPtrArray *books;    /* of BiBook */
  guint      searches;
} ScriptedCatalog;

static GPtrArray *
scripted_search (BiCatalog   *port,
                 const char  *query,
                 guint        limit,
                 GError     **error)
{
  ScriptedCatalog *self = (ScriptedCatalog *) port;
  GPtrArray *books = g_ptr_array_new_with_free_func ((GDestroyNotify) bi_book_free);

  self->searches++;
  for (guint i = 0; i < self->books->len && i < limit; i++)
    g_ptr_array_add (books, bi_book_copy (g_ptr_array_index (self->books, i)));
  return books;
}

static BiBook *
scripted_lookup_isbn (BiCatalog   *port,
                      const char  *isbn13,
                      GError     **error)
{
  ScriptedCatalog *self = (ScriptedCatalog *) port;

  for (guint i = 0; i < self->books->len; i++)
    {
      BiBook *book = g_ptr_array_index (self->books, i);

      if (g_strcmp0 (book->isbn13, isbn13) == 0)
        return bi_book_copy (book);
    }
  return NULL;
}

/* Every local book has the label asked for: the layered catalog only forwards. */
static GPtrArray *
scripted_lookup_shelf_mark (BiCatalog   *port,
                            const char  *class_number,
                            const char  *author_code,
                            guint        limit,
                            GError     **error)
{
  ScriptedCatalog *self = (ScriptedCatalog *) port;
  GPtrArray *hits = g_ptr_array_new_with_free_func ((GDestroyNotify) bi_shelf_mark_hit_free);

  for (guint i = 0; i < self->books->len && i < limit; i++)
    {
      BiShelfMarkHit *hit = g_new0 (BiShelfMarkHit, 1);

      hit->book = bi_book_copy (g_ptr_array_index (self->books, i));
      hit->shelf_mark = g_strdup_printf ("%s %s", class_number, author_code);
      hit->match = BI_SHELF_MARK_EXACT;
      g_ptr_array_add (hits, hit);
    }
  return hits;
}

static BiBook *
local_book (const char *title,
            const char *author,
            const char *isbn13,
            double      score)
{
  BiBook *book = bi_book_new ();

  book->title = g_strdup (title);
  g_strfreev (book->authors);
  book->authors = g_strsplit (author, "|", -1);
  book->isbn13 = g_strdup (isbn13);
  book->source = g_strdup ("catalog");
  book->source_id = g_strdup_printf ("local-%s", title);
  book->score = score;
  return book;
}

typedef struct
{
  ScriptedCatalog       local;
  BiTestClock           clock;
  BiTestHttpServer     *open_library_server;
  BiTestHttpServer     *google_books_server;
  BiOpenLibraryCatalog *open_library;
  BiGoogleBooksCatalog *google_books;
  BiLayeredCatalog     *layered;
  BiCatalog            *catalog;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  BiProviderConfig config = { 0 };

  fixture->local.port.search = scripted_search;
  fixture->local.port.lookup_isbn = scripted_lookup_isbn;
  fixture->local.port.lookup_shelf_mark = scripted_lookup_shelf_mark;
  fixture->local.books = g_ptr_array_new_with_free_func ((GDestroyNotify) bi_book_free);
  bi_provider_test_start_clock (&fixture->clock, &config);
  fixture->open_library_server = bi_provider_test_start_server (&config);
  fixture->open_library = bi_open_library_catalog_new (&config);
  fixture->google_books_server = bi_provider_test_start_server (&config);
  config.api_key = "test-key";
  fixture->google_books = bi_google_books_catalog_new (&config);

  fixture->layered = bi_layered_catalog_new (&fixture->local.port);
  bi_layered_catalog_add_online (fixture->layered, "Open Library",
                                 bi_open_library_catalog_as_port (fixture->open_library));
  bi_layered_catalog_add_online (fixture->layered, "Google Books",
                                 bi_google_books_catalog_as_port (fixture->google_books));
  fixture->catalog = bi_layered_catalog_as_port (fixture->layered);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  bi_layered_catalog_free (fixture->layered);
  bi_google_books_catalog_free (fixture->google_books);
  bi_open_library_catalog_free (fixture->open_library);
  bi_test_http_server_free (fixture->google_books_server);
  bi_provider_test_stop (fixture->open_library_server, &fixture->clock);
  g_ptr_array_unref (fixture->local.books);
}

/* ---- tests ---- */

static void
test_good_local_hit (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) books = NULL;

  g_ptr_array_add (fixture->local.books, local_book ("The Lord of the Rings", "J.R.R. Tolkien",
                                                     NULL, BI_LAYERED_CATALOG_GOOD_SCORE));
  books = bi_provider_test_search (fixture->catalog, "lord of the rings tolkien");
  g_assert_cmpuint (books->len, ==, 1);
  g_assert_cmpstr (((BiBook *) g_ptr_array_index (books, 0))->source, ==, "catalog");
  /* nothing left the machine */
  g_assert_cmpuint (bi_test_http_server_count (fixture->open_library_server), ==, 0);
  g_assert_cmpuint (bi_test_http_server_count (fixture->google_books_server), ==, 0);
}

static void
test_falls_back_and_merges (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GPtrArray) books = NULL;
  const BiBook *best;
  guint with_isbn = 0;

  /* a weak local hit, and the same book as Open Library's best (same ISBN-13) */
  g_ptr_array_add (fixture->local.books, local_book ("Rings of Saturn", "W. G. Sebald", NULL,
                                                     0.3));
  g_ptr_array_add (fixture->local.books, local_book ("Lord of the Rings (Spanish)",
                                                     "Tolkien", "9780618640157", 0.2));
  bi_provider_test_queue_fixture (fixture->open_library_server, 200,
                                  "openlibrary-search.json");
  books = bi_provider_test_search (fixture->catalog, "lord of the rings tolkien");

  g_assert_cmpuint (bi_test_http_server_count (fixture->open_library_server), ==, 1);
  /* Open Library had a good hit: Google Books is not asked */
  g_assert_cmpuint (bi_test_http_server_count (fixture->google_books_server), ==, 0);

  best = g_ptr_array_index (books, 0);
  g_assert_cmpstr (best->source, ==, "openlibrary");
  g_assert_cmpstr (best->source_id, ==, "/works/OL27448W");
  for (guint i = 0; i < books->len; i++)
    {
      const BiBook *book = g_ptr_array_index (books, i);

      with_isbn += g_strcmp0 (book->isbn13, "9780618640157") == 0;
      if (i > 0)
        g_assert_cmpfloat (book->score, <=, ((BiBook *) g_ptr_array_index (books, i - 1))->score);
    }
  /* one book once: the better scored reading of the ISBN stays */
  g_assert_cmpuint (with_isbn, ==, 1);
  /* the local weak hit is still among the answers */
  g_assert_true (books->len <= 5);
}

static void
test_next_provider (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) books = NULL;

  /* Open Library finds nothing: Google Books is asked next */
  bi_provider_test_queue_fixture (fixture->open_library_server, 200,
                                  "openlibrary-empty.json");
  bi_provider_test_queue_fixture (fixture->google_books_server, 200,
                                  "googlebooks-volumes.json");
  books = bi_provider_test_search (fixture->catalog, "the fellowship of the ring tolkien");
  g_assert_cmpuint (bi_test_http_server_count (fixture->open_library_server), ==, 1);
  g_assert_cmpuint (bi_test_http_server_count (fixture->google_books_server), ==, 1);
  g_assert_cmpstr (((BiBook *) g_ptr_array_index (books, 0))->source, ==, "googlebooks");
}

static void
test_never_fails (Fixture       *fixture,
                  gconstpointer  data)
{
  g_ptr_array_add (fixture->local.books, local_book ("Rings of Saturn", "W. G. Sebald", NULL,
                                                     0.3));
  bi_test_http_server_set_default (fixture->open_library_server, 500, NULL, "");
  bi_provider_test_queue_fixture (fixture->google_books_server, 403,
                                  "googlebooks-403-quota.json");
  bi_test_http_server_set_default (fixture->google_books_server, 403,
                                   NULL, "{\"error\":{\"code\":403,\"errors\":[{\"reason\":"
                                         "\"dailyLimitExceeded\"}]}}");

  /* a burst of failures is logged once per provider */
  g_test_expect_message ("bi-layered-catalog", G_LOG_LEVEL_WARNING, "Open Library failed*");
  g_test_expect_message ("bi-layered-catalog", G_LOG_LEVEL_WARNING,
                         "Google Books failed*quota*");
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(GPtrArray) books = bi_provider_test_search (fixture->catalog,
                                                            "rings of saturn sebald");

      /* the local result stands */
      g_assert_cmpuint (books->len, ==, 1);
      g_assert_cmpstr (((BiBook *) g_ptr_array_index (books, 0))->source, ==, "catalog");
    }
  g_test_assert_expected_messages ();
  g_assert_cmpuint (bi_test_http_server_count (fixture->open_library_server), ==, 4);
  g_assert_cmpuint (bi_test_http_server_count (fixture->google_books_server), ==, 4);
}

static void
test_lookup_isbn (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BiBook) book = NULL;

  /* known locally: no request */
  g_ptr_array_add (fixture->local.books, local_book ("Dune", "Frank Herbert", "9780345339683",
                                                     1.0));
  book = fixture->catalog->lookup_isbn (fixture->catalog, "9780345339683", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (book->source, ==, "catalog");
  g_assert_cmpuint (bi_test_http_server_count (fixture->open_library_server), ==, 0);
  g_clear_pointer (&book, bi_book_free);

  /* unknown locally, and Open Library is down: Google Books has it */
  bi_test_http_server_set_default (fixture->open_library_server, 500, NULL, "");
  bi_provider_test_queue_fixture (fixture->google_books_server, 200, "googlebooks-isbn.json");
  g_test_expect_message ("bi-layered-catalog", G_LOG_LEVEL_WARNING, "Open Library failed*");
  book = fixture->catalog->lookup_isbn (fixture->catalog, "9780140328721", &error);
  g_test_assert_expected_messages ();
  g_assert_no_error (error);
  g_assert_cmpstr (book->source, ==, "googlebooks");
  g_assert_cmpstr (book->title, ==, "Fantastic Mr Fox");
}

/* Shelf marks are the local library's own: asked of it alone; without them, none. */
static void
test_lookup_shelf_mark (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GPtrArray) hits = NULL;
  g_autoptr(GError) error = NULL;
  ScriptedCatalog plain = { { scripted_search, scripted_lookup_isbn, NULL }, NULL, 0 };
  BiLayeredCatalog *without = NULL;

  g_assert_null (bi_open_library_catalog_as_port (fixture->open_library)->lookup_shelf_mark);
  g_assert_null (bi_google_books_catalog_as_port (fixture->google_books)->lookup_shelf_mark);

  g_ptr_array_add (fixture->local.books, local_book ("Pádel", "Jaume Castellote", NULL, 1.0));
  g_assert_nonnull (fixture->catalog->lookup_shelf_mark);
  hits = fixture->catalog->lookup_shelf_mark (fixture->catalog, "796.34", "Cas", 5, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (hits->len, ==, 1);
  g_assert_cmpstr (((BiShelfMarkHit *) hits->pdata[0])->book->title, ==, "Pádel");
  g_assert_cmpstr (((BiShelfMarkHit *) hits->pdata[0])->shelf_mark, ==, "796.34 Cas");

  without = bi_layered_catalog_new (&plain.port);
  g_assert_null (bi_layered_catalog_as_port (without)->lookup_shelf_mark);
  bi_layered_catalog_free (without);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, function) \
  g_test_add ("/bookimg/layered-catalog/" path, Fixture, NULL, fixture_set_up, function, \
              fixture_tear_down)
  ADD ("good-local-hit", test_good_local_hit);
  ADD ("falls-back-and-merges", test_falls_back_and_merges);
  ADD ("next-provider", test_next_provider);
  ADD ("never-fails", test_never_fails);
  ADD ("lookup-isbn", test_lookup_isbn);
  ADD ("lookup-shelf-mark", test_lookup_shelf_mark);
#undef ADD
  return g_test_run ();
}
