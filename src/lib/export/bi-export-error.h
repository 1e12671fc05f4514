/* bi-export-error.h — the error domain of the export library
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BI_EXPORT_ERROR (bi_export_error_quark ())

typedef enum
{
  BI_EXPORT_ERROR_BAD_RESULTS,    /* final results that are not what the protocol describes */
  BI_EXPORT_ERROR_UNKNOWN_FORMAT, /* a format name that is none of bi_book_format_names() */
} BiExportError;

GQuark bi_export_error_quark (void);

G_END_DECLS
