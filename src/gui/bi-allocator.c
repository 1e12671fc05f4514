/* bi-allocator.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-allocator"

#include "config.h"

#include "bi-allocator.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

/**
 * bi_allocator_use_malloc:
 * @argv: main()'s, to start the same program again
 *
 * Call first in main(). On GLib before 2.76, with G_SLICE not set, starts the program again
 * (same process id, same arguments) with G_SLICE=always-malloc; returns when there is nothing
 * to do or the new start failed (the program then goes on with GSlice, after a warning). A
 * G_SLICE the user set is left alone.
 */
void
bi_allocator_use_malloc (char **argv)
{
  g_autofree char *program = NULL;

  if (glib_check_version (2, 76, 0) == NULL || g_getenv ("G_SLICE") != NULL)
    return;
  /* set even if the new start fails, so that a child started later does not try again */
  g_setenv ("G_SLICE", "always-malloc", TRUE);
  /* the program's own path, not /proc/self/exe: the process is named after the file run
   * (ps, top, perf would call it "exe") */
  program = g_file_read_link ("/proc/self/exe", NULL);
  execv (program != NULL ? program : "/proc/self/exe", argv);
  g_warning ("Could not start again with G_SLICE=always-malloc (%s): the list may stall "
             "when memory is freed", g_strerror (errno));
}
