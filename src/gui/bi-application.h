/* bi-application.h — BookImg's AdwApplication: the backend, the library and the app actions
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "bi-scanner.h"

G_BEGIN_DECLS

#define BI_APPLICATION_ID "io.github.bookimg.BookImg"

#define BI_TYPE_APPLICATION (bi_application_get_type ())
G_DECLARE_FINAL_TYPE (BiApplication, bi_application, BI, APPLICATION, AdwApplication)

BiApplication *bi_application_new         (void);
/* NULL until the application has started up. */
BiScanner     *bi_application_get_scanner (BiApplication *self);

G_END_DECLS
