/* bi-export-ris.c — RIS records (Research Information Systems), for reference managers
 *
 * Per the RIS specification: each line is a two-character tag, two spaces, "-", a space and
 * the value, ending in CRLF; a record starts with "TY  - BOOK" and ends with "ER  - ". Tags
 * used: TI title, AU one per author ("Family, Given"), PY year, SN ISBN. Values are one line.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-export-ris"

#include "bi-export-writers.h"

#include "bi-export-normalize.h"

static void
append_line (GString    *out,
             const char *tag,
             const char *value)
{
  g_autofree char *line = bi_export_text_one_line (value);

  g_string_append_printf (out, "%s  - %s\r\n", tag, line);
}

static char *
family_given (const char *name)
{
  g_autofree char *family = NULL;
  g_autofree char *given = NULL;

  bi_export_split_name (name, &family, &given);
  return *given != '\0' ? g_strconcat (family, ", ", given, NULL) : g_steal_pointer (&family);
}

guint
bi_export_write_ris (GPtrArray *books,
                     GString   *out,
                     GPtrArray *skipped)
{
  for (guint i = 0; i < books->len; i++)
    {
      BiExportBook *book = g_ptr_array_index (books, i);
      g_autofree char *year = bi_export_book_dup_year (book);

      append_line (out, "TY", "BOOK");
      append_line (out, "TI", book->title);
      for (guint a = 0; book->authors[a] != NULL; a++)
        {
          g_autofree char *author = family_given (book->authors[a]);

          append_line (out, "AU", author);
        }
      if (*year != '\0')
        append_line (out, "PY", year);
      if (book->isbn13 != NULL)
        append_line (out, "SN", book->isbn13);
      /* The spec's end tag has an empty value, but keeps the space after the hyphen. */
      append_line (out, "ER", "");
    }

  return books->len;
}
