/* bi-client-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-client-error"

#include "bi-client-error.h"

G_DEFINE_QUARK (bi-client-error-quark, bi_client_error)

static const char *const code_names[] = {
  [BI_CLIENT_ERROR_UNREACHABLE] = "unreachable",
  [BI_CLIENT_ERROR_BAD_URL] = "bad_url",
  [BI_CLIENT_ERROR_UNAUTHORIZED] = "unauthorized",
  [BI_CLIENT_ERROR_FORBIDDEN] = "forbidden",
  [BI_CLIENT_ERROR_TOO_LARGE] = "too_large",
  [BI_CLIENT_ERROR_UNSUPPORTED_TYPE] = "unsupported_type",
  [BI_CLIENT_ERROR_REJECTED] = "rejected",
  [BI_CLIENT_ERROR_SERVER] = "server_error",
  [BI_CLIENT_ERROR_BAD_RESPONSE] = "bad_response",
  [BI_CLIENT_ERROR_CONNECTION_LOST] = "connection_lost",
  [BI_CLIENT_ERROR_FILE] = "file",
  [BI_CLIENT_ERROR_NOT_AN_IMAGE] = "not_an_image",
  [BI_CLIENT_ERROR_JOB_FAILED] = "job_failed",
  [BI_CLIENT_ERROR_SERVER_START] = "server_start",
};

const char *
bi_client_error_code_name (BiClientError code)
{
  if ((guint) code >= G_N_ELEMENTS (code_names) || code_names[code] == NULL)
    return "error";

  return code_names[code];
}
