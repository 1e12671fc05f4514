/* bi-catalog-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-catalog-error"

#include "bi-catalog-error.h"

G_DEFINE_QUARK (bi-catalog-error-quark, bi_catalog_error)
