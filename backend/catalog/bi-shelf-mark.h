/* bi-shelf-mark.h — a library's call numbers, as catalogued and as OCR reads them on a label
 *
 * A public library labels every spine with its call number: a class number (Dewey or CDU,
 * "796.34", "796(03)") or a collection's letters ("N", "I**", "N 833"), then the first
 * letters of the first author's surname ("Cas"). Catalogs keep it (llabres' `tag`); the
 * label is the one text on a spine printed in a fixed, clean type, and in most libraries it
 * names one book. Compared here in one normal form: lower case, accents folded, blanks
 * collapsed, and a blank between digits read as the dot it stands for ("796 342").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bi-ports.h"

G_BEGIN_DECLS

/* Shortest class number (in digits) whose leading digits may be lost: "325" for "796.325",
 * never one digit ("6 Lib" would name half the shelf). */
#define BI_SHELF_MARK_MIN_SUFFIX_DIGITS 2

/* The normal form of a class number as catalogued or read ("796 342" → "796.342", "N 833"
 * → "n 833"); NULL for NULL or blank. */
char     *bi_shelf_mark_normalize_class (const char        *class_number);
/* The normal form of an author code ("Pàm" → "pam"): letters only; NULL when none. */
char     *bi_shelf_mark_normalize_code  (const char        *author_code);

/* Splits a catalogued shelf mark ("796.34 Cas", "N 833 Par") into its class number and its
 * author code (its last word, letters only), both in normal form. FALSE, both NULL, when
 * the mark ends in no code ("1(Ant)", "Case 1.Shelf 2"): such a mark cannot be read back
 * from a label. */
gboolean  bi_shelf_mark_split           (const char        *shelf_mark,
                                         char             **class_number,
                                         char             **author_code);

/* Whether a label read (@read_class, @read_code) names a catalogued mark (@class_number,
 * @author_code), all in normal form; *@match says how exactly. At most one slip in all
 * (BiShelfMarkMatch): a label read with two is taken for another label. */
gboolean  bi_shelf_mark_compare         (const char        *read_class,
                                         const char        *read_code,
                                         const char        *class_number,
                                         const char        *author_code,
                                         BiShelfMarkMatch  *match);

G_END_DECLS
