/* bi-llm-request.c — the chat completions request that asks an LLM to read a photo's spines
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-llm-request"

#include "bi-llm-request.h"

#include <json-glib/json-glib.h>
#include <string.h>

/* The task. The spine texts travel as JSON data in the user message, not in this prompt, so a
 * spine that happens to read like an instruction stays a spine text. */
static const char system_prompt[] =
  "You read the titles and authors of books from the text on their spines.\n"
  "The user message is JSON: {\"spines\":[{\"index\":0,\"text\":\"...\"}, ...]}, one entry "
  "per book spine in a photo of a bookshelf. Each text is what an OCR engine read from that "
  "spine: it may have misread letters, and it may include a publisher, a series or a "
  "number.\n"
  "For every spine, give the book's title and its author as printed on the spine. You may "
  "correct letters the OCR obviously misread. Use null for the title or the author when the "
  "text does not show it clearly. Never invent a title or an author the text does not show, "
  "and never fill gaps from what you know about other books.\n"
  "Answer with JSON only: {\"spines\":[{\"index\":0,\"title\":\"...\",\"author\":null}, "
  "...]}, with exactly one entry for every index given, each title and author on one line.";

static void
add_nullable_string_schema (JsonBuilder *builder)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "string");
  json_builder_add_string_value (builder, "null");
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

/* An object schema with @names as its required and only members; the caller adds each
 * member's schema after its name, between this and end_object_schema(). */
static void
begin_object_schema (JsonBuilder        *builder,
                     const char * const *names)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "object");
  json_builder_set_member_name (builder, "required");
  json_builder_begin_array (builder);
  for (guint i = 0; names[i] != NULL; i++)
    json_builder_add_string_value (builder, names[i]);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "additionalProperties");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_set_member_name (builder, "properties");
  json_builder_begin_object (builder);
}

static void
end_object_schema (JsonBuilder *builder)
{
  json_builder_end_object (builder); /* properties */
  json_builder_end_object (builder);
}

static void
add_answer_schema (JsonBuilder *builder)
{
  static const char * const root_members[] = { "spines", NULL };
  static const char * const spine_members[] = { "index", "title", "author", NULL };

  begin_object_schema (builder, root_members);
  json_builder_set_member_name (builder, "spines");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "array");
  json_builder_set_member_name (builder, "items");
  begin_object_schema (builder, spine_members);
  json_builder_set_member_name (builder, "index");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "integer");
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "title");
  add_nullable_string_schema (builder);
  json_builder_set_member_name (builder, "author");
  add_nullable_string_schema (builder);
  end_object_schema (builder);
  json_builder_end_object (builder); /* spines */
  end_object_schema (builder);
}

static char *
spine_texts_new (const char * const *texts,
                 guint               n_texts)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "spines");
  json_builder_begin_array (builder);
  for (guint i = 0; i < n_texts; i++)
    {
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "index");
      json_builder_add_int_value (builder, i);
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, texts[i] != NULL ? texts[i] : "");
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static void
add_message (JsonBuilder *builder,
             const char  *role,
             const char  *content)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, role);
  json_builder_set_member_name (builder, "content");
  json_builder_add_string_value (builder, content);
  json_builder_end_object (builder);
}

GBytes *
bi_llm_request_new_body (const char         *model,
                         const char * const *texts,
                         guint               n_texts)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *spines = NULL;
  char *body;

  g_return_val_if_fail (model != NULL, NULL);
  g_return_val_if_fail (texts != NULL || n_texts == 0, NULL);

  spines = spine_texts_new (texts, n_texts);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, model);
  /* The same spines give the same answer: a redelivered job gets the same candidates. */
  json_builder_set_member_name (builder, "temperature");
  json_builder_add_int_value (builder, 0);
  json_builder_set_member_name (builder, "stream");
  json_builder_add_boolean_value (builder, FALSE);
  json_builder_set_member_name (builder, "messages");
  json_builder_begin_array (builder);
  add_message (builder, "system", system_prompt);
  add_message (builder, "user", spines);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "response_format");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "json_schema");
  json_builder_set_member_name (builder, "json_schema");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, "spines");
  json_builder_set_member_name (builder, "strict");
  json_builder_add_boolean_value (builder, TRUE);
  json_builder_set_member_name (builder, "schema");
  add_answer_schema (builder);
  json_builder_end_object (builder); /* json_schema */
  json_builder_end_object (builder); /* response_format */
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  body = json_to_string (root, FALSE);
  return g_bytes_new_take (body, strlen (body));
}
