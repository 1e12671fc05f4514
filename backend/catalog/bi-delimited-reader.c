/* bi-delimited-reader.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-delimited-reader"

#include "bi-delimited-reader.h"
#include "bi-line-reader.h"

#include <string.h>

struct _BiDelimitedReader
{
  BiLineReader         *lines;       /* the file's lines */
  char                  delimiter;   /* 0 until the first line has been read */
  guint64               record_line; /* the line the last record started on */
  GString              *line;        /* the current line (owned by lines), or NULL */
  GString              *field;       /* the field being parsed */
  GPtrArray            *fields;      /* the fields of the last record */
  char                 *reason;      /* why the last record was malformed */
};

BiDelimitedReader *
bi_delimited_reader_new (GInputStream *stream)
{
  BiDelimitedReader *self;

  g_return_val_if_fail (G_IS_INPUT_STREAM (stream), NULL);

  self = g_new0 (BiDelimitedReader, 1);
  self->lines = bi_line_reader_new (stream, BI_DELIMITED_MAX_LINE);
  self->field = g_string_sized_new (256);
  self->fields = g_ptr_array_new_with_free_func (g_free);
  return self;
}

void
bi_delimited_reader_free (BiDelimitedReader *self)
{
  if (self == NULL)
    return;

  bi_line_reader_free (self->lines);
  g_string_free (self->field, TRUE);
  g_ptr_array_unref (self->fields);
  g_free (self->reason);
  g_free (self);
}

guint64
bi_delimited_reader_get_line_number (BiDelimitedReader *self)
{
  return self->record_line;
}

char
bi_delimited_reader_get_delimiter (BiDelimitedReader *self)
{
  return self->delimiter;
}

/* Reads one line into self->line. Returns FALSE at the end of the input or on error. */
static gboolean
read_line (BiDelimitedReader  *self,
           gboolean           *too_long,
           GError            **error)
{
  self->line = bi_line_reader_next (self->lines, too_long, error);
  return self->line != NULL;
}

static void
set_reason (BiDelimitedReader *self,
            const char        *reason)
{
  /* The first problem of a record is the one worth reporting. */
  if (self->reason == NULL)
    self->reason = g_strdup (reason);
}

static void
push_field (BiDelimitedReader *self)
{
  if (self->fields->len >= BI_DELIMITED_MAX_FIELDS)
    set_reason (self, "the row has too many fields");
  else
    g_ptr_array_add (self->fields, g_strndup (self->field->str, self->field->len));
  g_string_truncate (self->field, 0);
}

static void
append_to_field (BiDelimitedReader *self,
                 const char        *text,
                 gsize              length)
{
  if (self->field->len + length > BI_DELIMITED_MAX_LINE)
    set_reason (self, "a field is longer than 64 KiB");
  else
    g_string_append_len (self->field, text, (gssize) length);
}

/* The first line decides the delimiter; a UTF-8 byte order mark before it is dropped. */
static void
detect_delimiter (BiDelimitedReader *self)
{
  if (g_str_has_prefix (self->line->str, "\xEF\xBB\xBF"))
    g_string_erase (self->line, 0, 3);
  self->delimiter = memchr (self->line->str, '\t', self->line->len) != NULL ? '\t' : ',';
}

BiDelimitedStatus
bi_delimited_reader_next (BiDelimitedReader  *self,
                          GPtrArray         **fields,
                          const char        **reason,
                          GError            **error)
{
  gboolean in_quotes = FALSE;
  gboolean after_quote = FALSE;
  gboolean started = FALSE;

  g_return_val_if_fail (self != NULL, BI_DELIMITED_ERROR);

  g_ptr_array_set_size (self->fields, 0);
  g_string_truncate (self->field, 0);
  g_clear_pointer (&self->reason, g_free);

  for (;;)
    {
      gboolean too_long = FALSE;
      g_autoptr(GError) local_error = NULL;

      if (!read_line (self, &too_long, &local_error))
        {
          if (local_error != NULL)
            {
              g_propagate_error (error, g_steal_pointer (&local_error));
              return BI_DELIMITED_ERROR;
            }
          if (!started)
            return BI_DELIMITED_END;
          set_reason (self, "a quoted field is not closed before the end of the file");
          break;
        }

      if (self->delimiter == 0)
        detect_delimiter (self);

      /* Blank lines between records carry nothing. */
      if (!started && self->line->len == 0 && !too_long)
        continue;
      if (!started)
        {
          started = TRUE;
          self->record_line = bi_line_reader_get_line_number (self->lines);
        }

      if (too_long)
        set_reason (self, "a line is longer than 64 KiB");
      if (!g_utf8_validate_len (self->line->str, self->line->len, NULL))
        set_reason (self, "the row is not valid UTF-8");

      for (gsize i = 0; i < self->line->len; i++)
        {
          char c = self->line->str[i];

          if (in_quotes)
            {
              if (c != '"')
                {
                  append_to_field (self, &c, 1);
                }
              else if (i + 1 < self->line->len && self->line->str[i + 1] == '"')
                {
                  append_to_field (self, "\"", 1);
                  i++;
                }
              else
                {
                  in_quotes = FALSE;
                  after_quote = TRUE;
                }
            }
          else if (c == self->delimiter)
            {
              push_field (self);
              after_quote = FALSE;
            }
          else if (after_quote)
            {
              set_reason (self, "there is text after the closing quote of a field");
            }
          else if (c == '"' && self->field->len == 0)
            {
              in_quotes = TRUE;
            }
          else
            {
              /* A quote inside an unquoted field is taken literally, as most writers mean it. */
              append_to_field (self, &c, 1);
            }
        }

      if (!in_quotes)
        break;
      append_to_field (self, "\n", 1);
    }

  push_field (self);

  if (self->reason != NULL)
    {
      if (reason != NULL)
        *reason = self->reason;
      return BI_DELIMITED_MALFORMED;
    }

  if (fields != NULL)
    *fields = self->fields;
  return BI_DELIMITED_RECORD;
}
