/* bi-file-tree.h — removing a folder a BookImg process made for itself
 *
 * Both sides of the embedded backend remove the same temporary data dir: the client after its
 * server stopped, the server itself when its client died first (see bookimg-server
 * --remove-data-dir).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Removes @path and everything below it, without following symbolic links. A @path that does
 * not exist is not an error; whatever cannot be removed is logged as a warning, naming it. */
void bi_file_tree_remove (const char *path);

G_END_DECLS
