/* aws-sign-tool.c — signs one request described in JSON with our SigV4, for botocore to compare
 *
 * stdin:  {"access_key","secret_key","session_token"?,"region","service","s3":bool,
 *          "time":"YYYYMMDDTHHMMSSZ","method","path" (wire path),"query":[[name,value]…],
 *          "headers":[[name,value]…],"body_base64"?,"presign_expires"?}
 * stdout: {"authorization": …} for a signed request, {"target": "PATH?QUERY"} for a presigned
 *         one. Run by check-botocore-sigv4.py.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "aws-sign-tool"

#include <json-glib/json-glib.h>
#include <stdio.h>

#include "bi-aws-sigv4.h"

static const char *
member_string (JsonObject *object,
               const char *name)
{
  return json_object_has_member (object, name)
         && !json_object_get_null_member (object, name)
         ? json_object_get_string_member (object, name) : NULL;
}

static void
add_pairs (JsonObject   *spec,
           const char   *name,
           BiAwsRequest *request,
           gboolean      headers)
{
  JsonArray *pairs = json_object_get_array_member (spec, name);

  for (guint i = 0; i < json_array_get_length (pairs); i++)
    {
      JsonArray *pair = json_array_get_array_element (pairs, i);
      const char *key = json_array_get_string_element (pair, 0);
      const char *value = json_array_get_string_element (pair, 1);

      if (headers)
        bi_aws_request_add_header (request, key, value);
      else
        bi_aws_request_add_query (request, key, value);
    }
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GIOChannel) input = g_io_channel_unix_new (0);
  g_autofree char *text = NULL;
  gsize length = 0;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(BiAwsRequest) request = NULL;
  g_autoptr(GDateTime) time = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autofree char *output = NULL;
  JsonObject *spec;
  BiAwsCredentials credentials;
  BiAwsSigningParams params;
  const char *stamp;
  const char *body;
  int year, month, day, hour, minute, second;

  if (g_io_channel_read_to_end (input, &text, &length, &error) != G_IO_STATUS_NORMAL
      || !json_parser_load_from_data (parser, text, length, &error))
    {
      g_printerr ("aws-sign-tool: cannot read the JSON request on stdin: %s\n",
                  error != NULL ? error->message : "read failed");
      return 2;
    }
  spec = json_node_get_object (json_parser_get_root (parser));

  credentials.access_key_id = member_string (spec, "access_key");
  credentials.secret_access_key = member_string (spec, "secret_key");
  credentials.session_token = member_string (spec, "session_token");
  params.credentials = &credentials;
  params.region = member_string (spec, "region");
  params.service = member_string (spec, "service");
  params.s3 = json_object_get_boolean_member (spec, "s3");

  stamp = member_string (spec, "time");
  if (stamp == NULL || sscanf (stamp, "%4d%2d%2dT%2d%2d%2dZ", &year, &month, &day, &hour,
                               &minute, &second) != 6)
    {
      g_printerr ("aws-sign-tool: \"time\" must be YYYYMMDDTHHMMSSZ\n");
      return 2;
    }
  time = g_date_time_new_utc (year, month, day, hour, minute, second);

  request = bi_aws_request_new (member_string (spec, "method"), member_string (spec, "path"));
  add_pairs (spec, "query", request, FALSE);
  add_pairs (spec, "headers", request, TRUE);
  body = member_string (spec, "body_base64");
  if (body != NULL)
    {
      gsize size = 0;
      guchar *data = g_base64_decode (body, &size);

      request->body = g_bytes_new_take (data, size);
    }

  json_builder_begin_object (builder);
  if (json_object_has_member (spec, "presign_expires"))
    {
      g_autofree char *target = bi_aws_sigv4_presign (
        request, &params, time, (guint) json_object_get_int_member (spec, "presign_expires"),
        NULL);

      json_builder_set_member_name (builder, "target");
      json_builder_add_string_value (builder, target);
    }
  else
    {
      g_auto(BiAwsSignature) signature = { 0 };

      bi_aws_sigv4_sign (request, &params, time, &signature);
      /* Shown by the script when botocore disagrees. */
      json_builder_set_member_name (builder, "canonical_request");
      json_builder_add_string_value (builder, signature.canonical_request);
      json_builder_set_member_name (builder, "authorization");
      json_builder_add_string_value (builder, bi_aws_request_get_header (request,
                                                                         "Authorization"));
    }
  json_builder_end_object (builder);
  json_generator_set_root (generator, json_builder_get_root (builder));
  output = json_generator_to_data (generator, NULL);
  printf ("%s\n", output);
  return 0;
}
