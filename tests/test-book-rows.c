/* test-book-rows.c — the book list's rows: those in sight at once, the others a few a frame
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * A real GtkColumnView in a window under Xvfb over BiBookRows, with 1,000 books sorted by title
 * one way or the other. Reversing the order puts another book under every kept row (GTK 4.8
 * keeps ~200): the rows in sight must show theirs before the next frame, the others may wait
 * for the next frames but must all be right once the window has drawn a few.
 */
#include "config.h"

#include "bi-book.h"
#include "bi-book-columns.h"
#include "bi-book-rows.h"
#include "bi-book-slot.h"
#include "bi-test-display.h"
#include "bi-test-store-utils.h"

#define N_BOOKS 1000

typedef struct
{
  GListStore         *store;      /* BiBook, in the order they were made */
  GtkCustomSorter    *sorter;
  gboolean            descending;
  GtkSingleSelection *selection;  /* the sorted books */
  BiBookRows         *rows;
  GtkWidget          *window;
  GtkColumnView      *view;
} Fixture;

/* ---- helpers ---- */

static int
compare_titles_cb (gconstpointer a,
                   gconstpointer b,
                   gpointer      user_data)
{
  Fixture *fixture = user_data;
  int order = g_strcmp0 (bi_book_get_title ((BiBook *) a), bi_book_get_title ((BiBook *) b));

  return fixture->descending ? -order : order;
}

static BiBook *
book_numbered (guint number)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autofree char *title = g_strdup_printf ("Book %04u", number);

  json_object_set_string_member (object, "title", title);
  json_object_set_string_member (object, "authors", "An Author");
  return bi_book_new_from_json (object, "job-1", "/photos/Shelf.jpg");
}

/* The positions in sight, from the view's adjustment (all rows are one height). */
static void
positions_in_sight (Fixture *fixture,
                    guint   *first,
                    guint   *end)
{
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (fixture->view));
  guint n_books = g_list_model_get_n_items (G_LIST_MODEL (fixture->selection));
  double row_height = gtk_adjustment_get_upper (adjustment) / n_books;

  g_assert_cmpfloat (row_height, >, 0.0);
  *first = (guint) (gtk_adjustment_get_value (adjustment) / row_height);
  *end = MIN (n_books, (guint) ((gtk_adjustment_get_value (adjustment)
                                 + gtk_adjustment_get_page_size (adjustment)) / row_height) + 1);
}

/* Whether the slot at @position shows the book the sorted list has there. */
static gboolean
slot_is_right (Fixture *fixture,
               guint    position)
{
  g_autoptr(BiBookSlot) slot = g_list_model_get_item (G_LIST_MODEL (fixture->rows), position);
  g_autoptr(BiBook) book = g_list_model_get_item (G_LIST_MODEL (fixture->selection), position);

  return bi_book_slot_get_book (slot) == book;
}

/* The slots whose book is not the sorted list's at their position; all of them while the rows
 * have not caught up with the list's length (they come a few a frame: BiPacedList). */
static guint
count_wrong_slots (Fixture *fixture)
{
  guint n_books = g_list_model_get_n_items (G_LIST_MODEL (fixture->selection));
  guint wrong = 0;

  if (g_list_model_get_n_items (G_LIST_MODEL (fixture->rows)) != n_books)
    return n_books;
  for (guint i = 0; i < n_books; i++)
    wrong += !slot_is_right (fixture, i);
  return wrong;
}

static gboolean
all_slots_right (gpointer data)
{
  return count_wrong_slots (data) == 0;
}

static void
collect_inscriptions (GtkWidget *root,
                      GPtrArray *found)
{
  if (GTK_IS_INSCRIPTION (root))
    g_ptr_array_add (found, root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_inscriptions (child, found);
}

/* The titles the cells on screen show are those of the books at the positions in sight. */
static void
assert_cells_in_sight_right (Fixture *fixture)
{
  GtkWidget *scrolled = gtk_widget_get_parent (GTK_WIDGET (fixture->view));
  g_autoptr(GPtrArray) cells = g_ptr_array_new ();
  g_autoptr(GHashTable) titles_in_sight = g_hash_table_new (g_str_hash, g_str_equal);
  guint first, end, checked = 0;

  positions_in_sight (fixture, &first, &end);
  for (guint i = first; i < end; i++)
    {
      g_autoptr(BiBook) book = g_list_model_get_item (G_LIST_MODEL (fixture->selection), i);

      g_hash_table_add (titles_in_sight, (gpointer) bi_book_get_title (book));
    }
  collect_inscriptions (GTK_WIDGET (fixture->view), cells);
  for (guint i = 0; i < cells->len; i++)
    {
      GtkWidget *cell = g_ptr_array_index (cells, i);
      const char *text = gtk_inscription_get_text (GTK_INSCRIPTION (cell));
      graphene_rect_t bounds;

      /* title cells only, on screen (GTK unmaps the kept rows out of sight), whole inside the
       * scrolled window's viewport, below the header */
      if (text == NULL || !g_str_has_prefix (text, "Book ") || !gtk_widget_get_mapped (cell)
          || !gtk_widget_compute_bounds (cell, scrolled, &bounds)
          || bounds.origin.y < 30.0f
          || bounds.origin.y + bounds.size.height > gtk_widget_get_height (scrolled))
        continue;
      if (!g_hash_table_contains (titles_in_sight, text))
        g_error ("a row in sight shows “%s”, not one of the books at %u … %u", text, first,
                 end - 1);
      checked++;
    }
  /* the window shows some 20 rows; most of those in sight were checked */
  g_assert_cmpuint (checked, >=, (end - first) / 2);
}

static void
reverse_order (Fixture *fixture)
{
  fixture->descending = !fixture->descending;
  gtk_sorter_changed (GTK_SORTER (fixture->sorter), GTK_SORTER_CHANGE_INVERTED);
}

/* ---- fixture ---- */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  GtkSortListModel *sorted;
  GtkWidget *scrolled;

  fixture->store = g_list_store_new (BI_TYPE_BOOK);
  for (guint i = 0; i < N_BOOKS; i++)
    {
      g_autoptr(BiBook) book = book_numbered ((i * 7919u) % N_BOOKS);

      g_list_store_append (fixture->store, book);
    }
  fixture->sorter = gtk_custom_sorter_new (compare_titles_cb, fixture, NULL);
  sorted = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (fixture->store)),
                                    GTK_SORTER (g_object_ref (fixture->sorter)));
  fixture->selection = gtk_single_selection_new (G_LIST_MODEL (sorted));
  gtk_single_selection_set_autoselect (fixture->selection, FALSE);

  fixture->view = GTK_COLUMN_VIEW (gtk_column_view_new (NULL));
  bi_book_columns_append (fixture->view);
  fixture->rows = bi_book_rows_new (GTK_SELECTION_MODEL (fixture->selection),
                                    GTK_WIDGET (fixture->view));
  gtk_column_view_set_model (fixture->view, GTK_SELECTION_MODEL (fixture->rows));
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (fixture->view));
  fixture->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 900, 500);
  gtk_window_set_child (GTK_WINDOW (fixture->window), scrolled);
  gtk_window_present (GTK_WINDOW (fixture->window));
  /* the rows come a few a frame (BiPacedList): wait for all of them, right */
  g_assert_true (bi_test_iterate_until (all_slots_right, fixture, 10));
  bi_test_display_settle ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->rows);
  g_clear_object (&fixture->selection);
  g_clear_object (&fixture->sorter);
  g_clear_object (&fixture->store);
}

/* ---- tests ---- */

/* Another book under every kept row: those in sight right at once, the others soon. */
static void
test_rows_in_sight_first (Fixture       *fixture,
                          gconstpointer  data)
{
  guint first, end;

  reverse_order (fixture);
  /* no frame has run since: the rows in sight show their new books already */
  positions_in_sight (fixture, &first, &end);
  for (guint i = first; i < end; i++)
    g_assert_true (slot_is_right (fixture, i));
  assert_cells_in_sight_right (fixture);
  /* the kept rows out of sight wait for the next frames (a keystroke in the search spent half
   * its time on them) */
  g_assert_cmpuint (count_wrong_slots (fixture), >, 100);
  g_assert_true (bi_test_iterate_until (all_slots_right, fixture, 5));
  bi_test_display_settle ();
  assert_cells_in_sight_right (fixture);
  bi_test_display_save_screenshot (fixture->window, "book-rows-reversed.png");
}

/* The view scrolled before the out-of-sight rows were brought up to date: the rows that come
 * into sight show their books at once, not the ones that were there before the change. */
static void
test_rows_scrolled_into_sight (Fixture       *fixture,
                               gconstpointer  data)
{
  GtkAdjustment *adjustment = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (fixture->view));
  guint first, end;

  reverse_order (fixture);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_value (adjustment)
                                        + 2 * gtk_adjustment_get_page_size (adjustment));
  positions_in_sight (fixture, &first, &end);
  g_assert_cmpuint (first, >, 20);
  for (guint i = first; i < end; i++)
    g_assert_true (slot_is_right (fixture, i));
  bi_test_display_settle ();
  assert_cells_in_sight_right (fixture);
  g_assert_true (bi_test_iterate_until (all_slots_right, fixture, 5));
}

/* A list that shrinks under the kept rows and grows back: no row keeps a book gone. */
static void
test_rows_after_shrinking (Fixture       *fixture,
                           gconstpointer  data)
{
  g_list_store_splice (fixture->store, 10, N_BOOKS - 20, NULL, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->rows)), ==, 20);
  bi_test_display_settle ();
  assert_cells_in_sight_right (fixture);
  for (guint i = 10; i < N_BOOKS - 10; i++)
    {
      g_autoptr(BiBook) book = book_numbered (i);

      g_list_store_insert (fixture->store, i, book);
    }
  g_assert_true (bi_test_iterate_until (all_slots_right, fixture, 10));
  bi_test_display_settle ();
  assert_cells_in_sight_right (fixture);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add ("/bookimg/book-rows/in-sight-first", Fixture, NULL, fixture_set_up,
              test_rows_in_sight_first, fixture_tear_down);
  g_test_add ("/bookimg/book-rows/scrolled-into-sight", Fixture, NULL, fixture_set_up,
              test_rows_scrolled_into_sight, fixture_tear_down);
  g_test_add ("/bookimg/book-rows/after-shrinking", Fixture, NULL, fixture_set_up,
              test_rows_after_shrinking, fixture_tear_down);
  return g_test_run ();
}
