/* bi-ocr-text.h — OCR text clean-up, and what a heuristic needs to know about a line's words
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Drops what OCR makes of spine edges, stickers and texture: symbols (| _ ~ = * …), words
 * with no letter or digit, and stray punctuation around words; blanks collapse to one
 * space. @text may be any bytes. Returns a possibly empty string. */
char   *bi_ocr_text_clean          (const char *text);

/* bi_ocr_text_clean(), then OCR's usual slips repaired: a word broken at a line's end
 * joined ("Hob- bit" → "Hobbit"), digits read for letters inside words ("H0BBIT" →
 * "HOBBIT", "Co11ins" → "Collins"), "l" among capitals and "I" among small letters
 * ("HOBBlT" → "HOBBIT"). Real numbers ("1984", "Catch-22") stay. "rn" read for "m" cannot
 * be told from a real "rn" here; matching folds it (bi-text-similarity.h). */
char   *bi_ocr_text_repair         (const char *text);

/* Number of letters (any script). */
guint   bi_ocr_text_count_letters  (const char *text);

/* How much the line looks like a person's name: 0 when it does not, 1 for two or three
 * capitalised words ("Suzanne Collins", "MARIO BUNGE"), 2 when initials add to it
 * ("J.R.R. Tolkien", "Ursula K. Le Guin"). Lines with digits or title words ("the", "of")
 * are not names. */
int     bi_ocr_text_name_score     (const char *text);

/* Whether the line can be an author's byline: a name (bi_ocr_text_name_score() > 0) or a
 * single capitalised word of three letters or more that is no title word ("TOLKIEN"). */
gboolean bi_ocr_text_is_byline     (const char *text);

G_END_DECLS
