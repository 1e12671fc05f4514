/* test-catalog-formats.c — Goodreads, Libib and BookImg catalog files, told by their content
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-test-catalog.h"
#include "bi-test-export-books.h"
#include "bi-test-files.h"

#include "bi-export.h"

#include <gio/gio.h>
#include <string.h>

typedef BiTestCatalog Fixture;

/* The best match for @query, which must have @title. */
static BiBook *
find_title (Fixture    *fixture,
            const char *query,
            const char *title)
{
  BiCatalog *port = bi_sqlite_catalog_as_port (fixture->catalog);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) books = port->search (port, query, 1, &error);

  g_assert_no_error (error);
  if (books->len == 0)
    g_error ("nothing found for “%s”", query);
  g_assert_cmpstr (((BiBook *) g_ptr_array_index (books, 0))->title, ==, title);
  return bi_book_copy (g_ptr_array_index (books, 0));
}

static void
assert_authors (const BiBook      *book,
                const char *const *authors)
{
  g_assert_cmpstrv (book->authors, authors);
}

/* Goodreads' own export: ="…" ISBN cells, empty ones, additional authors, quotes, the
 * edition's year when the original one is missing, an ISBN-10 only, non-Latin text. */
static const char goodreads_export[] =
  "Book Id,Title,Author,Author l-f,Additional Authors,ISBN,ISBN13,My Rating,Average Rating,"
  "Publisher,Binding,Number of Pages,Year Published,Original Publication Year,Date Read,"
  "Date Added,Bookshelves,Bookshelves with positions,Exclusive Shelf,My Review,Spoiler,"
  "Private Notes,Read Count,Owned Copies\n"
  "2767052,\"The Hunger Games (The Hunger Games, #1)\",Suzanne Collins,\"Collins, Suzanne\",,"
  "\"=\"\"0439023483\"\"\",\"=\"\"9780439023481\"\"\",0,4.33,Scholastic Press,Hardcover,374,"
  "2008,2008,,2023/01/02,to-read,to-read (#1),to-read,,,,0,0\n"
  "12067,\"Good Omens: The \"\"Nice\"\" and Accurate Prophecies\",Terry Pratchett,"
  "\"Pratchett, Terry\",\"Neil Gaiman, Stephen Briggs\",=\"\",=\"\",5,4.25,Workman,Paperback,"
  "491,2006,,,2023/01/03,,,read,,,,1,0\n"
  "234225,Dune,Frank Herbert,\"Herbert, Frank\",,=\"0441172717\",=\"\",4,4.27,Ace,"
  "Paperback,604,1990,1965,,2023/01/04,,,read,,,,1,1\n"
  "656,Война и мир,Лев Толстой,\"Толстой, Лев\",,,,0,4.13,,,1296,2007,1869,,2023/01/05,,,"
  "to-read,,,,0,0\n"
  "42,Too Few Columns,Someone\n"
  "abc,An Id That Is Not A Number,Someone,,,,,0,0,,,,2001,,,,,,,,,,0,0\n";

static void
test_goodreads_export (Fixture       *fixture,
                       gconstpointer  data)
{
  g_auto(BiCatalogImportStats) stats = { 0 };
  g_autoptr(BiBook) hunger = NULL;
  g_autoptr(BiBook) omens = NULL;
  g_autoptr(BiBook) dune = NULL;
  g_autoptr(BiBook) war = NULL;

  /* Named like a TSV: the content decides. */
  bi_test_catalog_import_text (fixture, "library.tsv", goodreads_export, &stats);
  bi_test_catalog_assert_stats (&stats, "Goodreads CSV", 4, 2);
  g_assert_cmpstr (g_ptr_array_index (stats.reasons, 0), ==,
                   "line 6: the row has 3 fields where the header names 24");
  g_assert_cmpstr (g_ptr_array_index (stats.reasons, 1), ==,
                   "line 7: the Book Id \"abc\" is not a number");

  hunger = bi_test_catalog_lookup_isbn (fixture, "9780439023481");
  g_assert_cmpstr (hunger->title, ==, "The Hunger Games (The Hunger Games, #1)");
  g_assert_cmpstr (hunger->source_id, ==, "goodreads:2767052");
  g_assert_cmpint (hunger->year, ==, 2008);
  assert_authors (hunger, (const char *const[]) { "Suzanne Collins", NULL });

  omens = find_title (fixture, "good omens nice accurate",
                      "Good Omens: The \"Nice\" and Accurate Prophecies");
  g_assert_null (omens->isbn13);
  g_assert_cmpint (omens->year, ==, 2006);
  assert_authors (omens, (const char *const[]) { "Terry Pratchett", "Neil Gaiman",
                                                 "Stephen Briggs", NULL });

  /* Only the ISBN-10 is given: stored as its ISBN-13; the original year wins. */
  dune = bi_test_catalog_lookup_isbn (fixture, "9780441172719");
  g_assert_cmpstr (dune->title, ==, "Dune");
  g_assert_cmpint (dune->year, ==, 1965);

  war = find_title (fixture, "война и мир", "Война и мир");
  assert_authors (war, (const char *const[]) { "Лев Толстой", NULL });
  g_assert_cmpint (war->year, ==, 1869);
}

/* Libib's export: only books, the year from publish_date, a description over two lines. */
static const char libib_export[] =
  "item_type,title,creators,first_name,last_name,ean_isbn13,upc_isbn10,description,"
  "publisher,publish_date,group,tags,notes,price,length,number_of_discs,number_of_players,"
  "age_group,ensemble,aspect_ratio,esrb,rating,review,review_date,status,began,completed,"
  "added,copies\n"
  "book,The Hunger Games,Suzanne Collins,Suzanne,Collins,9780439023481,0439023483,"
  "\"A \"\"reality\"\" show,\nto the death.\",Scholastic,2008-09-14,,,,,,,,,,,,,,,,,,"
  "2023-01-02,1\n"
  "movie,Dune,Denis Villeneuve,Denis,Villeneuve,0883929789077,,,,2021-10-22,,,,,,,,,,,,,,,,"
  ",,2023-01-02,1\n"
  "book,Dune,Frank Herbert,Frank,Herbert,,0441172717,,Ace,1990,,,,,,,,,,,,,,,,,,2023-01-02,1\n"
  "book,東京,\"村上 春樹, Jay Rubin\",,,,,,,,,,,,,,,,,,,,,,,,,2023-01-02,1\n"
  "book,,Nobody,,,,,,,,,,,,,,,,,,,,,,,,,2023-01-02,1\n";

static void
test_libib (Fixture       *fixture,
            gconstpointer  data)
{
  g_auto(BiCatalogImportStats) stats = { 0 };
  g_autoptr(BiBook) hunger = NULL;
  g_autoptr(BiBook) dune = NULL;
  g_autoptr(BiBook) tokyo = NULL;

  bi_test_catalog_import_text (fixture, "export.txt", libib_export, &stats);
  bi_test_catalog_assert_stats (&stats, "Libib CSV", 3, 2);
  g_assert_cmpstr (g_ptr_array_index (stats.reasons, 0), ==,
                   "line 4: the item is a \"movie\", not a book");
  g_assert_cmpstr (g_ptr_array_index (stats.reasons, 1), ==, "line 7: the title is empty");

  hunger = bi_test_catalog_lookup_isbn (fixture, "9780439023481");
  g_assert_cmpint (hunger->year, ==, 2008);
  g_assert_true (g_str_has_prefix (hunger->source_id, "libib:"));
  dune = bi_test_catalog_lookup_isbn (fixture, "9780441172719");
  g_assert_cmpstr (dune->title, ==, "Dune");
  assert_authors (dune, (const char *const[]) { "Frank Herbert", NULL });
  g_assert_cmpint (dune->year, ==, 1990);
  tokyo = find_title (fixture, "東京", "東京");
  assert_authors (tokyo, (const char *const[]) { "村上 春樹", "Jay Rubin", NULL });
}

static void
test_bookimg_tsv (Fixture       *fixture,
                  gconstpointer  data)
{
  g_auto(BiCatalogImportStats) stats = { 0 };
  g_autoptr(BiBook) omens = NULL;
  g_autoptr(BiBook) war = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *near_miss = NULL;

  bi_test_catalog_import_text (fixture, "starter.tsv",
                               "id\ttitle\tauthors\tyear\tisbn13\n"
                               "good-omens\tGood Omens\tTerry Pratchett; Neil Gaiman\t1990\t"
                               "9780060853983\n"
                               "war-and-peace\tВойна и мир\tЛев Толстой\t\t\n"
                               "bad-isbn\tDune\tFrank Herbert\t1965\t9780441172710\n"
                               "has space\tDune\tFrank Herbert\t1965\t\n"
                               "bad-year\tDune\tFrank Herbert\tsoon\t\n", &stats);
  bi_test_catalog_assert_stats (&stats, "BookImg catalog TSV", 2, 3);
  g_assert_cmpstr (g_ptr_array_index (stats.reasons, 0), ==,
                   "line 4: the isbn13 \"9780441172710\" is not 13 digits with a correct "
                   "check digit");
  g_assert_true (g_str_has_prefix (g_ptr_array_index (stats.reasons, 1),
                                   "line 5: the id \"has space\""));
  g_assert_cmpstr (g_ptr_array_index (stats.reasons, 2), ==,
                   "line 6: the year \"soon\" is not a whole number");

  omens = bi_test_catalog_lookup_isbn (fixture, "9780060853983");
  g_assert_cmpstr (omens->source_id, ==, "bookimg:good-omens");
  assert_authors (omens, (const char *const[]) { "Terry Pratchett", "Neil Gaiman", NULL });
  war = find_title (fixture, "война мир", "Война и мир");
  g_assert_cmpint (war->year, ==, 0);
  g_assert_null (war->isbn13);

  /* The header must be exactly ours: another order is not read with the wrong meaning. */
  near_miss = bi_test_write_file (fixture->dir, "near.tsv",
                                  "id\tauthors\ttitle\tyear\tisbn13\n1\tA\tB\t\t\n", -1);
  g_assert_false (bi_sqlite_catalog_import_file (fixture->catalog, near_miss, NULL, &error));
  g_assert_error (error, BI_CATALOG_ERROR, BI_CATALOG_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, "BookImg catalog TSV (id, title, authors, year, "
                                            "isbn13)"));
}

static void
test_gzip_csv (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *path = bi_test_catalog_write_gzip (fixture, "libib.csv.gz", libib_export,
                                                      strlen (libib_export));
  g_auto(BiCatalogImportStats) stats = { 0 };

  bi_test_catalog_import_path (fixture, path, &stats);
  g_assert_cmpstr (stats.format, ==, "Libib CSV");
  g_assert_cmpuint (stats.imported, ==, 3);
}

/* Our own Goodreads and Libib writers' files read back: every title, first author and
 * ISBN-13 (Libib writes only the books with one). */
static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  const struct { BiBookFormat format; const char *name; const char *kind; } cases[] = {
    { BI_BOOK_FORMAT_GOODREADS, "goodreads.csv", "Goodreads CSV" },
    { BI_BOOK_FORMAT_LIBIB, "libib.csv", "Libib CSV" },
  };
  g_autoptr(BiBook) tokyo = NULL;

  for (guint c = 0; c < G_N_ELEMENTS (cases); c++)
    {
      g_autoptr(GPtrArray) books = bi_test_export_books_new ();
      g_autoptr(GPtrArray) skipped =
        g_ptr_array_new_with_free_func ((GDestroyNotify) bi_export_skip_free);
      g_autoptr(GString) text = g_string_new (NULL);
      g_auto(BiCatalogImportStats) stats = { 0 };
      guint written = bi_export_write (cases[c].format, books, text, skipped);

      bi_test_catalog_import_text (fixture, cases[c].name, text->str, &stats);
      bi_test_catalog_assert_stats (&stats, cases[c].kind, written, 0);

      for (guint i = 0; i < books->len; i++)
        {
          BiExportBook *book = g_ptr_array_index (books, i);
          g_autoptr(BiBook) found = NULL;

          if (book->isbn13 == NULL)
            continue;
          found = bi_test_catalog_lookup_isbn (fixture, book->isbn13);
          g_assert_cmpstr (found->title, ==, book->title);
          /* Libib joins authors with commas, so an inverted name comes back split. */
          if (cases[c].format == BI_BOOK_FORMAT_GOODREADS ||
              strchr (book->authors[0], ',') == NULL)
            g_assert_cmpstr (found->authors[0], ==, book->authors[0]);
          if (cases[c].format == BI_BOOK_FORMAT_GOODREADS)
            g_assert_cmpint (found->year, ==, book->year);
        }
    }

  /* The Goodreads file had the books without an ISBN too. */
  tokyo = find_title (fixture, "東京", "東京");
  g_assert_true (g_str_has_prefix (tokyo->source_id, "goodreads:"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/bookimg/catalog/formats/" path, Fixture, NULL, bi_test_catalog_set_up, func, \
              bi_test_catalog_tear_down)
  ADD ("goodreads-export", test_goodreads_export);
  ADD ("libib", test_libib);
  ADD ("bookimg-tsv", test_bookimg_tsv);
  ADD ("gzip-csv", test_gzip_csv);
  ADD ("round-trip", test_round_trip);
#undef ADD

  return g_test_run ();
}
