/* bi-book-matcher.h — a photo's spines → catalog books, each with a calibrated confidence
 *
 * For every spine the matcher asks the catalog several questions (title and author, title,
 * the whole spine text without publisher marks, that text with OCR's "rn"/"m" slip undone,
 * and runs of a few words of it, since the text of two spines read as one, or a misread
 * word, pushes the right book down the answers to the whole text), and looks an ISBN read from a barcode or the text up exactly, and a library's call-number label ("796.34 Cas")
 * up by shelf mark. Every catalog hit
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

#include "bi-author-books.h"
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
/* The least confidence of a book whose shelf mark alone is the library label read on the
 * spine ("796.34 Cas" → "Pádel"): a label is printed clean and, in the library whose
 * catalog holds it, names that one book (docs/recognition.md, "Library labels"). */
#define BI_BOOK_MATCHER_LABEL_CONFIDENCE 0.97
/* The least confidence of a book whose shelf mark alone is one OCR slip from the label read
 * ("196.41 Aab", "6.41 Lib"), or alone a collection's label ("N Bry"), given the text reads
 * a word of its title or its author's surname besides the label; without such a word the
 * model alone decides. */
#define BI_BOOK_MATCHER_LABEL_SLIP_CONFIDENCE 0.8
/* The least confidence of a book the spine names through its author's name
 * (bi-author-books.h): the author's only book in the catalog, when the book explains most
 * of the text, or the only one of the author's books whose title shares a word with it.
 * Under a label's and a clearly read title's, so that they win a spine's competition. */
#define BI_BOOK_MATCHER_AUTHOR_CONFIDENCE 0.6

/* What the library label read on a spine says of a book (BiShelfMarkMatch). */
typedef enum
{
  BI_LABEL_NONE,        /* not found by a label */
  BI_LABEL_SHARED,      /* its shelf mark is the label's, but so is another book's ("N Pam") */
  BI_LABEL_UNIQUE_LOOSE, /* the one book one slip away, no book exactly so; or the one
                          * book exactly so with others a slip away ("33 Mar" and "N 833
                          * Mar"); or the one book of a collection's label ("N Bry"): a
                          * collection holds so many codes that one letter misread names
                          * another book's */
  BI_LABEL_UNIQUE,       /* the one book whose mark is the label, a class number, exactly,
                          * and no book a slip away */
} BiLabelEvidence;

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
  /* Not in the model either: caps the probability (bi_book_match_reading_probability()). */
  guint  reading_letters; /* letters and digits of the text besides labels and publishers */
  guint  explained_letters; /* those of its words that the book's title and authors hold
                             * (exactly, or nearly for words of 5 letters or more) */
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
  BiLabelEvidence  label;       /* found by the spine's library label, and how */
  gboolean         by_author;   /* named by its author's name (bi-author-books.h) */
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
/* The model's probability @model for a hit of @features, at most 0.3 (under
 * BI_BOOK_MATCHER_MIN_CONFIDENCE) when the spine reads three letters or fewer besides labels
 * and publishers ("It"), or three letters or fewer of the book's words ("rap si" of "Rap :
 * 25 años de rimas"): too little to tell a book from a speck or a fragment. */
double    bi_book_match_reading_probability (const BiMatchFeatures *features,
                                             double                 model);
/* The probability of @book as the reading of @candidate given what its library label says
 * (@label) and the model's probability @model: BI_BOOK_MATCHER_LABEL_CONFIDENCE for the
 * one book of the label, BI_BOOK_MATCHER_LABEL_SLIP_CONFIDENCE for the one book one slip
 * away when a word of its title or an author's surname is read too, else @model. */
double    bi_book_match_label_probability (const BiCandidate *candidate,
                                           const BiBook      *book,
                                           BiLabelEvidence    label,
                                           double             model);
/* The probability of a book of @features that the spine names through its author's name
 * for @reason, the model (and labels) having given @model: at least
 * BI_BOOK_MATCHER_AUTHOR_CONFIDENCE, for an author's only book when its title and authors
 * explain most of the text (an absent book of the author, whose title is read, leaves the
 * title unexplained). */
double    bi_book_match_author_probability (const BiMatchFeatures *features,
                                            BiAuthorReason         reason,
                                            double                 model);
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
