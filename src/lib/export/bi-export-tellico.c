/* bi-export-tellico.c — a Tellico bibliography (XML, Tellico's DTD version 11)
 *
 * One <collection type="5"> (Tellico's bibliography, its BibTeX collection) declaring the
 * fields it uses — title, author (several), year, isbn, entry-type, bibtex-key — each with
 * its BibTeX name, then one <entry> per book. Valid against tellico.dtd from tellico-data.
 * Text is escaped for XML, and characters XML 1.0 forbids (control characters from OCR) are
 * replaced, since an escaped one (&#x1;) would still be invalid.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-export-tellico"

#include "bi-export-writers.h"

#include "bi-export-citation-key.h"
#include "bi-export-normalize.h"

/* Tellico's Collection::Bibtex, and field types/flags/formats from its Field class. */
#define COLLECTION_BIBTEX "5"
#define FIELD_TYPE_LINE "1"
#define FIELD_TYPE_NUMBER "6"
#define FIELD_FLAG_MULTIPLE_GROUPED_COMPLETION "7"
#define FIELD_FLAG_GROUPED "2"
#define FIELD_FLAG_NONE "0"
#define FIELD_FORMAT_TITLE "1"
#define FIELD_FORMAT_NAME "2"
#define FIELD_FORMAT_PLAIN "4"

typedef struct
{
  const char *name;     /* the element an entry uses (plural for multiple: "authors") */
  const char *title;
  const char *category;
  const char *flags;
  const char *format;
  const char *type;
} FieldInfo;

static const FieldInfo fields[] = {
  { "title", "Title", "General", FIELD_FLAG_NONE, FIELD_FORMAT_TITLE, FIELD_TYPE_LINE },
  { "author", "Author", "General", FIELD_FLAG_MULTIPLE_GROUPED_COMPLETION, FIELD_FORMAT_NAME,
    FIELD_TYPE_LINE },
  { "year", "Year", "Publishing", FIELD_FLAG_GROUPED, FIELD_FORMAT_PLAIN, FIELD_TYPE_NUMBER },
  { "isbn", "ISBN#", "Publishing", FIELD_FLAG_NONE, FIELD_FORMAT_PLAIN, FIELD_TYPE_LINE },
  { "entry-type", "Entry Type", "General", FIELD_FLAG_GROUPED, FIELD_FORMAT_PLAIN,
    FIELD_TYPE_LINE },
  { "bibtex-key", "Bibtex Key", "General", FIELD_FLAG_NONE, FIELD_FORMAT_PLAIN,
    FIELD_TYPE_LINE },
};

static void
append_element (GString    *out,
                const char *indent,
                const char *name,
                const char *text)
{
  g_autofree char *line = bi_export_text_one_line (text);
  g_autofree char *escaped = g_markup_escape_text (line, -1);

  g_string_append_printf (out, "%s<%s>%s</%s>\n", indent, name, escaped, name);
}

static void
append_fields (GString *out)
{
  g_string_append (out, "  <fields>\n");
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      g_string_append_printf (out, "   <field name=\"%s\" title=\"%s\" category=\"%s\" "
                              "flags=\"%s\" format=\"%s\" type=\"%s\">\n",
                              fields[i].name, fields[i].title, fields[i].category,
                              fields[i].flags, fields[i].format, fields[i].type);
      g_string_append_printf (out, "    <prop name=\"bibtex\">%s</prop>\n", fields[i].name);
      g_string_append (out, "   </field>\n");
    }
  g_string_append (out, "  </fields>\n");
}

static void
append_entry (GString      *out,
              BiExportBook *book,
              guint         id,
              const char   *key)
{
  g_autofree char *year = bi_export_book_dup_year (book);

  g_string_append_printf (out, "  <entry id=\"%u\">\n", id);
  append_element (out, "   ", "title", book->title);
  if (book->authors[0] != NULL)
    {
      g_string_append (out, "   <authors>\n");
      for (guint a = 0; book->authors[a] != NULL; a++)
        append_element (out, "    ", "author", book->authors[a]);
      g_string_append (out, "   </authors>\n");
    }
  if (*year != '\0')
    append_element (out, "   ", "year", year);
  if (book->isbn13 != NULL)
    append_element (out, "   ", "isbn", book->isbn13);
  append_element (out, "   ", "entry-type", "book");
  append_element (out, "   ", "bibtex-key", key);
  g_string_append (out, "  </entry>\n");
}

guint
bi_export_write_tellico (GPtrArray *books,
                         GString   *out,
                         GPtrArray *skipped)
{
  g_auto(GStrv) keys = bi_export_citation_keys (books);

  g_string_append (out,
                   "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                   "<!DOCTYPE tellico PUBLIC \"-//Robby Stephenson/DTD Tellico V11.0//EN\" "
                   "\"http://periapsis.org/tellico/dtd/v11/tellico.dtd\">\n"
                   "<tellico xmlns=\"http://periapsis.org/tellico/\" syntaxVersion=\"11\">\n"
                   " <collection title=\"BookImg\" type=\"" COLLECTION_BIBTEX "\">\n");
  append_fields (out);
  for (guint i = 0; i < books->len; i++)
    append_entry (out, g_ptr_array_index (books, i), i + 1, keys[i]);
  g_string_append (out, " </collection>\n</tellico>\n");

  return books->len;
}
