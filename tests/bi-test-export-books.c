/* bi-test-export-books.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-test-export-books.h"

const char *const bi_test_export_titles[] = {
  "Война и мир",
  "東京",
  "Ça & «ça» {x} 100%",
  "Say \"Hi\", World",
  "Issue #1_a costs $5 ~ x^2 \\ back",
  "Braces {{nested}} and } alone",
  "Naïve Æsop: ø, ß – ok",
  NULL,
};

static const char *const authors[] = {
  "Лев Толстой", "村上 春樹", "Jean-Paul Sartre", "Le Guin, Ursula K.", "Simone de Beauvoir",
  "Brontë, Charlotte", "Plato",
};

/* Valid ISBN-13s (check digit right). */
static const char *const isbns[] = {
  "9780441172719", NULL, "9780062225672", NULL, "9780618260300", NULL, "9780140449136",
};

GPtrArray *
bi_test_export_books_new (void)
{
  GPtrArray *books = g_ptr_array_new_with_free_func ((GDestroyNotify) bi_export_book_unref);

  for (guint i = 0; bi_test_export_titles[i] != NULL; i++)
    {
      BiExportBook *book = bi_export_book_new (bi_test_export_titles[i]);
      const char *names[] = { authors[i], NULL };

      g_strfreev (book->authors);
      book->authors = g_strdupv ((char **) names);
      book->year = i % 3 == 2 ? 0 : 1800 + (int) i * 20;
      book->isbn13 = g_strdup (isbns[i]);
      book->confidence = 0.5 + i * 0.05;
      bi_export_book_add_sighting (book, "shelf.jpg", i, "SPINE TEXT", book->confidence);
      g_ptr_array_add (books, book);
    }

  return books;
}

char *
bi_test_export_straight_quotes (const char *title)
{
  GString *out = g_string_new (NULL);

  for (const char *p = title; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == 0x201C || c == 0x201D)
        c = '"';
      else if (c == 0x2018 || c == 0x2019)
        c = '\'';
      g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}
