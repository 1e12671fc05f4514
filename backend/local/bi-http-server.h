/* bi-http-server.h — the HTTP routes and the WebSocket endpoint of bookimg-server
 *
 * The same paths as the AWS deployment's API Gateway (see docs/protocol.md): signed upload
 * URLs and uploads, results, catalog search, health and metrics, the WebSocket at /ws, and on
 * loopback the `@connections` management API and `@topic`. Errors are JSON:
 * {"error":{"code":…,"message":…}}. Runs on the main context.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "bi-connection-manager.h"
#include "bi-job-store.h"
#include "bi-metrics.h"
#include "bi-ports.h"
#include "bi-sqlite-queue.h"
#include "bi-stage-host.h"
#include "bi-subscription-store.h"
#include "bi-url-signer.h"

G_BEGIN_DECLS

/* Default of --max-upload-bytes: 25 MiB, more than any phone photo. */
#define BI_DEFAULT_MAX_UPLOAD_BYTES (25 * 1024 * 1024)

/* What the routes use; all borrowed, all must outlive the server. */
typedef struct
{
  BiSqliteQueue       *queue;         /* upload events go in, @topic messages go in */
  BiBlobStore         *blob_store;    /* uploads and results buckets */
  BiJobStore          *jobs;
  BiSubscriptionStore *subscriptions;
  BiCatalog           *catalog;
  BiStageHost         *stage_host;    /* for its metrics; may be NULL */
  BiUrlSigner         *signer;
  BiConnectionManager *connections;
  BiMetrics           *metrics;
} BiHttpServerParts;

typedef struct
{
  const char *access_token;     /* required on every route but /healthz when not NULL; copied */
  guint64     max_upload_bytes; /* larger uploads are refused with 413 */
} BiHttpServerConfig;

typedef struct _BiHttpServer BiHttpServer;

BiHttpServer *bi_http_server_new     (const BiHttpServerParts  *parts,
                                      const BiHttpServerConfig *config);
/* Waits for uploads being stored, then stops listening. */
void          bi_http_server_free    (BiHttpServer             *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiHttpServer, bi_http_server_free)

/* Listens on @address (an IP address; port 0 picks a free one) with a deep accept backlog.
 * Errors are GIO's (G_IO_ERROR_ADDRESS_IN_USE, …). */
gboolean      bi_http_server_listen  (BiHttpServer             *self,
                                      GInetSocketAddress       *address,
                                      GError                  **error);

/* "http://HOST:PORT" of the listening socket, once listening. */
const char   *bi_http_server_get_url (BiHttpServer             *self);

G_END_DECLS
