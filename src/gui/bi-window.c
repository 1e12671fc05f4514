/* bi-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-window"

#include "config.h"

#include "bi-window.h"

#include <glib/gi18n.h>
#include <string.h>

#include "bi-book.h"
#include "bi-book-columns.h"
#include "bi-book-export.h"
#include "bi-book-rows.h"
#include "bi-job-row.h"
#include "bi-list-cache.h"
#include "bi-paced-list.h"
#include "bi-settings.h"
#include "bi-spine-row.h"

/* Job rows made at a time (about 1 ms each here), as often as a frame's budget for rows allows
 * (BiFrameBudget), until the list has made the ~200 rows of widgets GTK 4.8 keeps around the
 * visible ones. */
#define PHOTO_ROWS_PER_STEP 2
/* Unresolved spines' rows made at a time (a card with a search: about 1 ms each here; all ~200
 * at once stalled the page's opening for 150-230 ms). */
#define SPINE_ROWS_PER_STEP 1

struct _BiWindow
{
  AdwApplicationWindow  parent_instance;

  BiScanner            *scanner;
  GSettings            *settings;       /* NULL when the schema is not installed */
  GCancellable         *cancellable;    /* cancelled when the window goes away */
  GtkFileChooserNative *file_chooser;   /* the Open… dialog while it is shown */
  GtkFileChooserNative *export_chooser; /* the Export… dialog while it is shown */
  GtkCustomFilter      *book_filter;
  GtkFilterListModel   *filtered_books; /* the sorted books, filtered by the search */
  GtkSingleSelection   *book_selection;
  char                 *search_text;    /* casefolded */
  GHashTable           *removed_books;  /* undo key → BiBook removed, while Undo is offered */

  /* template */
  GtkStack             *main_stack;
  AdwViewStack         *book_stack;
  AdwViewStackPage     *unresolved_page;
  GtkStack             *unresolved_stack;
  GtkListView          *unresolved_list;
  GHashTable           *kept_queries;         /* the unresolved rows' searches, by spine */
  GtkSelectionModel    *unresolved_selection; /* the list's model while its page is shown,
                                               * else NULL */
  GtkListView          *photo_list;
  GtkColumnView        *book_view;
  GtkSearchEntry       *search_entry;
  BiBookDetail         *book_detail;
  GtkImage             *status_icon;
  GtkLabel             *status_label;
  GtkInscription       *books_count_label;
  AdwToastOverlay      *toast_overlay;
};

G_DEFINE_FINAL_TYPE (BiWindow, bi_window, ADW_TYPE_APPLICATION_WINDOW)

enum
{
  PROP_0,
  PROP_SCANNER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- helpers ---- */

static void
update_status (BiWindow *self)
{
  const char *icon = "network-idle-symbolic";
  const char *label = NULL;

  switch (bi_scanner_get_status (self->scanner))
    {
    case BI_SCANNER_STATUS_STOPPED:
    case BI_SCANNER_STATUS_STARTING:
      icon = "content-loading-symbolic";
      label = _("Starting");
      break;
    case BI_SCANNER_STATUS_READY:
      icon = "network-idle-symbolic";
      label = _("Ready");
      break;
    case BI_SCANNER_STATUS_CONNECTED:
      icon = "network-transmit-receive-symbolic";
      label = _("Connected");
      break;
    case BI_SCANNER_STATUS_RECONNECTING:
      icon = "network-error-symbolic";
      label = _("Reconnecting");
      break;
    case BI_SCANNER_STATUS_OFFLINE:
    default:
      icon = "network-offline-symbolic";
      label = _("Offline");
      break;
    }
  gtk_image_set_from_icon_name (self->status_icon, icon);
  gtk_label_set_label (self->status_label, label);
  /* the status message is the tooltip: status_query_tooltip_cb reads it when asked */
}

static void
update_page (BiWindow *self)
{
  GListModel *photos = bi_scanner_get_photos (self->scanner);
  GListModel *shown = G_LIST_MODEL (self->book_selection);
  guint n_books = g_list_model_get_n_items (bi_scanner_get_merged_books (self->scanner));
  guint n_unresolved = g_list_model_get_n_items (bi_scanner_get_unresolved (self->scanner));
  g_autofree char *count = NULL;

  gtk_stack_set_visible_child_name (self->main_stack,
                                    g_list_model_get_n_items (photos) > 0 ? "library" : "empty");
  if (g_list_model_get_n_items (shown) != n_books)
    /* Translators: "3 of 12 books" while a search filters the list */
    count = g_strdup_printf (_("%u of %u books"), g_list_model_get_n_items (shown), n_books);
  else
    count = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u book", "%u books", n_books),
                             n_books);
  gtk_inscription_set_text (self->books_count_label, count);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.export", n_books > 0);

  adw_view_stack_page_set_badge_number (self->unresolved_page, n_unresolved);
  adw_view_stack_page_set_needs_attention (self->unresolved_page, n_unresolved > 0);
  gtk_stack_set_visible_child_name (self->unresolved_stack, n_unresolved > 0 ? "list" : "empty");
}

/* Tells what an export left out: a format that cannot hold a book never drops it silently. */
static void
show_skipped_books (BiWindow   *self,
                    GFile      *file,
                    GPtrArray  *skipped)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *body = NULL;
  g_autoptr(GString) list = g_string_new (NULL);
  GtkWidget *dialog;
  GtkWidget *scrolled;
  GtkWidget *label;

  for (guint i = 0; i < skipped->len; i++)
    {
      BiExportSkip *skip = g_ptr_array_index (skipped, i);
      g_autofree char *authors = bi_export_book_join_authors (skip->book, ", ");
      g_autofree char *line = NULL;

      if (*authors != '\0')
        /* Translators: a book an export left out: "title, by authors — reason" */
        line = g_markup_printf_escaped (_("<b>%s</b>, by %s — %s"), skip->book->title, authors,
                                        skip->reason);
      else
        /* Translators: a book an export left out: "title — reason" */
        line = g_markup_printf_escaped (_("<b>%s</b> — %s"), skip->book->title, skip->reason);
      if (list->len > 0)
        g_string_append_c (list, '\n');
      g_string_append (list, line);
    }

  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u book could not be written to “%s”:",
                                       "%u books could not be written to “%s”:",
                                       skipped->len),
                          skipped->len, name);
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Some Books Were Left Out"), body);
  label = gtk_label_new (list->str);
  gtk_label_set_use_markup (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (label), 0.0f);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  /* a few books fit as they are; a long list scrolls */
  gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scrolled),
                                              skipped->len > 4 ? 240 : -1);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled),
                                                    skipped->len <= 4);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), label);
  adw_message_dialog_set_extra_child (ADW_MESSAGE_DIALOG (dialog), scrolled);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_set_default_size (GTK_WINDOW (dialog), 460, -1);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- callbacks ---- */

static void
scanner_status_cb (BiWindow *self)
{
  if (self->scanner == NULL)
    return;
  update_status (self);
}

static void
models_changed_cb (BiWindow *self)
{
  /* the models can outlive the window's dispose, which drops the scanner and the template */
  if (self->scanner == NULL)
    return;
  update_page (self);
}

static void
photo_setup_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                gpointer                  user_data)
{
  gtk_list_item_set_child (list_item, bi_job_row_new ());
}

static void
photo_bind_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  bi_job_row_set_item (BI_JOB_ROW (gtk_list_item_get_child (list_item)),
                       gtk_list_item_get_item (list_item));
}

static void
photo_unbind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 gpointer                  user_data)
{
  bi_job_row_set_item (BI_JOB_ROW (gtk_list_item_get_child (list_item)), NULL);
}

static gboolean
status_query_tooltip_cb (GtkWidget  *widget,
                         int         x,
                         int         y,
                         gboolean    keyboard_mode,
                         GtkTooltip *tooltip,
                         BiWindow   *self)
{
  const char *message;

  if (self->scanner == NULL)
    return FALSE;
  message = bi_scanner_get_status_message (self->scanner);
  if (message == NULL || *message == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, message);
  return TRUE;
}

static gboolean
book_matches_cb (gpointer item,
                 gpointer user_data)
{
  BiWindow *self = user_data;

  if (self->search_text == NULL || *self->search_text == '\0')
    return TRUE;
  return strstr (bi_book_get_search_text (BI_BOOK (item)), self->search_text) != NULL;
}

static void
search_changed_cb (BiWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *folded = g_utf8_casefold (text, -1);
  GtkFilterChange change = GTK_FILTER_CHANGE_DIFFERENT;

  if (self->search_text != NULL && g_str_has_prefix (folded, self->search_text))
    change = GTK_FILTER_CHANGE_MORE_STRICT;
  else if (self->search_text != NULL && g_str_has_prefix (self->search_text, folded))
    change = GTK_FILTER_CHANGE_LESS_STRICT;
  g_free (self->search_text);
  self->search_text = g_steal_pointer (&folded);
  /* A new search shows its books from the top, as search results do. It is cheaper too: a
   * list scrolled far down that shrinks under its view makes its ~200 kept rows anew around
   * the new end (a keystroke stalled 110–120 ms ten pages down, 22–34 ms from the top;
   * docs/benchmarks.md). */
  gtk_adjustment_set_value (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->book_view)),
                            0.0);
  /* No search, no filter: every book at once, without asking each. */
  if (*self->search_text == '\0')
    gtk_filter_list_model_set_filter (self->filtered_books, NULL);
  else if (gtk_filter_list_model_get_filter (self->filtered_books) == NULL)
    gtk_filter_list_model_set_filter (self->filtered_books, GTK_FILTER (self->book_filter));
  else
    gtk_filter_changed (GTK_FILTER (self->book_filter), change);
  update_page (self);
}

static void
book_selected_cb (BiWindow *self)
{
  gpointer book = gtk_single_selection_get_selected_item (self->book_selection);

  bi_book_detail_set_book (self->book_detail, book != NULL ? BI_BOOK (book) : NULL);
}

/* Selects @book in the list, if the list shows it (it may be filtered out or merged). */
static void
select_book (BiWindow *self,
             BiBook   *book)
{
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (self->book_selection)); i++)
    {
      g_autoptr(BiBook) shown = g_list_model_get_item (G_LIST_MODEL (self->book_selection), i);

      if (shown == book)
        {
          gtk_single_selection_set_selected (self->book_selection, i);
          return;
        }
    }
}

static void
detail_save_cb (BiWindow        *self,
                BiLibraryReview *edits)
{
  g_autoptr(BiBook) book = g_object_ref (bi_book_detail_get_book (self->book_detail));

  /* The scanner takes the book out of the list and puts it back where its new fields sort
   * (merged with another photo's reading if they now match); the selection follows it. */
  bi_scanner_edit_book (self->scanner, book, edits);
  select_book (self, bi_book_get_primary (book) != NULL ? bi_book_get_primary (book) : book);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (_("Changes saved")));
}

static void
detail_accept_cb (BiWindow *self)
{
  bi_scanner_accept_book (self->scanner, bi_book_detail_get_book (self->book_detail));
}

static void
remove_toast_dismissed_cb (AdwToast *toast,
                           BiWindow *self)
{
  const char *key = g_object_get_data (G_OBJECT (toast), "undo-key");

  if (self->removed_books != NULL)
    g_hash_table_remove (self->removed_books, key);
}

static void
detail_remove_cb (BiWindow *self)
{
  BiBook *book = bi_book_detail_get_book (self->book_detail);
  g_autofree char *title = g_strdup_printf (_("“%s” removed"), bi_book_get_title (book));
  char *key = bi_window_dup_undo_key (book);
  AdwToast *toast = adw_toast_new (title);

  /* each toast undoes the removal it names, however many are queued */
  g_hash_table_replace (self->removed_books, g_strdup (key), g_object_ref (book));
  bi_scanner_remove_book (self->scanner, book);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "win.undo-remove");
  adw_toast_set_action_target_value (toast, g_variant_new_string (key));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_object_set_data_full (G_OBJECT (toast), "undo-key", key, g_free);
  g_signal_connect_object (toast, "dismissed", G_CALLBACK (remove_toast_dismissed_cb), self, 0);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
undo_remove_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  BiWindow *self = BI_WINDOW (widget);
  g_autoptr(BiBook) book = NULL;

  if (!g_hash_table_steal_extended (self->removed_books, g_variant_get_string (parameter, NULL),
                                    NULL, (gpointer *) &book))
    return;
  bi_scanner_restore_book (self->scanner, book);
  /* back where the user was: the restored book selected */
  select_book (self, book);
}

/* The unresolved spines: a list view makes rows only for the spines in and near sight (a
 * library of 1,000 photos leaves thousands), and binds each to the spine it shows. */
static void
spine_setup_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                gpointer                  user_data)
{
  BiWindow *self = user_data;

  gtk_list_item_set_activatable (list_item, FALSE);
  gtk_list_item_set_selectable (list_item, FALSE);
  gtk_list_item_set_child (list_item, bi_spine_row_new (self->scanner, self->kept_queries));
}

static void
spine_bind_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               gpointer                  user_data)
{
  bi_spine_row_set_spine (BI_SPINE_ROW (gtk_list_item_get_child (list_item)),
                          BI_BOOK (gtk_list_item_get_item (list_item)));
}

static void
spine_unbind_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *list_item,
                 gpointer                  user_data)
{
  bi_spine_row_set_spine (BI_SPINE_ROW (gtk_list_item_get_child (list_item)), NULL);
}

/* The list holds its spines only while its page is shown: on a hidden page it still made its
 * rows for every spine that arrived, and the stack measured them with the page in sight. Each
 * time the page opens, its rows are made a few a frame. */
static void
book_page_changed_cb (BiWindow *self)
{
  gboolean shown = g_strcmp0 (adw_view_stack_get_visible_child_name (self->book_stack),
                              "unresolved") == 0;

  /* the template's widgets are gone once the window is disposed */
  if (self->unresolved_list == NULL || shown == (self->unresolved_selection != NULL))
    return;
  if (shown)
    {
      BiPacedList *paced = bi_paced_list_new (bi_scanner_get_unresolved (self->scanner),
                                              GTK_WIDGET (self->unresolved_list),
                                              SPINE_ROWS_PER_STEP,
                                              BI_PACED_LIST_WIDGET_ROWS);

      self->unresolved_selection =
        GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (paced)));
    }
  else
    g_clear_object (&self->unresolved_selection);
  gtk_list_view_set_model (self->unresolved_list, self->unresolved_selection);
}

static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         gpointer       user_data)
{
  BiWindow *self = user_data;
  GSList *list;
  g_autoptr(GPtrArray) files = g_ptr_array_new ();

  if (!G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    return FALSE;
  list = gdk_file_list_get_files (g_value_get_boxed (value));
  for (GSList *link = list; link != NULL; link = link->next)
    g_ptr_array_add (files, link->data);
  g_slist_free (list);
  if (files->len == 0)
    return FALSE;
  bi_window_add_files (self, (GFile **) files->pdata, files->len);
  return TRUE;
}

static void
file_chooser_response_cb (GtkNativeDialog *dialog,
                          int              response,
                          gpointer         user_data)
{
  BiWindow *self = user_data;
  g_autoptr(GListModel) chosen = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);

  if (response == GTK_RESPONSE_ACCEPT)
    {
      chosen = gtk_file_chooser_get_files (GTK_FILE_CHOOSER (dialog));
      for (guint i = 0; i < g_list_model_get_n_items (chosen); i++)
        g_ptr_array_add (files, g_list_model_get_item (chosen, i));
      bi_window_add_files (self, (GFile **) files->pdata, files->len);
    }
  g_clear_object (&self->file_chooser);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  BiWindow *self = BI_WINDOW (widget);
  g_autoptr(GtkFileFilter) photos = gtk_file_filter_new ();
  g_autoptr(GtkFileFilter) all = gtk_file_filter_new ();

  if (self->file_chooser != NULL)
    {
      gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->file_chooser));
      return;
    }

  self->file_chooser = gtk_file_chooser_native_new (_("Add Shelf Photos"), GTK_WINDOW (self),
                                                    GTK_FILE_CHOOSER_ACTION_OPEN, _("_Add"),
                                                    _("_Cancel"));
  gtk_file_chooser_set_select_multiple (GTK_FILE_CHOOSER (self->file_chooser), TRUE);
  gtk_file_filter_set_name (photos, _("Photos"));
  gtk_file_filter_add_mime_type (photos, "image/jpeg");
  gtk_file_filter_add_mime_type (photos, "image/png");
  gtk_file_filter_add_mime_type (photos, "image/webp");
  gtk_file_filter_add_mime_type (photos, "image/tiff");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->file_chooser), photos);
  gtk_file_filter_set_name (all, _("All Files"));
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->file_chooser), all);
  g_signal_connect (self->file_chooser, "response", G_CALLBACK (file_chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->file_chooser));
}

static void
export_written_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BiWindow *self = g_task_get_source_object (task);
  GFile *file = g_task_get_task_data (task);
  g_autoptr(GPtrArray) skipped = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *message = NULL;
  guint n_written = 0;

  if (!bi_book_export_write_finish (result, &n_written, &skipped, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  name = g_file_get_basename (file);
  message = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u book exported to “%s”",
                                          "%u books exported to “%s”", n_written),
                             n_written, name);
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
  if (skipped->len > 0)
    show_skipped_books (self, file, skipped);
  g_task_return_int (task, skipped->len);
}

static void
export_chooser_response_cb (GtkNativeDialog *dialog,
                            int              response,
                            gpointer         user_data)
{
  BiWindow *self = user_data;
  g_autoptr(GFile) chosen = NULL;
  g_autofree char *basename = NULL;
  const char *format_name;
  BiBookFormat format = BI_BOOK_FORMAT_CSV;

  if (response == GTK_RESPONSE_ACCEPT)
    chosen = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  format_name = gtk_file_chooser_get_choice (GTK_FILE_CHOOSER (dialog), "format");
  if (format_name != NULL)
    bi_book_format_parse (format_name, &format, NULL);
  g_clear_object (&self->export_chooser);
  if (chosen == NULL)
    return;

  /* A name typed without an extension gets the format's. */
  basename = g_file_get_basename (chosen);
  if (strchr (basename, '.') == NULL)
    {
      g_autofree char *with_extension = g_strconcat (basename, ".",
                                                     bi_book_format_extension (format), NULL);
      g_autoptr(GFile) parent = g_file_get_parent (chosen);

      g_object_unref (chosen);
      chosen = g_file_get_child (parent, with_extension);
    }
  bi_window_export_async (self, format, chosen, NULL, NULL, NULL);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  BiWindow *self = BI_WINDOW (widget);
  const char *const *names = bi_book_format_names ();
  g_autoptr(GPtrArray) labels = g_ptr_array_new ();
  g_autofree char *suggested = NULL;

  if (self->export_chooser != NULL)
    {
      gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->export_chooser));
      return;
    }

  for (guint i = 0; names[i] != NULL; i++)
    g_ptr_array_add (labels, (gpointer) bi_book_format_get_label ((BiBookFormat) i));
  g_ptr_array_add (labels, NULL);

  self->export_chooser = gtk_file_chooser_native_new (_("Export Books"), GTK_WINDOW (self),
                                                      GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                                                      _("_Cancel"));
  gtk_file_chooser_add_choice (GTK_FILE_CHOOSER (self->export_chooser), "format", _("Format"),
                               (const char **) names, (const char **) labels->pdata);
  gtk_file_chooser_set_choice (GTK_FILE_CHOOSER (self->export_chooser), "format",
                               bi_book_format_to_string (BI_BOOK_FORMAT_CSV));
  /* Translators: the suggested file name of an export, without its extension */
  suggested = g_strconcat (_("books"), ".", bi_book_format_extension (BI_BOOK_FORMAT_CSV), NULL);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->export_chooser), suggested);
  g_signal_connect (self->export_chooser, "response", G_CALLBACK (export_chooser_response_cb),
                    self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->export_chooser));
}

typedef struct
{
  BiWindow *window;
  char     *path;
} PasteRequest;

static void
paste_request_free (PasteRequest *request)
{
  g_object_unref (request->window);
  g_free (request->path);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PasteRequest, paste_request_free)

static void
pasted_image_saved_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(PasteRequest) request = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        adw_toast_overlay_add_toast (request->window->toast_overlay,
                                     adw_toast_new (error->message));
      return;
    }
  bi_scanner_add_photo (request->window->scanner, request->path);
}

static void
pasted_texture_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(BiWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GBytes) png = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y-%m-%d %H.%M.%S");
  g_autofree char *name = NULL;
  g_autofree char *folder = g_build_filename (g_get_user_cache_dir (), "bookimg", "pasted",
                                              NULL);
  PasteRequest *request;

  texture = gdk_clipboard_read_texture_finish (GDK_CLIPBOARD (source), result, &error);
  if (texture == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        adw_toast_overlay_add_toast (self->toast_overlay,
                                     adw_toast_new (_("The clipboard holds no image to add")));
      return;
    }

  /* Named by the time, with a counter for pastes within one second. */
  g_mkdir_with_parents (folder, 0700);
  for (guint n = 1; name == NULL || g_file_test (name, G_FILE_TEST_EXISTS); n++)
    {
      g_autofree char *base = n == 1 ? g_strdup_printf (_("Pasted photo %s.png"), stamp)
                                     : g_strdup_printf (_("Pasted photo %s (%u).png"), stamp, n);

      g_free (name);
      name = g_build_filename (folder, base, NULL);
    }
  png = gdk_texture_save_to_png_bytes (texture);
  file = g_file_new_for_path (name);
  request = g_new0 (PasteRequest, 1);
  request->window = g_object_ref (self);
  request->path = g_steal_pointer (&name);
  g_file_replace_contents_bytes_async (file, png, NULL, FALSE, G_FILE_CREATE_PRIVATE,
                                       self->cancellable, pasted_image_saved_cb, request);
}

static void
paste_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  BiWindow *self = BI_WINDOW (widget);
  GdkClipboard *clipboard = gtk_widget_get_clipboard (widget);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  /* In the search box Ctrl+V pastes text, as everywhere. */
  if (focus != NULL && (GTK_IS_EDITABLE (focus) || GTK_IS_TEXT (focus)))
    {
      gtk_widget_activate_action (focus, "clipboard.paste", NULL);
      return;
    }
  gdk_clipboard_read_texture_async (clipboard, self->cancellable, pasted_texture_cb,
                                    g_object_ref (self));
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  BiWindow *self = BI_WINDOW (widget);
  BiPhotoItem *item = bi_scanner_find_photo (self->scanner, g_variant_get_string (parameter, NULL));

  if (item != NULL)
    bi_scanner_retry (self->scanner, item);
}

static void
find_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  BiWindow *self = BI_WINDOW (widget);

  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* ---- setting up ---- */

static void
setup_book_view (BiWindow *self)
{
  g_autoptr(BiListCache) books = bi_list_cache_new (bi_scanner_get_merged_books (self->scanner));
  GtkFilterListModel *filtered;
  GtkSortListModel *sorted;
  g_autoptr(BiBookRows) rows = NULL;

  bi_book_columns_append (self->book_view);

  /* Sorted first, then filtered: a keystroke in the search filters the sorted list and never
   * sorts again. The sort works in steps between frames (incremental), so a header click does
   * not hold the main loop. The filter runs in one go (a strstr per book, a few milliseconds
   * for 10,000): GTK 4.8's incremental filter first empties the list on every new filter and
   * refills it step by step, and each step made and destroyed rows. The filter is set only
   * while there is a search. Both ask for books by position, from an array (BiListCache). */
  self->book_filter = gtk_custom_filter_new (book_matches_cb, self, NULL);
  sorted = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (books)),
                                    g_object_ref (gtk_column_view_get_sorter (self->book_view)));
  gtk_sort_list_model_set_incremental (sorted, TRUE);
  filtered = gtk_filter_list_model_new (G_LIST_MODEL (sorted), NULL);
  self->filtered_books = filtered;
  self->book_selection = gtk_single_selection_new (G_LIST_MODEL (filtered));
  gtk_single_selection_set_autoselect (self->book_selection, FALSE);
  gtk_single_selection_set_can_unselect (self->book_selection, TRUE);
  /* the view shows stable rows over the books: see bi-book-rows.h */
  rows = bi_book_rows_new (GTK_SELECTION_MODEL (self->book_selection),
                           GTK_WIDGET (self->book_view));
  gtk_column_view_set_model (self->book_view, GTK_SELECTION_MODEL (rows));
  g_signal_connect_object (self->book_selection, "notify::selected-item",
                           G_CALLBACK (book_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->book_selection, "items-changed",
                           G_CALLBACK (models_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
setup_review (BiWindow *self)
{
  GListModel *unresolved = bi_scanner_get_unresolved (self->scanner);
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_signal_connect (factory, "setup", G_CALLBACK (spine_setup_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (spine_bind_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (spine_unbind_cb), NULL);
  gtk_list_view_set_factory (self->unresolved_list, factory);
  g_object_unref (factory);
  self->kept_queries = bi_spine_row_kept_queries_new ();
  g_signal_connect_object (self->book_stack, "notify::visible-child-name",
                           G_CALLBACK (book_page_changed_cb), self, G_CONNECT_SWAPPED);
  book_page_changed_cb (self);
  g_signal_connect_object (unresolved, "items-changed", G_CALLBACK (models_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->book_detail, "save", G_CALLBACK (detail_save_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->book_detail, "accept", G_CALLBACK (detail_accept_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->book_detail, "remove", G_CALLBACK (detail_remove_cb), self,
                           G_CONNECT_SWAPPED);
}

static void
setup_photo_list (BiWindow *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GListModel *photos = bi_scanner_get_photos (self->scanner);
  BiPacedList *paced;

  g_signal_connect (factory, "setup", G_CALLBACK (photo_setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (photo_bind_cb), NULL);
  g_signal_connect (factory, "unbind", G_CALLBACK (photo_unbind_cb), NULL);
  gtk_list_view_set_factory (self->photo_list, factory);
  g_object_unref (factory);
  /* 1,000 photos at once would make ~200 job rows before the first frame: a few per frame */
  paced = bi_paced_list_new (photos, GTK_WIDGET (self->photo_list), PHOTO_ROWS_PER_STEP,
                             BI_PACED_LIST_WIDGET_ROWS);
  gtk_list_view_set_model (self->photo_list,
                           GTK_SELECTION_MODEL (gtk_no_selection_new (G_LIST_MODEL (paced))));
  g_signal_connect_object (photos, "items-changed", G_CALLBACK (models_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

/* ---- GObject and GtkWidget ---- */

static gboolean
bi_window_close_request (GtkWindow *window)
{
  BiWindow *self = BI_WINDOW (window);

  if (self->settings != NULL)
    {
      int width, height;

      gtk_window_get_default_size (window, &width, &height);
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
      g_settings_set_boolean (self->settings, "window-maximized",
                              gtk_window_is_maximized (window));
    }
  return GTK_WINDOW_CLASS (bi_window_parent_class)->close_request (window);
}

static void
bi_window_constructed (GObject *object)
{
  BiWindow *self = BI_WINDOW (object);

  G_OBJECT_CLASS (bi_window_parent_class)->constructed (object);

  g_assert (self->scanner != NULL);
  setup_photo_list (self);
  setup_book_view (self);
  setup_review (self);
  g_signal_connect_object (self->scanner, "notify::status", G_CALLBACK (scanner_status_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->scanner, "notify::status-message",
                           G_CALLBACK (scanner_status_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self->status_label), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self->status_icon), TRUE);
  g_signal_connect (self->status_label, "query-tooltip", G_CALLBACK (status_query_tooltip_cb),
                    self);
  g_signal_connect (self->status_icon, "query-tooltip", G_CALLBACK (status_query_tooltip_cb),
                    self);
  update_status (self);
  update_page (self);
}

static void
bi_window_dispose (GObject *object)
{
  BiWindow *self = BI_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->file_chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->file_chooser));
  g_clear_object (&self->file_chooser);
  if (self->export_chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->export_chooser));
  g_clear_object (&self->export_chooser);
  /* Disposing the column view removes its sorted column, and the selection then emits
   * items-changed: the window must no longer hear it, its scanner is about to go. */
  if (self->book_selection != NULL)
    g_signal_handlers_disconnect_by_data (self->book_selection, self);
  /* The column view holds the models; drop it before the objects they point into. */
  gtk_widget_dispose_template (GTK_WIDGET (self), BI_TYPE_WINDOW);
  g_clear_object (&self->book_selection);
  g_clear_object (&self->unresolved_selection);
  g_clear_pointer (&self->kept_queries, g_hash_table_unref);
  self->filtered_books = NULL;
  g_clear_object (&self->book_filter);
  g_clear_pointer (&self->removed_books, g_hash_table_unref);
  /* the scanner and its models may live on (the app keeps them): stop hearing from them */
  if (self->scanner != NULL)
    {
      g_signal_handlers_disconnect_by_data (bi_scanner_get_photos (self->scanner), self);
      g_signal_handlers_disconnect_by_data (bi_scanner_get_unresolved (self->scanner), self);
      g_signal_handlers_disconnect_by_data (self->scanner, self);
    }
  g_clear_object (&self->scanner);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (bi_window_parent_class)->dispose (object);
}

static void
bi_window_finalize (GObject *object)
{
  BiWindow *self = BI_WINDOW (object);

  g_clear_object (&self->cancellable);
  g_free (self->search_text);

  G_OBJECT_CLASS (bi_window_parent_class)->finalize (object);
}

static void
bi_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  BiWindow *self = BI_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SCANNER:
      g_value_set_object (value, self->scanner);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bi_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  BiWindow *self = BI_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SCANNER:
      self->scanner = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bi_window_class_init (BiWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = bi_window_constructed;
  object_class->dispose = bi_window_dispose;
  object_class->finalize = bi_window_finalize;
  object_class->get_property = bi_window_get_property;
  object_class->set_property = bi_window_set_property;
  window_class->close_request = bi_window_close_request;

  properties[PROP_SCANNER] =
    g_param_spec_object ("scanner", NULL, NULL, BI_TYPE_SCANNER,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_EXPLICIT_NOTIFY
                         | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (BI_TYPE_BOOK_DETAIL);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bookimg/BookImg/ui/bi-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BiWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, BiWindow, book_stack);
  gtk_widget_class_bind_template_child (widget_class, BiWindow, unresolved_page);
  gtk_widget_class_bind_template_child (widget_class, BiWindow, unresolved_stack);
  gtk_widget_class_bind_template_child (widget_class, BiWindow, unresolved_list);
  gtk_widget_class_bind_template_child (widget_class, BiWindow, photo_list);
  gtk_widget_class_bind_template_child (widget_class, BiWindow, book_view);
  gtk_widget_class_bind_template_child (widget_class, BiWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, BiWindow, book_detail);
  gtk_widget_class_bind_template_child (widget_class, BiWindow, status_icon);
  gtk_widget_class_bind_template_child (widget_class, BiWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, BiWindow, books_count_label);
  gtk_widget_class_bind_template_child (widget_class, BiWindow, toast_overlay);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);

  gtk_widget_class_install_action (widget_class, "win.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "win.retry", "s", retry_action);
  gtk_widget_class_install_action (widget_class, "win.find", NULL, find_action);
  gtk_widget_class_install_action (widget_class, "win.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "win.paste", NULL, paste_action);
  gtk_widget_class_install_action (widget_class, "win.undo-remove", "s", undo_remove_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_v, GDK_CONTROL_MASK, "win.paste",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "win.export",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK, "win.open",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.find",
                                       NULL);
}

static void
bi_window_init (BiWindow *self)
{
  GtkDropTarget *target;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->removed_books = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);

  target = gtk_drop_target_new (GDK_TYPE_FILE_LIST, GDK_ACTION_COPY);
  g_signal_connect (target, "drop", G_CALLBACK (drop_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (target));

  self->settings = bi_settings_new ();
  if (self->settings != NULL)
    {
      gtk_window_set_default_size (GTK_WINDOW (self),
                                   g_settings_get_int (self->settings, "window-width"),
                                   g_settings_get_int (self->settings, "window-height"));
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
    }
}

/* ---- public API ---- */

BiWindow *
bi_window_new (GtkApplication *application,
               BiScanner      *scanner)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (BI_IS_SCANNER (scanner), NULL);

  return g_object_new (BI_TYPE_WINDOW, "application", application, "scanner", scanner, NULL);
}

BiScanner *
bi_window_get_scanner (BiWindow *self)
{
  g_return_val_if_fail (BI_IS_WINDOW (self), NULL);
  return self->scanner;
}

void
bi_window_add_files (BiWindow  *self,
                     GFile    **files,
                     guint      n_files)
{
  g_return_if_fail (BI_IS_WINDOW (self));

  bi_scanner_add_files (self->scanner, files, n_files);
}

GtkSingleSelection *
bi_window_get_book_selection (BiWindow *self)
{
  g_return_val_if_fail (BI_IS_WINDOW (self), NULL);
  return self->book_selection;
}

BiBookDetail *
bi_window_get_book_detail (BiWindow *self)
{
  g_return_val_if_fail (BI_IS_WINDOW (self), NULL);
  return self->book_detail;
}

void
bi_window_set_search_text (BiWindow   *self,
                           const char *text)
{
  GtkEditable *entry;
  const char *current;
  size_t current_length;
  size_t length;

  g_return_if_fail (BI_IS_WINDOW (self));

  entry = GTK_EDITABLE (self->search_entry);
  current = gtk_editable_get_text (entry);
  text = text != NULL ? text : "";
  current_length = strlen (current);
  length = strlen (text);
  /* As typing does: more text is added at the end, less is deleted from it, so the search
   * narrows or widens. Replacing the whole text would empty the entry first, and the entry
   * reports an empty search at once (without its delay): every book shown, then filtered
   * again from scratch. */
  if (length > current_length && strncmp (text, current, current_length) == 0)
    {
      int position = (int) g_utf8_strlen (current, -1);

      gtk_editable_insert_text (entry, text + current_length, -1, &position);
    }
  else if (length < current_length && strncmp (current, text, length) == 0)
    gtk_editable_delete_text (entry, (int) g_utf8_strlen (text, -1), -1);
  else
    gtk_editable_set_text (entry, text);
}

void
bi_window_export_async (BiWindow            *self,
                        BiBookFormat         format,
                        GFile               *file,
                        GCancellable        *cancellable,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) records = NULL;

  g_return_if_fail (BI_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bi_window_export_async);
  g_task_set_task_data (task, g_object_ref (file), g_object_unref);
  records = bi_book_export_collect (bi_scanner_get_books (self->scanner));
  bi_book_export_write_async (format, records, file, self->cancellable, export_written_cb,
                              g_steal_pointer (&task));
}

gssize
bi_window_export_finish (BiWindow      *self,
                         GAsyncResult  *result,
                         GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), -1);
  return g_task_propagate_int (G_TASK (result), error);
}

GtkListView *
bi_window_get_unresolved_list (BiWindow *self)
{
  g_return_val_if_fail (BI_IS_WINDOW (self), NULL);
  return self->unresolved_list;
}

void
bi_window_show_page (BiWindow   *self,
                     const char *name)
{
  g_return_if_fail (BI_IS_WINDOW (self));
  adw_view_stack_set_visible_child_name (self->book_stack, name);
}

char *
bi_window_dup_undo_key (BiBook *book)
{
  g_return_val_if_fail (BI_IS_BOOK (book), NULL);
  return g_strdup_printf ("%s\n%d", bi_book_get_job_id (book), bi_book_get_position (book));
}
