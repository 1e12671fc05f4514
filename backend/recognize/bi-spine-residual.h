/* bi-spine-residual.h — what is left of a spine's text once one book explains part of it
 *
 * A region of the OCR engine sometimes holds two or three spines ("Bonk Chrysanthemum Mary
 * Roach Kevin Henkes"): the assignment gives the region one book, and the others are lost.
 * The words the chosen book's title and authors explain are taken out, and what is left is
 * matched again as a spine of its own (bi_book_matcher_resolve()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bi-ports.h"

G_BEGIN_DECLS

/* The words of @text (as read, in order) that @book's title and authors do not explain,
 * each book word taking at most one text word (exactly, or nearly for long words) but for
 * a title word of 4 letters or more read again, the same spine read twice; NULL
 * when what is left cannot name a book (no word of 4 letters or more). */
char *bi_spine_residual (const char   *text,
                         const BiBook *book);

G_END_DECLS
