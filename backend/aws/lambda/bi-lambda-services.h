/* bi-lambda-services.h — what a handler is given: the environment of the function, one AWS
 * client, and the port adapters over it, made on first use
 *
 * Environment (backend/terraform/functions.tf sets it for every function; each handler checks
 * at init only what it uses, so a missing variable is an init error, not a failed event):
 * BOOKIMG_UPLOADS_BUCKET, BOOKIMG_RESULTS_BUCKET, BOOKIMG_QUEUE_URL_OCR / _CANDIDATES /
 * _VALIDATION, BOOKIMG_TOPIC_ARN, BOOKIMG_CONNECTIONS_TABLE, BOOKIMG_CONNECTIONS_INDEX,
 * BOOKIMG_WEBSOCKET_ENDPOINT, BOOKIMG_BEDROCK_MODEL_ID, BOOKIMG_SUBSCRIPTION_TTL_SECONDS,
 * BOOKIMG_ACCESS_TOKEN, BOOKIMG_MAX_RECEIVE_COUNT; the catalog database is
 * BOOKIMG_CATALOG_DATABASE, by default catalog.sqlite in LAMBDA_TASK_ROOT (the zip's root).
 * Credentials, region and endpoint overrides: bi-aws-client.h.
 *
 * A Lambda process runs one event at a time on one thread; nothing here is shared further.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bi-aws-client.h"
#include "bi-dynamodb-subscriptions.h"
#include "bi-ports.h"

G_BEGIN_DECLS

#define BI_LAMBDA_DEFAULT_SUBSCRIPTION_TTL_SECONDS 3600
/* SQS's maxReceiveCount of the stage queues (backend/terraform/queues.tf). */
#define BI_LAMBDA_DEFAULT_MAX_RECEIVE_COUNT        5
#define BI_LAMBDA_CATALOG_FILE_NAME                "catalog.sqlite"

typedef struct
{
  char   *uploads_bucket;
  char   *results_bucket;
  char   *queue_url_ocr;
  char   *queue_url_candidates;
  char   *queue_url_validation;
  char   *topic_arn;
  char   *connections_table;
  char   *connections_index;
  char   *websocket_endpoint;
  char   *bedrock_model_id;      /* NULL: heuristics only */
  char   *access_token;          /* NULL: open */
  char   *catalog_database;
  gint64  subscription_ttl_seconds;
  guint   max_receive_count;
} BiLambdaConfig;

typedef struct _BiLambdaServices BiLambdaServices;

/* Reads the environment; fails only for values that are present and wrong. */
BiLambdaServices *bi_lambda_services_new            (GError           **error);
void              bi_lambda_services_free           (BiLambdaServices  *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiLambdaServices, bi_lambda_services_free)

const BiLambdaConfig *bi_lambda_services_get_config (BiLambdaServices  *self);
BiAwsClient      *bi_lambda_services_get_client     (BiLambdaServices  *self);

/* Fails with BI_LAMBDA_ERROR_CONFIG naming the variable when @value is NULL. */
gboolean          bi_lambda_require                 (const char        *value,
                                                     const char        *variable,
                                                     GError           **error);

/* Adapters (owned by @self, made on first call). Each checks the variables it needs. */
BiBlobStore      *bi_lambda_services_blob_store     (BiLambdaServices  *self,
                                                     GError           **error);
BiQueue          *bi_lambda_services_queue          (BiLambdaServices  *self,
                                                     GError           **error);
BiTopic          *bi_lambda_services_topic          (BiLambdaServices  *self,
                                                     GError           **error);
BiCatalog        *bi_lambda_services_catalog        (BiLambdaServices  *self,
                                                     GError           **error);
BiDynamodbSubscriptions *bi_lambda_services_subscriptions (BiLambdaServices *self,
                                                           GError          **error);
/* Checks that the @connections endpoint (BOOKIMG_WEBSOCKET_ENDPOINT) is set and usable. */
gboolean          bi_lambda_services_check_pusher   (BiLambdaServices  *self,
                                                     GError           **error);

/* What the handlers of the WebSocket side (connection-manager, sns-notifier) push with. */
typedef struct
{
  BiLambdaServices        *services;      /* borrowed */
  BiDynamodbSubscriptions *subscriptions; /* the services' */
  BiBlobStore             *results_store; /* the services' */
} BiLambdaPushParts;

/* Fills @parts, checking at init everything a push needs: the connections table, the results
 * bucket and the @connections endpoint. */
gboolean          bi_lambda_push_parts_init         (BiLambdaPushParts *parts,
                                                     BiLambdaServices  *services,
                                                     GError           **error);

/* Caps each AWS request to what is left of the invocation (less a margin to answer). */
void              bi_lambda_services_set_time_left  (BiLambdaServices  *self,
                                                     gint64             remaining_ms);

G_END_DECLS
