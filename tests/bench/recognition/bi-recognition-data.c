/* bi-recognition-data.c — where the recognition benchmark finds the shared test data
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-recognition-data"

#include "bi-recognition-data.h"

#include <gio/gio.h>

#define SHARED_DATA_VARIABLE "BOOKIMG_SHARED_DATA"

char *
bi_recognition_shared_data_dir (GError **error)
{
  const char *dir = g_getenv (SHARED_DATA_VARIABLE);

  if (dir == NULL || *dir == '\0')
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "%s is not set: point it at the shared test data (the directory holding "
                   "catalog/ and photos/), or run through `meson test`, which sets it.",
                   SHARED_DATA_VARIABLE);
      return NULL;
    }
  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "%s=%s is not a directory.", SHARED_DATA_VARIABLE, dir);
      return NULL;
    }
  return g_strdup (dir);
}

static char *
existing_path (const char  *dir,
               const char  *first,
               const char  *second,
               GFileTest    test,
               GError     **error)
{
  g_autofree char *path = g_build_filename (dir, first, second, NULL);

  if (!g_file_test (path, test))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "The shared test data has no %s (looked in %s from %s).", path, dir,
                   SHARED_DATA_VARIABLE);
      return NULL;
    }
  return g_steal_pointer (&path);
}

GStrv
bi_recognition_catalog_files (GError **error)
{
  static const char *const names[] = { "goodbooks-10k.tsv", "llabres-library.csv" };
  g_autofree char *dir = bi_recognition_shared_data_dir (error);
  g_autoptr(GStrvBuilder) files = g_strv_builder_new ();

  if (dir == NULL)
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = existing_path (dir, "catalog", names[i], G_FILE_TEST_IS_REGULAR,
                                             error);

      if (path == NULL)
        return NULL;
      g_strv_builder_add (files, path);
    }
  return g_strv_builder_end (files);
}

char *
bi_recognition_real_photos_dir (GError **error)
{
  g_autofree char *dir = bi_recognition_shared_data_dir (error);

  if (dir == NULL)
    return NULL;
  return existing_path (dir, "photos", NULL, G_FILE_TEST_IS_DIR, error);
}
