/* bi-apigateway-management.c — PostToConnection, GetConnection, DeleteConnection
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-apigateway-management"

#include "bi-apigateway-management.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "bi-aws-protocols.h"

void
bi_apigateway_connection_clear (BiApiGatewayConnection *connection)
{
  g_clear_pointer (&connection->connected_at, g_free);
  g_clear_pointer (&connection->last_active_at, g_free);
  g_clear_pointer (&connection->source_ip, g_free);
}

/* "/@connections/ID" with the id encoded ('=' → %3D), as botocore sends it. */
static BiAwsRequest *
connection_request_new (const char  *method,
                        const char  *connection_id,
                        GError     **error)
{
  g_autofree char *encoded = NULL;
  g_autofree char *path = NULL;

  if (connection_id == NULL || connection_id[0] == '\0' || strlen (connection_id) > 128)
    {
      g_set_error_literal (error, BI_AWS_ERROR, BI_AWS_ERROR_CONFIG,
                           "A connection id is 1–128 characters (API Gateway's "
                           "connectionId of the event).");
      return NULL;
    }
  encoded = bi_aws_uri_encode (connection_id, FALSE);
  path = g_strdup_printf ("/@connections/%s", encoded);
  return bi_aws_request_new (method, path);
}

gboolean
bi_apigateway_post_to_connection (BiAwsClient  *client,
                                  const char   *connection_id,
                                  const char   *message,
                                  GError      **error)
{
  g_autoptr(BiAwsRequest) request = connection_request_new ("POST", connection_id, error);
  g_autoptr(BiHttpResponse) response = NULL;

  g_return_val_if_fail (message != NULL, FALSE);

  if (request == NULL)
    return FALSE;
  request->body = g_bytes_new (message, strlen (message));
  response = bi_aws_client_send (client, BI_AWS_SERVICE_APIGATEWAY,
                                 "API Gateway PostToConnection", request, error);
  return response != NULL;
}

static char *
dup_member (JsonObject *object,
            const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_STRING
         ? g_strdup (json_node_get_string (node)) : NULL;
}

gboolean
bi_apigateway_get_connection (BiAwsClient            *client,
                              const char             *connection_id,
                              BiApiGatewayConnection *out,
                              GError                **error)
{
  const char *what = "API Gateway GetConnection";
  g_autoptr(BiAwsRequest) request = connection_request_new ("GET", connection_id, error);
  g_autoptr(BiHttpResponse) response = NULL;
  g_autoptr(JsonNode) answer = NULL;
  JsonObject *object;
  JsonObject *identity = NULL;

  if (request == NULL)
    return FALSE;
  response = bi_aws_client_send (client, BI_AWS_SERVICE_APIGATEWAY, what, request, error);
  if (response == NULL)
    return FALSE;
  answer = bi_aws_json_parse_object (response->body, what, error);
  if (answer == NULL)
    return FALSE;

  object = json_node_get_object (answer);
  if (json_object_has_member (object, "identity")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "identity")))
    identity = json_object_get_object_member (object, "identity");
  if (out != NULL)
    {
      out->connected_at = dup_member (object, "connectedAt");
      out->last_active_at = dup_member (object, "lastActiveAt");
      out->source_ip = dup_member (identity, "sourceIp");
    }
  return TRUE;
}

gboolean
bi_apigateway_delete_connection (BiAwsClient  *client,
                                 const char   *connection_id,
                                 GError      **error)
{
  g_autoptr(BiAwsRequest) request = connection_request_new ("DELETE", connection_id, error);
  g_autoptr(BiHttpResponse) response = NULL;

  if (request == NULL)
    return FALSE;
  response = bi_aws_client_send (client, BI_AWS_SERVICE_APIGATEWAY,
                                 "API Gateway DeleteConnection", request, error);
  return response != NULL;
}
