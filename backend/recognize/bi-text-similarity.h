/* bi-text-similarity.h — how alike two normalised texts are, forgiving what OCR gets wrong
 *
 * Texts are compared in the form of bi-title-normalize.h, further folded for the letters OCR
 * confuses (see bi_text_similarity_fold()), so "HOBB1T" and "hobbit", "Modem" and "Modern"
 * agree. Character trigrams make a misread letter cost a few trigrams instead of a word.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Letters OCR mistakes for one another, mapped to one of them: "rn" → "m", "vv" → "w",
 * "0" → "o", "1", "i", "|" → "l", "5" → "s". Applied to both sides of a comparison, so real
 * words are unharmed. @normalized is a normalised (lower-case) text. */
char       *bi_text_similarity_fold (const char *normalized);

/* The set of character trigrams of a folded text, words padded with a blank. */
typedef struct _BiTrigrams BiTrigrams;

BiTrigrams *bi_trigrams_new         (const char       *normalized);
void        bi_trigrams_free        (BiTrigrams       *self);
guint       bi_trigrams_count       (const BiTrigrams *self);

/* Dice coefficient 2|A∩B| / (|A| + |B|), 0.0–1.0 (0 when either is empty). */
double      bi_trigrams_dice        (const BiTrigrams *a,
                                     const BiTrigrams *b);
/* |A∩B| / |A|: how much of @a is found in @b, 0.0–1.0. */
double      bi_trigrams_containment (const BiTrigrams *a,
                                     const BiTrigrams *b);

/* How much of @words' text is found word for word in @in (both normalised): the share of
 * the weight of @words' words that @in has, exactly or nearly (long words with a trigram
 * Dice of 0.5 or more: one misread letter). Longer words weigh more; one-letter words nothing. 0.0–1.0. */
double      bi_text_word_overlap    (const char       *words,
                                     const char       *in);

/* Whether the normal word @read is @word as OCR may have read it: the same word, or for a
 * @word of 3 letters or more one bi_text_word_overlap() finds in it (folded; a misread
 * letter in a long word). */
gboolean    bi_text_same_word       (const char       *read,
                                     const char       *word);

/* Whether @read is @word read with at most one slip: one letter changed, dropped or added
 * (both normalised words, compared folded, so "h0bbit" is "hobbit" and "rn" for "m" is no
 * slip at all). Words shorter than @min_length never are. */
gboolean    bi_text_one_slip        (const char       *read,
                                     const char       *word,
                                     guint             min_length);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiTrigrams, bi_trigrams_free)

G_END_DECLS
