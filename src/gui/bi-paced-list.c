/* bi-paced-list.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-paced-list"

#include "config.h"

#include "bi-paced-list.h"

#include "bi-frame-budget.h"

struct _BiPacedList
{
  GObject     parent_instance;

  GListModel *source;
  GtkWidget  *widget;          /* whose frames pace the growth (weak: it holds the list) */
  guint       tick_id;         /* the growth's tick callback on widget, 0: none */
  guint       rows_per_step;   /* rows made at a time, as often as the frame's budget allows */
  guint       paced_rows;      /* past this many shown, the rest comes at once */
  guint       shown;           /* the first items of source, shown; ≤ its length */
  gint64      last_step_frame; /* the frame (counter) of the last step; NO_STEP: none yet */
};

#define NO_STEP G_MININT64

static void bi_paced_list_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BiPacedList, bi_paced_list, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      bi_paced_list_list_model_init))

/* ---- helpers ---- */

/* Shows the next items of the source: steps of rows_per_step while the frame's budget, shared
 * with the window's other lists, lasts (each step costs what making its rows took); past
 * paced_rows, the rest at once. Returns whether some are still to come. */
static gboolean
grow (BiPacedList   *self,
      GdkFrameClock *frame_clock)
{
  BiFrameBudget *budget = bi_frame_budget_for_frame_clock (frame_clock);
  gint64 frame = gdk_frame_clock_get_frame_counter (frame_clock);
  guint length = g_list_model_get_n_items (self->source);
  gboolean starved;

  if (self->shown >= self->paced_rows && self->shown < length)
    {
      guint added = length - self->shown;

      /* no rows are made past GTK's ~200 around the view: nothing to pace */
      self->shown = length;
      g_list_model_items_changed (G_LIST_MODEL (self), length - added, 0, added);
    }
  /* A list whose step did not fit in the last frame (another list of the window took the
   * budget first) takes one step in this one whatever is left: lists share the frames, none
   * waits for another to be done. */
  if (self->last_step_frame == NO_STEP)
    self->last_step_frame = frame - 1;
  starved = frame > self->last_step_frame + 1;
  while (self->shown < MIN (length, self->paced_rows)
         && (starved || bi_frame_budget_has_time (budget, frame)))
    {
      guint added = MIN (MIN (length, self->paced_rows) - self->shown, self->rows_per_step);
      gint64 start = g_get_monotonic_time ();

      self->shown += added;
      g_list_model_items_changed (G_LIST_MODEL (self), self->shown - added, 0, added);
      bi_frame_budget_spend (budget, frame, g_get_monotonic_time () - start);
      self->last_step_frame = frame;
      starved = FALSE;
      length = g_list_model_get_n_items (self->source);
    }
  return self->shown < length;
}

static gboolean
grow_tick_cb (GtkWidget     *widget,
              GdkFrameClock *frame_clock,
              gpointer       user_data)
{
  BiPacedList *self = user_data;

  if (grow (self, frame_clock))
    return G_SOURCE_CONTINUE;
  self->tick_id = 0;
  self->last_step_frame = NO_STEP;
  return G_SOURCE_REMOVE;
}

static void
schedule_growth (BiPacedList *self)
{
  if (self->tick_id != 0 || self->widget == NULL
      || self->shown >= g_list_model_get_n_items (self->source))
    return;
  self->tick_id = gtk_widget_add_tick_callback (self->widget, grow_tick_cb, self, NULL);
}

/* ---- callbacks ---- */

static void
source_items_changed_cb (GListModel  *source,
                         guint        position,
                         guint        removed,
                         guint        added,
                         BiPacedList *self)
{
  guint length = g_list_model_get_n_items (source);
  guint shown = self->shown;

  /* Within what is shown, the change passes now; growth past it waits for the next frames. */
  if (position < shown)
    {
      guint kept = MIN (shown, length);

      self->shown = kept;
      g_list_model_items_changed (G_LIST_MODEL (self), position, shown - position,
                                  kept - position);
    }
  schedule_growth (self);
}

/* ---- GListModel ---- */

static GType
bi_paced_list_get_item_type (GListModel *model)
{
  return g_list_model_get_item_type (BI_PACED_LIST (model)->source);
}

static guint
bi_paced_list_get_n_items (GListModel *model)
{
  return BI_PACED_LIST (model)->shown;
}

static gpointer
bi_paced_list_get_item (GListModel *model,
                        guint       position)
{
  BiPacedList *self = BI_PACED_LIST (model);

  if (position >= self->shown)
    return NULL;
  return g_list_model_get_item (self->source, position);
}

static void
bi_paced_list_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = bi_paced_list_get_item_type;
  iface->get_n_items = bi_paced_list_get_n_items;
  iface->get_item = bi_paced_list_get_item;
}

/* ---- GObject ---- */

static void
bi_paced_list_dispose (GObject *object)
{
  BiPacedList *self = BI_PACED_LIST (object);

  if (self->widget != NULL)
    {
      if (self->tick_id != 0)
        gtk_widget_remove_tick_callback (self->widget, self->tick_id);
      self->tick_id = 0;
      g_object_remove_weak_pointer (G_OBJECT (self->widget), (gpointer *) &self->widget);
      self->widget = NULL;
    }
  if (self->source != NULL)
    g_signal_handlers_disconnect_by_data (self->source, self);
  g_clear_object (&self->source);

  G_OBJECT_CLASS (bi_paced_list_parent_class)->dispose (object);
}

static void
bi_paced_list_class_init (BiPacedListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bi_paced_list_dispose;
}

static void
bi_paced_list_init (BiPacedList *self)
{
  self->last_step_frame = NO_STEP;
}

/* ---- public API ---- */

BiPacedList *
bi_paced_list_new (GListModel *source,
                   GtkWidget  *widget,
                   guint       rows_per_step,
                   guint       paced_rows)
{
  BiPacedList *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (source), NULL);
  g_return_val_if_fail (GTK_IS_WIDGET (widget), NULL);
  g_return_val_if_fail (rows_per_step > 0, NULL);

  self = g_object_new (BI_TYPE_PACED_LIST, NULL);
  self->source = g_object_ref (source);
  self->widget = widget;
  g_object_add_weak_pointer (G_OBJECT (widget), (gpointer *) &self->widget);
  self->rows_per_step = rows_per_step;
  self->paced_rows = paced_rows;
  g_signal_connect (source, "items-changed", G_CALLBACK (source_items_changed_cb), self);
  schedule_growth (self);
  return self;
}
