/* bi-notifier.h — progress and final results, stored and then pushed to subscribed connections
 *
 * The embedded equivalent of the sns-notifier Lambda. Two sources feed it:
 *  - progress from the stage host's worker threads, marshalled to the main context, where the
 *    job store gives it the job's next seq and it is pushed as jobProgress;
 *  - the topic (queue BI_QUEUE_NOTIFICATIONS), read by a thread of its own: each final result
 *    is stored in the job store on the main context, pushed as processingComplete or
 *    processingFailed, and only then acknowledged. A redelivered or duplicate topic message
 *    re-pushes the stored message with its original seq; clients drop the duplicate.
 * A failed job's topic message is also stored as `<jobId>/final-results.json` in the results
 * bucket when none is there, so GET /results answers every finished job from one place.
 *
 * Pushes to a connection that is gone delete its subscription row, as a 410 from API
 * Gateway's `@connections` does in AWS mode.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "bi-connection-manager.h"
#include "bi-job-store.h"
#include "bi-metrics.h"
#include "bi-ports.h"
#include "bi-sqlite-queue.h"
#include "bi-subscription-store.h"
#include "bi-topic-message.h"

G_BEGIN_DECLS

#define BI_RESULTS_DOCUMENT_NAME "final-results.json"

typedef struct _BiNotifier BiNotifier;

/* Everything is borrowed and must outlive the notifier. @results_store is the blob store
 * holding the results bucket. Call from the main context: pushes happen on it. */
BiNotifier *bi_notifier_new             (BiSqliteQueue       *queue,
                                         BiBlobStore         *results_store,
                                         BiJobStore          *jobs,
                                         BiSubscriptionStore *subscriptions,
                                         BiConnectionManager *connections,
                                         BiMetrics           *metrics);
/* Starts the thread that consumes the topic. */
void        bi_notifier_start           (BiNotifier          *self);
/* Stops that thread (closing @queue for receiving) and drops work not yet done: what was not
 * acknowledged is redelivered after a restart. */
void        bi_notifier_stop            (BiNotifier          *self);
void        bi_notifier_free            (BiNotifier          *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiNotifier, bi_notifier_free)

/* A BiStageProgressFunc (@user_data is the notifier): callable from any thread. */
void        bi_notifier_report_progress (const char          *job_id,
                                         BiStage              stage,
                                         gboolean             finished,
                                         gpointer             user_data);

/* Sends @text to every connection subscribed to @job_id. Main context only. */
void        bi_notifier_push            (BiNotifier          *self,
                                         const char          *job_id,
                                         const char          *text);

G_END_DECLS
