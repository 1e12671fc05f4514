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

#define MAX_TEXT_LENGTH BI_CATALOG_MAX_TEXT_LENGTH
/* Longest shelf mark kept: call numbers are a few words; a longer cell is a note, not one. */
#define MAX_SHELF_MARK_LENGTH 64

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
bi_catalog_skip (char       **reason,
                 const char  *format,
                 ...)
{
  va_list args;

  va_start (args, format);
  *reason = g_strdup_vprintf (format, args);
  va_end (args);
  return FALSE;
}

const char *
bi_catalog_format_kind_to_string (BiCatalogFormatKind kind)
{
  switch (kind)
    {
    case BI_CATALOG_FORMAT_GOODBOOKS:
      return "goodbooks TSV";
    case BI_CATALOG_FORMAT_LLABRES:
      return "llabres CSV";
    case BI_CATALOG_FORMAT_GOODREADS:
      return "Goodreads CSV";
    case BI_CATALOG_FORMAT_LIBIB:
      return "Libib CSV";
    case BI_CATALOG_FORMAT_BOOKIMG:
    default:
      return "BookImg catalog TSV";
    }
}

/* Our own format is defined by its exact header, so a file that only looks like it (another
 * order, an extra column) is not read with the wrong meaning; the shelf mark, added later,
 * is an optional last column so older files stay valid. */
static gboolean
is_bookimg_header (const GPtrArray *header)
{
  static const char *const columns[] = { "id", "title", "authors", "year", "isbn13",
                                         "shelf_mark" };

  if (header->len != G_N_ELEMENTS (columns) - 1 && header->len != G_N_ELEMENTS (columns))
    return FALSE;
  for (guint i = 0; i < header->len; i++)
    if (strcmp (g_ptr_array_index (header, i), columns[i]) != 0)
      return FALSE;
  return TRUE;
}

static void
detect_tab_separated (const GPtrArray *header,
                      BiCatalogFormat *format)
{
  if (is_bookimg_header (header))
    {
      format->kind = BI_CATALOG_FORMAT_BOOKIMG;
      format->id = 0;
      format->authors = 2;
      format->year = 3;
      format->isbn13 = 4;
      format->shelf_mark = header->len > 5 ? 5 : -1;
      return;
    }

  format->kind = BI_CATALOG_FORMAT_GOODBOOKS;
  format->id = find_column (header, "book_id");
  format->original_title = find_column (header, "original_title");
  format->authors = find_column (header, "authors");
  format->year = find_column (header, "year");
  format->isbn13 = find_column (header, "isbn13");
  format->isbn10 = find_column (header, "isbn10");
}

/* Goodreads' and Libib's own columns are checked before llabres' (title, author, isbn): the
 * Goodreads template has those three as well. */
static void
detect_comma_separated (const GPtrArray *header,
                        BiCatalogFormat *format)
{
  int book_id = find_column (header, "Book Id");
  int year_published = find_column (header, "Year Published");

  if (book_id >= 0 || year_published >= 0)
    {
      format->kind = BI_CATALOG_FORMAT_GOODREADS;
      format->id = book_id;
      format->authors = find_column (header, "Author");
      format->additional_authors = find_column (header, "Additional Authors");
      format->year = find_column (header, "Original Publication Year");
      format->year_fallback = year_published;
      format->isbn13 = find_column (header, "ISBN13");
      format->isbn10 = find_column (header, "ISBN");
      return;
    }

  format->authors = find_column (header, "creators");
  format->isbn13 = find_column (header, "ean_isbn13");
  if (format->authors >= 0 && format->isbn13 >= 0)
    {
      format->kind = BI_CATALOG_FORMAT_LIBIB;
      format->isbn10 = find_column (header, "upc_isbn10");
      format->year = find_column (header, "publish_date");
      format->item_type = find_column (header, "item_type");
      format->shelf_mark = find_column (header, "call_numbers");
      return;
    }

  format->kind = BI_CATALOG_FORMAT_LLABRES;
  format->authors = find_column (header, "author");
  format->isbn13 = find_column (header, "isbn");
  format->shelf_mark = find_column (header, "tag");
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
  format->additional_authors = -1;
  format->year = -1;
  format->year_fallback = -1;
  format->isbn13 = -1;
  format->isbn10 = -1;
  format->item_type = -1;
  format->shelf_mark = -1;
  format->title = find_column (header, "title");

  if (delimiter == '\t')
    detect_tab_separated (header, format);
  else
    detect_comma_separated (header, format);

  if (format->title >= 0 && format->authors >= 0 &&
      (format->kind != BI_CATALOG_FORMAT_GOODBOOKS || format->id >= 0) &&
      (format->kind != BI_CATALOG_FORMAT_LLABRES || format->isbn13 >= 0))
    return TRUE;

  g_set_error (error, BI_CATALOG_ERROR, BI_CATALOG_ERROR_FORMAT,
               "The file is not a catalog BookImg can import: its first line does not name "
               "the columns of any format it knows. Give %s.", BI_CATALOG_FORMATS_ACCEPTED);
  return FALSE;
}

static const char *
field_at (const GPtrArray *fields,
          int              column)
{
  return column >= 0 ? g_ptr_array_index (fields, column) : NULL;
}

char *
bi_catalog_clean_text (const char *text)
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
  g_autofree char *clean = bi_catalog_clean_text (text);
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

/* The year a date starts with: "2008-10-01", "2008" (Libib's publish_date). */
static gboolean
parse_date_year (const char *text,
                 int        *year)
{
  g_autofree char *clean = bi_catalog_clean_text (text);
  gsize digits;

  *year = 0;
  if (clean == NULL)
    return TRUE;

  digits = strspn (clean, "0123456789");
  if (digits < 1 || digits > 4 || (clean[digits] != '\0' && clean[digits] != '-'))
    return FALSE;
  *year = atoi (clean);
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

  surname = bi_catalog_clean_text (parts[0]);
  if (surname == NULL)
    return NULL;
  /* After the given name come life dates and epithets ("sant"): not part of the name. */
  if (parts[1] != NULL && !is_life_dates (parts[1]))
    given = bi_catalog_clean_text (parts[1]);

  if (given == NULL)
    return g_steal_pointer (&surname);
  return g_strdup_printf ("%s %s", given, surname);
}

/* Adds the names in @text separated by @separator (NULL: @text is one name), each cleaned;
 * empty ones are dropped. */
static void
add_names (GStrvBuilder *builder,
           const char   *text,
           const char   *separator)
{
  g_auto(GStrv) names = NULL;

  if (text == NULL)
    return;

  if (separator == NULL)
    {
      g_autofree char *name = bi_catalog_clean_text (text);

      if (name != NULL)
        g_strv_builder_add (builder, name);
      return;
    }

  names = g_strsplit (text, separator, -1);
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *name = bi_catalog_clean_text (names[i]);

      if (name != NULL)
        g_strv_builder_add (builder, name);
    }
}

static char **
parse_authors (const BiCatalogFormat *format,
               const GPtrArray       *fields)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  const char *text = field_at (fields, format->authors);

  switch (format->kind)
    {
    case BI_CATALOG_FORMAT_LLABRES:
      {
        g_autofree char *author = text != NULL ? author_from_inverted (text) : NULL;

        if (author != NULL)
          g_strv_builder_add (builder, author);
      }
      break;
    case BI_CATALOG_FORMAT_GOODREADS:
      /* Author is one name; Additional Authors a list. */
      add_names (builder, text, NULL);
      add_names (builder, field_at (fields, format->additional_authors), ",");
      break;
    case BI_CATALOG_FORMAT_BOOKIMG:
      add_names (builder, text, ";");
      break;
    case BI_CATALOG_FORMAT_GOODBOOKS:
    case BI_CATALOG_FORMAT_LIBIB:
    default:
      add_names (builder, text, ",");
      break;
    }

  return g_strv_builder_end (builder);
}

static char *
hashed_source_id (const GPtrArray       *fields,
                  const BiCatalogFormat *format,
                  const char            *prefix)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  /* A second ISBN column only where there is one, so llabres' ids stay what they were. */
  const int columns[] = { format->title, format->authors, format->isbn13, format->isbn10 };

  for (guint i = 0; i < G_N_ELEMENTS (columns) && (i < 3 || columns[i] >= 0); i++)
    {
      g_autofree char *value = bi_catalog_clean_text (field_at (fields, columns[i]));

      /* The separator keeps ("ab", "c") and ("a", "bc") apart. */
      g_checksum_update (checksum, (const guchar *) (value != NULL ? value : ""), -1);
      g_checksum_update (checksum, (const guchar *) "\x1f", 1);
    }

  return g_strdup_printf ("%s:%.16s", prefix, g_checksum_get_string (checksum));
}

/* Goodreads writes ISBN cells as ="0439023483" so spreadsheets keep them as text. */
static const char *
unwrap_spreadsheet_text (const char *cell,
                         char      **unwrapped)
{
  gsize length;

  if (cell == NULL || !g_str_has_prefix (cell, "=\""))
    return cell;
  length = strlen (cell);
  if (length < 3 || cell[length - 1] != '"')
    return cell;
  *unwrapped = g_strndup (cell + 2, length - 3);
  return *unwrapped;
}

static char *
parse_isbn (const BiCatalogFormat *format,
            const GPtrArray       *fields,
            int                    column)
{
  g_autofree char *unwrapped = NULL;
  const char *cell = field_at (fields, column);

  if (format->kind == BI_CATALOG_FORMAT_GOODREADS)
    cell = unwrap_spreadsheet_text (cell, &unwrapped);
  return bi_isbn_to_isbn13 (cell);
}

static gboolean
parse_record_year (const BiCatalogFormat  *format,
                   const GPtrArray        *fields,
                   BiCatalogRecord        *record,
                   char                  **reason)
{
  const char *text = field_at (fields, format->year);
  gboolean ok;

  if (format->kind == BI_CATALOG_FORMAT_LIBIB)
    ok = parse_date_year (text, &record->year);
  else
    ok = parse_year (text, &record->year);
  if (!ok)
    return bi_catalog_skip (reason, "the year \"%.32s\" is not a whole number", text);

  /* Goodreads exports often leave the original year empty and give the edition's. */
  if (record->year == 0 && format->year_fallback >= 0)
    {
      text = field_at (fields, format->year_fallback);
      if (!parse_year (text, &record->year))
        return bi_catalog_skip (reason, "the year \"%.32s\" is not a whole number", text);
    }
  return TRUE;
}

/* The id of a book in the formats that have one; NULL (with @reason) when it is not usable. */
static char *
parse_id (const BiCatalogFormat  *format,
          const GPtrArray        *fields,
          char                  **reason)
{
  const char *id = field_at (fields, format->id);
  gsize length = id != NULL ? strlen (id) : 0;

  if (format->kind == BI_CATALOG_FORMAT_BOOKIMG)
    {
      /* Ours: any short word, so ids can be readable ("dune-1965"). */
      if (length == 0 || length > 64 || strpbrk (id, " \t\r\n") != NULL)
        {
          bi_catalog_skip (reason, "the id \"%.32s\" is empty, has blanks or is longer than "
                           "64 bytes", id != NULL ? id : "");
          return NULL;
        }
      return g_strdup_printf ("bookimg:%s", id);
    }

  if (length == 0 || length > 18 || strspn (id, "0123456789") != length)
    {
      bi_catalog_skip (reason, "the %s \"%.32s\" is not a number",
                       format->kind == BI_CATALOG_FORMAT_GOODREADS ? "Book Id" : "book_id",
                       id != NULL ? id : "");
      return NULL;
    }
  return g_strdup_printf ("%s:%s",
                          format->kind == BI_CATALOG_FORMAT_GOODREADS ? "goodreads" : "goodbooks",
                          id);
}

gboolean
bi_catalog_record_parse (const BiCatalogFormat  *format,
                         const GPtrArray        *fields,
                         BiCatalogRecord        *record,
                         char                  **reason)
{
  const char *item_type;

  g_return_val_if_fail (format != NULL && fields != NULL && record != NULL, FALSE);
  g_return_val_if_fail (reason != NULL, FALSE);

  memset (record, 0, sizeof *record);

  if (fields->len != format->n_columns)
    return bi_catalog_skip (reason, "the row has %u fields where the header names %u",
                            fields->len, format->n_columns);

  item_type = field_at (fields, format->item_type);
  if (item_type != NULL && g_ascii_strcasecmp (item_type, "book") != 0)
    return bi_catalog_skip (reason, "the item is a \"%.32s\", not a book", item_type);

  record->title = bi_catalog_clean_text (field_at (fields, format->title));
  if (record->title == NULL)
    return bi_catalog_skip (reason, "the title is empty");
  if (strlen (record->title) > MAX_TEXT_LENGTH)
    return bi_catalog_skip (reason, "the title is longer than %d bytes", MAX_TEXT_LENGTH);

  record->original_title = bi_catalog_clean_text (field_at (fields, format->original_title));
  if (g_strcmp0 (record->original_title, record->title) == 0 ||
      (record->original_title != NULL && strlen (record->original_title) > MAX_TEXT_LENGTH))
    g_clear_pointer (&record->original_title, g_free);

  if (!parse_record_year (format, fields, record, reason))
    return FALSE;

  record->authors = parse_authors (format, fields);
  for (guint i = 0; record->authors[i] != NULL; i++)
    if (strlen (record->authors[i]) > MAX_TEXT_LENGTH)
      return bi_catalog_skip (reason, "an author's name is longer than %d bytes", MAX_TEXT_LENGTH);

  record->isbn13 = parse_isbn (format, fields, format->isbn13);
  if (format->kind == BI_CATALOG_FORMAT_BOOKIMG)
    {
      /* Our own files are written by a program: a wrong ISBN is a bug to report, not a note. */
      const char *isbn13 = field_at (fields, format->isbn13);

      if (isbn13 != NULL && isbn13[0] != '\0' && !bi_isbn13_is_valid (isbn13))
        return bi_catalog_skip (reason, "the isbn13 \"%.32s\" is not 13 digits with a correct "
                                "check digit", isbn13);
    }
  else if (record->isbn13 == NULL)
    {
      record->isbn13 = parse_isbn (format, fields, format->isbn10);
    }

  /* Not part of the hashed source id: a book keeps its id when its library moves it. */
  record->shelf_mark = bi_catalog_clean_text (field_at (fields, format->shelf_mark));
  if (record->shelf_mark != NULL && strlen (record->shelf_mark) > MAX_SHELF_MARK_LENGTH)
    g_clear_pointer (&record->shelf_mark, g_free);

  switch (format->kind)
    {
    case BI_CATALOG_FORMAT_LLABRES:
      record->source_id = hashed_source_id (fields, format, "llabres");
      break;
    case BI_CATALOG_FORMAT_LIBIB:
      record->source_id = hashed_source_id (fields, format, "libib");
      break;
    case BI_CATALOG_FORMAT_GOODREADS:
      if (format->id < 0)
        {
          record->source_id = hashed_source_id (fields, format, "goodreads");
          break;
        }
      G_GNUC_FALLTHROUGH;
    case BI_CATALOG_FORMAT_GOODBOOKS:
    case BI_CATALOG_FORMAT_BOOKIMG:
    default:
      record->source_id = parse_id (format, fields, reason);
      break;
    }
  return record->source_id != NULL;
}

void
bi_catalog_record_clear (BiCatalogRecord *record)
{
  g_clear_pointer (&record->source_id, g_free);
  g_clear_pointer (&record->title, g_free);
  g_clear_pointer (&record->original_title, g_free);
  g_clear_pointer (&record->authors, g_strfreev);
  g_clear_pointer (&record->isbn13, g_free);
  g_clear_pointer (&record->shelf_mark, g_free);
}
