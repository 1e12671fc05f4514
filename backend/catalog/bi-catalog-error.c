/* bi-catalog-error.c — the error domain of the local catalog (import and search)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-catalog-error"

#include "bi-catalog-error.h"

G_DEFINE_QUARK (bi-catalog-error-quark, bi_catalog_error)

gboolean
bi_catalog_error_set_unreadable (GError       **error,
                                 const char    *path,
                                 const GError  *cause)
{
  g_set_error (error, BI_CATALOG_ERROR, BI_CATALOG_ERROR_IO,
               "Cannot read the catalog file “%s”: %s. Check the path and its permissions.",
               path, cause->message);
  return FALSE;
}
