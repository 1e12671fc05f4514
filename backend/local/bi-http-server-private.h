/* bi-http-server-private.h — what the route files of bi-http-server share
 *
 * The routes are split by purpose: bi-http-server.c (dispatch, access, bodies, health,
 * metrics, /ws), bi-web-routes.c (the web page), bi-upload-routes.c (signed URLs and uploads), bi-lookup-routes.c (results,
 * catalog search), bi-management-routes.c (@connections, @topic).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <libsoup/soup.h>

#include "bi-http-server.h"

G_BEGIN_DECLS

struct _BiHttpServer
{
  SoupServer         *server;
  BiHttpServerParts   parts;
  char               *access_token;       /* NULL: none required */
  guint64             max_upload_bytes;
  char               *url;                /* "http://HOST:PORT" once listening */
  guint               work_in_progress;   /* uploads being stored and catalog searches,
                                           * on worker threads right now */
};

/* A route's handler. @tail is what follows a prefix route's path, still %-encoded; @query is
 * the decoded query (may be NULL). */
typedef void (*BiRouteFunc) (BiHttpServer      *self,
                             SoupServerMessage *msg,
                             const char        *tail,
                             GHashTable        *query);

/* Responses. */
void  bi_http_respond                 (SoupServerMessage *msg,
                                       guint              status,
                                       const char        *content_type,
                                       const char        *body);
void  bi_http_respond_json_node       (SoupServerMessage *msg,
                                       guint              status,
                                       JsonNode          *node);
void  bi_http_respond_error           (SoupServerMessage *msg,
                                       guint              status,
                                       const char        *code,
                                       const char        *message);
/* 400 with the wire code of a BI_PROTOCOL_ERROR (other domains: "bad_request"). */
void  bi_http_respond_bad_request     (SoupServerMessage *msg,
                                       const GError      *error);

/* A %-decoded path segment, or NULL when it holds an invalid escape or a NUL. */
char *bi_http_decode_segment          (const char        *segment);

/* The body of a request whose route takes one, collected by the dispatcher as it arrived;
 * NULL, with the 413 response set, when it passed the route's limit (a chunked body
 * declares no length up front, so this is known only at its end). */
GBytes *bi_http_captured_body         (SoupServerMessage *msg);

/* bi-upload-routes.c */
void  bi_upload_url_route             (BiHttpServer      *self,
                                       SoupServerMessage *msg,
                                       const char        *tail,
                                       GHashTable        *query);
void  bi_upload_route_begin           (BiHttpServer      *self,
                                       SoupServerMessage *msg,
                                       const char        *tail,
                                       GHashTable        *query);
void  bi_upload_route_finish          (BiHttpServer      *self,
                                       SoupServerMessage *msg,
                                       const char        *tail,
                                       GHashTable        *query);

/* bi-lookup-routes.c */
void  bi_results_route                (BiHttpServer      *self,
                                       SoupServerMessage *msg,
                                       const char        *tail,
                                       GHashTable        *query);
void  bi_catalog_search_route         (BiHttpServer      *self,
                                       SoupServerMessage *msg,
                                       const char        *tail,
                                       GHashTable        *query);

/* bi-management-routes.c */
void  bi_connections_route            (BiHttpServer      *self,
                                       SoupServerMessage *msg,
                                       const char        *tail,
                                       GHashTable        *query);
void  bi_topic_route                  (BiHttpServer      *self,
                                       SoupServerMessage *msg,
                                       const char        *tail,
                                       GHashTable        *query);

/* bi-web-routes.c: the web page's files, public (they hold no data; the API they call is not). */
void  bi_web_page_route               (BiHttpServer      *self,
                                       SoupServerMessage *msg,
                                       const char        *tail,
                                       GHashTable        *query);
void  bi_web_static_route             (BiHttpServer      *self,
                                       SoupServerMessage *msg,
                                       const char        *tail,
                                       GHashTable        *query);

G_END_DECLS
