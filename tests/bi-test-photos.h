/* bi-test-photos.h — photo files the desktop app's image tests decode
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <leptonica/allheaders.h>

#include "bi-leptonica-autoptr.h"

G_BEGIN_DECLS

/* The colour of the spine bi_test_write_photo() paints, as 0xRRGGBBAA. */
#define BI_TEST_SPINE_RGBA 0xe01010ff

char *bi_test_write_photo        (const char  *dir,
                                  const char  *name,
                                  int          width,
                                  int          height,
                                  guint32      background_rgba,
                                  const int   *spine);
char *bi_test_write_turned_photo (const char  *dir,
                                  const char  *name,
                                  PIX         *upright,
                                  int          orientation);
void  bi_test_set_modified       (const char  *path,
                                  gint64       seconds);

G_END_DECLS
