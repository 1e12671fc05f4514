/* bi-book-slot.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-book-slot"

#include "config.h"

#include "bi-book-slot.h"

struct _BiBookSlot
{
  GObject     parent_instance;

  GListModel *books;     /* the list the slot is a position of */
  guint       position;
  BiBook     *book;      /* the book found there, until the list changes; NULL: not looked up */
  gulong      book_changed_id;  /* book's "changed", passed on as the slot's */
};

G_DEFINE_FINAL_TYPE (BiBookSlot, bi_book_slot, G_TYPE_OBJECT)

enum
{
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- helpers ---- */

static void
forget_book (BiBookSlot *self)
{
  if (self->book == NULL)
    return;
  g_clear_signal_handler (&self->book_changed_id, self->book);
  g_clear_object (&self->book);
}

/* ---- callbacks ---- */

/* A review or a merge changed the book while a cell shows it. */
static void
book_changed_cb (BiBookSlot *self)
{
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

/* ---- GObject ---- */

static void
bi_book_slot_dispose (GObject *object)
{
  BiBookSlot *self = BI_BOOK_SLOT (object);

  forget_book (self);
  g_clear_object (&self->books);

  G_OBJECT_CLASS (bi_book_slot_parent_class)->dispose (object);
}

static void
bi_book_slot_class_init (BiBookSlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bi_book_slot_dispose;

  /* Another book is at the slot's position (or none), or the book changed. */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
bi_book_slot_init (BiBookSlot *self)
{
}

/* ---- public API ---- */

BiBookSlot *
bi_book_slot_new (GListModel *books,
                  guint       position)
{
  BiBookSlot *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (books), NULL);

  self = g_object_new (BI_TYPE_BOOK_SLOT, NULL);
  self->books = g_object_ref (books);
  self->position = position;
  return self;
}

BiBook *
bi_book_slot_get_book (BiBookSlot *self)
{
  g_return_val_if_fail (BI_IS_BOOK_SLOT (self), NULL);

  /* Only a slot a cell shows is asked: it alone hears its book, one handler for the row. */
  if (self->book == NULL)
    {
      self->book = g_list_model_get_item (self->books, self->position);
      if (self->book != NULL)
        self->book_changed_id = g_signal_connect_swapped (self->book, "changed",
                                                          G_CALLBACK (book_changed_cb), self);
    }
  return self->book;
}

guint
bi_book_slot_get_position (BiBookSlot *self)
{
  g_return_val_if_fail (BI_IS_BOOK_SLOT (self), 0);
  return self->position;
}

void
bi_book_slot_invalidate (BiBookSlot *self)
{
  g_autoptr(BiBook) book = NULL;

  g_return_if_fail (BI_IS_BOOK_SLOT (self));

  if (!g_signal_has_handler_pending (self, signals[SIGNAL_CHANGED], 0, FALSE))
    {
      forget_book (self);
      return;
    }
  /* a search that narrows, or a sort step, often leaves a shown row's book where it was */
  book = g_list_model_get_item (self->books, self->position);
  if (book == self->book)
    return;
  forget_book (self);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}
