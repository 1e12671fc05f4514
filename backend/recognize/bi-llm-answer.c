/* bi-llm-answer.c — the strict check of an LLM's chat completions answer about a photo's spines
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-llm-answer"

#include "bi-llm-answer.h"
#include "bi-llm-error.h"

#include <json-glib/json-glib.h>
#include <string.h>

void
bi_llm_spine_free (BiLlmSpine *spine)
{
  if (spine == NULL)
    return;

  g_free (spine->title);
  g_free (spine->author);
  g_free (spine);
}

static gboolean G_GNUC_PRINTF (2, 3)
reject (GError     **error,
        const char  *format,
        ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (BI_LLM_ERROR, BI_LLM_ERROR_ANSWER, format,
                                                args));
  va_end (args);
  return FALSE;
}

static JsonNode *
parse_json (const char  *text,
            gsize        length,
            const char  *what,
            GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) parse_error = NULL;
  JsonNode *root;

  /* json-glib takes an empty text for a document without a root. */
  if (length == 0)
    {
      reject (error, "The %s is empty.", what);
      return NULL;
    }
  /* json-glib stops at a NUL and would accept a prefix: every byte must be UTF-8 text. */
  if (!g_utf8_validate (text, (gssize) length, NULL))
    {
      reject (error, "The %s is not UTF-8 text.", what);
      return NULL;
    }
  if (!json_parser_load_from_data (parser, text, (gssize) length, &parse_error))
    {
      reject (error, "The %s is not JSON (%s).", what, parse_error->message);
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      reject (error, "The %s is not a JSON object.", what);
      return NULL;
    }
  return json_node_ref (root);
}

static gboolean
holds_string (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node)
         && json_node_get_value_type (node) == G_TYPE_STRING;
}

/* `choices[0].message.content`, the assistant's text; servers add members of their own
 * (usage, timings, system_fingerprint) around it, which are none of our business. */
static const char *
get_content (JsonObject  *completion,
             GError     **error)
{
  JsonNode *choices = json_object_get_member (completion, "choices");
  JsonNode *choice;
  JsonNode *message;
  JsonNode *content;

  if (choices == NULL || !JSON_NODE_HOLDS_ARRAY (choices)
      || json_array_get_length (json_node_get_array (choices)) == 0)
    {
      reject (error, "The response has no “choices”: it is not a chat completion.");
      return NULL;
    }
  choice = json_array_get_element (json_node_get_array (choices), 0);
  message = JSON_NODE_HOLDS_OBJECT (choice)
            ? json_object_get_member (json_node_get_object (choice), "message") : NULL;
  if (message == NULL || !JSON_NODE_HOLDS_OBJECT (message))
    {
      reject (error, "The response's choices[0] has no “message” object.");
      return NULL;
    }
  content = json_object_get_member (json_node_get_object (message), "content");
  if (!holds_string (content))
    {
      /* OpenAI's strict mode answers a refusal with "content": null and a "refusal". */
      reject (error, "The response's choices[0].message has no “content” text (a refusal?).");
      return NULL;
    }
  return json_node_get_string (content);
}

/* One line of real text: what a title or an author printed on a spine can be. */
static gboolean
check_field_text (const char  *text,
                  guint        element,
                  const char  *name,
                  GError     **error)
{
  gsize length = strlen (text);
  gboolean blank = TRUE;

  if (length == 0 || length > BI_LLM_MAX_FIELD_LENGTH)
    return reject (error, "spines[%u].%s is %" G_GSIZE_FORMAT " bytes long; it must be 1 to %d "
                   "(null when unreadable).", element, name, length, BI_LLM_MAX_FIELD_LENGTH);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType type = g_unichar_type (c);

      if (g_unichar_iscntrl (c) || type == G_UNICODE_LINE_SEPARATOR
          || type == G_UNICODE_PARAGRAPH_SEPARATOR)
        return reject (error, "spines[%u].%s holds a line break or control character; it must "
                       "be one line.", element, name);
      if (!g_unichar_isspace (c))
        blank = FALSE;
    }
  if (blank)
    return reject (error, "spines[%u].%s is blank; it must be text or null.", element, name);
  return TRUE;
}

/* A string (copied to @value) or null (@value stays NULL). */
static gboolean
get_field (JsonObject  *object,
           const char  *name,
           guint        element,
           char       **value,
           GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node != NULL && JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!holds_string (node))
    return reject (error, "spines[%u].%s must be a string or null.", element, name);
  if (!check_field_text (json_node_get_string (node), element, name, error))
    return FALSE;
  *value = g_strdup (json_node_get_string (node));
  return TRUE;
}

static gboolean
parse_spine (JsonNode    *node,
             guint        element,
             GPtrArray   *spines,
             GError     **error)
{
  g_autoptr(BiLlmSpine) spine = g_new0 (BiLlmSpine, 1);
  JsonObject *object;
  JsonNode *index_node;
  gint64 index;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return reject (error, "spines[%u] is not an object.", element);
  object = json_node_get_object (node);

  /* Three members, all of them required: so there is none the schema does not know. */
  if (json_object_get_size (object) != 3 || !json_object_has_member (object, "index")
      || !json_object_has_member (object, "title") || !json_object_has_member (object, "author"))
    return reject (error, "spines[%u] must have exactly the members index, title and author.",
                   element);

  index_node = json_object_get_member (object, "index");
  if (!JSON_NODE_HOLDS_VALUE (index_node) || json_node_get_value_type (index_node) != G_TYPE_INT64)
    return reject (error, "spines[%u].index must be an integer.", element);
  index = json_node_get_int (index_node);
  if (index < 0 || index >= spines->len)
    return reject (error, "spines[%u].index is %" G_GINT64_FORMAT "; the request numbered its "
                   "%u spines from 0 to %u.", element, index, spines->len, spines->len - 1);
  if (g_ptr_array_index (spines, index) != NULL)
    return reject (error, "The answer names spine %" G_GINT64_FORMAT " twice.", index);

  if (!get_field (object, "title", element, &spine->title, error)
      || !get_field (object, "author", element, &spine->author, error))
    return FALSE;

  g_ptr_array_index (spines, index) = g_steal_pointer (&spine);
  return TRUE;
}

static GPtrArray *
parse_spines (const char  *content,
              guint        n_spines,
              GError     **error)
{
  g_autoptr(JsonNode) root = parse_json (content, strlen (content), "message content", error);
  g_autoptr(GPtrArray) spines = NULL;
  JsonObject *object;
  JsonNode *list;
  JsonArray *array;

  if (root == NULL)
    return NULL;
  object = json_node_get_object (root);
  list = json_object_get_member (object, "spines");
  if (json_object_get_size (object) != 1 || list == NULL)
    {
      reject (error, "The message content must be an object with the one member “spines”.");
      return NULL;
    }
  if (!JSON_NODE_HOLDS_ARRAY (list))
    {
      reject (error, "The message content's “spines” is not an array.");
      return NULL;
    }

  array = json_node_get_array (list);
  spines = g_ptr_array_new_full (n_spines, (GDestroyNotify) bi_llm_spine_free);
  g_ptr_array_set_size (spines, n_spines);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      if (!parse_spine (json_array_get_element (array, i), i, spines, error))
        return NULL;
    }
  for (guint i = 0; i < n_spines; i++)
    {
      if (g_ptr_array_index (spines, i) == NULL)
        {
          reject (error, "The answer says nothing about spine %u (of %u); every spine must be "
                  "listed, with nulls when unreadable.", i, n_spines);
          return NULL;
        }
    }
  return g_steal_pointer (&spines);
}

GPtrArray *
bi_llm_answer_parse (const char  *body,
                     gsize        length,
                     guint        n_spines,
                     GError     **error)
{
  g_autoptr(JsonNode) completion = NULL;
  const char *content;

  g_return_val_if_fail (body != NULL || length == 0, NULL);
  g_return_val_if_fail (n_spines > 0, NULL);

  completion = parse_json (body != NULL ? body : "", length, "response", error);
  if (completion == NULL)
    return NULL;
  content = get_content (json_node_get_object (completion), error);
  if (content == NULL)
    return NULL;
  return parse_spines (content, n_spines, error);
}
