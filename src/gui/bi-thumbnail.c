/* bi-thumbnail.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-thumbnail"

#include "config.h"

#include "bi-thumbnail.h"

struct _BiThumbnail
{
  GtkWidget     parent_instance;

  GdkPaintable *paintable;  /* NULL: nothing drawn */
};

G_DEFINE_FINAL_TYPE (BiThumbnail, bi_thumbnail, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_PAINTABLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- GtkWidget ---- */

static void
bi_thumbnail_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  BiThumbnail *self = BI_THUMBNAIL (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  double ratio;
  double drawn_width;
  double drawn_height;

  if (self->paintable == NULL || width <= 0 || height <= 0)
    return;

  /* cover: the shorter side fills the widget, the longer one is cut (overflow is hidden,
   * with the CSS corners) */
  ratio = gdk_paintable_get_intrinsic_aspect_ratio (self->paintable);
  if (ratio <= 0)
    ratio = width / height;
  drawn_width = width;
  drawn_height = width / ratio;
  if (drawn_height < height)
    {
      drawn_height = height;
      drawn_width = height * ratio;
    }
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((float) ((width - drawn_width) / 2),
                                                          (float) ((height - drawn_height) / 2)));
  gdk_paintable_snapshot (self->paintable, snapshot, drawn_width, drawn_height);
  gtk_snapshot_restore (snapshot);
}

/* ---- GObject ---- */

static void
bi_thumbnail_dispose (GObject *object)
{
  BiThumbnail *self = BI_THUMBNAIL (object);

  if (self->paintable != NULL)
    g_signal_handlers_disconnect_by_data (self->paintable, self);
  g_clear_object (&self->paintable);

  G_OBJECT_CLASS (bi_thumbnail_parent_class)->dispose (object);
}

static void
bi_thumbnail_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  BiThumbnail *self = BI_THUMBNAIL (object);

  switch (prop_id)
    {
    case PROP_PAINTABLE:
      g_value_set_object (value, self->paintable);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bi_thumbnail_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  BiThumbnail *self = BI_THUMBNAIL (object);

  switch (prop_id)
    {
    case PROP_PAINTABLE:
      bi_thumbnail_set_paintable (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bi_thumbnail_class_init (BiThumbnailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bi_thumbnail_dispose;
  object_class->get_property = bi_thumbnail_get_property;
  object_class->set_property = bi_thumbnail_set_property;
  widget_class->snapshot = bi_thumbnail_snapshot;

  properties[PROP_PAINTABLE] =
    g_param_spec_object ("paintable", NULL, NULL, GDK_TYPE_PAINTABLE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "picture");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
bi_thumbnail_init (BiThumbnail *self)
{
  gtk_widget_set_overflow (GTK_WIDGET (self), GTK_OVERFLOW_HIDDEN);
}

/* ---- public API ---- */

GtkWidget *
bi_thumbnail_new (void)
{
  return g_object_new (BI_TYPE_THUMBNAIL, NULL);
}

GdkPaintable *
bi_thumbnail_get_paintable (BiThumbnail *self)
{
  g_return_val_if_fail (BI_IS_THUMBNAIL (self), NULL);
  return self->paintable;
}

void
bi_thumbnail_set_paintable (BiThumbnail  *self,
                            GdkPaintable *paintable)
{
  g_return_if_fail (BI_IS_THUMBNAIL (self));
  g_return_if_fail (paintable == NULL || GDK_IS_PAINTABLE (paintable));

  if (self->paintable == paintable)
    return;
  if (self->paintable != NULL)
    g_signal_handlers_disconnect_by_data (self->paintable, self);
  g_set_object (&self->paintable, paintable);
  /* an animated or changing paintable redraws; its size never matters here */
  if (paintable != NULL)
    g_signal_connect_swapped (paintable, "invalidate-contents",
                              G_CALLBACK (gtk_widget_queue_draw), self);
  /* only a redraw: the size is the widget's size request */
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PAINTABLE]);
}
