/* bi-provider-error.c — the error domain of the online catalogs
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-provider-error"

#include "bi-provider-error.h"

G_DEFINE_QUARK (bi-provider-error-quark, bi_provider_error)
