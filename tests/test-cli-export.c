/* test-cli-export.c — the real `bookimg-cli export` on results files the test writes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-test-cli.h"
#include "bi-test-files.h"
#include "bi-test-store-utils.h"

#include <json-glib/json-glib.h>
#include <string.h>

/* Two photos of one shelf as `scan --format json` writes them: Dune on both (merged), a book
 * without an ISBN-13, and a photo that failed. */
static const char scan_results[] =
  "[{\"jobId\":\"job-1700000000000-aaaaaaaa\",\"status\":\"complete\",\"photo\":\"left.jpg\","
  "\"books\":[{\"title\":\"Dune\",\"authors\":[\"Frank Herbert\"],\"year\":1965,"
  "\"isbn13\":\"9780441172719\",\"confidence\":0.9,\"evidence\":{\"position\":4}},"
  "{\"title\":\"Ça & «ça» {x} 100%\",\"authors\":[\"Jean-Paul Sartre\"],\"year\":null,"
  "\"isbn13\":null,\"confidence\":0.7,\"evidence\":{\"position\":5}}]},"
  "{\"jobId\":\"job-1700000000000-bbbbbbbb\",\"status\":\"complete\",\"photo\":\"right.jpg\","
  "\"books\":[{\"title\":\"DUNE\",\"authors\":[\"Frank Herbert\"],"
  "\"isbn13\":\"9780441172719\",\"confidence\":0.8,\"evidence\":{\"position\":0}}]},"
  "{\"jobId\":\"job-1700000000000-cccccccc\",\"status\":\"failed\",\"photo\":\"blurred.jpg\","
  "\"error\":{\"stage\":\"ocr\",\"code\":\"no_text\",\"message\":\"no text\"}}]";

/* One final results document, whose only book has no ISBN-13. */
static const char no_isbn_results[] =
  "{\"jobId\":\"job-1700000000000-dddddddd\",\"status\":\"complete\","
  "\"books\":[{\"title\":\"Война и мир\",\"authors\":[\"Лев Толстой\"]}]}";

typedef struct
{
  char *dir;
  char *scan;
  char *no_isbn;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = bi_test_temp_dir_new ();
  fixture->scan = bi_test_write_file (fixture->dir, "shelf.json", scan_results, -1);
  fixture->no_isbn = bi_test_write_file (fixture->dir, "final-results.json", no_isbn_results,
                                         -1);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  bi_test_temp_dir_remove (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->scan);
  g_free (fixture->no_isbn);
}

/* Runs bookimg-cli export with @args (NULL-terminated). */
static void
run_export (BiTestCliRun      *run,
            const char *const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, (gpointer) "export");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  bi_test_cli_run (run, (const char * const *) argv->pdata);
}

static void
test_json_merges (Fixture       *fixture,
                  gconstpointer  data)
{
  g_auto(BiTestCliRun) run = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *books;
  JsonObject *dune;

  run_export (&run, (const char *[]) { "--format", "json", fixture->scan, NULL });
  g_assert_cmpint (run.exit_status, ==, 0);
  /* The failed photo is mentioned, not silently ignored. */
  g_assert_nonnull (strstr (run.err, "1 photo(s) failed"));

  root = json_from_string (run.out, &error);
  g_assert_no_error (error);
  books = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (books), ==, 2);
  dune = json_array_get_object_element (books, 0);
  g_assert_cmpstr (json_object_get_string_member (dune, "title"), ==, "Dune");
  g_assert_cmpint (json_object_get_int_member (dune, "mergedFrom"), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (
                       json_object_get_array_member (dune, "sightings"), 1), "photo"),
                   ==, "right.jpg");
}

static void
test_every_format (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *const formats[] = { "goodreads", "libib", "csv", "json", "bibtex", "ris",
                                  "csl-json", "tellico" };

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      g_auto(BiTestCliRun) run = { 0 };
      g_autofree char *output = g_build_filename (fixture->dir, formats[i], NULL);
      g_autofree char *text = NULL;
      g_autoptr(GError) error = NULL;

      run_export (&run, (const char *[]) { "-f", formats[i], "-o", output, fixture->scan,
                                           NULL });
      g_assert_cmpint (run.exit_status, ==, 0);
      g_assert_cmpstr (run.out, ==, "");
      g_file_get_contents (output, &text, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (strstr (text, "Dune"));
      /* Libib cannot hold the book without an ISBN-13; every other format has it. */
      if (g_str_equal (formats[i], "libib"))
        g_assert_nonnull (strstr (run.err, "skipped \"Ça & «ça» {x} 100%\" (left.jpg, "
                                           "position 5): Libib imports only books with an "
                                           "ISBN-13"));
      else
        g_assert_null (strstr (run.err, "skipped"));
    }
}

static void
test_all_skipped (Fixture       *fixture,
                  gconstpointer  data)
{
  g_auto(BiTestCliRun) run = { 0 };

  run_export (&run, (const char *[]) { "--format", "libib", fixture->no_isbn, NULL });
  g_assert_cmpint (run.exit_status, ==, 2);
  g_assert_cmpstr (run.out, ==, "title,creators,ean_isbn13\r\n");
  g_assert_nonnull (strstr (run.err, "skipped \"Война и мир\""));
}

static void
test_errors (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *bad = bi_test_write_file (fixture->dir, "bad.json",
                                             "{\"status\":\"complete\",\"books\":[{}]}", -1);
  g_autofree char *missing_folder = g_build_filename (fixture->dir, "no", "such", "out.csv",
                                                      NULL);
  const struct { const char *args[6]; const char *message; } cases[] = {
    { { "--format", "endnote", fixture->scan, NULL }, "\"endnote\" is not an export format" },
    { { fixture->scan, NULL }, "--format is required" },
    { { "--format", "csv", NULL }, "no results files given" },
    { { "--format", "csv", bad, NULL }, "book 1: \"title\" is missing" },
    { { "--format", "csv", "-o", missing_folder, fixture->scan, NULL }, "cannot be written" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(BiTestCliRun) run = { 0 };

      run_export (&run, cases[i].args);
      g_assert_cmpint (run.exit_status, ==, 1);
      g_assert_cmpstr (run.out, ==, "");
      g_assert_nonnull (strstr (run.err, cases[i].message));
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/bookimg/integration/cli-export/" path, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)
  ADD ("json-merges", test_json_merges);
  ADD ("every-format", test_every_format);
  ADD ("all-skipped", test_all_skipped);
  ADD ("errors", test_errors);
#undef ADD

  return g_test_run ();
}
