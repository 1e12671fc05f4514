/* bi-settings.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-settings"

#include "bi-settings.h"

GSettings *
bi_settings_new (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, BI_SETTINGS_SCHEMA_ID, TRUE);
  if (schema == NULL)
    {
      g_debug ("The schema %s is not installed; using the defaults", BI_SETTINGS_SCHEMA_ID);
      return NULL;
    }
  return g_settings_new_full (schema, NULL, NULL);
}

char *
bi_settings_get_imported_catalog_path (const char *extension)
{
  g_autofree char *name = g_strconcat ("imported-catalog.", extension, NULL);

  g_return_val_if_fail (extension != NULL, NULL);
  return g_build_filename (g_get_user_data_dir (), "bookimg", name, NULL);
}

char *
bi_settings_find_imported_catalog (void)
{
  static const char *const extensions[] = { "tsv", "csv" };

  for (guint i = 0; i < G_N_ELEMENTS (extensions); i++)
    {
      g_autofree char *path = bi_settings_get_imported_catalog_path (extensions[i]);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&path);
    }
  return NULL;
}
