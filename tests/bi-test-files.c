/* bi-test-files.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-test-files.h"

char *
bi_test_write_file (const char *dir,
                    const char *name,
                    const void *data,
                    gssize      length)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, data, length, &error);
  g_assert_no_error (error);
  return path;
}
