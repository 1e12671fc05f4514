/* test-paced-list.c — lists that grow on screen a few rows a frame, sharing the frame's budget
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * Two real GtkListViews in a window under Xvfb, each over a BiPacedList of 2,000 strings in
 * steps of 100 rows: a step makes more rows than the budget of a frame (BiFrameBudget) allows,
 * so a frame has room for one list's step only.
 */
#include "config.h"

#include "bi-paced-list.h"
#include "bi-test-display.h"
#include "bi-test-store-utils.h"

#define N_ITEMS 2000
#define ROWS_PER_STEP 100
#define PACED_ROWS 200

typedef struct
{
  BiPacedList *paced;
  GtkWidget   *view;
  guint        last_length;
  guint        first_grown;   /* the frame (counted from 1) in which it first got longer */
  guint        completed;     /* the frame in which it got all its items */
} PacedView;

typedef struct
{
  GtkWidget *window;
  PacedView  lists[2];
  guint      frames;          /* painted since the window was presented */
} Fixture;

/* ---- helpers ---- */

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item)
{
  gtk_list_item_set_child (list_item, gtk_label_new (NULL));
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *list_item)
{
  GtkStringObject *item = gtk_list_item_get_item (list_item);

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (list_item)),
                      gtk_string_object_get_string (item));
}

static GtkWidget *
paced_view_new (PacedView *list)
{
  GtkStringList *strings = gtk_string_list_new (NULL);
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();

  for (guint i = 0; i < N_ITEMS; i++)
    {
      g_autofree char *text = g_strdup_printf ("Row %u", i);

      gtk_string_list_append (strings, text);
    }
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), NULL);
  list->view = gtk_list_view_new (NULL, factory);
  list->paced = bi_paced_list_new (G_LIST_MODEL (strings), list->view, ROWS_PER_STEP,
                                   PACED_ROWS);
  g_object_unref (strings);
  gtk_list_view_set_model (GTK_LIST_VIEW (list->view),
                           GTK_SELECTION_MODEL (gtk_no_selection_new (
                             G_LIST_MODEL (g_object_ref (list->paced)))));
  gtk_widget_set_hexpand (scrolled, TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), list->view);
  return scrolled;
}

/* Notes, after each frame's paint, when each list first grew and when it was complete. */
static void
after_paint_cb (GdkFrameClock *frame_clock,
                Fixture       *fixture)
{
  fixture->frames++;
  for (guint i = 0; i < G_N_ELEMENTS (fixture->lists); i++)
    {
      PacedView *list = &fixture->lists[i];
      guint length = g_list_model_get_n_items (G_LIST_MODEL (list->paced));

      if (length > 0 && list->first_grown == 0)
        list->first_grown = fixture->frames;
      if (length == N_ITEMS && list->completed == 0)
        list->completed = fixture->frames;
      list->last_length = length;
    }
}

static gboolean
both_complete (gpointer data)
{
  Fixture *fixture = data;

  return fixture->lists[0].last_length == N_ITEMS && fixture->lists[1].last_length == N_ITEMS;
}

/* ---- tests ---- */

/* Both lists end with every item, and neither waits for the other to be done: with the whole
 * budget to the list whose tick runs first, the other one made no row until the first had
 * made all of its paced ones. */
static void
test_paced_lists_share_frames (void)
{
  Fixture fixture = { NULL, };
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  GdkFrameClock *frame_clock;

  fixture.window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (fixture.window), 600, 400);
  gtk_box_append (GTK_BOX (box), paced_view_new (&fixture.lists[0]));
  gtk_box_append (GTK_BOX (box), paced_view_new (&fixture.lists[1]));
  gtk_window_set_child (GTK_WINDOW (fixture.window), box);
  /* nothing is shown before the window's first frame */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture.lists[0].paced)), ==, 0);
  gtk_window_present (GTK_WINDOW (fixture.window));
  frame_clock = gtk_widget_get_frame_clock (fixture.window);
  g_signal_connect (frame_clock, "after-paint", G_CALLBACK (after_paint_cb), &fixture);

  g_assert_true (bi_test_iterate_until (both_complete, &fixture, 20));
  g_signal_handlers_disconnect_by_data (frame_clock, &fixture);
  g_test_message ("first grown in frame %u and %u, complete in %u and %u",
                  fixture.lists[0].first_grown, fixture.lists[1].first_grown,
                  fixture.lists[0].completed, fixture.lists[1].completed);
  g_assert_cmpuint (fixture.lists[1].first_grown, <, fixture.lists[0].completed);
  g_assert_cmpuint (fixture.lists[0].first_grown, <, fixture.lists[1].completed);
  gtk_window_destroy (GTK_WINDOW (fixture.window));
  for (guint i = 0; i < G_N_ELEMENTS (fixture.lists); i++)
    g_clear_object (&fixture.lists[i].paced);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bookimg/paced-list/lists-share-frames", test_paced_lists_share_frames);
  return g_test_run ();
}
