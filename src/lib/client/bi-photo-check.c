/* bi-photo-check.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-photo-check"

#include "bi-photo-check.h"

#include "bi-client-error.h"
#include "bi-image-type.h"
#include "bi-object-key.h"

#include <string.h>

typedef struct
{
  char         *display_name;
  GInputStream *stream;
  guint8        head[BI_IMAGE_TYPE_SNIFF_LENGTH];
} PhotoCheck;

static void
photo_check_free (PhotoCheck *check)
{
  g_free (check->display_name);
  g_clear_object (&check->stream);
  g_free (check);
}

static void
return_file_error (GTask        *task,
                   const GError *error,
                   const char   *what)
{
  PhotoCheck *check = g_task_get_task_data (task);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_task_return_error (task, g_error_copy (error));
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    g_task_return_new_error (task, BI_CLIENT_ERROR, BI_CLIENT_ERROR_FILE,
                             "%s does not exist; check the path.", check->display_name);
  else
    g_task_return_new_error (task, BI_CLIENT_ERROR, BI_CLIENT_ERROR_FILE,
                             "Cannot %s %s (%s); check that it is a file you may read.", what,
                             check->display_name, error->message);
}

static void
head_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PhotoCheck *check = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gsize length = 0;
  const char *content_type;

  if (!g_input_stream_read_all_finish (G_INPUT_STREAM (source), result, &length, &error))
    {
      return_file_error (task, error, "read");
      return;
    }
  g_input_stream_close_async (check->stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);

  content_type = bi_image_type_sniff (check->head, length);
  if (content_type == NULL)
    content_type = bi_image_type_from_file_name (check->display_name);
  if (content_type == NULL)
    {
      g_task_return_new_error (task, BI_CLIENT_ERROR, BI_CLIENT_ERROR_NOT_AN_IMAGE,
                               "%s is not a JPEG, PNG, WebP or TIFF image (neither its first "
                               "bytes nor its name say so), so it was not uploaded; "
                               "pass photos of book spines or covers.", check->display_name);
      return;
    }

  g_task_return_pointer (task, g_strdup (content_type), g_free);
}

static void
file_opened_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PhotoCheck *check = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;

  check->stream = G_INPUT_STREAM (g_file_read_finish (G_FILE (source), result, &error));
  if (check->stream == NULL)
    {
      return_file_error (task, error, "open");
      return;
    }

  cancellable = g_task_get_cancellable (task);
  g_input_stream_read_all_async (check->stream, check->head, sizeof check->head,
                                 G_PRIORITY_DEFAULT, cancellable, head_read_cb,
                                 g_steal_pointer (&task));
}

static void
info_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  PhotoCheck *check = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInfo) info = NULL;
  GCancellable *cancellable;

  info = g_file_query_info_finish (G_FILE (source), result, &error);
  if (info == NULL)
    {
      return_file_error (task, error, "look at");
      return;
    }

  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_task_return_new_error (task, BI_CLIENT_ERROR, BI_CLIENT_ERROR_FILE,
                               "%s is not a regular file; pass the photo files themselves.",
                               check->display_name);
      return;
    }
  if (g_file_info_get_size (info) == 0)
    {
      g_task_return_new_error (task, BI_CLIENT_ERROR, BI_CLIENT_ERROR_FILE,
                               "%s is empty; check that it was copied completely.",
                               check->display_name);
      return;
    }

  cancellable = g_task_get_cancellable (task);
  g_file_read_async (G_FILE (source), G_PRIORITY_DEFAULT, cancellable, file_opened_cb,
                     g_steal_pointer (&task));
}

void
bi_photo_check_async (GFile               *file,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  PhotoCheck *check;

  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, bi_photo_check_async);
  check = g_new0 (PhotoCheck, 1);
  check->display_name = g_file_get_parse_name (file);
  g_task_set_task_data (task, check, (GDestroyNotify) photo_check_free);

  g_file_query_info_async (file,
                           G_FILE_ATTRIBUTE_STANDARD_TYPE "," G_FILE_ATTRIBUTE_STANDARD_SIZE,
                           G_FILE_QUERY_INFO_NONE, G_PRIORITY_DEFAULT, cancellable, info_cb,
                           g_steal_pointer (&task));
}

char *
bi_photo_check_finish (GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

char *
bi_photo_upload_name (const char *photo_name)
{
  g_autofree char *valid = NULL;
  GString *name;

  g_return_val_if_fail (photo_name != NULL, NULL);

  valid = g_utf8_make_valid (photo_name, -1);
  name = g_string_new (NULL);
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      char utf8[6];
      int length;

      if (c == '/' || c == '\\' || g_unichar_iscntrl (c))
        c = '_';
      length = g_unichar_to_utf8 (c, utf8);
      /* Cut at a character boundary so the name stays valid UTF-8. */
      if (name->len + (gsize) length > BI_FILE_NAME_MAX_LENGTH)
        break;
      g_string_append_len (name, utf8, length);
    }

  if (!bi_file_name_validate (name->str, NULL))
    {
      g_string_free (name, TRUE);
      return g_strdup ("photo");
    }

  return g_string_free (name, FALSE);
}
