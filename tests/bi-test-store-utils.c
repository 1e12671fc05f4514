/* bi-test-store-utils.c — what the storage tests share: temporary data dirs and a fake clock
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-test-store-utils.h"

#include <glib/gstdio.h>

char *
bi_test_temp_dir_new (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("bookimg-test-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

void
bi_test_temp_dir_remove (const char *dir)
{
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        bi_test_temp_dir_remove (path);
      else
        g_assert_cmpint (g_unlink (path), ==, 0);
    }
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

gint64
bi_test_clock_now (gpointer clock)
{
  return ((BiTestClock *) clock)->now_ms;
}

void
bi_test_run_threads (guint       n_threads,
                     GThreadFunc func,
                     gpointer    data)
{
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();

  for (guint i = 0; i < n_threads; i++)
    g_ptr_array_add (threads, g_thread_new ("test-worker", func, data));
  for (guint i = 0; i < n_threads; i++)
    g_thread_join (g_ptr_array_index (threads, i));
}
