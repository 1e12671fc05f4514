/* bi-catalog-error.h — the error domain of the local catalog (import and search)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BI_CATALOG_ERROR (bi_catalog_error_quark ())

typedef enum
{
  BI_CATALOG_ERROR_OPEN,     /* the database cannot be opened, created or upgraded */
  BI_CATALOG_ERROR_DATABASE, /* an SQLite statement failed */
  BI_CATALOG_ERROR_IO,       /* the file to import cannot be read */
  BI_CATALOG_ERROR_FORMAT,   /* the file to import is not a catalog format we know */
} BiCatalogError;

GQuark   bi_catalog_error_quark          (void);

/* Sets BI_CATALOG_ERROR_IO: @path cannot be read because of @cause. Returns FALSE. */
gboolean bi_catalog_error_set_unreadable (GError       **error,
                                          const char    *path,
                                          const GError  *cause);

G_END_DECLS
