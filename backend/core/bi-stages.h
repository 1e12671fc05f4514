/* bi-stages.h — the pipeline stages: plain functions from one message to the next
 *
 * Each stage parses and validates its input message, does its work through the ports, stores
 * its output under `<jobId>/<stage>.json` in the results bucket (so a redelivered message
 * produces the same output: stages are idempotent) and sends the next message. A stage never
 * checks which mode it runs in. Progress messages are the host's business, not the stage's.
 *
 * Messages (JSON text):
 *
 *   upload-events  S3 ObjectCreated notification:
 *                  {"Records":[{"eventSource":"aws:s3","eventName":"ObjectCreated:Put",
 *                    "s3":{"bucket":{"name":…},"object":{"key":"<url-encoded key>","size":n}}}]}
 *   ocr            {"jobId","key","bucket":"uploads","size"}
 *   candidates     {"jobId","key","image":{"width","height"},
 *                   "lines":[{"text","confidence","bbox":[x,y,w,h],"angle"}],"timings":{…}}
 *   validation     {"jobId","key","image":{…},
 *                   "candidates":[{"text","title","author","bbox","position","angle",
 *                                  "confidence"}],"timings":{…}}
 *   topic          the final results of ARCHITECTURE.md ("status":"complete"), also stored as
 *                  `<jobId>/final-results.json`; or a failure:
 *                  {"jobId","status":"failed","error":{"stage","code","message"},"timestamp"}
 *
 * Errors: BI_STAGE_ERROR_PERMANENT means retrying cannot help (bad message, undecodable
 * photo): the host dead-letters the message at once and the job fails. Any other error is
 * transient: the host redelivers after the visibility timeout, up to maxReceiveCount.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bi-ports.h"

G_BEGIN_DECLS

#define BI_STAGE_ERROR (bi_stage_error_quark ())

typedef enum
{
  BI_STAGE_ERROR_PERMANENT,
  BI_STAGE_ERROR_TRANSIENT,
} BiStageError;

GQuark   bi_stage_error_quark (void);

/* upload-events → ocr. An event may carry several records; each becomes one OCR message. */
gboolean bi_stage_upload_handler (const char    *message,
                                  BiStagePorts  *ports,
                                  GError       **error);
/* The upload-events message S3 sends when @key (@size bytes) lands in the uploads bucket: the
 * fields the upload handler reads, and those a reader of the queue would expect, with the key
 * encoded as S3 encodes event keys. For whoever plays S3's part (the local server, benches). */
char    *bi_stage_upload_event_new (const char *key,
                                    gsize       size);

/* ocr → candidates */
gboolean bi_stage_ocr            (const char    *message,
                                  BiStagePorts  *ports,
                                  GError       **error);

/* candidates → validation */
gboolean bi_stage_candidates     (const char    *message,
                                  BiStagePorts  *ports,
                                  GError       **error);

/* validation → final-results.json + topic */
gboolean bi_stage_validator      (const char    *message,
                                  BiStagePorts  *ports,
                                  GError       **error);

/* The job id a stage message (of any queue above) is about, or NULL when it names none
 * (used by hosts to report progress and failures). */
char    *bi_stage_message_job_id (const char    *queue_name,
                                  const char    *message);

/* The topic message for a job that failed in @stage ("uploaded", "ocr", …). */
char    *bi_stage_failure_new    (const char    *job_id,
                                  const char    *stage,
                                  const char    *code,
                                  const char    *error_message);

G_END_DECLS
