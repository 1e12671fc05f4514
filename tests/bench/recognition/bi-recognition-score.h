/* bi-recognition-score.h — how right the pipeline was: precision, recall, misses
 *
 * Matching rule. A reported book is right when its title matches the title of a book on the
 * ground truth of that photo that no other reported book has matched yet. Titles match when
 * their normal forms are equal, the normal form being the catalog's own
 * (bi_search_text_normalize: case and accents folded, punctuation a separator), taken of the
 * whole title or of its *main title*: the part before the first ':' (so "Title : subtitle"
 * matches "Title"), without a series note such as "(The Hunger Games, #1)". A book reported
 * twice for one book on the shelf counts once right and once wrong.
 *
 * precision = right / reported, recall = matched ground-truth books / ground-truth books,
 * F1 their harmonic mean; a set where nothing was reported has precision 0.
 *
 * Books the catalog holds. A reported book is always a catalog book, so a book on the shelf
 * that the catalog holds under no title that would match cannot be found by any reading. Each
 * ground-truth book is looked up once; those the catalog lacks are marked in the misses, and
 * the recall of the books it holds (right / held) tells the pipeline's own share apart from
 * the catalog's.
 *
 * Annotated area. A ground truth may list the books of part of a photo only (the shared
 * llabres_two_shelves_example.jpg: its bottom shelf). A reported book whose evidence box has
 * its middle outside that area is *not scored*: neither right nor wrong, and not counted as
 * reported. It is listed, so that a book scored away by mistake can be seen.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "bi-recognition-pipeline.h"

G_BEGIN_DECLS

/* The part of a photo its ground truth covers, in shares of its width and height. */
typedef struct
{
  double left, top, right, bottom;
} BiRecognitionArea;

typedef struct
{
  guint      photos;
  guint      failed;      /* photos the pipeline failed on */
  guint      expected;    /* books on the ground truth */
  guint      reported;    /* books the pipeline named */
  guint      right;       /* reported books that match a book on the ground truth */
  guint      unscored;    /* reported books outside the annotated area, not in @reported */
  guint      held;        /* books on the ground truth that the catalog holds */
  guint      unresolved;  /* spines the validator could not name */
  GArray    *seconds;     /* of double: each photo's pipeline wall time */
  GArray    *seconds_12mp; /* of double: the same, photos of 12 megapixels or more only */
  GArray    *cpu_seconds_12mp; /* of double: their worker thread's CPU time */
  GPtrArray *misses;      /* of char *: "photo-03.jpg: Title", on the shelf but not found */
  GPtrArray *wrong;       /* of char *: "photo-03.jpg: Title (OCR: …)", reported, not there */
  GPtrArray *outside;     /* of char *: the same, reported outside the annotated area */
} BiRecognitionScore;

BiRecognitionScore *bi_recognition_score_new        (void);
void                bi_recognition_score_free       (BiRecognitionScore          *score);

/* Whether the catalog holds a book titled @title by the rule above. */
typedef gboolean    (*BiRecognitionHeldFunc)        (const char                  *title,
                                                     gpointer                     user_data);

/* TRUE when @reported names the book titled @expected, by the rule above. */
gboolean            bi_recognition_titles_match     (const char                  *reported,
                                                     const char                  *expected);

/* Scores one photo's outcome against its ground-truth titles (of char *), and notes in
 * @outcome how many books it expected and how many of its reports were right.
 * @area: (nullable): what the ground truth covers; NULL for the whole photo.
 * @held: (nullable): whether the catalog holds a book; NULL when every book on the ground
 * truth was drawn from the catalog (the generated photos). */
void                bi_recognition_score_add        (BiRecognitionScore          *score,
                                                     BiRecognitionOutcome        *outcome,
                                                     GPtrArray                   *expected,
                                                     const BiRecognitionArea     *area,
                                                     BiRecognitionHeldFunc        held,
                                                     gpointer                     held_data);

double              bi_recognition_score_precision  (const BiRecognitionScore    *score);
double              bi_recognition_score_recall     (const BiRecognitionScore    *score);
double              bi_recognition_score_f1         (const BiRecognitionScore    *score);
/* right / held: the recall of the books the catalog holds. */
double              bi_recognition_score_held_recall (const BiRecognitionScore   *score);

/* Median and largest of @seconds (of double); 0 for none. */
double              bi_recognition_median           (GArray                      *seconds);
double              bi_recognition_max              (GArray                      *seconds);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiRecognitionScore, bi_recognition_score_free)

G_END_DECLS
