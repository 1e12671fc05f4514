/* bi-embedded-server.h — a private bookimg-server run as a child process
 *
 * The client side never links backend code: its embedded mode starts `bookimg-server
 * --listen 127.0.0.1:0 --data-dir <temp dir> [--catalog FILE]`, reads the URL from its first
 * line on stdout (`listening on http://HOST:PORT`) and talks to it over HTTP and WebSocket like
 * to any server. Stopping sends SIGTERM, waits, and removes the temporary data dir. The desktop
 * app gives a data dir of its own instead (bi_embedded_server_set_data_dir()), which is kept:
 * the server's durable queues then resume, on the next start, the jobs a stop interrupted.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BI_TYPE_EMBEDDED_SERVER (bi_embedded_server_get_type ())
G_DECLARE_FINAL_TYPE (BiEmbeddedServer, bi_embedded_server, BI, EMBEDDED_SERVER, GObject)

/* The bookimg-server program: $BOOKIMG_SERVER when set; else, when the running program sits in
 * a build tree (src/<app>/), ../../backend/local/bookimg-server beside it; else
 * BINDIR/bookimg-server. Fails with BI_CLIENT_ERROR_SERVER_START naming the places tried. */
char             *bi_embedded_server_find_program (GError              **error);

/* @catalog_path may be NULL. */
BiEmbeddedServer *bi_embedded_server_new          (const char           *program,
                                                   const char           *catalog_path);

/* Uses @data_dir (created 0700 when missing) instead of a temporary folder, and keeps it when
 * the server stops. NULL: a temporary folder again. Call before starting. */
void              bi_embedded_server_set_data_dir (BiEmbeddedServer     *self,
                                                   const char           *data_dir);
/* The data dir in use (the temporary one once started), or NULL. */
const char       *bi_embedded_server_get_data_dir (BiEmbeddedServer     *self);
/* Arguments appended to the server's command line (tests: --test-hold-stage). Call before
 * starting; NULL for none. */
void              bi_embedded_server_set_extra_arguments (BiEmbeddedServer  *self,
                                                          const char *const *arguments);

/* Variables ("NAME=VALUE") added to the server's environment: secrets such as API keys go here,
 * not on the command line, where every local user can read them (ps). Call before starting. */
void              bi_embedded_server_set_environment (BiEmbeddedServer  *self,
                                                      const char *const *variables);

/* Starts the server and completes when it listens (or fails, with its last log lines). */
void              bi_embedded_server_start_async  (BiEmbeddedServer     *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean          bi_embedded_server_start_finish (BiEmbeddedServer     *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

/* http://127.0.0.1:PORT once started, else NULL. */
const char       *bi_embedded_server_get_url      (BiEmbeddedServer     *self);

/* SIGTERM, wait (SIGKILL after a grace period), remove a temporary data dir. Safe to call when the
 * server never started. */
void              bi_embedded_server_stop_async   (BiEmbeddedServer     *self,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
gboolean          bi_embedded_server_stop_finish  (BiEmbeddedServer     *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

G_END_DECLS
