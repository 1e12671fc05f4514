/* bi-file-tree.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-file-tree"

#include "bi-file-tree.h"

#include <errno.h>
#include <glib/gstdio.h>

void
bi_file_tree_remove (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        bi_file_tree_remove (child);
      else if (g_unlink (child) != 0 && errno != ENOENT)
        g_warning ("Could not remove %s: %s", child, g_strerror (errno));
    }

  if (g_rmdir (path) != 0 && errno != ENOENT)
    g_warning ("Could not remove %s: %s", path, g_strerror (errno));
}
