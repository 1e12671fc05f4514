/* bi-cli-output.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-cli-output"

#include "bi-cli-output.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

gboolean
bi_cli_output_validate (const char  *output_path,
                        GError     **error)
{
  g_autofree char *folder = NULL;

  if (output_path == NULL)
    return TRUE;

  folder = g_path_get_dirname (output_path);
  if (g_file_test (output_path, G_FILE_TEST_IS_DIR) || !g_file_test (folder, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--output: %s cannot be written; give a file name in an existing folder",
                   output_path);
      return FALSE;
    }

  return TRUE;
}

gboolean
bi_cli_output_write (const char  *output_path,
                     const char  *text,
                     gssize       length,
                     GError     **error)
{
  gsize size = length < 0 ? strlen (text) : (gsize) length;

  if (output_path == NULL)
    {
      if (fwrite (text, 1, size, stdout) != size || fflush (stdout) != 0)
        {
          int saved_errno = errno;

          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                       "Could not write to the standard output: %s", g_strerror (saved_errno));
          return FALSE;
        }
      return TRUE;
    }

  /* CONSISTENT: written to a temporary file and renamed over, so readers never see half. */
  return g_file_set_contents_full (output_path, text, (gssize) size,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0666, error);
}
