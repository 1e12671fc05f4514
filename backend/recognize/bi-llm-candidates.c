/* bi-llm-candidates.c — the optional LLM candidate generator: heuristics, then one LLM request
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-llm-candidates"

#include "bi-llm-candidates.h"

#include "bi-http-client.h"
#include "bi-llm-answer.h"
#include "bi-llm-error.h"
#include "bi-llm-request.h"

#include <json-glib/json-glib.h>
#include <string.h>

/* A broken or absent LLM fails every job the same way: one warning per interval says so
 * without flooding the log; the others go to the debug log. */
#define WARNING_INTERVAL_US (G_GINT64_CONSTANT (10) * 60 * G_USEC_PER_SEC)
/* An answer for a shelf of spines is a few KiB; anything far bigger is not one. */
#define MAX_RESPONSE_BYTES (4 * 1024 * 1024)
/* Of an endpoint's own error message, quoted in the warning ("model not found…"). */
#define MAX_QUOTED_ERROR_LENGTH 200

struct _BiLlmCandidates
{
  BiCandidateGenerator  port;          /* first member: the port function casts back */
  BiCandidateGenerator *fallback;      /* the heuristics; not owned */
  BiLlmConfig           config;        /* immutable after new() */
  char                 *url;           /* {base}/v1/chat/completions */
  GMutex                warning_lock;  /* guards the two fields below */
  gint64                last_warning;  /* monotonic µs of the last warning, 0 = none yet */
  guint                 held_back;     /* failures not warned about since then */
};

/* ---- the request -------------------------------------------------------------------------- */

/* The "error.message" of an OpenAI-style error body, shortened, with the API key blanked out
 * should the server echo it; NULL when the body has none. */
static char *
dup_endpoint_error (BiLlmCandidates      *self,
                    const BiHttpResponse *response)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *text = bi_http_response_dup_text (response);
  g_autofree char *message = NULL;
  JsonNode *root;
  JsonNode *error;
  JsonNode *node;

  if (!g_utf8_validate (text, -1, NULL) || !json_parser_load_from_data (parser, text, -1, NULL))
    return NULL;
  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;
  error = json_object_get_member (json_node_get_object (root), "error");
  if (error == NULL)
    return NULL;
  /* OpenAI and llama.cpp: {"error":{"message":…}}; Ollama's native routes: {"error":"…"}. */
  node = JSON_NODE_HOLDS_OBJECT (error)
         ? json_object_get_member (json_node_get_object (error), "message") : error;
  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  /* g_utf8_substring() reads past the end of a string shorter than the range it is given. */
  message = g_utf8_substring (json_node_get_string (node), 0,
                              MIN (g_utf8_strlen (json_node_get_string (node), -1),
                                   MAX_QUOTED_ERROR_LENGTH));
  g_strdelimit (message, "\r\n\t", ' ');
  if (self->config.api_key != NULL && strstr (message, self->config.api_key) != NULL)
    {
      g_auto(GStrv) parts = g_strsplit (message, self->config.api_key, -1);

      g_free (message);
      message = g_strjoinv ("[API key]", parts);
    }
  return g_steal_pointer (&message);
}

/* Sends all spines' texts in one request; returns what the LLM read on each, or NULL. */
static GPtrArray *
ask (BiLlmCandidates  *self,
     GPtrArray        *candidates,
     GError          **error)
{
  g_autofree const char **texts = g_new0 (const char *, candidates->len + 1);
  g_autofree char *authorization = NULL;
  const char *headers[4] = { "Content-Type: application/json", "Accept: application/json",
                             NULL, NULL };
  g_autoptr(GBytes) body = NULL;
  g_autoptr(BiHttpResponse) response = NULL;
  BiHttpRequest request = { 0 };
  gconstpointer data;
  gsize length = 0;

  for (guint i = 0; i < candidates->len; i++)
    texts[i] = ((const BiCandidate *) g_ptr_array_index (candidates, i))->text;
  body = bi_llm_request_new_body (self->config.model, texts, candidates->len);

  if (self->config.api_key != NULL)
    {
      authorization = g_strconcat ("Authorization: Bearer ", self->config.api_key, NULL);
      headers[2] = authorization;
    }

  request.method = "POST";
  request.url = self->url;
  request.headers = headers;
  request.body = body;
  request.timeout_ms = self->config.timeout_ms;
  request.max_body_size = MAX_RESPONSE_BYTES;
  response = bi_http_request_send (&request, error);
  if (response == NULL)
    return NULL;

  if (response->status != 200)
    {
      g_autofree char *reason = dup_endpoint_error (self, response);

      g_set_error (error, BI_LLM_ERROR, BI_LLM_ERROR_STATUS,
                   "POST %s answered HTTP %u%s%s%s; check the model name and the server's "
                   "log.", self->url, response->status, reason != NULL ? " (“" : "",
                   reason != NULL ? reason : "", reason != NULL ? "”)" : "");
      return NULL;
    }

  data = g_bytes_get_data (response->body, &length);
  return bi_llm_answer_parse (data, length, candidates->len, error);
}

/* ---- the outcome -------------------------------------------------------------------------- */

static void
replace (char       **field,
         const char  *value)
{
  if (value == NULL)
    return; /* the LLM could not read it: the heuristic's guess stands */
  g_free (*field);
  *field = g_strstrip (g_strdup (value));
}

static void
apply (GPtrArray *candidates,
       GPtrArray *spines)
{
  g_assert (candidates->len == spines->len);

  for (guint i = 0; i < candidates->len; i++)
    {
      BiCandidate *candidate = g_ptr_array_index (candidates, i);
      const BiLlmSpine *spine = g_ptr_array_index (spines, i);

      replace (&candidate->title, spine->title);
      replace (&candidate->author, spine->author);
    }
}

static void
report_failure (BiLlmCandidates *self,
                const GError    *error)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->warning_lock);
  gint64 now = g_get_monotonic_time ();

  g_debug ("No usable LLM answer: %s", error->message);
  if (self->last_warning != 0 && now - self->last_warning < WARNING_INTERVAL_US)
    {
      self->held_back++;
      return;
    }

  if (self->held_back > 0)
    g_warning ("The LLM gave no usable answer, so the heuristic candidates stand: %s (and %u "
               "more failures since the last warning)", error->message, self->held_back);
  else
    g_warning ("The LLM gave no usable answer, so the heuristic candidates stand: %s",
               error->message);
  self->last_warning = now;
  self->held_back = 0;
}

static GPtrArray *
generate (BiCandidateGenerator  *port,
          const BiOcrResult     *ocr,
          GError               **error)
{
  BiLlmCandidates *self = (BiLlmCandidates *) port;
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(GPtrArray) spines = NULL;
  g_autoptr(GError) llm_error = NULL;

  candidates = self->fallback->generate (self->fallback, ocr, error);
  if (candidates == NULL || candidates->len == 0)
    return g_steal_pointer (&candidates); /* a failure of the fallback's own, or no spines */

  spines = ask (self, candidates, &llm_error);
  if (spines == NULL)
    report_failure (self, llm_error);
  else
    apply (candidates, spines);
  return g_steal_pointer (&candidates);
}

/* ---- public API --------------------------------------------------------------------------- */

BiLlmCandidates *
bi_llm_candidates_new (const BiLlmConfig    *config,
                       BiCandidateGenerator *fallback)
{
  BiLlmCandidates *self;

  g_return_val_if_fail (config != NULL && bi_llm_config_enabled (config), NULL);
  g_return_val_if_fail (config->model != NULL && config->timeout_ms > 0, NULL);
  g_return_val_if_fail (fallback != NULL, NULL);

  self = g_new0 (BiLlmCandidates, 1);
  self->port.generate = generate;
  self->fallback = fallback;
  self->config.base_url = g_strdup (config->base_url);
  self->config.model = g_strdup (config->model);
  self->config.api_key = g_strdup (config->api_key);
  self->config.timeout_ms = config->timeout_ms;
  self->url = g_strconcat (config->base_url, BI_LLM_CHAT_COMPLETIONS_PATH, NULL);
  g_mutex_init (&self->warning_lock);
  return self;
}

void
bi_llm_candidates_free (BiLlmCandidates *self)
{
  if (self == NULL)
    return;

  bi_llm_config_clear (&self->config);
  g_free (self->url);
  g_mutex_clear (&self->warning_lock);
  g_free (self);
}

BiCandidateGenerator *
bi_llm_candidates_as_port (BiLlmCandidates *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return &self->port;
}
