/* bi-protocol-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-protocol-error"

#include "bi-protocol-error.h"

#include <json-glib/json-glib.h>

G_DEFINE_QUARK (bi-protocol-error-quark, bi_protocol_error)

const char *
bi_protocol_error_code_name (BiProtocolError code)
{
  switch (code)
    {
    case BI_PROTOCOL_ERROR_BAD_JOB_ID:
      return "bad_job_id";
    case BI_PROTOCOL_ERROR_BAD_FILE_NAME:
      return "bad_file_name";
    case BI_PROTOCOL_ERROR_BAD_CONTENT_TYPE:
      return "bad_content_type";
    case BI_PROTOCOL_ERROR_BAD_MESSAGE:
      return "bad_message";
    case BI_PROTOCOL_ERROR_UNKNOWN_ACTION:
      return "unknown_action";
    default:
      return "error";
    }
}

char *
bi_error_json_new (const char *code,
                   const char *message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (code != NULL, NULL);
  g_return_val_if_fail (message != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, message);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}
