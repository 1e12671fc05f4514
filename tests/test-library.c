/* test-library.c — the desktop app's library file and its book model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-book.h"
#include "bi-library.h"
#include "bi-test-store-utils.h"

#include <string.h>

static const char results_json[] =
  "{\"jobId\":\"job-1700000000000-abcdefghijklmnopqrstuvwx\",\"status\":\"complete\","
  "\"books\":["
  "{\"title\":\"Dune\",\"authors\":[\"Frank Herbert\"],\"year\":1965,"
  "\"isbn13\":\"9780441172719\",\"confidence\":0.92,\"source\":\"catalog\","
  "\"evidence\":{\"text\":\"DUNE FRANK HERBERT\",\"bbox\":[10,20,110,700],\"position\":1}},"
  "{\"title\":\"Good Omens\",\"authors\":[\"Terry Pratchett\",\"Neil Gaiman\"],"
  "\"confidence\":1.7,\"evidence\":{\"bbox\":[1,2,3]}},"
  "{\"authors\":[\"no title\"]}"
  "],\"unresolved\":[]}";

static void
test_book_from_results (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) results = json_from_string (results_json, &error);
  g_autoptr(GPtrArray) books = NULL;
  BiBook *dune, *omens;
  int x, y, width, height;

  g_assert_no_error (error);
  books = bi_book_list_from_results (results, "job-1", "/photos/shelf one.jpg");
  g_assert_cmpuint (books->len, ==, 2); /* the entry without a title is skipped */

  dune = g_ptr_array_index (books, 0);
  g_assert_cmpstr (bi_book_get_title (dune), ==, "Dune");
  g_assert_cmpstr (bi_book_get_authors (dune), ==, "Frank Herbert");
  g_assert_cmpint (bi_book_get_year (dune), ==, 1965);
  g_assert_cmpstr (bi_book_get_isbn13 (dune), ==, "9780441172719");
  g_assert_cmpfloat_with_epsilon (bi_book_get_confidence (dune), 0.92, 1e-9);
  g_assert_cmpstr (bi_book_get_photo_name (dune), ==, "shelf one.jpg");
  g_assert_cmpint (bi_book_get_position (dune), ==, 1);
  g_assert_cmpstr (bi_book_get_evidence_text (dune), ==, "DUNE FRANK HERBERT");
  g_assert_true (bi_book_get_bbox (dune, &x, &y, &width, &height));
  g_assert_cmpint (x, ==, 10);
  g_assert_cmpint (y, ==, 20);
  g_assert_cmpint (width, ==, 110);
  g_assert_cmpint (height, ==, 700);
  g_assert_nonnull (strstr (bi_book_get_search_text (dune), "herbert"));

  omens = g_ptr_array_index (books, 1);
  g_assert_cmpstr (bi_book_get_authors (omens), ==, "Terry Pratchett, Neil Gaiman");
  g_assert_cmpint (bi_book_get_year (omens), ==, 0);
  g_assert_cmpfloat (bi_book_get_confidence (omens), ==, 1.0); /* clamped */
  g_assert_false (bi_book_get_bbox (omens, NULL, NULL, NULL, NULL)); /* three numbers */
}

static void
test_library_round_trip (void)
{
  g_autofree char *dir = bi_test_temp_dir_new ();
  g_autofree char *path = g_build_filename (dir, "nested", "library.sqlite3", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BiLibrary) library = bi_library_open (path, &error);
  g_autoptr(BiLibraryJob) first = bi_library_job_new ("job-a", "/p/a.jpg", "uploading");
  g_autoptr(BiLibraryJob) second = bi_library_job_new ("job-b", "/p/b.jpg", "failed");
  g_autoptr(GPtrArray) jobs = NULL;
  BiLibraryJob *loaded;

  g_assert_no_error (error);
  first->added_at = 100;
  second->added_at = 200;
  second->error_message = g_strdup ("The photo is not an image");
  g_assert_true (bi_library_save_job (library, second, &error));
  g_assert_true (bi_library_save_job (library, first, &error));

  /* an update keeps the first added_at and replaces the rest */
  g_free (first->state);
  first->state = g_strdup ("complete");
  first->results = json_from_string (results_json, &error);
  first->added_at = 999;
  g_assert_true (bi_library_save_job (library, first, &error));
  g_assert_no_error (error);
  g_clear_object (&library);

  library = bi_library_open (path, &error);
  g_assert_no_error (error);
  jobs = bi_library_list_jobs (library, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (jobs->len, ==, 2);

  loaded = g_ptr_array_index (jobs, 0);
  g_assert_cmpstr (loaded->job_id, ==, "job-a");
  g_assert_cmpstr (loaded->state, ==, "complete");
  g_assert_cmpint (loaded->added_at, ==, 100);
  g_assert_nonnull (loaded->results);
  g_assert_null (loaded->error_message);

  loaded = g_ptr_array_index (jobs, 1);
  g_assert_cmpstr (loaded->job_id, ==, "job-b");
  g_assert_cmpstr (loaded->error_message, ==, "The photo is not an image");
  g_assert_null (loaded->results);

  g_assert_true (bi_library_remove_job (library, "job-b", &error));
  g_clear_pointer (&jobs, g_ptr_array_unref);
  jobs = bi_library_list_jobs (library, &error);
  g_assert_cmpuint (jobs->len, ==, 1);

  g_clear_object (&library);
  bi_test_temp_dir_remove (dir);
}

static void
test_library_open_fails (void)
{
  g_autofree char *dir = bi_test_temp_dir_new ();
  g_autofree char *blocker = g_build_filename (dir, "file", NULL);
  g_autofree char *path = g_build_filename (blocker, "library.sqlite3", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BiLibrary) library = NULL;

  g_assert_true (g_file_set_contents (blocker, "x", 1, NULL));
  library = bi_library_open (path, &error);
  g_assert_null (library);
  g_assert_error (error, BI_LIBRARY_ERROR, BI_LIBRARY_ERROR_OPEN);
  bi_test_temp_dir_remove (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bookimg/library/book-from-results", test_book_from_results);
  g_test_add_func ("/bookimg/library/round-trip", test_library_round_trip);
  g_test_add_func ("/bookimg/library/open-fails", test_library_open_fails);
  return g_test_run ();
}
