/* test-sqlite-catalog.c — the local catalog: import formats, malformed rows, search
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-catalog-query.h"
#include "bi-search-text.h"
#include "bi-test-catalog.h"
#include "bi-test-files.h"

#include <sqlite3.h>
#include <string.h>

#define GOODBOOKS_HEADER \
  "book_id\tgoodreads_book_id\twork_id\ttitle\toriginal_title\tauthors\tyear\tisbn10\t" \
  "isbn13\tisbn13_note\tlanguage_code\tratings_count\n"
#define LLABRES_HEADER "title,author,tag,series,isbn\n"

typedef BiTestCatalog Fixture;

static GPtrArray *
search (BiSqliteCatalog *catalog,
        const char      *query,
        guint            limit)
{
  BiCatalog *port = bi_sqlite_catalog_as_port (catalog);
  g_autoptr(GError) error = NULL;
  GPtrArray *books = port->search (port, query, limit, &error);

  g_assert_no_error (error);
  g_assert_nonnull (books);
  g_assert_cmpuint (books->len, <=, limit);
  for (guint i = 0; i < books->len; i++)
    {
      BiBook *book = g_ptr_array_index (books, i);

      g_assert_cmpfloat (book->score, >, 0.0);
      g_assert_cmpfloat (book->score, <=, 1.0);
      g_assert_cmpstr (book->source, ==, "catalog");
      g_assert_nonnull (book->source_id);
      if (i > 0)
        g_assert_cmpfloat (book->score, <=, ((BiBook *) g_ptr_array_index (books, i - 1))->score);
    }
  return books;
}

/* The best hit for @query, which must be @title (NULL: any) by @first_author (NULL: any). */
static BiBook *
assert_best (BiSqliteCatalog *catalog,
             const char      *query,
             const char      *title,
             const char      *first_author)
{
  g_autoptr(GPtrArray) books = search (catalog, query, 5);
  BiBook *best;

  if (books->len == 0)
    g_error ("no book found for “%s”", query);
  best = g_ptr_array_index (books, 0);
  if (title != NULL)
    g_assert_cmpstr (best->title, ==, title);
  if (first_author != NULL)
    g_assert_cmpstr (best->authors[0], ==, first_author);
  return bi_book_copy (best);
}

static void
test_shared_files (Fixture       *fixture,
                   gconstpointer  data)
{
  const char *shared = g_getenv ("BOOKIMG_SHARED_DATA");
  g_autofree char *goodbooks = NULL;
  g_autofree char *llabres = NULL;
  g_auto(BiCatalogImportStats) stats = { 0 };
  g_autoptr(GTimer) timer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BiBook) book = NULL;
  BiCatalog *port = bi_sqlite_catalog_as_port (fixture->catalog);
  double seconds;
  gint64 count;

  if (shared == NULL)
    {
      g_test_skip ("BOOKIMG_SHARED_DATA is not set");
      return;
    }
  goodbooks = g_build_filename (shared, "catalog", "goodbooks-10k.tsv", NULL);
  llabres = g_build_filename (shared, "catalog", "llabres-library.csv", NULL);
  if (!g_file_test (goodbooks, G_FILE_TEST_EXISTS) || !g_file_test (llabres, G_FILE_TEST_EXISTS))
    {
      g_test_skip ("the shared catalogs are not in BOOKIMG_SHARED_DATA");
      return;
    }

  timer = g_timer_new ();
  bi_sqlite_catalog_import_file (fixture->catalog, goodbooks, &stats, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats.imported, ==, 10000);
  g_assert_cmpuint (stats.skipped, ==, 0);
  bi_sqlite_catalog_import_file (fixture->catalog, llabres, &stats, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats.imported, ==, 15228);
  g_assert_cmpuint (stats.skipped, ==, 0);
  seconds = g_timer_elapsed (timer, NULL);
  g_test_message ("imported 25,228 rows in %.3f s", seconds);
  /* The target is well under 2 s; the bound only catches a pathological slowdown. */
  g_assert_cmpfloat (seconds, <, 10.0);

  /* Copies of a library book are one book. */
  count = bi_sqlite_catalog_count (fixture->catalog, &error);
  g_assert_no_error (error);
  g_test_message ("%" G_GINT64_FORMAT " distinct books", count);
  g_assert_cmpint (count, >, 24000);
  g_assert_cmpint (count, <, 25228);

  book = assert_best (fixture->catalog, "hunger games collins",
                      "The Hunger Games (The Hunger Games, #1)", "Suzanne Collins");
  g_assert_cmpstr (book->isbn13, ==, "9780439023481");
  g_assert_cmpint (book->year, ==, 2008);
  g_assert_cmpstr (book->source_id, ==, "goodbooks:1");
  g_clear_pointer (&book, bi_book_free);

  book = assert_best (fixture->catalog, "THE HOBBIT J.R.R. TOLKIEN", "The Hobbit", NULL);
  g_clear_pointer (&book, bi_book_free);

  /* The UK title: the library's copy, or the original title of goodbooks' US edition. */
  book = assert_best (fixture->catalog, "Harry Potter and the Philosopher's Stone Rowling",
                      NULL, NULL);
  g_assert_true (g_str_has_prefix (book->title, "Harry Potter and the "));
  g_assert_true (g_str_has_suffix (book->authors[0], "Rowling"));
  g_clear_pointer (&book, bi_book_free);
  book = assert_best (fixture->catalog, "Harry Potter and the Sorcerer's Stone",
                      "Harry Potter and the Sorcerer's Stone (Harry Potter, #1)", NULL);
  g_clear_pointer (&book, bi_book_free);

  book = assert_best (fixture->catalog, "LAS PSEUDOCIENCIAS ¡VAYA TIMO! MARIO BUNGE", NULL,
                      "Mario Bunge");
  g_assert_true (g_str_has_prefix (book->title, "Las Pseudociencias"));
  g_assert_cmpstr (book->isbn13, ==, "9788492422241");
  g_clear_pointer (&book, bi_book_free);

  book = assert_best (fixture->catalog, "Remando como un solo hombre", NULL,
                      "Daniel James Brown");
  g_assert_true (g_str_has_prefix (book->title, "Remando como un solo hombre"));
  g_clear_pointer (&book, bi_book_free);

  book = port->lookup_isbn (port, "978-0-439-02348-1", &error);
  g_assert_no_error (error);
  g_assert_nonnull (book);
  g_assert_true (g_str_has_prefix (book->title, "The Hunger Games"));
}

static void
test_csv_quoting (Fixture       *fixture,
                  gconstpointer  data)
{
  g_auto(BiCatalogImportStats) stats = { 0 };
  g_autoptr(BiBook) book = NULL;

  bi_test_catalog_import_text (fixture, "quoting.csv",
                               LLABRES_HEADER
                               "\"Guns, Germs, and Steel\",\"Diamond, Jared\",,,9780393317558\r\n"
                               "\"The \"\"Quoted\"\" Book\",\"Doe, Jane, 1950-2020\",,,\r\n"
                               "\"A title\nacross lines\",\"Smith, John (Editor)\",,,\n"
                               "Plain title,\"Bunge, Mario, 1919-2020\",001 Bun,"
                               "\"Series, with comma\",9788492422241 (o.c.)\n"
                               "\n",
                               &stats);
  g_assert_cmpuint (stats.imported, ==, 4);
  g_assert_cmpuint (stats.skipped, ==, 0);
  g_assert_cmpint (bi_sqlite_catalog_count (fixture->catalog, NULL), ==, 4);

  book = assert_best (fixture->catalog, "guns germs steel", "Guns, Germs, and Steel",
                      "Jared Diamond");
  g_assert_cmpstr (book->isbn13, ==, "9780393317558");
  g_assert_cmpint (book->year, ==, 0);
  g_assert_true (g_str_has_prefix (book->source_id, "llabres:"));
  g_clear_pointer (&book, bi_book_free);

  book = assert_best (fixture->catalog, "quoted book", "The \"Quoted\" Book", "Jane Doe");
  g_assert_null (book->isbn13);
  g_clear_pointer (&book, bi_book_free);

  book = assert_best (fixture->catalog, "title across lines", "A title across lines", "John Smith");
  g_clear_pointer (&book, bi_book_free);

  book = assert_best (fixture->catalog, "plain title bunge", "Plain title", "Mario Bunge");
  g_assert_cmpstr (book->isbn13, ==, "9788492422241");
}

static void
test_malformed_rows (Fixture       *fixture,
                     gconstpointer  data)
{
  g_auto(BiCatalogImportStats) stats = { 0 };
  g_autoptr(BiBook) book = NULL;

  bi_test_catalog_import_text (fixture, "malformed.tsv",
                               GOODBOOKS_HEADER
                               "1\t1\t1\tGood Book\tGood Book\tAnn Author\t2001\t\t\t\teng\t1\n"
                               "2\ttoo\tfew fields\n"
                               "3\t3\t3\t \t\tNo Title\t2001\t\t\t\teng\t1\n"
                               "abc\t4\t4\tBad Id\t\tSomeone\t2001\t\t\t\teng\t1\n"
                               "5\t5\t5\tBad Year\t\tSomeone\tnineteen\t\t\t\teng\t1\n"
                               "6\t6\t6\tBad \xff UTF-8\t\tSomeone\t2001\t\t\t\teng\t1\n"
                               "7\t7\t7\t\"Quoted\"junk\t\tSomeone\t2001\t\t\t\teng\t1\n"
                               "8\t8\t8\tSecond Good Book\t\tBob Writer\t1999.0\t\t\t\teng\t1\n"
                               "9\t9\t9\t\"Never closed\t\tSomeone\t2001\t\t\t\teng\t1\n",
                               &stats);

  g_assert_cmpuint (stats.imported, ==, 2);
  g_assert_cmpuint (stats.skipped, ==, 7);
  g_assert_cmpuint (stats.reasons->len, ==, BI_CATALOG_IMPORT_MAX_REASONS);
  g_assert_cmpstr (g_ptr_array_index (stats.reasons, 0), ==,
                   "line 3: the row has 3 fields where the header names 12");
  g_assert_cmpstr (g_ptr_array_index (stats.reasons, 1), ==, "line 4: the title is empty");
  g_assert_true (g_str_has_prefix (g_ptr_array_index (stats.reasons, 2),
                                   "line 5: the book_id \"abc\""));
  g_assert_true (g_str_has_prefix (g_ptr_array_index (stats.reasons, 3),
                                   "line 6: the year \"nineteen\""));
  g_assert_cmpstr (g_ptr_array_index (stats.reasons, 4), ==,
                   "line 7: the row is not valid UTF-8");
  g_assert_cmpint (bi_sqlite_catalog_count (fixture->catalog, NULL), ==, 2);

  book = assert_best (fixture->catalog, "second good book", "Second Good Book", NULL);
  g_assert_cmpint (book->year, ==, 1999);
}

static void
test_isbn_checksum (Fixture       *fixture,
                    gconstpointer  data)
{
  BiCatalog *port = bi_sqlite_catalog_as_port (fixture->catalog);
  g_autoptr(GError) error = NULL;
  g_autoptr(BiBook) book = NULL;

  bi_test_catalog_import_text (fixture, "isbn.tsv",
                               GOODBOOKS_HEADER
                               "1\t1\t1\tValid Thirteen\t\tA Writer\t2001\t"
                               "\t9780393317558\t\teng\t1\n"
                               "2\t2\t2\tWrong Check Digit\t\tA Writer\t2001\t"
                               "\t9780393317559\t\teng\t1\n"
                               "3\t3\t3\tOnly Ten\t\tA Writer\t2001\t0441172717\t\t\teng\t1\n"
                               "4\t4\t4\tBoth Broken\t\tA Writer\t2001\t"
                               "0441172718\t978044117271\t\teng\t1\n",
                               NULL);

  book = assert_best (fixture->catalog, "wrong check digit", "Wrong Check Digit", NULL);
  g_assert_null (book->isbn13);
  g_clear_pointer (&book, bi_book_free);

  book = assert_best (fixture->catalog, "both broken", NULL, NULL);
  g_assert_null (book->isbn13);
  g_clear_pointer (&book, bi_book_free);

  /* An ISBN-10 becomes its ISBN-13. */
  book = port->lookup_isbn (port, "9780441172719", &error);
  g_assert_no_error (error);
  g_assert_nonnull (book);
  g_assert_cmpstr (book->title, ==, "Only Ten");
  g_clear_pointer (&book, bi_book_free);

  book = port->lookup_isbn (port, "978-0-393-31755-8", &error);
  g_assert_no_error (error);
  g_assert_nonnull (book);
  g_assert_cmpstr (book->title, ==, "Valid Thirteen");
  g_clear_pointer (&book, bi_book_free);

  /* What is not a valid ISBN is in no catalog: no book, no error. */
  for (guint i = 0; i < 4; i++)
    {
      const char *bad[] = { "9780393317559", "", "not an isbn", "97803933175580000" };

      book = port->lookup_isbn (port, bad[i], &error);
      g_assert_no_error (error);
      g_assert_null (book);
    }
}

/* ASCII text takes a path of its own (bi-search-text.c): each string of up to four of these
 * characters must come out as it does with a word that needs the general path after it. */
static void
test_normal_form_ascii (void)
{
  static const char alphabet[] = "aZ9 '`-.(:\t\x01";
  const guint n_letters = sizeof alphabet - 1;
  const struct
  {
    const char *text;
    const char *normal;
  } examples[] = {
    { "Harry Potter and the Sorcerer's Stone (Harry Potter, #1)",
      "harry potter and the sorcerers stone harry potter 1" },
    { "  --The `Hobbit`--  ", "the hobbit" },
    { "R.U.R.:2nd\x01" "ed", "r u r 2nd ed" },
    { "'", "" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (examples); i++)
    {
      g_autofree char *normal = bi_search_text_normalize (examples[i].text);

      g_assert_cmpstr (normal, ==, examples[i].normal);
    }

  for (guint length = 1, n_texts = n_letters; length <= 4; length++, n_texts *= n_letters)
    for (guint code = 0; code < n_texts; code++)
      {
        char text[5] = { 0 };
        g_autofree char *ascii = NULL;
        g_autofree char *general = NULL;
        g_autofree char *expected = NULL;
        g_autofree char *with_word = NULL;

        for (guint k = 0, rest = code; k < length; k++, rest /= n_letters)
          text[k] = alphabet[rest % n_letters];
        ascii = bi_search_text_normalize (text);
        with_word = g_strconcat (text, " Noël", NULL);
        general = bi_search_text_normalize (with_word);
        expected = g_strconcat (ascii, ascii[0] != '\0' ? " " : "", "noel", NULL);
        g_assert_cmpstr (general, ==, expected);
      }
}

static void
test_accents (Fixture       *fixture,
              gconstpointer  data)
{
  const char *queries[][2] = {
    { "ENSENAR A INVESTIGAR", "Enseñar a investigar : libro del alumnado" },
    { "enseñar investigar belmonte", "Enseñar a investigar : libro del alumnado" },
    { "die strasse", "Die Straße" },
    { "SOREN KIERKEGAARD", "Søren Kierkegaard : una biografía" },
    { "l'ecume des jours", "L'Écume des jours" },
  };
  g_autoptr(BiBook) book = NULL;

  bi_test_catalog_import_text (fixture, "accents.csv",
                               LLABRES_HEADER
                               "Enseñar a investigar : libro del alumnado ,"
                               "\"Belmonte Nieto, Manuel\",,,\n"
                               "Die Straße,\"Müller, Jürgen\",,,\n"
                               "Søren Kierkegaard : una biografía,\"Garff, Joakim\",,,\n"
                               "L'Écume des jours,\"Vian, Boris, 1920-1959\",,,\n",
                               NULL);

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      book = assert_best (fixture->catalog, queries[i][0], queries[i][1], NULL);
      g_clear_pointer (&book, bi_book_free);
    }

  book = assert_best (fixture->catalog, "die strasse", NULL, "Jürgen Müller");
}

static void
test_injection (Fixture       *fixture,
                gconstpointer  data)
{
  const char *no_words[] = {
    "*", "", "   ", "(", ")", "-", "^", "\"", "\"\"", "''", ":", "+-*/", "\xff\xfe", "a b c",
  };
  const char *operators[] = {
    "\"AND OR NEAR(", "NOT", "hobbit*", "^hobbit", "title:hobbit", "search_title:hobbit",
    "NEAR(hobbit tolkien, 2)", "hobbit AND NOT tolkien", "{search_authors}: tolkien",
    "\"unbalanced hobbit", "hobbit) OR (", "'; DROP TABLE books; --",
  };
  g_autoptr(BiBook) book = NULL;

  bi_test_catalog_import_text (fixture, "injection.tsv",
                               GOODBOOKS_HEADER
                               "1\t1\t1\tThe Hobbit\t\tJ.R.R. Tolkien\t1937\t\t\t\teng\t1\n"
                               "2\t2\t2\tNear and Far\t\tSomeone Else\t2001\t\t\t\teng\t1\n"
                               "3\t3\t3\tNot a Drill\t\tSomeone Else\t2001\t\t\t\teng\t1\n",
                               NULL);

  for (guint i = 0; i < G_N_ELEMENTS (no_words); i++)
    {
      g_autoptr(GPtrArray) books = search (fixture->catalog, no_words[i], 10);

      g_assert_cmpuint (books->len, ==, 0);
    }

  /* Operators are words like any other; each query runs and finds what its words say. */
  for (guint i = 0; i < G_N_ELEMENTS (operators); i++)
    {
      g_autoptr(GPtrArray) books = search (fixture->catalog, operators[i], 10);

      g_test_message ("“%s”: %u books", operators[i], books->len);
    }

  book = assert_best (fixture->catalog, "\"AND OR NEAR(", "Near and Far", NULL);
  g_clear_pointer (&book, bi_book_free);
  book = assert_best (fixture->catalog, "title:hobbit", "The Hobbit", NULL);
  g_clear_pointer (&book, bi_book_free);
  book = assert_best (fixture->catalog, "NOT", "Not a Drill", NULL);

  /* The table survived the query that tried to drop it. */
  g_assert_cmpint (bi_sqlite_catalog_count (fixture->catalog, NULL), ==, 3);
}

static void
test_ranking (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) books = NULL;
  g_autoptr(BiBook) book = NULL;

  bi_test_catalog_import_text (fixture, "ranking.tsv",
                               GOODBOOKS_HEADER
                               "1\t1\t1\tThe Hunger Games Trilogy Boxset (The Hunger Games, #1-3)\t"
                               "\tSuzanne Collins\t2009\t\t\t\teng\t1\n"
                               "2\t2\t2\tCatching Fire (The Hunger Games, #2)\tCatching Fire\t"
                               "Suzanne Collins\t2009\t\t\t\teng\t1\n"
                               "3\t3\t3\tThe Hunger Games (The Hunger Games, #1)\t"
                               "The Hunger Games\t"
                               "Suzanne Collins\t2008\t\t\t\teng\t1\n"
                               "4\t4\t4\tThe Games People Play\t\tEric Berne\t1964\t\t\t\teng\t1\n",
                               NULL);

  books = search (fixture->catalog, "hunger games collins", 10);
  g_assert_cmpuint (books->len, ==, 4);
  g_assert_cmpstr (((BiBook *) g_ptr_array_index (books, 0))->source_id, ==, "goodbooks:3");
  g_assert_cmpfloat (((BiBook *) g_ptr_array_index (books, 0))->score, >, 0.9);
  g_clear_pointer (&books, g_ptr_array_unref);

  book = assert_best (fixture->catalog, "CATCHING FIRE SUZANNE COLLINS", NULL, NULL);
  g_assert_cmpstr (book->source_id, ==, "goodbooks:2");
  g_assert_cmpfloat (book->score, >, 0.95);
  g_clear_pointer (&book, bi_book_free);

  /* A common word alone is no match worth taking. */
  books = search (fixture->catalog, "the", 10);
  for (guint i = 0; i < books->len; i++)
    g_assert_cmpfloat (((BiBook *) g_ptr_array_index (books, i))->score, <, 0.5);
  g_clear_pointer (&books, g_ptr_array_unref);

  /* An author alone still finds their books, below any title match. */
  books = search (fixture->catalog, "collins", 10);
  g_assert_cmpuint (books->len, ==, 3);
  g_clear_pointer (&books, g_ptr_array_unref);

  books = search (fixture->catalog, "hunger games", 1);
  g_assert_cmpuint (books->len, ==, 1);
  g_clear_pointer (&books, g_ptr_array_unref);
  books = search (fixture->catalog, "hunger games", 0);
  g_assert_cmpuint (books->len, ==, 0);
}

/* Books that bm25 ranks the same come in the order they were imported, also where the pool
 * handed to the C rescoring (64 rows at least) cuts them: 70 books of the same title, whose
 * authors' names no query holds, rank and score the same. */
static void
test_ranking_ties (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GString) rows = g_string_new (GOODBOOKS_HEADER);
  g_autoptr(GPtrArray) books = NULL;

  for (guint i = 1; i <= 70; i++)
    g_string_append_printf (rows, "%u\t%u\t%u\tQuiet Harbour\t\tAuthor Number%c%c\t2001"
                            "\t\t\t\teng\t1\n", i, i, i, 'a' + i / 26, 'a' + i % 26);
  bi_test_catalog_import_text (fixture, "ties.tsv", rows->str, NULL);

  for (guint limit = 5; limit <= 70; limit += 65)
    {
      books = search (fixture->catalog, "quiet harbour", limit);
      g_assert_cmpuint (books->len, ==, limit);
      for (guint i = 0; i < books->len; i++)
        {
          g_autofree char *id = g_strdup_printf ("goodbooks:%u", i + 1);

          g_assert_cmpstr (((BiBook *) g_ptr_array_index (books, i))->source_id, ==, id);
        }
      g_clear_pointer (&books, g_ptr_array_unref);
    }
}

static void
test_replace_duplicates (Fixture       *fixture,
                         gconstpointer  data)
{
  g_auto(BiCatalogImportStats) stats = { 0 };
  g_autoptr(GPtrArray) books = NULL;
  g_autoptr(BiBook) book = NULL;

  bi_test_catalog_import_text (fixture, "first.tsv",
                               GOODBOOKS_HEADER
                               "1\t1\t1\tOld Title\t\tAnn Author\t2001\t\t\t\teng\t1\n"
                               "2\t2\t2\tOther Book\t\tAnn Author\t2001\t\t\t\teng\t1\n",
                               &stats);
  g_assert_cmpuint (stats.imported, ==, 2);
  bi_test_catalog_import_text (fixture, "first.tsv",
                               GOODBOOKS_HEADER
                               "1\t1\t1\tOld Title\t\tAnn Author\t2001\t\t\t\teng\t1\n"
                               "2\t2\t2\tOther Book\t\tAnn Author\t2001\t\t\t\teng\t1\n",
                               &stats);
  g_assert_cmpint (bi_sqlite_catalog_count (fixture->catalog, NULL), ==, 2);

  bi_test_catalog_import_text (fixture, "second.tsv",
                               GOODBOOKS_HEADER
                               "1\t1\t1\tNew Title\t\tAnn Author\t2002\t\t\t\teng\t1\n",
                               &stats);
  g_assert_cmpuint (stats.imported, ==, 1);
  g_assert_cmpint (bi_sqlite_catalog_count (fixture->catalog, NULL), ==, 2);

  book = assert_best (fixture->catalog, "new title", NULL, NULL);
  g_assert_cmpstr (book->source_id, ==, "goodbooks:1");
  g_assert_cmpint (book->year, ==, 2002);
  /* The replaced row left nothing behind in the search index. */
  books = search (fixture->catalog, "old", 10);
  g_assert_cmpuint (books->len, ==, 0);

  /* Copies of one library book are one book. */
  bi_test_catalog_import_text (fixture, "copies.csv",
                               LLABRES_HEADER
                               "Copied Book,\"Writer, Ann\",001 Wri,,\n"
                               "Copied Book,\"Writer, Ann\",001 Wri,,\n",
                               &stats);
  g_assert_cmpuint (stats.imported, ==, 2);
  g_assert_cmpint (bi_sqlite_catalog_count (fixture->catalog, NULL), ==, 3);
}

/* A row an import changed is scored by its new texts, not by anything kept from the search
 * before it (a cache of rows' words between searches was tried, docs/recognition.md). */
static void
test_rescored_after_import (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GPtrArray) books = NULL;

  bi_test_catalog_import_text (fixture, "first.tsv",
                               GOODBOOKS_HEADER
                               "1\t1\t1\tOld Title\t\tAnn Author\t2001\t\t\t\teng\t1\n",
                               NULL);
  books = search (fixture->catalog, "title ann author", 10);
  g_assert_cmpuint (books->len, ==, 1);
  g_clear_pointer (&books, g_ptr_array_unref);

  bi_test_catalog_import_text (fixture, "first.tsv",
                               GOODBOOKS_HEADER
                               "1\t1\t1\tNew Title\tOriginal Name\tAnn Author\t2002\t\t\t\teng\t1\n",
                               NULL);
  /* Scored by the old words, "new" would be missing: 0.35. */
  books = search (fixture->catalog, "new title", 10);
  g_assert_cmpuint (books->len, ==, 1);
  g_assert_cmpstr (((BiBook *) g_ptr_array_index (books, 0))->title, ==, "New Title");
  g_assert_cmpfloat (((BiBook *) g_ptr_array_index (books, 0))->score, >, 0.95);
  g_clear_pointer (&books, g_ptr_array_unref);
  books = search (fixture->catalog, "original name", 10);
  g_assert_cmpuint (books->len, ==, 1);
  g_assert_cmpfloat (((BiBook *) g_ptr_array_index (books, 0))->score, >, 0.9);
}

static void
test_import_if_changed (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *database = g_build_filename (fixture->dir, "catalog.db", NULL);
  g_autofree char *path = bi_test_write_file (fixture->dir, "books.tsv",
                                              GOODBOOKS_HEADER
                                              "1\t1\t1\tFirst Book\t\tAnn Author\t2001\t"
                                              "\t\t\teng\t1\n"
                                              "2\t2\t2\tSecond Book\t\tAnn Author\t2001\t"
                                              "\t\t\teng\t1\n",
                                              -1);
  g_autofree char *shorter = NULL;
  g_auto(BiCatalogImportStats) stats = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) books = NULL;
  BiSqliteCatalog *catalog;
  gboolean imported = FALSE;

  catalog = bi_sqlite_catalog_open (database, &error);
  g_assert_no_error (error);
  bi_sqlite_catalog_import_if_changed (catalog, path, &imported, &stats, &error);
  g_assert_no_error (error);
  g_assert_true (imported);
  g_assert_cmpuint (stats.imported, ==, 2);

  bi_sqlite_catalog_import_if_changed (catalog, path, &imported, &stats, &error);
  g_assert_no_error (error);
  g_assert_false (imported);
  g_assert_cmpuint (stats.imported, ==, 0);
  bi_sqlite_catalog_free (catalog);

  /* The stamp is kept in the database: a restarted server skips the import too. */
  catalog = bi_sqlite_catalog_open (database, &error);
  g_assert_no_error (error);
  g_assert_cmpint (bi_sqlite_catalog_count (catalog, NULL), ==, 2);
  bi_sqlite_catalog_import_if_changed (catalog, path, &imported, NULL, &error);
  g_assert_no_error (error);
  g_assert_false (imported);

  /* A changed file replaces what it held before: the removed book goes. */
  shorter = bi_test_write_file (fixture->dir, "books.tsv",
                                GOODBOOKS_HEADER
                                "2\t2\t2\tSecond Book Revised\t\tAnn Author\t2001\t\t\t\teng\t1\n",
                                -1);
  bi_sqlite_catalog_import_if_changed (catalog, path, &imported, &stats, &error);
  g_assert_no_error (error);
  g_assert_true (imported);
  g_assert_cmpuint (stats.imported, ==, 1);
  g_assert_cmpint (bi_sqlite_catalog_count (catalog, NULL), ==, 1);
  books = search (catalog, "first book", 10);
  for (guint i = 0; i < books->len; i++)
    g_assert_cmpstr (((BiBook *) g_ptr_array_index (books, i))->title, !=, "First Book");

  bi_sqlite_catalog_free (catalog);
}

/* A surname cut at the line's end ("KAHNE") is no catalog word: it is searched as the
 * names one slip away ("kane", "kahn") and as the commonest word it starts ("kahneman"),
 * so the author's book is among the answers; a word that starts none and is none a slip
 * away finds nothing. */
static void
test_word_cut_short (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) books = NULL;
  gboolean kahneman = FALSE;

  bi_test_catalog_import_text (fixture, "cut.tsv",
                               GOODBOOKS_HEADER
                               "1\t1\t1\tThinking, Fast and Slow\t\tDaniel Kahneman\t2011\t\t"
                               "\t\teng\t1\n"
                               "2\t2\t2\tKane and Abel\t\tJeffrey Archer\t1979\t\t\t\teng\t1\n"
                               "3\t3\t3\tThe Red Pyramid\t\tRick Riordan\t2010\t\t\t\teng\t1\n",
                               NULL);

  books = search (fixture->catalog, "KAHNE", 5);
  for (guint i = 0; i < books->len; i++)
    kahneman |= g_strcmp0 (((BiBook *) g_ptr_array_index (books, i))->title,
                           "Thinking, Fast and Slow") == 0;
  g_assert_true (kahneman);
  g_clear_pointer (&books, g_ptr_array_unref);
  books = search (fixture->catalog, "QWXZV", 5);
  g_assert_cmpuint (books->len, ==, 0);
}

/* The catalog in @database with @path imported, closed, made an older version by hand with
 * @downgrade (SQL), and opened again: the upgrade under test runs then. */
static BiSqliteCatalog *
open_downgraded (const char *database,
                 const char *path,
                 const char *downgrade)
{
  g_autoptr(GError) error = NULL;
  BiSqliteCatalog *catalog = bi_sqlite_catalog_open (database, &error);
  sqlite3 *db = NULL;

  g_assert_no_error (error);
  g_assert_true (bi_sqlite_catalog_import_file (catalog, path, NULL, &error));
  g_assert_no_error (error);
  bi_sqlite_catalog_free (catalog);

  g_assert_cmpint (sqlite3_open (database, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, downgrade, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  catalog = bi_sqlite_catalog_open (database, &error);
  g_assert_no_error (error);
  return catalog;
}

/* A catalog file of version 1 (no `search_words` table) is upgraded in place: the books a
 * user imported stay, and respelling a misread word works on them at once. */
static void
test_upgrade_version_1 (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *database = g_build_filename (fixture->dir, "catalog.db", NULL);
  g_autofree char *path = bi_test_write_file (fixture->dir, "books.tsv",
                                              GOODBOOKS_HEADER
                                              "1\t1\t1\tEntrenador en casa\t\tAna Rodríguez\t"
                                              "2010\t\t\t\tspa\t1\n",
                                              -1);
  g_autoptr(BiBook) book = NULL;
  /* What a version 1 file looked like */
  BiSqliteCatalog *catalog = open_downgraded (database, path,
                                              "DROP TABLE search_words;"
                                              "UPDATE meta SET value = '1' WHERE key = 'version'");

  g_assert_cmpint (bi_sqlite_catalog_count (catalog, NULL), ==, 1);
  /* "FLENTRENADOR": two stray letters, respelled from the catalog's own words */
  book = assert_best (catalog, "FLENTRENADOR EN CASA", "Entrenador en casa", "Ana Rodríguez");
  bi_sqlite_catalog_free (catalog);
}

/* ---- shelf marks ------------------------------------------------------------------------ */

/* A library's books: "Pádel" has a label of its own, two books share "796.422 Ali" and
 * two novels "N Pam", as in the shared llabres catalog. */
#define SHELF_BOOKS \
  LLABRES_HEADER \
  "Pádel ,\"Castellote, Jaume\",796.34 Cas,,\n" \
  "El Libro del fitness : atlas ilustrado ,,796.41 Lib,,\n" \
  "Musculación ,\"Aaberg, Everett\",796.41 Aab,,\n" \
  "Voleibol : claves para dominar los fundamentos ,\"Kenny, Bonnie\",796.325 Ken,,\n" \
  "La Volta al món en 80 maratons ,\"Alibés, Arcadi\",796.422 Ali,,\n" \
  "Córrer per ser feliç ,\"Alibés, Arcadi\",796.422 Ali,,\n" \
  "Mejora tu tenis ,\"Applewhaite, Charles\",796.342 App,,\n" \
  "Memòria dels morts ,\"Pàmies, Sergi\",N Pam,,\n" \
  "La Bicicleta estàtica ,\"Pàmies, Sergi\",N Pam,,\n" \
  "Història de la filosofia ,,1(Ant),,\n"

/* Asserts the books a label read names: @expected is "title=exact|slip;…" in order, or ""
 * for none. */
static void
assert_shelf_lookup (BiSqliteCatalog *catalog,
                     const char      *class_number,
                     const char      *code,
                     const char      *expected)
{
  BiCatalog *port = bi_sqlite_catalog_as_port (catalog);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) hits = port->lookup_shelf_mark (port, class_number, code, 10, &error);
  g_autoptr(GString) found = g_string_new (NULL);

  g_assert_no_error (error);
  g_assert_nonnull (hits);
  for (guint i = 0; i < hits->len; i++)
    {
      const BiShelfMarkHit *hit = g_ptr_array_index (hits, i);

      g_assert_nonnull (hit->shelf_mark);
      g_string_append_printf (found, "%s%s=%s", i > 0 ? ";" : "", hit->book->title,
                              hit->match == BI_SHELF_MARK_EXACT ? "exact" : "slip");
    }
  g_assert_cmpstr (found->str, ==, expected);
}

/* Every importer with a call-number column keeps it; the stats count the books with one. */
static void
test_shelf_mark_import (Fixture       *fixture,
                        gconstpointer  data)
{
  g_auto(BiCatalogSummary) summary = { 0 };
  g_autoptr(GError) error = NULL;

  bi_test_catalog_import_text (fixture, "library.csv", SHELF_BOOKS, NULL);
  bi_test_catalog_import_text (fixture, "ours.tsv",
                               "id\ttitle\tauthors\tyear\tisbn13\tshelf_mark\n"
                               "dune\tDune\tFrank Herbert\t1965\t\tN Her\n"
                               "emma\tEmma\tJane Austen\t1815\t\t\n", NULL);
  /* The starter catalog's five columns stay valid. */
  bi_test_catalog_import_text (fixture, "starter.tsv",
                               "id\ttitle\tauthors\tyear\tisbn13\n"
                               "hobbit\tThe Hobbit\tJ. R. R. Tolkien\t1937\t\n", NULL);
  /* Libib Pro's call_numbers */
  bi_test_catalog_import_text (fixture, "libib.csv",
                               "item_type,title,creators,ean_isbn13,upc_isbn10,"
                               "publish_date,call_numbers\n"
                               "book,Solaris,Stanislaw Lem,,,1961,891.8 Lem\n", NULL);

  g_assert_true (bi_sqlite_catalog_get_summary (fixture->catalog, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpint (summary.books, ==, 14);
  /* all but Emma (empty) and The Hobbit (no column); "1(Ant)" is kept, if unreadable */
  g_assert_cmpint (summary.with_shelf_mark, ==, 12);
  g_assert_cmpint (summary.unread_shelf_marks, ==, 0);

  assert_shelf_lookup (fixture->catalog, "796.34", "Cas", "Pádel=exact");
  assert_shelf_lookup (fixture->catalog, "N", "Her", "Dune=exact");
  assert_shelf_lookup (fixture->catalog, "891.8", "Lem", "Solaris=exact");
}

/* The lookup of a label read: exact, or one OCR slip away, and never two. */
static void
test_shelf_mark_lookup (Fixture       *fixture,
                        gconstpointer  data)
{
  bi_test_catalog_import_text (fixture, "library.csv", SHELF_BOOKS, NULL);

  /* case, accents and blanks aside; a blank for the dot */
  assert_shelf_lookup (fixture->catalog, "796.34", "CAS", "Pádel=exact");
  assert_shelf_lookup (fixture->catalog, "796 342", "App", "Mejora tu tenis=exact");
  assert_shelf_lookup (fixture->catalog, "N", "Pàm",
                       "Memòria dels morts=exact;La Bicicleta estàtica=exact");
  /* a dash read for the dot between digits; a dash elsewhere is no dot */
  assert_shelf_lookup (fixture->catalog, "796-342", "App", "Mejora tu tenis=exact");
  assert_shelf_lookup (fixture->catalog, "796-34", "Cas", "Pádel=exact");
  assert_shelf_lookup (fixture->catalog, "-79634", "Cas", "");
  /* the first digit read 1 for 7: the labels' typewriter 7 with a faint bar */
  assert_shelf_lookup (fixture->catalog, "196.41", "Aab", "Musculación=exact");
  assert_shelf_lookup (fixture->catalog, "196.41", "Aax", "Musculación=slip");
  /* one digit misread, leading digits lost */
  assert_shelf_lookup (fixture->catalog, "786.41", "Aab", "Musculación=slip");
  assert_shelf_lookup (fixture->catalog, "325", "Ken",
                       "Voleibol : claves para dominar los fundamentos=slip");
  assert_shelf_lookup (fixture->catalog, "6.41", "Lib",
                       "El Libro del fitness : atlas ilustrado=slip");
  /* one digit more in the leading number, which no class prints with 4 digits; never after
   * the dot, where it is another class of the tree ("796.422" beside "796.42") */
  assert_shelf_lookup (fixture->catalog, "7196.34", "Cas", "Pádel=slip");
  assert_shelf_lookup (fixture->catalog, "7916.41", "Lib",
                       "El Libro del fitness : atlas ilustrado=slip");
  assert_shelf_lookup (fixture->catalog, "796.3421", "App", "");
  assert_shelf_lookup (fixture->catalog, "71796.34", "Cas", "");
  /* one letter of the code misread, or its last one lost */
  assert_shelf_lookup (fixture->catalog, "796 342", "RpP", "Mejora tu tenis=slip");
  assert_shelf_lookup (fixture->catalog, "796.422", "Al",
                       "La Volta al món en 80 maratons=slip;Córrer per ser feliç=slip");
  /* two slips, one digit left, another code, a one-letter code, a mark without a code */
  assert_shelf_lookup (fixture->catalog, "786.41", "Aax", "");
  assert_shelf_lookup (fixture->catalog, "4", "Cas", "");
  assert_shelf_lookup (fixture->catalog, "796.34", "Xyz", "");
  assert_shelf_lookup (fixture->catalog, "796.34", "C", "");
  assert_shelf_lookup (fixture->catalog, "1", "Ant", "");
}

/* A version 2 database gets the shelf-mark columns in place: its books stay, without marks
 * (counted as such) until their file is imported again. */
static void
test_upgrade_version_2 (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *database = g_build_filename (fixture->dir, "catalog.db", NULL);
  g_autofree char *path = bi_test_write_file (fixture->dir, "library.csv", SHELF_BOOKS, -1);
  g_auto(BiCatalogSummary) summary = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(BiBook) book = NULL;
  /* What a version 2 file looked like: no shelf marks */
  BiSqliteCatalog *catalog = open_downgraded (database, path,
                                              "DROP TRIGGER books_marks_after_update;"
                                              "DROP TRIGGER books_marks_after_delete;"
                                              "DROP TABLE books_unread_marks;"
                                              "DROP INDEX books_shelf_code;"
                                              "DROP INDEX books_shelf_class;"
                                              "ALTER TABLE books DROP COLUMN shelf_mark;"
                                              "ALTER TABLE books DROP COLUMN shelf_class;"
                                              "ALTER TABLE books DROP COLUMN shelf_code;"
                                              "UPDATE meta SET value = '2' "
                                              "WHERE key = 'version'");

  g_assert_cmpint (bi_sqlite_catalog_count (catalog, NULL), ==, 10);
  book = assert_best (catalog, "PADEL", "Pádel", "Jaume Castellote");
  g_assert_true (bi_sqlite_catalog_get_summary (catalog, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpint (summary.with_shelf_mark, ==, 0);
  g_assert_cmpint (summary.unread_shelf_marks, ==, 10);
  assert_shelf_lookup (catalog, "796.34", "Cas", "");
  bi_catalog_summary_clear (&summary);

  /* Imported again: the marks are read, nothing is left unread. */
  g_assert_true (bi_sqlite_catalog_import_file (catalog, path, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (bi_sqlite_catalog_get_summary (catalog, &summary, &error));
  g_assert_no_error (error);
  g_assert_cmpint (summary.with_shelf_mark, ==, 10);
  g_assert_cmpint (summary.unread_shelf_marks, ==, 0);
  assert_shelf_lookup (catalog, "796.34", "Cas", "Pádel=exact");
  bi_sqlite_catalog_free (catalog);
}

static void
test_bad_files (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *missing = g_build_filename (fixture->dir, "missing.tsv", NULL);
  g_autofree char *empty = bi_test_write_file (fixture->dir, "empty.csv", "", 0);
  g_autofree char *unknown = bi_test_write_file (fixture->dir, "unknown.csv",
                                                 "name,price\nbook,3\n", -1);
  g_autofree char *binary = bi_test_write_file (fixture->dir, "binary.tsv",
                                                "\x89PNG\r\n\x1a\n\0\0", 10);
  g_autoptr(GError) error = NULL;
  gboolean imported = TRUE;

  g_assert_false (bi_sqlite_catalog_import_file (fixture->catalog, missing, NULL, &error));
  g_assert_error (error, BI_CATALOG_ERROR, BI_CATALOG_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "missing.tsv"));
  g_clear_error (&error);

  g_assert_false (bi_sqlite_catalog_import_if_changed (fixture->catalog, missing, &imported,
                                                       NULL, &error));
  g_assert_error (error, BI_CATALOG_ERROR, BI_CATALOG_ERROR_IO);
  g_assert_false (imported);
  g_clear_error (&error);

  g_assert_false (bi_sqlite_catalog_import_file (fixture->catalog, empty, NULL, &error));
  g_assert_error (error, BI_CATALOG_ERROR, BI_CATALOG_ERROR_FORMAT);
  g_clear_error (&error);

  g_assert_false (bi_sqlite_catalog_import_file (fixture->catalog, unknown, NULL, &error));
  g_assert_error (error, BI_CATALOG_ERROR, BI_CATALOG_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "goodbooks"));
  g_clear_error (&error);

  g_assert_false (bi_sqlite_catalog_import_file (fixture->catalog, binary, NULL, &error));
  g_assert_error (error, BI_CATALOG_ERROR, BI_CATALOG_ERROR_FORMAT);
  g_clear_error (&error);

  g_assert_cmpint (bi_sqlite_catalog_count (fixture->catalog, NULL), ==, 0);
}

static void
test_open_errors (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "no-such-directory", "catalog.db",
                                            NULL);
  g_autoptr(GError) error = NULL;
  BiSqliteCatalog *catalog;

  catalog = bi_sqlite_catalog_open (path, &error);
  g_assert_null (catalog);
  g_assert_error (error, BI_CATALOG_ERROR, BI_CATALOG_ERROR_OPEN);
  g_assert_nonnull (strstr (error->message, "catalog.db"));
}

/* An article or a conjunction matches thousands of rows: it is searched for only alone. */
static void
test_common_words_not_searched (void)
{
  const struct
  {
    const char *text;
    const char *match;
  } examples[] = {
    { "The Hobbit", "\"hobbit\"" },
    { "El nombre de la rosa", "\"nombre\" OR \"rosa\"" },
    { "Mi vida en el campo", "\"mi\" OR \"vida\" OR \"campo\"" },
    { "the", "\"the\"" },
    { "de la", "\"de\" OR \"la\"" },
    { "a", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (examples); i++)
    {
      BiCatalogQuery *query = bi_catalog_query_new (examples[i].text);
      g_autofree char *match = bi_catalog_query_to_fts_match (query);

      g_assert_cmpstr (match, ==, examples[i].match);
      bi_catalog_query_free (query);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/bookimg/catalog/" path, Fixture, BI_TEST_CATALOG_IN_MEMORY, \
              bi_test_catalog_set_up, func, bi_test_catalog_tear_down)
  ADD ("shared-files", test_shared_files);
  ADD ("csv-quoting", test_csv_quoting);
  ADD ("malformed-rows", test_malformed_rows);
  ADD ("isbn-checksum", test_isbn_checksum);
  ADD ("accents", test_accents);
  ADD ("injection", test_injection);
  ADD ("ranking", test_ranking);
  ADD ("ranking-ties", test_ranking_ties);
  ADD ("replace-duplicates", test_replace_duplicates);
  ADD ("import-if-changed", test_import_if_changed);
  ADD ("rescored-after-import", test_rescored_after_import);
  ADD ("word-cut-short", test_word_cut_short);
  ADD ("upgrade-version-1", test_upgrade_version_1);
  ADD ("upgrade-version-2", test_upgrade_version_2);
  ADD ("shelf-mark-import", test_shelf_mark_import);
  ADD ("shelf-mark-lookup", test_shelf_mark_lookup);
  ADD ("bad-files", test_bad_files);
  ADD ("open-errors", test_open_errors);
#undef ADD
  g_test_add_func ("/bookimg/catalog/normal-form-ascii", test_normal_form_ascii);
  g_test_add_func ("/bookimg/catalog/common-words-not-searched", test_common_words_not_searched);

  return g_test_run ();
}
