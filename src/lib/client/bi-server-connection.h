/* bi-server-connection.h — the HTTP side of a BookImg server, and its WebSocket handshake
 *
 * One object per server: its base URL, an optional access token (sent as
 * `Authorization: Bearer` to the API and as `?token=` to the WebSocket, which cannot carry
 * headers from a browser), and the SoupSession every request shares. Every operation is
 * asynchronous and cancellable; errors are BI_CLIENT_ERROR codes with messages a user can act
 * on (G_IO_ERROR_CANCELLED passes through unchanged).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

#define BI_TYPE_SERVER_CONNECTION (bi_server_connection_get_type ())
G_DECLARE_FINAL_TYPE (BiServerConnection, bi_server_connection, BI, SERVER_CONNECTION, GObject)

/* What GET /results/<jobId> said about a job. */
typedef enum
{
  BI_JOB_STATUS_UNKNOWN,  /* 404: the server has never heard of the job */
  BI_JOB_STATUS_PENDING,  /* 202: still in the pipeline */
  BI_JOB_STATUS_COMPLETE, /* 200 with status "complete" */
  BI_JOB_STATUS_FAILED,   /* 200 with status "failed" */
} BiJobStatus;

typedef struct
{
  BiJobStatus  status;
  char        *stage;         /* pending: the current stage, if given; failed: the failed stage */
  JsonNode    *results;       /* complete: the final results object */
  char        *error_code;    /* failed */
  char        *error_message; /* failed */
} BiJobResults;

void bi_job_results_free (BiJobResults *results);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiJobResults, bi_job_results_free)

/* bytes_sent of total_bytes of the photo have been written to the network. */
typedef void (*BiUploadProgressFunc) (goffset  bytes_sent,
                                      goffset  total_bytes,
                                      gpointer user_data);

/* @base_url: an http:// or https:// URL (no user name, query or fragment); @access_token may
 * be NULL. Fails with BI_CLIENT_ERROR_BAD_URL, naming what is wrong. */
BiServerConnection *bi_server_connection_new (const char  *base_url,
                                              const char  *access_token,
                                              GError     **error);

const char *bi_server_connection_get_base_url (BiServerConnection *self);

/* GET /upload-url?filename=<jobId>/<file name>&contentType=<type> → the signed PUT URL. */
void bi_server_connection_request_upload_url_async (BiServerConnection  *self,
                                                    const char          *job_id,
                                                    const char          *file_name,
                                                    const char          *content_type,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
char *bi_server_connection_request_upload_url_finish (BiServerConnection  *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

/* PUTs @file, streamed from disk, to @upload_url. @progress (may be NULL) is called on the
 * caller's main context until the operation completes. */
void bi_server_connection_upload_async (BiServerConnection   *self,
                                        const char           *upload_url,
                                        GFile                *file,
                                        const char           *content_type,
                                        BiUploadProgressFunc  progress,
                                        gpointer              progress_data,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
gboolean bi_server_connection_upload_finish (BiServerConnection  *self,
                                             GAsyncResult        *result,
                                             GError             **error);

/* GET /results/<jobId>. */
void bi_server_connection_fetch_results_async (BiServerConnection  *self,
                                               const char          *job_id,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
BiJobResults *bi_server_connection_fetch_results_finish (BiServerConnection  *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);

/* GET /catalog/search?q=<query>&limit=<limit>: the catalog's books that match @query, for
 * matching a spine by hand. Finishes with the JSON array the server sent (a JsonNode). */
void bi_server_connection_search_catalog_async (BiServerConnection  *self,
                                                const char          *query,
                                                guint                limit,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
JsonNode *bi_server_connection_search_catalog_finish (BiServerConnection  *self,
                                                      GAsyncResult        *result,
                                                      GError             **error);

/* Opens the WebSocket at <base>/ws. */
void bi_server_connection_open_websocket_async (BiServerConnection  *self,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
SoupWebsocketConnection *
bi_server_connection_open_websocket_finish (BiServerConnection  *self,
                                            GAsyncResult        *result,
                                            GError             **error);

G_END_DECLS
