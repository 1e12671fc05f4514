/* bi-job-row.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-job-row"

#include "config.h"

#include "bi-job-row.h"

#include <glib/gi18n.h>

#include "bi-thumbnail.h"

struct _BiJobRow
{
  GtkBox          parent_instance;

  BiPhotoItem    *item;
  GSignalGroup   *item_signals;  /* the item's notify handlers, moved with the item */

  /* template */
  BiThumbnail    *thumbnail;
  GtkInscription *name_label;
  GtkInscription *status_label;
  GtkProgressBar *progress_bar;
  GtkButton      *retry_button;
};

G_DEFINE_FINAL_TYPE (BiJobRow, bi_job_row, GTK_TYPE_BOX)

enum
{
  PROP_0,
  PROP_ITEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- helpers ---- */

static void
update (BiJobRow *self)
{
  BiScanJobState state;

  if (self->item == NULL)
    return;

  state = bi_photo_item_get_state (self->item);
  gtk_inscription_set_text (self->name_label, bi_photo_item_get_photo_name (self->item));
  gtk_inscription_set_text (self->status_label, bi_photo_item_get_status_text (self->item));
  bi_thumbnail_set_paintable (self->thumbnail, bi_photo_item_get_thumbnail (self->item));

  gtk_widget_set_visible (GTK_WIDGET (self->progress_bar), !bi_photo_item_is_terminal (self->item));
  /* Upload is the first half of the bar, the pipeline's stages share the second. */
  switch (state)
    {
    case BI_SCAN_JOB_STATE_UPLOADING:
      gtk_progress_bar_set_fraction (self->progress_bar,
                                     0.5 * bi_photo_item_get_fraction (self->item));
      break;
    case BI_SCAN_JOB_STATE_UPLOADED:
      gtk_progress_bar_set_fraction (self->progress_bar, 0.5);
      break;
    case BI_SCAN_JOB_STATE_OCR:
      gtk_progress_bar_set_fraction (self->progress_bar, 0.6);
      break;
    case BI_SCAN_JOB_STATE_CANDIDATES:
      gtk_progress_bar_set_fraction (self->progress_bar, 0.8);
      break;
    case BI_SCAN_JOB_STATE_VALIDATION:
      gtk_progress_bar_set_fraction (self->progress_bar, 0.9);
      break;
    case BI_SCAN_JOB_STATE_QUEUED:
    case BI_SCAN_JOB_STATE_COMPLETE:
    case BI_SCAN_JOB_STATE_FAILED:
    default:
      gtk_progress_bar_set_fraction (self->progress_bar, 0.0);
      break;
    }

  gtk_widget_set_visible (GTK_WIDGET (self->retry_button), state == BI_SCAN_JOB_STATE_FAILED);
  /* The tooltips (error message, photo path) are built in query_tooltip_cb: setting one
   * here would ask the X server where the pointer is on every state change. */
  if (state == BI_SCAN_JOB_STATE_FAILED)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

/* ---- callbacks ---- */

static gboolean
query_tooltip_cb (GtkWidget  *widget,
                  int         x,
                  int         y,
                  gboolean    keyboard_mode,
                  GtkTooltip *tooltip,
                  BiJobRow   *self)
{
  const char *text = NULL;

  if (self->item == NULL)
    return FALSE;
  if (widget == GTK_WIDGET (self->name_label))
    text = bi_photo_item_get_photo_path (self->item);
  else if (bi_photo_item_get_state (self->item) == BI_SCAN_JOB_STATE_FAILED)
    text = bi_photo_item_get_error_message (self->item);
  if (text == NULL || *text == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

static void
item_notify_cb (BiJobRow *self)
{
  update (self);
}

static void
retry_clicked_cb (BiJobRow *self)
{
  if (self->item == NULL)
    return;
  gtk_widget_activate_action (GTK_WIDGET (self), "win.retry", "s",
                              bi_photo_item_get_job_id (self->item));
}

/* ---- GObject ---- */

static void
bi_job_row_dispose (GObject *object)
{
  BiJobRow *self = BI_JOB_ROW (object);

  if (self->item_signals != NULL)
    g_signal_group_set_target (self->item_signals, NULL);
  g_clear_object (&self->item_signals);
  g_clear_object (&self->item);
  gtk_widget_dispose_template (GTK_WIDGET (self), BI_TYPE_JOB_ROW);

  G_OBJECT_CLASS (bi_job_row_parent_class)->dispose (object);
}

static void
bi_job_row_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  BiJobRow *self = BI_JOB_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bi_job_row_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  BiJobRow *self = BI_JOB_ROW (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      bi_job_row_set_item (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bi_job_row_class_init (BiJobRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bi_job_row_dispose;
  object_class->get_property = bi_job_row_get_property;
  object_class->set_property = bi_job_row_set_property;

  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL, BI_TYPE_PHOTO_ITEM,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (BI_TYPE_THUMBNAIL);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bookimg/BookImg/ui/bi-job-row.ui");
  gtk_widget_class_bind_template_child (widget_class, BiJobRow, thumbnail);
  gtk_widget_class_bind_template_child (widget_class, BiJobRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, BiJobRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, BiJobRow, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, BiJobRow, retry_button);
  gtk_widget_class_bind_template_callback (widget_class, retry_clicked_cb);
}

static void
bi_job_row_init (BiJobRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_set_has_tooltip (GTK_WIDGET (self->name_label), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self->status_label), TRUE);
  g_signal_connect (self->name_label, "query-tooltip", G_CALLBACK (query_tooltip_cb), self);
  g_signal_connect (self->status_label, "query-tooltip", G_CALLBACK (query_tooltip_cb), self);

  self->item_signals = g_signal_group_new (BI_TYPE_PHOTO_ITEM);
  g_signal_group_connect_swapped (self->item_signals, "notify", G_CALLBACK (item_notify_cb),
                                  self);
}

/* ---- public API ---- */

GtkWidget *
bi_job_row_new (void)
{
  return g_object_new (BI_TYPE_JOB_ROW, NULL);
}

BiPhotoItem *
bi_job_row_get_item (BiJobRow *self)
{
  g_return_val_if_fail (BI_IS_JOB_ROW (self), NULL);
  return self->item;
}

void
bi_job_row_set_item (BiJobRow    *self,
                     BiPhotoItem *item)
{
  g_return_if_fail (BI_IS_JOB_ROW (self));
  g_return_if_fail (item == NULL || BI_IS_PHOTO_ITEM (item));

  if (!g_set_object (&self->item, item))
    return;
  g_signal_group_set_target (self->item_signals, item);
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}
