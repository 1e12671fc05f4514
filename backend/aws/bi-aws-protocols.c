/* bi-aws-protocols.c — query (form → XML) and JSON RPC calls to AWS services
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-aws-protocols"

#include "bi-aws-protocols.h"

GBytes *
bi_aws_query_call (BiAwsClient         *client,
                   BiAwsService         service,
                   const char          *version,
                   const char          *action,
                   const char * const  *params,
                   GError             **error)
{
  g_autoptr(BiAwsRequest) request = bi_aws_request_new ("POST", "/");
  g_autoptr(GString) form = g_string_new (NULL);
  g_autofree char *encoded_action = bi_aws_uri_encode (action, FALSE);
  g_autofree char *encoded_version = bi_aws_uri_encode (version, FALSE);
  g_autofree char *what = g_strdup_printf ("%s %s", bi_aws_service_get_name (service), action);
  g_autoptr(BiHttpResponse) response = NULL;

  g_string_append_printf (form, "Action=%s&Version=%s", encoded_action, encoded_version);
  for (guint i = 0; params != NULL && params[i] != NULL && params[i + 1] != NULL; i += 2)
    {
      g_autofree char *name = bi_aws_uri_encode (params[i], FALSE);
      g_autofree char *value = bi_aws_uri_encode (params[i + 1], FALSE);

      g_string_append_printf (form, "&%s=%s", name, value);
    }

  bi_aws_request_add_header (request, "Content-Type",
                             "application/x-www-form-urlencoded; charset=utf-8");
  request->body = g_bytes_new (form->str, form->len);
  response = bi_aws_client_send (client, service, what, request, error);
  if (response == NULL)
    return NULL;
  return g_bytes_ref (response->body);
}

JsonNode *
bi_aws_json_parse_object (GBytes     *body,
                          const char *what,
                          GError    **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) parse_error = NULL;
  gsize size = 0;
  const char *data = g_bytes_get_data (body, &size);

  if (!json_parser_load_from_data (parser, data != NULL ? data : "", size, &parse_error)
      || json_parser_get_root (parser) == NULL
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, BI_AWS_ERROR, BI_AWS_ERROR_BAD_RESPONSE,
                   "%s: the answer is not a JSON object%s%s.", what,
                   parse_error != NULL ? ": " : "",
                   parse_error != NULL ? parse_error->message : "");
      return NULL;
    }
  return json_parser_steal_root (parser);
}

JsonNode *
bi_aws_json_call (BiAwsClient         *client,
                  BiAwsService         service,
                  const char          *json_version,
                  const char          *target_prefix,
                  const char          *operation,
                  JsonNode            *request_json,
                  GError             **error)
{
  g_autoptr(BiAwsRequest) request = bi_aws_request_new ("POST", "/");
  g_autofree char *content_type = g_strdup_printf ("application/x-amz-json-%s", json_version);
  g_autofree char *target = g_strdup_printf ("%s.%s", target_prefix, operation);
  g_autofree char *what = g_strdup_printf ("%s %s", bi_aws_service_get_name (service), operation);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(BiHttpResponse) response = NULL;
  gsize length = 0;
  char *text;

  json_generator_set_root (generator, request_json);
  text = json_generator_to_data (generator, &length);
  bi_aws_request_add_header (request, "Content-Type", content_type);
  bi_aws_request_add_header (request, "X-Amz-Target", target);
  request->body = g_bytes_new_take (text, length);

  response = bi_aws_client_send (client, service, what, request, error);
  if (response == NULL)
    return NULL;
  return bi_aws_json_parse_object (response->body, what, error);
}
