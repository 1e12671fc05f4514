/* bi-scan-job.h — one photo on its way through the pipeline
 *
 * The model a view shows: the photo, its job id, where it is (queued, uploading n%, uploaded,
 * ocr, candidates, validation, complete, failed), and in the end its final results or its
 * error. The state only moves forward — pushes can overtake the end of an upload — and stops
 * at a terminal state.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef enum
{
  BI_SCAN_JOB_STATE_QUEUED,
  BI_SCAN_JOB_STATE_UPLOADING,
  BI_SCAN_JOB_STATE_UPLOADED,
  BI_SCAN_JOB_STATE_OCR,
  BI_SCAN_JOB_STATE_CANDIDATES,
  BI_SCAN_JOB_STATE_VALIDATION,
  BI_SCAN_JOB_STATE_COMPLETE,
  BI_SCAN_JOB_STATE_FAILED,
} BiScanJobState;

#define BI_TYPE_SCAN_JOB_STATE (bi_scan_job_state_get_type ())
GType       bi_scan_job_state_get_type  (void);
/* "queued", "uploading", …, "failed". */
const char *bi_scan_job_state_to_string (BiScanJobState state);

#define BI_TYPE_SCAN_JOB (bi_scan_job_get_type ())
G_DECLARE_FINAL_TYPE (BiScanJob, bi_scan_job, BI, SCAN_JOB, GObject)

/* A new queued job for the photo at @photo_path, with a fresh job id. */
BiScanJob      *bi_scan_job_new               (const char     *photo_path);

const char     *bi_scan_job_get_photo_path    (BiScanJob      *self);
/* The photo's file name, for display and exports. */
const char     *bi_scan_job_get_photo_name    (BiScanJob      *self);
const char     *bi_scan_job_get_job_id        (BiScanJob      *self);
BiScanJobState  bi_scan_job_get_state         (BiScanJob      *self);
gboolean        bi_scan_job_is_terminal       (BiScanJob      *self);
goffset         bi_scan_job_get_bytes_sent    (BiScanJob      *self);
goffset         bi_scan_job_get_bytes_total   (BiScanJob      *self);
/* The final results object once complete, else NULL. */
JsonNode       *bi_scan_job_get_results       (BiScanJob      *self);
/* Why the job failed, else NULL. */
const GError   *bi_scan_job_get_error         (BiScanJob      *self);
/* The pipeline stage that failed ("ocr", …), or "upload" for a failure before the pipeline. */
const char     *bi_scan_job_get_failed_stage  (BiScanJob      *self);
/* The machine-readable failure code (the server's, or a bi_client_error_code_name()). */
const char     *bi_scan_job_get_failure_code  (BiScanJob      *self);

/* Moves to @state unless the job is already there, further on, or terminal. */
void            bi_scan_job_advance           (BiScanJob      *self,
                                               BiScanJobState  state);
void            bi_scan_job_set_upload_progress (BiScanJob    *self,
                                                 goffset       bytes_sent,
                                                 goffset       bytes_total);
/* Terminal transitions; ignored once the job is terminal. @results is copied. */
void            bi_scan_job_complete          (BiScanJob      *self,
                                               JsonNode       *results);
void            bi_scan_job_fail              (BiScanJob      *self,
                                               const char     *stage,
                                               const char     *code,
                                               const GError   *error);

G_END_DECLS
