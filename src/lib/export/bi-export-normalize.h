/* bi-export-normalize.h — comparison keys for titles and names, and name parts
 *
 * Two readings of one book differ in case, accents, punctuation, a leading article ("The",
 * "Le", "Der" …) and a series suffix ("(Discworld, #4)"): the keys ignore all of that.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "The Colour of Magic (Discworld, #1)" → "colour of magic"; "" for a title of only noise. */
char *bi_export_normalize_title   (const char  *title);

/* The person's surname as a key: "Terry Pratchett" and "PRATCHETT, Terry" → "pratchett". */
char *bi_export_normalize_surname (const char  *name);

/* Letters and digits only, lower case, accents removed, words joined by single spaces. */
char *bi_export_normalize_text    (const char  *text);

/* Splits a display name into family and given names: "Terry Pratchett" → "Pratchett",
 * "Terry"; "Le Guin, Ursula K." → "Le Guin", "Ursula K."; lower-case particles belong to the
 * family name ("Simone de Beauvoir" → "de Beauvoir"); a single word is all family name and
 * @given is "". */
void  bi_export_split_name        (const char  *name,
                                   char       **family,
                                   char       **given);

/* @text on one line, for line-based formats: control characters (line breaks, tabs, escape
 * sequences from OCR) become spaces, runs of spaces one, and the ends are trimmed. */
char *bi_export_text_one_line     (const char  *text);

G_END_DECLS
