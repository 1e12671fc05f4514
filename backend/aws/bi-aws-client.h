/* bi-aws-client.h — the one request path of every AWS service client: endpoint, SigV4, retry
 *
 * A BiAwsClient holds the credentials, the region and one endpoint per service. Configure it
 * first (new, set_*), then share it: sending is thread-safe and blocking (stage worker
 * threads, a Lambda's only thread). Each attempt is signed anew (a retry must not reuse an old
 * x-amz-date).
 *
 * Retry policy (the SDKs' "standard" mode): up to @max_attempts (default 3) on connection
 * errors and timeouts, HTTP 5xx, 429 and throttling error codes; before attempt n+1 it waits a
 * random delay in [0, min(20 s, 100 ms × 2^n)] ("full jitter"), through an injectable sleep so
 * tests need not wait. Any other error answer fails at once with the service's code and
 * message (bi-aws-error.h).
 *
 * Environment (bi_aws_client_new_from_environment): AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
 * AWS_SESSION_TOKEN (Lambda sets all three), AWS_REGION (or AWS_DEFAULT_REGION), and
 * BOOKIMG_AWS_ENDPOINT_S3 / _SQS / _SNS / _DYNAMODB / _APIGATEWAY / _TEXTRACT / _BEDROCK to
 * override a service's endpoint (emulators, VPC endpoints; API Gateway's management endpoint,
 * "https://ID.execute-api.REGION.amazonaws.com/STAGE", has no default).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "bi-aws-error.h"
#include "bi-aws-request.h"
#include "bi-aws-sigv4.h"
#include "bi-http-client.h"

G_BEGIN_DECLS

typedef enum
{
  BI_AWS_SERVICE_S3,
  BI_AWS_SERVICE_SQS,
  BI_AWS_SERVICE_SNS,
  BI_AWS_SERVICE_DYNAMODB,
  BI_AWS_SERVICE_APIGATEWAY, /* the WebSocket API's @connections management API */
  BI_AWS_SERVICE_TEXTRACT,
  BI_AWS_SERVICE_BEDROCK,    /* Bedrock Runtime */
  BI_AWS_N_SERVICES
} BiAwsService;

#define BI_AWS_DEFAULT_MAX_ATTEMPTS 3
#define BI_AWS_MAX_ATTEMPTS_LIMIT   10
#define BI_AWS_BACKOFF_BASE_MS      100
#define BI_AWS_BACKOFF_CAP_MS       20000

/* Waits @delay_ms (the default is g_usleep). */
typedef void        (*BiAwsSleepFunc) (gpointer user_data,
                                       guint    delay_ms);
/* The time to sign with (the default is the real UTC time). */
typedef GDateTime  *(*BiAwsNowFunc)   (gpointer user_data);

typedef struct _BiAwsClient BiAwsClient;

/* Copies @credentials and @region. Fails with BI_AWS_ERROR_CONFIG when a key or the region
 * is missing. */
BiAwsClient  *bi_aws_client_new                  (const BiAwsCredentials *credentials,
                                                  const char             *region,
                                                  GError                **error);
BiAwsClient  *bi_aws_client_new_from_environment (GError                **error);
void          bi_aws_client_free                 (BiAwsClient            *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiAwsClient, bi_aws_client_free)

/* "http(s)://HOST[:PORT][/PATH]"; fails with BI_AWS_ERROR_CONFIG for anything else. */
gboolean      bi_aws_client_set_endpoint         (BiAwsClient  *self,
                                                  BiAwsService  service,
                                                  const char   *url,
                                                  GError      **error);
/* The endpoint in use, or NULL when the service has none (API Gateway unless set). */
const char   *bi_aws_client_get_endpoint         (BiAwsClient  *self,
                                                  BiAwsService  service);
/* Whether the endpoint is AWS's own (S3 then uses virtual-hosted bucket addressing). */
gboolean      bi_aws_client_endpoint_is_default  (BiAwsClient  *self,
                                                  BiAwsService  service);
const char   *bi_aws_client_get_region           (BiAwsClient  *self);
/* The signing parameters of @service (valid as long as @self). */
void          bi_aws_client_get_signing_params   (BiAwsClient        *self,
                                                  BiAwsService        service,
                                                  BiAwsSigningParams *params);
/* 1–BI_AWS_MAX_ATTEMPTS_LIMIT. */
void          bi_aws_client_set_max_attempts     (BiAwsClient  *self,
                                                  guint         max_attempts);
void          bi_aws_client_set_sleep_func       (BiAwsClient    *self,
                                                  BiAwsSleepFunc  sleep_func,
                                                  gpointer        user_data);
void          bi_aws_client_set_clock            (BiAwsClient    *self,
                                                  BiAwsNowFunc    now_func,
                                                  gpointer        user_data);
/* Per attempt; default 30 s. Bedrock needs more (the client sets its own). */
void          bi_aws_client_set_timeout_ms       (BiAwsClient  *self,
                                                  guint         timeout_ms);
/* The time to sign with now (the clock's, or the real time). */
GDateTime    *bi_aws_client_now                  (BiAwsClient  *self);

/* Sends @request (its path relative to the endpoint's path; changed in place: the endpoint
 * path is prepended, Host and the signature headers are set) with retries. Returns the 2xx
 * answer; an error answer, or no answer after the last attempt, is a BI_AWS_ERROR whose
 * message starts with @what ("S3 PutObject"). */
BiHttpResponse *bi_aws_client_send               (BiAwsClient  *self,
                                                  BiAwsService  service,
                                                  const char   *what,
                                                  BiAwsRequest *request,
                                                  GError      **error);

/* The same, to @endpoint_url instead of the service's endpoint (S3's virtual-hosted
 * "https://BUCKET.s3.REGION.amazonaws.com"); NULL for the service's. */
BiHttpResponse *bi_aws_client_send_to            (BiAwsClient  *self,
                                                  BiAwsService  service,
                                                  const char   *endpoint_url,
                                                  const char   *what,
                                                  BiAwsRequest *request,
                                                  GError      **error);

/* "S3", "SQS", "DynamoDB", … for messages. */
const char   *bi_aws_service_get_name            (BiAwsService  service);

/* Delay before attempt @attempt + 1 (@attempt ≥ 1), full jitter: random in
 * [0, min(BI_AWS_BACKOFF_CAP_MS, BI_AWS_BACKOFF_BASE_MS × 2^(attempt-1))]. */
guint         bi_aws_backoff_delay_ms            (guint         attempt);

G_END_DECLS
