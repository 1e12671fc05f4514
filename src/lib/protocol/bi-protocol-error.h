/* bi-protocol-error.h — the error domain of the wire format, and its JSON shape
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BI_PROTOCOL_ERROR (bi_protocol_error_quark ())

/* Each code has a stable wire name (see bi_protocol_error_code_name()). */
typedef enum
{
  BI_PROTOCOL_ERROR_BAD_JOB_ID,       /* "bad_job_id" */
  BI_PROTOCOL_ERROR_BAD_FILE_NAME,    /* "bad_file_name" */
  BI_PROTOCOL_ERROR_BAD_CONTENT_TYPE, /* "bad_content_type" */
  BI_PROTOCOL_ERROR_BAD_MESSAGE,      /* "bad_message": not JSON, not an object, missing fields */
  BI_PROTOCOL_ERROR_UNKNOWN_ACTION,   /* "unknown_action" */
} BiProtocolError;

GQuark      bi_protocol_error_quark          (void);
const char *bi_protocol_error_code_name      (BiProtocolError code);

/* {"error":{"code":CODE,"message":MESSAGE}} — the body of every HTTP error. */
char       *bi_error_json_new                (const char *code,
                                              const char *message);

G_END_DECLS
