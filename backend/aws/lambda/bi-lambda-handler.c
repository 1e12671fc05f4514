/* bi-lambda-handler.c — the table of handlers _HANDLER picks from
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-lambda-handler"

#include "bi-lambda-handler.h"

#include <json-glib/json-glib.h>

static const BiLambdaHandler *const handlers[] = {
  &bi_lambda_upload_handler,
  &bi_lambda_textract_processor,
  &bi_lambda_bedrock_processor,
  &bi_lambda_book_validator,
  &bi_lambda_connection_manager,
  &bi_lambda_sns_notifier,
  &bi_lambda_http_api,
};

const BiLambdaHandler *
bi_lambda_handler_lookup (const char *name)
{
  for (guint i = 0; name != NULL && i < G_N_ELEMENTS (handlers); i++)
    if (g_strcmp0 (handlers[i]->name, name) == 0)
      return handlers[i];
  return NULL;
}

char *
bi_lambda_handler_list (void)
{
  GString *list = g_string_new (NULL);

  for (guint i = 0; i < G_N_ELEMENTS (handlers); i++)
    g_string_append_printf (list, "%s%s", i > 0 ? ", " : "", handlers[i]->name);
  return g_string_free (list, FALSE);
}

JsonNode *
bi_lambda_event_parse (const BiLambdaInvocation *invocation,
                       GError                  **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) parse_error = NULL;
  gsize size = 0;
  const char *data = g_bytes_get_data (invocation->event, &size);

  if (data == NULL || !g_utf8_validate (data, size, NULL)
      || !json_parser_load_from_data (parser, data, size, &parse_error)
      || json_parser_get_root (parser) == NULL
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, BI_LAMBDA_ERROR, BI_LAMBDA_ERROR_BAD_EVENT,
                   "The event is not a JSON object%s%s.", parse_error != NULL ? ": " : "",
                   parse_error != NULL ? parse_error->message : "");
      return NULL;
    }
  return json_parser_steal_root (parser);
}

JsonArray *
bi_lambda_event_get_records (JsonNode    *event,
                             const char  *source,
                             GError     **error)
{
  JsonObject *root = json_node_get_object (event);

  if (!json_object_has_member (root, "Records")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, "Records")))
    {
      g_set_error (error, BI_LAMBDA_ERROR, BI_LAMBDA_ERROR_BAD_EVENT,
                   "The event has no Records array; this function takes %s.", source);
      return NULL;
    }
  return json_object_get_array_member (root, "Records");
}
