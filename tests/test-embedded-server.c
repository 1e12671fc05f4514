/* test-embedded-server.c — the embedded bookimg-server does not outlive its app
 *
 * A subprocess (this program again) starts the real server through BiEmbeddedServer, prints the server's pid and
 * dies without stopping it (as a crashed app or a killed CLI would). The server must then
 * go away by itself instead of holding its port and data dir with nobody to stop it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bi-embedded-server.h"
#include "bi-test-store-utils.h"

#define STOP_TIMEOUT_S 10
#define START_AND_DIE_ENV "BOOKIMG_TEST_START_AND_DIE"

static void
started_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  gboolean *started = user_data;
  g_autoptr(GError) error = NULL;

  g_assert_true (bi_embedded_server_start_finish (BI_EMBEDDED_SERVER (source), result, &error));
  g_assert_no_error (error);
  *started = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

/* The pids of this process's children, from /proc (every thread's list). */
static GString *
list_children (void)
{
  GString *pids = g_string_new (NULL);
  g_autoptr(GDir) tasks = g_dir_open ("/proc/self/task", 0, NULL);
  const char *task;

  g_assert_nonnull (tasks);
  while ((task = g_dir_read_name (tasks)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc/self/task", task, "children", NULL);
      g_autofree char *children = NULL;

      if (g_file_get_contents (path, &children, NULL, NULL))
        g_string_append (pids, g_strstrip (children));
    }
  return pids;
}

/* The subprocess: starts the server, tells its pid, and dies without a word to it. */
static void
start_and_die (void)
{
  g_autoptr(BiEmbeddedServer) server = bi_embedded_server_new (g_getenv ("BOOKIMG_SERVER"),
                                                               NULL);
  g_autoptr(GString) children = NULL;
  gboolean started = FALSE;

  bi_embedded_server_start_async (server, NULL, started_cb, &started);
  g_assert_true (bi_test_iterate_until (is_true, &started, BI_TEST_TIMEOUT_SECONDS));
  children = list_children ();
  g_print ("data dir %s\n", bi_embedded_server_get_data_dir (server));
  g_print ("server pid %s\n", children->str);
  fflush (stdout);
  _exit (0);
}

/* Alive and not a zombie (a reparented zombie stays in /proc until its new parent reaps it). */
static gboolean
process_runs (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", pid);
  g_autofree char *stat = NULL;
  const char *state;

  if (!g_file_get_contents (path, &stat, NULL, NULL))
    return FALSE;
  state = strrchr (stat, ')');
  return state != NULL && state[1] == ' ' && state[2] != 'Z' && state[2] != 'X';
}

static gboolean
process_gone (gpointer data)
{
  return !process_runs (GPOINTER_TO_INT (data));
}

static void
test_server_stops_with_its_app (void)
{
  g_autoptr(GSubprocessLauncher) launcher =
    g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GSubprocess) app = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *data_dir = NULL;
  const char *line;
  int pid;

  /* This test program itself, in the role of the app that dies (see main) */
  g_subprocess_launcher_setenv (launcher, START_AND_DIE_ENV, "1", TRUE);
  app = g_subprocess_launcher_spawn (launcher, &error, "/proc/self/exe", NULL);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (app, NULL, NULL, &out, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (app));
  line = strstr (out, "server pid ");
  g_assert_nonnull (line);
  pid = atoi (line + strlen ("server pid "));
  g_assert_cmpint (pid, >, 1);
  line = strstr (out, "data dir ");
  g_assert_nonnull (line);
  data_dir = g_strndup (line + strlen ("data dir "), strcspn (line + strlen ("data dir "), "\n"));
  g_assert_true (g_file_test (data_dir, G_FILE_TEST_IS_DIR));

  if (!bi_test_iterate_until (process_gone, GINT_TO_POINTER (pid), STOP_TIMEOUT_S))
    {
      kill (pid, SIGKILL); /* not left behind by the test either */
      g_error ("bookimg-server (pid %d) still runs %d s after its app died", pid,
               STOP_TIMEOUT_S);
    }
  /* Nobody is left to remove the temporary data dir (the uploaded photos in it) but the
   * server itself, before it exits. */
  if (g_file_test (data_dir, G_FILE_TEST_EXISTS))
    {
      bi_test_temp_dir_remove (data_dir);
      g_error ("bookimg-server left its temporary data dir behind when its app died");
    }
}

int
main (int   argc,
      char *argv[])
{
  if (g_getenv (START_AND_DIE_ENV) != NULL)
    {
      start_and_die ();
      return 1;
    }

  g_test_init (&argc, &argv, NULL);

  if (g_getenv ("BOOKIMG_SERVER") == NULL)
    g_error ("BOOKIMG_SERVER is not set; run the tests with `meson test`.");

  g_test_add_func ("/bookimg/embedded-server/stops-with-its-app", test_server_stops_with_its_app);
  return g_test_run ();
}
