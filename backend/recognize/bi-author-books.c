/* bi-author-books.c — the book a spine names through its author's name
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-author-books"

#include "bi-author-books.h"
#include "bi-text-similarity.h"
#include "bi-title-normalize.h"

#include <string.h>

/* Books asked of the catalog for a name: an author with this many books or more is too
 * prolific for a few words to say which of them the spine is (and the search may not show
 * them all). */
#define AUTHOR_BOOKS_ASKED 15
/* A surname this short is often a word of a title or a given name ("Oz", "Roy"). */
#define MIN_SURNAME_LENGTH 4
/* A surname counts as read from its first letters, the rest lost at the spine's edge, when
 * this many are read, and with the given name ("SARA PARET" of "Sara Paretsky"). */
#define MIN_SURNAME_PREFIX_LENGTH 5
/* Title words this long or longer tell an author's books apart, read exactly or with one
 * slip ("hjos" for "hijos"); shorter ones are read with a slip by chance. */
#define MIN_TITLE_WORD_LENGTH 4

/* Words of four letters or more that half the titles of a language hold: no evidence of
 * one title among an author's. */
static const char * const common_title_words[] = {
  "with", "from", "into", "that", "this", "your", "their", "what",
  "dels", "para", "como", "sobre", "entre", "sense", "pour", "dans", "avec", "sans",
  "über", "eine", "einer",
  NULL,
};

void
bi_author_book_free (BiAuthorBook *self)
{
  if (self == NULL)
    return;
  bi_book_free (self->book);
  g_free (self);
}

/* Whether @word is one of @words. */
static gboolean
has_word (char       **words,
          const char  *word)
{
  return g_strv_contains ((const char * const *) words, word);
}

/* Whether @book has an author whose name, normalised, is @name. */
static gboolean
book_has_author (const BiBook *book,
                 const char   *name)
{
  for (guint a = 0; book->authors != NULL && book->authors[a] != NULL; a++)
    {
      g_autofree char *author = bi_title_normalize_text (book->authors[a]);

      if (strcmp (author, name) == 0)
        return TRUE;
    }
  return FALSE;
}

/* Whether every author of the catalog's books found for @surname whose name ends with it
 * is @name: the surname read names one author ("pamuk"; not "johnson"). */
static gboolean
surname_names_one_author (BiCatalog   *catalog,
                          const char  *surname,
                          const char  *name,
                          gboolean    *one,
                          GError     **error)
{
  g_autoptr(GPtrArray) found = catalog->search (catalog, surname, AUTHOR_BOOKS_ASKED, error);

  if (found == NULL)
    return FALSE;
  *one = TRUE;
  for (guint k = 0; k < found->len && *one; k++)
    {
      const BiBook *book = g_ptr_array_index (found, k);

      for (guint a = 0; book->authors != NULL && book->authors[a] != NULL; a++)
        {
          g_autofree char *author = bi_title_normalize_text (book->authors[a]);
          g_auto(GStrv) words = g_strsplit (author, " ", -1);

          if (has_word (words, surname) && strcmp (author, name) != 0)
            *one = FALSE;
        }
    }
  return TRUE;
}

/* Whether the title of @book shares a word of MIN_TITLE_WORD_LENGTH letters or more with
 * @text_words, exactly or with one slip, leaving out the words of the author's name (a
 * title may hold it, and the text reads it anyway). */
static gboolean
shares_title_word (const BiBook  *book,
                   char         **text_words,
                   char         **name_words)
{
  g_autofree char *title = bi_title_normalize (book->title != NULL ? book->title : "");
  g_auto(GStrv) title_words = g_strsplit (title, " ", -1);

  for (guint t = 0; title_words[t] != NULL; t++)
    {
      if (g_utf8_strlen (title_words[t], -1) < MIN_TITLE_WORD_LENGTH ||
          has_word (name_words, title_words[t]) ||
          g_strv_contains (common_title_words, title_words[t]))
        continue;
      for (guint w = 0; text_words[w] != NULL; w++)
        if (!has_word (name_words, text_words[w]) &&
            bi_text_one_slip (text_words[w], title_words[t], MIN_TITLE_WORD_LENGTH))
          return TRUE;
    }
  return FALSE;
}

/* Whether @book is one of @books (the same catalog book). */
static gboolean
is_among (const BiBook *book,
          GPtrArray    *books)
{
  for (guint k = 0; books != NULL && k < books->len; k++)
    {
      const BiBook *other = g_ptr_array_index (books, k);

      if (g_strcmp0 (other->source_id, book->source_id) == 0 &&
          g_strcmp0 (other->title, book->title) == 0)
        return TRUE;
    }
  return FALSE;
}

/* The one book of @books for which @test holds, or NULL. */
static const BiBook *
only_book (GPtrArray *books,
           gboolean (*test) (const BiBook *book, gpointer data),
           gpointer   data)
{
  const BiBook *found = NULL;

  for (guint k = 0; k < books->len; k++)
    if (test (g_ptr_array_index (books, k), data))
      {
        if (found != NULL)
          return NULL;
        found = g_ptr_array_index (books, k);
      }
  return found;
}

typedef struct
{
  char **text_words;
  char **name_words;
} WordTest;

static gboolean
shares_word_test (const BiBook *book,
                  gpointer      data)
{
  const WordTest *words = data;

  return shares_title_word (book, words->text_words, words->name_words);
}

typedef struct
{
  GPtrArray *labelled;
  GPtrArray *given;
} LabelTest;

/* A book the label names, and no other spine of the photo has: the library's shelf holds
 * each book once, so one of an author's books given to the spine beside is not this one
 * ("N Pam" names three of Orhan Pamuk's books, two of them read clearly next door). */
static gboolean
labelled_test (const BiBook *book,
               gpointer      data)
{
  const LabelTest *test = data;

  return is_among (book, test->labelled) && !is_among (book, test->given);
}

/* The book of the author @name that @text_words (and the books @labelled, but for those
 * @given) name, appended to @named; or none. */
static gboolean
add_author_book (BiCatalog   *catalog,
                 const char  *name,
                 char       **name_words,
                 char       **text_words,
                 GPtrArray   *labelled,
                 GPtrArray   *given,
                 GPtrArray   *named,
                 GError     **error)
{
  g_autoptr(GPtrArray) found = catalog->search (catalog, name, AUTHOR_BOOKS_ASKED, error);
  g_autoptr(GPtrArray) books = g_ptr_array_new ();
  WordTest words = { text_words, name_words };
  LabelTest label = { labelled, given };
  const BiBook *chosen = NULL;
  BiAuthorReason reason;
  BiAuthorBook *book;

  if (found == NULL)
    return FALSE;
  for (guint k = 0; k < found->len; k++)
    if (book_has_author (g_ptr_array_index (found, k), name))
      g_ptr_array_add (books, g_ptr_array_index (found, k));
  /* None, or as many as asked: the author may have more than the search shows. */
  if (books->len == 0 || books->len >= AUTHOR_BOOKS_ASKED)
    return TRUE;

  if (books->len == 1)
    {
      chosen = g_ptr_array_index (books, 0);
      reason = BI_AUTHOR_ONLY_BOOK;
    }
  else if ((chosen = only_book (books, shares_word_test, &words)) != NULL)
    reason = BI_AUTHOR_TITLE_WORD;
  else if (labelled != NULL && (chosen = only_book (books, labelled_test, &label)) != NULL)
    reason = BI_AUTHOR_LABEL;
  else
    return TRUE;

  book = g_new0 (BiAuthorBook, 1);
  book->book = bi_book_copy (chosen);
  book->reason = reason;
  g_ptr_array_add (named, book);
  return TRUE;
}

/* Whether one of @text_words is the first MIN_SURNAME_PREFIX_LENGTH letters or more of
 * @surname, and not all of it. */
static gboolean
reads_surname_start (char       **text_words,
                     const char  *surname)
{
  for (guint w = 0; text_words[w] != NULL; w++)
    if (g_utf8_strlen (text_words[w], -1) >= MIN_SURNAME_PREFIX_LENGTH &&
        strlen (surname) > strlen (text_words[w]) && g_str_has_prefix (surname, text_words[w]))
      return TRUE;
  return FALSE;
}

gboolean
bi_author_books_named (BiCatalog  *catalog,
                       const char *text,
                       GPtrArray  *books,
                       GPtrArray  *labelled,
                       GPtrArray  *given,
                       GPtrArray  *named,
                       GError    **error)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(GStrv) text_words = NULL;

  g_return_val_if_fail (catalog != NULL && text != NULL && books != NULL && named != NULL,
                        FALSE);

  text_words = g_strsplit (text, " ", -1);
  for (guint b = 0; b < books->len; b++)
    {
      const BiBook *hit = g_ptr_array_index (books, b);

      for (guint a = 0; hit->authors != NULL && hit->authors[a] != NULL; a++)
        {
          g_autofree char *name = bi_title_normalize_text (hit->authors[a]);
          g_auto(GStrv) name_words = NULL;
          guint n_words;
          const char *surname;
          gboolean given_name;
          gboolean identified;

          if (g_hash_table_contains (seen, name))
            continue;
          g_hash_table_add (seen, g_strdup (name));
          name_words = g_strsplit (name, " ", -1);
          n_words = g_strv_length (name_words);
          if (n_words < 2)
            continue;
          surname = name_words[n_words - 1];
          given_name = g_utf8_strlen (name_words[0], -1) >= 2 &&
                       has_word (text_words, name_words[0]);
          if (g_utf8_strlen (surname, -1) < MIN_SURNAME_LENGTH)
            continue;
          if (has_word (text_words, surname))
            {
              identified = given_name;
              if (!identified &&
                  !surname_names_one_author (catalog, surname, name, &identified, error))
                return FALSE;
            }
          else
            identified = given_name && reads_surname_start (text_words, surname);
          if (identified &&
              !add_author_book (catalog, name, name_words, text_words, labelled, given, named,
                               error))
            return FALSE;
        }
    }
  return TRUE;
}

/* The normalised words of @text. */
static char **
normal_words (const char *text)
{
  g_autofree char *normal = bi_title_normalize_text (text != NULL ? text : "");

  return g_strsplit (normal, " ", -1);
}

/* Whether @word is one of @book_words as OCR may read it. */
static gboolean
holds_word (char       **book_words,
            const char  *word)
{
  for (guint k = 0; book_words[k] != NULL; k++)
    if (bi_text_same_word (word, book_words[k]))
      return TRUE;
  return FALSE;
}

/* Whether every word of @text_words that @book's title or authors hold is one of
 * @name_words, and its title holds one of them. */
static gboolean
reads_only_name (const BiBook  *book,
                 char         **text_words,
                 char         **name_words)
{
  g_auto(GStrv) title_words = normal_words (book->title);
  g_autofree char *joined = book->authors != NULL ? g_strjoinv (" ", book->authors) : NULL;
  g_auto(GStrv) author_words = normal_words (joined);
  gboolean titled = FALSE;

  for (guint w = 0; text_words[w] != NULL; w++)
    {
      gboolean in_title;

      if (g_utf8_strlen (text_words[w], -1) < 2)
        continue;
      in_title = holds_word (title_words, text_words[w]);
      if (!in_title && !holds_word (author_words, text_words[w]))
        continue;
      if (!has_word (name_words, text_words[w]))
        return FALSE;
      titled |= in_title;
    }
  return titled;
}

/* Whether @book is by @name (normalised) and titled by it alone ("Mark Twain" by Mark
 * Twain): reading the name reads all of its title and of its author. */
static gboolean
is_eponymous (const BiBook *book,
              const char   *name)
{
  g_autofree char *title = bi_title_normalize_text (book->title != NULL ? book->title : "");

  return strcmp (title, name) == 0 && book_has_author (book, name);
}

/* Whether @text_words read the name @name_words: two of its words or more, and every one
 * of two letters or more ("m c beaton" has one). */
static gboolean
reads_name (char **text_words,
            char **name_words)
{
  guint read = 0;

  for (guint n = 0; name_words[n] != NULL; n++)
    {
      if (g_utf8_strlen (name_words[n], -1) < 2)
        continue;
      if (!has_word (text_words, name_words[n]))
        return FALSE;
      read++;
    }
  return read >= 2;
}

void
bi_author_books_find_bylines (const char *text,
                              GPtrArray  *books,
                              gboolean   *bylines)
{
  g_auto(GStrv) text_words = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  g_return_if_fail (text != NULL && books != NULL && bylines != NULL);

  text_words = g_strsplit (text, " ", -1);
  /* The authors' names the text reads. */
  for (guint b = 0; b < books->len; b++)
    {
      const BiBook *book = g_ptr_array_index (books, b);

      for (guint a = 0; book->authors != NULL && book->authors[a] != NULL; a++)
        {
          g_autofree char *name = bi_title_normalize_text (book->authors[a]);
          g_auto(GStrv) name_words = g_strsplit (name, " ", -1);

          if (reads_name (text_words, name_words) &&
              !g_ptr_array_find_with_equal_func (names, name, g_str_equal, NULL))
            g_ptr_array_add (names, g_steal_pointer (&name));
        }
    }

  for (guint b = 0; b < books->len; b++)
    {
      const BiBook *book = g_ptr_array_index (books, b);

      bylines[b] = FALSE;
      for (guint n = 0; n < names->len && !bylines[b]; n++)
        {
          const char *name = g_ptr_array_index (names, n);
          g_auto(GStrv) name_words = g_strsplit (name, " ", -1);
          gboolean elsewhere = FALSE;

          /* The name is a byline when another book of the hits is by its author. */
          for (guint o = 0; o < books->len && !elsewhere; o++)
            elsewhere = o != b && book_has_author (g_ptr_array_index (books, o), name);
          bylines[b] = elsewhere && !is_eponymous (book, name) &&
                       reads_only_name (book, text_words, name_words);
        }
    }
}
