/* bi-book-matcher.h — a photo's spines → catalog books, each with a calibrated confidence
 *
 * For every spine the matcher asks the catalog several questions (title and author, title,
 * the whole spine text without publisher marks, that text with OCR's "rn"/"m" slip undone,
 * and runs of a few words of it, since the text of two spines read as one, or a misread
 * word, pushes the right book down the answers to the whole text), and looks an ISBN read from a barcode or the text up exactly. Every catalog hit
 * is scored on features of how the spine's text and the book agree (bi_book_match_features),
 * which a logistic model turns into the probability that the book is the spine's
 * (bi_book_match_probability; fitted as docs/recognition.md says). Books are then assigned
 * over the whole photo at once (bi-assignment.h): one book per spine, no book twice,
 * the largest sum of probabilities — the expected number of books right. A spine whose best
 * book stays below the threshold is left unresolved.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bi-ports.h"
#include "bi-title-specificity.h"

G_BEGIN_DECLS

/* A spine is given a book only at this probability or more of it being right. Chosen on
 * generated photos held out of the model's fit (docs/recognition.md): precision 0.995 there
 * from 0.3 to 0.8, recall 0.617 at 0.4 against 0.607 at 0.5. 0.3 gives a lone common word
 * its book ("David" → "No, David!" at 0.31, /bookimg/matching/catalog/unrelated-unresolved)
 * and 2 wrong books of 30 on the real photos. */
#define BI_BOOK_MATCHER_MIN_CONFIDENCE 0.4
/* The confidence of a book found by the ISBN read from the spine or cover. */
#define BI_BOOK_MATCHER_ISBN_CONFIDENCE 0.99

/* What the probability is computed from; each 0.0–1.0. */
typedef struct
{
  double title_recall;    /* how much of the book's title (or main title) the text holds:
                           * trigram containment */
  double text_precision;  /* how much of the text the book's title and authors explain */
  double word_overlap;    /* share of the title's words found in the text, by weight */
  double author_found;    /* 1 when an author's surname is in the text */
  double ocr_confidence;  /* of the spine's text */
  double specificity;     /* how few catalog titles hold the words the text shares with
                           * the title (bi-title-specificity.h): a lone common word
                           * ("David") is inside many titles, "hobbit" inside few */
  /* Not in the model (the fit gives it no weight): only breaks ties in the assignment. */
  double whole_title;     /* the text is the whole title (and authors), nothing else:
                           * min (full title's trigram containment, text_precision) */
} BiMatchFeatures;

/* Features in the model: all but whole_title. */
#define BI_MATCH_N_FEATURES 6

/* A catalog book found for a candidate. */
typedef struct
{
  guint            candidate;   /* index in the candidates given */
  BiBook          *book;
  BiMatchFeatures  features;
  double           probability;
  gboolean         by_isbn;     /* found by the ISBN: probability is the ISBN confidence */
} BiBookHit;

void      bi_book_hit_free           (BiBookHit             *hit);

/* The features of @book as the reading of @candidate; @specificity answers for the
 * catalog (bi-title-specificity.h). FALSE with the catalog's error. */
gboolean  bi_book_match_features     (const BiCandidate     *candidate,
                                      const BiBook          *book,
                                      BiTitleSpecificity    *specificity,
                                      BiMatchFeatures       *features,
                                      GError               **error);
/* The fitted model: the probability that @features belong to the right book. */
double    bi_book_match_probability  (const BiMatchFeatures *features);
/* The features as an array, in the order of the model's weights. */
void      bi_book_match_features_to_array (const BiMatchFeatures *features,
                                           double                 values[BI_MATCH_N_FEATURES]);

/* Every catalog book found for each of @candidates (a GPtrArray of BiCandidate), scored:
 * a GPtrArray of BiBookHit, one per (candidate, book). Errors are the catalog's. */
GPtrArray *bi_book_matcher_gather    (BiCatalog             *catalog,
                                      GPtrArray             *candidates,
                                      GError               **error);

/* The assignment over the photo: a newly allocated array of @n_candidates hits (borrowed
 * from @hits, NULL for a spine left unresolved) with no book twice and the largest sum of
 * probabilities among hits of at least @min_confidence. */
BiBookHit **bi_book_matcher_assign   (GPtrArray             *hits,
                                      guint                  n_candidates,
                                      double                 min_confidence);

/* The books of a photo: one GPtrArray of BiBookHit (owned, each of at least
 * @min_confidence) per candidate of @candidates, in their order. A spine's first book is the
 * assignment's over the whole photo; when the words that book explains leave a title's
 * worth of text (a region holding two or three spines), what is left is matched and
 * assigned again, books already given staying out. Errors are the catalog's. */
GPtrArray *bi_book_matcher_resolve   (BiCatalog             *catalog,
                                      GPtrArray             *candidates,
                                      double                 min_confidence,
                                      GError               **error);

G_END_DECLS
