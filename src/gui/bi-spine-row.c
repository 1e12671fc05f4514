/* bi-spine-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-spine-row"

#include "config.h"

#include "bi-spine-row.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "bi-image-loader.h"

/* Longer side of the crop, in pixels (twice the shown height, for HiDPI). */
#define CROP_SIZE 320
/* Shorter queries match half the catalog. */
#define MIN_QUERY_LENGTH 2

struct _BiSpineRow
{
  GtkBox          parent_instance;

  BiScanner      *scanner;
  BiBook         *spine;              /* NULL: the row shows nothing (not bound) */
  GPtrArray      *results;            /* of BiBook: the last search's books */
  char           *query;              /* the last query searched for */
  GHashTable     *kept_queries;       /* BiBook → the text its search held when its row was
                                       * bound to another spine (shared by the list's rows) */
  GCancellable   *crop_cancellable;   /* the crop loading or loaded; NULL: not asked yet */
  GCancellable   *search_cancellable; /* the search in flight */

  /* template */
  GtkPicture     *crop_picture;
  GtkLabel       *place_label;
  GtkLabel       *text_label;
  GtkSearchEntry *search_entry;
  GtkLabel       *search_message;
  GtkListBox     *result_list;
};

G_DEFINE_FINAL_TYPE (BiSpineRow, bi_spine_row, GTK_TYPE_BOX)

/* ---- helpers ---- */

static char *
describe_book (BiBook *book)
{
  g_autoptr(GString) text = g_string_new (bi_book_get_authors (book));

  if (bi_book_get_year (book) > 0)
    g_string_append_printf (text, "%s%d", text->len > 0 ? " · " : "", bi_book_get_year (book));
  if (*bi_book_get_isbn13 (book) != '\0')
    g_string_append_printf (text, "%s%s", text->len > 0 ? " · " : "", bi_book_get_isbn13 (book));
  return g_string_free (g_steal_pointer (&text), FALSE);
}

static void
show_message (BiSpineRow *self,
              const char *message)
{
  gtk_label_set_label (self->search_message, message != NULL ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->search_message), message != NULL);
}

static void
clear_results (BiSpineRow *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->result_list))) != NULL)
    gtk_list_box_remove (self->result_list, child);
  gtk_widget_set_visible (GTK_WIDGET (self->result_list), FALSE);
  g_clear_pointer (&self->results, g_ptr_array_unref);
}

/* The list view binds a row to one spine after another (scrolled ~200 rows away, or a spine
 * before it resolved): what was typed for the spine it leaves is kept for its next row. */
static void
keep_query (BiSpineRow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *typed = g_strstrip (g_strdup (text));

  if (*typed != '\0')
    g_hash_table_replace (self->kept_queries, g_object_ref (self->spine),
                          g_steal_pointer (&typed));
  else
    g_hash_table_remove (self->kept_queries, self->spine);
}

static void crop_loaded_cb (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data);

/* The crop is decoded only for a row on screen: a list of thousands of unresolved spines, or
 * one on a page not shown, must not decode thousands of photos. */
static void
load_crop_when_shown (BiSpineRow *self)
{
  int x, y, width, height;

  if (self->spine == NULL || self->crop_cancellable != NULL ||
      !gtk_widget_get_mapped (GTK_WIDGET (self)) ||
      !bi_book_get_bbox (self->spine, &x, &y, &width, &height))
    return;
  self->crop_cancellable = g_cancellable_new ();
  bi_image_load_crop_async (bi_book_get_photo_path (self->spine), x, y, width, height, CROP_SIZE,
                            BI_IMAGE_LOAD_BACKGROUND, self->crop_cancellable, crop_loaded_cb,
                            g_object_ref (self));
}

/* ---- callbacks ---- */

static void
crop_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(BiSpineRow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = bi_image_load_crop_finish (result, &error);

  /* cancelled: the row shows another spine now */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (texture != NULL)
    gtk_picture_set_paintable (self->crop_picture, GDK_PAINTABLE (texture));
}

static void
use_clicked_cb (GtkButton *button,
                gpointer   user_data)
{
  BiSpineRow *self = user_data;
  guint index = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (button), "result-index"));

  bi_spine_row_pick (self, index);
}

static void
searched_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(BiSpineRow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) books = bi_scanner_search_catalog_finish (BI_SCANNER (source), result,
                                                                 &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_object (&self->search_cancellable);
  clear_results (self);

  if (books == NULL)
    {
      show_message (self, error->message);
      return;
    }
  self->results = g_ptr_array_ref (books);
  show_message (self, books->len == 0 ? _("No book in the catalog matches.") : NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->result_list), books->len > 0);
  for (guint i = 0; i < books->len; i++)
    {
      BiBook *book = g_ptr_array_index (books, i);
      g_autofree char *subtitle = describe_book (book);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *button = gtk_button_new_with_mnemonic (_("_Use"));

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), bi_book_get_title (book));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
      gtk_widget_set_tooltip_text (button, _("This is the book on the spine"));
      g_object_set_data (G_OBJECT (button), "result-index", GUINT_TO_POINTER (i));
      g_signal_connect (button, "clicked", G_CALLBACK (use_clicked_cb), self);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), button);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), button);
      gtk_list_box_append (self->result_list, row);
    }
}

static void
search_changed_cb (BiSpineRow *self)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));

  /* bi_spine_row_search() set the text itself: that search is already running */
  if (g_strcmp0 (trimmed, self->query) == 0)
    return;
  bi_spine_row_search (self, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
search_activated_cb (BiSpineRow *self)
{
  /* Enter takes the best match, once the search has answered */
  if (self->search_cancellable == NULL && self->results != NULL && self->results->len > 0)
    bi_spine_row_pick (self, 0);
}

/* ---- GtkWidget ---- */

static void
bi_spine_row_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (bi_spine_row_parent_class)->map (widget);
  load_crop_when_shown (BI_SPINE_ROW (widget));
}

/* ---- GObject ---- */

static void
bi_spine_row_dispose (GObject *object)
{
  BiSpineRow *self = BI_SPINE_ROW (object);

  g_cancellable_cancel (self->crop_cancellable);
  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->crop_cancellable);
  g_clear_object (&self->search_cancellable);
  g_clear_pointer (&self->results, g_ptr_array_unref);
  g_clear_pointer (&self->query, g_free);
  g_clear_object (&self->spine);
  g_clear_object (&self->scanner);
  g_clear_pointer (&self->kept_queries, g_hash_table_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), BI_TYPE_SPINE_ROW);

  G_OBJECT_CLASS (bi_spine_row_parent_class)->dispose (object);
}

static void
bi_spine_row_class_init (BiSpineRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bi_spine_row_dispose;
  widget_class->map = bi_spine_row_map;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bookimg/BookImg/ui/bi-spine-row.ui");
  gtk_widget_class_bind_template_child (widget_class, BiSpineRow, crop_picture);
  gtk_widget_class_bind_template_child (widget_class, BiSpineRow, place_label);
  gtk_widget_class_bind_template_child (widget_class, BiSpineRow, text_label);
  gtk_widget_class_bind_template_child (widget_class, BiSpineRow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, BiSpineRow, search_message);
  gtk_widget_class_bind_template_child (widget_class, BiSpineRow, result_list);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activated_cb);
}

static void
bi_spine_row_init (BiSpineRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* ---- public API ---- */

/**
 * bi_spine_row_kept_queries_new:
 *
 * Returns: (transfer full): the table the rows of one list share, where the text of a spine's
 *   search waits while no row shows the spine
 */
GHashTable *
bi_spine_row_kept_queries_new (void)
{
  return g_hash_table_new_full (g_direct_hash, g_direct_equal, g_object_unref, g_free);
}

/**
 * bi_spine_row_new:
 * @scanner: where searches go and picks are applied
 * @kept_queries: from bi_spine_row_kept_queries_new(), shared by the rows of one list
 *
 * Returns: (transfer floating): a row showing no spine yet; the unresolved list's factory
 *   binds one with bi_spine_row_set_spine()
 */
GtkWidget *
bi_spine_row_new (BiScanner  *scanner,
                  GHashTable *kept_queries)
{
  BiSpineRow *self;

  g_return_val_if_fail (BI_IS_SCANNER (scanner), NULL);
  g_return_val_if_fail (kept_queries != NULL, NULL);

  self = g_object_new (BI_TYPE_SPINE_ROW, NULL);
  self->scanner = g_object_ref (scanner);
  self->kept_queries = g_hash_table_ref (kept_queries);
  return GTK_WIDGET (self);
}

/**
 * bi_spine_row_set_spine:
 * @self: a row
 * @spine: (nullable): the unresolved spine to show, or %NULL for none
 *
 * Shows @spine: its place, its text and (once the row is on screen) its crop, with an empty
 * search. What the row showed before, its crop and a search still running, are dropped.
 */
void
bi_spine_row_set_spine (BiSpineRow *self,
                        BiBook     *spine)
{
  g_autofree char *place = NULL;
  const char *kept;

  g_return_if_fail (BI_IS_SPINE_ROW (self));
  g_return_if_fail (spine == NULL || BI_IS_BOOK (spine));

  if (self->spine == spine)
    return;
  if (self->spine != NULL)
    keep_query (self);
  g_cancellable_cancel (self->crop_cancellable);
  g_clear_object (&self->crop_cancellable);
  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  gtk_picture_set_paintable (self->crop_picture, NULL);
  clear_results (self);
  show_message (self, NULL);
  /* the entry's search-changed then finds its text already searched for */
  g_free (self->query);
  self->query = g_strdup ("");
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  g_set_object (&self->spine, spine);
  if (spine == NULL)
    return;

  /* Translators: where an unresolved spine is: "<photo name>, spine <n>" */
  place = g_strdup_printf (_("%s, spine %d"), bi_book_get_photo_name (spine),
                           bi_book_get_position (spine) + 1);
  gtk_label_set_label (self->place_label, place);
  gtk_label_set_label (self->text_label, *bi_book_get_evidence_text (spine) != '\0'
                                           ? bi_book_get_evidence_text (spine)
                                           : _("No text could be read from this spine."));
  load_crop_when_shown (self);
  /* what the user typed for this spine before its row went to another one */
  kept = g_hash_table_lookup (self->kept_queries, spine);
  if (kept != NULL)
    bi_spine_row_search (self, kept);
}

BiBook *
bi_spine_row_get_spine (BiSpineRow *self)
{
  g_return_val_if_fail (BI_IS_SPINE_ROW (self), NULL);
  return self->spine;
}

/**
 * bi_spine_row_get_crop:
 * @self: a row
 *
 * Returns: (transfer none) (nullable): the spine's crop, once decoded
 */
GdkPaintable *
bi_spine_row_get_crop (BiSpineRow *self)
{
  g_return_val_if_fail (BI_IS_SPINE_ROW (self), NULL);
  return gtk_picture_get_paintable (self->crop_picture);
}

void
bi_spine_row_search (BiSpineRow *self,
                     const char *query)
{
  g_autofree char *trimmed = NULL;

  g_return_if_fail (BI_IS_SPINE_ROW (self));
  g_return_if_fail (query != NULL);
  g_return_if_fail (self->spine != NULL);

  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->search_entry)), query) != 0)
    {
      /* the entry's own search-changed comes back here with the same text */
      gtk_editable_set_text (GTK_EDITABLE (self->search_entry), query);
    }

  g_cancellable_cancel (self->search_cancellable);
  g_clear_object (&self->search_cancellable);
  trimmed = g_strstrip (g_strdup (query));
  g_free (self->query);
  self->query = g_strdup (trimmed);
  if (g_utf8_strlen (trimmed, -1) < MIN_QUERY_LENGTH)
    {
      show_message (self, NULL);
      return;
    }
  self->search_cancellable = g_cancellable_new ();
  bi_scanner_search_catalog_async (self->scanner, trimmed, self->search_cancellable,
                                   searched_cb, g_object_ref (self));
}

guint
bi_spine_row_get_n_results (BiSpineRow *self)
{
  g_return_val_if_fail (BI_IS_SPINE_ROW (self), 0);
  return self->results != NULL ? self->results->len : 0;
}

void
bi_spine_row_pick (BiSpineRow *self,
                   guint       index)
{
  g_autoptr(BiSpineRow) alive = NULL;
  g_autoptr(BiBook) spine = NULL;
  g_autoptr(BiBook) book = NULL;

  g_return_if_fail (BI_IS_SPINE_ROW (self));
  g_return_if_fail (self->spine != NULL);
  g_return_if_fail (self->results != NULL && index < self->results->len);

  /* resolving removes the spine from the model: the list unbinds this row (dropping its
   * results) or binds it to the next spine */
  alive = g_object_ref (self);
  spine = g_object_ref (self->spine);
  book = g_object_ref (g_ptr_array_index (self->results, index));
  /* resolved: nothing to keep when the row leaves it */
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  bi_scanner_resolve_spine (self->scanner, spine, book);
}
