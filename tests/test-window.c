/* test-window.c — the real window against a real bookimg-server, under Xvfb
 *
 * The scanner starts its embedded bookimg-server (BOOKIMG_SERVER) with a catalog the test
 * writes; three generated shelf photos (one inside a folder, one stored sideways with an EXIF
 * orientation) are added through the path a drop takes. The rows must progress and finish,
 * the books appear, selecting one shows its spine cut from the photo, a search filters the
 * list, and a new window on a library reopened from disk shows the same books. Each step
 * saves a screenshot under meson-logs/screenshots/ (BOOKIMG_SCREENSHOT_DIR).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <string.h>

#include "bi-book.h"
#include "bi-book-export.h"
#include "bi-library.h"
#include "bi-scanner.h"
#include "bi-spine-row.h"
#include "bi-test-files.h"
#include "bi-test-images.h"
#include "bi-test-display.h"
#include "bi-test-store-utils.h"
#include "bi-window.h"

/* Generous: three photos through Tesseract on a 2-core machine under a test runner. */
#define SCAN_TIMEOUT_S 240
#define START_TIMEOUT_S 30

static const char catalog_tsv[] =
  "book_id\ttitle\toriginal_title\tauthors\tyear\tisbn10\tisbn13\n"
  "1\tThe Hobbit\tThe Hobbit\tJ.R.R. Tolkien\t1937\t0618260307\t9780618260300\n"
  "2\tDune\tDune\tFrank Herbert\t1965\t0441172717\t9780441172719\n"
  /* no ISBN: Libib cannot hold it, and the export must say so */
  "3\tEmma\tEmma\tJane Austen\t1815\t\t\n"
  "4\tThe Hunger Games\tThe Hunger Games\tSuzanne Collins\t2008\t0439023483\t9780439023481\n"
  /* on no shelf: what the user picks by hand for an unresolved spine */
  "5\tMiddlemarch\tMiddlemarch\tGeorge Eliot\t1871\t0141439548\t9780141439549\n";

static const BiTestSpine first_shelf[] = {
  { "THE HOBBIT", "TOLKIEN", 0x1f3a5f, 0xf5f0e1, 90 },
  { "DUNE", "FRANK HERBERT", 0xe8c872, 0x202020, 270 },
  { "EMMA", "JANE AUSTEN", 0x7a1f2b, 0xffffff, 90 },
};

static const BiTestSpine second_shelf[] = {
  { "THE HUNGER GAMES", "SUZANNE COLLINS", 0x2d4a2b, 0xf0f0f0, 90 },
  { "EMMA", "JANE AUSTEN", 0xd9d2c5, 0x3a2a1a, 90 },
  /* in no catalog: the unresolved spine the review test matches by hand */
  { "QUIZZICAL WOMBATS", "XAVERIA PLONK", 0x444444, 0xffffff, 90 },
};

static const BiTestSpine third_shelf[] = {
  { "DUNE", "FRANK HERBERT", 0x3b2f5e, 0xfff4d6, 90 },
  { "THE HOBBIT", "TOLKIEN", 0x8c3b1e, 0xffffff, 270 },
};

typedef struct
{
  char      *dir;
  char      *catalog;
  char      *library_path;
  char      *photo_folder;  /* holds the first two photos */
  char      *loose_photo;   /* the third, stored sideways with an EXIF orientation */
} Fixture;

/* ---- helpers ---- */

static char *
write_photo (const char        *dir,
             const char        *name,
             const BiTestSpine *spines,
             guint              n_spines,
             const char        *format,
             int                orientation)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = NULL;

  if (orientation > 1)
    {
      PIX *upright = bi_test_image_draw_spines (spines, n_spines, 120 * n_spines + 60, 800);

      bytes = bi_test_image_encode_oriented_jpeg (upright, orientation, &error);
      pixDestroy (&upright);
    }
  else
    bytes = bi_test_image_render_spines (spines, n_spines, 200 * n_spines, 800, format, &error);
  g_assert_no_error (error);
  return bi_test_write_file (dir, name, g_bytes_get_data (bytes, NULL),
                             (gssize) g_bytes_get_size (bytes));
}

/* @server_data_dir: NULL for a temporary one; @server_arguments: extra args, may be NULL. */
static BiScanner *
new_scanner_full (Fixture            *fixture,
                  guint               parallel_jobs,
                  const char         *server_data_dir,
                  const char *const  *server_arguments)
{
  BiScannerOptions options = { TRUE, NULL, NULL, fixture->catalog, parallel_jobs,
                               server_data_dir, server_arguments };
  g_autoptr(GError) error = NULL;
  g_autoptr(BiLibrary) library = bi_library_open (fixture->library_path, &error);
  BiScanner *scanner;

  g_assert_no_error (error);
  scanner = bi_scanner_new (library, &options);
  g_assert_true (bi_scanner_load (scanner, &error));
  g_assert_no_error (error);
  bi_scanner_start (scanner);
  return scanner;
}

static gboolean
library_loaded (gpointer data)
{
  return !bi_scanner_get_loading (data);
}

static BiScanner *
new_scanner (Fixture *fixture)
{
  return new_scanner_full (fixture, 2, NULL, NULL);
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

static BiWindow *
show_window (BiScanner *scanner)
{
  BiWindow *window = bi_window_new (NULL, scanner);

  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (bi_test_iterate_until ((BiTestCondition) gtk_widget_get_mapped, window, 10));
  return window;
}

static gboolean
all_photos_finished (gpointer data)
{
  GListModel *photos = bi_scanner_get_photos (data);
  guint n = g_list_model_get_n_items (photos);

  if (n < 3)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BiPhotoItem) item = g_list_model_get_item (photos, i);

      if (!bi_photo_item_is_terminal (item))
        return FALSE;
    }
  return TRUE;
}

static gboolean
some_photo_progressed (gpointer data)
{
  GListModel *photos = bi_scanner_get_photos (data);

  for (guint i = 0; i < g_list_model_get_n_items (photos); i++)
    {
      g_autoptr(BiPhotoItem) item = g_list_model_get_item (photos, i);

      if (bi_photo_item_get_state (item) > BI_SCAN_JOB_STATE_UPLOADING)
        return TRUE;
    }
  return FALSE;
}

/* Every photo is on the server (uploaded, or held in OCR) and none has finished. */
static gboolean
all_photos_uploaded (gpointer data)
{
  GListModel *photos = bi_scanner_get_photos (data);
  guint n = g_list_model_get_n_items (photos);

  if (n < 3)
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BiPhotoItem) item = g_list_model_get_item (photos, i);
      BiScanJobState state = bi_photo_item_get_state (item);

      if (state < BI_SCAN_JOB_STATE_UPLOADED || bi_photo_item_is_terminal (item))
        return FALSE;
    }
  return TRUE;
}

static gboolean
first_photo_finished (gpointer data)
{
  GListModel *photos = bi_scanner_get_photos (data);
  g_autoptr(BiPhotoItem) item = NULL;

  if (g_list_model_get_n_items (photos) == 0)
    return FALSE;
  item = g_list_model_get_item (photos, 0);
  return bi_photo_item_is_terminal (item);
}

static gboolean
crop_shown (gpointer data)
{
  return bi_book_detail_get_crop (data) != NULL;
}

/* The position of the first book titled @title in the window's (sorted) list, or -1. */
static int
find_book (BiWindow   *window,
           const char *title)
{
  GListModel *shown = G_LIST_MODEL (bi_window_get_book_selection (window));

  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(BiBook) book = g_list_model_get_item (shown, i);

      if (g_strcmp0 (bi_book_get_title (book), title) == 0)
        return (int) i;
    }
  return -1;
}

static GtkWidget *
find_widget (GtkWidget *root,
             GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* The shown books are in title order (@direction 1) or the reverse (-1), by the user's
 * collation (the sort may be incremental). */
static gboolean
sorted_by_title_in (BiWindow *window,
                    int       direction)
{
  GListModel *shown = G_LIST_MODEL (bi_window_get_book_selection (window));
  g_autofree char *previous = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr(BiBook) book = g_list_model_get_item (shown, i);
      g_autofree char *folded = g_utf8_casefold (bi_book_get_title (book), -1);
      g_autofree char *key = g_utf8_collate_key (folded, -1);

      if (previous != NULL && direction * strcmp (previous, key) > 0)
        return FALSE;
      g_free (previous);
      previous = g_steal_pointer (&key);
    }
  return TRUE;
}

static gboolean
sorted_by_title (gpointer data)
{
  return sorted_by_title_in (data, 1);
}

static gboolean
sorted_by_title_descending (gpointer data)
{
  return sorted_by_title_in (data, -1);
}

static void
collect_widgets (GtkWidget *root,
                 GType      type,
                 GPtrArray *found)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    g_ptr_array_add (found, root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_widgets (child, type, found);
}

typedef struct
{
  float           y;
  GtkInscription *cell;
} TitleCell;

static int
compare_title_cells (gconstpointer a,
                     gconstpointer b)
{
  const TitleCell *first = a;
  const TitleCell *second = b;

  return (first->y > second->y) - (first->y < second->y);
}

/* The column view shows the selection's books, in its order, top to bottom: its rows are kept
 * across a sort or a search and told to show other books (bi-book-rows.h), so a missed update
 * would leave a row with the title of a book that is elsewhere or filtered out. */
static gboolean
rows_show_shown_books (gpointer data)
{
  GListModel *shown = G_LIST_MODEL (bi_window_get_book_selection (data));
  GtkWidget *view = find_widget (GTK_WIDGET (data), GTK_TYPE_COLUMN_VIEW);
  g_autoptr(GPtrArray) cells = g_ptr_array_new ();
  g_autoptr(GArray) titles = g_array_new (FALSE, FALSE, sizeof (TitleCell));
  float title_x = G_MAXFLOAT;

  /* the title cells are the leftmost ones; the rows' order is their order on screen */
  collect_widgets (view, GTK_TYPE_INSCRIPTION, cells);
  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < cells->len; i++)
      {
        graphene_rect_t bounds;
        TitleCell title = { 0.0f, g_ptr_array_index (cells, i) };

        if (!gtk_widget_compute_bounds (GTK_WIDGET (title.cell), view, &bounds))
          return FALSE;
        if (pass == 0)
          title_x = MIN (title_x, bounds.origin.x);
        else if (bounds.origin.x < title_x + 1.0f)
          {
            title.y = bounds.origin.y;
            g_array_append_val (titles, title);
          }
      }
  g_array_sort (titles, compare_title_cells);
  if (titles->len == 0 || titles->len != g_list_model_get_n_items (shown))
    return FALSE;
  for (guint i = 0; i < titles->len; i++)
    {
      g_autoptr(BiBook) book = g_list_model_get_item (shown, i);
      GtkInscription *title = g_array_index (titles, TitleCell, i).cell;

      if (g_strcmp0 (gtk_inscription_get_text (title), bi_book_get_title (book)) != 0)
        return FALSE;
    }
  return TRUE;
}

static gboolean
filtered_to_one_title (gpointer data)
{
  GListModel *shown = G_LIST_MODEL (bi_window_get_book_selection (data));

  return g_list_model_get_n_items (shown) > 0
         && g_list_model_get_n_items (shown)
              < g_list_model_get_n_items (bi_scanner_get_books (bi_window_get_scanner (data)));
}

typedef struct
{
  gboolean  done;
  gssize    n_skipped;
} ExportWait;

static void
exported_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  ExportWait *wait = user_data;
  g_autoptr(GError) error = NULL;

  wait->n_skipped = bi_window_export_finish (BI_WINDOW (source), result, &error);
  g_assert_no_error (error);
  wait->done = TRUE;
}

/* Exports through the path the Export… dialog takes; returns how many books were left out. */
static gssize
export_books (BiWindow     *window,
              BiBookFormat  format,
              const char   *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  ExportWait wait = { FALSE, -1 };

  bi_window_export_async (window, format, file, NULL, exported_cb, &wait);
  g_assert_true (bi_test_iterate_until (flag_set, &wait.done, 20));
  return wait.n_skipped;
}

/* The "Some Books Were Left Out" dialog, once shown. */
static GtkWindow *
find_message_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        return window;
    }
  return NULL;
}

static gboolean
message_dialog_shown (gpointer data)
{
  return find_message_dialog () != NULL;
}

/* ---- fixture ---- */

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = bi_test_temp_dir_new ();
  fixture->catalog = bi_test_write_file (fixture->dir, "catalog.tsv", catalog_tsv, -1);
  fixture->library_path = g_build_filename (fixture->dir, "library", "library.sqlite3", NULL);
  fixture->photo_folder = g_build_filename (fixture->dir, "shelf photos", NULL);
  g_assert_cmpint (g_mkdir (fixture->photo_folder, 0755), ==, 0);
  g_free (write_photo (fixture->photo_folder, "living room.png", first_shelf,
                       G_N_ELEMENTS (first_shelf), "png", 1));
  g_free (write_photo (fixture->photo_folder, "study.jpg", second_shelf,
                       G_N_ELEMENTS (second_shelf), "jpeg", 1));
  /* not a photo: a folder's other files are skipped */
  g_free (bi_test_write_file (fixture->photo_folder, "notes.txt", "shelf notes", -1));
  fixture->loose_photo = write_photo (fixture->dir, "hallway sideways.jpg", third_shelf,
                                      G_N_ELEMENTS (third_shelf), "jpeg", 6);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  bi_test_temp_dir_remove (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->catalog);
  g_free (fixture->library_path);
  g_free (fixture->photo_folder);
  g_free (fixture->loose_photo);
}

/* ---- tests ---- */

static void
test_window_empty (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(BiScanner) scanner = new_scanner (fixture);
  BiWindow *window = show_window (scanner);

  g_assert_true (bi_test_iterate_until (bi_test_scanner_is_settled, scanner, START_TIMEOUT_S));
  g_assert_cmpint (bi_scanner_get_status (scanner), ==, BI_SCANNER_STATUS_READY);
  g_assert_cmpuint (g_list_model_get_n_items (bi_scanner_get_photos (scanner)), ==, 0);
  bi_test_display_save_screenshot (GTK_WIDGET (window), "window-empty.png");

  gtk_window_destroy (GTK_WINDOW (window));
  bi_test_scanner_stop (scanner);
}

/* Export writes files that parse; books found on several photos are written once; a format
 * that cannot hold a book says so in a dialog. */
static void
test_exports (Fixture  *fixture,
              BiWindow *window)
{
  g_autofree char *json_path = g_build_filename (fixture->dir, "books.json", NULL);
  g_autofree char *csv_path = g_build_filename (fixture->dir, "books.csv", NULL);
  g_autofree char *libib_path = g_build_filename (fixture->dir, "libib.csv", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) merged = NULL;
  GListModel *books = bi_scanner_get_books (bi_window_get_scanner (window));
  JsonNode *root;
  GtkWindow *dialog;
  guint n_merged;
  guint n_rows = 0;

  merged = bi_book_export_collect (books);
  n_merged = merged->len;
  /* the shelves share books: Dune, Emma and The Hobbit are each on two photos */
  g_assert_cmpuint (n_merged, <, g_list_model_get_n_items (books));

  g_assert_cmpint (export_books (window, BI_BOOK_FORMAT_JSON, json_path), ==, 0);
  g_assert_true (json_parser_load_from_file (parser, json_path, &error));
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (root)), ==, n_merged);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_array_get_element (json_node_get_array (root), 0)));

  g_assert_cmpint (export_books (window, BI_BOOK_FORMAT_CSV, csv_path), ==, 0);
  g_assert_true (g_file_get_contents (csv_path, &csv, NULL, &error));
  g_assert_no_error (error);
  lines = g_strsplit (csv, "\r\n", -1);
  g_assert_true (g_str_has_prefix (lines[0], "title,"));
  for (guint i = 1; lines[i] != NULL; i++)
    if (*lines[i] != '\0')
      n_rows++;
  g_assert_cmpuint (n_rows, ==, n_merged);

  /* Emma has no ISBN-13: Libib leaves it out, and the user is told */
  g_assert_cmpint (export_books (window, BI_BOOK_FORMAT_LIBIB, libib_path), ==, 1);
  g_assert_true (bi_test_iterate_until (message_dialog_shown, NULL, 5));
  dialog = find_message_dialog ();
  bi_test_display_save_screenshot (GTK_WIDGET (dialog), "export-left-out.png");
  gtk_window_destroy (dialog);
  bi_test_display_save_screenshot (GTK_WIDGET (window), "window-exported.png");
}

static void
test_window_scan_and_reload (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(BiScanner) scanner = new_scanner (fixture);
  g_autoptr(BiScanner) reopened = NULL;
  g_autoptr(GFile) folder = g_file_new_for_path (fixture->photo_folder);
  g_autoptr(GFile) loose = g_file_new_for_path (fixture->loose_photo);
  GFile *files[2] = { folder, loose };
  BiWindow *window = show_window (scanner);
  GListModel *photos = bi_scanner_get_photos (scanner);
  guint n_books;
  int hobbit;
  GdkPaintable *crop;
  GtkColumnView *view;
  g_autoptr(GtkColumnViewColumn) title_column = NULL;

  /* the same call a drop makes */
  bi_window_add_files (window, files, G_N_ELEMENTS (files));

  g_assert_true (bi_test_iterate_until (some_photo_progressed, scanner, SCAN_TIMEOUT_S));
  bi_test_display_save_screenshot (GTK_WIDGET (window), "window-scanning.png");

  g_assert_true (bi_test_iterate_until (all_photos_finished, scanner, SCAN_TIMEOUT_S));
  g_assert_cmpuint (g_list_model_get_n_items (photos), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(BiPhotoItem) item = g_list_model_get_item (photos, i);

      g_test_message ("%s: %s", bi_photo_item_get_photo_name (item),
                      bi_photo_item_get_status_text (item));
      g_assert_cmpint (bi_photo_item_get_state (item), ==, BI_SCAN_JOB_STATE_COMPLETE);
      g_assert_cmpuint (bi_photo_item_get_book_count (item), >=, 1);
    }
  n_books = g_list_model_get_n_items (bi_scanner_get_books (scanner));
  g_assert_cmpuint (n_books, >=, 4);

  /* selecting a book cuts its spine from the user's own photo */
  hobbit = find_book (window, "The Hobbit");
  g_assert_cmpint (hobbit, >=, 0);
  gtk_single_selection_set_selected (bi_window_get_book_selection (window), (guint) hobbit);
  g_assert_true (bi_test_iterate_until (crop_shown, bi_window_get_book_detail (window), 20));
  crop = bi_book_detail_get_crop (bi_window_get_book_detail (window));
  /* a spine is taller than wide */
  g_assert_cmpint (gdk_paintable_get_intrinsic_height (crop), >,
                   gdk_paintable_get_intrinsic_width (crop));
  bi_test_display_save_screenshot (GTK_WIDGET (window), "window-books.png");

  /* the search filters the list */
  bi_window_set_search_text (window, "dune");
  g_assert_true (bi_test_iterate_until (filtered_to_one_title, window, 5));
  g_assert_true (bi_test_iterate_until (rows_show_shown_books, window, 5));
  bi_test_display_save_screenshot (GTK_WIDGET (window), "window-search.png");
  bi_window_set_search_text (window, "");
  g_assert_true (bi_test_iterate_until (rows_show_shown_books, window, 5));

  /* a header click sorts; closing the window afterwards must not touch the scanner it let go
   * (a critical here is fatal) */
  view = GTK_COLUMN_VIEW (find_widget (GTK_WIDGET (window), GTK_TYPE_COLUMN_VIEW));
  title_column = g_list_model_get_item (gtk_column_view_get_columns (view), 0);
  gtk_column_view_sort_by_column (view, title_column, GTK_SORT_ASCENDING);
  g_assert_true (bi_test_iterate_until (sorted_by_title, window, 5));
  g_assert_true (bi_test_iterate_until (rows_show_shown_books, window, 5));
  /* the other way round every row shows another book */
  gtk_column_view_sort_by_column (view, title_column, GTK_SORT_DESCENDING);
  g_assert_true (bi_test_iterate_until (sorted_by_title_descending, window, 5));
  g_assert_true (bi_test_iterate_until (rows_show_shown_books, window, 5));

  test_exports (fixture, window);

  gtk_window_destroy (GTK_WINDOW (window));
  bi_test_scanner_stop (scanner);
  g_clear_object (&scanner);

  /* the library reopened from disk, in a new window */
  reopened = new_scanner (fixture);
  window = show_window (reopened);
  g_assert_cmpuint (g_list_model_get_n_items (bi_scanner_get_photos (reopened)), ==, 3);
  /* the books follow the window, added from the main loop */
  g_assert_true (bi_test_iterate_until (library_loaded, reopened, 10));
  g_assert_cmpuint (g_list_model_get_n_items (bi_scanner_get_books (reopened)), ==, n_books);
  g_assert_true (bi_test_iterate_until (bi_test_scanner_is_settled, reopened, START_TIMEOUT_S));
  bi_test_display_save_screenshot (GTK_WIDGET (window), "window-reloaded.png");

  gtk_window_destroy (GTK_WINDOW (window));
  bi_test_scanner_stop (reopened);
}

/* Three jobs held by the OCR stage when the app closes are finished by the next run's server,
 * which reads the same data dir: their subscriptions resume (on one push connection) and
 * their books arrive. */
static void
test_window_resume_after_restart (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autofree char *server_dir = g_build_filename (fixture->dir, "server data", NULL);
  /* Three photos in flight at once; one OCR worker holds the first message in flight, as if
   * the server died, and the other two wait in its queue; a short visibility timeout lets the next run receive the held one
   * again soon instead of after the default five minutes. */
  static const char *const held_args[] = { "--test-hold-stage", "ocr", "--ocr-workers", "1",
                                           "--visibility-timeout-ms", "1500", NULL };
  g_autoptr(BiScanner) scanner = new_scanner_full (fixture, 3, server_dir, held_args);
  g_autoptr(BiScanner) reopened = NULL;
  g_autoptr(GFile) folder = g_file_new_for_path (fixture->photo_folder);
  g_autoptr(GFile) loose = g_file_new_for_path (fixture->loose_photo);
  GFile *files[2] = { folder, loose };
  BiWindow *window = show_window (scanner);
  GListModel *photos;
  g_autoptr(GPtrArray) job_ids = g_ptr_array_new_with_free_func (g_free);

  g_assert_true (bi_test_iterate_until (bi_test_scanner_is_settled, scanner, START_TIMEOUT_S));
  bi_window_add_files (window, files, G_N_ELEMENTS (files));
  g_assert_true (bi_test_iterate_until (all_photos_uploaded, scanner, SCAN_TIMEOUT_S));
  photos = bi_scanner_get_photos (scanner);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(BiPhotoItem) item = g_list_model_get_item (photos, i);

      g_ptr_array_add (job_ids, g_strdup (bi_photo_item_get_job_id (item)));
    }
  bi_test_display_save_screenshot (GTK_WIDGET (window), "window-held.png");

  /* close the app: window gone, server stopped; its data dir stays */
  gtk_window_destroy (GTK_WINDOW (window));
  bi_test_scanner_stop (scanner);
  g_clear_object (&scanner);
  g_assert_true (g_file_test (server_dir, G_FILE_TEST_IS_DIR));

  /* start again, without the hold */
  reopened = new_scanner_full (fixture, 3, server_dir, NULL);
  photos = bi_scanner_get_photos (reopened);
  g_assert_cmpuint (g_list_model_get_n_items (photos), ==, 3);
  window = show_window (reopened);

  g_assert_true (bi_test_iterate_until (all_photos_finished, reopened, SCAN_TIMEOUT_S));
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(BiPhotoItem) item = g_list_model_get_item (photos, i);

      g_test_message ("%s: %s", bi_photo_item_get_photo_name (item),
                      bi_photo_item_get_status_text (item));
      /* the same job, not a new scan, and complete: none failed on a second connect */
      g_assert_true (g_ptr_array_find_with_equal_func (job_ids, bi_photo_item_get_job_id (item),
                                                       g_str_equal, NULL));
      g_assert_cmpint (bi_photo_item_get_state (item), ==, BI_SCAN_JOB_STATE_COMPLETE);
      g_assert_cmpuint (bi_photo_item_get_book_count (item), >=, 1);
    }
  g_assert_cmpuint (g_list_model_get_n_items (bi_scanner_get_books (reopened)), >=, 3);
  bi_test_display_save_screenshot (GTK_WIDGET (window), "window-resumed.png");

  gtk_window_destroy (GTK_WINDOW (window));
  bi_test_scanner_stop (reopened);
  g_assert_true (g_file_test (server_dir, G_FILE_TEST_IS_DIR));
}

/* Ctrl+V with an image on the clipboard: saved as a PNG in the cache dir and scanned. */
static void
test_window_paste (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(BiScanner) scanner = new_scanner (fixture);
  g_autofree char *photo = g_build_filename (fixture->photo_folder, "living room.png", NULL);
  g_autofree char *cache = g_build_filename (g_get_user_cache_dir (), "bookimg", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = gdk_texture_new_from_filename (photo, &error);
  g_autoptr(BiPhotoItem) item = NULL;
  BiWindow *window = show_window (scanner);

  g_assert_no_error (error);
  g_assert_true (bi_test_iterate_until (bi_test_scanner_is_settled, scanner, START_TIMEOUT_S));
  gdk_clipboard_set_texture (gtk_widget_get_clipboard (GTK_WIDGET (window)), texture);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.paste", NULL));

  g_assert_true (bi_test_iterate_until (first_photo_finished, scanner, SCAN_TIMEOUT_S));
  item = g_list_model_get_item (bi_scanner_get_photos (scanner), 0);
  g_test_message ("%s: %s", bi_photo_item_get_photo_path (item),
                  bi_photo_item_get_status_text (item));
  g_assert_true (g_str_has_prefix (bi_photo_item_get_photo_path (item), cache));
  g_assert_true (g_str_has_suffix (bi_photo_item_get_photo_path (item), ".png"));
  g_assert_cmpint (bi_photo_item_get_state (item), ==, BI_SCAN_JOB_STATE_COMPLETE);
  g_assert_cmpuint (bi_photo_item_get_book_count (item), >=, 1);
  bi_test_display_save_screenshot (GTK_WIDGET (window), "window-pasted.png");

  gtk_window_destroy (GTK_WINDOW (window));
  bi_test_scanner_stop (scanner);
}

/* ---- review ---- */

/* The merged (shown) book titled @title, or NULL. */
static BiBook *
find_shown_book (BiWindow   *window,
                 const char *title)
{
  int position = find_book (window, title);
  g_autoptr(BiBook) book = NULL;

  if (position < 0)
    return NULL;
  book = g_list_model_get_item (G_LIST_MODEL (bi_window_get_book_selection (window)),
                                (guint) position);
  return book; /* borrowed: the list holds it */
}

static void
select_book (BiWindow   *window,
             const char *title)
{
  int position = find_book (window, title);

  g_assert_cmpint (position, >=, 0);
  gtk_single_selection_set_selected (bi_window_get_book_selection (window), (guint) position);
  g_assert_true (bi_book_detail_get_book (bi_window_get_book_detail (window))
                 == find_shown_book (window, title));
}

static void
set_field (BiWindow   *window,
           const char *name,
           const char *text)
{
  gtk_editable_set_text (bi_book_detail_get_field (bi_window_get_book_detail (window), name),
                         text);
}

static gboolean
has_search_results (gpointer data)
{
  return bi_spine_row_get_n_results (data) > 0;
}

static gboolean
spine_row_unbound (gpointer data)
{
  return bi_spine_row_get_spine (data) == NULL;
}

static gboolean
spine_row_has_crop (gpointer data)
{
  return bi_spine_row_get_crop (data) != NULL;
}

typedef struct
{
  GtkWidget  *root;   /* the unresolved list */
  BiBook     *spine;
  BiSpineRow *row;    /* found: the row the list bound to spine */
} SpineRowWait;

static gboolean
spine_row_shown (gpointer data)
{
  SpineRowWait *wait = data;
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();

  wait->row = NULL;
  collect_widgets (wait->root, BI_TYPE_SPINE_ROW, rows);
  for (guint i = 0; i < rows->len && wait->row == NULL; i++)
    if (bi_spine_row_get_spine (g_ptr_array_index (rows, i)) == wait->spine)
      wait->row = g_ptr_array_index (rows, i);
  return wait->row != NULL && gtk_widget_get_mapped (GTK_WIDGET (wait->row));
}

typedef struct
{
  BiScanner *scanner;
  guint      n;
} CountWait;

static gboolean
unresolved_below (gpointer data)
{
  CountWait *wait = data;

  return g_list_model_get_n_items (bi_scanner_get_unresolved (wait->scanner)) < wait->n;
}

static gboolean
json_has_title (JsonArray  *books,
                const char *title)
{
  for (guint i = 0; i < json_array_get_length (books); i++)
    if (g_strcmp0 (json_object_get_string_member (json_array_get_object_element (books, i),
                                                  "title"), title) == 0)
      return TRUE;
  return FALSE;
}

/* A JSON export holds @present and @also_present, and not @absent. */
static void
assert_exported_titles (Fixture    *fixture,
                        BiWindow   *window,
                        const char *present,
                        const char *also_present,
                        const char *absent)
{
  g_autofree char *path = g_build_filename (fixture->dir, "reviewed.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *books;

  g_assert_cmpint (export_books (window, BI_BOOK_FORMAT_JSON, path), ==, 0);
  g_assert_true (json_parser_load_from_file (parser, path, &error));
  g_assert_no_error (error);
  books = json_node_get_array (json_parser_get_root (parser));
  g_assert_true (json_has_title (books, present));
  g_assert_true (json_has_title (books, also_present));
  g_assert_false (json_has_title (books, absent));
}

/* Edit, accept and remove (with undo) in the detail pane; a spine matched by hand through a
 * catalog search; the "on 2 photos" marker; and all of it still there in a new window on the
 * library reopened from disk. */
static void
test_window_review (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(BiScanner) scanner = new_scanner (fixture);
  g_autoptr(BiScanner) reopened = NULL;
  g_autoptr(GFile) folder = g_file_new_for_path (fixture->photo_folder);
  g_autoptr(GFile) loose = g_file_new_for_path (fixture->loose_photo);
  GFile *files[2] = { folder, loose };
  BiWindow *window = show_window (scanner);
  BiBookDetail *detail = bi_window_get_book_detail (window);
  GListModel *merged = bi_scanner_get_merged_books (scanner);
  static const char edited_title[] = "The Hobbit, or There and Back Again";
  BiBook *book;
  g_autoptr(BiBook) first_spine = NULL;
  SpineRowWait shown = { NULL };
  BiSpineRow *spine_row;
  BiSpineRow *left_row;
  CountWait resolved = { NULL, 0 };
  g_autofree char *undo_key = NULL;
  guint n_merged, n_unresolved;

  bi_window_add_files (window, files, G_N_ELEMENTS (files));
  g_assert_true (bi_test_iterate_until (all_photos_finished, scanner, SCAN_TIMEOUT_S));

  /* merged: Dune is on two photos, one row, and the row says so */
  book = find_shown_book (window, "Dune");
  g_assert_nonnull (book);
  g_assert_cmpuint (bi_book_get_n_photos (book), ==, 2);
  g_assert_cmpuint (g_list_model_get_n_items (merged), <,
                    g_list_model_get_n_items (bi_scanner_get_books (scanner)));
  select_book (window, "Dune");
  bi_test_display_save_screenshot (GTK_WIDGET (window), "review-merged.png");

  /* edit: a bad ISBN-13 is refused inline, a good one saved to both readings */
  select_book (window, "The Hobbit");
  book = find_shown_book (window, "The Hobbit");
  set_field (window, "title", edited_title);
  set_field (window, "year", "1938");
  set_field (window, "isbn13", "978-0-618-26030-1");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (detail), "detail.save", NULL));
  g_assert_nonnull (bi_book_detail_get_error (detail));
  g_assert_cmpstr (bi_book_get_title (book), ==, "The Hobbit");
  bi_test_display_save_screenshot (GTK_WIDGET (window), "review-bad-isbn.png");
  set_field (window, "isbn13", "978-0-618-26030-0");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (detail), "detail.save", NULL));
  g_assert_null (bi_book_detail_get_error (detail));
  g_assert_cmpstr (bi_book_get_title (book), ==, edited_title);
  g_assert_cmpint (bi_book_get_year (book), ==, 1938);
  g_assert_cmpstr (bi_book_get_isbn13 (book), ==, "9780618260300");
  for (guint i = 0; i < bi_book_get_copies (book)->len; i++)
    g_assert_cmpstr (bi_book_get_title (g_ptr_array_index (bi_book_get_copies (book), i)), ==,
                     edited_title);
  /* the list shows the new title at once, and the edited book stays selected */
  g_assert_true (find_shown_book (window, edited_title) == book);
  g_assert_cmpint (find_book (window, "The Hobbit"), <, 0);
  g_assert_true (bi_book_detail_get_book (detail) == book);

  /* an edit that makes a book the same as another photo's merges them at once: The Hunger
   * Games (second shelf) corrected to Dune (first and third shelves) */
  n_merged = g_list_model_get_n_items (merged);
  select_book (window, "The Hunger Games");
  set_field (window, "title", "Dune");
  set_field (window, "authors", "Frank Herbert");
  set_field (window, "isbn13", "9780441172719");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (detail), "detail.save", NULL));
  g_assert_null (bi_book_detail_get_error (detail));
  g_assert_cmpuint (g_list_model_get_n_items (merged), ==, n_merged - 1);
  g_assert_cmpint (find_book (window, "The Hunger Games"), <, 0);
  book = find_shown_book (window, "Dune");
  g_assert_cmpuint (bi_book_get_n_photos (book), ==, 3);
  g_assert_true (bi_book_detail_get_book (detail) == book);

  /* accept: Dune is marked until accepted */
  select_book (window, "Dune");
  book = find_shown_book (window, "Dune");
  if (!bi_book_needs_review (book))
    g_test_message ("Dune was read with confidence %.2f: nothing to accept",
                    bi_book_get_confidence (book));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (detail), "detail.accept", NULL));
  g_assert_true (bi_book_get_accepted (book));
  g_assert_false (bi_book_needs_review (book));

  /* remove, undo, remove again */
  n_merged = g_list_model_get_n_items (merged);
  select_book (window, "Emma");
  undo_key = bi_window_dup_undo_key (find_shown_book (window, "Emma"));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (detail), "detail.remove", NULL));
  g_assert_cmpint (find_book (window, "Emma"), <, 0);
  g_assert_cmpuint (g_list_model_get_n_items (merged), ==, n_merged - 1);
  bi_test_display_save_screenshot (GTK_WIDGET (window), "review-removed.png");
  /* what the toast's Undo button activates */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), "win.undo-remove", "s",
                                             undo_key));
  g_assert_cmpint (find_book (window, "Emma"), >=, 0);
  g_assert_cmpuint (g_list_model_get_n_items (merged), ==, n_merged);
  select_book (window, "Emma");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (detail), "detail.remove", NULL));
  g_assert_cmpint (find_book (window, "Emma"), <, 0);

  /* an unresolved spine matched by hand through GET /catalog/search */
  n_unresolved = g_list_model_get_n_items (bi_scanner_get_unresolved (scanner));
  g_assert_cmpuint (n_unresolved, >, 0);
  bi_window_show_page (window, "unresolved");
  first_spine = g_list_model_get_item (bi_scanner_get_unresolved (scanner), 0);
  shown.root = GTK_WIDGET (bi_window_get_unresolved_list (window));
  shown.spine = first_spine;
  g_assert_true (bi_test_iterate_until (spine_row_shown, &shown, 5));
  spine_row = shown.row;
  /* its crop, decoded once the row is on screen */
  g_assert_true (bi_test_iterate_until (spine_row_has_crop, spine_row, 20));
  /* Tab from the list reaches the row (its text, then its search) */
  g_assert_true (gtk_widget_child_focus (shown.root, GTK_DIR_TAB_FORWARD));
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)),
                                         GTK_WIDGET (spine_row)));
  bi_spine_row_search (spine_row, "middlemarch");
  g_assert_true (bi_test_iterate_until (has_search_results, spine_row, 20));
  /* leaving the page unbinds the rows (and drops them); the search comes back with the
   * spine */
  left_row = g_object_ref (spine_row);
  bi_window_show_page (window, "books");
  g_assert_true (bi_test_iterate_until (spine_row_unbound, left_row, 5));
  g_clear_object (&left_row);
  bi_window_show_page (window, "unresolved");
  g_assert_true (bi_test_iterate_until (spine_row_shown, &shown, 5));
  spine_row = shown.row;
  g_assert_true (bi_test_iterate_until (has_search_results, spine_row, 20));
  bi_test_display_save_screenshot (GTK_WIDGET (window), "review-unresolved.png");
  resolved.scanner = scanner;
  resolved.n = n_unresolved;
  bi_spine_row_pick (spine_row, 0);
  g_assert_true (bi_test_iterate_until (unresolved_below, &resolved, 5));
  g_assert_cmpuint (g_list_model_get_n_items (bi_scanner_get_unresolved (scanner)), ==,
                    n_unresolved - 1);
  book = find_shown_book (window, "Middlemarch");
  g_assert_nonnull (book);
  g_assert_cmpstr (bi_book_get_source (book), ==, "manual");
  bi_window_show_page (window, "books");
  select_book (window, "Middlemarch");
  bi_test_display_save_screenshot (GTK_WIDGET (window), "review-matched.png");

  /* exports see every decision */
  assert_exported_titles (fixture, window, edited_title, "Middlemarch", "Emma");

  gtk_window_destroy (GTK_WINDOW (window));
  bi_test_scanner_stop (scanner);
  g_clear_object (&scanner);

  /* every decision survives: a new window on the library reopened from disk */
  reopened = new_scanner (fixture);
  window = show_window (reopened);
  g_assert_true (bi_test_iterate_until (bi_test_scanner_is_settled, reopened, START_TIMEOUT_S));
  g_assert_true (bi_test_iterate_until (library_loaded, reopened, 10));
  book = find_shown_book (window, edited_title);
  g_assert_nonnull (book);
  g_assert_cmpint (bi_book_get_year (book), ==, 1938);
  g_assert_cmpuint (bi_book_get_n_photos (book), ==, 2);
  g_assert_cmpint (find_book (window, "The Hobbit"), <, 0);
  book = find_shown_book (window, "Dune");
  g_assert_nonnull (book);
  g_assert_true (bi_book_get_accepted (book));
  g_assert_cmpuint (bi_book_get_n_photos (book), ==, 3);
  g_assert_cmpint (find_book (window, "Emma"), <, 0);
  g_assert_cmpint (find_book (window, "The Hunger Games"), <, 0);
  book = find_shown_book (window, "Middlemarch");
  g_assert_nonnull (book);
  g_assert_cmpstr (bi_book_get_source (book), ==, "manual");
  g_assert_cmpuint (g_list_model_get_n_items (bi_scanner_get_unresolved (reopened)), ==,
                    n_unresolved - 1);
  select_book (window, edited_title);
  bi_test_display_save_screenshot (GTK_WIDGET (window), "review-reloaded.png");

  gtk_window_destroy (GTK_WINDOW (window));
  bi_test_scanner_stop (reopened);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = bi_test_temp_dir_new ();
  g_autofree char *data_home = g_build_filename (home, "data", NULL);
  g_autofree char *config_home = g_build_filename (home, "config", NULL);
  g_autofree char *cache_home = g_build_filename (home, "cache", NULL);
  int status;

  /* Never the user's own folders: set before anything reads them. */
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);
  g_setenv ("XDG_CACHE_HOME", cache_home, TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/bookimg/window/empty", Fixture, NULL, fixture_set_up, test_window_empty,
              fixture_tear_down);
  g_test_add ("/bookimg/window/scan-and-reload", Fixture, NULL, fixture_set_up,
              test_window_scan_and_reload, fixture_tear_down);
  g_test_add ("/bookimg/window/resume-after-restart", Fixture, NULL, fixture_set_up,
              test_window_resume_after_restart, fixture_tear_down);
  g_test_add ("/bookimg/window/paste", Fixture, NULL, fixture_set_up, test_window_paste,
              fixture_tear_down);
  g_test_add ("/bookimg/window/review", Fixture, NULL, fixture_set_up, test_window_review,
              fixture_tear_down);
  status = g_test_run ();
  bi_test_temp_dir_remove (home);
  return status;
}
