/* bi-book-rows.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-book-rows"

#include "config.h"

#include "bi-book-rows.h"

#include "bi-book-slot.h"
#include "bi-paced-list.h"
#include "bi-view-range.h"

/* Rows of books made at a time (about 0.25 ms each here), as often as a frame's budget for rows
 * allows (BiFrameBudget), until the list has made the ~200 rows of widgets GTK 4.8 keeps. */
#define ROWS_PER_STEP 4
/* Rows around those in sight shown anew at once when the list changes; the others are brought
 * up to date a few a frame. A keystroke in the search that changed the books under all ~200
 * kept rows spent half its 24 ms setting their cells' text (docs/benchmarks.md). */
#define VIEW_MARGIN_ROWS 4
#define STALE_SLOTS_PER_FRAME 24

struct _BiBookRows
{
  GObject            parent_instance;

  GtkSelectionModel *books;    /* BiBook, in the order and with the selection shown */
  BiPacedList       *paced;    /* books as the view gets them: growing a few rows a frame */
  GPtrArray         *slots;    /* BiBookSlot by position, made when first asked for */
  GtkWidget         *view;     /* weak: it holds the rows */
  BiViewRange       *in_view;  /* the positions on screen */
  GtkBitset         *stale;    /* positions whose slot may show a book no longer there */
  guint              flush_tick_id;  /* the stale slots' tick callback on view, 0: none */
  guint              n_items;  /* the length of paced as last told to the view */
  guint              selected; /* the selected position as last told, G_MAXUINT: none */
};

static void bi_book_rows_list_model_init (GListModelInterface *iface);
static void bi_book_rows_selection_model_init (GtkSelectionModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BiBookRows, bi_book_rows, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      bi_book_rows_list_model_init)
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_SELECTION_MODEL,
                                                      bi_book_rows_selection_model_init))

/* ---- helpers ---- */

/* The slots array has holes (positions never shown). */
static void
slot_unref (gpointer slot)
{
  if (slot != NULL)
    g_object_unref (slot);
}

/* Tells the view which rows' selected state changed: where the selection was and where it is.
 * (GTK 4.8 binds a row again for every selection-changed that covers it, so a whole range
 * would rebind rows that already show the right book.) */
static void
update_selection (BiBookRows *self)
{
  g_autoptr(GtkBitset) selection = gtk_selection_model_get_selection (self->books);
  guint previous = self->selected;

  if (gtk_bitset_get_size (selection) > 1)
    {
      /* not a single selection: every row may have changed */
      self->selected = G_MAXUINT;
      if (self->n_items > 0)
        gtk_selection_model_selection_changed (GTK_SELECTION_MODEL (self), 0, self->n_items);
      return;
    }
  self->selected = gtk_bitset_is_empty (selection) ? G_MAXUINT : gtk_bitset_get_minimum (selection);
  if (previous == self->selected)
    return;
  if (previous < self->n_items)
    gtk_selection_model_selection_changed (GTK_SELECTION_MODEL (self), previous, 1);
  if (self->selected < self->n_items)
    gtk_selection_model_selection_changed (GTK_SELECTION_MODEL (self), self->selected, 1);
}

/* Shows anew the stale slots at @first … @end - 1, at most @limit of them. */
static void
flush_stale (BiBookRows *self,
             guint       first,
             guint       end,
             guint       limit)
{
  GtkBitsetIter iter;
  guint position;
  guint flushed = 0;
  g_autoptr(GtkBitset) done = gtk_bitset_new_empty ();

  if (first >= end)
    return;
  for (gboolean more = gtk_bitset_iter_init_at (&iter, self->stale, first, &position);
       more && position < end && flushed < limit;
       more = gtk_bitset_iter_next (&iter, &position), flushed++)
    {
      BiBookSlot *slot = position < self->slots->len ? g_ptr_array_index (self->slots, position)
                                                     : NULL;

      gtk_bitset_add (done, position);
      if (slot != NULL)
        bi_book_slot_invalidate (slot);
    }
  gtk_bitset_subtract (self->stale, done);
}

static void
flush_stale_in_view (BiBookRows *self)
{
  guint first, end;

  bi_view_range_get (self->in_view, VIEW_MARGIN_ROWS, &first, &end);
  flush_stale (self, first, end, G_MAXUINT);
}

/* Each frame, the rows in sight first (the view may have moved), then a few others. */
static gboolean
flush_tick_cb (GtkWidget     *widget,
               GdkFrameClock *frame_clock,
               gpointer       user_data)
{
  BiBookRows *self = user_data;

  flush_stale_in_view (self);
  flush_stale (self, 0, G_MAXUINT, STALE_SLOTS_PER_FRAME);
  if (!gtk_bitset_is_empty (self->stale))
    return G_SOURCE_CONTINUE;
  self->flush_tick_id = 0;
  return G_SOURCE_REMOVE;
}

static void
schedule_flush (BiBookRows *self)
{
  if (self->flush_tick_id != 0 || self->view == NULL || gtk_bitset_is_empty (self->stale))
    return;
  self->flush_tick_id = gtk_widget_add_tick_callback (self->view, flush_tick_cb, self, NULL);
}

/* ---- callbacks ---- */

static void
paced_items_changed_cb (GListModel *paced,
                        guint       position,
                        guint       removed,
                        guint       added,
                        BiBookRows *self)
{
  guint old_length = self->n_items;
  guint new_length = old_length - removed + added;
  guint kept = MIN (old_length, new_length);
  guint end = MIN (kept, self->slots->len);
  guint first_in_view, end_in_view;

  /* The positions both lengths have keep their slots: they now show other books, those in
   * sight at once, the others in the next frames. */
  bi_view_range_get (self->in_view, VIEW_MARGIN_ROWS, &first_in_view, &end_in_view);
  for (guint i = position; i < end; i++)
    {
      BiBookSlot *slot = g_ptr_array_index (self->slots, i);

      if (slot == NULL)
        continue;
      if (i >= first_in_view && i < end_in_view)
        bi_book_slot_invalidate (slot);
      else
        gtk_bitset_add (self->stale, i);
    }
  if (self->slots->len > kept)
    g_ptr_array_set_size (self->slots, kept);
  gtk_bitset_remove_range (self->stale, kept, G_MAXUINT - kept);
  self->n_items = new_length;

  if (old_length != new_length)
    g_list_model_items_changed (G_LIST_MODEL (self), kept, old_length - kept, new_length - kept);
  /* the selection moves with the books (GtkSingleSelection follows the selected one) */
  update_selection (self);
  schedule_flush (self);
}

static void
in_view_moved_cb (BiBookRows *self)
{
  flush_stale_in_view (self);
}

static void
books_selection_changed_cb (BiBookRows *self)
{
  update_selection (self);
}

/* ---- GListModel ---- */

static GType
bi_book_rows_get_item_type (GListModel *model)
{
  return BI_TYPE_BOOK_SLOT;
}

static guint
bi_book_rows_get_n_items (GListModel *model)
{
  return BI_BOOK_ROWS (model)->n_items;
}

static gpointer
bi_book_rows_get_item (GListModel *model,
                       guint       position)
{
  BiBookRows *self = BI_BOOK_ROWS (model);

  if (position >= self->n_items)
    return NULL;
  if (position >= self->slots->len)
    g_ptr_array_set_size (self->slots, position + 1);
  if (g_ptr_array_index (self->slots, position) == NULL)
    g_ptr_array_index (self->slots, position) = bi_book_slot_new (G_LIST_MODEL (self->paced),
                                                                  position);
  return g_object_ref (g_ptr_array_index (self->slots, position));
}

static void
bi_book_rows_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = bi_book_rows_get_item_type;
  iface->get_n_items = bi_book_rows_get_n_items;
  iface->get_item = bi_book_rows_get_item;
}

/* ---- GtkSelectionModel: the books' selection, position for position ---- */

static gboolean
bi_book_rows_is_selected (GtkSelectionModel *model,
                          guint              position)
{
  return gtk_selection_model_is_selected (BI_BOOK_ROWS (model)->books, position);
}

static GtkBitset *
bi_book_rows_get_selection_in_range (GtkSelectionModel *model,
                                     guint              position,
                                     guint              n_items)
{
  return gtk_selection_model_get_selection_in_range (BI_BOOK_ROWS (model)->books, position,
                                                     n_items);
}

static gboolean
bi_book_rows_select_item (GtkSelectionModel *model,
                          guint              position,
                          gboolean           unselect_rest)
{
  return gtk_selection_model_select_item (BI_BOOK_ROWS (model)->books, position, unselect_rest);
}

static gboolean
bi_book_rows_unselect_item (GtkSelectionModel *model,
                            guint              position)
{
  return gtk_selection_model_unselect_item (BI_BOOK_ROWS (model)->books, position);
}

static void
bi_book_rows_selection_model_init (GtkSelectionModelInterface *iface)
{
  iface->is_selected = bi_book_rows_is_selected;
  iface->get_selection_in_range = bi_book_rows_get_selection_in_range;
  iface->select_item = bi_book_rows_select_item;
  iface->unselect_item = bi_book_rows_unselect_item;
  /* ranges and "all" are left to the default, which refuses them, as GtkSingleSelection does */
}

/* ---- GObject ---- */

static void
bi_book_rows_dispose (GObject *object)
{
  BiBookRows *self = BI_BOOK_ROWS (object);

  if (self->books != NULL)
    g_signal_handlers_disconnect_by_data (self->books, self);
  if (self->paced != NULL)
    g_signal_handlers_disconnect_by_data (self->paced, self);
  if (self->view != NULL)
    {
      if (self->flush_tick_id != 0)
        gtk_widget_remove_tick_callback (self->view, self->flush_tick_id);
      self->flush_tick_id = 0;
      g_object_remove_weak_pointer (G_OBJECT (self->view), (gpointer *) &self->view);
      self->view = NULL;
    }
  if (self->in_view != NULL)
    g_signal_handlers_disconnect_by_data (self->in_view, self);
  g_clear_object (&self->in_view);
  g_clear_pointer (&self->stale, gtk_bitset_unref);
  g_clear_object (&self->paced);
  g_clear_object (&self->books);
  g_clear_pointer (&self->slots, g_ptr_array_unref);

  G_OBJECT_CLASS (bi_book_rows_parent_class)->dispose (object);
}

static void
bi_book_rows_class_init (BiBookRowsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bi_book_rows_dispose;
}

static void
bi_book_rows_init (BiBookRows *self)
{
  self->slots = g_ptr_array_new_with_free_func (slot_unref);
  self->stale = gtk_bitset_new_empty ();
  self->selected = G_MAXUINT;
}

/* ---- public API ---- */

BiBookRows *
bi_book_rows_new (GtkSelectionModel *books,
                  GtkWidget         *view)
{
  BiBookRows *self;

  g_return_val_if_fail (GTK_IS_SELECTION_MODEL (books), NULL);
  g_return_val_if_fail (GTK_IS_SCROLLABLE (view), NULL);

  self = g_object_new (BI_TYPE_BOOK_ROWS, NULL);
  self->books = g_object_ref (books);
  self->paced = bi_paced_list_new (G_LIST_MODEL (books), view, ROWS_PER_STEP,
                                   BI_PACED_LIST_WIDGET_ROWS);
  self->view = view;
  g_object_add_weak_pointer (G_OBJECT (view), (gpointer *) &self->view);
  self->in_view = bi_view_range_new (GTK_SCROLLABLE (view), G_LIST_MODEL (self));
  g_signal_connect_swapped (self->in_view, "moved", G_CALLBACK (in_view_moved_cb), self);
  self->n_items = g_list_model_get_n_items (G_LIST_MODEL (self->paced));
  update_selection (self);
  g_signal_connect (self->paced, "items-changed", G_CALLBACK (paced_items_changed_cb), self);
  g_signal_connect_swapped (books, "selection-changed", G_CALLBACK (books_selection_changed_cb),
                            self);
  return self;
}
