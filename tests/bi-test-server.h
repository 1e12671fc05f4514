/* bi-test-server.h — a real bookimg-server for integration tests, and clients to talk to it
 *
 * The server is the binary named by $BOOKIMG_SERVER (tests/meson.build sets it), started with
 * GSubprocess on a temporary data dir and port 0; its first stdout line tells the URL. Its
 * log goes to the test's stderr. Everything waits by iterating the main context until a
 * condition holds or a generous deadline passes (then the test fails saying what it waited
 * for) — never by sleeping.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

#include "bi-protocol-messages.h"
#include "bi-test-store-utils.h" /* bi_test_wait_until, BI_TEST_TIMEOUT_SECONDS */

G_BEGIN_DECLS

/* ---- the server process --------------------------------------------------------------------- */

typedef struct _BiTestServer BiTestServer;

/* Starts bookimg-server on a new temporary data dir with @args (NULL-terminated, may be
 * NULL) after `--data-dir DIR --listen 127.0.0.1:0`; fails the test if it does not listen. */
BiTestServer *bi_test_server_new              (const char * const *args);
/* Stops the server if running (SIGTERM, then it must exit 0) and removes the data dir. */
void          bi_test_server_free             (BiTestServer       *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiTestServer, bi_test_server_free)

/* Starts the server again on the same data dir, with @args; the URL changes (new port). */
void          bi_test_server_restart          (BiTestServer       *self,
                                               const char * const *args);
/* SIGKILL, as a crash: nothing is flushed or closed. */
void          bi_test_server_kill             (BiTestServer       *self);
/* SIGTERM; asserts a clean exit. */
void          bi_test_server_stop             (BiTestServer       *self);

const char   *bi_test_server_get_url          (BiTestServer       *self);
const char   *bi_test_server_get_data_dir     (BiTestServer       *self);
/* "ws://HOST:PORT/ws" */
char         *bi_test_server_websocket_url    (BiTestServer       *self);
/* "HOST:PORT" as a GSocketConnectable for raw sockets. */
GSocketConnectable *bi_test_server_address    (BiTestServer       *self);

/* The connection ids subscribed to @job_id, read from the server's database (clients are
 * not told their id, as with API Gateway; tests need it for @connections). */
GPtrArray    *bi_test_server_subscribers      (BiTestServer       *self,
                                               const char         *job_id);

/* Runs bookimg-server with exactly @args, expecting it to exit without listening; returns
 * what it wrote on stderr and sets @exit_status. */
char         *bi_test_server_run_failing      (const char * const *args,
                                               int                *exit_status);

/* ---- HTTP --------------------------------------------------------------------------------- */

typedef struct
{
  guint  status;
  char  *content_type;
  char  *allow;         /* the Allow header, if any */
  char  *body;          /* NUL-terminated copy of the body */
  gsize  length;
} BiTestResponse;

void            bi_test_response_free        (BiTestResponse *response);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiTestResponse, bi_test_response_free)

/* Sends @msg with @session and waits for the answer on the main context, so WebSocket
 * clients keep receiving meanwhile. */
BiTestResponse *bi_test_send                 (SoupSession    *session,
                                              SoupMessage    *msg);
/* One request (@body and @content_type may be NULL) with bi_test_send(). */
BiTestResponse *bi_test_http                 (SoupSession    *session,
                                              const char     *method,
                                              const char     *url,
                                              const char     *content_type,
                                              GBytes         *body);
/* Asserts @status and the JSON error body {"error":{"code":@code,"message":…non-empty}}. */
void            bi_test_assert_error         (BiTestResponse *response,
                                              guint           status,
                                              const char     *code);
/* GET <server>/upload-url for @job_id/@file_name; asserts 200 and returns the URL. */
char           *bi_test_upload_url           (SoupSession    *session,
                                              BiTestServer   *server,
                                              const char     *job_id,
                                              const char     *file_name,
                                              const char     *content_type);
/* The value of a counter or gauge line of GET /metrics (`name` may carry labels), or -1. */
double          bi_test_metric               (SoupSession    *session,
                                              BiTestServer   *server,
                                              const char     *name);

/* A new temporary file (name ending in @suffix) holding @contents; remove it with g_unlink(). */
char           *bi_test_write_temp_file      (const char     *suffix,
                                              const char     *contents);
/* A minimal valid PNG (1×1), for uploads whose content does not matter. */
GBytes         *bi_test_tiny_png             (void);
/* A topic message for @job_id: final results naming @title, padded to about @padding bytes. */
char           *bi_test_complete_message_new (const char     *job_id,
                                              const char     *title,
                                              gsize           padding);

/* ---- WebSocket clients on SoupSession ------------------------------------------------------- */

typedef struct _BiTestWebsocket BiTestWebsocket;

/* Connects to the server's /ws and waits for the handshake. */
BiTestWebsocket *bi_test_websocket_connect    (SoupSession     *session,
                                               BiTestServer    *server);
void             bi_test_websocket_free       (BiTestWebsocket *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiTestWebsocket, bi_test_websocket_free)

SoupWebsocketConnection *bi_test_websocket_get_connection (BiTestWebsocket *self);

void             bi_test_websocket_send       (BiTestWebsocket *self,
                                               const char      *text);
/* Sends subscribe and waits for "subscribed". */
void             bi_test_websocket_subscribe  (BiTestWebsocket *self,
                                               const char      *job_id);

typedef gboolean (*BiTestMessagePredicate) (const BiServerMessage *message,
                                            gpointer               user_data);

/* Waits for a received message (not taken by an earlier wait) that @predicate accepts, takes
 * it and returns it parsed. */
BiServerMessage *bi_test_websocket_wait_for   (BiTestWebsocket        *self,
                                               BiTestMessagePredicate  predicate,
                                               gpointer                user_data,
                                               const char             *what);
/* The same for the first message of @type (about @job_id unless NULL). */
BiServerMessage *bi_test_websocket_wait_for_type (BiTestWebsocket     *self,
                                                  BiServerMessageType  type,
                                                  const char          *job_id);
/* Messages received so far whose type is @type (taken or not). */
guint            bi_test_websocket_count_type (BiTestWebsocket     *self,
                                               BiServerMessageType  type);
/* Waits until the connection is closed; returns the close code the server sent. */
gushort          bi_test_websocket_wait_closed (BiTestWebsocket *self);

/* ---- raw WebSocket client (no libsoup: can stop reading, send anything) --------------------- */

/* Connects a plain socket to /ws and completes the handshake; @receive_buffer > 0 shrinks the
 * socket's receive buffer first (so a client that stops reading backs up quickly). */
GSocketConnection *bi_test_raw_websocket_connect (BiTestServer *server,
                                                  int           receive_buffer);
/* Sends one masked frame, as a client must. With @payload NULL, sends only the header
 * declaring @length bytes (to meet a size limit without a peer's unread bytes turning the
 * server's close into a reset). */
void               bi_test_raw_websocket_send    (GSocketConnection *connection,
                                                  guint8             opcode,
                                                  const void        *payload,
                                                  gsize              length);
/* Reads frames until a close frame and returns its code; counts the frames skipped. Fails the
 * test when the stream ends first. */
gushort            bi_test_raw_websocket_read_close (GSocketConnection *connection,
                                                     guint             *frames_skipped);
/* Reads the next frame; returns its opcode and payload. */
guint8             bi_test_raw_websocket_read_frame (GSocketConnection *connection,
                                                     GBytes           **payload);

G_END_DECLS
