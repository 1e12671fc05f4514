/* bi-recognition-truth.c — reads a ground-truth file: which books are on which photo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-recognition-truth"

#include "bi-recognition-truth.h"

#include "bi-delimited-reader.h"

#include <gio/gio.h>

static int
find_column (GPtrArray  *header,
             const char *name)
{
  for (guint i = 0; i < header->len; i++)
    if (g_ascii_strcasecmp (g_ptr_array_index (header, i), name) == 0)
      return (int) i;
  return -1;
}

GHashTable *
bi_recognition_truth_read (const char  *path,
                           GPtrArray  **files,
                           GError     **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) input = NULL;
  g_autoptr(BiDelimitedReader) reader = NULL;
  g_autoptr(GHashTable) titles = NULL;
  g_autoptr(GPtrArray) order = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) local_error = NULL;
  GPtrArray *fields = NULL;
  const char *reason = NULL;
  int file_column, title_column;

  input = g_file_read (file, NULL, &local_error);
  if (input == NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  "Could not read the ground truth %s: ", path);
      return NULL;
    }
  reader = bi_delimited_reader_new (G_INPUT_STREAM (input));
  if (bi_delimited_reader_next (reader, &fields, &reason, &local_error) != BI_DELIMITED_RECORD
      || (file_column = find_column (fields, "file")) < 0
      || (title_column = find_column (fields, "title")) < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "The ground truth %s needs a header line naming the columns “file” and "
                   "“title”%s%s.", path, local_error != NULL ? ": " : "",
                   local_error != NULL ? local_error->message : "");
      return NULL;
    }

  titles = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                  (GDestroyNotify) g_ptr_array_unref);
  for (;;)
    {
      BiDelimitedStatus status = bi_delimited_reader_next (reader, &fields, &reason,
                                                           &local_error);
      GPtrArray *photo_titles;
      const char *name;

      if (status == BI_DELIMITED_END)
        break;
      if (status == BI_DELIMITED_ERROR)
        {
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                      "Could not read the ground truth %s: ", path);
          return NULL;
        }
      if (status == BI_DELIMITED_MALFORMED
          || (guint) MAX (file_column, title_column) >= fields->len)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                       "Line %" G_GUINT64_FORMAT " of the ground truth %s is malformed%s%s.",
                       bi_delimited_reader_get_line_number (reader), path,
                       reason != NULL ? ": " : "", reason != NULL ? reason : "");
          return NULL;
        }

      name = g_ptr_array_index (fields, (guint) file_column);
      photo_titles = g_hash_table_lookup (titles, name);
      if (photo_titles == NULL)
        {
          photo_titles = g_ptr_array_new_with_free_func (g_free);
          g_hash_table_insert (titles, g_strdup (name), photo_titles);
          g_ptr_array_add (order, g_strdup (name));
        }
      g_ptr_array_add (photo_titles,
                       g_strdup (g_ptr_array_index (fields, (guint) title_column)));
    }

  if (files != NULL)
    *files = g_steal_pointer (&order);
  return g_steal_pointer (&titles);
}
