/* bi-file-blob-store.c — the blob store port on files: <root>/uploads/<key>, <root>/results/<key>
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-file-blob-store"

#include "bi-file-blob-store.h"
#include "bi-object-key.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gio.h>
#include <glib/gstdio.h>
#include <unistd.h>

struct _BiFileBlobStore
{
  BiBlobStore  port; /* first member: the BiBlobStore port casts to us */
  char        *root_dir;
};

/* ---- helpers ---------------------------------------------------------------------------- */

static const char *
bucket_dir_name (BiBucket bucket)
{
  return bucket == BI_BUCKET_RESULTS ? "results" : "uploads";
}

static gboolean
set_error_from_errno (GError     **error,
                      int          saved_errno,
                      const char  *doing,
                      const char  *path)
{
  g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
               "Could not %s “%s”: %s. Check that the data directory is writable and that "
               "the disk is not full.", doing, path, g_strerror (saved_errno));
  return FALSE;
}

/* fsync of a directory makes the entries created or renamed in it durable. */
static gboolean
sync_directory (const char  *dir,
                GError     **error)
{
  int fd = g_open (dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
  int saved_errno;

  if (fd < 0)
    return set_error_from_errno (error, errno, "open the directory", dir);
  if (fsync (fd) != 0)
    {
      saved_errno = errno;
      close (fd);
      return set_error_from_errno (error, saved_errno, "flush the directory", dir);
    }
  if (close (fd) != 0)
    return set_error_from_errno (error, errno, "close the directory", dir);
  return TRUE;
}

/* Creates @dir if it is missing, durably (its parent is flushed too). */
static gboolean
ensure_directory (const char  *dir,
                  GError     **error)
{
  g_autofree char *parent = NULL;

  if (g_file_test (dir, G_FILE_TEST_IS_DIR))
    return TRUE;
  if (g_mkdir_with_parents (dir, 0700) != 0)
    return set_error_from_errno (error, errno, "create the directory", dir);
  parent = g_path_get_dirname (dir);
  return sync_directory (parent, error);
}

static gboolean
write_all (int           fd,
           const guint8 *data,
           gsize         length)
{
  while (length > 0)
    {
      gssize written = write (fd, data, length);

      if (written < 0 && errno == EINTR)
        continue;
      if (written <= 0)
        return FALSE;
      data += written;
      length -= (gsize) written;
    }
  return TRUE;
}

/* Writes a temporary file beside @path, flushes it and renames it over @path: readers see the
 * old object or the new one, and after a crash the new one is whole or absent. */
static gboolean
replace_file (const char  *path,
              GBytes      *data,
              GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *temp_path = g_build_filename (dir, ".tmp-XXXXXX", NULL);
  gsize length = 0;
  const guint8 *bytes = g_bytes_get_data (data, &length);
  const char *doing = NULL;
  int saved_errno = 0;
  int fd;

  fd = g_mkstemp_full (temp_path, O_WRONLY | O_CLOEXEC, 0600);
  if (fd < 0)
    return set_error_from_errno (error, errno, "create a temporary file in", dir);

  if (!write_all (fd, bytes, length))
    doing = "write";
  else if (fsync (fd) != 0)
    doing = "flush";
  saved_errno = errno;
  if (close (fd) != 0 && doing == NULL)
    {
      doing = "close";
      saved_errno = errno;
    }
  if (doing == NULL && g_rename (temp_path, path) != 0)
    {
      doing = "rename into place";
      saved_errno = errno;
    }
  if (doing != NULL)
    {
      g_unlink (temp_path);
      return set_error_from_errno (error, saved_errno, doing, path);
    }
  return sync_directory (dir, error);
}

/* ---- port ------------------------------------------------------------------------------- */

static GBytes *
port_get (BiBlobStore  *port,
          BiBucket      bucket,
          const char   *key,
          GError      **error)
{
  BiFileBlobStore *self = (BiFileBlobStore *) port;
  g_autofree char *path = NULL;
  g_autoptr(GError) file_error = NULL;
  char *contents = NULL;
  gsize length = 0;

  path = bi_file_blob_store_path (self, bucket, key, error);
  if (path == NULL)
    return NULL;

  if (!g_file_get_contents (path, &contents, &length, &file_error))
    {
      GIOErrorEnum code = g_io_error_from_file_error (file_error->code);

      if (code == G_IO_ERROR_NOT_FOUND)
        g_set_error (error, G_IO_ERROR, code, "There is no object “%s” in the %s bucket.",
                     key, bucket_dir_name (bucket));
      else
        g_set_error (error, G_IO_ERROR, code, "Could not read the object “%s”: %s", key,
                     file_error->message);
      return NULL;
    }
  return g_bytes_new_take (contents, length);
}

static gboolean
port_put (BiBlobStore  *port,
          BiBucket      bucket,
          const char   *key,
          GBytes       *data,
          const char   *content_type,
          GError      **error)
{
  BiFileBlobStore *self = (BiFileBlobStore *) port;
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;

  g_return_val_if_fail (data != NULL, FALSE);

  /* @content_type is not kept: readers tell an image's type from its bytes. */
  path = bi_file_blob_store_path (self, bucket, key, error);
  if (path == NULL)
    return FALSE;
  dir = g_path_get_dirname (path);
  return ensure_directory (dir, error) && replace_file (path, data, error);
}

/* ---- public API ------------------------------------------------------------------------- */

BiFileBlobStore *
bi_file_blob_store_new (const char  *root_dir,
                        GError     **error)
{
  g_autoptr(BiFileBlobStore) self = NULL;
  BiBucket buckets[] = { BI_BUCKET_UPLOADS, BI_BUCKET_RESULTS };

  g_return_val_if_fail (root_dir != NULL, NULL);

  self = g_new0 (BiFileBlobStore, 1);
  self->port.get = port_get;
  self->port.put = port_put;
  self->root_dir = g_strdup (root_dir);

  for (guint i = 0; i < G_N_ELEMENTS (buckets); i++)
    {
      g_autofree char *dir = g_build_filename (root_dir, bucket_dir_name (buckets[i]), NULL);

      if (!ensure_directory (dir, error))
        return NULL;
    }
  return g_steal_pointer (&self);
}

void
bi_file_blob_store_free (BiFileBlobStore *self)
{
  if (self == NULL)
    return;

  g_free (self->root_dir);
  g_free (self);
}

BiBlobStore *
bi_file_blob_store_as_port (BiFileBlobStore *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return &self->port;
}

char *
bi_file_blob_store_path (BiFileBlobStore  *self,
                         BiBucket          bucket,
                         const char       *key,
                         GError          **error)
{
  g_autofree char *job_id = NULL;
  g_autofree char *file_name = NULL;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (bucket == BI_BUCKET_UPLOADS || bucket == BI_BUCKET_RESULTS, NULL);

  /* A valid job id and one plain file name: nothing can name a path outside the root. */
  if (key == NULL)
    key = "";
  if (!bi_object_key_parse (key, &job_id, &file_name, error))
    return NULL;
  return g_build_filename (self->root_dir, bucket_dir_name (bucket), job_id, file_name, NULL);
}
