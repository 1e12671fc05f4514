/* bi-title-specificity.h — how few catalog titles share the words a spine has of a title
 *
 * A spine that reads a whole distinctive title ("THE HOBBIT") names its book even without
 * the author; one that reads a lone common word ("David") names none, although that word
 * is inside many titles ("No, David!"). The length of the text cannot tell the two apart
 * ("HOBBIT" is shorter than "DAVID COPPERFIELD"); the number of catalog titles holding the
 * words can. The words a spine shares with a title are asked of the catalog (its FTS5
 * search, through the BiCatalog port) and the titles holding all of them are counted; the
 * answers are kept for the photo, since neighbouring hits share their words.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bi-ports.h"

G_BEGIN_DECLS

/* Titles counted at most: this many or more sharing the words is "common" (specificity 0). */
#define BI_TITLE_SPECIFICITY_MAX_TITLES 40
/* Title words this long or longer count when read with one slip (as the catalog's search
 * respells them). */
#define BI_TITLE_SPECIFICITY_MIN_SLIP_LENGTH 5

typedef struct _BiTitleSpecificity BiTitleSpecificity;

/* @catalog is borrowed and must outlive the returned object. */
BiTitleSpecificity *bi_title_specificity_new   (BiCatalog           *catalog);
void                bi_title_specificity_free  (BiTitleSpecificity  *self);

/* The words of @title (normalised, bi_title_normalize()) that are words of @text (a
 * normalised spine text) too, in the title's order, joined by blanks; "" when none. Words
 * of one or two letters count only when no longer word is shared. A title word of
 * BI_TITLE_SPECIFICITY_MIN_SLIP_LENGTH letters or more read with one slip ("monevball")
 * counts as the title's word when no catalog title holds the word as read: the catalog's
 * search respells such a word the same way (bi-sqlite-catalog.c). NULL with the catalog's
 * error. */
char               *bi_title_specificity_shared_words (BiTitleSpecificity  *self,
                                                       const char          *title,
                                                       const char          *text,
                                                       GError             **error);

/* Whether a catalog title holds @word (a normalised word) as it is spelled, in @titled:
 * a word no title holds is a misreading, or a word cut short. The answers are kept.
 * FALSE with the catalog's error. */
gboolean            bi_title_specificity_is_title_word (BiTitleSpecificity  *self,
                                                        const char          *word,
                                                        gboolean            *titled,
                                                        GError             **error);

/* 1 - log(n) / log(BI_TITLE_SPECIFICITY_MAX_TITLES), 0.0–1.0, where n is the number of
 * catalog titles holding every one of @shared_words (normalised words, as given by
 * bi_title_specificity_shared_words()): 1.0 when one title has them, 0.0 for "" or when
 * they are common. FALSE with the catalog's error. */
gboolean            bi_title_specificity_get   (BiTitleSpecificity  *self,
                                                const char          *shared_words,
                                                double              *specificity,
                                                GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiTitleSpecificity, bi_title_specificity_free)

G_END_DECLS
