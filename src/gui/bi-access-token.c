/* bi-access-token.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-access-token"

#include "config.h"

#include "bi-access-token.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

static void
save_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  const char *token = task_data;
  g_autofree char *path = bi_access_token_get_path ();
  g_autofree char *folder = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  if (token == NULL || *token == '\0')
    {
      if (g_unlink (path) != 0 && errno != ENOENT)
        {
          int saved_errno = errno;

          g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                                   _("Could not remove the stored access token: %s"),
                                   g_strerror (saved_errno));
          return;
        }
      g_task_return_boolean (task, TRUE);
      return;
    }

  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved_errno = errno;

      g_task_return_new_error (task, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                               _("Could not make the folder %s: %s"), folder,
                               g_strerror (saved_errno));
      return;
    }
  /* Written to a temporary file with mode 0600 and renamed: never readable by others, even
   * for a moment. The message names the file only, never the token. */
  if (!g_file_set_contents_full (path, token, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    {
      g_task_return_new_error (task, error->domain, error->code,
                               _("Could not store the access token: %s"), error->message);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

char *
bi_access_token_get_path (void)
{
  return g_build_filename (g_get_user_config_dir (), "bookimg", "access-token", NULL);
}

char *
bi_access_token_load (void)
{
  g_autofree char *path = bi_access_token_get_path ();
  g_autofree char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return NULL;
  g_strstrip (contents);
  if (*contents == '\0')
    return NULL;
  return g_steal_pointer (&contents);
}

void
bi_access_token_save_async (const char          *token,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, bi_access_token_save_async);
  g_task_set_task_data (task, g_strdup (token), g_free);
  g_task_run_in_thread (task, save_thread);
}

gboolean
bi_access_token_save_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
