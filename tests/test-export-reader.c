/* test-export-reader.c — final results become books; anything malformed is refused, clearly
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-export-error.h"
#include "bi-export-reader.h"
#include "bi-test-files.h"
#include "bi-test-store-utils.h"

#include <string.h>

/* What `bookimg-cli scan --format json` writes: one complete photo, one failed. */
static const char scan_output[] =
  "[{\"jobId\":\"job-1700000000000-aaaaaaaa\",\"status\":\"complete\",\"photo\":\"a.jpg\","
  "\"books\":[{\"title\":\" Dune \",\"authors\":[\"Frank Herbert\",\"\"],\"year\":1965,"
  "\"isbn13\":\"978-0-441-17271-9\",\"confidence\":0.875,\"source\":\"catalog\","
  "\"sourceId\":42,\"evidence\":{\"text\":\"DUNE\",\"bbox\":[1,2,3,4],\"position\":2}},"
  "{\"title\":\"Emma\",\"authors\":[],\"year\":null,\"isbn13\":\"\",\"confidence\":1}],"
  "\"unresolved\":[{\"text\":\"??\",\"position\":3}]},"
  "{\"jobId\":\"job-1700000000000-bbbbbbbb\",\"status\":\"failed\",\"photo\":\"b.jpg\","
  "\"error\":{\"stage\":\"ocr\",\"code\":\"x\",\"message\":\"y\"}}]";

static GPtrArray *
new_books (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) bi_export_book_unref);
}

static JsonNode *
parse (const char *json)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (json, &error);

  g_assert_no_error (error);
  return node;
}

static void
test_scan_output (void)
{
  g_autoptr(JsonNode) root = parse (scan_output);
  g_autoptr(GPtrArray) books = new_books ();
  g_autoptr(GError) error = NULL;
  BiExportBook *dune;
  BiExportBook *emma;
  guint n_failed = 0;

  g_assert_true (bi_export_read_results (root, "scan.json", books, &n_failed, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (books->len, ==, 2);
  g_assert_cmpuint (n_failed, ==, 1);

  dune = g_ptr_array_index (books, 0);
  g_assert_cmpstr (dune->title, ==, "Dune");
  g_assert_cmpstrv (dune->authors, ((const char *[]) { "Frank Herbert", NULL }));
  g_assert_cmpint (dune->year, ==, 1965);
  g_assert_cmpstr (dune->isbn13, ==, "9780441172719");
  g_assert_cmpfloat (dune->confidence, ==, 0.875);
  g_assert_cmpstr (dune->source, ==, "catalog");
  g_assert_cmpstr (dune->source_id, ==, "42");
  g_assert_cmpstr (bi_export_book_get_photo (dune), ==, "a.jpg");
  g_assert_cmpint (bi_export_book_get_position (dune), ==, 2);
  g_assert_cmpstr (bi_export_book_get_ocr_text (dune), ==, "DUNE");
  g_assert_cmpuint (bi_export_book_get_merged_from (dune), ==, 1);

  emma = g_ptr_array_index (books, 1);
  g_assert_null (emma->isbn13);
  g_assert_cmpint (emma->year, ==, 0);
  g_assert_null (bi_export_book_get_first_author (emma));
  g_assert_cmpint (bi_export_book_get_position (emma), ==, -1);
}

static void
test_single_document (void)
{
  g_autoptr(JsonNode) root = parse ("{\"jobId\":\"job-1700000000000-cccccccc\","
                                    "\"status\":\"complete\",\"books\":[{\"title\":\"東京\"}]}");
  g_autoptr(GPtrArray) books = new_books ();
  g_autoptr(GError) error = NULL;

  g_assert_true (bi_export_read_results (root, "final-results.json", books, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (books->len, ==, 1);
  /* No "photo": the job id says where the book came from. */
  g_assert_cmpstr (bi_export_book_get_photo (g_ptr_array_index (books, 0)), ==,
                   "job-1700000000000-cccccccc");
}

static void
test_bad_results (void)
{
  /* Each input, and the words the message must hold to say what is wrong. */
  const struct { const char *json; const char *expected; } cases[] = {
    { "42", "must be a JSON object" },
    { "{\"books\":[]}", "\"status\"" },
    { "{\"status\":\"pending\",\"books\":[]}", "\"status\" is \"pending\"" },
    { "{\"status\":\"complete\"}", "\"books\" is missing" },
    { "{\"status\":\"complete\",\"books\":{}}", "\"books\" is missing or not an array" },
    { "{\"status\":\"complete\",\"books\":[7]}", "a book must be an object" },
    { "{\"status\":\"complete\",\"books\":[{\"title\":\" \"}]}", "\"title\" is missing" },
    { "{\"status\":\"complete\",\"books\":[{\"title\":5}]}", "\"title\" must be a string" },
    { "{\"status\":\"complete\",\"books\":[{\"title\":\"T\",\"authors\":\"X\"}]}",
      "\"authors\" must be an array" },
    { "{\"status\":\"complete\",\"books\":[{\"title\":\"T\",\"authors\":[1]}]}", "author 1" },
    { "{\"status\":\"complete\",\"books\":[{\"title\":\"T\",\"year\":\"1965\"}]}",
      "\"year\" must be a whole number" },
    { "{\"status\":\"complete\",\"books\":[{\"title\":\"T\",\"year\":-3}]}", "\"year\" -3" },
    { "{\"status\":\"complete\",\"books\":[{\"title\":\"T\",\"isbn13\":\"9780441172718\"}]}",
      "\"isbn13\" \"9780441172718\" is not an ISBN-13" },
    { "{\"status\":\"complete\",\"books\":[{\"title\":\"T\",\"isbn13\":\"0441172717\"}]}",
      "is not an ISBN-13" },
    { "{\"status\":\"complete\",\"books\":[{\"title\":\"T\",\"confidence\":1.5}]}",
      "\"confidence\" 1.5 is outside" },
    { "{\"status\":\"complete\",\"books\":[{\"title\":\"T\",\"evidence\":[]}]}",
      "\"evidence\" must be an object" },
    { "{\"status\":\"complete\",\"books\":[{\"title\":\"T\",\"evidence\":{\"position\":-1}}]}",
      "\"evidence.position\"" },
    { "[{\"status\":\"complete\",\"books\":[{\"title\":\"ok\"}]},{\"status\":\"complete\","
      "\"books\":[{\"title\":\"ok\"},{\"title\":\"\"}]}]", "in.json, results 2, book 2" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) root = parse (cases[i].json);
      g_autoptr(GPtrArray) books = new_books ();
      g_autoptr(GError) error = NULL;

      g_test_message ("input: %s", cases[i].json);
      g_assert_false (bi_export_read_results (root, "in.json", books, NULL, &error));
      g_assert_error (error, BI_EXPORT_ERROR, BI_EXPORT_ERROR_BAD_RESULTS);
      g_assert_nonnull (strstr (error->message, cases[i].expected));
      g_assert_true (g_str_has_prefix (error->message, "in.json"));
      /* Nothing half-read is handed back. */
      g_assert_cmpuint (books->len, ==, 0);
    }
}

static void
test_files (void)
{
  g_autofree char *dir = bi_test_temp_dir_new ();
  g_autofree char *good = bi_test_write_file (dir, "good.json", scan_output, -1);
  g_autofree char *not_json = bi_test_write_file (dir, "notes.json", "{not json", -1);
  g_autofree char *not_utf8 = bi_test_write_file (dir, "latin1.json", "[\"\xe9\"]", -1);
  g_autofree char *missing = g_build_filename (dir, "missing.json", NULL);
  g_autoptr(GPtrArray) books = new_books ();
  g_autoptr(GError) error = NULL;

  g_assert_true (bi_export_read_results_file (good, books, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (books->len, ==, 2);

  g_assert_false (bi_export_read_results_file (not_json, books, NULL, &error));
  g_assert_error (error, BI_EXPORT_ERROR, BI_EXPORT_ERROR_BAD_RESULTS);
  g_assert_nonnull (strstr (error->message, "not JSON"));
  g_clear_error (&error);

  g_assert_false (bi_export_read_results_file (not_utf8, books, NULL, &error));
  g_assert_error (error, BI_EXPORT_ERROR, BI_EXPORT_ERROR_BAD_RESULTS);
  g_assert_nonnull (strstr (error->message, "not UTF-8"));
  g_clear_error (&error);

  g_assert_false (bi_export_read_results_file (missing, books, NULL, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_cmpuint (books->len, ==, 2);

  bi_test_temp_dir_remove (dir);
}

static void
test_isbn13 (void)
{
  g_assert_true (bi_export_isbn13_is_valid ("9780441172719"));
  g_assert_false (bi_export_isbn13_is_valid ("9780441172710"));
  g_assert_false (bi_export_isbn13_is_valid ("978044117271"));
  g_assert_false (bi_export_isbn13_is_valid ("97804411727190"));
  g_assert_false (bi_export_isbn13_is_valid ("978044117271X"));
  g_assert_false (bi_export_isbn13_is_valid (NULL));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bookimg/export/reader/scan-output", test_scan_output);
  g_test_add_func ("/bookimg/export/reader/single-document", test_single_document);
  g_test_add_func ("/bookimg/export/reader/bad-results", test_bad_results);
  g_test_add_func ("/bookimg/export/reader/files", test_files);
  g_test_add_func ("/bookimg/export/reader/isbn13", test_isbn13);

  return g_test_run ();
}
