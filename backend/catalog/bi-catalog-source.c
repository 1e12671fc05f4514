/* bi-catalog-source.c — opens a catalog file and tells, from its content, how to read it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-catalog-source"

#include "bi-catalog-source.h"
#include "bi-catalog-error.h"

#include <string.h>

/* Enough for the first line of any dump or header we know, and for gzip's magic. */
#define PEEK_SIZE (64 * 1024)

/* Fills @buffered until it holds a line break, @wanted bytes or the whole (shorter) input. */
static gboolean
peek_start (GBufferedInputStream  *buffered,
            gsize                  wanted,
            GError               **error)
{
  for (;;)
    {
      gsize available = 0;
      const char *data = g_buffered_input_stream_peek_buffer (buffered, &available);
      gssize filled;

      if (available >= wanted || memchr (data, '\n', available) != NULL)
        return TRUE;
      filled = g_buffered_input_stream_fill (buffered, (gssize) (wanted - available), NULL,
                                             error);
      if (filled < 0)
        return FALSE;
      if (filled == 0)
        return TRUE;
    }
}

static gboolean
starts_with (GBufferedInputStream *buffered,
             const char           *prefix,
             gsize                 length)
{
  gsize available = 0;
  const char *data = g_buffered_input_stream_peek_buffer (buffered, &available);

  return available >= length && memcmp (data, prefix, length) == 0;
}

gboolean
bi_catalog_source_open (BiCatalogSource  *source,
                        const char       *path,
                        GError          **error)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GInputStream) buffered = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (source != NULL && path != NULL, FALSE);

  memset (source, 0, sizeof *source);
  file = g_file_new_for_path (path);
  source->file = g_file_read (file, NULL, &local_error);
  if (source->file == NULL)
    return bi_catalog_error_set_unreadable (error, path, local_error);
  info = g_file_input_stream_query_info (source->file, G_FILE_ATTRIBUTE_STANDARD_SIZE, NULL,
                                         NULL);
  source->size = info != NULL ? g_file_info_get_size (info) : 0;

  buffered = g_buffered_input_stream_new_sized (G_INPUT_STREAM (source->file), PEEK_SIZE);
  if (!peek_start (G_BUFFERED_INPUT_STREAM (buffered), 2, &local_error))
    return bi_catalog_error_set_unreadable (error, path, local_error);

  if (starts_with (G_BUFFERED_INPUT_STREAM (buffered), "\x1f\x8b", 2))
    {
      g_autoptr(GZlibDecompressor) decompressor =
        g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
      g_autoptr(GInputStream) decompressed =
        g_converter_input_stream_new (buffered, G_CONVERTER (decompressor));

      source->compressed = TRUE;
      g_object_unref (buffered);
      buffered = g_buffered_input_stream_new_sized (decompressed, PEEK_SIZE);
    }

  if (!peek_start (G_BUFFERED_INPUT_STREAM (buffered), PEEK_SIZE, &local_error))
    return bi_catalog_error_set_unreadable (error, path, local_error);

  source->kind = starts_with (G_BUFFERED_INPUT_STREAM (buffered), "/type/", 6)
                 ? BI_CATALOG_SOURCE_OPEN_LIBRARY : BI_CATALOG_SOURCE_DELIMITED;
  source->content = g_steal_pointer (&buffered);
  return TRUE;
}

goffset
bi_catalog_source_get_position (BiCatalogSource *source)
{
  g_return_val_if_fail (source != NULL && source->file != NULL, 0);

  return g_seekable_tell (G_SEEKABLE (source->file));
}

void
bi_catalog_source_clear (BiCatalogSource *source)
{
  g_clear_object (&source->content);
  g_clear_object (&source->file);
}
