/* bi-catalog-format.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-catalog-format"

#include "bi-catalog-format.h"
#include "bi-catalog-error.h"
#include "bi-isbn.h"

#include <stdlib.h>
#include <string.h>

/* Longest title or author name kept; longer values are not bibliographic data. */
#define MAX_TEXT_LENGTH 2048

static int
find_column (const GPtrArray *header,
             const char      *name)
{
  for (guint i = 0; i < header->len; i++)
    {
      g_autofree char *column = g_strstrip (g_strdup (g_ptr_array_index (header, i)));

      if (g_ascii_strcasecmp (column, name) == 0)
        return (int) i;
    }
  return -1;
}

gboolean
bi_catalog_format_detect (const GPtrArray  *header,
                          char              delimiter,
                          BiCatalogFormat  *format,
                          GError          **error)
{
  g_return_val_if_fail (header != NULL, FALSE);
  g_return_val_if_fail (format != NULL, FALSE);

  memset (format, 0, sizeof *format);
  format->n_columns = header->len;
  format->id = -1;
  format->original_title = -1;
  format->year = -1;
  format->isbn10 = -1;
  format->title = find_column (header, "title");

  if (delimiter == '\t')
    {
      format->kind = BI_CATALOG_FORMAT_GOODBOOKS;
      format->id = find_column (header, "book_id");
      format->original_title = find_column (header, "original_title");
      format->authors = find_column (header, "authors");
      format->year = find_column (header, "year");
      format->isbn13 = find_column (header, "isbn13");
      format->isbn10 = find_column (header, "isbn10");
      if (format->id >= 0 && format->title >= 0 && format->authors >= 0)
        return TRUE;
    }
  else if (delimiter == ',')
    {
      format->kind = BI_CATALOG_FORMAT_LLABRES;
      format->authors = find_column (header, "author");
      format->isbn13 = find_column (header, "isbn");
      if (format->title >= 0 && format->authors >= 0 && format->isbn13 >= 0)
        return TRUE;
    }

  g_set_error_literal (error, BI_CATALOG_ERROR, BI_CATALOG_ERROR_FORMAT,
                       "The file is not a catalog BookImg can import: its first line must "
                       "name the columns, either tab-separated with book_id, title and "
                       "authors (goodbooks) or comma-separated with title, author and isbn "
                       "(llabres).");
  return FALSE;
}

static const char *
field_at (const GPtrArray *fields,
          int              column)
{
  return column >= 0 ? g_ptr_array_index (fields, column) : NULL;
}

/* Trimmed, every run of blanks or control characters one space; NULL when nothing is left. */
static char *
clean_text (const char *text)
{
  GString *clean;
  gboolean blank = FALSE;

  if (text == NULL)
    return NULL;

  clean = g_string_sized_new (strlen (text));
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c) || g_unichar_iscntrl (c))
        {
          blank = TRUE;
          continue;
        }
      if (blank && clean->len > 0)
        g_string_append_c (clean, ' ');
      blank = FALSE;
      g_string_append_unichar (clean, c);
    }

  if (clean->len == 0)
    {
      g_string_free (clean, TRUE);
      return NULL;
    }
  return g_string_free (clean, FALSE);
}

/* A year, possibly written as a float ("1997.0"); negative years are BC. */
static gboolean
parse_year (const char *text,
            int        *year)
{
  g_autofree char *clean = clean_text (text);
  char *end = NULL;
  double value;

  *year = 0;
  if (clean == NULL)
    return TRUE;

  value = g_ascii_strtod (clean, &end);
  if (end == clean || *end != '\0' || value != (int) value || value < -5000 || value > 3000)
    return FALSE;

  *year = (int) value;
  return TRUE;
}

/* "Bunge, Mario, 1919-2020" → "Mario Bunge". */
static gboolean
is_life_dates (const char *part)
{
  gboolean digit = FALSE;

  for (const char *p = part; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        digit = TRUE;
      else if (strchr ("?-. ", *p) == NULL)
        return FALSE;
    }
  return digit;
}

/* Removes parenthesised qualifiers: "Pardo, José Luis (Filòsof)" → "Pardo, José Luis". */
static char *
drop_parentheses (const char *text)
{
  GString *out = g_string_sized_new (strlen (text));
  int depth = 0;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '(')
        depth++;
      else if (*p == ')' && depth > 0)
        depth--;
      else if (depth == 0)
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static char *
author_from_inverted (const char *text)
{
  g_autofree char *plain = drop_parentheses (text);
  g_auto(GStrv) parts = g_strsplit (plain, ",", -1);
  g_autofree char *surname = NULL;
  g_autofree char *given = NULL;

  for (guint i = 0; parts[i] != NULL; i++)
    g_strstrip (parts[i]);

  surname = clean_text (parts[0]);
  if (surname == NULL)
    return NULL;
  /* After the given name come life dates and epithets ("sant"): not part of the name. */
  if (parts[1] != NULL && !is_life_dates (parts[1]))
    given = clean_text (parts[1]);

  if (given == NULL)
    return g_steal_pointer (&surname);
  return g_strdup_printf ("%s %s", given, surname);
}

static char **
parse_authors (const BiCatalogFormat *format,
               const char            *text)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  if (format->kind == BI_CATALOG_FORMAT_LLABRES)
    {
      g_autofree char *author = text != NULL ? author_from_inverted (text) : NULL;

      if (author != NULL)
        g_strv_builder_add (builder, author);
    }
  else if (text != NULL)
    {
      g_auto(GStrv) names = g_strsplit (text, ",", -1);

      for (guint i = 0; names[i] != NULL; i++)
        {
          g_autofree char *name = clean_text (names[i]);

          if (name != NULL)
            g_strv_builder_add (builder, name);
        }
    }

  return g_strv_builder_end (builder);
}

static char *
llabres_source_id (const GPtrArray       *fields,
                   const BiCatalogFormat *format)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  const int columns[] = { format->title, format->authors, format->isbn13 };

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      g_autofree char *value = clean_text (field_at (fields, columns[i]));

      /* The separator keeps ("ab", "c") and ("a", "bc") apart. */
      g_checksum_update (checksum, (const guchar *) (value != NULL ? value : ""), -1);
      g_checksum_update (checksum, (const guchar *) "\x1f", 1);
    }

  return g_strdup_printf ("llabres:%.16s", g_checksum_get_string (checksum));
}

static gboolean
fail (char       **reason,
      const char  *format,
      ...) G_GNUC_PRINTF (2, 3);

static gboolean
fail (char       **reason,
      const char  *format,
      ...)
{
  va_list args;

  va_start (args, format);
  *reason = g_strdup_vprintf (format, args);
  va_end (args);
  return FALSE;
}

gboolean
bi_catalog_record_parse (const BiCatalogFormat  *format,
                         const GPtrArray        *fields,
                         BiCatalogRecord        *record,
                         char                  **reason)
{
  const char *id;

  g_return_val_if_fail (format != NULL && fields != NULL && record != NULL, FALSE);
  g_return_val_if_fail (reason != NULL, FALSE);

  memset (record, 0, sizeof *record);

  if (fields->len != format->n_columns)
    return fail (reason, "the row has %u fields where the header names %u",
                 fields->len, format->n_columns);

  record->title = clean_text (field_at (fields, format->title));
  if (record->title == NULL)
    return fail (reason, "the title is empty");
  if (strlen (record->title) > MAX_TEXT_LENGTH)
    return fail (reason, "the title is longer than %d bytes", MAX_TEXT_LENGTH);

  record->original_title = clean_text (field_at (fields, format->original_title));
  if (g_strcmp0 (record->original_title, record->title) == 0 ||
      (record->original_title != NULL && strlen (record->original_title) > MAX_TEXT_LENGTH))
    g_clear_pointer (&record->original_title, g_free);

  if (!parse_year (field_at (fields, format->year), &record->year))
    return fail (reason, "the year \"%s\" is not a whole number",
                 field_at (fields, format->year));

  record->authors = parse_authors (format, field_at (fields, format->authors));
  for (guint i = 0; record->authors[i] != NULL; i++)
    if (strlen (record->authors[i]) > MAX_TEXT_LENGTH)
      return fail (reason, "an author's name is longer than %d bytes", MAX_TEXT_LENGTH);

  record->isbn13 = bi_isbn_to_isbn13 (field_at (fields, format->isbn13));
  if (record->isbn13 == NULL)
    record->isbn13 = bi_isbn_to_isbn13 (field_at (fields, format->isbn10));

  if (format->kind == BI_CATALOG_FORMAT_LLABRES)
    {
      record->source_id = llabres_source_id (fields, format);
      return TRUE;
    }

  id = field_at (fields, format->id);
  if (id == NULL || id[0] == '\0' || strlen (id) > 18 ||
      strspn (id, "0123456789") != strlen (id))
    return fail (reason, "the book_id \"%.32s\" is not a number", id != NULL ? id : "");
  record->source_id = g_strdup_printf ("goodbooks:%s", id);
  return TRUE;
}

void
bi_catalog_record_clear (BiCatalogRecord *record)
{
  g_clear_pointer (&record->source_id, g_free);
  g_clear_pointer (&record->title, g_free);
  g_clear_pointer (&record->original_title, g_free);
  g_clear_pointer (&record->authors, g_strfreev);
  g_clear_pointer (&record->isbn13, g_free);
}
