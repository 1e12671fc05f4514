/* bi-test-store-utils.c — what the storage tests share: temporary data dirs and a fake clock
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-test-store-utils.h"

#include "bi-file-tree.h"

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
  /* What it cannot remove it names in a warning, which fails the test. */
  bi_file_tree_remove (dir);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
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

static gboolean
tick_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

gboolean
bi_test_iterate_until (BiTestCondition  condition,
                       gpointer         user_data,
                       double           timeout_seconds)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) (timeout_seconds * G_USEC_PER_SEC);
  GMainContext *context = g_main_context_get_thread_default ();
  GSource *tick = g_timeout_source_new (50);
  gboolean held;

  g_source_set_callback (tick, tick_cb, NULL, NULL);
  g_source_attach (tick, context);
  while (!(held = condition (user_data)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (context, TRUE);
  g_source_destroy (tick);
  g_source_unref (tick);
  return held;
}

void
bi_test_wait_until (BiTestCondition  condition,
                    gpointer         user_data,
                    double           timeout_seconds,
                    const char      *what)
{
  if (!bi_test_iterate_until (condition, user_data, timeout_seconds))
    g_error ("Timed out after %.0f s waiting for %s", timeout_seconds, what);
}
