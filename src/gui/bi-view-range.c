/* bi-view-range.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-view-range"

#include "config.h"

#include "bi-view-range.h"

#include <math.h>

struct _BiViewRange
{
  GObject        parent_instance;

  GtkScrollable *view;        /* weak: the view owns what owns the range */
  GListModel    *model;       /* not referenced: it owns the range */
  GtkAdjustment *adjustment;  /* the view's vertical one, followed */
  double         row_height;  /* learnt at the last layout, 0: not yet */
};

G_DEFINE_FINAL_TYPE (BiViewRange, bi_view_range, G_TYPE_OBJECT)

enum
{
  SIGNAL_MOVED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- callbacks ---- */

/* The view laid the list out: its upper is the height of all the model's rows. */
static void
adjustment_changed_cb (GtkAdjustment *adjustment,
                       BiViewRange   *self)
{
  guint n_items = g_list_model_get_n_items (self->model);
  double upper = gtk_adjustment_get_upper (adjustment);

  if (n_items > 0 && upper > 0.0)
    self->row_height = upper / n_items;
  g_signal_emit (self, signals[SIGNAL_MOVED], 0);
}

static void
adjustment_value_changed_cb (BiViewRange *self)
{
  g_signal_emit (self, signals[SIGNAL_MOVED], 0);
}

static void
follow_adjustment (BiViewRange *self)
{
  GtkAdjustment *adjustment = self->view != NULL ? gtk_scrollable_get_vadjustment (self->view)
                                                 : NULL;

  if (adjustment == self->adjustment)
    return;
  if (self->adjustment != NULL)
    g_signal_handlers_disconnect_by_data (self->adjustment, self);
  g_set_object (&self->adjustment, adjustment);
  self->row_height = 0.0;
  if (adjustment == NULL)
    return;
  g_signal_connect (adjustment, "changed", G_CALLBACK (adjustment_changed_cb), self);
  g_signal_connect_swapped (adjustment, "value-changed",
                            G_CALLBACK (adjustment_value_changed_cb), self);
}

static void
view_adjustment_notify_cb (BiViewRange *self)
{
  follow_adjustment (self);
  g_signal_emit (self, signals[SIGNAL_MOVED], 0);
}

/* ---- GObject ---- */

static void
bi_view_range_dispose (GObject *object)
{
  BiViewRange *self = BI_VIEW_RANGE (object);

  if (self->view != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->view, self);
      g_object_remove_weak_pointer (G_OBJECT (self->view), (gpointer *) &self->view);
      self->view = NULL;
    }
  follow_adjustment (self);

  G_OBJECT_CLASS (bi_view_range_parent_class)->dispose (object);
}

static void
bi_view_range_class_init (BiViewRangeClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bi_view_range_dispose;

  /* Other positions may be in sight: the view scrolled, or laid the list out again. */
  signals[SIGNAL_MOVED] = g_signal_new ("moved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
bi_view_range_init (BiViewRange *self)
{
}

/* ---- public API ---- */

BiViewRange *
bi_view_range_new (GtkScrollable *view,
                   GListModel    *model)
{
  BiViewRange *self;

  g_return_val_if_fail (GTK_IS_SCROLLABLE (view), NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (model), NULL);

  self = g_object_new (BI_TYPE_VIEW_RANGE, NULL);
  self->view = view;
  g_object_add_weak_pointer (G_OBJECT (view), (gpointer *) &self->view);
  self->model = model;
  g_signal_connect_swapped (view, "notify::vadjustment", G_CALLBACK (view_adjustment_notify_cb),
                            self);
  follow_adjustment (self);
  return self;
}

/**
 * bi_view_range_get:
 * @margin: rows to add on each side of those in sight
 * @first: (out): the first position in sight (less @margin)
 * @end: (out): the position after the last one in sight (plus @margin), at most the model's
 *   length
 *
 * Returns: whether the range is known (the view has laid the list out since it got its
 * adjustment); when not, @first and @end cover the whole model.
 */
gboolean
bi_view_range_get (BiViewRange *self,
                   guint        margin,
                   guint       *first,
                   guint       *end)
{
  guint n_items;
  double top, bottom;

  g_return_val_if_fail (BI_IS_VIEW_RANGE (self), FALSE);

  n_items = g_list_model_get_n_items (self->model);
  *first = 0;
  *end = n_items;
  if (self->adjustment == NULL || self->row_height <= 0.0)
    return FALSE;
  top = floor (gtk_adjustment_get_value (self->adjustment) / self->row_height) - margin;
  bottom = ceil ((gtk_adjustment_get_value (self->adjustment)
                  + gtk_adjustment_get_page_size (self->adjustment)) / self->row_height) + margin;
  *first = (guint) CLAMP (top, 0.0, (double) n_items);
  *end = (guint) CLAMP (bottom, (double) *first, (double) n_items);
  return TRUE;
}
