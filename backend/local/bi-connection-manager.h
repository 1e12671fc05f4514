/* bi-connection-manager.h — the WebSocket connections of the embedded server
 *
 * The embedded equivalent of API Gateway's WebSocket API and its connection-manager Lambda:
 * each accepted connection gets a random id, its frames are routed by `action` (subscribe,
 * unsubscribe, ping), and other parts of the server post text to a connection by id, as they
 * would through API Gateway's `@connections` API. Everything runs on the main context.
 *
 * Two things libsoup 3.2 does not do are done here:
 *  - a bounded send queue per connection: libsoup queues without limit, so messages wait in our
 *    own queue and are handed to libsoup only while the socket can take them; a consumer whose
 *    queue passes the limit is closed with 1008 (policy violation) instead of growing memory;
 *  - a pong timeout: libsoup sends keepalive pings but reports no pongs, so the kernel's view
 *    of the TCP connection tells whether the peer still acknowledges what we send
 *    (bi-peer-liveness.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "bi-job-store.h"
#include "bi-metrics.h"
#include "bi-subscription-store.h"

G_BEGIN_DECLS

/* Connection ids: 16 characters of base64url (12 random bytes), like API Gateway's. */
#define BI_CONNECTION_ID_LENGTH 16
/* Messages from clients larger than this are refused with close code 1009 (message too big):
 * actions are a few dozen bytes. We check it ourselves and close with a proper close frame,
 * because libsoup 3.2, when a frame passes its own cap, drops the TCP connection without one.
 * That cap stays as the memory bound for frames beyond ours (they get no 1009, only the drop). */
#define BI_WEBSOCKET_MAX_INCOMING_PAYLOAD (64 * 1024)
#define BI_WEBSOCKET_LIBSOUP_PAYLOAD_CAP  (128 * 1024)

typedef struct
{
  guint keepalive_seconds;    /* interval of WebSocket pings; 0 turns keepalive off */
  guint pong_timeout_seconds; /* close a peer that leaves data unacknowledged this long; 0: never */
  guint send_queue_limit;     /* messages that may wait for a slow consumer before it is closed */
} BiConnectionManagerConfig;

typedef enum
{
  BI_POST_SENT,     /* queued for the connection */
  BI_POST_GONE,     /* no open connection has this id */
  BI_POST_OVERFLOW, /* the connection had fallen behind and was closed with 1008 */
} BiPostResult;

typedef struct
{
  gint64  connected_at;   /* Unix time in milliseconds */
  gint64  last_active_at; /* last frame received or message sent, Unix milliseconds */
  char   *source_ip;
} BiConnectionInfo;

void bi_connection_info_clear (BiConnectionInfo *info);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BiConnectionInfo, bi_connection_info_clear)

typedef struct _BiConnectionManager BiConnectionManager;

/* The stores and metrics are borrowed: they must outlive the manager. */
BiConnectionManager *bi_connection_manager_new        (BiSubscriptionStore             *subscriptions,
                                                       BiJobStore                      *jobs,
                                                       BiMetrics                       *metrics,
                                                       const BiConnectionManagerConfig *config);
/* Closes every connection (1001, going away). */
void                 bi_connection_manager_free       (BiConnectionManager *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiConnectionManager, bi_connection_manager_free)

/* Takes over a connection that has just completed its handshake. @socket is its TCP socket
 * (for the pong timeout); @source_ip is the peer's address as text. */
void                 bi_connection_manager_accept     (BiConnectionManager     *self,
                                                       SoupWebsocketConnection *connection,
                                                       GSocket                 *socket,
                                                       const char              *source_ip);

/* Sends @text as one text frame through the connection's bounded queue. */
BiPostResult         bi_connection_manager_post       (BiConnectionManager *self,
                                                       const char          *connection_id,
                                                       const char          *text);

/* FALSE when no open connection has this id. */
gboolean             bi_connection_manager_get_info   (BiConnectionManager *self,
                                                       const char          *connection_id,
                                                       BiConnectionInfo    *info);

/* Starts closing the connection (1000); FALSE when no open connection has this id. */
gboolean             bi_connection_manager_disconnect (BiConnectionManager *self,
                                                       const char          *connection_id);

/* Open connections. */
guint                bi_connection_manager_count      (BiConnectionManager *self);

/* TRUE for something shaped like our connection ids (it may still be unknown). */
gboolean             bi_connection_id_is_valid        (const char          *connection_id);

G_END_DECLS
