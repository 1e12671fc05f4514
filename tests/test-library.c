/* test-library.c — the desktop app's library file and its book model
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-book.h"
#include "bi-library.h"
#include "bi-test-store-utils.h"

#include <sqlite3.h>
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
changed_cb (BiBook *book,
            guint  *count)
{
  (*count)++;
}

static BiBook *
book_titled (const char *title,
             const char *author)
{
  g_autoptr(JsonObject) object = json_object_new ();

  json_object_set_string_member (object, "title", title);
  json_object_set_string_member (object, "authors", author);
  return bi_book_new_from_json (object, "job-1", "/photos/Shelf.jpg");
}

/* The sort keys made with the book order as a case-insensitive sort does, and follow edits. */
static void
test_book_sort_keys (void)
{
  g_autoptr(BiBook) apple = book_titled ("apple", "Zola");
  g_autoptr(BiBook) banana = book_titled ("Banana", "austen");
  g_autoptr(BiBook) cherry = book_titled ("cherry", "Balzac");
  g_autoptr(BiLibraryReview) edits = bi_library_review_new ("job-1", 0);

  g_assert_cmpint (strcmp (bi_book_get_sort_key (apple, BI_BOOK_SORT_TITLE),
                           bi_book_get_sort_key (banana, BI_BOOK_SORT_TITLE)), <, 0);
  g_assert_cmpint (strcmp (bi_book_get_sort_key (banana, BI_BOOK_SORT_TITLE),
                           bi_book_get_sort_key (cherry, BI_BOOK_SORT_TITLE)), <, 0);
  g_assert_cmpint (strcmp (bi_book_get_sort_key (banana, BI_BOOK_SORT_AUTHORS),
                           bi_book_get_sort_key (cherry, BI_BOOK_SORT_AUTHORS)), <, 0);
  g_assert_cmpint (strcmp (bi_book_get_sort_key (cherry, BI_BOOK_SORT_AUTHORS),
                           bi_book_get_sort_key (apple, BI_BOOK_SORT_AUTHORS)), <, 0);
  g_assert_cmpstr (bi_book_get_sort_key (apple, BI_BOOK_SORT_PHOTO_NAME), ==,
                   bi_book_get_sort_key (banana, BI_BOOK_SORT_PHOTO_NAME));

  /* renamed by the user: sorts by its new title */
  edits->title = g_strdup ("Date");
  edits->year = -1;
  bi_book_apply_review (apple, edits);
  g_assert_cmpint (strcmp (bi_book_get_sort_key (cherry, BI_BOOK_SORT_TITLE),
                           bi_book_get_sort_key (apple, BI_BOOK_SORT_TITLE)), <, 0);
}

/* A review changes the book; an unresolved spine matched by hand is a sure book; merging. */
static void
test_book_review (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) results = json_from_string (results_json, &error);
  g_autoptr(JsonNode) spine_node = json_from_string ("{\"text\":\"MIDDLEM\",\"bbox\":[5,6,40,"
                                                     "300],\"position\":4}", &error);
  g_autoptr(GPtrArray) books = NULL;
  g_autoptr(BiLibraryReview) edits = bi_library_review_new ("job-1", 1);
  g_autoptr(BiLibraryReview) kept = NULL;
  g_autoptr(BiBook) spine = NULL;
  static const char *const authors[] = { "F. Herbert", NULL };
  BiBook *dune, *omens;
  guint changes = 0;

  g_assert_no_error (error);
  books = bi_book_list_from_results (results, "job-1", "/photos/shelf.jpg");
  dune = g_ptr_array_index (books, 0);
  omens = g_ptr_array_index (books, 1);
  g_signal_connect (dune, "changed", G_CALLBACK (changed_cb), &changes);

  /* 0.92 needs no look; a low one does until accepted */
  g_assert_false (bi_book_needs_review (dune));
  edits->title = g_strdup ("Dune Messiah");
  edits->authors = g_strdupv ((char **) authors);
  edits->year = 1969;
  edits->isbn13 = g_strdup ("");
  edits->accepted = TRUE;
  bi_book_apply_review (dune, edits);
  g_assert_cmpuint (changes, ==, 1);
  g_assert_cmpstr (bi_book_get_title (dune), ==, "Dune Messiah");
  g_assert_cmpstr (bi_book_get_authors (dune), ==, "F. Herbert");
  g_assert_cmpint (bi_book_get_year (dune), ==, 1969);
  g_assert_cmpstr (bi_book_get_isbn13 (dune), ==, "");
  g_assert_true (bi_book_get_accepted (dune));
  g_assert_nonnull (strstr (bi_book_get_search_text (dune), "messiah"));
  kept = bi_book_to_review (dune);
  g_assert_cmpstr (kept->job_id, ==, "job-1");
  g_assert_cmpint (kept->position, ==, 1);
  g_assert_cmpstr (kept->title, ==, "Dune Messiah");
  g_assert_cmpint (kept->year, ==, 1969);
  g_assert_true (kept->accepted);
  g_assert_null (kept->source);

  /* a spine without a book, then matched by hand */
  spine = bi_book_new_spine (json_node_get_object (spine_node), "job-1", "/photos/shelf.jpg");
  g_assert_cmpstr (bi_book_get_title (spine), ==, "");
  g_assert_cmpstr (bi_book_get_evidence_text (spine), ==, "MIDDLEM");
  g_assert_cmpint (bi_book_get_position (spine), ==, 4);
  g_assert_true (bi_book_get_bbox (spine, NULL, NULL, NULL, NULL));
  g_clear_pointer (&edits, bi_library_review_free);
  edits = bi_library_review_new ("job-1", 4);
  edits->title = g_strdup ("Middlemarch");
  edits->source = g_strdup ("manual");
  bi_book_apply_review (spine, edits);
  g_assert_cmpstr (bi_book_get_title (spine), ==, "Middlemarch");
  g_assert_cmpstr (bi_book_get_source (spine), ==, "manual");
  g_assert_cmpfloat (bi_book_get_confidence (spine), ==, 1.0);

  /* merged: the copy knows its primary, the primary counts the photos */
  g_assert_cmpuint (bi_book_get_n_photos (dune), ==, 1);
  bi_book_add_copy (dune, omens);
  g_assert_cmpuint (bi_book_get_n_photos (dune), ==, 2);
  g_assert_true (bi_book_get_primary (omens) == dune);
  g_assert_null (bi_book_get_primary (dune));
  g_assert_cmpuint (changes, ==, 2);
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
  g_clear_pointer (&jobs, g_ptr_array_unref);

  /* the same rows, the results left as text for a worker to parse */
  jobs = bi_library_list_jobs_unparsed (library, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (jobs->len, ==, 2);
  loaded = g_ptr_array_index (jobs, 0);
  g_assert_cmpstr (loaded->job_id, ==, "job-a");
  g_assert_null (loaded->results);
  g_assert_nonnull (loaded->results_text);
  {
    g_autoptr(JsonNode) parsed = json_from_string (loaded->results_text, &error);

    g_assert_no_error (error);
    g_assert_true (JSON_NODE_HOLDS_OBJECT (parsed));
  }
  loaded = g_ptr_array_index (jobs, 1);
  g_assert_null (loaded->results_text);

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

/* A version 1 library (jobs only) gains the reviews table; reviews survive reopening. */
static void
test_library_reviews_and_migration (void)
{
  g_autofree char *dir = bi_test_temp_dir_new ();
  g_autofree char *path = g_build_filename (dir, "library.sqlite3", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BiLibrary) library = NULL;
  g_autoptr(GPtrArray) jobs = NULL;
  g_autoptr(GPtrArray) reviews = NULL;
  g_autoptr(BiLibraryReview) edited = bi_library_review_new ("job-1", 2);
  g_autoptr(BiLibraryReview) removed = bi_library_review_new ("job-1", 3);
  static const char *const authors[] = { "Terry Pratchett", "Neil Gaiman", NULL };
  BiLibraryReview *read;
  sqlite3 *db = NULL;
  sqlite3_stmt *statement = NULL;

  /* what version 1 made */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "CREATE TABLE jobs (job_id TEXT PRIMARY KEY, photo_path TEXT "
                                 "NOT NULL, state TEXT NOT NULL, results TEXT, error_message "
                                 "TEXT, added_at INTEGER NOT NULL);"
                                 "INSERT INTO jobs VALUES ('job-1', '/p/a.jpg', 'complete', "
                                 "NULL, NULL, 1);"
                                 "PRAGMA user_version = 1;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  library = bi_library_open (path, &error);
  g_assert_no_error (error);
  jobs = bi_library_list_jobs (library, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (jobs->len, ==, 1);

  edited->title = g_strdup ("Good Omens");
  edited->authors = g_strdupv ((char **) authors);
  edited->year = 1990;
  edited->isbn13 = g_strdup ("9780060853983");
  edited->accepted = TRUE;
  edited->source = g_strdup ("manual");
  removed->removed = TRUE;
  g_assert_true (bi_library_save_review (library, edited, &error));
  g_assert_true (bi_library_save_review (library, removed, &error));
  g_assert_no_error (error);
  g_clear_object (&library);

  library = bi_library_open (path, &error);
  g_assert_no_error (error);
  reviews = bi_library_list_reviews (library, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reviews->len, ==, 2);
  read = g_ptr_array_index (reviews, 0);
  g_assert_cmpstr (read->job_id, ==, "job-1");
  g_assert_cmpint (read->position, ==, 2);
  g_assert_cmpstr (read->title, ==, "Good Omens");
  g_assert_cmpstrv (read->authors, authors);
  g_assert_cmpint (read->year, ==, 1990);
  g_assert_cmpstr (read->isbn13, ==, "9780060853983");
  g_assert_true (read->accepted);
  g_assert_false (read->removed);
  g_assert_cmpstr (read->source, ==, "manual");
  read = g_ptr_array_index (reviews, 1);
  g_assert_true (read->removed);
  g_assert_null (read->source);
  g_assert_null (read->title);
  g_assert_null (read->authors);
  g_assert_cmpint (read->year, ==, -1);

  /* the file says version 3 now */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &statement, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (statement), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int (statement, 0), ==, 3);
  sqlite3_finalize (statement);
  sqlite3_close (db);

  g_clear_object (&library);
  bi_test_temp_dir_remove (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bookimg/library/book-from-results", test_book_from_results);
  g_test_add_func ("/bookimg/library/book-review", test_book_review);
  g_test_add_func ("/bookimg/library/book-sort-keys", test_book_sort_keys);
  g_test_add_func ("/bookimg/library/round-trip", test_library_round_trip);
  g_test_add_func ("/bookimg/library/open-fails", test_library_open_fails);
  g_test_add_func ("/bookimg/library/reviews-and-migration", test_library_reviews_and_migration);
  return g_test_run ();
}
