/* bi-fake-server.h — an in-process stand-in for bookimg-server, for client tests
 *
 * Speaks the HTTP routes and WebSocket protocol of the architecture on 127.0.0.1, port 0,
 * with no pipeline behind them: an upload is "processed" at once (or when the test says), and
 * the test can push any frame, drop every connection, stop answering pings or refuse uploads —
 * the situations a client must survive, made exact and instant. The client's behaviour against
 * the real server is tested separately (suite integration).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _BiFakeServer BiFakeServer;

BiFakeServer *bi_fake_server_new                  (void);
void          bi_fake_server_free                 (BiFakeServer *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiFakeServer, bi_fake_server_free)

/* http://127.0.0.1:PORT */
const char   *bi_fake_server_get_url              (BiFakeServer *self);

/* ---- behaviour (defaults in brackets) ---- */

/* [TRUE] After an accepted PUT, push progress for every stage and then processingComplete. */
void          bi_fake_server_set_auto_complete    (BiFakeServer *self,
                                                   gboolean      auto_complete);
/* [TRUE] Answer {"action":"ping"} with pong. */
void          bi_fake_server_set_answer_pings     (BiFakeServer *self,
                                                   gboolean      answer);
/* [TRUE] A subscribe to a finished job is answered with its terminal message at once. */
void          bi_fake_server_set_replay_terminal  (BiFakeServer *self,
                                                   gboolean      replay);
/* [0] Answer every PUT with @status (and a JSON error with @message) instead of 200. */
void          bi_fake_server_set_upload_status    (BiFakeServer *self,
                                                   guint         status,
                                                   const char   *message);

/* ---- actions ---- */

/* Sends @text to every connection subscribed to @job_id. */
void          bi_fake_server_push                 (BiFakeServer *self,
                                                   const char   *job_id,
                                                   const char   *text);
/* Stores final results naming @title and pushes processingComplete (next seq) when @push. */
void          bi_fake_server_complete_job         (BiFakeServer *self,
                                                   const char   *job_id,
                                                   const char   *title,
                                                   gboolean      push);
/* Closes every WebSocket (1001, going away), as a restarting server would. */
void          bi_fake_server_drop_connections     (BiFakeServer *self);
/* Stops listening and drops every connection: the server is gone. */
void          bi_fake_server_stop                 (BiFakeServer *self);

/* ---- observations ---- */

/* WebSocket connections accepted so far. */
guint         bi_fake_server_count_connections    (BiFakeServer *self);
guint         bi_fake_server_count_open_connections (BiFakeServer *self);
/* subscribe actions received for @job_id, over all connections. */
guint         bi_fake_server_count_subscribes     (BiFakeServer *self,
                                                   const char   *job_id);
guint         bi_fake_server_count_pings          (BiFakeServer *self);
/* Accepted PUTs, and GET /results/<jobId> requests for @job_id. */
guint         bi_fake_server_count_uploads        (BiFakeServer *self);
guint         bi_fake_server_count_results_requests (BiFakeServer *self,
                                                     const char   *job_id);
/* The body and Content-Type of the accepted PUT of @job_id, or NULL. */
GBytes       *bi_fake_server_get_upload           (BiFakeServer *self,
                                                   const char   *job_id,
                                                   char        **content_type);
/* The file name part of the key @job_id's upload URL was asked for, or NULL. */
const char   *bi_fake_server_get_upload_name      (BiFakeServer *self,
                                                   const char   *job_id);
/* Whether the request for @job_id's upload URL came after its subscription was answered. */
gboolean      bi_fake_server_subscribed_before_upload_url (BiFakeServer *self,
                                                           const char   *job_id);
/* The Authorization header of the latest API request and the ?token= of the latest WebSocket. */
const char   *bi_fake_server_get_last_authorization (BiFakeServer *self);
const char   *bi_fake_server_get_last_websocket_token (BiFakeServer *self);

G_END_DECLS
