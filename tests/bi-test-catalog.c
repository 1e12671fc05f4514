/* bi-test-catalog.c — the catalog tests' fixture: a temporary dir and a SQLite catalog
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-test-catalog"

#include "bi-test-catalog.h"
#include "bi-test-files.h"
#include "bi-test-store-utils.h"

#include <gio/gio.h>

void
bi_test_catalog_set_up (BiTestCatalog *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = bi_test_temp_dir_new ();
  path = data != NULL ? g_strdup (data)
                      : g_build_filename (fixture->dir, "catalog.sqlite3", NULL);
  fixture->catalog = bi_sqlite_catalog_open (path, &error);
  g_assert_no_error (error);
}

void
bi_test_catalog_tear_down (BiTestCatalog *fixture,
                           gconstpointer  data)
{
  g_clear_pointer (&fixture->catalog, bi_sqlite_catalog_free);
  bi_test_temp_dir_remove (fixture->dir);
  g_free (fixture->dir);
}

void
bi_test_catalog_import_path (BiTestCatalog        *fixture,
                             const char           *path,
                             BiCatalogImportStats *stats)
{
  g_autoptr(GError) error = NULL;

  bi_sqlite_catalog_import_file (fixture->catalog, path, stats, &error);
  g_assert_no_error (error);
}

void
bi_test_catalog_import_text (BiTestCatalog        *fixture,
                             const char           *name,
                             const char           *contents,
                             BiCatalogImportStats *stats)
{
  g_autofree char *path = bi_test_write_file (fixture->dir, name, contents, -1);

  bi_test_catalog_import_path (fixture, path, stats);
}

/* Streamed through GZlibCompressor, so a dump of any size fits. */
char *
bi_test_catalog_write_gzip (BiTestCatalog *fixture,
                            const char    *name,
                            const char    *contents,
                            gsize          length)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileOutputStream) output = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE,
                                                        NULL, &error);
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP,
                                                                 6);
  g_autoptr(GOutputStream) gzip = NULL;

  g_assert_no_error (error);
  gzip = g_converter_output_stream_new (G_OUTPUT_STREAM (output), G_CONVERTER (compressor));
  g_output_stream_write_all (gzip, contents, length, NULL, NULL, &error);
  g_assert_no_error (error);
  g_output_stream_close (gzip, NULL, &error);
  g_assert_no_error (error);
  return g_steal_pointer (&path);
}

void
bi_test_catalog_assert_stats (const BiCatalogImportStats *stats,
                              const char                 *format,
                              guint                       imported,
                              guint                       skipped)
{
  g_assert_cmpstr (stats->format, ==, format);
  g_assert_cmpuint (stats->imported, ==, imported);
  g_assert_cmpuint (stats->skipped, ==, skipped);
}

BiBook *
bi_test_catalog_lookup_isbn (BiTestCatalog *fixture,
                             const char    *isbn13)
{
  BiCatalog *port = bi_sqlite_catalog_as_port (fixture->catalog);
  g_autoptr(GError) error = NULL;
  BiBook *book = port->lookup_isbn (port, isbn13, &error);

  g_assert_no_error (error);
  if (book == NULL)
    g_error ("no book with the ISBN %s", isbn13);
  return book;
}
