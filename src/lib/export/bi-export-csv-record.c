/* bi-export-csv-record.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-export-csv-record"

#include "bi-export-csv-record.h"

void
bi_export_csv_append_field (GString    *out,
                            const char *value)
{
  g_autofree char *valid = g_utf8_make_valid (value != NULL ? value : "", -1);
  gsize start = out->len;
  gboolean needs_quotes = FALSE;

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) && c != '\r' && c != '\n' && c != '\t')
        c = ' ';
      if (c == '"' || c == ',' || c == '\r' || c == '\n')
        needs_quotes = TRUE;
      if (c == '"')
        g_string_append_c (out, '"');
      g_string_append_unichar (out, c);
    }

  if (needs_quotes)
    {
      g_string_insert_c (out, (gssize) start, '"');
      g_string_append_c (out, '"');
    }
}

void
bi_export_csv_append_record (GString           *out,
                             const char *const *fields,
                             guint              n_fields)
{
  for (guint i = 0; i < n_fields; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      bi_export_csv_append_field (out, fields[i]);
    }
  g_string_append (out, "\r\n");
}
