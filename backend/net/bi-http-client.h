/* bi-http-client.h — one blocking HTTP request on libcurl, for worker threads
 *
 * The outgoing calls of the backend (online catalogs, the LLM candidate generator, the AWS
 * services and the Lambda runtime API) are made from stage worker threads or a Lambda's only
 * thread, where blocking is what we want. Each call has its own curl handle: thread-safe, no
 * shared state but libcurl's one-time global init. Retries are the caller's policy.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BI_HTTP_ERROR (bi_http_error_quark ())

typedef enum
{
  BI_HTTP_ERROR_INVALID,   /* the request itself is wrong (bad URL, bad header) */
  BI_HTTP_ERROR_CONNECT,   /* no connection: refused, unresolved, TLS failed */
  BI_HTTP_ERROR_TIMEOUT,   /* the deadline passed */
  BI_HTTP_ERROR_TRANSFER,  /* the connection broke during the exchange */
  BI_HTTP_ERROR_TOO_LARGE, /* the response body is over the request's limit */
} BiHttpError;

GQuark bi_http_error_quark (void);

typedef struct
{
  const char         *method;        /* "GET", "POST", "PUT", "DELETE", "HEAD" */
  const char         *url;
  const char * const *headers;       /* NULL-terminated "Name: value" lines, or NULL */
  GBytes             *body;          /* or NULL */
  guint               timeout_ms;    /* whole exchange; 0 = no limit (Lambda's next) */
  gsize               max_body_size; /* 0 = 64 MiB */
} BiHttpRequest;

typedef struct
{
  guint       status;   /* 100–599 */
  GPtrArray  *headers;  /* of char *, "name: value" with the name lower-cased */
  GBytes     *body;     /* never NULL */
} BiHttpResponse;

/* Any HTTP status is a response, not an error; errors are only for no response. */
BiHttpResponse *bi_http_request_send        (const BiHttpRequest  *request,
                                             GError              **error);
void            bi_http_response_free       (BiHttpResponse       *response);

/* The first value of the (case-insensitive) header @name, or NULL. */
const char     *bi_http_response_get_header (const BiHttpResponse *response,
                                             const char           *name);
/* The body as a NUL-terminated string (a copy; invalid UTF-8 is kept as it is). */
char           *bi_http_response_dup_text   (const BiHttpResponse *response);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiHttpResponse, bi_http_response_free)

G_END_DECLS
