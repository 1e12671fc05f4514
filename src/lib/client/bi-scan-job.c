/* bi-scan-job.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-scan-job"

#include "bi-scan-job.h"

#include "bi-job-id.h"

struct _BiScanJob
{
  GObject         parent_instance;

  char           *photo_path;
  char           *photo_name;   /* UTF-8 file name of the photo */
  char           *job_id;
  BiScanJobState  state;
  goffset         bytes_sent;
  goffset         bytes_total;
  JsonNode       *results;      /* final results, once complete */
  GError         *error;        /* once failed */
  char           *failed_stage;
  char           *failure_code;
};

G_DEFINE_FINAL_TYPE (BiScanJob, bi_scan_job, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (BiScanJobState, bi_scan_job_state,
                    G_DEFINE_ENUM_VALUE (BI_SCAN_JOB_STATE_QUEUED, "queued"),
                    G_DEFINE_ENUM_VALUE (BI_SCAN_JOB_STATE_UPLOADING, "uploading"),
                    G_DEFINE_ENUM_VALUE (BI_SCAN_JOB_STATE_UPLOADED, "uploaded"),
                    G_DEFINE_ENUM_VALUE (BI_SCAN_JOB_STATE_OCR, "ocr"),
                    G_DEFINE_ENUM_VALUE (BI_SCAN_JOB_STATE_CANDIDATES, "candidates"),
                    G_DEFINE_ENUM_VALUE (BI_SCAN_JOB_STATE_VALIDATION, "validation"),
                    G_DEFINE_ENUM_VALUE (BI_SCAN_JOB_STATE_COMPLETE, "complete"),
                    G_DEFINE_ENUM_VALUE (BI_SCAN_JOB_STATE_FAILED, "failed"))

enum
{
  PROP_0,
  PROP_PHOTO_PATH,
  PROP_JOB_ID,
  PROP_STATE,
  PROP_BYTES_SENT,
  PROP_BYTES_TOTAL,
  PROP_RESULTS,
  PROP_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

const char *
bi_scan_job_state_to_string (BiScanJobState state)
{
  g_autoptr(GEnumClass) enum_class = g_type_class_ref (BI_TYPE_SCAN_JOB_STATE);
  GEnumValue *value = g_enum_get_value (enum_class, (int) state);

  /* The nicks are static strings, so they outlive the class reference. */
  return value != NULL ? value->value_nick : "unknown";
}

static void
set_state (BiScanJob      *self,
           BiScanJobState  state)
{
  if (self->state == state)
    return;

  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

/* ---- GObject ---- */

static void
bi_scan_job_constructed (GObject *object)
{
  BiScanJob *self = BI_SCAN_JOB (object);

  G_OBJECT_CLASS (bi_scan_job_parent_class)->constructed (object);

  g_assert (self->photo_path != NULL);
  self->photo_name = g_filename_display_basename (self->photo_path);
  if (self->job_id == NULL)
    self->job_id = bi_job_id_new ();
}

static void
bi_scan_job_finalize (GObject *object)
{
  BiScanJob *self = BI_SCAN_JOB (object);

  g_free (self->photo_path);
  g_free (self->photo_name);
  g_free (self->job_id);
  g_clear_pointer (&self->results, json_node_unref);
  g_clear_error (&self->error);
  g_free (self->failed_stage);
  g_free (self->failure_code);

  G_OBJECT_CLASS (bi_scan_job_parent_class)->finalize (object);
}

static void
bi_scan_job_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  BiScanJob *self = BI_SCAN_JOB (object);

  switch (prop_id)
    {
    case PROP_PHOTO_PATH:
      g_value_set_string (value, self->photo_path);
      break;
    case PROP_JOB_ID:
      g_value_set_string (value, self->job_id);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_BYTES_SENT:
      g_value_set_int64 (value, self->bytes_sent);
      break;
    case PROP_BYTES_TOTAL:
      g_value_set_int64 (value, self->bytes_total);
      break;
    case PROP_RESULTS:
      g_value_set_boxed (value, self->results);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, self->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bi_scan_job_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  BiScanJob *self = BI_SCAN_JOB (object);

  switch (prop_id)
    {
    case PROP_PHOTO_PATH:
      self->photo_path = g_value_dup_string (value);
      break;
    case PROP_JOB_ID:
      self->job_id = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bi_scan_job_class_init (BiScanJobClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags read_only = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY
                                | G_PARAM_STATIC_STRINGS;
  const GParamFlags construct_only = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY
                                     | G_PARAM_STATIC_STRINGS;

  object_class->constructed = bi_scan_job_constructed;
  object_class->finalize = bi_scan_job_finalize;
  object_class->get_property = bi_scan_job_get_property;
  object_class->set_property = bi_scan_job_set_property;

  properties[PROP_PHOTO_PATH] = g_param_spec_string ("photo-path", NULL, NULL, NULL,
                                                     construct_only);
  /* NULL makes a fresh id; a given one lets a view restore a job it saved. */
  properties[PROP_JOB_ID] = g_param_spec_string ("job-id", NULL, NULL, NULL, construct_only);
  properties[PROP_STATE] = g_param_spec_enum ("state", NULL, NULL, BI_TYPE_SCAN_JOB_STATE,
                                              BI_SCAN_JOB_STATE_QUEUED, read_only);
  properties[PROP_BYTES_SENT] = g_param_spec_int64 ("bytes-sent", NULL, NULL, 0, G_MAXINT64, 0,
                                                    read_only);
  properties[PROP_BYTES_TOTAL] = g_param_spec_int64 ("bytes-total", NULL, NULL, 0, G_MAXINT64,
                                                     0, read_only);
  properties[PROP_RESULTS] = g_param_spec_boxed ("results", NULL, NULL, JSON_TYPE_NODE,
                                                 read_only);
  properties[PROP_ERROR] = g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR, read_only);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bi_scan_job_init (BiScanJob *self)
{
  self->state = BI_SCAN_JOB_STATE_QUEUED;
}

/* ---- public API ---- */

BiScanJob *
bi_scan_job_new (const char *photo_path)
{
  g_return_val_if_fail (photo_path != NULL, NULL);

  return g_object_new (BI_TYPE_SCAN_JOB, "photo-path", photo_path, NULL);
}

const char *
bi_scan_job_get_photo_path (BiScanJob *self)
{
  g_return_val_if_fail (BI_IS_SCAN_JOB (self), NULL);

  return self->photo_path;
}

const char *
bi_scan_job_get_photo_name (BiScanJob *self)
{
  g_return_val_if_fail (BI_IS_SCAN_JOB (self), NULL);

  return self->photo_name;
}

const char *
bi_scan_job_get_job_id (BiScanJob *self)
{
  g_return_val_if_fail (BI_IS_SCAN_JOB (self), NULL);

  return self->job_id;
}

BiScanJobState
bi_scan_job_get_state (BiScanJob *self)
{
  g_return_val_if_fail (BI_IS_SCAN_JOB (self), BI_SCAN_JOB_STATE_QUEUED);

  return self->state;
}

gboolean
bi_scan_job_is_terminal (BiScanJob *self)
{
  g_return_val_if_fail (BI_IS_SCAN_JOB (self), FALSE);

  return self->state == BI_SCAN_JOB_STATE_COMPLETE || self->state == BI_SCAN_JOB_STATE_FAILED;
}

goffset
bi_scan_job_get_bytes_sent (BiScanJob *self)
{
  g_return_val_if_fail (BI_IS_SCAN_JOB (self), 0);

  return self->bytes_sent;
}

goffset
bi_scan_job_get_bytes_total (BiScanJob *self)
{
  g_return_val_if_fail (BI_IS_SCAN_JOB (self), 0);

  return self->bytes_total;
}

JsonNode *
bi_scan_job_get_results (BiScanJob *self)
{
  g_return_val_if_fail (BI_IS_SCAN_JOB (self), NULL);

  return self->results;
}

const GError *
bi_scan_job_get_error (BiScanJob *self)
{
  g_return_val_if_fail (BI_IS_SCAN_JOB (self), NULL);

  return self->error;
}

const char *
bi_scan_job_get_failed_stage (BiScanJob *self)
{
  g_return_val_if_fail (BI_IS_SCAN_JOB (self), NULL);

  return self->failed_stage;
}

const char *
bi_scan_job_get_failure_code (BiScanJob *self)
{
  g_return_val_if_fail (BI_IS_SCAN_JOB (self), NULL);

  return self->failure_code;
}

void
bi_scan_job_advance (BiScanJob      *self,
                     BiScanJobState  state)
{
  g_return_if_fail (BI_IS_SCAN_JOB (self));
  g_return_if_fail (state < BI_SCAN_JOB_STATE_COMPLETE);

  if (bi_scan_job_is_terminal (self) || state <= self->state)
    return;

  set_state (self, state);
}

void
bi_scan_job_set_upload_progress (BiScanJob *self,
                                 goffset    bytes_sent,
                                 goffset    bytes_total)
{
  g_return_if_fail (BI_IS_SCAN_JOB (self));
  g_return_if_fail (bytes_sent >= 0 && bytes_total >= 0);

  g_object_freeze_notify (G_OBJECT (self));
  if (self->bytes_total != bytes_total)
    {
      self->bytes_total = bytes_total;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_TOTAL]);
    }
  if (self->bytes_sent != bytes_sent)
    {
      self->bytes_sent = bytes_sent;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BYTES_SENT]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

void
bi_scan_job_complete (BiScanJob *self,
                      JsonNode  *results)
{
  g_return_if_fail (BI_IS_SCAN_JOB (self));
  g_return_if_fail (results != NULL);

  if (bi_scan_job_is_terminal (self))
    return;

  self->results = json_node_copy (results);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RESULTS]);
  set_state (self, BI_SCAN_JOB_STATE_COMPLETE);
}

void
bi_scan_job_fail (BiScanJob    *self,
                  const char   *stage,
                  const char   *code,
                  const GError *error)
{
  g_return_if_fail (BI_IS_SCAN_JOB (self));
  g_return_if_fail (error != NULL);

  if (bi_scan_job_is_terminal (self))
    return;

  self->error = g_error_copy (error);
  self->failed_stage = g_strdup (stage);
  self->failure_code = g_strdup (code);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
  set_state (self, BI_SCAN_JOB_STATE_FAILED);
}
