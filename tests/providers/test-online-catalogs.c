/* test-online-catalogs.c — the server's online catalog options, checked and built
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <string.h>

#include "bi-online-catalogs.h"
#include "bi-provider-test-utils.h"

static GPtrArray *
no_books (BiCatalog   *port,
          const char  *query,
          guint        limit,
          GError     **error)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) bi_book_free);
}

static BiBook *
no_book (BiCatalog   *port,
         const char  *isbn13,
         GError     **error)
{
  return NULL;
}

static void
test_parse_names (void)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) names = NULL;

  names = bi_online_catalogs_parse_names ("openlibrary, googlebooks,openlibrary", &error);
  g_assert_no_error (error);
  g_assert_cmpstrv (names, ((const char *[]) { "openlibrary", "googlebooks", NULL }));
  g_clear_pointer (&names, g_strfreev);

  for (guint i = 0; i < 3; i++)
    {
      names = bi_online_catalogs_parse_names ((const char *[]) { NULL, "", "none" }[i], &error);
      g_assert_no_error (error);
      g_assert_cmpuint (g_strv_length (names), ==, 0);
      g_clear_pointer (&names, g_strfreev);
    }

  names = bi_online_catalogs_parse_names ("openlibrary,amazon", &error);
  g_assert_null (names);
  g_assert_error (error, BI_PROVIDER_ERROR, BI_PROVIDER_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "\"amazon\""));
  g_assert_nonnull (strstr (error->message, "openlibrary and googlebooks"));
}

static void
test_check (void)
{
  const char *google[] = { "googlebooks", NULL };
  const char *open_library[] = { "openlibrary", NULL };
  g_autoptr(GError) error = NULL;

  g_assert_true (bi_online_catalogs_check (open_library, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (bi_online_catalogs_check (google, "AIza-Key_1", &error));
  g_assert_no_error (error);

  g_assert_false (bi_online_catalogs_check (google, NULL, &error));
  g_assert_error (error, BI_PROVIDER_ERROR, BI_PROVIDER_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "BOOKIMG_GOOGLE_BOOKS_KEY"));
  g_clear_error (&error);
  g_assert_false (bi_online_catalogs_check (google, "", &error));
  g_clear_error (&error);
  g_assert_false (bi_online_catalogs_check (google, "key with spaces", &error));
  g_assert_error (error, BI_PROVIDER_ERROR, BI_PROVIDER_ERROR_CONFIG);
  /* the message never repeats the key */
  g_assert_null (strstr (error->message, "key with spaces"));
}

static void
test_build (void)
{
  BiCatalog local = { no_books, no_book };
  g_autoptr(BiTestHttpServer) server = bi_test_http_server_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(BiOnlineCatalogs) none = NULL;
  g_autoptr(BiOnlineCatalogs) online = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bookimg-online-XXXXXX", &error);
  g_autofree char *cache_path = NULL;
  const char *names[] = { "openlibrary", NULL };
  BiOnlineCatalogsConfig config = { names, NULL, dir, NULL, NULL };
  BiCatalog *catalog;

  g_assert_no_error (error);

  /* nothing asked for: the local catalog itself, and no cache file */
  config.names = NULL;
  none = bi_online_catalogs_new (&local, &config, &error);
  g_assert_no_error (error);
  g_assert_true (bi_online_catalogs_as_port (none) == &local);

  config.names = names;
  config.open_library_url = bi_test_http_server_get_url (server);
  online = bi_online_catalogs_new (&local, &config, &error);
  g_assert_no_error (error);
  catalog = bi_online_catalogs_as_port (online);
  g_assert_true (catalog != &local);

  /* the local catalog has nothing: Open Library is asked, and its answer cached */
  bi_provider_test_queue_fixture (server, 200, "openlibrary-search.json");
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GPtrArray) books = catalog->search (catalog, "lord of the rings", 5, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (((BiBook *) g_ptr_array_index (books, 0))->source, ==, "openlibrary");
    }
  g_assert_cmpuint (bi_test_http_server_count (server), ==, 1);
  cache_path = g_build_filename (dir, BI_ONLINE_CATALOGS_CACHE_FILE, NULL);
  g_assert_true (g_file_test (cache_path, G_FILE_TEST_IS_REGULAR));

  g_clear_pointer (&online, bi_online_catalogs_free);
  g_clear_pointer (&none, bi_online_catalogs_free);
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *path = g_strconcat (cache_path, (const char *[]) { "", "-wal", "-shm" }[i],
                                           NULL);

      g_remove (path);
    }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bookimg/online-catalogs/parse-names", test_parse_names);
  g_test_add_func ("/bookimg/online-catalogs/check", test_check);
  g_test_add_func ("/bookimg/online-catalogs/build", test_build);
  return g_test_run ();
}
