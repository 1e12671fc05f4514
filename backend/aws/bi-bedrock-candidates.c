/* bi-bedrock-candidates.c — Converse, and the Bedrock candidate generator over the heuristics
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-bedrock-candidates"

#include "bi-bedrock-candidates.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "bi-aws-protocols.h"

#define MAX_TOKENS 2048

static const char system_prompt[] =
  "You read OCR text from the spines of books on a shelf photo and name each book. "
  "Answer with JSON only, no prose and no code fence, exactly of this form: "
  "{\"books\":[{\"spine\":0,\"title\":\"Title\",\"author\":\"Author Name\"}]} "
  "with one entry per spine you can name (spine is the number given), author null when "
  "unknown. Correct OCR mistakes; do not invent books for spines you cannot read.";

struct _BiBedrockCandidates
{
  BiCandidateGenerator  port;      /* first: the port is the adapter */
  BiAwsClient          *client;    /* borrowed */
  char                 *model_id;
  BiCandidateGenerator *fallback;  /* borrowed: the heuristics */
};

char *
bi_bedrock_converse (BiAwsClient  *client,
                     const char   *model_id,
                     const char   *system_text,
                     const char   *user_text,
                     guint         max_tokens,
                     GError      **error)
{
  const char *what = "Bedrock Converse";
  g_autofree char *encoded_model = bi_aws_uri_encode (model_id, FALSE);
  g_autofree char *path = g_strdup_printf ("/model/%s/converse", encoded_model);
  g_autoptr(BiAwsRequest) request = bi_aws_request_new ("POST", path);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(BiHttpResponse) response = NULL;
  g_autoptr(JsonNode) answer = NULL;
  JsonObject *output;
  JsonObject *message;
  JsonArray *content;
  GString *text;
  gsize length = 0;
  char *body;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "messages");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, "user");
  json_builder_set_member_name (builder, "content");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, user_text);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  if (system_text != NULL)
    {
      json_builder_set_member_name (builder, "system");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "text");
      json_builder_add_string_value (builder, system_text);
      json_builder_end_object (builder);
      json_builder_end_array (builder);
    }
  json_builder_set_member_name (builder, "inferenceConfig");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "maxTokens");
  json_builder_add_int_value (builder, max_tokens);
  json_builder_set_member_name (builder, "temperature");
  json_builder_add_double_value (builder, 0.0);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  body = json_generator_to_data (generator, &length);

  bi_aws_request_add_header (request, "Content-Type", "application/json");
  bi_aws_request_add_header (request, "Accept", "application/json");
  request->body = g_bytes_new_take (body, length);
  response = bi_aws_client_send (client, BI_AWS_SERVICE_BEDROCK, what, request, error);
  if (response == NULL)
    return NULL;
  answer = bi_aws_json_parse_object (response->body, what, error);
  if (answer == NULL)
    return NULL;

  /* {"output":{"message":{"role":"assistant","content":[{"text":"…"}]}},"stopReason":…} */
  output = json_object_has_member (json_node_get_object (answer), "output")
           ? json_object_get_object_member (json_node_get_object (answer), "output") : NULL;
  message = output != NULL && json_object_has_member (output, "message")
            ? json_object_get_object_member (output, "message") : NULL;
  content = message != NULL && json_object_has_member (message, "content")
            ? json_object_get_array_member (message, "content") : NULL;
  if (content == NULL)
    {
      g_set_error (error, BI_AWS_ERROR, BI_AWS_ERROR_BAD_RESPONSE,
                   "%s: the answer has no output.message.content.", what);
      return NULL;
    }
  text = g_string_new (NULL);
  for (guint i = 0; i < json_array_get_length (content); i++)
    {
      JsonNode *part = json_array_get_element (content, i);

      if (JSON_NODE_HOLDS_OBJECT (part))
        g_string_append (text, json_object_get_string_member_with_default (
                                 json_node_get_object (part), "text", ""));
    }
  return g_string_free (text, FALSE);
}

/* ---- the generator ----------------------------------------------------------------------- */

typedef struct
{
  guint  spine;
  char  *title;
  char  *author;
} Guess;

static gboolean
read_guess (JsonNode  *node,
            guint      n_spines,
            Guess     *guess)
{
  JsonObject *object;
  JsonNode *spine;
  JsonNode *title;
  JsonNode *author;
  gint64 index;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  object = json_node_get_object (node);
  spine = json_object_get_member (object, "spine");
  title = json_object_get_member (object, "title");
  author = json_object_get_member (object, "author");
  if (spine == NULL || json_node_get_value_type (spine) != G_TYPE_INT64
      || title == NULL || json_node_get_value_type (title) != G_TYPE_STRING)
    return FALSE;
  index = json_node_get_int (spine);
  if (index < 0 || index >= n_spines)
    return FALSE;
  if (strspn (json_node_get_string (title), " \t\r\n") == strlen (json_node_get_string (title)))
    return FALSE;
  if (author != NULL && !JSON_NODE_HOLDS_NULL (author)
      && json_node_get_value_type (author) != G_TYPE_STRING)
    return FALSE;

  guess->spine = (guint) index;
  guess->title = g_strstrip (g_strdup (json_node_get_string (title)));
  guess->author = author != NULL && !JSON_NODE_HOLDS_NULL (author)
                  && json_node_get_string (author)[0] != '\0'
                  ? g_strstrip (g_strdup (json_node_get_string (author))) : NULL;
  return TRUE;
}

static void
guess_clear (gpointer data)
{
  Guess *guess = data;

  g_free (guess->title);
  g_free (guess->author);
}

gboolean
bi_bedrock_candidates_apply_answer (GPtrArray  *candidates,
                                    const char *answer)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GArray) guesses = g_array_new (FALSE, TRUE, sizeof (Guess));
  g_autofree gboolean *seen = g_new0 (gboolean, candidates->len + 1);
  JsonNode *root;
  JsonObject *object;
  JsonArray *books;

  g_array_set_clear_func (guesses, guess_clear);
  if (answer == NULL || !json_parser_load_from_data (parser, answer, -1, NULL))
    return FALSE;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;
  object = json_node_get_object (root);
  if (json_object_get_size (object) != 1 || !json_object_has_member (object, "books")
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "books")))
    return FALSE;
  books = json_object_get_array_member (object, "books");

  /* All or nothing: one bad entry means the model did not follow the form. */
  for (guint i = 0; i < json_array_get_length (books); i++)
    {
      Guess guess = { 0 };

      if (!read_guess (json_array_get_element (books, i), candidates->len, &guess)
          || seen[guess.spine])
        {
          guess_clear (&guess);
          return FALSE;
        }
      seen[guess.spine] = TRUE;
      g_array_append_val (guesses, guess);
    }

  for (guint i = 0; i < guesses->len; i++)
    {
      Guess *guess = &g_array_index (guesses, Guess, i);
      BiCandidate *candidate = g_ptr_array_index (candidates, guess->spine);

      g_free (candidate->title);
      candidate->title = g_steal_pointer (&guess->title);
      g_free (candidate->author);
      candidate->author = g_steal_pointer (&guess->author);
    }
  return TRUE;
}

static GPtrArray *
generate (BiCandidateGenerator  *port,
          const BiOcrResult     *ocr,
          GError               **error)
{
  BiBedrockCandidates *self = (BiBedrockCandidates *) port;
  g_autoptr(GPtrArray) candidates = self->fallback->generate (self->fallback, ocr, error);
  g_autoptr(GString) prompt = NULL;
  g_autoptr(GError) bedrock_error = NULL;
  g_autofree char *answer = NULL;

  if (candidates == NULL || candidates->len == 0)
    return g_steal_pointer (&candidates);

  prompt = g_string_new ("OCR text of each spine, left to right:\n");
  for (guint i = 0; i < candidates->len; i++)
    {
      BiCandidate *candidate = g_ptr_array_index (candidates, i);
      g_autofree char *one_line = g_strdup (candidate->text != NULL ? candidate->text : "");

      g_strdelimit (one_line, "\r\n\t", ' ');
      g_string_append_printf (prompt, "%u: %s\n", i, one_line);
    }

  answer = bi_bedrock_converse (self->client, self->model_id, system_prompt, prompt->str,
                                MAX_TOKENS, &bedrock_error);
  if (answer == NULL)
    g_message ("Bedrock was not asked about the spines (%s); the heuristic guesses stand.",
               bedrock_error->message);
  else if (!bi_bedrock_candidates_apply_answer (candidates, answer))
    g_message ("Bedrock's answer is not the strict JSON asked for; the heuristic guesses "
               "stand.");
  return g_steal_pointer (&candidates);
}

BiBedrockCandidates *
bi_bedrock_candidates_new (BiAwsClient          *client,
                           const char           *model_id,
                           BiCandidateGenerator *fallback)
{
  BiBedrockCandidates *self;

  g_return_val_if_fail (client != NULL && fallback != NULL, NULL);

  self = g_new0 (BiBedrockCandidates, 1);
  self->port.generate = generate;
  self->client = client;
  self->model_id = g_strdup (model_id != NULL ? model_id : BI_BEDROCK_DEFAULT_MODEL);
  self->fallback = fallback;
  return self;
}

void
bi_bedrock_candidates_free (BiBedrockCandidates *self)
{
  if (self == NULL)
    return;

  g_free (self->model_id);
  g_free (self);
}

BiCandidateGenerator *
bi_bedrock_candidates_as_port (BiBedrockCandidates *self)
{
  return &self->port;
}
