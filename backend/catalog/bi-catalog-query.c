/* bi-catalog-query.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-catalog-query"

#include "bi-catalog-query.h"
#include "bi-ports.h"
#include "bi-search-text.h"

#include <string.h>

struct _BiCatalogQuery
{
  GPtrArray  *words;        /* unique normalised words, in the order of the text */
  GArray     *weights;      /* of double: word_weight() of each of @words */
  GHashTable *word_set;     /* the same words, for membership tests (keys owned by words) */
  double      total_weight; /* sum of the words' weights */
};

/* A text's normalised words, each once, in the order they first appear, with their weights
 * (word_weight()). */
typedef struct
{
  char  **words;
  double *weights;
} Words;

/* A catalog row's words as bi_catalog_query_score() compares them with the query. */
typedef struct
{
  GHashTable  *all;            /* every word of the title, original title and authors (owned) */
  Words        main_title;     /* the title's main part */
  Words        whole_title;    /* the whole title */
  Words        original_main;  /* the original title's main part; words NULL without one */
  Words        original_whole; /* the whole original title; words NULL without one */
} BookWords;

/* What an article or a conjunction weighs (common_words). */
#define COMMON_WORD_WEIGHT 0.2
/* Words weighing this much or more carry meaning (three letters or more, not common). */
#define INFORMATIVE_WEIGHT 0.6
/* What a match resting on a single meaningful word keeps of its score. */
#define SINGLE_WORD_FACTOR 0.7

/* Articles and conjunctions of the catalogs' languages match almost every title; they may
 * help bm25 order rows but must not make a match. */
static const char * const common_words[] = {
  "the", "and", "of", "an", "to", "in", "on", "for", "with", "by",
  "el", "la", "los", "las", "lo", "de", "del", "y", "en", "un", "una", "al", "con", "por",
  "els", "les", "dels", "amb", "per",
  "le", "du", "des", "et", "der", "die", "das", "und",
  NULL,
};

/* The weight of a word in a match: long words say much, short and common ones little. */
static double
word_weight (const char *word)
{
  glong length = g_utf8_strlen (word, -1);

  if (length < 2 || g_strv_contains (common_words, word))
    return length < 2 ? 0.0 : COMMON_WORD_WEIGHT;
  if (length == 2)
    return 0.35;
  if (length == 3)
    return 0.6;
  return 1.0;
}

BiCatalogQuery *
bi_catalog_query_new (const char *text)
{
  BiCatalogQuery *self;
  g_autofree char *normalized = NULL;
  g_auto(GStrv) words = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  self = g_new0 (BiCatalogQuery, 1);
  self->words = g_ptr_array_new_with_free_func (g_free);
  self->weights = g_array_new (FALSE, FALSE, sizeof (double));
  self->word_set = g_hash_table_new (g_str_hash, g_str_equal);

  normalized = bi_search_text_normalize (text);
  words = g_strsplit (normalized, " ", -1);
  for (guint i = 0; words[i] != NULL && self->words->len < BI_CATALOG_QUERY_MAX_WORDS; i++)
    {
      double weight = word_weight (words[i]);

      /* Single letters (initials, OCR specks) would match everything. */
      if (weight == 0.0 || g_hash_table_contains (self->word_set, words[i]))
        continue;
      g_ptr_array_add (self->words, g_strdup (words[i]));
      g_array_append_val (self->weights, weight);
      g_hash_table_add (self->word_set, g_ptr_array_index (self->words, self->words->len - 1));
      self->total_weight += weight;
    }

  return self;
}

void
bi_catalog_query_free (BiCatalogQuery *self)
{
  if (self == NULL)
    return;

  g_hash_table_unref (self->word_set);
  g_ptr_array_unref (self->words);
  g_array_unref (self->weights);
  g_free (self);
}

gboolean
bi_catalog_query_is_empty (const BiCatalogQuery *self)
{
  return self->words->len == 0;
}

char *
bi_catalog_query_to_fts_match (const BiCatalogQuery *self)
{
  GString *match;
  gboolean with_meaning = FALSE;

  if (bi_catalog_query_is_empty (self))
    return NULL;

  /* A common word ("the", "de") matches thousands of rows, which bm25 must all rank before
   * the pool is cut, and none of which it can make a match alone: it is asked for only when
   * the query has nothing else. */
  for (guint i = 0; i < self->words->len; i++)
    with_meaning |= g_array_index (self->weights, double, i) > COMMON_WORD_WEIGHT;

  match = g_string_new (NULL);
  for (guint i = 0; i < self->words->len; i++)
    {
      const char *word = g_ptr_array_index (self->words, i);

      if (with_meaning && g_array_index (self->weights, double, i) <= COMMON_WORD_WEIGHT)
        continue;
      if (match->len > 0)
        g_string_append (match, " OR ");
      /* A quoted FTS5 string is never an operator; a quote inside is doubled. Normalised
       * words hold no quotes, but the quoting must not depend on that. */
      g_string_append_c (match, '"');
      for (const char *p = word; *p != '\0'; p++)
        {
          if (*p == '"')
            g_string_append_c (match, '"');
          g_string_append_c (match, *p);
        }
      g_string_append_c (match, '"');
    }

  return g_string_free (match, FALSE);
}

/* The title without a trailing parenthesised note ("(The Hunger Games, #1)") and without a
 * subtitle after a colon ("Las Pseudociencias : ¡vaya timo!"): what a spine shows large. */
static char *
main_title (const char *title)
{
  g_autofree char *main = g_strstrip (g_strdup (title));
  gsize length = strlen (main);
  char *colon;

  if (length > 0 && main[length - 1] == ')')
    {
      char *open = strrchr (main, '(');

      if (open != NULL && open != main)
        *open = '\0';
    }

  colon = strchr (main, ':');
  if (colon != NULL && colon != main)
    *colon = '\0';

  return g_steal_pointer (&main);
}

static Words
unique_words (const char *text)
{
  g_autofree char *normalized = bi_search_text_normalize (text);
  g_auto(GStrv) words = g_strsplit (normalized, " ", -1);
  g_autoptr(GStrvBuilder) unique = g_strv_builder_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  Words result;
  guint n;

  for (guint i = 0; words[i] != NULL; i++)
    if (g_hash_table_add (seen, words[i]))
      g_strv_builder_add (unique, words[i]);
  result.words = g_strv_builder_end (unique);
  n = g_strv_length (result.words);
  result.weights = g_new (double, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    result.weights[i] = word_weight (result.words[i]);
  return result;
}

static void
words_clear (Words *words)
{
  g_clear_pointer (&words->words, g_strfreev);
  g_clear_pointer (&words->weights, g_free);
}

/* Fraction of the weight of @words that the query contains. */
static double
recall (const BiCatalogQuery *self,
        const Words          *words)
{
  double total = 0.0;
  double matched = 0.0;

  for (guint i = 0; words->words[i] != NULL; i++)
    {
      total += words->weights[i];
      if (g_hash_table_contains (self->word_set, words->words[i]))
        matched += words->weights[i];
    }

  return total > 0.0 ? matched / total : 0.0;
}

/* How much of a title the query contains: its main title above all; the whole title
 * (subtitle, series note) only to tell apart editions whose main titles tie. 0 for a book
 * without that title (@main's words NULL). */
static double
title_recall (const BiCatalogQuery *self,
              const Words          *main,
              const Words          *whole)
{
  if (main->words == NULL)
    return 0.0;

  return 0.9 * recall (self, main) + 0.1 * recall (self, whole);
}

/* Fills @self (zeroed) with the words of one catalog row, each text normalised once. */
static void
book_words_init (BookWords          *self,
                 const char         *title,
                 const char         *original_title,
                 const char * const *authors)
{
  g_autoptr(GString) book_text = NULL;
  g_autofree char *normalized = NULL;
  g_autofree char *main = NULL;
  char **words;

  book_text = g_string_new (title);
  if (original_title != NULL)
    g_string_append_printf (book_text, " %s", original_title);
  for (guint i = 0; authors != NULL && authors[i] != NULL; i++)
    g_string_append_printf (book_text, " %s", authors[i]);
  normalized = bi_search_text_normalize (book_text->str);
  words = g_strsplit (normalized, " ", -1);
  self->all = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; words[i] != NULL; i++)
    g_hash_table_add (self->all, words[i]); /* takes it, or frees a repeat */
  g_free (words);

  main = main_title (title);
  self->main_title = unique_words (main);
  self->whole_title = unique_words (title);
  if (original_title != NULL)
    {
      g_autofree char *original_main = main_title (original_title);

      self->original_main = unique_words (original_main);
      self->original_whole = unique_words (original_title);
    }
}

static void
book_words_clear (BookWords *self)
{
  g_clear_pointer (&self->all, g_hash_table_unref);
  words_clear (&self->main_title);
  words_clear (&self->whole_title);
  words_clear (&self->original_main);
  words_clear (&self->original_whole);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BookWords, book_words_clear)

static double
score_book_words (const BiCatalogQuery *self,
                  const BookWords      *book)
{
  double matched = 0.0;
  guint informative_matches = 0;
  double precision;
  double title_match;
  double f_measure;
  double score;

  for (guint i = 0; i < self->words->len; i++)
    {
      const char *word = g_ptr_array_index (self->words, i);
      double weight = g_array_index (self->weights, double, i);

      if (g_hash_table_contains (book->all, word))
        {
          matched += weight;
          if (weight >= INFORMATIVE_WEIGHT)
            informative_matches++;
        }
    }

  precision = matched / self->total_weight;
  /* The original title counts a little less: an adaptation ("The Hobbit: Graphic Novel")
   * often carries its source's title as its original title. */
  title_match = MAX (title_recall (self, &book->main_title, &book->whole_title),
                     0.95 * title_recall (self, &book->original_main, &book->original_whole));
  f_measure = precision + title_match > 0.0
              ? 2.0 * precision * title_match / (precision + title_match) : 0.0;

  /* Precision alone keeps author-only queries ("collins") ordered, below any title match. */
  score = 0.85 * f_measure + 0.15 * precision;
  /* One word in common is weak evidence: "DAVID" read off a spine is "No, David!" only by
   * chance. An exact one-word title still scores well above a partial one. */
  if (informative_matches < 2)
    score *= SINGLE_WORD_FACTOR;
  return CLAMP (score, 0.0, 1.0);
}

double
bi_catalog_query_score (const BiCatalogQuery *self,
                        const char           *title,
                        const char           *original_title,
                        const char * const   *authors)
{
  g_auto(BookWords) book = { 0 };

  g_return_val_if_fail (title != NULL, 0.0);

  if (bi_catalog_query_is_empty (self))
    return 0.0;

  book_words_init (&book, title, original_title, authors);
  return score_book_words (self, &book);
}

static int
compare_score_descending (gconstpointer a,
                          gconstpointer b)
{
  const BiBook *book_a = *(const BiBook * const *) a;
  const BiBook *book_b = *(const BiBook * const *) b;

  return (book_a->score < book_b->score) - (book_a->score > book_b->score);
}

void
bi_catalog_sort_books_by_score (GPtrArray *books)
{
  g_return_if_fail (books != NULL);

  /* g_ptr_array_sort() is a stable merge sort. */
  g_ptr_array_sort (books, compare_score_descending);
}
