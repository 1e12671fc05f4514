/* bi-stage-host.h — runs the pipeline stages on worker threads over the SQLite queues
 *
 * Each stage gets its queue and N worker threads. A worker receives a message, reports
 * "started", runs the stage function, reports "finished" and deletes the message. A failed
 * message is retried with backoff; a permanent failure, or one past max_receive_count, is
 * dead-lettered and the job's failure is published to the topic (so the job ends with
 * processingFailed naming the stage — never silently).
 *
 * What a stage sends or publishes is held back until it returns successfully and is handed to
 * the queue after "finished" was reported: a failed attempt sends nothing, and progress
 * reaches clients in pipeline order (one stage finishes before the next starts).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bi-ports.h"
#include "bi-protocol-messages.h"
#include "bi-sqlite-queue.h"

G_BEGIN_DECLS

typedef gboolean (*BiStageFunc) (const char    *message,
                                 BiStagePorts  *ports,
                                 GError       **error);

/* Called on worker threads; marshal to your own thread if needed. */
typedef void (*BiStageProgressFunc) (const char *job_id,
                                     BiStage     stage,
                                     gboolean    finished,
                                     gpointer    user_data);

/* Makes the ports one worker uses (called on that worker's thread, so a worker can own a
 * non-thread-safe OCR engine); freed with the matching free function when the worker ends. */
typedef BiStagePorts *(*BiStagePortsNewFunc)  (gpointer      user_data,
                                               GError      **error);
typedef void          (*BiStagePortsFreeFunc) (BiStagePorts *ports,
                                               gpointer      user_data);

typedef struct _BiStageHost BiStageHost;

BiStageHost *bi_stage_host_new            (BiSqliteQueue        *queue,
                                           BiStageProgressFunc   progress,
                                           gpointer              progress_data);
void         bi_stage_host_free           (BiStageHost          *self);

void         bi_stage_host_add_stage      (BiStageHost          *self,
                                           const char           *queue_name,
                                           BiStage               stage,
                                           BiStageFunc           func,
                                           guint                 n_workers,
                                           BiStagePortsNewFunc   ports_new,
                                           BiStagePortsFreeFunc  ports_free,
                                           gpointer              ports_data);

void         bi_stage_host_start          (BiStageHost          *self);
/* Closes the queue for receiving and joins the workers (a stage in progress finishes). */
void         bi_stage_host_stop           (BiStageHost          *self);

/* Tests of crash recovery: workers of @queue_name receive one message, report "started" and
 * then hold it without processing until bi_stage_host_stop(): the message stays in flight, as
 * when the process is killed in the middle of that stage. */
void         bi_stage_host_hold_stage     (BiStageHost          *self,
                                           const char           *queue_name);

/* Appends Prometheus text: per-stage processed/failed/dead-lettered counters and latency
 * histograms (label stage="ocr" …). Queue depths are not written here: see
 * bi_metrics_write_queue_depths(). */
void         bi_stage_host_write_metrics  (BiStageHost          *self,
                                           GString              *out);

G_END_DECLS
