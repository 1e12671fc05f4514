/* test-allocator.c — the desktop app's small blocks from malloc on GLib before 2.76
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * The test starts itself as a child ("--child") that calls bi_allocator_use_malloc() as the
 * app's main() does, then prints its process id and name, G_SLICE, and the G_SLICE its process
 * image started with (/proc/self/environ: what GLib read when it loaded); the parent checks
 * them.
 */
#include "config.h"

#include <string.h>

#include <sys/wait.h>
#include <unistd.h>

#include "bi-allocator.h"

static char *self_path;

/* Starts the child with G_SLICE set to @slice (NULL: unset); returns what it printed. */
static char *
run_child (const char *slice,
           GPid       *pid)
{
  const char *argv[] = { self_path, "--child", NULL };
  g_auto(GStrv) envp = g_get_environ ();
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  int out_fd = -1;
  int status = 0;
  g_autoptr(GIOChannel) channel = NULL;

  envp = slice != NULL ? g_environ_setenv (envp, "G_SLICE", slice, TRUE)
                       : g_environ_unsetenv (envp, "G_SLICE");
  g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv, envp,
                                           G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, pid, NULL,
                                           &out_fd, NULL, &error));
  g_assert_no_error (error);
  channel = g_io_channel_unix_new (out_fd);
  g_io_channel_set_close_on_unref (channel, TRUE);
  g_assert_cmpint (g_io_channel_read_to_end (channel, &output, NULL, &error), ==,
                   G_IO_STATUS_NORMAL);
  g_assert_no_error (error);
  g_assert_cmpint (waitpid (*pid, &status, 0), ==, *pid);
  g_assert_true (g_spawn_check_wait_status (status, &error));
  g_spawn_close_pid (*pid);
  return g_steal_pointer (&output);
}

/* No G_SLICE: on GLib before 2.76 the same process starts again with GSlice on malloc. */
static void
test_allocator_starts_again_with_malloc (void)
{
  GPid pid = 0;
  g_autofree char *output = run_child (NULL, &pid);
  g_autofree char *expected = NULL;

  if (glib_check_version (2, 76, 0) == NULL)
    expected = g_strdup_printf ("pid %d test-allocator G_SLICE (unset) started with (unset)\n",
                                (int) pid);
  else
    /* the same process id (started again in place: execv, as D-Bus activation needs) and the
     * same name */
    expected = g_strdup_printf ("pid %d test-allocator G_SLICE always-malloc "
                                "started with always-malloc\n", (int) pid);
  g_assert_cmpstr (output, ==, expected);
}

/* A G_SLICE the user set (here, empty: GSlice's magazines) is left alone. */
static void
test_allocator_keeps_user_setting (void)
{
  GPid pid = 0;
  g_autofree char *output = run_child ("", &pid);
  g_autofree char *expected = g_strdup_printf ("pid %d test-allocator G_SLICE  started with \n",
                                               (int) pid);

  g_assert_cmpstr (output, ==, expected);
}

/* The value of G_SLICE in the environment this process image started with, or NULL. */
static char *
slice_at_start (void)
{
  g_autofree char *environ_text = NULL;
  gsize length = 0;

  g_assert_true (g_file_get_contents ("/proc/self/environ", &environ_text, &length, NULL));
  for (const char *entry = environ_text; entry < environ_text + length;
       entry += strlen (entry) + 1)
    if (g_str_has_prefix (entry, "G_SLICE="))
      return g_strdup (entry + strlen ("G_SLICE="));
  return NULL;
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 2 && g_str_equal (argv[1], "--child"))
    {
      g_autofree char *at_start = NULL;
      g_autofree char *name = NULL;
      const char *slice;

      bi_allocator_use_malloc (argv);
      slice = g_getenv ("G_SLICE");
      at_start = slice_at_start ();
      g_assert_true (g_file_get_contents ("/proc/self/comm", &name, NULL, NULL));
      g_print ("pid %d %s G_SLICE %s started with %s\n", (int) getpid (), g_strstrip (name),
               slice != NULL ? slice : "(unset)", at_start != NULL ? at_start : "(unset)");
      return 0;
    }

  g_test_init (&argc, &argv, NULL);
  self_path = g_canonicalize_filename (argv[0], NULL);

  g_test_add_func ("/bookimg/allocator/starts-again-with-malloc",
                   test_allocator_starts_again_with_malloc);
  g_test_add_func ("/bookimg/allocator/keeps-user-setting", test_allocator_keeps_user_setting);
  return g_test_run ();
}
