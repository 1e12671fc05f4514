/* bi-push-channel.h — the WebSocket that watches jobs and survives drops
 *
 * Subscribes jobs and emits ::push for each new server push (duplicates and stale ones are
 * dropped by per-job seq). Sends {"action":"ping"} every ping-interval (API Gateway closes a
 * connection idle for 10 minutes) and treats a request left unanswered for reply-timeout as a
 * dead connection, because libsoup 3.2 does not time out pongs. When the connection drops it
 * reconnects with exponential backoff plus jitter, subscribes again every job not yet
 * terminal, and also asks GET /results/<jobId> for each of them: whichever answer comes first
 * is taken, the other is dropped as a duplicate. After max-reconnect-attempts failed attempts
 * in a row it gives up and emits ::failed. A processingComplete whose results say
 * "resultsTruncated": true (API Gateway's 128 KB message limit: no books) is not emitted as
 * it is: the whole document is fetched with GET /results/<jobId> and emitted instead (seq 0),
 * or, if that fails, the truncated one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bi-server-connection.h"

#include <gio/gio.h>

G_BEGIN_DECLS

#define BI_TYPE_PUSH_CHANNEL (bi_push_channel_get_type ())
G_DECLARE_FINAL_TYPE (BiPushChannel, bi_push_channel, BI, PUSH_CHANNEL, GObject)

/* Signals:
 *   ::push (const BiServerMessage *message) — jobProgress, processingComplete or
 *     processingFailed of a subscribed job, each taken once; a terminal one found by the
 *     GET /results fallback has seq 0. After a terminal push the job is no longer watched.
 *   ::connection-lost () — the WebSocket dropped; reconnecting.
 *   ::reconnected () — connected again and the jobs resubscribed.
 *   ::failed (const GError *error) — gave up reconnecting; the channel is closed.
 * Properties (milliseconds unless said otherwise): connected, ping-interval, reply-timeout,
 * reconnect-initial-delay, reconnect-max-delay, max-reconnect-attempts (a count). */

BiPushChannel *bi_push_channel_new              (BiServerConnection   *connection);

/* Opens the WebSocket for the first time. Fails at once when the server is unreachable. */
void           bi_push_channel_connect_async    (BiPushChannel        *self,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean       bi_push_channel_connect_finish   (BiPushChannel        *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

/* Subscribes @job_id and completes when the server answers "subscribed" (across reconnects).
 * From then on the job is watched until its terminal push or bi_push_channel_unsubscribe(). */
void           bi_push_channel_subscribe_async  (BiPushChannel        *self,
                                                 const char           *job_id,
                                                 GCancellable         *cancellable,
                                                 GAsyncReadyCallback   callback,
                                                 gpointer              user_data);
gboolean       bi_push_channel_subscribe_finish (BiPushChannel        *self,
                                                 GAsyncResult         *result,
                                                 GError              **error);

/* Stops watching @job_id (and tells the server, when connected). */
void           bi_push_channel_unsubscribe      (BiPushChannel        *self,
                                                 const char           *job_id);

gboolean       bi_push_channel_get_connected    (BiPushChannel        *self);

void           bi_push_channel_set_ping_interval             (BiPushChannel *self,
                                                              guint          milliseconds);
void           bi_push_channel_set_reply_timeout             (BiPushChannel *self,
                                                              guint          milliseconds);
void           bi_push_channel_set_reconnect_delays          (BiPushChannel *self,
                                                              guint          initial_ms,
                                                              guint          max_ms);
void           bi_push_channel_set_max_reconnect_attempts    (BiPushChannel *self,
                                                              guint          attempts);

/* Closes the WebSocket and stops reconnecting; pending subscribes fail with G_IO_ERROR_CLOSED. */
void           bi_push_channel_close            (BiPushChannel        *self);

G_END_DECLS
