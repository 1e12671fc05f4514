/* bi-book-slot.h — one row of the book list: whichever book is at its position
 *
 * BiBookRows hands these to the column view instead of the books: the object at a position
 * stays the same when a sort or a search moves the books, so GTK 4.8's list widgets keep the
 * row they made for it and the cells only show another book ("changed"), where a new item
 * would cost a new row of widgets.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "bi-book.h"

G_BEGIN_DECLS

#define BI_TYPE_BOOK_SLOT (bi_book_slot_get_type ())
G_DECLARE_FINAL_TYPE (BiBookSlot, bi_book_slot, BI, BOOK_SLOT, GObject)

/* The book at the slot's position of @books (a list of BiBook), looked up when asked. */
BiBookSlot *bi_book_slot_new          (GListModel *books,
                                       guint       position);
/* NULL once the list is shorter than the slot's position. From the first call until the list
 * changes there, the slot passes the book's "changed" on as its own. */
BiBook     *bi_book_slot_get_book     (BiBookSlot *self);
guint       bi_book_slot_get_position (BiBookSlot *self);
/* The list changed at the slot's position: emits "changed" if another book is there now.
 * Only a slot a cell shows has a handler; the others just forget their book. */
void        bi_book_slot_invalidate   (BiBookSlot *self);

G_END_DECLS
