/* bi-call-number.h — library call-number labels read along with a spine's title
 *
 * A public library sticks a label on every spine: a class number (Dewey or CDU: "796.4",
 * "82-31", "9(46)"), or a collection's letters ("N" novel, "JN" young readers, "I**"
 * children's), and the first three letters of the first author's surname ("Sal", "Par",
 * "Pam"). OCR reads the label with the title ("Els ulls grocs dels cocodrils N Pan"): as
 * title words it sinks the right book under books that hold "n" or "pan"; as an author's
 * initials it is good evidence.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* One label read on a spine, as read (not normalised): the class number or collection
 * letters ("796.34", "N 833", "6.41", "796 342" with its dot read as a blank, "N" of a
 * glued "NPam") and the author code ("Cas", or "Al" and "RpP" read with a slip after a
 * class number no title prints). The catalog compares them tolerantly (BiCatalog's
 * lookup_shelf_mark). */
typedef struct
{
  char *class_number;
  char *author_code;
} BiCallNumber;

void      bi_call_number_free           (BiCallNumber        *label);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiCallNumber, bi_call_number_free)

/* The labels bi_call_number_strip() takes out of @text, in order: a GPtrArray of
 * BiCallNumber (free func set), empty when there is none. A code ending the text without a
 * class number is no label: it names too many books to look up. */
GPtrArray *bi_call_number_read          (const char          *text);

/* @text (cleaned OCR text, words separated by blanks) without its call-number labels: a
 * class number or collection letters followed by an author code ("796.4 Sal", "N Par",
 * "NPam"), a repeat of that code right after it, and class numbers with a decimal point or
 * CDU punctuation anywhere ("796.355"). Title words stay, numbers of titles too ("1000
 * juegos", "42 motius i 195 raons"); a code misread ("Al", "RpP") only after a decimal class
 * number or two numbers ("796.422 Al", "796 342 RpP"). *@author_code (nullable), when given, is set to the
 * author code read (lower-case, accents folded) or NULL: the code of a label, else a
 * capitalised three-letter word ending the text (left in the text: "La guerra y la Paz"
 * ends so too). */
char     *bi_call_number_strip          (const char  *text,
                                         char       **author_code);

/* Whether @word is a collection's letter that makes a label's first word alone ("N", "P",
 * "T"), as OCR reads it on a line of its own when a label comes out in two pieces. */
gboolean  bi_call_number_is_lone_collection (const char *word);

/* Whether @author_code (as bi_call_number_strip() gives it) is the start of a surname of
 * the first of @authors ("Given Surname" order, dates and initials ignored): "pam" for
 * "Teresa Pàmies"; for a book without authors, the start of @title without its article. */
gboolean  bi_call_number_code_matches   (const char          *author_code,
                                         const char          *title,
                                         const char * const  *authors);

G_END_DECLS
