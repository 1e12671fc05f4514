/* bi-export-bibtex.c — @book entries for BibTeX and biblatex
 *
 * @book{key, author = {…}, title = {…}, year = {…}, isbn = {…}}: keys from
 * bi-export-citation-key.h; values in braces (the title in two, to keep its case), UTF-8
 * (biber, pandoc and modern LaTeX read it),
 * with TeX's special characters escaped so that a title such as "Ça & «ça» {x} 100%" comes
 * back the same from a BibTeX reader. Names are written "{Family}, Given", the braces keep a
 * family name of several words ("Le Guin") or one holding "and" in one piece.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-export-bibtex"

#include "bi-export-writers.h"

#include "bi-export-citation-key.h"
#include "bi-export-normalize.h"

/* TeX's special characters; everything else (UTF-8 letters, quotes, commas) is itself. */
static void
append_escaped (GString    *out,
                const char *text)
{
  g_autofree char *line = bi_export_text_one_line (text);

  for (const char *p = line; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '{': case '}': case '&': case '%': case '#': case '_': case '$':
          g_string_append_c (out, '\\');
          g_string_append_c (out, *p);
          break;
        case '\\':
          g_string_append (out, "{\\textbackslash}");
          break;
        case '~':
          g_string_append (out, "{\\textasciitilde}");
          break;
        case '^':
          g_string_append (out, "{\\textasciicircum}");
          break;
        case '"':
          /* Braced, a quote cannot end a value delimited by quotes in a reader that allows
           * them, and stays a literal quote. */
          g_string_append (out, "{\"}");
          break;
        default:
          g_string_append_c (out, *p);
          break;
        }
    }
}

static void
append_authors (GString      *out,
                BiExportBook *book)
{
  g_string_append (out, "  author = {");
  for (guint i = 0; book->authors[i] != NULL; i++)
    {
      g_autofree char *family = NULL;
      g_autofree char *given = NULL;

      bi_export_split_name (book->authors[i], &family, &given);
      if (i > 0)
        g_string_append (out, " and ");
      g_string_append_c (out, '{');
      append_escaped (out, family);
      g_string_append_c (out, '}');
      if (*given != '\0')
        {
          g_string_append (out, ", ");
          append_escaped (out, given);
        }
    }
  g_string_append (out, "},\n");
}

guint
bi_export_write_bibtex (GPtrArray *books,
                        GString   *out,
                        GPtrArray *skipped)
{
  g_auto(GStrv) keys = bi_export_citation_keys (books);

  for (guint i = 0; i < books->len; i++)
    {
      BiExportBook *book = g_ptr_array_index (books, i);

      if (i > 0)
        g_string_append_c (out, '\n');
      g_string_append_printf (out, "@book{%s,\n", keys[i]);
      if (book->authors[0] != NULL)
        append_authors (out, book);
      /* Double braces: BibTeX styles (and pandoc) change the case of a title in single
       * braces ("The colour of magic"); a title read from a spine is already as printed. */
      g_string_append (out, "  title = {{");
      append_escaped (out, book->title);
      g_string_append (out, "}},\n");
      if (book->year > 0)
        g_string_append_printf (out, "  year = {%d},\n", book->year);
      if (book->isbn13 != NULL)
        g_string_append_printf (out, "  isbn = {%s},\n", book->isbn13);
      g_string_append (out, "}\n");
    }

  return books->len;
}
