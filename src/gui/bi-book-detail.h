/* bi-book-detail.h — the selected book: its spine cut from the user's photo, the OCR text,
 * the photos it was found on, and the review (edit, accept, remove)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "bi-book.h"

G_BEGIN_DECLS

#define BI_TYPE_BOOK_DETAIL (bi_book_detail_get_type ())
G_DECLARE_FINAL_TYPE (BiBookDetail, bi_book_detail, BI, BOOK_DETAIL, GtkBox)

BiBook       *bi_book_detail_get_book (BiBookDetail *self);
/* Shows @book (NULL: "No book selected"); the crop is cut in a worker thread. */
void          bi_book_detail_set_book (BiBookDetail *self,
                                       BiBook       *book);
/* The spine crop on show, NULL while it loads or when there is none. */
GdkPaintable *bi_book_detail_get_crop (BiBookDetail *self);

/* Signals: ::save (BiLibraryReview *edits: the fields as the user corrected them, checked),
 * ::accept and ::remove; actions detail.save, detail.accept, detail.remove. */

/* The entry of a field ("title", "authors", "year", "isbn13"), for tests. */
GtkEditable  *bi_book_detail_get_field (BiBookDetail *self,
                                        const char   *name);
/* The inline error on show (e.g. a bad ISBN-13), or NULL. */
const char   *bi_book_detail_get_error (BiBookDetail *self);

G_END_DECLS
