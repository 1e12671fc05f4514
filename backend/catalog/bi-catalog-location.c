/* bi-catalog-location.c — where the embedded backend keeps its catalog database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-catalog-location"

#include "bi-catalog-location.h"

char *
bi_catalog_location_default_data_dir (void)
{
  /* The same folder as src/gui/bi-application.c's server_data_dir. */
  return g_build_filename (g_get_user_data_dir (), "bookimg", "server", NULL);
}

char *
bi_catalog_location_database_path (const char *data_dir)
{
  g_return_val_if_fail (data_dir != NULL, NULL);

  return g_build_filename (data_dir, BI_CATALOG_DATABASE_NAME, NULL);
}
