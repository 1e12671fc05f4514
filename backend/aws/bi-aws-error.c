/* bi-aws-error.c — AWS error answers → GError
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-aws-error"

#include "bi-aws-error.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "bi-aws-xml.h"
#include "bi-protocol-messages.h"

G_DEFINE_QUARK (bi-aws-error-quark, bi_aws_error)

void
bi_aws_error_body_clear (BiAwsErrorBody *body)
{
  g_clear_pointer (&body->code, g_free);
  g_clear_pointer (&body->message, g_free);
}

/* "com.amazonaws.dynamodb.v20120810#ResourceNotFoundException" and
 * "ValidationException:http://internal.amazon.com/coral/…" are both "…Exception". */
static char *
bare_code (const char *code)
{
  const char *hash = strrchr (code, '#');
  const char *start = hash != NULL ? hash + 1 : code;
  const char *colon = strchr (start, ':');

  return colon != NULL ? g_strndup (start, colon - start) : g_strdup (start);
}

static void
parse_json (const char     *body,
            gsize           length,
            BiAwsErrorBody *out)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  const char *value;

  if (!json_parser_load_from_data (parser, body, length, NULL)
      || json_parser_get_root (parser) == NULL
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;
  object = json_node_get_object (json_parser_get_root (parser));

  if (out->code == NULL && ((value = bi_json_object_get_string (object, "__type")) != NULL
                            || (value = bi_json_object_get_string (object, "code")) != NULL))
    out->code = bare_code (value);
  if ((value = bi_json_object_get_string (object, "message")) != NULL
      || (value = bi_json_object_get_string (object, "Message")) != NULL)
    out->message = g_strdup (value);
}

void
bi_aws_error_body_parse (const char     *body,
                         gsize           length,
                         const char     *error_type_header,
                         BiAwsErrorBody *out)
{
  gsize start = 0;

  memset (out, 0, sizeof *out);
  /* REST-JSON services (Bedrock, API Gateway) put the code in a header. */
  if (error_type_header != NULL && error_type_header[0] != '\0')
    out->code = bare_code (error_type_header);
  if (body == NULL || length == 0)
    return;

  while (start < length && g_ascii_isspace (body[start]))
    start++;
  if (start < length && body[start] == '<')
    {
      if (out->code == NULL)
        out->code = bi_aws_xml_find_text (body, length, "Code");
      out->message = bi_aws_xml_find_text (body, length, "Message");
    }
  else if (start < length && body[start] == '{')
    parse_json (body, length, out);
}

gboolean
bi_aws_error_code_is_throttling (const char *code)
{
  static const char * const throttling[] = {
    "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException",
    "TooManyRequestsException", "ProvisionedThroughputExceededException",
    "TransactionInProgressException", "RequestLimitExceeded", "BandwidthLimitExceeded",
    "LimitExceededException", "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
    "EC2ThrottledException", "ServiceQuotaExceededException",
    NULL
  };

  return code != NULL && g_strv_contains (throttling, code);
}

static BiAwsError
error_for (guint       status,
           const char *code)
{
  if (bi_aws_error_code_is_throttling (code) || status == 429)
    return BI_AWS_ERROR_THROTTLED;
  if (status == 410)
    return BI_AWS_ERROR_GONE;
  if (status == 404 || g_strcmp0 (code, "NoSuchKey") == 0
      || g_strcmp0 (code, "ResourceNotFoundException") == 0
      || g_strcmp0 (code, "AWS.SimpleQueueService.NonExistentQueue") == 0
      || g_strcmp0 (code, "QueueDoesNotExist") == 0 || g_strcmp0 (code, "NotFound") == 0)
    return BI_AWS_ERROR_NOT_FOUND;
  if (status >= 500)
    return BI_AWS_ERROR_UNAVAILABLE;
  return BI_AWS_ERROR_SERVICE;
}

void
bi_aws_error_set_from_answer (GError              **error,
                              const char           *what,
                              guint                 status,
                              const BiAwsErrorBody *body)
{
  const char *code = body->code != NULL ? body->code : "UnknownError";
  const char *message = body->message != NULL ? body->message
                                              : "the answer gave no reason";

  g_set_error (error, BI_AWS_ERROR, error_for (status, body->code),
               "%s: %s (HTTP %u): %s%s", what, code, status, message,
               g_str_has_suffix (message, ".") ? "" : ".");
}

char *
bi_aws_error_get_code (const GError *error)
{
  const char *colon;
  const char *end;

  if (error == NULL || error->domain != BI_AWS_ERROR)
    return NULL;
  /* The message is "WHAT: CODE (HTTP n): MESSAGE". */
  colon = strstr (error->message, ": ");
  if (colon == NULL)
    return NULL;
  end = strstr (colon + 2, " (HTTP ");
  if (end == NULL)
    return NULL;
  return g_strndup (colon + 2, end - (colon + 2));
}
