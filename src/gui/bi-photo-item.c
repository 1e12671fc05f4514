/* bi-photo-item.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-photo-item"

#include "config.h"

#include "bi-photo-item.h"

#include <glib/gi18n.h>

struct _BiPhotoItem
{
  GObject         parent_instance;

  char           *job_id;
  char           *photo_path;
  char           *photo_name;    /* display name of photo_path */
  BiScanJobState  state;
  double          fraction;      /* of the upload */
  guint           book_count;
  char           *error_message; /* set when failed */
  GdkPaintable   *thumbnail;
  char           *status_text;   /* cache of bi_photo_item_get_status_text() */
};

G_DEFINE_FINAL_TYPE (BiPhotoItem, bi_photo_item, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_JOB_ID,
  PROP_PHOTO_PATH,
  PROP_PHOTO_NAME,
  PROP_STATE,
  PROP_FRACTION,
  PROP_BOOK_COUNT,
  PROP_ERROR_MESSAGE,
  PROP_THUMBNAIL,
  PROP_STATUS_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
status_changed (BiPhotoItem *self)
{
  g_clear_pointer (&self->status_text, g_free);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_TEXT]);
}

static void
bi_photo_item_finalize (GObject *object)
{
  BiPhotoItem *self = BI_PHOTO_ITEM (object);

  g_free (self->job_id);
  g_free (self->photo_path);
  g_free (self->photo_name);
  g_free (self->error_message);
  g_free (self->status_text);
  g_clear_object (&self->thumbnail);

  G_OBJECT_CLASS (bi_photo_item_parent_class)->finalize (object);
}

static void
bi_photo_item_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  BiPhotoItem *self = BI_PHOTO_ITEM (object);

  switch (prop_id)
    {
    case PROP_JOB_ID:
      g_value_set_string (value, self->job_id);
      break;
    case PROP_PHOTO_PATH:
      g_value_set_string (value, self->photo_path);
      break;
    case PROP_PHOTO_NAME:
      g_value_set_string (value, self->photo_name);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_FRACTION:
      g_value_set_double (value, self->fraction);
      break;
    case PROP_BOOK_COUNT:
      g_value_set_uint (value, self->book_count);
      break;
    case PROP_ERROR_MESSAGE:
      g_value_set_string (value, self->error_message);
      break;
    case PROP_THUMBNAIL:
      g_value_set_object (value, self->thumbnail);
      break;
    case PROP_STATUS_TEXT:
      g_value_set_string (value, bi_photo_item_get_status_text (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bi_photo_item_class_init (BiPhotoItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->finalize = bi_photo_item_finalize;
  object_class->get_property = bi_photo_item_get_property;

  properties[PROP_JOB_ID] = g_param_spec_string ("job-id", NULL, NULL, NULL, flags);
  properties[PROP_PHOTO_PATH] = g_param_spec_string ("photo-path", NULL, NULL, NULL, flags);
  properties[PROP_PHOTO_NAME] = g_param_spec_string ("photo-name", NULL, NULL, NULL, flags);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, BI_TYPE_SCAN_JOB_STATE,
                                              BI_SCAN_JOB_STATE_QUEUED, flags);
  properties[PROP_FRACTION] = g_param_spec_double ("fraction", NULL, NULL, 0.0, 1.0, 0.0, flags);
  properties[PROP_BOOK_COUNT] = g_param_spec_uint ("book-count", NULL, NULL,
                                                   0, G_MAXUINT, 0, flags);
  properties[PROP_ERROR_MESSAGE] = g_param_spec_string ("error-message", NULL, NULL, NULL,
                                                        flags);
  properties[PROP_THUMBNAIL] = g_param_spec_object ("thumbnail", NULL, NULL,
                                                    GDK_TYPE_PAINTABLE, flags);
  properties[PROP_STATUS_TEXT] = g_param_spec_string ("status-text", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bi_photo_item_init (BiPhotoItem *self)
{
}

BiPhotoItem *
bi_photo_item_new (const char *job_id,
                   const char *photo_path)
{
  BiPhotoItem *self;

  g_return_val_if_fail (job_id != NULL, NULL);
  g_return_val_if_fail (photo_path != NULL, NULL);

  self = g_object_new (BI_TYPE_PHOTO_ITEM, NULL);
  self->job_id = g_strdup (job_id);
  self->photo_path = g_strdup (photo_path);
  self->photo_name = g_filename_display_basename (photo_path);
  return self;
}

const char *
bi_photo_item_get_job_id (BiPhotoItem *self)
{
  g_return_val_if_fail (BI_IS_PHOTO_ITEM (self), NULL);
  return self->job_id;
}

void
bi_photo_item_set_job_id (BiPhotoItem *self,
                          const char  *job_id)
{
  g_return_if_fail (BI_IS_PHOTO_ITEM (self));
  g_return_if_fail (job_id != NULL);

  if (g_strcmp0 (self->job_id, job_id) == 0)
    return;
  g_free (self->job_id);
  self->job_id = g_strdup (job_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_JOB_ID]);
}

const char *
bi_photo_item_get_photo_path (BiPhotoItem *self)
{
  g_return_val_if_fail (BI_IS_PHOTO_ITEM (self), NULL);
  return self->photo_path;
}

const char *
bi_photo_item_get_photo_name (BiPhotoItem *self)
{
  g_return_val_if_fail (BI_IS_PHOTO_ITEM (self), NULL);
  return self->photo_name;
}

BiScanJobState
bi_photo_item_get_state (BiPhotoItem *self)
{
  g_return_val_if_fail (BI_IS_PHOTO_ITEM (self), BI_SCAN_JOB_STATE_QUEUED);
  return self->state;
}

void
bi_photo_item_set_state (BiPhotoItem    *self,
                         BiScanJobState  state)
{
  g_return_if_fail (BI_IS_PHOTO_ITEM (self));

  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
  status_changed (self);
}

gboolean
bi_photo_item_is_terminal (BiPhotoItem *self)
{
  g_return_val_if_fail (BI_IS_PHOTO_ITEM (self), FALSE);
  return self->state == BI_SCAN_JOB_STATE_COMPLETE || self->state == BI_SCAN_JOB_STATE_FAILED;
}

double
bi_photo_item_get_fraction (BiPhotoItem *self)
{
  g_return_val_if_fail (BI_IS_PHOTO_ITEM (self), 0.0);
  return self->fraction;
}

void
bi_photo_item_set_fraction (BiPhotoItem *self,
                            double       fraction)
{
  g_return_if_fail (BI_IS_PHOTO_ITEM (self));

  fraction = CLAMP (fraction, 0.0, 1.0);
  if (self->fraction == fraction)
    return;
  self->fraction = fraction;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FRACTION]);
  if (self->state == BI_SCAN_JOB_STATE_UPLOADING)
    status_changed (self);
}

guint
bi_photo_item_get_book_count (BiPhotoItem *self)
{
  g_return_val_if_fail (BI_IS_PHOTO_ITEM (self), 0);
  return self->book_count;
}

void
bi_photo_item_set_book_count (BiPhotoItem *self,
                              guint        book_count)
{
  g_return_if_fail (BI_IS_PHOTO_ITEM (self));

  if (self->book_count == book_count)
    return;
  self->book_count = book_count;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BOOK_COUNT]);
  status_changed (self);
}

const char *
bi_photo_item_get_error_message (BiPhotoItem *self)
{
  g_return_val_if_fail (BI_IS_PHOTO_ITEM (self), NULL);
  return self->error_message;
}

void
bi_photo_item_set_error_message (BiPhotoItem *self,
                                 const char  *message)
{
  g_return_if_fail (BI_IS_PHOTO_ITEM (self));

  if (g_strcmp0 (self->error_message, message) == 0)
    return;
  g_free (self->error_message);
  self->error_message = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR_MESSAGE]);
  status_changed (self);
}

GdkPaintable *
bi_photo_item_get_thumbnail (BiPhotoItem *self)
{
  g_return_val_if_fail (BI_IS_PHOTO_ITEM (self), NULL);
  return self->thumbnail;
}

void
bi_photo_item_set_thumbnail (BiPhotoItem  *self,
                             GdkPaintable *thumbnail)
{
  g_return_if_fail (BI_IS_PHOTO_ITEM (self));

  if (g_set_object (&self->thumbnail, thumbnail))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_THUMBNAIL]);
}

const char *
bi_photo_item_get_status_text (BiPhotoItem *self)
{
  g_return_val_if_fail (BI_IS_PHOTO_ITEM (self), NULL);

  if (self->status_text != NULL)
    return self->status_text;

  switch (self->state)
    {
    case BI_SCAN_JOB_STATE_QUEUED:
      self->status_text = g_strdup (_("Waiting"));
      break;
    case BI_SCAN_JOB_STATE_UPLOADING:
      /* Translators: the upload progress of a photo, e.g. "Uploading 40 %" */
      self->status_text = g_strdup_printf (_("Uploading %d %%"), (int) (self->fraction * 100));
      break;
    case BI_SCAN_JOB_STATE_UPLOADED:
      self->status_text = g_strdup (_("Uploaded"));
      break;
    case BI_SCAN_JOB_STATE_OCR:
      self->status_text = g_strdup (_("Reading the spines"));
      break;
    case BI_SCAN_JOB_STATE_CANDIDATES:
      self->status_text = g_strdup (_("Finding titles"));
      break;
    case BI_SCAN_JOB_STATE_VALIDATION:
      self->status_text = g_strdup (_("Checking the catalog"));
      break;
    case BI_SCAN_JOB_STATE_COMPLETE:
      self->status_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Done — %u book",
                                                        "Done — %u books", self->book_count),
                                           self->book_count);
      break;
    case BI_SCAN_JOB_STATE_FAILED:
    default:
      self->status_text = g_strdup_printf (_("Failed: %s"),
                                           self->error_message != NULL ? self->error_message
                                                                       : _("unknown reason"));
      break;
    }
  return self->status_text;
}

BiScanJobState
bi_photo_item_parse_state (const char *name)
{
  for (int state = BI_SCAN_JOB_STATE_QUEUED; state <= BI_SCAN_JOB_STATE_FAILED; state++)
    if (g_strcmp0 (bi_scan_job_state_to_string (state), name) == 0)
      return state;
  return BI_SCAN_JOB_STATE_QUEUED;
}
