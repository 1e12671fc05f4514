/* bi-export-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-export-error"

#include "bi-export-error.h"

G_DEFINE_QUARK (bi-export-error-quark, bi_export_error)
