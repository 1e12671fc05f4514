/* bi-test-cli.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-test-cli"

#include "bi-test-cli.h"
#include "bi-test-server.h"

#include <gio/gio.h>

typedef struct
{
  GAsyncResult *result;
} Wait;

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  ((Wait *) user_data)->result = g_object_ref (result);
}

static gboolean
is_done (gpointer user_data)
{
  return ((Wait *) user_data)->result != NULL;
}

void
bi_test_cli_run_clear (BiTestCliRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

void
bi_test_cli_run (BiTestCliRun       *run,
                 const char * const *args)
{
  g_autofree char *program = g_test_build_filename (G_TEST_BUILT, "..", "src", "cli",
                                                    "bookimg-cli", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  Wait wait = { 0 };

  g_ptr_array_add (argv, program);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_PIPE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, done_cb, &wait);
  bi_test_wait_until (is_done, &wait, 3 * BI_TEST_TIMEOUT_SECONDS, "bookimg-cli to exit");
  g_subprocess_communicate_utf8_finish (process, wait.result, &run->out, &run->err, &error);
  g_clear_object (&wait.result);
  g_assert_no_error (error);

  g_assert_true (g_subprocess_get_if_exited (process));
  run->exit_status = g_subprocess_get_exit_status (process);
  g_test_message ("bookimg-cli %s exited %d; stderr:\n%s", args[0] != NULL ? args[0] : "",
                  run->exit_status, run->err);
}
