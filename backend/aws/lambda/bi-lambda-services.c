/* bi-lambda-services.c — the function's environment, its AWS client and port adapters
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-lambda-services"

#include "bi-lambda-services.h"
#include "bi-lambda-runtime.h"
#include "bi-s3-client.h"
#include "bi-sns-client.h"
#include "bi-sqs-client.h"
#include "bi-sqlite-catalog.h"

#include <gio/gio.h>
#include <unistd.h>

/* The default per-attempt timeout of the AWS client (bi-aws-client.h). */
#define AWS_TIMEOUT_MS 30000
/* Time kept back from the deadline to report the outcome. */
#define ANSWER_MARGIN_MS 500
#define MIN_AWS_TIMEOUT_MS 100

struct _BiLambdaServices
{
  BiLambdaConfig           config;
  BiAwsClient             *client;
  BiS3BlobStore           *blob_store;    /* each made on first use */
  BiSqsQueue              *queue;
  BiSnsTopic              *topic;
  BiSqliteCatalog         *catalog;
  BiDynamodbSubscriptions *subscriptions;
};

/* The variable's value, NULL when unset or empty (Terraform sets every variable, some to ""). */
static char *
dup_variable (const char *name)
{
  const char *value = g_getenv (name);

  return value != NULL && value[0] != '\0' ? g_strdup (value) : NULL;
}

static gboolean
read_number (const char  *name,
             guint64      min,
             guint64      max,
             guint64      fallback,
             guint64     *value,
             GError     **error)
{
  const char *text = g_getenv (name);

  *value = fallback;
  if (text == NULL || text[0] == '\0')
    return TRUE;
  if (!g_ascii_string_to_unsigned (text, 10, min, max, value, NULL))
    {
      g_set_error (error, BI_LAMBDA_ERROR, BI_LAMBDA_ERROR_CONFIG,
                   "%s must be a whole number from %" G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT
                   ", not “%.32s”.", name, min, max, text);
      return FALSE;
    }
  return TRUE;
}

gboolean
bi_lambda_require (const char  *value,
                   const char  *variable,
                   GError     **error)
{
  if (value != NULL)
    return TRUE;
  g_set_error (error, BI_LAMBDA_ERROR, BI_LAMBDA_ERROR_CONFIG,
               "The environment variable %s is not set; the function's configuration "
               "(backend/terraform/functions.tf) must give it.", variable);
  return FALSE;
}

BiLambdaServices *
bi_lambda_services_new (GError **error)
{
  g_autoptr(BiLambdaServices) self = g_new0 (BiLambdaServices, 1);
  BiLambdaConfig *config = &self->config;
  g_autofree char *task_root = dup_variable ("LAMBDA_TASK_ROOT");
  guint64 number = 0;

  config->uploads_bucket = dup_variable ("BOOKIMG_UPLOADS_BUCKET");
  config->results_bucket = dup_variable ("BOOKIMG_RESULTS_BUCKET");
  config->queue_url_ocr = dup_variable ("BOOKIMG_QUEUE_URL_OCR");
  config->queue_url_candidates = dup_variable ("BOOKIMG_QUEUE_URL_CANDIDATES");
  config->queue_url_validation = dup_variable ("BOOKIMG_QUEUE_URL_VALIDATION");
  config->topic_arn = dup_variable ("BOOKIMG_TOPIC_ARN");
  config->connections_table = dup_variable ("BOOKIMG_CONNECTIONS_TABLE");
  config->connections_index = dup_variable ("BOOKIMG_CONNECTIONS_INDEX");
  config->websocket_endpoint = dup_variable ("BOOKIMG_WEBSOCKET_ENDPOINT");
  config->bedrock_model_id = dup_variable ("BOOKIMG_BEDROCK_MODEL_ID");
  config->access_token = dup_variable ("BOOKIMG_ACCESS_TOKEN");
  config->catalog_database = dup_variable ("BOOKIMG_CATALOG_DATABASE");
  if (config->catalog_database == NULL)
    config->catalog_database = g_build_filename (task_root != NULL ? task_root : ".",
                                                 BI_LAMBDA_CATALOG_FILE_NAME, NULL);

  if (!read_number ("BOOKIMG_SUBSCRIPTION_TTL_SECONDS", 1, 7 * 24 * 3600,
                    BI_LAMBDA_DEFAULT_SUBSCRIPTION_TTL_SECONDS, &number, error))
    return NULL;
  config->subscription_ttl_seconds = (gint64) number;
  if (!read_number ("BOOKIMG_MAX_RECEIVE_COUNT", 1, 1000, BI_LAMBDA_DEFAULT_MAX_RECEIVE_COUNT,
                    &number, error))
    return NULL;
  config->max_receive_count = (guint) number;

  if (config->connections_index != NULL
      && g_strcmp0 (config->connections_index, BI_DYNAMODB_SUBSCRIPTIONS_CONNECTION_INDEX) != 0)
    {
      g_set_error (error, BI_LAMBDA_ERROR, BI_LAMBDA_ERROR_CONFIG,
                   "BOOKIMG_CONNECTIONS_INDEX is “%.64s”, but the connections table's index "
                   "is named “%s” (backend/terraform/notifications.tf).",
                   config->connections_index, BI_DYNAMODB_SUBSCRIPTIONS_CONNECTION_INDEX);
      return NULL;
    }

  self->client = bi_aws_client_new_from_environment (error);
  if (self->client == NULL)
    return NULL;

  /* The WebSocket API's management endpoint is the function's own setting; an explicit
   * BOOKIMG_AWS_ENDPOINT_APIGATEWAY (tests) wins. */
  if (config->websocket_endpoint != NULL
      && bi_aws_client_get_endpoint (self->client, BI_AWS_SERVICE_APIGATEWAY) == NULL
      && !bi_aws_client_set_endpoint (self->client, BI_AWS_SERVICE_APIGATEWAY,
                                      config->websocket_endpoint, error))
    {
      g_prefix_error (error, "BOOKIMG_WEBSOCKET_ENDPOINT: ");
      return NULL;
    }

  return g_steal_pointer (&self);
}

void
bi_lambda_services_free (BiLambdaServices *self)
{
  BiLambdaConfig *config;

  if (self == NULL)
    return;

  g_clear_pointer (&self->subscriptions, bi_dynamodb_subscriptions_free);
  g_clear_pointer (&self->catalog, bi_sqlite_catalog_free);
  g_clear_pointer (&self->topic, bi_sns_topic_free);
  g_clear_pointer (&self->queue, bi_sqs_queue_free);
  g_clear_pointer (&self->blob_store, bi_s3_blob_store_free);
  g_clear_pointer (&self->client, bi_aws_client_free);

  config = &self->config;
  g_free (config->uploads_bucket);
  g_free (config->results_bucket);
  g_free (config->queue_url_ocr);
  g_free (config->queue_url_candidates);
  g_free (config->queue_url_validation);
  g_free (config->topic_arn);
  g_free (config->connections_table);
  g_free (config->connections_index);
  g_free (config->websocket_endpoint);
  g_free (config->bedrock_model_id);
  g_free (config->access_token);
  g_free (config->catalog_database);
  g_free (self);
}

const BiLambdaConfig *
bi_lambda_services_get_config (BiLambdaServices *self)
{
  return &self->config;
}

BiAwsClient *
bi_lambda_services_get_client (BiLambdaServices *self)
{
  return self->client;
}

BiBlobStore *
bi_lambda_services_blob_store (BiLambdaServices  *self,
                               GError           **error)
{
  if (self->blob_store == NULL)
    {
      if (!bi_lambda_require (self->config.uploads_bucket, "BOOKIMG_UPLOADS_BUCKET", error)
          || !bi_lambda_require (self->config.results_bucket, "BOOKIMG_RESULTS_BUCKET", error))
        return NULL;
      self->blob_store = bi_s3_blob_store_new (self->client, self->config.uploads_bucket,
                                               self->config.results_bucket);
    }
  return bi_s3_blob_store_as_port (self->blob_store);
}

BiQueue *
bi_lambda_services_queue (BiLambdaServices  *self,
                          GError           **error)
{
  if (self->queue == NULL)
    {
      const BiLambdaConfig *config = &self->config;

      if (!bi_lambda_require (config->queue_url_ocr, "BOOKIMG_QUEUE_URL_OCR", error)
          || !bi_lambda_require (config->queue_url_candidates, "BOOKIMG_QUEUE_URL_CANDIDATES",
                                 error)
          || !bi_lambda_require (config->queue_url_validation, "BOOKIMG_QUEUE_URL_VALIDATION",
                                 error))
        return NULL;
      /* Every queue a stage sends to has its URL: the prefix is never used for a lookup. */
      self->queue = bi_sqs_queue_new (self->client, "bookimg");
      bi_sqs_queue_set_url (self->queue, BI_QUEUE_OCR, config->queue_url_ocr);
      bi_sqs_queue_set_url (self->queue, BI_QUEUE_CANDIDATES, config->queue_url_candidates);
      bi_sqs_queue_set_url (self->queue, BI_QUEUE_VALIDATION, config->queue_url_validation);
    }
  return bi_sqs_queue_as_port (self->queue);
}

BiTopic *
bi_lambda_services_topic (BiLambdaServices  *self,
                          GError           **error)
{
  if (self->topic == NULL)
    {
      if (!bi_lambda_require (self->config.topic_arn, "BOOKIMG_TOPIC_ARN", error))
        return NULL;
      self->topic = bi_sns_topic_new (self->client, self->config.topic_arn);
    }
  return bi_sns_topic_as_port (self->topic);
}

/* The catalog opens read-write (it may set up its schema), which a read-only file system —
 * Lambda's, outside /tmp — refuses: then a copy in the temporary directory is opened, once
 * per cold start (package-lambda ships it as one rollback-journal file, so one copy is all). */
static char *
writable_catalog_path (const char  *path,
                       GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *copy = NULL;
  g_autoptr(GFile) source = NULL;
  g_autoptr(GFile) destination = NULL;

  if (access (dir, W_OK) == 0)
    return g_strdup (path);

  copy = g_build_filename (g_get_tmp_dir (), "bookimg-" BI_LAMBDA_CATALOG_FILE_NAME, NULL);
  source = g_file_new_for_path (path);
  destination = g_file_new_for_path (copy);
  if (!g_file_copy (source, destination, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, error))
    {
      g_prefix_error (error, "Could not copy the catalog %s to %s: ", path, copy);
      return NULL;
    }
  return g_steal_pointer (&copy);
}

BiCatalog *
bi_lambda_services_catalog (BiLambdaServices  *self,
                            GError           **error)
{
  if (self->catalog == NULL)
    {
      const char *path = self->config.catalog_database;
      g_autofree char *open_path = NULL;

      /* Opening would create an empty catalog elsewhere; in the zip it must be there. */
      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        {
          g_set_error (error, BI_LAMBDA_ERROR, BI_LAMBDA_ERROR_CONFIG,
                       "The catalog database %s is missing: build the zip with "
                       "build-aux/package-lambda (or set BOOKIMG_CATALOG_DATABASE).", path);
          return NULL;
        }
      open_path = writable_catalog_path (path, error);
      if (open_path == NULL)
        return NULL;
      self->catalog = bi_sqlite_catalog_open (open_path, error);
      if (self->catalog == NULL)
        return NULL;
    }
  return bi_sqlite_catalog_as_port (self->catalog);
}

BiDynamodbSubscriptions *
bi_lambda_services_subscriptions (BiLambdaServices  *self,
                                  GError           **error)
{
  if (self->subscriptions == NULL)
    {
      if (!bi_lambda_require (self->config.connections_table, "BOOKIMG_CONNECTIONS_TABLE", error))
        return NULL;
      self->subscriptions = bi_dynamodb_subscriptions_new (self->client,
                                                           self->config.connections_table,
                                                           self->config.subscription_ttl_seconds
                                                             * 1000);
    }
  return self->subscriptions;
}

gboolean
bi_lambda_services_check_pusher (BiLambdaServices  *self,
                                 GError           **error)
{
  if (bi_aws_client_get_endpoint (self->client, BI_AWS_SERVICE_APIGATEWAY) != NULL)
    return TRUE;
  return bi_lambda_require (NULL, "BOOKIMG_WEBSOCKET_ENDPOINT", error);
}

void
bi_lambda_services_set_time_left (BiLambdaServices *self,
                                  gint64            remaining_ms)
{
  gint64 timeout_ms = CLAMP (remaining_ms - ANSWER_MARGIN_MS, MIN_AWS_TIMEOUT_MS, AWS_TIMEOUT_MS);

  bi_aws_client_set_timeout_ms (self->client, (guint) timeout_ms);
}

gboolean
bi_lambda_push_parts_init (BiLambdaPushParts *parts,
                           BiLambdaServices  *services,
                           GError           **error)
{
  g_return_val_if_fail (parts != NULL && services != NULL, FALSE);

  parts->services = services;
  parts->subscriptions = bi_lambda_services_subscriptions (services, error);
  if (parts->subscriptions == NULL)
    return FALSE;
  parts->results_store = bi_lambda_services_blob_store (services, error);
  return parts->results_store != NULL && bi_lambda_services_check_pusher (services, error);
}
