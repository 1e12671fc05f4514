/* bi-dynamodb-subscriptions.c — subscriptions (jobId, connectionId) with a TTL in DynamoDB
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-dynamodb-subscriptions"

#include "bi-dynamodb-subscriptions.h"

#include "bi-dynamodb-client.h"
#include "bi-job-id.h"

#include <string.h>

struct _BiDynamodbSubscriptions
{
  BiAwsClient         *client;     /* borrowed */
  char                *table;
  gint64               ttl_ms;
  BiDynamodbClockFunc  clock;      /* NULL: the real time */
  gpointer             clock_data;
};

static gint64
now_ms (BiDynamodbSubscriptions *self)
{
  return self->clock != NULL ? self->clock (self->clock_data) : g_get_real_time () / 1000;
}

static gboolean
check_connection_id (const char  *connection_id,
                     GError     **error)
{
  gsize length = connection_id != NULL ? strlen (connection_id) : 0;

  for (gsize i = 0; i < length; i++)
    if (connection_id[i] < 0x21 || connection_id[i] > 0x7e)
      length = 0;
  if (length == 0 || length > 128)
    {
      g_set_error_literal (error, BI_AWS_ERROR, BI_AWS_ERROR_CONFIG,
                           "A connection id is 1–128 printable ASCII characters.");
      return FALSE;
    }
  return TRUE;
}

static JsonNode *
key_new (const char *job_id,
         const char *connection_id,
         gint64      expires_at)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "jobId");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "S");
  json_builder_add_string_value (builder, job_id);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "connectionId");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "S");
  json_builder_add_string_value (builder, connection_id);
  json_builder_end_object (builder);
  if (expires_at > 0)
    {
      g_autofree char *seconds = g_strdup_printf ("%" G_GINT64_FORMAT, expires_at);

      json_builder_set_member_name (builder, BI_DYNAMODB_SUBSCRIPTIONS_TTL_ATTRIBUTE);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "N");
      json_builder_add_string_value (builder, seconds);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* A Query of @index (NULL: the table) for rows whose @key_name is @key_value; on the table,
 * only rows that have not expired. The index projects keys only (no expiresAt), and deleting
 * a connection's expired rows too is what $disconnect wants anyway. */
static JsonNode *
query_new (BiDynamodbSubscriptions *self,
           const char              *index,
           const char              *key_name,
           const char              *key_value)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *condition = g_strdup_printf ("%s = :key", key_name);
  g_autofree char *now_seconds = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                  now_ms (self) / 1000);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "TableName");
  json_builder_add_string_value (builder, self->table);
  if (index != NULL)
    {
      json_builder_set_member_name (builder, "IndexName");
      json_builder_add_string_value (builder, index);
    }
  else
    {
      /* The notifier pushes right after subscribe: read what was just written. */
      json_builder_set_member_name (builder, "ConsistentRead");
      json_builder_add_boolean_value (builder, TRUE);
    }
  json_builder_set_member_name (builder, "KeyConditionExpression");
  json_builder_add_string_value (builder, condition);
  if (index == NULL)
    {
      /* DynamoDB's TTL deletion lags by up to days: expired rows must be filtered here. */
      json_builder_set_member_name (builder, "FilterExpression");
      json_builder_add_string_value (builder, "#expires > :now");
      json_builder_set_member_name (builder, "ExpressionAttributeNames");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "#expires");
      json_builder_add_string_value (builder, BI_DYNAMODB_SUBSCRIPTIONS_TTL_ATTRIBUTE);
      json_builder_end_object (builder);
    }
  json_builder_set_member_name (builder, "ExpressionAttributeValues");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, ":key");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "S");
  json_builder_add_string_value (builder, key_value);
  json_builder_end_object (builder);
  if (index == NULL)
    {
      json_builder_set_member_name (builder, ":now");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "N");
      json_builder_add_string_value (builder, now_seconds);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

BiDynamodbSubscriptions *
bi_dynamodb_subscriptions_new (BiAwsClient *client,
                               const char  *table,
                               gint64       ttl_ms)
{
  BiDynamodbSubscriptions *self;

  g_return_val_if_fail (client != NULL && table != NULL && ttl_ms > 0, NULL);

  self = g_new0 (BiDynamodbSubscriptions, 1);
  self->client = client;
  self->table = g_strdup (table);
  self->ttl_ms = ttl_ms;
  return self;
}

void
bi_dynamodb_subscriptions_free (BiDynamodbSubscriptions *self)
{
  if (self == NULL)
    return;

  g_free (self->table);
  g_free (self);
}

void
bi_dynamodb_subscriptions_set_clock (BiDynamodbSubscriptions *self,
                                     BiDynamodbClockFunc      clock,
                                     gpointer                 user_data)
{
  self->clock = clock;
  self->clock_data = user_data;
}

gboolean
bi_dynamodb_subscriptions_put (BiDynamodbSubscriptions *self,
                               const char              *job_id,
                               const char              *connection_id,
                               GError                 **error)
{
  g_autoptr(JsonNode) item = NULL;
  /* Rounded up, so a row never expires before its TTL. */
  gint64 expires_at = (now_ms (self) + self->ttl_ms + 999) / 1000;

  if (!bi_job_id_validate (job_id, error) || !check_connection_id (connection_id, error))
    return FALSE;
  item = key_new (job_id, connection_id, expires_at);
  return bi_dynamodb_put_item (self->client, self->table, item, error);
}

static GPtrArray *
query_strings (BiDynamodbSubscriptions *self,
               const char              *index,
               const char              *key_name,
               const char              *key_value,
               const char              *wanted,
               GError                 **error)
{
  g_autoptr(JsonNode) request = query_new (self, index, key_name, key_value);
  g_autoptr(JsonNode) items = bi_dynamodb_query (self->client, request, error);
  g_autoptr(GPtrArray) values = NULL;
  JsonArray *array;

  if (items == NULL)
    return NULL;
  array = json_node_get_array (items);
  values = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      const char *value = bi_dynamodb_item_get_string (json_array_get_element (array, i),
                                                       wanted);

      if (value != NULL)
        g_ptr_array_add (values, g_strdup (value));
    }
  return g_steal_pointer (&values);
}

GPtrArray *
bi_dynamodb_subscriptions_list_by_job (BiDynamodbSubscriptions *self,
                                       const char              *job_id,
                                       GError                 **error)
{
  if (!bi_job_id_validate (job_id, error))
    return NULL;
  return query_strings (self, NULL, "jobId", job_id, "connectionId", error);
}

gboolean
bi_dynamodb_subscriptions_delete (BiDynamodbSubscriptions *self,
                                  const char              *job_id,
                                  const char              *connection_id,
                                  GError                 **error)
{
  g_autoptr(JsonNode) key = NULL;

  if (!bi_job_id_validate (job_id, error) || !check_connection_id (connection_id, error))
    return FALSE;
  key = key_new (job_id, connection_id, 0);
  return bi_dynamodb_delete_item (self->client, self->table, key, error);
}

gboolean
bi_dynamodb_subscriptions_delete_by_connection (BiDynamodbSubscriptions *self,
                                                const char              *connection_id,
                                                guint                   *n_deleted,
                                                GError                 **error)
{
  g_autoptr(GPtrArray) job_ids = NULL;

  if (n_deleted != NULL)
    *n_deleted = 0;
  if (!check_connection_id (connection_id, error))
    return FALSE;
  job_ids = query_strings (self, BI_DYNAMODB_SUBSCRIPTIONS_CONNECTION_INDEX, "connectionId",
                           connection_id, "jobId", error);
  if (job_ids == NULL)
    return FALSE;

  for (guint i = 0; i < job_ids->len; i++)
    {
      g_autoptr(JsonNode) key = key_new (g_ptr_array_index (job_ids, i), connection_id, 0);

      if (!bi_dynamodb_delete_item (self->client, self->table, key, error))
        return FALSE;
      if (n_deleted != NULL)
        (*n_deleted)++;
    }
  return TRUE;
}

JsonNode *
bi_dynamodb_subscriptions_create_table_request (const char *table)
{
  g_autofree char *json = g_strdup_printf (
    "{\"TableName\":\"%s\","
    "\"BillingMode\":\"PAY_PER_REQUEST\","
    "\"AttributeDefinitions\":[{\"AttributeName\":\"jobId\",\"AttributeType\":\"S\"},"
    "{\"AttributeName\":\"connectionId\",\"AttributeType\":\"S\"}],"
    "\"KeySchema\":[{\"AttributeName\":\"jobId\",\"KeyType\":\"HASH\"},"
    "{\"AttributeName\":\"connectionId\",\"KeyType\":\"RANGE\"}],"
    "\"GlobalSecondaryIndexes\":[{\"IndexName\":\"" BI_DYNAMODB_SUBSCRIPTIONS_CONNECTION_INDEX
    "\",\"KeySchema\":[{\"AttributeName\":\"connectionId\",\"KeyType\":\"HASH\"}],"
    "\"Projection\":{\"ProjectionType\":\"KEYS_ONLY\"}}]}", table);

  return json_from_string (json, NULL);
}
