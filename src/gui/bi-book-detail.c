/* bi-book-detail.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-book-detail"

#include "config.h"

#include "bi-book-detail.h"

#include <glib/gi18n.h>

#include "bi-image-loader.h"

/* Longer side of the crop, in pixels: enough for a sharp spine on a HiDPI screen. */
#define CROP_SIZE 1024

struct _BiBookDetail
{
  GtkBox        parent_instance;

  BiBook       *book;
  GCancellable *crop_cancellable; /* the crop being cut for book */

  /* template */
  GtkStack     *stack;
  GtkStack     *crop_stack;
  GtkPicture   *crop_picture;
  GtkLabel     *crop_message;
  GtkLabel     *title_label;
  GtkLabel     *authors_label;
  GtkLabel     *details_label;
  GtkLabel     *evidence_label;
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
show_book (BiBookDetail *self)
{
  g_autoptr(GString) details = g_string_new (NULL);
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

  gtk_label_set_label (self->title_label, bi_book_get_title (self->book));
  gtk_label_set_label (self->authors_label, bi_book_get_authors (self->book));
  gtk_widget_set_visible (GTK_WIDGET (self->authors_label),
                          *bi_book_get_authors (self->book) != '\0');

  if (bi_book_get_year (self->book) > 0)
    g_string_append_printf (details, "%d", bi_book_get_year (self->book));
  if (*bi_book_get_isbn13 (self->book) != '\0')
    g_string_append_printf (details, "%s%s %s", details->len > 0 ? " · " : "",
                            _("ISBN"), bi_book_get_isbn13 (self->book));
  /* Translators: where a book was found: "<photo name>, spine <n>" */
  g_string_append_printf (details, "%s", details->len > 0 ? "\n" : "");
  g_string_append_printf (details, _("%s, spine %d"), bi_book_get_photo_name (self->book),
                          bi_book_get_position (self->book) + 1);
  gtk_label_set_label (self->details_label, details->str);

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
                            self->crop_cancellable, crop_loaded_cb, g_object_ref (self));
}

/* ---- GObject ---- */

static void
bi_book_detail_dispose (GObject *object)
{
  BiBookDetail *self = BI_BOOK_DETAIL (object);

  g_cancellable_cancel (self->crop_cancellable);
  g_clear_object (&self->crop_cancellable);
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
  gtk_widget_class_bind_template_child (widget_class, BiBookDetail, crop_stack);
  gtk_widget_class_bind_template_child (widget_class, BiBookDetail, crop_picture);
  gtk_widget_class_bind_template_child (widget_class, BiBookDetail, crop_message);
  gtk_widget_class_bind_template_child (widget_class, BiBookDetail, title_label);
  gtk_widget_class_bind_template_child (widget_class, BiBookDetail, authors_label);
  gtk_widget_class_bind_template_child (widget_class, BiBookDetail, details_label);
  gtk_widget_class_bind_template_child (widget_class, BiBookDetail, evidence_label);
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

  if (!g_set_object (&self->book, book))
    return;
  show_book (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BOOK]);
}

GdkPaintable *
bi_book_detail_get_crop (BiBookDetail *self)
{
  g_return_val_if_fail (BI_IS_BOOK_DETAIL (self), NULL);
  return gtk_picture_get_paintable (self->crop_picture);
}
