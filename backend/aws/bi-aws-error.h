/* bi-aws-error.h — the one error domain of the AWS clients, and AWS error bodies → GError
 *
 * An AWS error answer becomes a GError whose message carries the service's own error code
 * and message ("S3 PutObject: NoSuchBucket (HTTP 404): The specified bucket does not
 * exist."); bi_aws_error_get_code() gets the code back for callers that branch on it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BI_AWS_ERROR (bi_aws_error_quark ())

typedef enum
{
  BI_AWS_ERROR_CONFIG,       /* missing or bad credentials, region, endpoint or name */
  BI_AWS_ERROR_SERVICE,      /* the service refused the request (4xx other than below) */
  BI_AWS_ERROR_NOT_FOUND,    /* 404 / NoSuchKey / ResourceNotFoundException */
  BI_AWS_ERROR_GONE,         /* 410: the API Gateway connection is gone (delete its row) */
  BI_AWS_ERROR_THROTTLED,    /* still throttled after the last attempt */
  BI_AWS_ERROR_UNAVAILABLE,  /* 5xx or no connection after the last attempt */
  BI_AWS_ERROR_BAD_RESPONSE, /* a 2xx answer we cannot read */
} BiAwsError;

GQuark      bi_aws_error_quark          (void);

/* Parsed from an error answer's body (XML <Code>/<Message>, or JSON __type/message) and the
 * x-amzn-ErrorType header; any part may be NULL. */
typedef struct
{
  char *code;    /* "NoSuchKey", "ThrottlingException", … (namespace and suffix removed) */
  char *message;
} BiAwsErrorBody;

void        bi_aws_error_body_clear     (BiAwsErrorBody *body);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BiAwsErrorBody, bi_aws_error_body_clear)

void        bi_aws_error_body_parse     (const char     *body,
                                         gsize           length,
                                         const char     *error_type_header,
                                         BiAwsErrorBody *out);

/* Codes the SDKs retry as throttling. */
gboolean    bi_aws_error_code_is_throttling (const char *code);

/* The AWS error code a BI_AWS_ERROR carries, or NULL (a copy). */
char       *bi_aws_error_get_code       (const GError *error);

/* Sets @error from an error answer: the code chooses the BiAwsError. */
void        bi_aws_error_set_from_answer (GError    **error,
                                          const char *what,
                                          guint       status,
                                          const BiAwsErrorBody *body);

G_END_DECLS
