/* bi-metrics.h — the server's own counters, written as Prometheus text for GET /metrics
 *
 * Counters are only touched on the main context (HTTP handlers, WebSocket callbacks and the
 * notifier's pushes all run there), so they need no locking. Gauges that other objects own
 * (open connections, subscriptions, queue depths) are read when the page is written.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "bi-sqlite-queue.h"

G_BEGIN_DECLS

typedef struct _BiMetrics BiMetrics;

BiMetrics *bi_metrics_new                       (void);
void       bi_metrics_free                      (BiMetrics   *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiMetrics, bi_metrics_free)

/* A push to a subscribed connection: delivered to its send queue, or failed (gone/closed). */
void       bi_metrics_count_push                (BiMetrics   *self,
                                                 gboolean     delivered);
/* A connection closed because its send queue passed the limit (1008). */
void       bi_metrics_count_slow_consumer       (BiMetrics   *self);
/* A connection closed because the peer stopped acknowledging data (our pong timeout). */
void       bi_metrics_count_dead_peer           (BiMetrics   *self);
/* A WebSocket frame received; @rejected when it was answered with an error message. */
void       bi_metrics_count_websocket_message   (BiMetrics   *self,
                                                 gboolean     rejected);
/* One HTTP request answered. @route is the route pattern ("/results/{jobId}"), never the raw
 * path, so the number of series stays small. */
void       bi_metrics_count_http_request        (BiMetrics   *self,
                                                 const char  *route,
                                                 guint        status);

/* A request the client abandoned before it was answered (e.g. an upload cut short). */
void       bi_metrics_count_http_aborted        (BiMetrics   *self);

/* Appends the counters above. */
void       bi_metrics_write                     (BiMetrics   *self,
                                                 GString     *out);

/* Appends one gauge with its HELP and TYPE lines. */
void       bi_metrics_write_gauge               (GString     *out,
                                                 const char  *name,
                                                 const char  *help,
                                                 double       value);

/* Appends the depth of each queue in @queue_names and of its dead-letter queue. */
void       bi_metrics_write_queue_depths        (GString            *out,
                                                 BiSqliteQueue      *queue,
                                                 const char * const *queue_names);

G_END_DECLS
