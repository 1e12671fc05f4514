/* bi-frame-budget.h — how long a window's lists may spend making rows in one frame
 *
 * GTK 4.8 makes a list row's widgets (the factory's setup and bind) while the list handles
 * items-changed, then measures and draws them in the same frame. The window's lists that grow
 * a few rows a frame (BiPacedList: the photos, the books, the unresolved spines) each took a
 * fixed number of rows a frame, and when two grew at once (the photos and the books while
 * results stream in) their steps added up to frames of 18–20 ms. They now share one budget per
 * frame of their frame clock and spend it by what each step really took, so a frame makes rows
 * for about as long as the budget whatever rows cost on the machine and however many lists
 * grow (docs/benchmarks.md).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Main-loop time for making rows in one frame, in µs: a tenth of a 60 Hz frame, as the rows
 * made are styled, measured (twice: for the window's size and for the list's) and drawn in the
 * same frame too. Typing and erasing a search measured 13 ms at 1.5 ms, 14-18 ms at 2 and 3;
 * the first screen of book rows still fills in a few frames (about 6 rows a frame). */
#define BI_FRAME_BUDGET_ROWS_US 1500

typedef struct _BiFrameBudget BiFrameBudget;

BiFrameBudget *bi_frame_budget_new            (gint64         budget_us);
void           bi_frame_budget_free           (BiFrameBudget *self);
BiFrameBudget *bi_frame_budget_for_frame_clock (GdkFrameClock *frame_clock);
gboolean       bi_frame_budget_has_time       (BiFrameBudget *self,
                                               gint64         frame);
void           bi_frame_budget_spend          (BiFrameBudget *self,
                                               gint64         frame,
                                               gint64         spent_us);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiFrameBudget, bi_frame_budget_free)

G_END_DECLS
