/* bi-frame-budget.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-frame-budget"

#include "config.h"

#include "bi-frame-budget.h"

struct _BiFrameBudget
{
  gint64 budget_us;  /* what one frame may spend */
  gint64 frame;      /* the frame (a frame clock's counter) spent_us belongs to; -1: none */
  gint64 spent_us;   /* spent in that frame so far */
};

/* The budget of a frame clock lives on the clock, so all lists of one window share it. */
static GQuark
frame_budget_quark (void)
{
  return g_quark_from_static_string ("bi-frame-budget");
}

/* A new frame starts with the whole budget. */
static void
start_frame (BiFrameBudget *self,
             gint64         frame)
{
  if (self->frame == frame)
    return;
  self->frame = frame;
  self->spent_us = 0;
}

BiFrameBudget *
bi_frame_budget_new (gint64 budget_us)
{
  BiFrameBudget *self;

  g_return_val_if_fail (budget_us > 0, NULL);

  self = g_new0 (BiFrameBudget, 1);
  self->budget_us = budget_us;
  self->frame = -1;
  return self;
}

void
bi_frame_budget_free (BiFrameBudget *self)
{
  g_free (self);
}

BiFrameBudget *
bi_frame_budget_for_frame_clock (GdkFrameClock *frame_clock)
{
  BiFrameBudget *self;

  g_return_val_if_fail (GDK_IS_FRAME_CLOCK (frame_clock), NULL);

  self = g_object_get_qdata (G_OBJECT (frame_clock), frame_budget_quark ());
  if (self == NULL)
    {
      self = bi_frame_budget_new (BI_FRAME_BUDGET_ROWS_US);
      g_object_set_qdata_full (G_OBJECT (frame_clock), frame_budget_quark (), self,
                               (GDestroyNotify) bi_frame_budget_free);
    }
  return self;
}

/* Whether @frame has budget left; a step that starts with some left may overrun it. */
gboolean
bi_frame_budget_has_time (BiFrameBudget *self,
                          gint64         frame)
{
  g_return_val_if_fail (self != NULL, FALSE);

  start_frame (self, frame);
  return self->spent_us < self->budget_us;
}

void
bi_frame_budget_spend (BiFrameBudget *self,
                       gint64         frame,
                       gint64         spent_us)
{
  g_return_if_fail (self != NULL);

  start_frame (self, frame);
  self->spent_us += MAX (spent_us, 0);
}
