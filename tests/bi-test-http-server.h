/* bi-test-http-server.h — an HTTP server on 127.0.0.1 (port 0) on a thread of its own, for tests
 *
 * Code under test that makes blocking requests (libcurl, a stage worker) cannot share the
 * test's thread with the server it talks to, so the libsoup server here runs its own main
 * context on a thread of its own. It records every request (method, path, decoded query,
 * headers, body) and answers either from a script the test queues, or through a handler the
 * test gives, which may also hold a request open (soup_server_message_pause) to answer later
 * or never. Waits are on a condition variable with a limit, never sleeps.
 *
 * Shared by every test area (providers, the LLM generator, AWS, Lambda): tests/meson.build
 * declares test_http_server_dep before the area folders.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* Longest bi_test_http_server_wait_count() waits before it gives up. */
#define BI_TEST_HTTP_SERVER_WAIT_SECONDS 10

typedef struct
{
  char       *method;
  char       *path;
  GHashTable *query;   /* name → decoded value; empty when there is none */
  GHashTable *headers; /* lower-case name → value */
  GBytes     *body;
} BiTestHttpRequest;

typedef struct _BiTestHttpServer BiTestHttpServer;

/* Called on the server's thread for each request, once it is recorded as the @index-th (from
 * 0): sets @message's status, headers and body, or pauses it to answer later (unpausing on the
 * server's thread: bi_test_http_server_invoke()) or never (the server closes it when freed). */
typedef void (*BiTestHttpHandler) (SoupServerMessage       *message,
                                   const BiTestHttpRequest *request,
                                   guint                    index,
                                   gpointer                 user_data);

/* A server that answers from its script: bi_test_http_server_queue(), else the default. */
BiTestHttpServer        *bi_test_http_server_new              (void);
/* A server that answers with @handler (@user_data is borrowed; it must outlive the server). */
BiTestHttpServer        *bi_test_http_server_new_with_handler (BiTestHttpHandler  handler,
                                                               gpointer           user_data);
/* Stops the server (closing requests still held) and joins its thread. */
void                     bi_test_http_server_free             (BiTestHttpServer  *self);

/* http://127.0.0.1:PORT, without a trailing slash: clients add their own paths. */
const char              *bi_test_http_server_get_url          (BiTestHttpServer  *self);

/* Runs @func (@data) on the server's thread, where held messages may be answered. */
void                     bi_test_http_server_invoke           (BiTestHttpServer  *self,
                                                               GSourceFunc        func,
                                                               gpointer           data);

/* ---- the script (servers made by bi_test_http_server_new() only) ---- */

/* The answer to the next request not yet answered (first in, first out), with the body as
 * application/json. @headers: NULL or NULL-terminated name, value, name, value… */
void                     bi_test_http_server_queue            (BiTestHttpServer   *self,
                                                               guint               status,
                                                               const char * const *headers,
                                                               const char         *body);
/* The answer when nothing is queued [404, empty body]. */
void                     bi_test_http_server_set_default      (BiTestHttpServer   *self,
                                                               guint               status,
                                                               const char * const *headers,
                                                               const char         *body);

/* ---- what it was sent ---- */

guint                    bi_test_http_server_count            (BiTestHttpServer  *self);
/* The @index-th request received (from 0); valid as long as @self. */
const BiTestHttpRequest *bi_test_http_server_get_request      (BiTestHttpServer  *self,
                                                               guint              index);
/* Waits until @count requests arrived; FALSE after BI_TEST_HTTP_SERVER_WAIT_SECONDS without. */
gboolean                 bi_test_http_server_wait_count       (BiTestHttpServer  *self,
                                                               guint              count);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiTestHttpServer, bi_test_http_server_free)

G_END_DECLS
