/* test-results-export.c — tables align, CSV quotes per RFC 4180, JSON keeps the results
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-client-error.h"
#include "bi-results-export.h"
#include "bi-scan-job.h"

#include <string.h>

#define JOB_A "job-1700000000000-aaaaaaaaaaaaaaaaaaaaaaaa"

/* A shelf: one plain book, one whose fields need quoting, one spine that matched nothing. */
static const char shelf_results[] =
  "{\"jobId\":\"" JOB_A "\",\"status\":\"complete\",\"validatedBooks\":2,"
  "\"books\":["
  "{\"title\":\"Dune\",\"authors\":[\"Frank Herbert\"],\"year\":1965,"
  "\"isbn13\":\"9780441172719\",\"confidence\":0.875,\"source\":\"catalog\","
  "\"evidence\":{\"position\":1}},"
  "{\"title\":\"Say \\\"Hi\\\", World\",\"authors\":[\"A, B\",\"C\"],\"year\":null,"
  "\"isbn13\":\"\",\"confidence\":1,\"source\":\"catalog\",\"evidence\":{\"position\":2}}],"
  "\"unresolved\":[{\"text\":\"SMUDGED\\nTEXT\",\"position\":3}]}";

static GListStore *
new_jobs (void)
{
  return g_list_store_new (BI_TYPE_SCAN_JOB);
}

static BiScanJob *
add_complete_job (GListStore *jobs,
                  const char *path,
                  const char *results_json)
{
  g_autoptr(BiScanJob) job = bi_scan_job_new (path);
  g_autoptr(JsonNode) results = json_from_string (results_json, NULL);

  g_assert_nonnull (results);
  bi_scan_job_complete (job, results);
  g_list_store_append (jobs, job);
  return job;
}

static void
add_failed_job (GListStore *jobs,
                const char *path)
{
  g_autoptr(BiScanJob) job = bi_scan_job_new (path);
  g_autoptr(GError) error = g_error_new_literal (BI_CLIENT_ERROR, BI_CLIENT_ERROR_NOT_AN_IMAGE,
                                                 "notes.txt is not an image");

  bi_scan_job_fail (job, "upload", "not_an_image", error);
  g_list_store_append (jobs, job);
}

static void
test_csv_export (void)
{
  g_autoptr(GListStore) jobs = new_jobs ();
  g_autofree char *csv = NULL;

  add_complete_job (jobs, "photos/shelf.jpg", shelf_results);
  add_failed_job (jobs, "notes.txt");
  csv = bi_results_export (G_LIST_MODEL (jobs), BI_EXPORT_FORMAT_CSV);

  g_assert_cmpstr (csv, ==,
                   "photo,position,title,authors,year,isbn13,confidence,source\r\n"
                   "shelf.jpg,1,Dune,Frank Herbert,1965,9780441172719,0.88,catalog\r\n"
                   "shelf.jpg,2,\"Say \"\"Hi\"\", World\",\"A, B; C\",,,1.00,catalog\r\n");
}

static void
test_table_export (void)
{
  g_autoptr(GListStore) jobs = new_jobs ();
  g_autofree char *table = NULL;
  g_auto(GStrv) lines = NULL;

  add_complete_job (jobs, "shelf.jpg", shelf_results);
  add_failed_job (jobs, "notes.txt");
  table = bi_results_export (G_LIST_MODEL (jobs), BI_EXPORT_FORMAT_TABLE);
  lines = g_strsplit (table, "\n", -1);

  g_assert_cmpstr (lines[0], ==,
                   "PHOTO      POS  TITLE            AUTHORS        YEAR  ISBN-13        "
                   "CONFIDENCE");
  g_assert_cmpstr (lines[1], ==,
                   "shelf.jpg    1  Dune             Frank Herbert  1965  9780441172719  "
                   "      0.88");
  g_assert_cmpstr (lines[2], ==,
                   "shelf.jpg    2  Say \"Hi\", World  A, B; C      "
                   "                             1.00");
  g_assert_cmpstr (lines[3], ==, "");
  g_assert_cmpstr (lines[4], ==, "Unresolved spines:");
  g_assert_cmpstr (lines[5], ==, "PHOTO      POS  TEXT");
  /* The line break inside the OCR text must not break the table. */
  g_assert_cmpstr (lines[6], ==, "shelf.jpg    3  SMUDGED TEXT");
  g_assert_cmpstr (lines[7], ==, "");
  g_assert_null (lines[8]);
}

static void
test_table_alignment_and_cutting (void)
{
  g_autoptr(GListStore) jobs = new_jobs ();
  g_autofree char *table = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *long_title = g_strnfill (80, 'x');
  g_autofree char *results = g_strdup_printf (
    "{\"books\":["
    "{\"title\":\"%s\",\"authors\":[\"Z\"],\"evidence\":{\"position\":10}},"
    "{\"title\":\"日本語\\u001b[2J\",\"authors\":[],\"evidence\":{\"position\":2}}]}",
    long_title);
  const char *wide_title;

  add_complete_job (jobs, "a.png", results);
  table = bi_results_export (G_LIST_MODEL (jobs), BI_EXPORT_FORMAT_TABLE);
  lines = g_strsplit (table, "\n", -1);

  /* Titles are cut to 48 columns with an ellipsis; position is right-aligned. */
  g_assert_true (g_str_has_prefix (lines[1], "a.png   10  xxxxxxxx"));
  g_assert_nonnull (strstr (lines[1], "xxx…  Z"));
  /* Wide characters count two columns each; the escape sequence is defused. */
  wide_title = strstr (lines[2], "日本語");
  g_assert_nonnull (wide_title);
  g_assert_null (strchr (lines[2], '\033'));
  g_assert_true (g_str_has_prefix (lines[2], "a.png    2  "));
  /* AUTHORS starts at the same column on every line (display columns). */
  g_assert_cmpint (g_utf8_strlen (lines[0], strstr (lines[0], "AUTHORS") - lines[0]), ==,
                   g_utf8_strlen (lines[1], strstr (lines[1], "  Z") + 2 - lines[1]));
}

static void
test_table_without_books (void)
{
  g_autoptr(GListStore) jobs = new_jobs ();
  g_autofree char *table = NULL;

  add_complete_job (jobs, "empty.jpg", "{\"books\":[],\"unresolved\":[]}");
  add_failed_job (jobs, "notes.txt");
  table = bi_results_export (G_LIST_MODEL (jobs), BI_EXPORT_FORMAT_TABLE);
  g_assert_cmpstr (table, ==, "No books found.\n");
}

static void
test_json_export (void)
{
  g_autoptr(GListStore) jobs = new_jobs ();
  g_autofree char *json = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonArray *array;
  JsonObject *first;
  JsonObject *second;

  add_complete_job (jobs, "dir/shelf.jpg", shelf_results);
  add_failed_job (jobs, "notes.txt");
  json = bi_results_export (G_LIST_MODEL (jobs), BI_EXPORT_FORMAT_JSON);
  root = json_from_string (json, NULL);

  g_assert_nonnull (root);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  array = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (array), ==, 2);

  /* The final results as the server sent them, with the photo's name added. */
  first = json_array_get_object_element (array, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "photo"), ==, "shelf.jpg");
  g_assert_cmpstr (json_object_get_string_member (first, "jobId"), ==, JOB_A);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (first, "books")), ==, 2);

  second = json_array_get_object_element (array, 1);
  g_assert_cmpstr (json_object_get_string_member (second, "photo"), ==, "notes.txt");
  g_assert_cmpstr (json_object_get_string_member (second, "status"), ==, "failed");
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (second, "error"), "code"), ==,
                   "not_an_image");
}

static void
test_hostile_results (void)
{
  g_autoptr(GListStore) jobs = new_jobs ();
  g_autofree char *table = NULL;
  g_autofree char *csv = NULL;

  /* Wrong types everywhere: nothing crashes, wrong values show as empty cells. */
  add_complete_job (jobs, "x.jpg",
                    "{\"books\":[1,\"two\",{\"title\":5,\"authors\":\"Solo\",\"year\":\"c. 1900\","
                    "\"confidence\":\"high\",\"evidence\":[]}],\"unresolved\":{}}");
  table = bi_results_export (G_LIST_MODEL (jobs), BI_EXPORT_FORMAT_TABLE);
  csv = bi_results_export (G_LIST_MODEL (jobs), BI_EXPORT_FORMAT_CSV);

  g_assert_nonnull (strstr (table, "Solo"));
  g_assert_nonnull (strstr (csv, "x.jpg,,,Solo,c. 1900,,,\r\n"));
}

static void
test_format_names (void)
{
  BiExportFormat format;

  g_assert_true (bi_export_format_parse ("csv", &format));
  g_assert_cmpint (format, ==, BI_EXPORT_FORMAT_CSV);
  g_assert_true (bi_export_format_parse ("json", &format));
  g_assert_cmpint (format, ==, BI_EXPORT_FORMAT_JSON);
  g_assert_true (bi_export_format_parse ("table", &format));
  g_assert_cmpint (format, ==, BI_EXPORT_FORMAT_TABLE);
  g_assert_false (bi_export_format_parse ("xml", &format));
  g_assert_false (bi_export_format_parse (NULL, &format));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bookimg/client/export/csv", test_csv_export);
  g_test_add_func ("/bookimg/client/export/table", test_table_export);
  g_test_add_func ("/bookimg/client/export/table-alignment-and-cutting",
                   test_table_alignment_and_cutting);
  g_test_add_func ("/bookimg/client/export/table-without-books", test_table_without_books);
  g_test_add_func ("/bookimg/client/export/json", test_json_export);
  g_test_add_func ("/bookimg/client/export/hostile-results", test_hostile_results);
  g_test_add_func ("/bookimg/client/export/format-names", test_format_names);

  return g_test_run ();
}
