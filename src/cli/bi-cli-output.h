/* bi-cli-output.h — where a subcommand's --output goes: a checked file, written whole, or stdout
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Checks before any work is done that @output_path (NULL: stdout) can be written: a file name in
 * an existing folder, not a folder itself. Errors are G_OPTION_ERROR_BAD_VALUE. */
gboolean bi_cli_output_validate (const char  *output_path,
                                 GError     **error);

/* Writes @length bytes of @text (-1: NUL-terminated) to @output_path, replacing the file whole
 * (readers never see half of it), or to stdout when @output_path is NULL. */
gboolean bi_cli_output_write    (const char  *output_path,
                                 const char  *text,
                                 gssize       length,
                                 GError     **error);

G_END_DECLS
