/* test-cli-catalog.c — the real `bookimg-cli catalog` on catalog files the test writes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-test-cli.h"
#include "bi-test-files.h"
#include "bi-test-store-utils.h"

#include <json-glib/json-glib.h>
#include <string.h>

static const char starter_tsv[] =
  "id\ttitle\tauthors\tyear\tisbn13\n"
  "dune\tDune\tFrank Herbert\t1965\t9780441172719\n"
  "good-omens\tGood Omens\tTerry Pratchett; Neil Gaiman\t1990\t9780060853983\n"
  "war-and-peace\tВойна и мир\tЛев Толстой\t1869\t\n"
  "broken\t\tNobody\t\t\n";

static const char goodreads_csv[] =
  "Book Id,Title,Author,Author l-f,Additional Authors,ISBN,ISBN13,Year Published,"
  "Original Publication Year\n"
  "2767052,The Hunger Games,Suzanne Collins,\"Collins, Suzanne\",,=\"0439023483\","
  "=\"9780439023481\",2008,2008\n";

typedef struct
{
  char *dir;
  char *data_dir;
  char *starter;
  char *goodreads;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = bi_test_temp_dir_new ();
  fixture->data_dir = g_build_filename (fixture->dir, "server", NULL);
  fixture->starter = bi_test_write_file (fixture->dir, "starter.tsv", starter_tsv, -1);
  fixture->goodreads = bi_test_write_file (fixture->dir, "goodreads_library_export.csv",
                                           goodreads_csv, -1);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  bi_test_temp_dir_remove (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->data_dir);
  g_free (fixture->starter);
  g_free (fixture->goodreads);
}

/* Runs bookimg-cli catalog with @args (NULL-terminated). */
static void
run_catalog (BiTestCliRun      *run,
             const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (gpointer) "catalog");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  bi_test_cli_run (run, (const char * const *) argv->pdata);
}

static void
test_import_search_stats (Fixture       *fixture,
                          gconstpointer  data)
{
  g_auto(BiTestCliRun) import = { 0 };
  g_auto(BiTestCliRun) table = { 0 };
  g_auto(BiTestCliRun) json = { 0 };
  g_auto(BiTestCliRun) stats = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *database = g_build_filename (fixture->data_dir, "catalog.sqlite3", NULL);
  JsonObject *best;

  run_catalog (&import, (const char *[]) { "import", "--data-dir", fixture->data_dir,
                                           fixture->starter, fixture->goodreads, NULL });
  g_assert_cmpint (import.exit_status, ==, 0);
  g_assert_nonnull (strstr (import.out, "starter.tsv: imported 3, skipped 1 (BookImg catalog "
                                        "TSV)\n  skipped line 5: the title is empty\n"));
  g_assert_nonnull (strstr (import.out, "goodreads_library_export.csv: imported 1, skipped 0 "
                                        "(Goodreads CSV)\n"));
  g_assert_nonnull (strstr (import.out, "The catalog holds 4 books."));
  /* The server's own file in its data dir. */
  g_assert_true (g_file_test (database, G_FILE_TEST_IS_REGULAR));

  run_catalog (&table, (const char *[]) { "--data-dir", fixture->data_dir, "search", "good",
                                          "omens", NULL });
  g_assert_cmpint (table.exit_status, ==, 0);
  g_assert_nonnull (strstr (table.out, "1990  9780060853983  Good Omens — Terry Pratchett, "
                                       "Neil Gaiman [bookimg:good-omens]"));

  run_catalog (&json, (const char *[]) { "--data-dir", fixture->data_dir, "search",
                                         "hunger games", "--format", "json", "--limit", "1",
                                         NULL });
  g_assert_cmpint (json.exit_status, ==, 0);
  root = json_from_string (json.out, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (root)), ==, 1);
  best = json_array_get_object_element (json_node_get_array (root), 0);
  g_assert_cmpstr (json_object_get_string_member (best, "title"), ==, "The Hunger Games");
  g_assert_cmpstr (json_object_get_string_member (best, "isbn13"), ==, "9780439023481");
  g_assert_cmpstr (json_object_get_string_member (best, "sourceId"), ==, "goodreads:2767052");
  g_assert_cmpfloat (json_object_get_double_member (best, "score"), >, 0.0);

  run_catalog (&stats, (const char *[]) { "stats", "--catalog-db", database, NULL });
  g_assert_cmpint (stats.exit_status, ==, 0);
  g_assert_nonnull (strstr (stats.out, "Books: 4\nAuthors: 5\nWith ISBN-13: 3\n"
                                       "With shelf mark: 0\nSources:\n"
                                       "  bookimg      3\n  goodreads    1\n"));
  /* A new database has no books imported before shelf marks were kept. */
  g_assert_null (strstr (stats.out, "before shelf marks"));
  g_assert_nonnull (strstr (stats.out, "catalog.sqlite3 ("));
}

/* Without --data-dir, the desktop app's embedded server's data dir (under XDG_DATA_HOME). */
static void
test_default_database (Fixture       *fixture,
                       gconstpointer  data)
{
  g_auto(BiTestCliRun) run = { 0 };
  g_autofree char *data_home = g_build_filename (fixture->dir, "xdg-data", NULL);
  g_autofree char *database = g_build_filename (data_home, "bookimg", "server",
                                                "catalog.sqlite3", NULL);
  g_autofree char *saved = g_strdup (g_getenv ("XDG_DATA_HOME"));

  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  run_catalog (&run, (const char *[]) { "import", fixture->starter, NULL });
  if (saved != NULL)
    g_setenv ("XDG_DATA_HOME", saved, TRUE);
  else
    g_unsetenv ("XDG_DATA_HOME");

  g_assert_cmpint (run.exit_status, ==, 0);
  g_assert_true (g_file_test (database, G_FILE_TEST_IS_REGULAR));
}

/* An unknown or unreadable file fails the command (2), says why and which formats are
 * accepted; the other files are still imported. */
static void
test_bad_files (Fixture       *fixture,
                gconstpointer  data)
{
  g_auto(BiTestCliRun) run = { 0 };
  g_autofree char *unknown = bi_test_write_file (fixture->dir, "prices.csv",
                                                 "name,price\nbook,3\n", -1);
  g_autofree char *missing = g_build_filename (fixture->dir, "missing.csv", NULL);

  run_catalog (&run, (const char *[]) { "import", "--data-dir", fixture->data_dir, unknown,
                                        missing, fixture->starter, NULL });
  g_assert_cmpint (run.exit_status, ==, 2);
  g_assert_nonnull (strstr (run.err, "prices.csv”: The file is not a catalog BookImg can "
                                     "import"));
  g_assert_nonnull (strstr (run.err, "Give a Goodreads library export CSV, a Libib CSV, an "
                                     "Open Library works, editions or authors dump"));
  g_assert_nonnull (strstr (run.err, "Cannot read the catalog file “"));
  g_assert_nonnull (strstr (run.err, "missing.csv"));
  g_assert_nonnull (strstr (run.out, "starter.tsv: imported 3"));
  g_assert_nonnull (strstr (run.out, "The catalog holds 3 books."));
}

static void
test_usage (Fixture       *fixture,
            gconstpointer  data)
{
  const struct { const char *args[6]; int status; const char *message; } cases[] = {
    { { NULL }, 1, "no action given" },
    { { "shelve", NULL }, 1, "unknown action \"shelve\"" },
    { { "import", NULL }, 1, "import needs the catalog files" },
    { { "search", NULL }, 1, "search needs words" },
    { { "stats", "extra", NULL }, 1, "stats takes no arguments" },
    { { "search", "dune", "--limit", "0", NULL }, 1, "--limit must be between 1 and 1000" },
    { { "search", "dune", "--format", "xml", NULL }, 1, "--format must be table or json" },
    { { "--data-dir", fixture->data_dir, "--catalog-db", "x", "stats", NULL }, 1,
      "not both" },
    /* Searching a catalog that was never imported must not answer "nothing found". */
    { { "--data-dir", fixture->data_dir, "search", "dune", NULL }, 2,
      "there is no catalog database at" },
    { { "--data-dir", fixture->data_dir, "stats", NULL }, 2, "import a catalog first" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(BiTestCliRun) run = { 0 };

      run_catalog (&run, cases[i].args);
      g_assert_cmpint (run.exit_status, ==, cases[i].status);
      g_assert_cmpstr (run.out, ==, "");
      g_assert_nonnull (strstr (run.err, cases[i].message));
    }
}

static void
test_help (Fixture       *fixture,
           gconstpointer  data)
{
  g_auto(BiTestCliRun) run = { 0 };
  g_auto(BiTestCliRun) main_help = { 0 };

  run_catalog (&run, (const char *[]) { "--help", NULL });
  g_assert_cmpint (run.exit_status, ==, 0);
  g_assert_nonnull (strstr (run.out, "import FILE…"));
  g_assert_nonnull (strstr (run.out, "Open Library dumps"));
  g_assert_nonnull (strstr (run.out, "--catalog-db"));
  g_assert_nonnull (strstr (run.out, "Exit status: 0 done, 1 usage error, 2"));

  bi_test_cli_run (&main_help, (const char *[]) { "--help", NULL });
  g_assert_nonnull (strstr (main_help.out, "catalog"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/bookimg/integration/cli-catalog/" path, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)
  ADD ("import-search-stats", test_import_search_stats);
  ADD ("default-database", test_default_database);
  ADD ("bad-files", test_bad_files);
  ADD ("usage", test_usage);
  ADD ("help", test_help);
#undef ADD

  return g_test_run ();
}
