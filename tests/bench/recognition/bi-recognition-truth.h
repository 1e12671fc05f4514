/* bi-recognition-truth.h — reads a ground-truth file: which books are on which photo
 *
 * A TSV whose header names at least the columns "file" and "title" (in any order, other
 * columns ignored): the real photos' ground-truth.tsv (file, n, title, author, source) and the
 * generator's (file, n, title, author, isbn13, bbox) alike. Read with the catalog's delimited
 * reader.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Returns a table from file name to a GPtrArray of its titles (char *), in the file's order;
 * @files (optional) gets the file names (char *) in the order they first appear. */
GHashTable *bi_recognition_truth_read (const char  *path,
                                       GPtrArray  **files,
                                       GError     **error);

G_END_DECLS
