/* bi-book-matcher.c — catalog hits for a photo's spines, scored, calibrated and assigned
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-book-matcher"

#include "bi-book-matcher.h"
#include "bi-assignment.h"
#include "bi-author-books.h"
#include "bi-call-number.h"
#include "bi-catalog-memo.h"
#include "bi-publisher-marks.h"
#include "bi-span.h"
#include "bi-spine-residual.h"
#include "bi-spine-text.h"
#include "bi-text-similarity.h"
#include "bi-title-normalize.h"

#include <math.h>
#include <string.h>

/* Catalog hits asked for per query. */
#define HITS_PER_QUERY 5
/* Catalog hits asked for the author's surname alone: an author's books, and those of the
 * names one slip from a surname cut short. */
#define HITS_PER_SURNAME 15
/* Words of a run of the spine's text asked on its own, and the runs asked at most. */
#define RUN_WORDS 3
#define MAX_RUNS 8
/* Assignment weight of a book found by ISBN: more than any probability, so the exact match
 * always keeps its book. */
#define ISBN_WEIGHT 2.0
/* Between books of one spine that are (nearly) as likely, the one whose whole title was
 * read wins: "THE HOBBIT" is "The Hobbit" rather than "The Hobbit: Graphic Novel". Small
 * enough never to outweigh a real difference of probability. */
#define WHOLE_TITLE_TIE_BREAK 0.01
/* Books asked of the catalog per label read: a label names one book, a collection's label
 * ("N Pam") a handful; more are the catalog's unrelated books of one author code. */
#define HITS_PER_LABEL 10
/* Share of a title's words (by weight) the text must read besides the label for the one
 * book one slip from it: "fitness" of "El Libro del fitness". */
#define LABEL_SLIP_MIN_WORD_OVERLAP 0.15
/* Two regions are taken for pieces of one spine when they overlap across their text by
 * this share of the narrower, and lie along it with a gap of at most this share of the
 * longer (the generated photos' regions are cut at one height across the shelf, and touch;
 * a shelf board parts two books one above the other). */
#define SAME_SPINE_MIN_ACROSS 0.5
#define SAME_SPINE_MAX_GAP 0.02
/* Books one region may hold: a region of the OCR engine holds two or three spines at times
 * (measured on the generated photos: 19 of 328 books lost that way). */
#define MAX_BOOKS_PER_SPINE 3
/* A surname counts as read from its first letters, cut at a line's end, when this many are
 * read: "KAHNE" of "Kahneman" (fewer start too many names). */
#define AUTHOR_PREFIX_MIN_LENGTH 5
/* A spine that reads this many letters or fewer besides labels and publishers ("It", "Joe")
 * gives its book at most this probability: see bi_book_match_reading_probability(). */
#define MAX_WEAK_READING_LETTERS 3
#define WEAK_READING_MAX_PROBABILITY 0.3
/* Words this long or longer count as read with a misread letter (bi_text_word_overlap()). */
#define MIN_NEAR_WORD_LENGTH 5
/* Share of the text an author's only book must explain (its title and authors: text
 * precision) to be named by the author's name alone: "Manel Lucas" and a smudge is his one
 * book, "DOROTHY PARKER NARRACIONS COMPLETES" (a book the catalog lacks) is not her other
 * one. Measured on the real and generated photos (docs/recognition.md): the right books so
 * named explain 0.79–1.00 of their text, the wrong ones 0.12–0.49. */
#define AUTHOR_ONLY_MIN_PRECISION 0.65
/* A piece of a word cut at the text's start or end must be this long to be taken for the
 * word: a single letter ends or starts too many. */
#define MIN_CUT_PIECE_LENGTH 2
/* Words of the text this long or shorter, and at least this long, may be fragments of the
 * book's words: see precision_text(). A single letter is found in the letters of any book:
 * left out, "R MARKED" (the end of "RIVER MARKED") was all of "Marked (House of Night, #1)"
 * and "a espanola" all of "Constitución española" (the floor test's photos, seed 7). */
#define MAX_FRAGMENT_LENGTH 3
#define MIN_FRAGMENT_LENGTH 2

/* Articles, prepositions and conjunctions of the catalogs' languages: short, but words in
 * their own right, never fragments of a longer one ("THE NUDGE UNIT" is not "Nudge" with
 * "the" of "THAler" cut off). */
static const char * const function_words[] = {
  "the", "and", "of", "an", "to", "in", "on", "for", "by",
  "el", "la", "los", "las", "lo", "de", "del", "en", "un", "una", "al", "con", "por",
  "els", "les", "amb", "per",
  "le", "du", "des", "et", "der", "die", "das", "und",
  NULL,
};

/* The logistic model: intercept, then one weight per feature in the order of
 * bi_book_match_features_to_array(). Fitted by `match-ocr-dump --fit` (tests/matching/) on
 * the spines of generated shelf photos (labelled by the books' boxes) and synthetic spines of
 * catalog books; other generated photos and the real photos are held out (see
 * docs/recognition.md). */
static const double model_intercept = -8.69;
static const double model_weights[BI_MATCH_N_FEATURES] = {
  3.52,   /* title_recall */
  4.15,   /* text_precision */
  1.89,   /* word_overlap */
  2.95,   /* author_found */
  -0.44,  /* ocr_confidence */
  1.61,   /* specificity */
};

void
bi_book_hit_free (BiBookHit *hit)
{
  if (hit == NULL)
    return;
  bi_book_free (hit->book);
  g_free (hit);
}

void
bi_book_match_features_to_array (const BiMatchFeatures *features,
                                 double                 values[BI_MATCH_N_FEATURES])
{
  values[0] = features->title_recall;
  values[1] = features->text_precision;
  values[2] = features->word_overlap;
  values[3] = features->author_found;
  values[4] = features->ocr_confidence;
  values[5] = features->specificity;
}

double
bi_book_match_probability (const BiMatchFeatures *features)
{
  double values[BI_MATCH_N_FEATURES];
  double z = model_intercept;

  g_return_val_if_fail (features != NULL, 0.0);

  bi_book_match_features_to_array (features, values);
  for (guint i = 0; i < BI_MATCH_N_FEATURES; i++)
    z += model_weights[i] * values[i];
  return 1.0 / (1.0 + exp (-z));
}

/* What the spine reads of its book: its text without library labels (their author code in
 * @author_code, nullable) and publisher marks, as read (not normalised). */
static char *
spine_reading (const BiCandidate  *candidate,
               char              **author_code)
{
  g_autofree char *unlabelled = bi_call_number_strip (candidate->text != NULL
                                                      ? candidate->text : "", author_code);

  return bi_publisher_marks_strip (unlabelled);
}

/* Whether @surname (normalised) is longer than @word and starts with it. */
static gboolean
starts_surname (const char *surname,
                const char *word)
{
  return g_utf8_strlen (word, -1) >= AUTHOR_PREFIX_MIN_LENGTH &&
         strlen (surname) > strlen (word) && g_str_has_prefix (surname, word);
}

/* 1 when a surname of the book's authors (any word of a name but a leading given name, of
 * three letters or more) is among the text's words, or starts with a word of the text no
 * catalog title holds (a name cut at a line's end or the spine's edge: "KAHNE"; checked
 * when @specificity is given), or when the library label's author code starts the first
 * author's surname. */
static gboolean
author_found (const BiBook        *book,
              const char          *text,
              const char          *author_code,
              BiTitleSpecificity  *specificity,
              double              *found,
              GError             **error)
{
  g_auto(GStrv) text_words = g_strsplit (text, " ", -1);

  *found = 1.0;
  if (bi_call_number_code_matches (author_code, book->title,
                                   (const char * const *) book->authors))
    return TRUE;
  for (guint a = 0; book->authors != NULL && book->authors[a] != NULL; a++)
    {
      g_autofree char *author = bi_title_normalize_text (book->authors[a]);
      g_auto(GStrv) words = g_strsplit (author, " ", -1);
      guint n_words = g_strv_length (words);

      for (guint i = n_words > 1 ? 1 : 0; i < n_words; i++)
        {
          if (g_utf8_strlen (words[i], -1) >= 3 && bi_text_word_overlap (words[i], text) > 0.0)
            return TRUE;
          for (guint k = 0; specificity != NULL && text_words[k] != NULL; k++)
            {
              gboolean titled;

              if (!starts_surname (words[i], text_words[k]))
                continue;
              if (!bi_title_specificity_is_title_word (specificity, text_words[k], &titled,
                                                       error))
                return FALSE;
              if (!titled)
                return TRUE;
            }
        }
    }
  *found = 0.0;
  return TRUE;
}

double
bi_book_match_reading_probability (const BiMatchFeatures *features,
                                   double                 model)
{
  g_return_val_if_fail (features != NULL, model);

  /* Every feature but specificity is a share, which a title of two or three letters read
   * alone fills as well as a long one: "It" read alone is all of Stephen King's "It" (0.66),
   * a given name read alone all of "Joe". But a spine reading nothing else but a word that
   * short is mostly a speck, a fragment or a name cut off, not evidence of a book. On the 20
   * generated and the 3 real photos the cap loses no right book and drops one wrong one
   * ("It" ← "It" 0.66, a region of "The Light in the Ruins"; generated precision 287/290 →
   * 287/289); the only other such hit of 0.2 or more was wrong too ("Lon Po Po" ← "po"). */
  if (features->reading_letters <= MAX_WEAK_READING_LETTERS)
    return MIN (model, WEAK_READING_MAX_PROBABILITY);
  /* The same of the book's own words among noise: a title of three letters ("Rap", the main
   * title of "Rap : 25 años de rimas") read in the specks of a photo's cover ("rap si",
   * 0.55 on a held-out generated photo), the model taking the main title as all read. */
  if (features->explained_letters <= MAX_WEAK_READING_LETTERS)
    return MIN (model, WEAK_READING_MAX_PROBABILITY);
  return model;
}

double
bi_book_match_label_probability (const BiCandidate *candidate,
                                 const BiBook      *book,
                                 BiLabelEvidence    label,
                                 double             model)
{
  g_autofree char *reading = NULL;
  g_autofree char *text = NULL;
  g_autofree char *title = NULL;
  double found;

  g_return_val_if_fail (candidate != NULL && book != NULL, model);

  if (label == BI_LABEL_UNIQUE)
    return MAX (model, BI_BOOK_MATCHER_LABEL_CONFIDENCE);
  if (label != BI_LABEL_UNIQUE_LOOSE)
    return model;

  /* A label read with a slip may be another book's label read with two: only the text
   * besides it can tell, so it must say something of this book. The label's code is left
   * out of that (it made the match). */
  reading = spine_reading (candidate, NULL);
  text = bi_title_normalize_text (reading);
  title = bi_title_normalize (book->title != NULL ? book->title : "");
  if (bi_text_word_overlap (title, text) >= LABEL_SLIP_MIN_WORD_OVERLAP)
    return MAX (model, BI_BOOK_MATCHER_LABEL_SLIP_CONFIDENCE);
  if (author_found (book, text, NULL, NULL, &found, NULL) && found > 0.0)
    return MAX (model, BI_BOOK_MATCHER_LABEL_SLIP_CONFIDENCE);
  return model;
}

double
bi_book_match_author_probability (const BiMatchFeatures *features,
                                  BiAuthorReason         reason,
                                  double                 model)
{
  g_return_val_if_fail (features != NULL, model);

  if (reason == BI_AUTHOR_ONLY_BOOK && features->text_precision < AUTHOR_ONLY_MIN_PRECISION)
    return model;
  return MAX (model, BI_BOOK_MATCHER_AUTHOR_CONFIDENCE);
}

/* The words of @text (normalised) that count in its precision against a book whose title and
 * authors read @explained: all but the fragments of MAX_FRAGMENT_LENGTH letters or fewer
 * that are a piece of @explained's letters without being one of its words. OCR reads the
 * book's own words cut by the spine's edge or a line's end so ("LAD" of "angeLA Duckworth"
 * beside "GRIT", "mi" of "MIchael Lewis" after "MONEVBALL"); their trigrams are explained
 * by nothing, and they sank a title read clearly below the threshold ("GRIT LAD" → "Grit"
 * 0.39, "GRIT" alone 0.83). A fragment the book's letters do not hold ("YEA" of "Yeast"
 * beside "SALT", "INS" of "Inside" over "THE NUDGE UNIT") and a function word still count
 * against it: leaving out every unexplained word of three letters or fewer gave those two
 * (books the catalogs lack) and two more wrong books on the real photos. Measured with the
 * model as fitted: real photos 41 → 43 right books of 41 → 43 (Grit 0.84, Moneyball 0.43),
 * generated photos unchanged (287 right of 290); `--sweep`: no threshold of 0.2–0.9 less
 * precise on the generated photos, on the real ones the same but at 0.3 (one wrong book
 * more). The text itself when nothing else is left. */
static char *
precision_text (const char *text,
                const char *explained)
{
  g_autofree char *text_folded = bi_text_similarity_fold (text);
  g_autofree char *explained_folded = bi_text_similarity_fold (explained);
  g_auto(GStrv) words = g_strsplit (text, " ", -1);
  g_auto(GStrv) folded = g_strsplit (text_folded, " ", -1);
  g_auto(GStrv) explained_words = g_strsplit (explained_folded, " ", -1);
  g_autofree char *letters = g_strjoinv ("", explained_words);
  g_autoptr(GString) kept = g_string_new (NULL);

  /* Folding keeps the words apart, so both splits have the same words. */
  for (guint i = 0; words[i] != NULL && folded[i] != NULL; i++)
    {
      glong length = g_utf8_strlen (words[i], -1);

      if (length == 0)
        continue;
      if (length >= MIN_FRAGMENT_LENGTH && length <= MAX_FRAGMENT_LENGTH &&
          !g_strv_contains ((const char * const *) explained_words, folded[i]) &&
          !g_strv_contains (function_words, words[i]) && strstr (letters, folded[i]) != NULL)
        continue;
      if (kept->len > 0)
        g_string_append_c (kept, ' ');
      g_string_append (kept, words[i]);
    }
  if (kept->len == 0)
    return g_strdup (text);
  return g_string_free (g_steal_pointer (&kept), FALSE);
}

/* The letters and digits of the words of @text (normalised) that @explained (the book's
 * title and authors, normalised) holds, exactly or, for words of MIN_NEAR_WORD_LENGTH
 * letters or more, nearly (bi_text_word_overlap()). */
static guint
count_explained_letters (const char *text,
                         const char *explained)
{
  g_autofree char *text_folded = bi_text_similarity_fold (text);
  g_autofree char *explained_folded = bi_text_similarity_fold (explained);
  g_auto(GStrv) words = g_strsplit (text_folded, " ", -1);
  g_auto(GStrv) explained_words = g_strsplit (explained_folded, " ", -1);
  guint letters = 0;

  for (guint i = 0; words[i] != NULL; i++)
    if (g_strv_contains ((const char * const *) explained_words, words[i]) ||
        (g_utf8_strlen (words[i], -1) >= MIN_NEAR_WORD_LENGTH &&
         bi_text_word_overlap (words[i], explained_folded) > 0.0))
      letters += bi_ocr_count_characters (words[i]);
  return letters;
}

/* Whether @piece, of MIN_CUT_PIECE_LENGTH letters or more, is a proper start of @word
 * (@at_start) or a proper end. */
static gboolean
is_cut_piece (const char *piece,
              const char *word,
              gboolean    at_start)
{
  gsize piece_length = strlen (piece);
  gsize word_length = strlen (word);

  if (g_utf8_strlen (piece, -1) < MIN_CUT_PIECE_LENGTH || piece_length >= word_length)
    return FALSE;
  return at_start ? strncmp (word, piece, piece_length) == 0
                  : strcmp (word + word_length - piece_length, piece) == 0;
}

/* @text (normalised) with its first word in full when it is the end of a word of @title
 * (normalised) whose next word the text reads next, and its last word so when it is the
 * start of a title word after the one read before it: a word cut by the spine's edge or
 * the region's ("ke Undone" of "Jake Undone"). NULL when neither end is cut so. */
static char *
restore_cut_words (const char *text,
                   const char *title)
{
  g_auto(GStrv) words = g_strsplit (text, " ", -1);
  g_auto(GStrv) title_words = g_strsplit (title, " ", -1);
  guint n_words = g_strv_length (words);
  guint n_title = g_strv_length (title_words);
  gboolean restored = FALSE;

  if (n_words < 2)
    return NULL;
  for (guint t = 0; t + 1 < n_title; t++)
    {
      if (strcmp (words[1], title_words[t + 1]) == 0 &&
          is_cut_piece (words[0], title_words[t], FALSE))
        {
          g_free (words[0]);
          words[0] = g_strdup (title_words[t]);
          restored = TRUE;
          break;
        }
    }
  for (guint t = 1; t < n_title; t++)
    {
      if (strcmp (words[n_words - 2], title_words[t - 1]) == 0 &&
          is_cut_piece (words[n_words - 1], title_words[t], TRUE))
        {
          g_free (words[n_words - 1]);
          words[n_words - 1] = g_strdup (title_words[t]);
          restored = TRUE;
          break;
        }
    }
  return restored ? g_strjoinv (" ", words) : NULL;
}

/* What the features read of a spine whatever the book: worked out once per spine rather than
 * once per catalog hit (a spine has tens of hits; stripping its labels and publisher marks,
 * normalising and cutting it into trigrams again for each was a tenth of the hits' cost). */
typedef struct
{
  char       *author_code;   /* the library label's author code; nullable */
  char       *text;          /* spine_reading(), normalised */
  BiTrigrams *text_trigrams; /* of @text */
} SpineText;

static void
spine_text_init (SpineText         *self,
                 const BiCandidate *candidate)
{
  g_autofree char *reading = spine_reading (candidate, &self->author_code);

  self->text = bi_title_normalize_text (reading);
  self->text_trigrams = bi_trigrams_new (self->text);
}

static void
spine_text_clear (SpineText *self)
{
  g_clear_pointer (&self->author_code, g_free);
  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->text_trigrams, bi_trigrams_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SpineText, spine_text_clear)

/* bi_book_match_features() of @candidate, whose SpineText is @spine. */
static gboolean
match_features (const BiCandidate   *candidate,
                const SpineText     *spine,
                const BiBook        *book,
                BiTitleSpecificity  *specificity,
                BiMatchFeatures     *features,
                GError             **error)
{
  const char *text = spine->text;
  const BiTrigrams *text_trigrams = spine->text_trigrams;
  g_autofree char *full = NULL;
  g_autofree char *main_title = NULL;
  g_autofree char *authors = NULL;
  g_autofree char *explained = NULL;
  g_autofree char *title_text = NULL;
  g_autofree char *precision_words = NULL;
  g_autoptr(BiTrigrams) precision_trigrams = NULL;
  g_autoptr(BiTrigrams) explained_trigrams = NULL;
  g_autofree char *restored = NULL;
  g_autoptr(BiTrigrams) restored_trigrams = NULL;
  const char *read = text;
  const BiTrigrams *read_trigrams = text_trigrams;
  const char *forms[2];
  const char *best_form = NULL;
  double best_recall = -1.0;

  full = bi_title_normalize (book->title != NULL ? book->title : "");
  main_title = bi_title_normalize_main (book->title != NULL ? book->title : "");
  /* With its article: "THE HOBBIT" is all explained by "The Hobbit". */
  title_text = bi_title_normalize_text (book->title != NULL ? book->title : "");
  forms[0] = full;
  forms[1] = main_title;
  {
    g_autofree char *joined = book->authors != NULL ? g_strjoinv (" ", book->authors)
                                                    : g_strdup ("");
    authors = bi_title_normalize_text (joined);
  }
  explained = g_strdup_printf ("%s %s", title_text, authors);
  precision_words = precision_text (text, explained);
  precision_trigrams = bi_trigrams_new (precision_words);
  explained_trigrams = bi_trigrams_new (explained);

  /* A title word cut at the text's start or end counts as read whole for the title: the
   * text's precision already counts the piece as the book's (precision_text()). */
  restored = restore_cut_words (text, title_text);
  if (restored != NULL)
    {
      restored_trigrams = bi_trigrams_new (restored);
      read = restored;
      read_trigrams = restored_trigrams;
    }

  memset (features, 0, sizeof *features);
  for (guint f = 0; f < G_N_ELEMENTS (forms); f++)
    {
      g_autoptr(BiTrigrams) form_trigrams = NULL;
      double recall;

      if (forms[f] == NULL || forms[f][0] == '\0')
        continue;
      form_trigrams = bi_trigrams_new (forms[f]);
      recall = bi_trigrams_containment (form_trigrams, read_trigrams);
      if (recall > best_recall)
        {
          best_recall = recall;
          best_form = forms[f];
        }
      features->title_recall = MAX (features->title_recall, recall);
      features->word_overlap = MAX (features->word_overlap,
                                    bi_text_word_overlap (forms[f], read));
    }
  features->text_precision = bi_trigrams_containment (precision_trigrams, explained_trigrams);
  if (!author_found (book, text, spine->author_code, specificity, &features->author_found,
                     error))
    return FALSE;
  /* The full title, not its main part: "THE HOBBIT" is all of "The Hobbit" but only part
   * of "The Hobbit: Graphic Novel". */
  {
    g_autoptr(BiTrigrams) full_trigrams = bi_trigrams_new (full);

    features->whole_title = MIN (bi_trigrams_containment (full_trigrams, text_trigrams),
                                 features->text_precision);
  }
  features->ocr_confidence = CLAMP (candidate->confidence, 0.0, 1.0);
  features->reading_letters = bi_ocr_count_characters (text);
  features->explained_letters = count_explained_letters (text, explained);
  if (best_form != NULL)
    {
      g_autofree char *shared = bi_title_specificity_shared_words (specificity, best_form,
                                                                   text, error);

      if (shared == NULL ||
          !bi_title_specificity_get (specificity, shared, &features->specificity, error))
        return FALSE;
    }
  return TRUE;
}

gboolean
bi_book_match_features (const BiCandidate   *candidate,
                        const BiBook        *book,
                        BiTitleSpecificity  *specificity,
                        BiMatchFeatures     *features,
                        GError             **error)
{
  g_auto(SpineText) spine = { 0 };

  g_return_val_if_fail (candidate != NULL && book != NULL && specificity != NULL &&
                        features != NULL, FALSE);

  spine_text_init (&spine, candidate);
  return match_features (candidate, &spine, book, specificity, features, error);
}

/* ---- gathering ------------------------------------------------------------------------ */

static const char *
book_key (const BiBook *book)
{
  return book->source_id != NULL ? book->source_id : book->title;
}

static gboolean
add_hit (GPtrArray           *hits,
         GHashTable          *seen,
         BiTitleSpecificity  *specificity,
         guint                index,
         const BiCandidate   *candidate,
         const SpineText     *spine,
         const BiBook        *book,
         gboolean             by_isbn,
         BiLabelEvidence      label,
         GError             **error)
{
  g_autofree BiBookHit *hit = NULL;

  if (book_key (book) == NULL || g_hash_table_contains (seen, book_key (book)))
    return TRUE;

  hit = g_new0 (BiBookHit, 1);
  if (!match_features (candidate, spine, book, specificity, &hit->features, error))
    return FALSE;
  hit->candidate = index;
  hit->book = bi_book_copy (book);
  hit->by_isbn = by_isbn;
  hit->label = label;
  hit->probability = by_isbn ? BI_BOOK_MATCHER_ISBN_CONFIDENCE
                             : bi_book_match_label_probability (
                                 candidate, book, label,
                                 bi_book_match_reading_probability (
                                   &hit->features, bi_book_match_probability (&hit->features)));
  g_hash_table_add (seen, g_strdup (book_key (book)));
  g_ptr_array_add (hits, g_steal_pointer (&hit));
  return TRUE;
}

/* Appends @query to @queries unless it is empty or already there; takes it. */
static void
add_query (GPtrArray *queries,
           char      *query)
{
  for (guint k = 0; query != NULL && k < queries->len; k++)
    if (strcmp (g_ptr_array_index (queries, k), query) == 0)
      g_clear_pointer (&query, g_free);
  if (query != NULL && query[0] != '\0')
    g_ptr_array_add (queries, query);
  else
    g_free (query);
}

/* The queries asked for one spine, without repeats. */
static GPtrArray *
queries_for (const BiCandidate *candidate)
{
  GPtrArray *queries = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *stripped = spine_reading (candidate, NULL);
  g_autofree char *title = candidate->title != NULL
                           ? bi_call_number_strip (candidate->title, NULL) : NULL;
  g_autoptr(GString) unslipped = g_string_new (stripped);
  g_auto(GStrv) words = NULL;
  guint n_words;
  guint step;

  /* "rn" is read for "m" more often than a spine prints "rn" next to nothing else. */
  g_string_replace (unslipped, "rn", "m", 0);
  add_query (queries, candidate->author != NULL && title != NULL
                      ? g_strdup_printf ("%s %s", title, candidate->author) : NULL);
  add_query (queries, g_strdup (title));
  add_query (queries, g_strdup (stripped));
  add_query (queries, g_strdup (unslipped->str));

  /* Runs of a few words: the catalog scores a book by how much of the query it explains,
   * so the text of two spines read as one, or noise around a title, sinks the right book
   * below the hits kept; a run of the title alone does not. Long texts are sampled with
   * overlapping runs. */
  words = g_strsplit (stripped, " ", -1);
  n_words = g_strv_length (words);
  if (n_words <= RUN_WORDS)
    return queries;
  step = MAX (1, (n_words - RUN_WORDS + MAX_RUNS - 1) / MAX_RUNS);
  for (guint start = 0; start + RUN_WORDS <= n_words; start += step)
    {
      g_autofree char **run = g_new0 (char *, RUN_WORDS + 1);

      memcpy (run, words + start, RUN_WORDS * sizeof (char *));
      add_query (queries, g_strjoinv (" ", run));
    }
  return queries;
}

/* The books whose shelf mark is a library label read in @candidate's text, before any
 * search finds them: a unique label is the strongest evidence after an ISBN. */
static gboolean
add_label_hits (BiCatalog           *catalog,
                GPtrArray           *hits,
                GHashTable          *seen,
                BiTitleSpecificity  *specificity,
                guint                index,
                const BiCandidate   *candidate,
                const SpineText     *spine,
                GError             **error)
{
  g_autoptr(GPtrArray) labels = NULL;

  if (catalog->lookup_shelf_mark == NULL || candidate->text == NULL)
    return TRUE;

  labels = bi_call_number_read (candidate->text);
  for (guint l = 0; l < labels->len; l++)
    {
      const BiCallNumber *label = g_ptr_array_index (labels, l);
      g_autoptr(GPtrArray) found = catalog->lookup_shelf_mark (catalog, label->class_number,
                                                               label->author_code,
                                                               HITS_PER_LABEL, error);
      guint exact = 0;
      /* "796.34": a class number; "N", "I**": a collection, whose labels a slip confuses. */
      gboolean numbered = strpbrk (label->class_number, "0123456789") != NULL;

      if (found == NULL)
        return FALSE;
      for (guint k = 0; k < found->len; k++)
        exact += ((BiShelfMarkHit *) found->pdata[k])->match == BI_SHELF_MARK_EXACT ? 1 : 0;
      for (guint k = 0; k < found->len; k++)
        {
          const BiShelfMarkHit *mark = g_ptr_array_index (found, k);
          BiLabelEvidence evidence = BI_LABEL_SHARED;

          /* Unique: the one book of the label, read exactly, with no other a slip away
           * ("33 Mar" is one book's label, and also "N 833 Mar" with "N 8" lost, so it
           * counts as loose); or the one book a slip away (measured: docs/recognition.md,
           * "Library labels"). */
          if (mark->match == BI_SHELF_MARK_EXACT && exact == 1)
            evidence = numbered && found->len == 1 ? BI_LABEL_UNIQUE : BI_LABEL_UNIQUE_LOOSE;
          else if (exact == 0 && found->len == 1)
            evidence = BI_LABEL_UNIQUE_LOOSE;
          if (!add_hit (hits, seen, specificity, index, candidate, spine, mark->book, FALSE,
                        evidence, error))
            return FALSE;
        }
    }
  return TRUE;
}

/* The books of the surname read in @candidate's author: its last word and, when the
 * title/author split took a title word for a name ("PAMUK Caviet" of "PAMUK Caviet Bay
 * hjos"), its first; each of AUTHOR_PREFIX_MIN_LENGTH letters or more. */
static gboolean
add_surname_hits (BiCatalog           *catalog,
                  GPtrArray           *hits,
                  GHashTable          *seen,
                  BiTitleSpecificity  *specificity,
                  guint                index,
                  const BiCandidate   *candidate,
                  const SpineText     *spine,
                  GError             **error)
{
  g_autofree char *author = NULL;
  g_auto(GStrv) words = NULL;
  guint n_words;

  if (candidate->author == NULL)
    return TRUE;
  author = bi_title_normalize_text (candidate->author);
  words = g_strsplit (author, " ", -1);
  n_words = g_strv_length (words);
  for (guint w = n_words; w > 0; w--)
    {
      const char *surname = words[w - 1];
      g_autoptr(GPtrArray) found = NULL;

      /* The last word, then the first. */
      if ((w != n_words && w != 1) || g_utf8_strlen (surname, -1) < AUTHOR_PREFIX_MIN_LENGTH)
        continue;
      found = catalog->search (catalog, surname, HITS_PER_SURNAME, error);
      if (found == NULL)
        return FALSE;
      for (guint k = 0; k < found->len; k++)
        if (!add_hit (hits, seen, specificity, index, candidate, spine,
                      g_ptr_array_index (found, k), FALSE, BI_LABEL_NONE, error))
          return FALSE;
    }
  return TRUE;
}

/* The book @spine names through its author's name among the hits from @first on (all of
 * @candidate's), the books @given (nullable) to other spines aside: joins the hits if a
 * search had not found it, and is given at least BI_BOOK_MATCHER_AUTHOR_CONFIDENCE
 * (bi-author-books.h). */
static gboolean
add_author_hits (BiCatalog           *catalog,
                 GPtrArray           *hits,
                 GHashTable          *seen,
                 BiTitleSpecificity  *specificity,
                 guint                index,
                 guint                first,
                 const BiCandidate   *candidate,
                 const SpineText     *spine,
                 GPtrArray           *given,
                 GError             **error)
{
  g_autoptr(GPtrArray) books = g_ptr_array_new ();
  g_autoptr(GPtrArray) labelled = g_ptr_array_new ();
  g_autoptr(GPtrArray) named = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                               bi_author_book_free);

  for (guint k = first; k < hits->len; k++)
    {
      const BiBookHit *hit = g_ptr_array_index (hits, k);

      g_ptr_array_add (books, hit->book);
      if (hit->label != BI_LABEL_NONE)
        g_ptr_array_add (labelled, hit->book);
    }
  if (!bi_author_books_named (catalog, spine->text, books, labelled, given, named, error))
    return FALSE;
  for (guint n = 0; n < named->len; n++)
    {
      const BiAuthorBook *author_book = g_ptr_array_index (named, n);

      if (!add_hit (hits, seen, specificity, index, candidate, spine, author_book->book,
                    FALSE, BI_LABEL_NONE, error))
        return FALSE;
      for (guint k = first; k < hits->len; k++)
        {
          BiBookHit *hit = g_ptr_array_index (hits, k);

          if (strcmp (book_key (hit->book), book_key (author_book->book)) != 0 || hit->by_isbn)
            continue;
          hit->by_author = TRUE;
          hit->probability = bi_book_match_author_probability (&hit->features,
                                                               author_book->reason,
                                                               hit->probability);
        }
    }
  return TRUE;
}

/* Caps the hits from @first on (all of one spine's, whose SpineText is @spine) of which the
 * spine reads only a name their title holds, an author's of another hit
 * (bi_author_books_find_bylines()), at WEAK_READING_MAX_PROBABILITY: a name printed on a
 * spine is its author's byline far more often than the title of a book on that person.
 * The model took the name for the title and the author both ("Stephen King" → "Stephen
 * King's N." 0.97 on the spine of "The Body", "Hotel Agatha Christie" → the life "Agatha
 * Christie" 0.63 on that of "At Bertram's Hotel"). A label or an ISBN still names such a
 * book. */
static void
weigh_bylines (GPtrArray       *hits,
               guint            first,
               const SpineText *spine)
{
  g_autoptr(GPtrArray) books = g_ptr_array_new ();
  g_autofree gboolean *bylines = NULL;

  for (guint k = first; k < hits->len; k++)
    g_ptr_array_add (books, ((BiBookHit *) hits->pdata[k])->book);
  bylines = g_new0 (gboolean, MAX (books->len, 1));
  bi_author_books_find_bylines (spine->text, books, bylines);
  for (guint k = first; k < hits->len; k++)
    {
      BiBookHit *hit = g_ptr_array_index (hits, k);

      if (bylines[k - first] && !hit->by_isbn && hit->label == BI_LABEL_NONE)
        hit->probability = MIN (hit->probability, WEAK_READING_MAX_PROBABILITY);
    }
}

/* bi_book_matcher_gather() with the specificities known so far in @specificity, and the
 * books @given (nullable) to the photo's other spines. A residual's text still holds its
 * region's labels: the book of the label already given is out of the running, and a second
 * label ("796 Gif 796 Lav", two spines read as one) names the second book. */
static GPtrArray *
gather_hits (BiCatalog           *catalog,
             BiTitleSpecificity  *specificity,
             GPtrArray           *candidates,
             GPtrArray           *given,
             GError             **error)
{
  g_autoptr(GPtrArray) hits = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                              bi_book_hit_free);

  for (guint i = 0; i < candidates->len; i++)
    {
      const BiCandidate *candidate = g_ptr_array_index (candidates, i);
      g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                          NULL);
      g_autoptr(GPtrArray) queries = queries_for (candidate);
      g_auto(SpineText) spine = { 0 };
      guint first = hits->len;

      spine_text_init (&spine, candidate);
      if (candidate->isbn13 != NULL)
        {
          g_autoptr(BiBook) book = catalog->lookup_isbn (catalog, candidate->isbn13, error);

          if (book == NULL && error != NULL && *error != NULL)
            return NULL;
          if (book != NULL &&
              !add_hit (hits, seen, specificity, i, candidate, &spine, book, TRUE,
                        BI_LABEL_NONE, error))
            return NULL;
        }
      if (!add_label_hits (catalog, hits, seen, specificity, i, candidate, &spine, error))
        return NULL;

      /* The author's surname alone, for more hits: a title read poorly ("THINK} LOW
       * KAHNE") fills the other queries' hits with titles sharing its words, and a
       * surname cut short is searched with the names a slip away too ("kahne": "kane",
       * "kahn", "kahneman"). */
      if (!add_surname_hits (catalog, hits, seen, specificity, i, candidate, &spine, error))
        return NULL;
      for (guint q = 0; q < queries->len; q++)
        {
          g_autoptr(GPtrArray) found = catalog->search (catalog,
                                                        g_ptr_array_index (queries, q),
                                                        HITS_PER_QUERY, error);

          if (found == NULL)
            return NULL;
          for (guint k = 0; k < found->len; k++)
            if (!add_hit (hits, seen, specificity, i, candidate, &spine,
                          g_ptr_array_index (found, k), FALSE, BI_LABEL_NONE, error))
              return NULL;
        }
      weigh_bylines (hits, first, &spine);
      if (!add_author_hits (catalog, hits, seen, specificity, i, first, candidate, &spine,
                            given, error))
        return NULL;
    }
  return g_steal_pointer (&hits);
}

GPtrArray *
bi_book_matcher_gather (BiCatalog  *catalog,
                        GPtrArray  *candidates,
                        GError    **error)
{
  g_autoptr(BiTitleSpecificity) specificity = NULL;

  g_return_val_if_fail (catalog != NULL && candidates != NULL, NULL);

  specificity = bi_title_specificity_new (catalog);
  return gather_hits (catalog, specificity, candidates, NULL, error);
}

/* ---- assignment ----------------------------------------------------------------------- */

BiBookHit **
bi_book_matcher_assign (GPtrArray *hits,
                        guint      n_candidates,
                        double     min_confidence)
{
  BiBookHit **chosen = g_new0 (BiBookHit *, MAX (n_candidates, 1));
  g_autoptr(GHashTable) columns = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();
  g_autofree double *weights = NULL;
  g_autofree BiBookHit **by_cell = NULL;
  g_autofree int *row_to_column = NULL;
  guint n_columns;

  g_return_val_if_fail (hits != NULL, chosen);

  /* One column per distinct book among the hits good enough to be given. */
  for (guint i = 0; i < hits->len; i++)
    {
      BiBookHit *hit = g_ptr_array_index (hits, i);

      if (hit->candidate >= n_candidates || hit->probability < min_confidence)
        continue;
      if (!g_hash_table_contains (columns, book_key (hit->book)))
        g_hash_table_insert (columns, (gpointer) book_key (hit->book),
                             GUINT_TO_POINTER (g_hash_table_size (columns)));
      g_ptr_array_add (kept, hit);
    }
  n_columns = g_hash_table_size (columns);
  if (n_candidates == 0 || n_columns == 0)
    return chosen;

  weights = g_new0 (double, (gsize) n_candidates * n_columns);
  by_cell = g_new0 (BiBookHit *, (gsize) n_candidates * n_columns);
  for (guint i = 0; i < kept->len; i++)
    {
      BiBookHit *hit = g_ptr_array_index (kept, i);
      guint column = GPOINTER_TO_UINT (g_hash_table_lookup (columns, book_key (hit->book)));
      gsize cell = (gsize) hit->candidate * n_columns + column;
      double weight = hit->by_isbn ? ISBN_WEIGHT
                                   : hit->probability +
                                     WHOLE_TITLE_TIE_BREAK * hit->features.whole_title;

      if (weight > weights[cell])
        {
          weights[cell] = weight;
          by_cell[cell] = hit;
        }
    }

  row_to_column = g_new (int, n_candidates);
  bi_assignment_maximize (weights, n_candidates, n_columns, row_to_column);
  for (guint r = 0; r < n_candidates; r++)
    if (row_to_column[r] >= 0)
      chosen[r] = by_cell[(gsize) r * n_columns + (guint) row_to_column[r]];
  return chosen;
}

/* ---- several books per spine ---------------------------------------------------------- */

static BiBookHit *
hit_copy (const BiBookHit *hit,
          guint            candidate)
{
  BiBookHit *copy = g_memdup2 (hit, sizeof *hit);

  copy->book = bi_book_copy (hit->book);
  copy->candidate = candidate;
  return copy;
}

/* A spine reading what is left of @candidate's text once @book is taken out, or NULL. */
static BiCandidate *
residual_candidate (const BiCandidate *candidate,
                    const BiBook      *book)
{
  g_autofree char *left = bi_spine_residual (candidate->text != NULL ? candidate->text : "",
                                             book);
  BiCandidate *residual;

  if (left == NULL)
    return NULL;
  residual = bi_candidate_new ();
  bi_spine_text_split (left, &residual->title, &residual->author);
  residual->text = g_steal_pointer (&left);
  residual->confidence = candidate->confidence;
  residual->angle = candidate->angle;
  residual->x = candidate->x;
  residual->y = candidate->y;
  residual->width = candidate->width;
  residual->height = candidate->height;
  residual->position = candidate->position;
  return residual;
}

/* One round of bi_book_matcher_resolve(): the books of @spines (each from the candidate at
 * the same index of @origins) assigned over the photo, books in @taken out of the running,
 * appended to @books and added to @taken. With @given (the books given so far), only the
 * books a spine names through its author count. @next, when given, receives what each
 * book leaves of its spine's text, and @next_origins their candidates. */
static gboolean
assign_round (BiCatalog           *catalog,
              BiTitleSpecificity  *specificity,
              GPtrArray           *spines,
              GArray              *origins,
              GPtrArray           *given,
              GHashTable          *taken,
              GPtrArray           *books,
              double               min_confidence,
              GPtrArray           *next,
              GArray              *next_origins,
              GError             **error)
{
  g_autoptr(GPtrArray) hits = gather_hits (catalog, specificity, spines, given, error);
  g_autoptr(GPtrArray) open = g_ptr_array_new ();
  g_autofree BiBookHit **chosen = NULL;

  if (hits == NULL)
    return FALSE;
  for (guint i = 0; i < hits->len; i++)
    {
      const BiBookHit *hit = g_ptr_array_index (hits, i);

      if (!g_hash_table_contains (taken, book_key (hit->book)) &&
          (given == NULL || hit->by_author))
        g_ptr_array_add (open, hits->pdata[i]);
    }
  chosen = bi_book_matcher_assign (open, spines->len, min_confidence);

  for (guint r = 0; r < spines->len; r++)
    {
      guint origin = g_array_index (origins, guint, r);
      BiCandidate *residual;

      if (chosen[r] == NULL)
        continue;
      g_ptr_array_add (g_ptr_array_index (books, origin), hit_copy (chosen[r], origin));
      g_hash_table_add (taken, g_strdup (book_key (chosen[r]->book)));
      if (next == NULL)
        continue;
      residual = residual_candidate (g_ptr_array_index (spines, r), chosen[r]->book);
      if (residual != NULL)
        {
          g_ptr_array_add (next, residual);
          g_array_append_val (next_origins, origin);
        }
    }
  return TRUE;
}

/* ---- one spine read as two regions ---------------------------------------------------- */

/* Whether @candidate's box stands (a standing spine) rather than lies (a lying book's): by
 * its shape, since a standing spine's longest line may run across it (a label). */
static gboolean
stands (const BiCandidate *candidate)
{
  return candidate->height >= candidate->width;
}

/* Whether the boxes of @a and @b may be one spine: both standing or both lying, over the
 * same stretch across the spine (SAME_SPINE_MIN_ACROSS of the narrower), one after the
 * other along it with no gap (a shelf board parts two books standing one above the
 * other). */
static gboolean
may_share_spine (const BiCandidate *a,
                 const BiCandidate *b)
{
  gboolean upright = stands (a);
  int across;
  int along;
  int narrower;
  int longer;

  if (upright != stands (b))
    return FALSE;
  across = upright ? bi_span_overlap (a->x, a->width, b->x, b->width)
                   : bi_span_overlap (a->y, a->height, b->y, b->height);
  along = upright ? bi_span_overlap (a->y, a->height, b->y, b->height)
                  : bi_span_overlap (a->x, a->width, b->x, b->width);
  narrower = upright ? MIN (a->width, b->width) : MIN (a->height, b->height);
  longer = upright ? MAX (a->height, b->height) : MAX (a->width, b->width);
  return across >= SAME_SPINE_MIN_ACROSS * narrower && along >= -SAME_SPINE_MAX_GAP * longer;
}

/* Whether @candidate reads nothing that names a book besides what @book explains
 * (bi_spine_residual()). */
static gboolean
explains_all (const BiCandidate *candidate,
              const BiBook      *book)
{
  g_autofree char *left = bi_spine_residual (candidate->text != NULL ? candidate->text : "",
                                             book);

  return left == NULL;
}

/* Takes back the book of each spine in @books (one GPtrArray of BiBookHit per candidate)
 * that is a piece of the spine beside it: the engine cut one spine into two regions (a
 * two-line title into "Enciclopedia" and "visual de los", a shelf's cut into a title and its
 * byline "Rudyard Kipling"), the one piece's book explains all it reads and the other's
 * does not. Each piece got a book, the second a wrong one: "Enciclopedia de los deportes"
 * beside "Enciclopedia visual de los deportes", the book "Rudyard Kipling" beside "The
 * Jungle Book". A spine holding more books, or found by an ISBN or a label, reads more of
 * its own. */
static void
take_back_pieces (GPtrArray  *candidates,
                  GPtrArray  *books,
                  GHashTable *taken)
{
  for (guint i = 0; i < candidates->len; i++)
    {
      GPtrArray *piece_books = g_ptr_array_index (books, i);
      const BiCandidate *piece = g_ptr_array_index (candidates, i);
      const BiBookHit *hit;

      if (piece_books->len != 1)
        continue;
      hit = g_ptr_array_index (piece_books, 0);
      if (hit->by_isbn || hit->label != BI_LABEL_NONE)
        continue;
      for (guint j = 0; j < candidates->len; j++)
        {
          GPtrArray *spine_books = g_ptr_array_index (books, j);
          const BiCandidate *spine = g_ptr_array_index (candidates, j);
          const BiBookHit *spine_hit;

          if (j == i || spine_books->len == 0 || !may_share_spine (piece, spine))
            continue;
          spine_hit = g_ptr_array_index (spine_books, 0);
          if (!explains_all (piece, spine_hit->book) || explains_all (spine, hit->book))
            continue;
          g_hash_table_remove (taken, book_key (hit->book));
          g_ptr_array_set_size (piece_books, 0);
          break;
        }
    }
}

GPtrArray *
bi_book_matcher_resolve (BiCatalog  *catalog,
                         GPtrArray  *candidates,
                         double      min_confidence,
                         GError    **error)
{
  g_autoptr(GPtrArray) books = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                               g_ptr_array_unref);
  g_autoptr(GHashTable) taken = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) spines = g_ptr_array_new ();
  g_autoptr(GArray) origins = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GPtrArray) residuals = NULL;
  g_autoptr(GPtrArray) given = g_ptr_array_new ();
  g_autoptr(BiCatalogMemo) memo = NULL;
  g_autoptr(BiTitleSpecificity) specificity = NULL;

  g_return_val_if_fail (catalog != NULL && candidates != NULL, NULL);

  /* Spines of one photo, and the residuals of later rounds, ask the same searches and
   * specificities again and again: each is asked of the catalog once per photo. */
  memo = bi_catalog_memo_new (catalog);
  specificity = bi_title_specificity_new (bi_catalog_memo_as_port (memo));

  for (guint i = 0; i < candidates->len; i++)
    {
      g_ptr_array_add (books, g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                              bi_book_hit_free));
      g_ptr_array_add (spines, g_ptr_array_index (candidates, i));
      g_array_append_val (origins, i);
    }

  /* Each round assigns books to the spines, then matches again what the books given leave
   * of their spines' texts, with the books given so far out of the running. */
  for (guint round = 0; round < MAX_BOOKS_PER_SPINE && spines->len > 0; round++)
    {
      g_autoptr(GPtrArray) next = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                  bi_candidate_free);
      g_autoptr(GArray) next_origins = g_array_new (FALSE, FALSE, sizeof (guint));

      if (!assign_round (bi_catalog_memo_as_port (memo), specificity, spines, origins, NULL,
                         taken, books, min_confidence, next, next_origins, error))
        return NULL;

      /* The next round's spines are this round's residuals (kept alive until then). */
      g_clear_pointer (&residuals, g_ptr_array_unref);
      residuals = g_steal_pointer (&next);
      g_ptr_array_set_size (spines, 0);
      for (guint i = 0; i < residuals->len; i++)
        g_ptr_array_add (spines, g_ptr_array_index (residuals, i));
      g_clear_pointer (&origins, g_array_unref);
      origins = g_steal_pointer (&next_origins);
    }

  take_back_pieces (candidates, books, taken);

  /* Last, the spines still without a book whose author and shared label name one book once
   * the books given to the other spines are set aside ("PAMUK ier tetra N Pam": three of
   * Orhan Pamuk's books are "N Pam", two of them given next door). Only spines with a
   * label are asked again. */
  g_ptr_array_set_size (spines, 0);
  g_array_set_size (origins, 0);
  for (guint i = 0; i < candidates->len; i++)
    {
      GPtrArray *spine_books = g_ptr_array_index (books, i);
      const BiCandidate *candidate = g_ptr_array_index (candidates, i);
      g_autoptr(GPtrArray) labels = NULL;

      for (guint k = 0; k < spine_books->len; k++)
        g_ptr_array_add (given, ((BiBookHit *) spine_books->pdata[k])->book);
      if (spine_books->len > 0 || candidate->text == NULL)
        continue;
      labels = bi_call_number_read (candidate->text);
      if (labels->len == 0)
        continue;
      g_ptr_array_add (spines, g_ptr_array_index (candidates, i));
      g_array_append_val (origins, i);
    }
  if (spines->len > 0 && given->len > 0 &&
      !assign_round (bi_catalog_memo_as_port (memo), specificity, spines, origins, given,
                     taken, books, min_confidence, NULL, NULL, error))
    return NULL;
  return g_steal_pointer (&books);
}
