/* bi-scan-session.h — scans a batch of photos, a few jobs at a time
 *
 * For each photo: check it is an image, subscribe its job id FIRST and wait for "subscribed"
 * (so no push of the job can be missed), then ask for an upload URL and PUT the photo; the
 * pushes then move the job along until it completes or fails. At most max-parallel-jobs jobs
 * are between their start and their end at any time. The run finishes when every job is
 * terminal; a job's failure is recorded on the job and does not fail the run.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bi-push-channel.h"
#include "bi-scan-job.h"
#include "bi-server-connection.h"

#include <gio/gio.h>

G_BEGIN_DECLS

#define BI_SCAN_SESSION_DEFAULT_PARALLEL_JOBS 4
#define BI_SCAN_SESSION_MAX_PARALLEL_JOBS 64

#define BI_TYPE_SCAN_SESSION (bi_scan_session_get_type ())
G_DECLARE_FINAL_TYPE (BiScanSession, bi_scan_session, BI, SCAN_SESSION, GObject)

/* @max_parallel_jobs: 1 to BI_SCAN_SESSION_MAX_PARALLEL_JOBS. */
BiScanSession *bi_scan_session_new         (BiServerConnection   *connection,
                                            guint                 max_parallel_jobs);

/* Queues a photo; may be called while running. */
BiScanJob     *bi_scan_session_add_photo   (BiScanSession        *self,
                                            const char           *photo_path);
/* The jobs, a GListModel of BiScanJob in the order they were added. */
GListModel    *bi_scan_session_get_jobs    (BiScanSession        *self);
/* The WebSocket channel, e.g. to tune its timeouts or follow reconnects. */
BiPushChannel *bi_scan_session_get_channel (BiScanSession        *self);

/* Connects, runs every queued job, and completes when all jobs are terminal. Fails only when
 * the server cannot be reached or the connection is lost for good (then every unfinished job
 * has failed with the same error), or when cancelled. */
void           bi_scan_session_run_async   (BiScanSession        *self,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
gboolean       bi_scan_session_run_finish  (BiScanSession        *self,
                                            GAsyncResult         *result,
                                            GError              **error);

G_END_DECLS
