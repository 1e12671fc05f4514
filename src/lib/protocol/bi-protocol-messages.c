/* bi-protocol-messages.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-protocol-messages"

#include "bi-protocol-messages.h"
#include "bi-job-id.h"
#include "bi-protocol-error.h"

#include <string.h>

static const char *const stage_names[BI_N_STAGES] = {
  [BI_STAGE_UPLOADED] = "uploaded",
  [BI_STAGE_OCR] = "ocr",
  [BI_STAGE_CANDIDATES] = "candidates",
  [BI_STAGE_VALIDATION] = "validation",
};

const char *
bi_stage_to_string (BiStage stage)
{
  g_return_val_if_fail (stage < BI_N_STAGES, NULL);

  return stage_names[stage];
}

gboolean
bi_stage_from_string (const char *name,
                      BiStage    *stage)
{
  for (guint i = 0; i < BI_N_STAGES; i++)
    {
      if (g_strcmp0 (name, stage_names[i]) == 0)
        {
          if (stage != NULL)
            *stage = (BiStage) i;
          return TRUE;
        }
    }

  return FALSE;
}

const char *
bi_json_object_get_string (JsonObject *object,
                           const char *name)
{
  JsonNode *node;

  if (object == NULL)
    return NULL;

  node = json_object_get_member (object, name);
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

char *
bi_json_to_string (JsonNode *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();

  json_generator_set_root (generator, node);
  return json_generator_to_data (generator, NULL);
}

/* Finishes @builder (an open object) and returns its text. */
static char *
finish_object (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = NULL;

  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return bi_json_to_string (root);
}

static JsonBuilder *
begin_object_with_string (const char *name,
                          const char *value)
{
  JsonBuilder *builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
  return builder;
}

static void
add_string_member (JsonBuilder *builder,
                   const char  *name,
                   const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

/* {"type":TYPE,"jobId":JOB_ID,"seq":SEQ — the head of every push. */
static JsonBuilder *
begin_push (const char *type,
            const char *job_id,
            gint64      seq)
{
  JsonBuilder *builder = begin_object_with_string ("type", type);

  add_string_member (builder, "jobId", job_id);
  json_builder_set_member_name (builder, "seq");
  json_builder_add_int_value (builder, seq);
  return builder;
}

static char *
job_action_new (const char *action,
                const char *job_id)
{
  g_autoptr(JsonBuilder) builder = begin_object_with_string ("action", action);

  add_string_member (builder, "jobId", job_id);
  return finish_object (builder);
}

char *
bi_action_subscribe_new (const char *job_id)
{
  return job_action_new ("subscribe", job_id);
}

char *
bi_action_unsubscribe_new (const char *job_id)
{
  return job_action_new ("unsubscribe", job_id);
}

char *
bi_action_ping_new (void)
{
  g_autoptr(JsonBuilder) builder = begin_object_with_string ("action", "ping");

  return finish_object (builder);
}

static JsonObject *
parse_object (const char  *text,
              gsize        length,
              JsonParser  *parser,
              GError     **error)
{
  JsonNode *root;
  g_autoptr(GError) parse_error = NULL;

  if (!g_utf8_validate (text, (gssize) length, NULL))
    {
      g_set_error_literal (error, BI_PROTOCOL_ERROR, BI_PROTOCOL_ERROR_BAD_MESSAGE,
                           "The message is not valid UTF-8 text.");
      return NULL;
    }

  if (!json_parser_load_from_data (parser, text, (gssize) length, &parse_error))
    {
      g_set_error (error, BI_PROTOCOL_ERROR, BI_PROTOCOL_ERROR_BAD_MESSAGE,
                   "The message is not valid JSON: %s", parse_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, BI_PROTOCOL_ERROR, BI_PROTOCOL_ERROR_BAD_MESSAGE,
                           "The message must be a JSON object.");
      return NULL;
    }

  return json_node_get_object (root);
}

gboolean
bi_client_action_parse (const char      *text,
                        gsize            length,
                        BiClientAction  *action,
                        char           **job_id,
                        GError         **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;
  const char *name;
  const char *id;
  BiClientAction parsed;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (action != NULL, FALSE);

  object = parse_object (text, length, parser, error);
  if (object == NULL)
    return FALSE;

  name = bi_json_object_get_string (object, "action");
  if (name == NULL)
    {
      g_set_error_literal (error, BI_PROTOCOL_ERROR, BI_PROTOCOL_ERROR_BAD_MESSAGE,
                           "The message needs a string member \"action\" "
                           "(subscribe, unsubscribe or ping).");
      return FALSE;
    }

  if (strcmp (name, "ping") == 0)
    {
      *action = BI_CLIENT_ACTION_PING;
      return TRUE;
    }
  else if (strcmp (name, "subscribe") == 0)
    parsed = BI_CLIENT_ACTION_SUBSCRIBE;
  else if (strcmp (name, "unsubscribe") == 0)
    parsed = BI_CLIENT_ACTION_UNSUBSCRIBE;
  else
    {
      g_autofree char *shown = g_utf8_substring (name, 0, MIN (g_utf8_strlen (name, -1), 40));

      g_set_error (error, BI_PROTOCOL_ERROR, BI_PROTOCOL_ERROR_UNKNOWN_ACTION,
                   "Unknown action \"%s\"; use subscribe, unsubscribe or ping.", shown);
      return FALSE;
    }

  id = bi_json_object_get_string (object, "jobId");
  if (id == NULL)
    {
      g_set_error (error, BI_PROTOCOL_ERROR, BI_PROTOCOL_ERROR_BAD_JOB_ID,
                   "The %s action needs a string member \"jobId\".", name);
      return FALSE;
    }
  if (!bi_job_id_validate (id, error))
    return FALSE;

  *action = parsed;
  if (job_id != NULL)
    *job_id = g_strdup (id);
  return TRUE;
}

char *
bi_message_subscribed_new (const char *job_id)
{
  g_autoptr(JsonBuilder) builder = begin_object_with_string ("type", "subscribed");

  add_string_member (builder, "jobId", job_id);
  return finish_object (builder);
}

char *
bi_message_unsubscribed_new (const char *job_id)
{
  g_autoptr(JsonBuilder) builder = begin_object_with_string ("type", "unsubscribed");

  add_string_member (builder, "jobId", job_id);
  return finish_object (builder);
}

char *
bi_message_pong_new (void)
{
  g_autoptr(JsonBuilder) builder = begin_object_with_string ("type", "pong");

  return finish_object (builder);
}

char *
bi_message_error_new (const char *code,
                      const char *message)
{
  g_autoptr(JsonBuilder) builder = begin_object_with_string ("type", "error");

  add_string_member (builder, "code", code);
  add_string_member (builder, "message", message);
  return finish_object (builder);
}

char *
bi_message_job_progress_new (const char *job_id,
                             gint64      seq,
                             BiStage     stage,
                             gboolean    finished)
{
  g_autoptr(JsonBuilder) builder = begin_push ("jobProgress", job_id, seq);

  add_string_member (builder, "stage", bi_stage_to_string (stage));
  add_string_member (builder, "state", finished ? "finished" : "started");
  return finish_object (builder);
}

char *
bi_message_processing_complete_new (const char *job_id,
                                    gint64      seq,
                                    JsonNode   *results)
{
  g_autoptr(JsonBuilder) builder = begin_push ("processingComplete", job_id, seq);

  json_builder_set_member_name (builder, "results");
  json_builder_add_value (builder, json_node_copy (results));
  return finish_object (builder);
}

char *
bi_message_processing_failed_new (const char *job_id,
                                  gint64      seq,
                                  const char *stage,
                                  const char *code,
                                  const char *message)
{
  g_autoptr(JsonBuilder) builder = begin_push ("processingFailed", job_id, seq);

  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  add_string_member (builder, "stage", stage);
  add_string_member (builder, "code", code);
  add_string_member (builder, "message", message);
  json_builder_end_object (builder);
  return finish_object (builder);
}

void
bi_server_message_free (BiServerMessage *message)
{
  if (message == NULL)
    return;

  g_free (message->job_id);
  g_free (message->stage);
  g_clear_pointer (&message->results, json_node_unref);
  g_free (message->error_code);
  g_free (message->error_message);
  g_free (message);
}

static const struct
{
  const char          *name;
  BiServerMessageType  type;
} server_message_types[] = {
  { "subscribed", BI_SERVER_MESSAGE_SUBSCRIBED },
  { "unsubscribed", BI_SERVER_MESSAGE_UNSUBSCRIBED },
  { "pong", BI_SERVER_MESSAGE_PONG },
  { "error", BI_SERVER_MESSAGE_ERROR },
  { "jobProgress", BI_SERVER_MESSAGE_JOB_PROGRESS },
  { "processingComplete", BI_SERVER_MESSAGE_PROCESSING_COMPLETE },
  { "processingFailed", BI_SERVER_MESSAGE_PROCESSING_FAILED },
};

static gboolean
lookup_server_message_type (const char          *name,
                            BiServerMessageType *type)
{
  for (guint i = 0; i < G_N_ELEMENTS (server_message_types); i++)
    {
      if (g_strcmp0 (name, server_message_types[i].name) == 0)
        {
          *type = server_message_types[i].type;
          return TRUE;
        }
    }

  return FALSE;
}

static gboolean
parse_push_fields (JsonObject       *object,
                   BiServerMessage  *message,
                   GError          **error)
{
  JsonNode *seq = json_object_get_member (object, "seq");
  JsonObject *error_object;

  if (message->job_id == NULL || seq == NULL || !JSON_NODE_HOLDS_VALUE (seq)
      || json_node_get_value_type (seq) != G_TYPE_INT64)
    {
      g_set_error_literal (error, BI_PROTOCOL_ERROR, BI_PROTOCOL_ERROR_BAD_MESSAGE,
                           "A push needs \"jobId\" and an integer \"seq\".");
      return FALSE;
    }
  message->seq = json_node_get_int (seq);

  switch (message->type)
    {
    case BI_SERVER_MESSAGE_JOB_PROGRESS:
      message->stage = g_strdup (bi_json_object_get_string (object, "stage"));
      message->finished = g_strcmp0 (bi_json_object_get_string (object, "state"), "finished") == 0;
      if (!bi_stage_from_string (message->stage, NULL))
        {
          g_set_error_literal (error, BI_PROTOCOL_ERROR, BI_PROTOCOL_ERROR_BAD_MESSAGE,
                               "jobProgress has an unknown \"stage\".");
          return FALSE;
        }
      return TRUE;

    case BI_SERVER_MESSAGE_PROCESSING_COMPLETE:
      if (!json_object_has_member (object, "results")
          || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "results")))
        {
          g_set_error_literal (error, BI_PROTOCOL_ERROR, BI_PROTOCOL_ERROR_BAD_MESSAGE,
                               "processingComplete needs an object \"results\".");
          return FALSE;
        }
      message->results = json_node_copy (json_object_get_member (object, "results"));
      return TRUE;

    case BI_SERVER_MESSAGE_PROCESSING_FAILED:
      if (!json_object_has_member (object, "error")
          || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (object, "error")))
        {
          g_set_error_literal (error, BI_PROTOCOL_ERROR, BI_PROTOCOL_ERROR_BAD_MESSAGE,
                               "processingFailed needs an object \"error\".");
          return FALSE;
        }
      error_object = json_object_get_object_member (object, "error");
      message->stage = g_strdup (bi_json_object_get_string (error_object, "stage"));
      message->error_code = g_strdup (bi_json_object_get_string (error_object, "code"));
      message->error_message = g_strdup (bi_json_object_get_string (error_object, "message"));
      return TRUE;

    default:
      return TRUE;
    }
}

BiServerMessage *
bi_server_message_parse (const char  *text,
                         gsize        length,
                         GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(BiServerMessage) message = g_new0 (BiServerMessage, 1);
  JsonObject *object;
  const char *type;

  g_return_val_if_fail (text != NULL, NULL);

  object = parse_object (text, length, parser, error);
  if (object == NULL)
    return NULL;

  type = bi_json_object_get_string (object, "type");
  if (!lookup_server_message_type (type, &message->type))
    {
      g_set_error_literal (error, BI_PROTOCOL_ERROR, BI_PROTOCOL_ERROR_BAD_MESSAGE,
                           "The server message has no known \"type\".");
      return NULL;
    }

  message->job_id = g_strdup (bi_json_object_get_string (object, "jobId"));

  switch (message->type)
    {
    case BI_SERVER_MESSAGE_ERROR:
      message->error_code = g_strdup (bi_json_object_get_string (object, "code"));
      message->error_message = g_strdup (bi_json_object_get_string (object, "message"));
      break;
    case BI_SERVER_MESSAGE_JOB_PROGRESS:
    case BI_SERVER_MESSAGE_PROCESSING_COMPLETE:
    case BI_SERVER_MESSAGE_PROCESSING_FAILED:
      if (!parse_push_fields (object, message, error))
        return NULL;
      break;
    default:
      break;
    }

  return g_steal_pointer (&message);
}
