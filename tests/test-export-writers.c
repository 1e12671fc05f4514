/* test-export-writers.c — each format against its published rules, every title intact
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-export.h"
#include "bi-export-citation-key.h"
#include "bi-export-csv-record.h"
#include "bi-export-error.h"
#include "bi-test-export-books.h"

#include <json-glib/json-glib.h>
#include <string.h>

static char *
write_format (BiBookFormat  format,
              GPtrArray    *books,
              GPtrArray    *skipped,
              guint         expected_written)
{
  GString *out = g_string_new (NULL);

  g_assert_cmpuint (bi_export_write (format, books, out, skipped), ==, expected_written);
  g_assert_true (g_utf8_validate (out->str, (gssize) out->len, NULL));
  return g_string_free (out, FALSE);
}

/* An RFC 4180 reader, strict: records end in CRLF, quotes only around whole fields. Returns
 * the records as GStrv. */
static GPtrArray *
parse_csv (const char *text)
{
  GPtrArray *records = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GStrvBuilder) record = g_strv_builder_new ();
  const char *p = text;

  while (*p != '\0')
    {
      GString *field = g_string_new (NULL);

      if (*p == '"')
        {
          for (p++;; p++)
            {
              g_assert_true (*p != '\0');  /* an unterminated quoted field */
              if (*p == '"' && p[1] == '"')
                p++;
              else if (*p == '"')
                break;
              g_string_append_c (field, *p);
            }
          p++;
        }
      else
        {
          for (; *p != ',' && *p != '\r' && *p != '\0'; p++)
            {
              g_assert_true (*p != '"' && *p != '\n');
              g_string_append_c (field, *p);
            }
        }

      g_strv_builder_add (record, field->str);
      g_string_free (field, TRUE);

      if (*p == ',')
        {
          p++;
          continue;
        }
      g_assert_true (p[0] == '\r' && p[1] == '\n');
      p += 2;
      g_ptr_array_add (records, g_strv_builder_end (record));
      g_strv_builder_unref (record);
      record = g_strv_builder_new ();
    }

  return records;
}

static char **
record (GPtrArray *records,
        guint      index)
{
  return g_ptr_array_index (records, index);
}

static void
test_goodreads (void)
{
  g_autoptr(GPtrArray) books = bi_test_export_books_new ();
  g_autofree char *text = write_format (BI_BOOK_FORMAT_GOODREADS, books, NULL, books->len);
  g_autoptr(GPtrArray) records = parse_csv (text);
  const char *header[] = {
    "Title", "Author", "ISBN", "My Rating", "Average Rating", "Publisher", "Binding",
    "Year Published", "Original Publication Year", "Date Read", "Date Added", "Shelves",
    "Bookshelves", "My Review", NULL,
  };

  g_assert_cmpuint (records->len, ==, books->len + 1);
  g_assert_cmpstrv (record (records, 0), header);
  for (guint i = 0; i < books->len; i++)
    {
      BiExportBook *book = g_ptr_array_index (books, i);
      char **row = record (records, i + 1);

      g_assert_cmpuint (g_strv_length (row), ==, G_N_ELEMENTS (header) - 1);
      g_assert_cmpstr (row[0], ==, bi_test_export_titles[i]);
      g_assert_cmpstr (row[1], ==, book->authors[0]);
      g_assert_cmpstr (row[2], ==, book->isbn13 != NULL ? book->isbn13 : "");
    }
}

static void
test_libib (void)
{
  g_autoptr(GPtrArray) books = bi_test_export_books_new ();
  g_autoptr(GPtrArray) skipped =
    g_ptr_array_new_with_free_func ((GDestroyNotify) bi_export_skip_free);
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) records = NULL;
  guint with_isbn = 0;

  for (guint i = 0; i < books->len; i++)
    with_isbn += ((BiExportBook *) g_ptr_array_index (books, i))->isbn13 != NULL;
  g_assert_cmpuint (with_isbn, >, 0);
  g_assert_cmpuint (with_isbn, <, books->len);

  text = write_format (BI_BOOK_FORMAT_LIBIB, books, skipped, with_isbn);
  records = parse_csv (text);
  g_assert_cmpstrv (record (records, 0), ((const char *[]) { "title", "creators", "ean_isbn13",
                                                             NULL }));
  g_assert_cmpuint (records->len, ==, with_isbn + 1);
  for (guint i = 1; i < records->len; i++)
    g_assert_cmpuint (strlen (record (records, i)[2]), ==, 13);

  /* Every book is either written or reported, with the reason. */
  g_assert_cmpuint (skipped->len, ==, books->len - with_isbn);
  for (guint i = 0; i < skipped->len; i++)
    {
      BiExportSkip *skip = g_ptr_array_index (skipped, i);

      g_assert_null (skip->book->isbn13);
      g_assert_nonnull (strstr (skip->reason, "ISBN-13"));
    }
}

static void
test_csv_field (void)
{
  struct { const char *in; const char *out; } cases[] = {
    { "plain", "plain" },
    { "", "" },
    { "a,b", "\"a,b\"" },
    { "say \"hi\"", "\"say \"\"hi\"\"\"" },
    { "two\nlines", "\"two\nlines\"" },
    { "cr\rhere", "\"cr\rhere\"" },
    { " spaced ", " spaced " },              /* spaces are data, kept, unquoted */
    { "esc\033[31m", "esc [31m" },           /* terminal escapes are dropped */
    { "tab\there", "tab\there" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GString) field = g_string_new ("x,");

      /* Appended after existing text: the quotes must wrap the field only. */
      bi_export_csv_append_field (field, cases[i].in);
      g_assert_cmpstr (field->str + 2, ==, cases[i].out);
    }
}

static void
test_csv (void)
{
  g_autoptr(GPtrArray) books = bi_test_export_books_new ();
  g_autofree char *text = NULL;
  g_autoptr(GPtrArray) records = NULL;
  BiExportBook *first = g_ptr_array_index (books, 0);

  /* A line break and a quote in OCR text are data, quoted per RFC 4180. */
  g_free (((BiExportSighting *) g_ptr_array_index (first->sightings, 0))->ocr_text);
  ((BiExportSighting *) g_ptr_array_index (first->sightings, 0))->ocr_text =
    g_strdup ("WAR\r\nAND \"PEACE\"");
  bi_export_book_add_sighting (first, "other.jpg", 9, "", 0.5);

  text = write_format (BI_BOOK_FORMAT_CSV, books, NULL, books->len);
  records = parse_csv (text);
  g_assert_cmpuint (records->len, ==, books->len + 1);
  g_assert_cmpstr (record (records, 0)[0], ==, "title");
  g_assert_cmpuint (g_strv_length (record (records, 0)), ==, 12);
  for (guint i = 0; i < books->len; i++)
    g_assert_cmpstr (record (records, i + 1)[0], ==, bi_test_export_titles[i]);

  g_assert_cmpstr (record (records, 1)[9], ==, "WAR\r\nAND \"PEACE\"");
  g_assert_cmpstr (record (records, 1)[10], ==, "2");
  g_assert_cmpstr (record (records, 1)[11], ==, "shelf.jpg#0; other.jpg#9");
}

static void
test_json (void)
{
  g_autoptr(GPtrArray) books = bi_test_export_books_new ();
  g_autofree char *text = write_format (BI_BOOK_FORMAT_JSON, books, NULL, books->len);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = json_from_string (text, &error);
  JsonArray *array;

  g_assert_no_error (error);
  array = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (array), ==, books->len);
  for (guint i = 0; i < books->len; i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);
      BiExportBook *book = g_ptr_array_index (books, i);

      g_assert_cmpstr (json_object_get_string_member (object, "title"), ==,
                       bi_test_export_titles[i]);
      g_assert_cmpstr (json_object_get_string_member (object, "isbn13"), ==, book->isbn13);
      g_assert_cmpint (json_object_get_int_member (object, "mergedFrom"), ==, 1);
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object,
                                                                             "sightings")),
                        ==, 1);
    }
}

static void
test_bibtex (void)
{
  g_autoptr(GPtrArray) books = bi_test_export_books_new ();
  g_autofree char *text = NULL;
  int depth = 0;

  /* Same author, year and first word: the keys must still differ. */
  g_ptr_array_add (books, bi_export_book_ref (g_ptr_array_index (books, 2)));
  text = write_format (BI_BOOK_FORMAT_BIBTEX, books, NULL, books->len);

  g_assert_true (g_str_has_prefix (text, "@book{"));
  g_assert_nonnull (strstr (text, "title = {{Ça \\& «ça» \\{x\\} 100\\%}},"));
  g_assert_nonnull (strstr (text, "title = {{Say {\"}Hi{\"}, World}},"));
  g_assert_nonnull (strstr (text, "\\#1\\_a costs \\$5 {\\textasciitilde} "
                                  "x{\\textasciicircum}2 {\\textbackslash} back"));
  g_assert_nonnull (strstr (text, "title = {{Война и мир}},"));
  g_assert_nonnull (strstr (text, "author = {{Le Guin}, Ursula K.},"));
  g_assert_nonnull (strstr (text, "author = {{de Beauvoir}, Simone},"));
  g_assert_nonnull (strstr (text, "author = {{Brontë}, Charlotte},"));
  g_assert_nonnull (strstr (text, "isbn = {9780441172719},"));

  /* Braces balance, so no value runs into the next entry. */
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\\' && (p[1] == '{' || p[1] == '}'))
        p++;
      else if (*p == '{')
        depth++;
      else if (*p == '}')
        g_assert_cmpint (--depth, >=, 0);
    }
  g_assert_cmpint (depth, ==, 0);
}

static void
test_citation_keys (void)
{
  g_autoptr(GPtrArray) books = bi_test_export_books_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(GStrv) keys = NULL;

  for (guint i = 0; i < 30; i++)
    g_ptr_array_add (books, bi_export_book_ref (g_ptr_array_index (books, 2)));
  keys = bi_export_citation_keys (books);

  g_assert_cmpuint (g_strv_length (keys), ==, books->len);
  g_assert_cmpstr (keys[0], ==, "book1800");         /* Cyrillic only: no Latin letters */
  g_assert_cmpstr (keys[2], ==, "sartreca");
  g_assert_cmpstr (keys[3], ==, "leguin1860say");
  g_assert_cmpstr (keys[7], ==, "sartrecaa");
  for (guint i = 0; keys[i] != NULL; i++)
    {
      g_assert_true (g_hash_table_add (seen, keys[i]));
      for (const char *p = keys[i]; *p != '\0'; p++)
        g_assert_true (g_ascii_isalnum (*p) || *p == '-');
    }
}

static void
test_ris (void)
{
  g_autoptr(GPtrArray) books = bi_test_export_books_new ();
  g_autofree char *text = write_format (BI_BOOK_FORMAT_RIS, books, NULL, books->len);
  g_auto(GStrv) lines = NULL;
  g_autoptr(GRegex) tag_line = g_regex_new ("^[A-Z][A-Z0-9]  - ", 0, 0, NULL);
  guint records = 0;
  guint title = 0;
  gboolean in_record = FALSE;

  g_assert_true (g_str_has_suffix (text, "ER  - \r\n"));
  lines = g_strsplit (text, "\r\n", -1);
  /* Every line ended in CRLF: the last piece is empty and no LF hides inside a line. */
  g_assert_cmpstr (lines[g_strv_length (lines) - 1], ==, "");
  for (guint i = 0; lines[i + 1] != NULL; i++)
    {
      g_assert_null (strchr (lines[i], '\n'));
      g_assert_true (g_regex_match (tag_line, lines[i], 0, NULL));
      if (g_str_has_prefix (lines[i], "TY  - "))
        {
          g_assert_false (in_record);
          g_assert_cmpstr (lines[i], ==, "TY  - BOOK");
          in_record = TRUE;
        }
      else if (g_str_has_prefix (lines[i], "ER  - "))
        {
          g_assert_true (in_record);
          in_record = FALSE;
          records++;
        }
      else if (g_str_has_prefix (lines[i], "TI  - "))
        {
          g_assert_true (in_record);
          g_assert_cmpstr (lines[i] + 6, ==, bi_test_export_titles[title++]);
        }
    }
  g_assert_cmpuint (records, ==, books->len);
  g_assert_nonnull (strstr (text, "\r\nAU  - Le Guin, Ursula K.\r\n"));
  g_assert_nonnull (strstr (text, "\r\nPY  - 1800\r\n"));
  g_assert_nonnull (strstr (text, "\r\nSN  - 9780441172719\r\n"));
}

static void
test_csl_json (void)
{
  g_autoptr(GPtrArray) books = bi_test_export_books_new ();
  g_autofree char *text = write_format (BI_BOOK_FORMAT_CSL_JSON, books, NULL, books->len);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = json_from_string (text, &error);
  JsonArray *items;
  JsonObject *item;
  JsonObject *author;

  g_assert_no_error (error);
  items = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (items), ==, books->len);
  for (guint i = 0; i < books->len; i++)
    {
      item = json_array_get_object_element (items, i);
      g_assert_cmpstr (json_object_get_string_member (item, "type"), ==, "book");
      g_assert_cmpstr (json_object_get_string_member (item, "title"), ==,
                       bi_test_export_titles[i]);
      g_assert_nonnull (json_object_get_string_member (item, "id"));
    }

  item = json_array_get_object_element (items, 0);
  author = json_array_get_object_element (json_object_get_array_member (item, "author"), 0);
  g_assert_cmpstr (json_object_get_string_member (author, "family"), ==, "Толстой");
  g_assert_cmpstr (json_object_get_string_member (author, "given"), ==, "Лев");
  g_assert_cmpint (json_array_get_int_element (
                     json_array_get_array_element (
                       json_object_get_array_member (json_object_get_object_member (item,
                                                                                    "issued"),
                                                     "date-parts"), 0), 0), ==, 1800);
  g_assert_cmpstr (json_object_get_string_member (item, "ISBN"), ==, "9780441172719");

  /* Unknown year and ISBN are left out, not written empty. */
  item = json_array_get_object_element (items, 5);
  g_assert_false (json_object_has_member (item, "issued"));
  g_assert_false (json_object_has_member (item, "ISBN"));
  /* A one-word name is all family name. */
  author = json_array_get_object_element (json_object_get_array_member (
                                            json_array_get_object_element (items, 6), "author"),
                                          0);
  g_assert_cmpstr (json_object_get_string_member (author, "family"), ==, "Plato");
  g_assert_false (json_object_has_member (author, "given"));
}

static void
test_tellico (void)
{
  g_autoptr(GPtrArray) books = bi_test_export_books_new ();
  g_autofree char *text = NULL;
  BiExportBook *first = g_ptr_array_index (books, 0);

  /* A control character is not allowed in XML 1.0, escaped or not. */
  g_free (first->title);
  first->title = g_strdup ("Bell\x07 & <Tag>");
  text = write_format (BI_BOOK_FORMAT_TELLICO, books, NULL, books->len);

  g_assert_true (g_str_has_prefix (text, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                                         "<!DOCTYPE tellico PUBLIC \"-//Robby Stephenson/DTD "
                                         "Tellico V11.0//EN\""));
  g_assert_nonnull (strstr (text, "<tellico xmlns=\"http://periapsis.org/tellico/\" "
                                  "syntaxVersion=\"11\">"));
  g_assert_nonnull (strstr (text, "<collection title=\"BookImg\" type=\"5\">"));
  g_assert_nonnull (strstr (text, "<title>Bell &amp; &lt;Tag&gt;</title>"));
  g_assert_nonnull (strstr (text, "<title>Ça &amp; «ça» {x} 100%</title>"));
  g_assert_nonnull (strstr (text, "<authors>\n    <author>Лев Толстой</author>\n   </authors>"));
  g_assert_nonnull (strstr (text, "<isbn>9780441172719</isbn>"));
  g_assert_null (strchr (text, '\x07'));
  g_assert_null (strstr (text, "&#"));
}

static void
test_formats (void)
{
  g_autoptr(GError) error = NULL;
  BiBookFormat format;

  for (guint i = 0; i < BI_BOOK_N_FORMATS; i++)
    {
      const char *name = bi_book_format_names ()[i];

      g_assert_true (bi_book_format_parse (name, &format, &error));
      g_assert_no_error (error);
      g_assert_cmpint (format, ==, i);
      g_assert_cmpstr (bi_book_format_to_string (format), ==, name);
      g_assert_nonnull (bi_book_format_extension (format));
    }
  g_assert_cmpstr (bi_book_format_names ()[BI_BOOK_N_FORMATS], ==, NULL);

  g_assert_false (bi_book_format_parse ("endnote", &format, &error));
  g_assert_error (error, BI_EXPORT_ERROR, BI_EXPORT_ERROR_UNKNOWN_FORMAT);
  g_assert_nonnull (strstr (error->message, "\"endnote\""));
  g_assert_nonnull (strstr (error->message, "csl-json"));
}

static void
test_stream (void)
{
  g_autoptr(GPtrArray) books = bi_test_export_books_new ();
  g_autoptr(GOutputStream) stream = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = write_format (BI_BOOK_FORMAT_RIS, books, NULL, books->len);
  guint written = 0;

  g_assert_true (bi_export_write_to_stream (BI_BOOK_FORMAT_RIS, books, stream, NULL, &written,
                                            NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (written, ==, books->len);
  g_assert_cmpmem (g_memory_output_stream_get_data (G_MEMORY_OUTPUT_STREAM (stream)),
                   g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (stream)),
                   expected, strlen (expected));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bookimg/export/goodreads/columns", test_goodreads);
  g_test_add_func ("/bookimg/export/libib/isbn-required", test_libib);
  g_test_add_func ("/bookimg/export/csv/field", test_csv_field);
  g_test_add_func ("/bookimg/export/csv/rfc4180", test_csv);
  g_test_add_func ("/bookimg/export/json/books", test_json);
  g_test_add_func ("/bookimg/export/bibtex/escaping", test_bibtex);
  g_test_add_func ("/bookimg/export/bibtex/citation-keys", test_citation_keys);
  g_test_add_func ("/bookimg/export/ris/syntax", test_ris);
  g_test_add_func ("/bookimg/export/csl-json/fields", test_csl_json);
  g_test_add_func ("/bookimg/export/tellico/xml", test_tellico);
  g_test_add_func ("/bookimg/export/formats/names", test_formats);
  g_test_add_func ("/bookimg/export/formats/stream", test_stream);

  return g_test_run ();
}
