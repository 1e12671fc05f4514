/* bi-client-error.h — the error domain of the client library
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BI_CLIENT_ERROR (bi_client_error_quark ())

/* Each code has a stable name (bi_client_error_code_name()) used in exported results. */
typedef enum
{
  BI_CLIENT_ERROR_UNREACHABLE,      /* "unreachable": no connection to the server */
  BI_CLIENT_ERROR_BAD_URL,          /* "bad_url": a server or upload URL that cannot be used */
  BI_CLIENT_ERROR_UNAUTHORIZED,     /* "unauthorized": 401, access token missing or wrong */
  BI_CLIENT_ERROR_FORBIDDEN,        /* "forbidden": 403, e.g. a bad or expired upload URL */
  BI_CLIENT_ERROR_TOO_LARGE,        /* "too_large": 413 */
  BI_CLIENT_ERROR_UNSUPPORTED_TYPE, /* "unsupported_type": 415 */
  BI_CLIENT_ERROR_REJECTED,         /* "rejected": any other 4xx */
  BI_CLIENT_ERROR_SERVER,           /* "server_error": 5xx */
  BI_CLIENT_ERROR_BAD_RESPONSE,     /* "bad_response": an answer we cannot understand */
  BI_CLIENT_ERROR_CONNECTION_LOST,  /* "connection_lost": the WebSocket could not be restored */
  BI_CLIENT_ERROR_FILE,             /* "file": a local photo is missing or unreadable */
  BI_CLIENT_ERROR_NOT_AN_IMAGE,     /* "not_an_image": a local file is no supported image */
  BI_CLIENT_ERROR_JOB_FAILED,       /* "job_failed": the pipeline answered processingFailed */
  BI_CLIENT_ERROR_SERVER_START,     /* "server_start": the embedded server did not start */
} BiClientError;

GQuark      bi_client_error_quark     (void);
const char *bi_client_error_code_name (BiClientError code);

G_END_DECLS
