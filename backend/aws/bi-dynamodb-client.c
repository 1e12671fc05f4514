/* bi-dynamodb-client.c — DynamoDB item operations over the JSON protocol
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-dynamodb-client"

#include "bi-dynamodb-client.h"

#include "bi-aws-protocols.h"

#define TARGET_PREFIX "DynamoDB_20120810"

JsonNode *
bi_dynamodb_call (BiAwsClient  *client,
                  const char   *operation,
                  JsonNode     *request,
                  GError      **error)
{
  return bi_aws_json_call (client, BI_AWS_SERVICE_DYNAMODB, "1.0", TARGET_PREFIX, operation,
                           request, error);
}

static JsonNode *
table_request_new (const char *table,
                   const char *member,
                   JsonNode   *value)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);

  json_object_set_string_member (object, "TableName", table);
  json_object_set_member (object, member, json_node_copy (value));
  json_node_take_object (node, object);
  return node;
}

gboolean
bi_dynamodb_put_item (BiAwsClient  *client,
                      const char   *table,
                      JsonNode     *item,
                      GError      **error)
{
  g_autoptr(JsonNode) request = table_request_new (table, "Item", item);
  g_autoptr(JsonNode) answer = bi_dynamodb_call (client, "PutItem", request, error);

  return answer != NULL;
}

JsonNode *
bi_dynamodb_get_item (BiAwsClient  *client,
                      const char   *table,
                      JsonNode     *key,
                      gboolean      consistent_read,
                      GError      **error)
{
  g_autoptr(JsonNode) request = table_request_new (table, "Key", key);
  g_autoptr(JsonNode) answer = NULL;
  JsonObject *object;

  json_object_set_boolean_member (json_node_get_object (request), "ConsistentRead",
                                  consistent_read);
  answer = bi_dynamodb_call (client, "GetItem", request, error);
  if (answer == NULL)
    return NULL;
  object = json_node_get_object (answer);
  if (!json_object_has_member (object, "Item"))
    return NULL;
  return json_node_copy (json_object_get_member (object, "Item"));
}

JsonNode *
bi_dynamodb_query (BiAwsClient  *client,
                   JsonNode     *request,
                   GError      **error)
{
  g_autoptr(JsonNode) page_request = json_node_copy (request);
  g_autoptr(JsonArray) items = json_array_new ();
  JsonNode *result;

  g_return_val_if_fail (JSON_NODE_HOLDS_OBJECT (request), NULL);

  for (;;)
    {
      g_autoptr(JsonNode) answer = bi_dynamodb_call (client, "Query", page_request, error);
      JsonObject *object;
      JsonNode *page_items;

      if (answer == NULL)
        return NULL;
      object = json_node_get_object (answer);
      page_items = json_object_get_member (object, "Items");
      if (page_items != NULL && JSON_NODE_HOLDS_ARRAY (page_items))
        {
          JsonArray *array = json_node_get_array (page_items);

          for (guint i = 0; i < json_array_get_length (array); i++)
            json_array_add_element (items, json_node_copy (json_array_get_element (array, i)));
        }
      /* More pages while the answer names where to go on from. */
      if (!json_object_has_member (object, "LastEvaluatedKey"))
        break;
      json_object_set_member (json_node_get_object (page_request), "ExclusiveStartKey",
                              json_node_copy (json_object_get_member (object,
                                                                      "LastEvaluatedKey")));
    }

  result = json_node_new (JSON_NODE_ARRAY);
  json_node_set_array (result, items);
  return result;
}

gboolean
bi_dynamodb_delete_item (BiAwsClient  *client,
                         const char   *table,
                         JsonNode     *key,
                         GError      **error)
{
  g_autoptr(JsonNode) request = table_request_new (table, "Key", key);
  g_autoptr(JsonNode) answer = bi_dynamodb_call (client, "DeleteItem", request, error);

  return answer != NULL;
}

const char *
bi_dynamodb_item_get_string (JsonNode   *item,
                             const char *name)
{
  JsonObject *attribute;

  if (item == NULL || !JSON_NODE_HOLDS_OBJECT (item))
    return NULL;
  if (!json_object_has_member (json_node_get_object (item), name))
    return NULL;
  attribute = json_object_get_object_member (json_node_get_object (item), name);
  if (attribute == NULL || !json_object_has_member (attribute, "S"))
    return NULL;
  return json_object_get_string_member (attribute, "S");
}
