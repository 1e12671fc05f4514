/* bi-spine-text.h — a spine's text split into the title and the author's name
 *
 * A spine prints the author before or after the title, often on the same line as OCR reads
 * it: "THE HUNGER GAMES SUZANNE COLLINS", "Arcadi Alibés Córrer per ser feliç". Library
 * labels and catalogues write "Surname, Name". The author is the run of two to four words
 * at either end that looks like a person's name (bi_ocr_text_name_score()): capitalised
 * words, initials, particles (de, la, van, von). In mixed-case text the run takes every
 * capitalised word (up to four), since title words in Spanish and Catalan are lower case;
 * in capitals it takes two words and any initials and particles, since a capitalised title
 * word cannot be told from a name. When both ends look like names, the end that starts with
 * a common given name wins, else the end.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Splits cleaned OCR text (words separated by single blanks). *@title gets the rest of the
 * text (possibly all of it; empty when the text is only a name), *@author the name, in
 * "Name Surname" order, or NULL when no end of the text looks like one. */
void  bi_spine_text_split            (const char  *text,
                                      char       **title,
                                      char       **author);

/* "Collins, Suzanne" → "Suzanne Collins"; NULL when @text is not a "Surname, Name" form
 * (one comma, a name on each side). */
char *bi_spine_text_reorder_surname  (const char  *text);

G_END_DECLS
