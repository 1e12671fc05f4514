/* bi-provider-test-utils.c — what the online catalog tests share: fixtures and result checks
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-provider-test-utils"

#include "bi-provider-test-utils.h"

void
bi_provider_test_start_clock (BiTestClock      *clock,
                              BiProviderConfig *config)
{
  bi_test_clock_init (clock, BI_PROVIDER_TEST_START_SECONDS);
  config->clock = &clock->clock;
}

BiTestHttpServer *
bi_provider_test_start_server (BiProviderConfig *config)
{
  BiTestHttpServer *server = bi_test_http_server_new ();

  config->base_url = bi_test_http_server_get_url (server);
  return server;
}

void
bi_provider_test_stop (BiTestHttpServer *server,
                       BiTestClock      *clock)
{
  bi_test_http_server_free (server);
  bi_test_clock_clear (clock);
}

static char *
read_fixture (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "providers", "fixtures", name,
                                                 NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

void
bi_provider_test_queue_fixture (BiTestHttpServer *server,
                                guint             status,
                                const char       *name)
{
  g_autofree char *body = read_fixture (name);

  bi_test_http_server_queue (server, status, NULL, body);
}

const BiBook *
bi_provider_test_find_book (GPtrArray  *books,
                            const char *source_id)
{
  for (guint i = 0; i < books->len; i++)
    {
      const BiBook *book = g_ptr_array_index (books, i);

      if (g_strcmp0 (book->source_id, source_id) == 0)
        return book;
    }
  return NULL;
}

const BiBook *
bi_provider_test_get_book (GPtrArray  *books,
                           const char *source_id)
{
  const BiBook *book = bi_provider_test_find_book (books, source_id);

  if (book == NULL)
    g_error ("No book %s among the results", source_id);
  return book;
}

GPtrArray *
bi_provider_test_search (BiCatalog  *catalog,
                         const char *query)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *books = catalog->search (catalog, query, 5, &error);

  g_assert_no_error (error);
  g_assert_nonnull (books);
  return books;
}
