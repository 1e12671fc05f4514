/* bi-lambda-api-response.c — answers of API Gateway proxy integrations, and the access token
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-lambda-api-response"

#include "bi-lambda-api-response.h"
#include "bi-protocol-error.h"
#include "bi-protocol-messages.h"
#include "bi-url-signer.h"

#include <stdarg.h>

char *
bi_lambda_api_response_new (guint               status,
                            const char         *content_type,
                            const char         *body,
                            const char * const *headers)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "statusCode");
  json_builder_add_int_value (builder, status);
  json_builder_set_member_name (builder, "headers");
  json_builder_begin_object (builder);
  if (content_type != NULL)
    {
      json_builder_set_member_name (builder, "Content-Type");
      json_builder_add_string_value (builder, content_type);
    }
  for (guint i = 0; headers != NULL && headers[i] != NULL && headers[i + 1] != NULL; i += 2)
    {
      json_builder_set_member_name (builder, headers[i]);
      json_builder_add_string_value (builder, headers[i + 1]);
    }
  json_builder_end_object (builder);
  if (body != NULL)
    {
      json_builder_set_member_name (builder, "body");
      json_builder_add_string_value (builder, body);
      json_builder_set_member_name (builder, "isBase64Encoded");
      json_builder_add_boolean_value (builder, FALSE);
    }
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return bi_json_to_string (root);
}

char *
bi_lambda_api_error_new (guint       status,
                         const char *code,
                         const char *message)
{
  g_autofree char *body = bi_error_json_new (code, message);

  return bi_lambda_api_response_new (status, "application/json", body, NULL);
}

char *
bi_lambda_api_check_token (const char *expected,
                           const char *token)
{
  const char *headers[] = { "WWW-Authenticate", "Bearer", NULL };
  g_autofree char *body = NULL;

  if (expected == NULL || (token != NULL && bi_constant_time_equal (token, expected)))
    return NULL;

  body = bi_error_json_new ("unauthorized",
                            token == NULL
                            ? "This server needs its access token: send "
                              "`Authorization: Bearer TOKEN` (or ?token=TOKEN)."
                            : "The access token is wrong; use the one the server was "
                              "started with.");
  return bi_lambda_api_response_new (401, "application/json", body, headers);
}

const char *
bi_lambda_event_get_string (JsonNode *root,
                            ...)
{
  JsonNode *node = root;
  const char *name;
  va_list args;

  va_start (args, root);
  while ((name = va_arg (args, const char *)) != NULL)
    {
      JsonObject *object = node != NULL && JSON_NODE_HOLDS_OBJECT (node)
                             ? json_node_get_object (node) : NULL;

      node = object != NULL && json_object_has_member (object, name)
               ? json_object_get_member (object, name) : NULL;
    }
  va_end (args);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_STRING ? json_node_get_string (node) : NULL;
}
