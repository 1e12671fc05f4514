/* bi-book-detail.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-book-detail"

#include "config.h"

#include "bi-book-detail.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <string.h>

#include "bi-export-reader.h"
#include "bi-image-loader.h"

/* Longer side of the crop, in pixels: enough for a sharp spine on a HiDPI screen. */
#define CROP_SIZE 1024

struct _BiBookDetail
{
  GtkBox        parent_instance;

  BiBook       *book;
  gulong        changed_id;       /* book's ::changed */
  GCancellable *crop_cancellable; /* the crop being cut for book */

  /* template */
  GtkStack     *stack;
  GtkScrolledWindow *scrolled_window;
  GtkStack     *crop_stack;
  GtkPicture   *crop_picture;
  GtkLabel     *crop_message;
  GtkLabel     *title_label;
  GtkLabel     *authors_label;
  GtkLabel     *details_label;
  GtkLabel     *evidence_label;
  GtkWidget    *review_box;
  GtkLabel     *review_label;
  GtkLabel     *photos_heading;
  GtkLabel     *photos_label;
  AdwEntryRow  *title_row;
  AdwEntryRow  *authors_row;
  AdwEntryRow  *year_row;
  AdwEntryRow  *isbn_row;
  GtkLabel     *error_label;
};

G_DEFINE_FINAL_TYPE (BiBookDetail, bi_book_detail, GTK_TYPE_BOX)

enum
{
  PROP_0,
  PROP_BOOK,
  PROP_CROP,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_SAVE,
  SIGNAL_ACCEPT,
  SIGNAL_REMOVE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* ---- callbacks ---- */

static void
crop_loaded_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(BiBookDetail) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = bi_image_load_crop_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (texture == NULL)
    {
      gtk_label_set_label (self->crop_message, error->message);
      gtk_stack_set_visible_child_name (self->crop_stack, "message");
      return;
    }
  gtk_picture_set_paintable (self->crop_picture, GDK_PAINTABLE (texture));
  gtk_stack_set_visible_child_name (self->crop_stack, "crop");
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CROP]);
}

/* ---- helpers ---- */

static void
append_sighting (GString *text,
                 BiBook  *book)
{
  if (text->len > 0)
    g_string_append_c (text, '\n');
  /* Translators: where a book was found: "<photo name>, spine <n>" */
  g_string_append_printf (text, _("%s, spine %d"), bi_book_get_photo_name (book),
                          bi_book_get_position (book) + 1);
}

/* The labels: what the book is now, where it was seen, whether it needs a look. */
static void
show_fields (BiBookDetail *self)
{
  g_autoptr(GString) details = g_string_new (NULL);
  g_autoptr(GString) photos = g_string_new (NULL);
  GPtrArray *copies = bi_book_get_copies (self->book);
  guint n_photos = bi_book_get_n_photos (self->book);
  g_autofree char *heading = NULL;

  gtk_label_set_label (self->title_label, bi_book_get_title (self->book));
  gtk_label_set_label (self->authors_label, bi_book_get_authors (self->book));
  gtk_widget_set_visible (GTK_WIDGET (self->authors_label),
                          *bi_book_get_authors (self->book) != '\0');

  if (bi_book_get_year (self->book) > 0)
    g_string_append_printf (details, "%d", bi_book_get_year (self->book));
  if (*bi_book_get_isbn13 (self->book) != '\0')
    g_string_append_printf (details, "%s%s %s", details->len > 0 ? " · " : "",
                            _("ISBN"), bi_book_get_isbn13 (self->book));
  if (g_strcmp0 (bi_book_get_source (self->book), "manual") == 0)
    g_string_append_printf (details, "%s%s", details->len > 0 ? " · " : "",
                            _("matched by hand"));
  gtk_label_set_label (self->details_label, details->str);
  gtk_widget_set_visible (GTK_WIDGET (self->details_label), details->len > 0);

  gtk_widget_set_visible (self->review_box, bi_book_needs_review (self->book));
  {
    /* Translators: shown beside Accept for a book the scanner was unsure of */
    g_autofree char *sure = g_strdup_printf (_("Only %d %% sure. Is this the right book?"),
                                             (int) (bi_book_get_confidence (self->book) * 100
                                                    + 0.5));

    gtk_label_set_label (self->review_label, sure);
  }

  append_sighting (photos, self->book);
  for (guint i = 0; i < copies->len; i++)
    append_sighting (photos, g_ptr_array_index (copies, i));
  heading = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Found on %u photo",
                                          "Found on %u photos", n_photos),
                             n_photos);
  gtk_label_set_label (self->photos_heading, heading);
  gtk_label_set_label (self->photos_label, photos->str);
}

static void
fill_entries (BiBookDetail *self)
{
  g_autofree char *authors = g_strjoinv ("; ", (char **) bi_book_get_author_list (self->book));
  g_autofree char *year = bi_book_get_year (self->book) > 0
                            ? g_strdup_printf ("%d", bi_book_get_year (self->book))
                            : g_strdup ("");

  gtk_editable_set_text (GTK_EDITABLE (self->title_row), bi_book_get_title (self->book));
  gtk_editable_set_text (GTK_EDITABLE (self->authors_row), authors);
  gtk_editable_set_text (GTK_EDITABLE (self->year_row), year);
  gtk_editable_set_text (GTK_EDITABLE (self->isbn_row), bi_book_get_isbn13 (self->book));
  gtk_widget_remove_css_class (GTK_WIDGET (self->isbn_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->year_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->title_row), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
}

static void
show_error (BiBookDetail *self,
            AdwEntryRow  *row,
            const char   *message)
{
  gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  gtk_label_set_label (self->error_label, message);
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
  /* brings the field into view and lets the user correct it at once */
  gtk_widget_grab_focus (GTK_WIDGET (row));
}

/* The entries as a review, or NULL (and an inline error) when one is not valid. */
static BiLibraryReview *
read_entries (BiBookDetail *self)
{
  g_autoptr(BiLibraryReview) review = NULL;
  g_autoptr(GString) isbn = g_string_new (NULL);
  g_autoptr(GStrvBuilder) authors = g_strv_builder_new ();
  g_auto(GStrv) parts = NULL;
  g_autofree char *title = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->title_row))));
  g_autofree char *year = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->year_row))));
  guint64 year_value = 0;

  gtk_widget_remove_css_class (GTK_WIDGET (self->title_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->year_row), "error");
  gtk_widget_remove_css_class (GTK_WIDGET (self->isbn_row), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);

  if (*title == '\0')
    {
      show_error (self, self->title_row, _("A book needs a title."));
      return NULL;
    }
  if (*year != '\0'
      && (!g_ascii_string_to_unsigned (year, 10, 1, 9999, &year_value, NULL)))
    {
      show_error (self, self->year_row, _("The year must be a number such as 1965."));
      return NULL;
    }
  /* hyphens and spaces as printed on the book are fine */
  for (const char *c = gtk_editable_get_text (GTK_EDITABLE (self->isbn_row)); *c != '\0'; c++)
    if (*c != '-' && *c != ' ')
      g_string_append_c (isbn, *c);
  if (isbn->len > 0 && !bi_export_isbn13_is_valid (isbn->str))
    {
      show_error (self, self->isbn_row,
                  _("This is not a valid ISBN-13: it needs 13 digits and the right check digit. "
                    "Copy it from the back of the book, or leave it empty."));
      return NULL;
    }

  parts = g_strsplit (gtk_editable_get_text (GTK_EDITABLE (self->authors_row)), ";", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      g_strstrip (parts[i]);
      if (*parts[i] != '\0')
        g_strv_builder_add (authors, parts[i]);
    }

  review = bi_library_review_new (bi_book_get_job_id (self->book),
                                  bi_book_get_position (self->book));
  review->accepted = bi_book_get_accepted (self->book);
  review->title = g_steal_pointer (&title);
  review->authors = g_strv_builder_end (authors);
  review->year = (int) year_value;
  review->isbn13 = g_string_free (g_steal_pointer (&isbn), FALSE);
  return g_steal_pointer (&review);
}

static void
book_changed_cb (BiBookDetail *self)
{
  show_fields (self);
  fill_entries (self);
}

static void
field_changed_cb (BiBookDetail *self)
{
  /* an error stays until the user changes something */
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
}

static void
save_activated_cb (BiBookDetail *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "detail.save", NULL);
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  BiBookDetail *self = BI_BOOK_DETAIL (widget);
  g_autoptr(BiLibraryReview) review = NULL;

  if (self->book == NULL || (review = read_entries (self)) == NULL)
    return;
  g_signal_emit (self, signals[SIGNAL_SAVE], 0, review);
}

static void
accept_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  BiBookDetail *self = BI_BOOK_DETAIL (widget);

  if (self->book != NULL)
    g_signal_emit (self, signals[SIGNAL_ACCEPT], 0);
}

static void
remove_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  BiBookDetail *self = BI_BOOK_DETAIL (widget);

  if (self->book != NULL)
    g_signal_emit (self, signals[SIGNAL_REMOVE], 0);
}

static void
show_book (BiBookDetail *self)
{
  int x, y, width, height;

  g_cancellable_cancel (self->crop_cancellable);
  g_clear_object (&self->crop_cancellable);
  gtk_picture_set_paintable (self->crop_picture, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CROP]);

  if (self->book == NULL)
    {
      gtk_stack_set_visible_child_name (self->stack, "empty");
      return;
    }

  show_fields (self);
  fill_entries (self);
  /* a new book starts at its spine, whatever was scrolled to for the last one */
  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (self->scrolled_window), 0.0);

  if (*bi_book_get_evidence_text (self->book) != '\0')
    gtk_label_set_label (self->evidence_label, bi_book_get_evidence_text (self->book));
  else
    gtk_label_set_label (self->evidence_label, _("No text was kept for this book."));

  gtk_stack_set_visible_child_name (self->stack, "book");

  if (!bi_book_get_bbox (self->book, &x, &y, &width, &height))
    {
      gtk_label_set_label (self->crop_message, _("The scanner did not say where this spine is."));
      gtk_stack_set_visible_child_name (self->crop_stack, "message");
      return;
    }

  gtk_stack_set_visible_child_name (self->crop_stack, "loading");
  self->crop_cancellable = g_cancellable_new ();
  bi_image_load_crop_async (bi_book_get_photo_path (self->book), x, y, width, height, CROP_SIZE,
                            BI_IMAGE_LOAD_NOW, self->crop_cancellable, crop_loaded_cb,
                            g_object_ref (self));
}

/* ---- GObject ---- */

static void
bi_book_detail_dispose (GObject *object)
{
  BiBookDetail *self = BI_BOOK_DETAIL (object);

  g_cancellable_cancel (self->crop_cancellable);
  g_clear_object (&self->crop_cancellable);
  g_clear_signal_handler (&self->changed_id, self->book);
  g_clear_object (&self->book);
  gtk_widget_dispose_template (GTK_WIDGET (self), BI_TYPE_BOOK_DETAIL);

  G_OBJECT_CLASS (bi_book_detail_parent_class)->dispose (object);
}

static void
bi_book_detail_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  BiBookDetail *self = BI_BOOK_DETAIL (object);

  switch (prop_id)
    {
    case PROP_BOOK:
      g_value_set_object (value, self->book);
      break;
    case PROP_CROP:
      g_value_set_object (value, bi_book_detail_get_crop (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bi_book_detail_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  BiBookDetail *self = BI_BOOK_DETAIL (object);

  switch (prop_id)
    {
    case PROP_BOOK:
      bi_book_detail_set_book (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bi_book_detail_class_init (BiBookDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bi_book_detail_dispose;
  object_class->get_property = bi_book_detail_get_property;
  object_class->set_property = bi_book_detail_set_property;

  properties[PROP_BOOK] =
    g_param_spec_object ("book", NULL, NULL, BI_TYPE_BOOK,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CROP] =
    g_param_spec_object ("crop", NULL, NULL, GDK_TYPE_PAINTABLE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bookimg/BookImg/ui/bi-book-detail.ui");
  gtk_widget_class_bind_template_child (widget_class, BiBookDetail, stack);
  gtk_widget_class_bind_template_child (widget_class, BiBookDetail, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, BiBookDetail, crop_stack);
  gtk_widget_class_bind_template_child (widget_class, BiBookDetail, crop_picture);
  gtk_widget_class_bind_template_child (widget_class, BiBookDetail, crop_message);
  gtk_widget_class_bind_template_child (widget_class, BiBookDetail, title_label);
  gtk_widget_class_bind_template_child (widget_class, BiBookDetail, authors_label);
  gtk_widget_class_bind_template_child (widget_class, BiBookDetail, details_label);
  gtk_widget_class_bind_template_child (widget_class, BiBookDetail, evidence_label);
  gtk_widget_class_bind_template_child (widget_class, BiBookDetail, review_box);
  gtk_widget_class_bind_template_child (widget_class, BiBookDetail, review_label);
  gtk_widget_class_bind_template_child (widget_class, BiBookDetail, photos_heading);
  gtk_widget_class_bind_template_child (widget_class, BiBookDetail, photos_label);
  gtk_widget_class_bind_template_child (widget_class, BiBookDetail, title_row);
  gtk_widget_class_bind_template_child (widget_class, BiBookDetail, authors_row);
  gtk_widget_class_bind_template_child (widget_class, BiBookDetail, year_row);
  gtk_widget_class_bind_template_child (widget_class, BiBookDetail, isbn_row);
  gtk_widget_class_bind_template_child (widget_class, BiBookDetail, error_label);
  gtk_widget_class_bind_template_callback (widget_class, field_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, save_activated_cb);

  gtk_widget_class_install_action (widget_class, "detail.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "detail.accept", NULL, accept_action);
  gtk_widget_class_install_action (widget_class, "detail.remove", NULL, remove_action);

  /* ::save (BiLibraryReview *edits) — the user saved valid fields; ::accept — the user
   * confirmed a low-confidence book; ::remove — the user took a wrong book out. */
  signals[SIGNAL_SAVE] = g_signal_new ("save", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[SIGNAL_ACCEPT] = g_signal_new ("accept", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 0);
  signals[SIGNAL_REMOVE] = g_signal_new ("remove", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 0);
}

static void
bi_book_detail_init (BiBookDetail *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

/* ---- public API ---- */

BiBook *
bi_book_detail_get_book (BiBookDetail *self)
{
  g_return_val_if_fail (BI_IS_BOOK_DETAIL (self), NULL);
  return self->book;
}

void
bi_book_detail_set_book (BiBookDetail *self,
                         BiBook       *book)
{
  g_return_if_fail (BI_IS_BOOK_DETAIL (self));
  g_return_if_fail (book == NULL || BI_IS_BOOK (book));

  if (self->book == book)
    return;
  g_clear_signal_handler (&self->changed_id, self->book);
  g_set_object (&self->book, book);
  if (book != NULL)
    self->changed_id = g_signal_connect_swapped (book, "changed", G_CALLBACK (book_changed_cb),
                                                 self);
  show_book (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BOOK]);
}

GdkPaintable *
bi_book_detail_get_crop (BiBookDetail *self)
{
  g_return_val_if_fail (BI_IS_BOOK_DETAIL (self), NULL);
  return gtk_picture_get_paintable (self->crop_picture);
}

GtkEditable *
bi_book_detail_get_field (BiBookDetail *self,
                          const char   *name)
{
  g_return_val_if_fail (BI_IS_BOOK_DETAIL (self), NULL);

  if (g_str_equal (name, "title"))
    return GTK_EDITABLE (self->title_row);
  if (g_str_equal (name, "authors"))
    return GTK_EDITABLE (self->authors_row);
  if (g_str_equal (name, "year"))
    return GTK_EDITABLE (self->year_row);
  if (g_str_equal (name, "isbn13"))
    return GTK_EDITABLE (self->isbn_row);
  g_return_val_if_reached (NULL);
}

const char *
bi_book_detail_get_error (BiBookDetail *self)
{
  g_return_val_if_fail (BI_IS_BOOK_DETAIL (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->error_label))
           ? gtk_label_get_label (self->error_label) : NULL;
}
