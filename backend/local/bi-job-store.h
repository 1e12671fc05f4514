/* bi-job-store.h — what the embedded server knows about each job: stage, seq, terminal message
 *
 * The terminal message is stored before it is pushed, so a late subscriber is answered from here.
 * `seq` is per job, strictly increasing across restarts. Thread-safe.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "bi-protocol-messages.h"

G_BEGIN_DECLS

typedef enum
{
  BI_JOB_STATE_UNKNOWN,   /* never seen */
  BI_JOB_STATE_PENDING,
  BI_JOB_STATE_COMPLETE,
  BI_JOB_STATE_FAILED,
} BiJobState;

typedef struct _BiJobStore BiJobStore;

BiJobStore *bi_job_store_open           (const char  *path,
                                         GError     **error);
void        bi_job_store_free           (BiJobStore  *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiJobStore, bi_job_store_free)

/* Records a job whose upload was accepted (idempotent). */
gboolean    bi_job_store_create         (BiJobStore  *self,
                                         const char  *job_id,
                                         GError     **error);

/* Records that @job_id reached @stage and returns the jobProgress message with the next seq;
 * NULL (no error) when the job is already terminal (a late redelivery: push nothing). */
char       *bi_job_store_progress       (BiJobStore  *self,
                                         const char  *job_id,
                                         BiStage      stage,
                                         gboolean     finished,
                                         GError     **error);

/* Records the terminal state from a topic message (complete or failed) and returns the
 * processingComplete/processingFailed message with the next seq. When the job was already
 * terminal, returns the stored message unchanged and sets @already_terminal. */
char       *bi_job_store_finish         (BiJobStore  *self,
                                         const char  *job_id,
                                         JsonNode    *topic_message,
                                         gboolean    *already_terminal,
                                         GError     **error);

/* State, current stage name (pending) and stored terminal message (terminal); outputs optional. */
BiJobState  bi_job_store_lookup         (BiJobStore  *self,
                                         const char  *job_id,
                                         char       **stage,
                                         char       **terminal_message,
                                         GError     **error);

G_END_DECLS
