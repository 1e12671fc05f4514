/* bi-line-reader.c — reads a stream line by line in bounded memory
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-line-reader"

#include "bi-line-reader.h"

#include <string.h>

struct _BiLineReader
{
  GBufferedInputStream *input;       /* the stream, buffered so line breaks are found in place */
  gsize                 max_length;  /* longest line kept */
  guint64               line_number; /* lines returned so far */
  GString              *line;        /* the current line, without its line break */
};

BiLineReader *
bi_line_reader_new (GInputStream *stream,
                    gsize         max_length)
{
  BiLineReader *self;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);

  self = g_new0 (BiLineReader, 1);
  self->input = G_BUFFERED_INPUT_STREAM (g_buffered_input_stream_new_sized (stream, 64 * 1024));
  self->max_length = max_length;
  self->line = g_string_sized_new (256);
  return self;
}

void
bi_line_reader_free (BiLineReader *self)
{
  if (self == NULL)
    return;

  g_clear_object (&self->input);
  g_string_free (self->line, TRUE);
  g_free (self);
}

guint64
bi_line_reader_get_line_number (BiLineReader *self)
{
  return self->line_number;
}

GString *
bi_line_reader_next (BiLineReader  *self,
                     gboolean      *too_long,
                     GError       **error)
{
  gboolean got_any = FALSE;

  g_return_val_if_fail (self != NULL && too_long != NULL, NULL);

  g_string_truncate (self->line, 0);
  *too_long = FALSE;

  for (;;)
    {
      gsize available = g_buffered_input_stream_get_available (self->input);
      const char *buffer;
      const char *newline;
      gsize take;

      if (available == 0)
        {
          gssize filled = g_buffered_input_stream_fill (self->input, -1, NULL, error);

          if (filled < 0)
            return NULL;
          if (filled == 0)
            break;
        }

      buffer = g_buffered_input_stream_peek_buffer (self->input, &available);
      newline = memchr (buffer, '\n', available);
      take = newline != NULL ? (gsize) (newline - buffer) : available;
      got_any = TRUE;

      /* The rest of an over-long line is consumed but not kept. */
      if (*too_long || self->line->len + take > self->max_length)
        {
          *too_long = TRUE;
          g_string_truncate (self->line, 0);
        }
      else
        {
          g_string_append_len (self->line, buffer, (gssize) take);
        }

      if (g_input_stream_skip (G_INPUT_STREAM (self->input),
                               newline != NULL ? take + 1 : take, NULL, error) < 0)
        return NULL;
      if (newline != NULL)
        break;
    }

  if (!got_any)
    return NULL;

  self->line_number++;
  if (self->line->len > 0 && self->line->str[self->line->len - 1] == '\r')
    g_string_truncate (self->line, self->line->len - 1);
  return self->line;
}
