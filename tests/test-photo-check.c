/* test-photo-check.c — only readable images are uploaded, and the reason names the file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-client-error.h"
#include "bi-object-key.h"
#include "bi-photo-check.h"
#include "bi-test-files.h"
#include "bi-test-store-utils.h"

#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

typedef struct
{
  char *dir;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = bi_test_temp_dir_new ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  bi_test_temp_dir_remove (fixture->dir);
  g_free (fixture->dir);
}

static void
result_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* Runs the check to its end; returns the content type or NULL with @error set. */
static char *
check (const char  *path,
       GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GAsyncResult) result = NULL;
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  bi_photo_check_async (file, NULL, result_cb, &result);
  while (result == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (result);

  return bi_photo_check_finish (result, error);
}

static const guint8 png_head[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13 };

static void
test_image_by_magic (Fixture       *fixture,
                     gconstpointer  data)
{
  /* The bytes win over a misleading name. */
  g_autofree char *path = bi_test_write_file (fixture->dir, "scan.jpg", png_head,
                                              (gssize) sizeof png_head);
  g_autoptr(GError) error = NULL;
  g_autofree char *type = check (path, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (type, ==, "image/png");
}

static void
test_extension_fallback (Fixture       *fixture,
                         gconstpointer  data)
{
  /* Unrecognised bytes under an image name go up; the server has the last word (415). */
  g_autofree char *path = bi_test_write_file (fixture->dir, "odd.TIFF", "??????????????", -1);
  g_autoptr(GError) error = NULL;
  g_autofree char *type = check (path, &error);

  g_assert_no_error (error);
  g_assert_cmpstr (type, ==, "image/tiff");
}

static void
test_not_an_image (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *path = bi_test_write_file (fixture->dir, "notes.txt", "shopping list\n", -1);
  g_autoptr(GError) error = NULL;
  g_autofree char *type = check (path, &error);

  g_assert_null (type);
  g_assert_error (error, BI_CLIENT_ERROR, BI_CLIENT_ERROR_NOT_AN_IMAGE);
  g_assert_nonnull (strstr (error->message, "notes.txt"));
  g_assert_nonnull (strstr (error->message, "not uploaded"));
}

static void
test_missing_empty_and_folder (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autofree char *missing = g_build_filename (fixture->dir, "gone.jpg", NULL);
  g_autofree char *empty = bi_test_write_file (fixture->dir, "empty.jpg", "", 0);
  g_autofree char *folder = g_build_filename (fixture->dir, "folder.jpg", NULL);
  const char *paths[] = { missing, empty, folder };
  const char *reasons[] = { "does not exist", "is empty", "not a regular file" };

  g_assert_cmpint (g_mkdir (folder, 0700), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *type = check (paths[i], &error);
      g_autofree char *base = g_path_get_basename (paths[i]);

      g_assert_null (type);
      g_assert_error (error, BI_CLIENT_ERROR, BI_CLIENT_ERROR_FILE);
      g_assert_nonnull (strstr (error->message, base));
      g_assert_nonnull (strstr (error->message, reasons[i]));
    }
}

static void
test_unreadable (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autofree char *path = bi_test_write_file (fixture->dir, "locked.png", png_head,
                                              (gssize) sizeof png_head);
  g_autoptr(GError) error = NULL;
  g_autofree char *type = NULL;

  g_assert_cmpint (g_chmod (path, 0), ==, 0);
  if (g_access (path, R_OK) == 0)
    {
      /* Root reads any file: check as an unprivileged user in a child process instead. The
       * folder must let that user reach the file for the read itself to be what fails. */
      g_assert_cmpint (g_chmod (fixture->dir, 0711), ==, 0);
      g_setenv ("BI_TEST_LOCKED_FILE", path, TRUE);
      g_test_trap_subprocess ("/bookimg/client/photo-check/unreadable-unprivileged", 0,
                              G_TEST_SUBPROCESS_DEFAULT);
      g_test_trap_assert_passed ();
      return;
    }

  type = check (path, &error);
  g_assert_null (type);
  g_assert_error (error, BI_CLIENT_ERROR, BI_CLIENT_ERROR_FILE);
  g_assert_nonnull (strstr (error->message, "locked.png"));
}

/* The child of test_unreadable when the tests run as root: drops to "nobody", then checks the
 * file its parent locked (the parent cleans up, with the privileges that needs). */
static void
test_unreadable_unprivileged (void)
{
  const char *path = g_getenv ("BI_TEST_LOCKED_FILE");
  g_autoptr(GError) error = NULL;
  g_autofree char *type = NULL;

  if (!g_test_subprocess () || path == NULL)
    return; /* only meaningful as test_unreadable's child */

  if (geteuid () == 0)
    {
      g_assert_cmpint (setgid (65534), ==, 0);
      g_assert_cmpint (setuid (65534), ==, 0);
    }
  g_assert_cmpint (g_access (path, R_OK), !=, 0);

  type = check (path, &error);
  g_assert_null (type);
  g_assert_error (error, BI_CLIENT_ERROR, BI_CLIENT_ERROR_FILE);
  g_assert_nonnull (strstr (error->message, "locked.png"));
}

static void
test_upload_name (void)
{
  struct { const char *in; const char *out; } cases[] = {
    { "shelf 1+2.jpg", "shelf 1+2.jpg" },
    { "a\\b.jpg", "a_b.jpg" },
    { "tab\there.png", "tab_here.png" },
    { "..", "photo" },
    { ".", "photo" },
    { "", "photo" },
  };
  g_autofree char *long_name = NULL;
  g_autofree char *cut = NULL;
  GString *accents = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *name = bi_photo_upload_name (cases[i].in);

      g_assert_cmpstr (name, ==, cases[i].out);
      g_assert_true (bi_file_name_validate (name, NULL));
    }

  /* Cut at BI_FILE_NAME_MAX_LENGTH bytes, never inside a character. */
  for (guint i = 0; i < 200; i++)
    g_string_append (accents, "é");
  long_name = g_string_free (accents, FALSE);
  cut = bi_photo_upload_name (long_name);
  g_assert_cmpuint (strlen (cut), <=, BI_FILE_NAME_MAX_LENGTH);
  g_assert_true (g_utf8_validate (cut, -1, NULL));
  g_assert_true (bi_file_name_validate (cut, NULL));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/bookimg/client/photo-check/image-by-magic", Fixture, NULL, fixture_set_up,
              test_image_by_magic, fixture_tear_down);
  g_test_add ("/bookimg/client/photo-check/extension-fallback", Fixture, NULL, fixture_set_up,
              test_extension_fallback, fixture_tear_down);
  g_test_add ("/bookimg/client/photo-check/not-an-image", Fixture, NULL, fixture_set_up,
              test_not_an_image, fixture_tear_down);
  g_test_add ("/bookimg/client/photo-check/missing-empty-and-folder", Fixture, NULL,
              fixture_set_up, test_missing_empty_and_folder, fixture_tear_down);
  g_test_add ("/bookimg/client/photo-check/unreadable", Fixture, NULL, fixture_set_up,
              test_unreadable, fixture_tear_down);
  g_test_add_func ("/bookimg/client/photo-check/unreadable-unprivileged",
                   test_unreadable_unprivileged);
  g_test_add_func ("/bookimg/client/photo-check/upload-name", test_upload_name);

  return g_test_run ();
}
