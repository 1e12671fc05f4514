/* test-file-blob-store.c — objects as files: round trip, atomic overwrite, no escape
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-file-blob-store.h"
#include "bi-protocol-error.h"
#include "bi-test-store-utils.h"

#include <gio/gio.h>
#include <string.h>

#define JOB_ID "job-1700000000000-abcdefghijklmnopqrstuvwx"

typedef struct
{
  char            *dir;   /* holds root/ and nothing else */
  char            *root;
  BiFileBlobStore *store;
  BiBlobStore     *port;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = bi_test_temp_dir_new ();
  fixture->root = g_build_filename (fixture->dir, "root", NULL);
  fixture->store = bi_file_blob_store_new (fixture->root, &error);
  g_assert_no_error (error);
  fixture->port = bi_file_blob_store_as_port (fixture->store);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->store, bi_file_blob_store_free);
  bi_test_temp_dir_remove (fixture->dir);
  g_free (fixture->root);
  g_free (fixture->dir);
}

static void
put_text (Fixture    *fixture,
          BiBucket    bucket,
          const char *key,
          const char *text)
{
  g_autoptr(GBytes) data = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;

  g_assert_true (fixture->port->put (fixture->port, bucket, key, data, "text/plain", &error));
  g_assert_no_error (error);
}

static void
assert_object (Fixture    *fixture,
               BiBucket    bucket,
               const char *key,
               const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) data = fixture->port->get (fixture->port, bucket, key, &error);
  gsize length = 0;
  const char *bytes;

  g_assert_no_error (error);
  bytes = g_bytes_get_data (data, &length);
  g_assert_cmpmem (bytes, length, expected, strlen (expected));
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

/* Names in @dir, sorted and joined with commas. */
static char *
list_dir (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (",", (char **) names->pdata);
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *expected = NULL;
  const guint8 binary[] = { 0xff, 0xd8, 0x00, 0x01, 0x7f };
  g_autoptr(GBytes) photo = g_bytes_new (binary, sizeof binary);
  g_autoptr(GBytes) read_back = NULL;

  g_assert_true (fixture->port->put (fixture->port, BI_BUCKET_UPLOADS, JOB_ID "/shelf 1.jpg",
                                     photo, "image/jpeg", &error));
  g_assert_no_error (error);
  read_back = fixture->port->get (fixture->port, BI_BUCKET_UPLOADS, JOB_ID "/shelf 1.jpg",
                                  &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (photo, read_back));

  /* The stages' outputs in the results bucket. */
  put_text (fixture, BI_BUCKET_RESULTS, JOB_ID "/final-results.json", "{\"books\":[]}");
  put_text (fixture, BI_BUCKET_RESULTS, JOB_ID "/ocr.json", "{\"lines\":[]}");
  assert_object (fixture, BI_BUCKET_RESULTS, JOB_ID "/final-results.json", "{\"books\":[]}");
  assert_object (fixture, BI_BUCKET_RESULTS, JOB_ID "/ocr.json", "{\"lines\":[]}");

  path = bi_file_blob_store_path (fixture->store, BI_BUCKET_RESULTS, JOB_ID "/ocr.json",
                                  &error);
  g_assert_no_error (error);
  expected = g_build_filename (fixture->root, "results", JOB_ID, "ocr.json", NULL);
  g_assert_cmpstr (path, ==, expected);
}

static void
test_missing_is_not_found (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) missing = NULL;
  g_autoptr(GBytes) other_bucket = NULL;

  missing = fixture->port->get (fixture->port, BI_BUCKET_UPLOADS, JOB_ID "/none.jpg", &error);
  g_assert_null (missing);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Buckets are separate. */
  put_text (fixture, BI_BUCKET_UPLOADS, JOB_ID "/a.jpg", "upload");
  other_bucket = fixture->port->get (fixture->port, BI_BUCKET_RESULTS, JOB_ID "/a.jpg", &error);
  g_assert_null (other_bucket);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static void
test_atomic_overwrite (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *job_dir = g_build_filename (fixture->root, "results", JOB_ID, NULL);
  g_autofree char *big = g_strnfill (1 << 20, 'n');
  g_autofree char *names = NULL;

  put_text (fixture, BI_BUCKET_RESULTS, JOB_ID "/final-results.json", "old");
  put_text (fixture, BI_BUCKET_RESULTS, JOB_ID "/final-results.json", big);
  assert_object (fixture, BI_BUCKET_RESULTS, JOB_ID "/final-results.json", big);
  put_text (fixture, BI_BUCKET_RESULTS, JOB_ID "/final-results.json", "short");
  assert_object (fixture, BI_BUCKET_RESULTS, JOB_ID "/final-results.json", "short");

  /* Written beside and renamed: no temporary file is left over. */
  names = list_dir (job_dir);
  g_assert_cmpstr (names, ==, "final-results.json");
}

static void
test_rejects_keys_that_escape (Fixture       *fixture,
                               gconstpointer  data)
{
  const char *bad_keys[] = {
    "",
    "../outside.txt",
    "/etc/passwd",
    JOB_ID,
    JOB_ID "/",
    JOB_ID "/..",
    JOB_ID "/.",
    JOB_ID "/../../outside.txt",
    JOB_ID "/sub/dir.txt",
    JOB_ID "/back\\slash.txt",
    "../" JOB_ID "/x.txt",
    "job-1700000000000-abcdef/../x/y",
  };
  g_autoptr(GBytes) data_bytes = g_bytes_new_static ("x", 1);
  g_autofree char *names = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad_keys); i++)
    {
      g_autoptr(GError) put_error = NULL;
      g_autoptr(GError) get_error = NULL;
      g_autoptr(GError) path_error = NULL;
      g_autoptr(GBytes) got = NULL;
      g_autofree char *path = NULL;

      g_assert_false (fixture->port->put (fixture->port, BI_BUCKET_UPLOADS, bad_keys[i],
                                          data_bytes, "image/jpeg", &put_error));
      g_assert_nonnull (put_error);
      g_assert_true (put_error->domain == BI_PROTOCOL_ERROR);
      got = fixture->port->get (fixture->port, BI_BUCKET_UPLOADS, bad_keys[i], &get_error);
      g_assert_null (got);
      g_assert_true (get_error->domain == BI_PROTOCOL_ERROR);
      path = bi_file_blob_store_path (fixture->store, BI_BUCKET_RESULTS, bad_keys[i],
                                      &path_error);
      g_assert_null (path);
      g_assert_true (path_error->domain == BI_PROTOCOL_ERROR);
    }

  /* Nothing was written anywhere: beside the root, or in the buckets. */
  names = list_dir (fixture->dir);
  g_assert_cmpstr (names, ==, "root");
  g_clear_pointer (&names, g_free);
  names = list_dir (fixture->root);
  g_assert_cmpstr (names, ==, "results,uploads");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/bookimg/blob-store/" path, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)
  ADD ("round-trip", test_round_trip);
  ADD ("missing-is-not-found", test_missing_is_not_found);
  ADD ("atomic-overwrite", test_atomic_overwrite);
  ADD ("rejects-keys-that-escape", test_rejects_keys_that_escape);
#undef ADD

  return g_test_run ();
}
