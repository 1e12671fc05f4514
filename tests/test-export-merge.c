/* test-export-merge.c — a book seen on several photos is written once, and the merge shows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-export-merge.h"

static BiExportBook *
reading (GPtrArray  *books,
         const char *title,
         const char *author,
         const char *isbn13,
         const char *photo,
         gint64      position,
         double      confidence)
{
  BiExportBook *book = bi_export_book_new (title);

  if (author != NULL)
    {
      const char *names[] = { author, NULL };

      g_strfreev (book->authors);
      book->authors = g_strdupv ((char **) names);
    }
  book->isbn13 = g_strdup (isbn13);
  book->confidence = confidence;
  bi_export_book_add_sighting (book, photo, position, title, confidence);
  g_ptr_array_add (books, book);
  return book;
}

static GPtrArray *
new_books (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) bi_export_book_unref);
}

static void
assert_sighting (BiExportBook *book,
                 guint         index,
                 const char   *photo,
                 gint64        position)
{
  BiExportSighting *sighting = g_ptr_array_index (book->sightings, index);

  g_assert_cmpstr (sighting->photo, ==, photo);
  g_assert_cmpint (sighting->position, ==, position);
}

static void
test_by_isbn (void)
{
  g_autoptr(GPtrArray) books = new_books ();
  g_autoptr(GPtrArray) merged = NULL;
  BiExportBook *first = reading (books, "Dune", "Frank Herbert", "9780441172719", "a.jpg", 3,
                                 0.6);
  BiExportBook *book;

  /* Different title text, same ISBN: the same book. */
  reading (books, "DUNE (Dune Chronicles #1)", NULL, "9780441172719", "b.jpg", 7, 0.9)->year
    = 1965;
  reading (books, "Emma", "Jane Austen", NULL, "b.jpg", 8, 0.8);

  merged = bi_export_merge (books);
  g_assert_cmpuint (merged->len, ==, 2);
  book = g_ptr_array_index (merged, 0);
  g_assert_cmpstr (book->title, ==, "Dune");
  g_assert_cmpuint (bi_export_book_get_merged_from (book), ==, 2);
  assert_sighting (book, 0, "a.jpg", 3);
  assert_sighting (book, 1, "b.jpg", 7);
  g_assert_cmpint (book->year, ==, 1965);           /* filled in from the later reading */
  g_assert_cmpfloat (book->confidence, ==, 0.9);    /* the best reading's */
  g_assert_cmpstr (bi_export_book_get_photo (book), ==, "a.jpg");

  /* The input is not changed. */
  g_assert_cmpuint (first->sightings->len, ==, 1);
  g_assert_cmpint (first->year, ==, 0);
}

static void
test_by_title_and_author (void)
{
  g_autoptr(GPtrArray) books = new_books ();
  g_autoptr(GPtrArray) merged = NULL;
  BiExportBook *book;

  reading (books, "The Colour of Magic (Discworld, #1)", "Terry Pratchett", NULL, "a.jpg", 0,
           0.7);
  reading (books, "colour of magic", "PRATCHETT, Terry", "9780062225672", "b.jpg", 2, 0.8);
  reading (books, "Colour of Magic!", "T. Pratchett", NULL, "c.jpg", 1, 0.5);
  reading (books, "L'Étranger", "Albert Camus", NULL, "a.jpg", 1, 0.5);
  reading (books, "l etranger", "CAMUS", NULL, "c.jpg", 4, 0.5);

  merged = bi_export_merge (books);
  g_assert_cmpuint (merged->len, ==, 2);
  book = g_ptr_array_index (merged, 0);
  g_assert_cmpuint (bi_export_book_get_merged_from (book), ==, 3);
  g_assert_cmpstr (book->isbn13, ==, "9780062225672");
  assert_sighting (book, 2, "c.jpg", 1);
  g_assert_cmpuint (bi_export_book_get_merged_from (g_ptr_array_index (merged, 1)), ==, 2);
}

static void
test_kept_apart (void)
{
  g_autoptr(GPtrArray) books = new_books ();
  g_autoptr(GPtrArray) merged = NULL;

  /* Two editions: same title and author, different ISBN-13s. */
  reading (books, "Dune", "Frank Herbert", "9780441172719", "a.jpg", 0, 0.5);
  reading (books, "Dune", "Frank Herbert", "9780340960196", "b.jpg", 0, 0.5);
  /* Same title, another author. */
  reading (books, "Poems", "Emily Dickinson", NULL, "a.jpg", 1, 0.5);
  reading (books, "Poems", "Walt Whitman", NULL, "b.jpg", 1, 0.5);
  /* Two copies side by side on one photo. */
  reading (books, "Emma", "Jane Austen", "9780141439587", "c.jpg", 0, 0.5);
  reading (books, "Emma", "Jane Austen", "9780141439587", "c.jpg", 1, 0.5);
  /* Titles of only punctuation never match each other. */
  reading (books, "???", NULL, NULL, "a.jpg", 5, 0.1);
  reading (books, "!!!", NULL, NULL, "b.jpg", 5, 0.1);

  merged = bi_export_merge (books);
  g_assert_cmpuint (merged->len, ==, books->len);
}

static void
test_empty (void)
{
  g_autoptr(GPtrArray) books = new_books ();
  g_autoptr(GPtrArray) merged = bi_export_merge (books);

  g_assert_cmpuint (merged->len, ==, 0);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bookimg/export/merge/by-isbn", test_by_isbn);
  g_test_add_func ("/bookimg/export/merge/by-title-and-author", test_by_title_and_author);
  g_test_add_func ("/bookimg/export/merge/kept-apart", test_kept_apart);
  g_test_add_func ("/bookimg/export/merge/empty", test_empty);

  return g_test_run ();
}
