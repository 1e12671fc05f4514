/* bi-test-files.h — files the client tests write: photos, catalogs, non-images
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Writes @length bytes of @data (-1: a NUL-terminated string) to @dir/@name and returns the
 * path; fails the test when it cannot. */
char *bi_test_write_file (const char *dir,
                          const char *name,
                          const void *data,
                          gssize      length);

G_END_DECLS
