/* bi-topic-message.c — the topic's messages and the push each becomes
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-topic-message"

#include "bi-topic-message.h"
#include "bi-job-id.h"
#include "bi-protocol-error.h"
#include "bi-protocol-messages.h"

#include <string.h>

gboolean
bi_topic_message_parse (const char  *text,
                        gssize       length,
                        char       **job_id,
                        JsonNode   **message,
                        GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) parse_error = NULL;
  JsonObject *object;
  JsonObject *failure = NULL;
  const char *status;
  const char *id;

  g_return_val_if_fail (text != NULL, FALSE);

  if (length < 0)
    length = (gssize) strlen (text);
  if (!g_utf8_validate (text, length, NULL)
      || !json_parser_load_from_data (parser, text, length, &parse_error)
      || json_parser_get_root (parser) == NULL
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, BI_PROTOCOL_ERROR, BI_PROTOCOL_ERROR_BAD_MESSAGE,
                   "The topic message is not a JSON object%s%s.",
                   parse_error != NULL ? ": " : "",
                   parse_error != NULL ? parse_error->message : "");
      return FALSE;
    }

  object = json_node_get_object (json_parser_get_root (parser));
  id = bi_json_object_get_string (object, "jobId");
  if (!bi_job_id_validate (id, error))
    return FALSE;

  status = bi_json_object_get_string (object, "status");
  if (g_strcmp0 (status, "failed") == 0 && json_object_has_member (object, "error")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "error")))
    failure = json_object_get_object_member (object, "error");

  if (g_strcmp0 (status, "complete") != 0
      && (failure == NULL || bi_json_object_get_string (failure, "stage") == NULL
          || bi_json_object_get_string (failure, "code") == NULL
          || bi_json_object_get_string (failure, "message") == NULL))
    {
      g_set_error_literal (error, BI_PROTOCOL_ERROR, BI_PROTOCOL_ERROR_BAD_MESSAGE,
                           "The topic message must have \"status\":\"complete\" (final results) "
                           "or \"status\":\"failed\" with an \"error\" object of strings "
                           "\"stage\", \"code\" and \"message\".");
      return FALSE;
    }

  if (job_id != NULL)
    *job_id = g_strdup (id);
  if (message != NULL)
    *message = json_parser_steal_root (parser);
  return TRUE;
}

/* Sets @error about an invalid topic message and returns NULL. */
static char *
bad_topic_message (GError     **error,
                   const char  *what)
{
  g_set_error (error, BI_PROTOCOL_ERROR, BI_PROTOCOL_ERROR_BAD_MESSAGE,
               "The topic message %s; it must be the final results (\"status\":\"complete\") "
               "or a failure (\"status\":\"failed\" with an \"error\" object of strings "
               "\"stage\", \"code\" and \"message\").", what);
  return NULL;
}

char *
bi_topic_message_to_push (const char  *job_id,
                          gint64       seq,
                          JsonNode    *topic_message,
                          gboolean    *failed,
                          GError     **error)
{
  JsonObject *object;
  JsonObject *failure;
  const char *status;
  const char *message_job_id;

  if (topic_message == NULL || !JSON_NODE_HOLDS_OBJECT (topic_message))
    return bad_topic_message (error, "is not a JSON object");
  object = json_node_get_object (topic_message);

  message_job_id = bi_json_object_get_string (object, "jobId");
  if (message_job_id != NULL && g_strcmp0 (message_job_id, job_id) != 0)
    return bad_topic_message (error, "is about another job");

  status = bi_json_object_get_string (object, "status");
  if (g_strcmp0 (status, "complete") == 0)
    {
      *failed = FALSE;
      return bi_message_processing_complete_new (job_id, seq, topic_message);
    }
  if (g_strcmp0 (status, "failed") != 0)
    return bad_topic_message (error, "has no known \"status\"");

  failure = json_object_has_member (object, "error")
            && JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "error"))
              ? json_object_get_object_member (object, "error") : NULL;
  if (bi_json_object_get_string (failure, "stage") == NULL
      || bi_json_object_get_string (failure, "code") == NULL
      || bi_json_object_get_string (failure, "message") == NULL)
    return bad_topic_message (error, "is a failure without a complete \"error\" object");

  *failed = TRUE;
  return bi_message_processing_failed_new (job_id, seq,
                                           bi_json_object_get_string (failure, "stage"),
                                           bi_json_object_get_string (failure, "code"),
                                           bi_json_object_get_string (failure, "message"));
}
