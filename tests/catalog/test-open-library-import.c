/* test-open-library-import.c — Open Library dumps (gzip, any order) into the SQLite catalog
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-open-library-dump.h"
#include "bi-test-catalog.h"
#include "bi-test-files.h"

#include <gio/gio.h>
#include <string.h>

typedef BiTestCatalog Fixture;

static const char authors_dump[] =
  "/type/author\t/authors/OL1A\t2\t2021-01-01T00:00:00\t"
  "{\"name\": \"Frank Herbert\", \"key\": \"/authors/OL1A\"}\n"
  "/type/author\t/authors/OL2A\t1\t2021-01-01T00:00:00\t"
  "{\"name\": \"Лев  Толстой\", \"key\": \"/authors/OL2A\"}\n"
  "/type/author\t/authors/OL3A\t1\t2021-01-01T00:00:00\t{\"key\": \"/authors/OL3A\"}\n";

/* Works: authors in the current and an older shape, an author entry without a key, an
 * author the authors dump does not have, and four lines to skip. */
static const char works_dump[] =
  "/type/work\t/works/OL1W\t5\t2021-01-01T00:00:00\t{\"title\": \"Dune\", \"authors\": "
  "[{\"type\": {\"key\": \"/type/author_role\"}, \"author\": {\"key\": \"/authors/OL1A\"}}], "
  "\"first_publish_date\": \"August 1965\"}\n"
  "/type/work\t/works/OL2W\t3\t2021-01-01T00:00:00\t{\"title\": \"Война и мир\", \"authors\": "
  "[{\"author\": \"/authors/OL2A\"}, {\"type\": {\"key\": \"/type/author_role\"}}, "
  "{\"author\": {\"key\": \"/authors/OL99A\"}}], \"first_publish_date\": \"1869\"}\n"
  "/type/work\t/works/OL3W\t1\t2021-01-01T00:00:00\t{\"title\": \"Anonymous Poems\"}\n"
  "/type/work\t/works/OL4W\t1\t2021-01-01T00:00:00\t{\"title\": \"Broken\", \"authors\": [\n"
  "/type/redirect\t/works/OL5W\t1\t2021-01-01T00:00:00\t{\"location\": \"/works/OL1W\"}\n"
  "/type/work\t/works/OL6W\t1\t2021-01-01T00:00:00\t{\"subtitle\": \"no title\"}\n"
  "/type/work\t/works/OL7W\t1\n";

/* Editions: an ISBN-10 only, an ISBN-13 with a wrong check digit before a good one, one
 * without a valid ISBN, one without a work. */
static const char editions_dump[] =
  "/type/edition\t/books/OL1M\t1\t2021-01-01T00:00:00\t{\"works\": [{\"key\": "
  "\"/works/OL1W\"}], \"isbn_10\": [\"0441172717\"]}\n"
  "/type/edition\t/books/OL2M\t1\t2021-01-01T00:00:00\t{\"works\": [{\"key\": "
  "\"/works/OL2W\"}], \"isbn_13\": [\"9780140447930\", \"978-0-14-044793-4\"]}\n"
  "/type/edition\t/books/OL3M\t1\t2021-01-01T00:00:00\t{\"works\": [{\"key\": "
  "\"/works/OL3W\"}], \"isbn_13\": [\"12345\"]}\n"
  "/type/edition\t/books/OL4M\t1\t2021-01-01T00:00:00\t{\"isbn_13\": [\"9780140447934\"]}\n";

/* Whatever order the three dumps come in, the books end up the same. */
static void
test_any_order (Fixture       *fixture,
                gconstpointer  data)
{
  const guint orders[][3] = { { 0, 1, 2 }, { 2, 1, 0 }, { 1, 0, 2 } };
  const char *const dumps[] = { authors_dump, works_dump, editions_dump };
  const char *const names[] = { "ol_dump_authors.txt.gz", "ol_dump_works.txt.gz",
                                "ol_dump_editions.txt.gz" };
  const guint imported[] = { 2, 3, 2 };
  const guint skipped[] = { 1, 4, 2 };

  for (guint o = 0; o < G_N_ELEMENTS (orders); o++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *database = g_strdup_printf ("%s/order-%u.sqlite3", fixture->dir, o);
      g_autoptr(BiBook) dune = NULL;
      g_autoptr(BiBook) war = NULL;

      bi_sqlite_catalog_free (fixture->catalog);
      fixture->catalog = bi_sqlite_catalog_open (database, &error);
      g_assert_no_error (error);

      for (guint i = 0; i < 3; i++)
        {
          guint which = orders[o][i];
          g_autofree char *path = bi_test_catalog_write_gzip (fixture, names[which],
                                                              dumps[which],
                                                              strlen (dumps[which]));
          g_auto(BiCatalogImportStats) stats = { 0 };

          bi_test_catalog_import_path (fixture, path, &stats);
          bi_test_catalog_assert_stats (&stats, "Open Library dump (gzip)", imported[which],
                                        skipped[which]);
        }

      g_assert_cmpint (bi_sqlite_catalog_count (fixture->catalog, NULL), ==, 3);
      dune = bi_test_catalog_lookup_isbn (fixture, "9780441172719");
      g_assert_cmpstr (dune->title, ==, "Dune");
      g_assert_cmpstr (dune->source_id, ==, "openlibrary:/works/OL1W");
      g_assert_cmpint (dune->year, ==, 1965);
      g_assert_cmpstrv (dune->authors, ((const char *const[]) { "Frank Herbert", NULL }));
      /* The unknown author and the entry without a key leave just the known one. */
      war = bi_test_catalog_lookup_isbn (fixture, "9780140447934");
      g_assert_cmpstr (war->title, ==, "Война и мир");
      g_assert_cmpstrv (war->authors, ((const char *const[]) { "Лев Толстой", NULL }));
      g_assert_cmpint (war->year, ==, 1869);
    }
}

static void
test_skip_reasons (Fixture       *fixture,
                   gconstpointer  data)
{
  /* Not compressed: a plain dump is read too. */
  g_autofree char *works = bi_test_write_file (fixture->dir, "works.txt", works_dump, -1);
  g_autofree char *editions = bi_test_write_file (fixture->dir, "editions.txt", editions_dump,
                                                  -1);
  g_auto(BiCatalogImportStats) stats = { 0 };

  bi_test_catalog_import_path (fixture, works, &stats);
  g_assert_cmpstr (stats.format, ==, "Open Library dump");
  g_assert_cmpuint (stats.reasons->len, ==, 4);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (stats.reasons, 0),
                                   "line 4: the JSON of /works/OL4W does not parse"));
  g_assert_cmpstr (g_ptr_array_index (stats.reasons, 1), ==,
                   "line 5: the type \"/type/redirect\" is not an author, work or edition");
  g_assert_cmpstr (g_ptr_array_index (stats.reasons, 2), ==,
                   "line 6: the work /works/OL6W has no title");
  g_assert_true (g_str_has_prefix (g_ptr_array_index (stats.reasons, 3),
                                   "line 7: the line has 3 tab-separated fields"));

  bi_test_catalog_import_path (fixture, editions, &stats);
  g_assert_cmpstr (g_ptr_array_index (stats.reasons, 0), ==,
                   "line 3: the edition /books/OL3M has no ISBN with a correct check digit");
  g_assert_cmpstr (g_ptr_array_index (stats.reasons, 1), ==,
                   "line 4: the edition /books/OL4M names no work");
}

/* A download cut short: gzip's end is missing. The import fails, saying how far it got, and
 * rolls back: the catalog keeps what it had and nothing of the cut file. */
static void
test_truncated_gzip (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GString) dump = g_string_new (NULL);
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *first_work = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autoptr(GError) error = NULL;
  g_auto(BiCatalogImportStats) stats = { 0 };
  gsize length = 0;

  first_work = bi_test_catalog_write_gzip (fixture, "one.txt.gz", works_dump,
                                           (gsize) (strchr (works_dump, '\n') + 1 - works_dump));
  bi_test_catalog_import_path (fixture, first_work, NULL);
  g_assert_cmpint (bi_sqlite_catalog_count (fixture->catalog, NULL), ==, 1);

  /* Random titles, so the compressed file is long enough to cut in the middle. */
  for (guint i = 0; i < 20000; i++)
    g_string_append_printf (dump, "/type/work\t/works/OL%uW\t1\t2021-01-01T00:00:00\t"
                            "{\"title\": \"Title %08x\"}\n", 100 + i, g_rand_int (rand));
  path = bi_test_catalog_write_gzip (fixture, "ol_dump_works.txt.gz", dump->str, dump->len);
  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  g_file_set_contents (path, contents, (gssize) (length / 2), &error);
  g_assert_no_error (error);

  g_assert_false (bi_sqlite_catalog_import_file (fixture->catalog, path, &stats, &error));
  g_assert_error (error, BI_CATALOG_ERROR, BI_CATALOG_ERROR_IO);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "ol_dump_works.txt.gz"));
  g_assert_nonnull (strstr (error->message, " rows ("));
  g_assert_nonnull (strstr (error->message, "Nothing from this file was kept"));
  g_assert_nonnull (strstr (error->message, "download it again"));
  g_assert_cmpuint (stats.imported, ==, 0);
  g_assert_cmpint (bi_sqlite_catalog_count (fixture->catalog, NULL), ==, 1);
  g_clear_error (&error);

  /* The catalog still works, and the whole file imports. */
  g_free (path);
  path = bi_test_catalog_write_gzip (fixture, "ol_dump_works.txt.gz", dump->str, dump->len);
  bi_test_catalog_import_path (fixture, path, &stats);
  g_assert_cmpuint (stats.imported, ==, 20000);
  g_assert_cmpint (bi_sqlite_catalog_count (fixture->catalog, NULL), ==, 20001);
}

static void
test_damaged_gzip (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = bi_test_write_file (fixture->dir, "damaged.txt.gz",
                                              "\x1f\x8b\x08\x00garbage that is not deflate", -1);
  g_autoptr(GError) error = NULL;

  g_assert_false (bi_sqlite_catalog_import_file (fixture->catalog, path, NULL, &error));
  g_assert_error (error, BI_CATALOG_ERROR, BI_CATALOG_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "damaged.txt.gz"));
}

/* A server given a newer works dump at start: the books of the old one are replaced. */
static void
test_import_if_changed (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *works = bi_test_catalog_write_gzip (fixture, "works.txt.gz", works_dump,
                                                       strlen (works_dump));
  g_autofree char *newer = NULL;
  g_auto(BiCatalogImportStats) stats = { 0 };
  g_autoptr(GError) error = NULL;
  gboolean imported = FALSE;
  const char *first_line_end = strchr (works_dump, '\n');

  bi_sqlite_catalog_import_if_changed (fixture->catalog, works, &imported, &stats, &error);
  g_assert_no_error (error);
  g_assert_true (imported);
  g_assert_cmpint (bi_sqlite_catalog_count (fixture->catalog, NULL), ==, 3);

  bi_sqlite_catalog_import_if_changed (fixture->catalog, works, &imported, &stats, &error);
  g_assert_no_error (error);
  g_assert_false (imported);

  /* Only Dune is left in the new dump (a different size, so a changed file). */
  newer = bi_test_catalog_write_gzip (fixture, "works.txt.gz", works_dump,
                                      (gsize) (first_line_end + 1 - works_dump));
  bi_sqlite_catalog_import_if_changed (fixture->catalog, newer, &imported, &stats, &error);
  g_assert_no_error (error);
  g_assert_true (imported);
  g_assert_cmpint (bi_sqlite_catalog_count (fixture->catalog, NULL), ==, 1);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/bookimg/catalog/open-library/" path, Fixture, NULL, bi_test_catalog_set_up, func, \
              bi_test_catalog_tear_down)
  ADD ("any-order", test_any_order);
  ADD ("skip-reasons", test_skip_reasons);
  ADD ("truncated-gzip", test_truncated_gzip);
  ADD ("damaged-gzip", test_damaged_gzip);
  ADD ("import-if-changed", test_import_if_changed);
#undef ADD

  return g_test_run ();
}
