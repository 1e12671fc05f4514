/* test-llm-candidates.c — the optional LLM candidate generator against a chat completions server
 *
 * The generator makes real HTTP requests to an in-process server on 127.0.0.1 (port 0) that
 * speaks OpenAI's `/v1/chat/completions` format (bi-llm-fake-server.h); the fallback is the
 * real heuristic generator. Every bad answer must leave the heuristics' candidates exactly as
 * they were, with one warning. The last case runs the stages with in-memory ports and a real
 * SQLite catalog: what the LLM invents is still only a hypothesis the catalog must confirm.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-heuristic-candidates.h"
#include "bi-job-id.h"
#include "bi-llm-answer.h"
#include "bi-llm-candidates.h"
#include "bi-llm-config.h"
#include "bi-llm-error.h"
#include "bi-llm-fake-server.h"
#include "bi-memory-ports.h"
#include "bi-sqlite-catalog.h"
#include "bi-stages.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>

#define LOG_DOMAIN "bi-llm-candidates"
#define WARNING_PREFIX "The LLM gave no usable answer, so the heuristic candidates stand: "
#define MODEL "test-model:7b"
#define API_KEY "sk-test-0123456789abcdef"
/* Long enough for a loaded machine, short enough for the tests that exceed it. */
#define TIMEOUT_MS 10000
#define SHORT_TIMEOUT_MS 300

/* The three spines of the shelf in shelf_new(), as the heuristics read them. */
#define N_SPINES 3

/* A valid answer, in an order of its own: only the indexes say which spine is which. */
#define VALID_ANSWER \
  "{\"spines\":[{\"index\":2,\"title\":\"Zxqw Plorb\",\"author\":null}," \
  "{\"index\":0,\"title\":\"Dune\",\"author\":\"Frank Herbert\"}," \
  "{\"index\":1,\"title\":\"The Hobbit\",\"author\":\"J. R. R. Tolkien\"}]}"

typedef struct
{
  BiLlmFakeServer       *server;
  BiHeuristicCandidates *heuristics;
  BiLlmCandidates       *llm;
  BiOcrResult           *ocr;
  GPtrArray             *expected;   /* the heuristics' own candidates for @ocr */
} Fixture;

/* Three standing spines, left to right: Dune (read bottom to top), The Hobbit, and one whose
 * text means nothing. */
static BiOcrResult *
shelf_new (void)
{
  BiOcrResult *ocr = bi_ocr_result_new (1000, 800);

  g_ptr_array_add (ocr->lines, bi_ocr_line_new ("DUNE", 0.95, 100, 60, 45, 160, 270));
  g_ptr_array_add (ocr->lines, bi_ocr_line_new ("FRANK HERBERT", 0.85, 102, 300, 30, 240, 270));
  g_ptr_array_add (ocr->lines, bi_ocr_line_new ("THE HOBBIT", 0.92, 200, 40, 40, 320, 90));
  g_ptr_array_add (ocr->lines, bi_ocr_line_new ("J.R.R. TOLKIEN", 0.88, 204, 400, 30, 220, 90));
  g_ptr_array_add (ocr->lines, bi_ocr_line_new ("ZXQW PLORB", 0.60, 300, 100, 35, 300, 90));
  return ocr;
}

static BiLlmCandidates *
llm_new (Fixture    *fixture,
         const char *base_url,
         const char *api_key,
         guint       timeout_ms)
{
  BiLlmConfig config = {
    .base_url = (char *) base_url,
    .model = (char *) MODEL,
    .api_key = (char *) api_key,
    .timeout_ms = timeout_ms,
  };

  return bi_llm_candidates_new (&config, bi_heuristic_candidates_as_port (fixture->heuristics));
}

static GPtrArray *
generate (BiCandidateGenerator *port,
          const BiOcrResult    *ocr)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *candidates = port->generate (port, ocr, &error);

  g_assert_no_error (error);
  g_assert_nonnull (candidates);
  return candidates;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->server = bi_llm_fake_server_new ();
  fixture->heuristics = bi_heuristic_candidates_new ();
  fixture->ocr = shelf_new ();
  fixture->expected = generate (bi_heuristic_candidates_as_port (fixture->heuristics),
                                fixture->ocr);
  g_assert_cmpuint (fixture->expected->len, ==, N_SPINES);
  fixture->llm = llm_new (fixture, bi_llm_fake_server_get_url (fixture->server), API_KEY,
                          TIMEOUT_MS);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->llm, bi_llm_candidates_free);
  g_clear_pointer (&fixture->expected, g_ptr_array_unref);
  g_clear_pointer (&fixture->ocr, bi_ocr_result_free);
  g_clear_pointer (&fixture->heuristics, bi_heuristic_candidates_free);
  g_clear_pointer (&fixture->server, bi_llm_fake_server_free);
}

/* ---- helpers -------------------------------------------------------------------------- */

static GPtrArray *
generate_with_llm (Fixture *fixture)
{
  return generate (bi_llm_candidates_as_port (fixture->llm), fixture->ocr);
}

/* Everything but title and author is the heuristics', always. */
static void
assert_same_evidence (const BiCandidate *candidate,
                      const BiCandidate *expected)
{
  g_assert_cmpstr (candidate->text, ==, expected->text);
  g_assert_cmpint (candidate->x, ==, expected->x);
  g_assert_cmpint (candidate->y, ==, expected->y);
  g_assert_cmpint (candidate->width, ==, expected->width);
  g_assert_cmpint (candidate->height, ==, expected->height);
  g_assert_cmpint (candidate->position, ==, expected->position);
  g_assert_cmpfloat (candidate->angle, ==, expected->angle);
  g_assert_cmpfloat (candidate->confidence, ==, expected->confidence);
  g_assert_cmpstr (candidate->isbn13, ==, expected->isbn13);
}

static void
assert_unchanged (GPtrArray *candidates,
                  GPtrArray *expected)
{
  g_assert_cmpuint (candidates->len, ==, expected->len);
  for (guint i = 0; i < candidates->len; i++)
    {
      const BiCandidate *candidate = g_ptr_array_index (candidates, i);
      const BiCandidate *original = g_ptr_array_index (expected, i);

      assert_same_evidence (candidate, original);
      g_assert_cmpstr (candidate->title, ==, original->title);
      g_assert_cmpstr (candidate->author, ==, original->author);
    }
}

static const BiCandidate *
candidate_at (GPtrArray *candidates,
              guint      index)
{
  g_assert_cmpuint (index, <, candidates->len);
  return g_ptr_array_index (candidates, index);
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static JsonArray *
string_array (JsonObject *object,
              const char *name)
{
  JsonArray *array = json_object_get_array_member (object, name);

  for (guint i = 0; i < json_array_get_length (array); i++)
    g_assert_true (JSON_NODE_HOLDS_VALUE (json_array_get_element (array, i)));
  return array;
}

/* Runs the generator once against a bad answer: the heuristics' candidates come back as they
 * were, after one request, with one warning matching @pattern. */
static void
assert_falls_back (Fixture    *fixture,
                   const char *pattern)
{
  g_autoptr(GPtrArray) candidates = NULL;
  g_autofree char *expected_warning = g_strconcat (WARNING_PREFIX, pattern, NULL);

  g_test_expect_message (LOG_DOMAIN, G_LOG_LEVEL_WARNING, expected_warning);
  candidates = generate_with_llm (fixture);
  g_test_assert_expected_messages ();
  assert_unchanged (candidates, fixture->expected);
}

/* ---- good answers --------------------------------------------------------------------- */

static void
test_valid_answer (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GPtrArray) candidates = NULL;

  bi_llm_fake_server_answer_content (fixture->server, VALID_ANSWER);
  candidates = generate_with_llm (fixture);

  g_assert_cmpuint (bi_llm_fake_server_count_requests (fixture->server), ==, 1);
  g_assert_cmpuint (candidates->len, ==, N_SPINES);
  for (guint i = 0; i < N_SPINES; i++)
    assert_same_evidence (candidate_at (candidates, i), candidate_at (fixture->expected, i));

  g_assert_cmpstr (candidate_at (candidates, 0)->title, ==, "Dune");
  g_assert_cmpstr (candidate_at (candidates, 0)->author, ==, "Frank Herbert");
  g_assert_cmpstr (candidate_at (candidates, 1)->title, ==, "The Hobbit");
  g_assert_cmpstr (candidate_at (candidates, 1)->author, ==, "J. R. R. Tolkien");
  g_assert_cmpstr (candidate_at (candidates, 2)->title, ==, "Zxqw Plorb");
  /* null: the heuristics' guess stands (here: none) */
  g_assert_cmpstr (candidate_at (candidates, 2)->author, ==,
                   candidate_at (fixture->expected, 2)->author);
}

static void
test_null_keeps_heuristic_guess (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(GPtrArray) candidates = NULL;
  const BiCandidate *heuristic_dune = candidate_at (fixture->expected, 0);

  /* The heuristics made a guess for both fields of the first spine. */
  g_assert_nonnull (heuristic_dune->title);
  g_assert_nonnull (heuristic_dune->author);

  bi_llm_fake_server_answer_content (fixture->server,
    "{\"spines\":[{\"index\":0,\"title\":null,\"author\":\"Frank Herbert\"},"
    "{\"index\":1,\"title\":\"The Hobbit\",\"author\":null},"
    "{\"index\":2,\"title\":null,\"author\":null}]}");
  candidates = generate_with_llm (fixture);

  g_assert_cmpstr (candidate_at (candidates, 0)->title, ==, heuristic_dune->title);
  g_assert_cmpstr (candidate_at (candidates, 0)->author, ==, "Frank Herbert");
  g_assert_cmpstr (candidate_at (candidates, 1)->title, ==, "The Hobbit");
  g_assert_cmpstr (candidate_at (candidates, 1)->author, ==,
                   candidate_at (fixture->expected, 1)->author);
  g_assert_cmpstr (candidate_at (candidates, 2)->title, ==,
                   candidate_at (fixture->expected, 2)->title);
  g_assert_cmpstr (candidate_at (candidates, 2)->author, ==,
                   candidate_at (fixture->expected, 2)->author);
}

/* The schema the request carries: {"spines":[{"index","title","author"}]}, nothing else. */
static void
assert_schema (JsonObject *schema)
{
  JsonObject *spines;
  JsonObject *item;
  JsonObject *properties;
  JsonArray *required;
  JsonArray *nullable;

  g_assert_cmpstr (json_object_get_string_member (schema, "type"), ==, "object");
  g_assert_false (json_object_get_boolean_member (schema, "additionalProperties"));
  required = string_array (schema, "required");
  g_assert_cmpuint (json_array_get_length (required), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (required, 0), ==, "spines");

  spines = json_object_get_object_member (json_object_get_object_member (schema, "properties"),
                                          "spines");
  g_assert_cmpstr (json_object_get_string_member (spines, "type"), ==, "array");
  item = json_object_get_object_member (spines, "items");
  g_assert_cmpstr (json_object_get_string_member (item, "type"), ==, "object");
  g_assert_false (json_object_get_boolean_member (item, "additionalProperties"));
  required = string_array (item, "required");
  g_assert_cmpuint (json_array_get_length (required), ==, 3);
  g_assert_cmpstr (json_array_get_string_element (required, 0), ==, "index");
  g_assert_cmpstr (json_array_get_string_element (required, 1), ==, "title");
  g_assert_cmpstr (json_array_get_string_element (required, 2), ==, "author");

  properties = json_object_get_object_member (item, "properties");
  g_assert_cmpuint (json_object_get_size (properties), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (properties, "index"), "type"), ==,
                   "integer");
  for (guint i = 1; i < 3; i++)
    {
      const char *name = json_array_get_string_element (required, i);

      nullable = json_object_get_array_member (json_object_get_object_member (properties, name),
                                               "type");
      g_assert_cmpuint (json_array_get_length (nullable), ==, 2);
      g_assert_cmpstr (json_array_get_string_element (nullable, 0), ==, "string");
      g_assert_cmpstr (json_array_get_string_element (nullable, 1), ==, "null");
    }
}

static void
test_request (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) candidates = NULL;
  g_autofree char *line = NULL;
  g_autofree char *body = NULL;
  g_autofree char *authorization = NULL;
  g_autofree char *content_type = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) user_content = NULL;
  JsonObject *request;
  JsonObject *format;
  JsonObject *json_schema;
  JsonArray *messages;
  JsonArray *spines;

  bi_llm_fake_server_answer_content (fixture->server, VALID_ANSWER);
  candidates = generate_with_llm (fixture);

  /* One request for the whole photo. */
  g_assert_cmpuint (bi_llm_fake_server_count_requests (fixture->server), ==, 1);
  line = bi_llm_fake_server_dup_request_line (fixture->server);
  g_assert_cmpstr (line, ==, "POST /v1/chat/completions");
  authorization = bi_llm_fake_server_dup_request_header (fixture->server, "Authorization");
  g_assert_cmpstr (authorization, ==, "Bearer " API_KEY);
  content_type = bi_llm_fake_server_dup_request_header (fixture->server, "Content-Type");
  g_assert_cmpstr (content_type, ==, "application/json");

  body = bi_llm_fake_server_dup_request_body (fixture->server);
  root = parse_json (body);
  request = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (request, "model"), ==, MODEL);
  g_assert_cmpfloat (json_object_get_double_member (request, "temperature"), ==, 0.0);
  g_assert_false (json_object_get_boolean_member (request, "stream"));

  messages = json_object_get_array_member (request, "messages");
  g_assert_cmpuint (json_array_get_length (messages), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 0),
                                                  "role"), ==, "system");
  g_assert_nonnull (strstr (json_object_get_string_member (
                              json_array_get_object_element (messages, 0), "content"),
                            "Never invent"));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (messages, 1),
                                                  "role"), ==, "user");

  /* Every spine's text, numbered in shelf order. */
  user_content = parse_json (json_object_get_string_member (
                               json_array_get_object_element (messages, 1), "content"));
  spines = json_object_get_array_member (json_node_get_object (user_content), "spines");
  g_assert_cmpuint (json_array_get_length (spines), ==, N_SPINES);
  for (guint i = 0; i < N_SPINES; i++)
    {
      JsonObject *spine = json_array_get_object_element (spines, i);

      g_assert_cmpint (json_object_get_int_member (spine, "index"), ==, i);
      g_assert_cmpstr (json_object_get_string_member (spine, "text"), ==,
                       candidate_at (fixture->expected, i)->text);
    }

  format = json_object_get_object_member (request, "response_format");
  g_assert_cmpstr (json_object_get_string_member (format, "type"), ==, "json_schema");
  json_schema = json_object_get_object_member (format, "json_schema");
  g_assert_cmpstr (json_object_get_string_member (json_schema, "name"), ==, "spines");
  g_assert_true (json_object_get_boolean_member (json_schema, "strict"));
  assert_schema (json_object_get_object_member (json_schema, "schema"));
}

static void
test_no_api_key (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GPtrArray) candidates = NULL;
  g_autofree char *authorization = NULL;

  g_clear_pointer (&fixture->llm, bi_llm_candidates_free);
  fixture->llm = llm_new (fixture, bi_llm_fake_server_get_url (fixture->server), NULL,
                          TIMEOUT_MS);
  bi_llm_fake_server_answer_content (fixture->server, VALID_ANSWER);
  candidates = generate_with_llm (fixture);

  g_assert_cmpstr (candidate_at (candidates, 0)->title, ==, "Dune");
  authorization = bi_llm_fake_server_dup_request_header (fixture->server, "Authorization");
  g_assert_null (authorization);
}

static void
test_no_spines_no_request (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(BiOcrResult) empty = bi_ocr_result_new (1000, 800);
  g_autoptr(GPtrArray) candidates = NULL;

  candidates = generate (bi_llm_candidates_as_port (fixture->llm), empty);
  g_assert_cmpuint (candidates->len, ==, 0);
  g_assert_cmpuint (bi_llm_fake_server_count_requests (fixture->server), ==, 0);
}

/* ---- bad answers: each one leaves the heuristics' candidates as they were ------------- */

typedef struct
{
  const char *name;
  guint       status;   /* 0: a chat completion (200) carrying @text as its content */
  const char *text;     /* the content, or the whole body when @status is set */
  const char *pattern;  /* what the warning must say after WARNING_PREFIX */
} BadAnswer;

static const BadAnswer bad_answers[] = {
  { "not-json", 0, "Sure! The first book is Dune by Frank Herbert.", "*content is not JSON*" },
  { "markdown-fence", 0, "```json\n" VALID_ANSWER "\n```", "*content is not JSON*" },
  { "not-an-object", 0, "[" VALID_ANSWER "]", "*content is not a JSON object*" },
  { "spines-not-array", 0, "{\"spines\":{\"0\":\"Dune\"}}", "*is not an array*" },
  { "index-wrong-type", 0,
    "{\"spines\":[{\"index\":\"0\",\"title\":\"Dune\",\"author\":null},"
    "{\"index\":1,\"title\":null,\"author\":null},{\"index\":2,\"title\":null,\"author\":null}]}",
    "*spines[0].index must be an integer*" },
  { "index-fraction", 0,
    "{\"spines\":[{\"index\":0.5,\"title\":\"Dune\",\"author\":null},"
    "{\"index\":1,\"title\":null,\"author\":null},{\"index\":2,\"title\":null,\"author\":null}]}",
    "*spines[0].index must be an integer*" },
  { "title-wrong-type", 0,
    "{\"spines\":[{\"index\":0,\"title\":1965,\"author\":null},"
    "{\"index\":1,\"title\":null,\"author\":null},{\"index\":2,\"title\":null,\"author\":null}]}",
    "*spines[0].title must be a string or null*" },
  { "author-wrong-type", 0,
    "{\"spines\":[{\"index\":0,\"title\":\"Dune\",\"author\":[\"Frank Herbert\"]},"
    "{\"index\":1,\"title\":null,\"author\":null},{\"index\":2,\"title\":null,\"author\":null}]}",
    "*spines[0].author must be a string or null*" },
  { "missing-index", 0,
    "{\"spines\":[{\"index\":0,\"title\":\"Dune\",\"author\":null},"
    "{\"index\":2,\"title\":null,\"author\":null}]}",
    "*nothing about spine 1 (of 3)*" },
  { "missing-member", 0,
    "{\"spines\":[{\"index\":0,\"title\":\"Dune\"},"
    "{\"index\":1,\"title\":null,\"author\":null},{\"index\":2,\"title\":null,\"author\":null}]}",
    "*spines[0] must have exactly the members index, title and author*" },
  { "duplicate-index", 0,
    "{\"spines\":[{\"index\":0,\"title\":\"Dune\",\"author\":null},"
    "{\"index\":1,\"title\":null,\"author\":null},{\"index\":1,\"title\":null,\"author\":null},"
    "{\"index\":2,\"title\":null,\"author\":null}]}",
    "*names spine 1 twice*" },
  { "extra-member", 0,
    "{\"spines\":[{\"index\":0,\"title\":\"Dune\",\"author\":null,\"year\":1965},"
    "{\"index\":1,\"title\":null,\"author\":null},{\"index\":2,\"title\":null,\"author\":null}]}",
    "*spines[0] must have exactly the members index, title and author*" },
  { "extra-root-member", 0,
    "{\"spines\":[{\"index\":0,\"title\":\"Dune\",\"author\":null},"
    "{\"index\":1,\"title\":null,\"author\":null},{\"index\":2,\"title\":null,\"author\":null}],"
    "\"note\":\"I also know other books\"}",
    "*the one member “spines”*" },
  { "index-out-of-range", 0,
    "{\"spines\":[{\"index\":0,\"title\":\"Dune\",\"author\":null},"
    "{\"index\":1,\"title\":null,\"author\":null},{\"index\":3,\"title\":null,\"author\":null}]}",
    "*spines[2].index is 3*0 to 2*" },
  { "negative-index", 0,
    "{\"spines\":[{\"index\":-1,\"title\":\"Dune\",\"author\":null},"
    "{\"index\":1,\"title\":null,\"author\":null},{\"index\":2,\"title\":null,\"author\":null}]}",
    "*spines[0].index is -1*" },
  { "multi-line-title", 0,
    "{\"spines\":[{\"index\":0,\"title\":\"Dune\\nFrank Herbert\",\"author\":null},"
    "{\"index\":1,\"title\":null,\"author\":null},{\"index\":2,\"title\":null,\"author\":null}]}",
    "*spines[0].title holds a line break*" },
  { "empty-author", 0,
    "{\"spines\":[{\"index\":0,\"title\":\"Dune\",\"author\":\"\"},"
    "{\"index\":1,\"title\":null,\"author\":null},{\"index\":2,\"title\":null,\"author\":null}]}",
    "*spines[0].author is 0 bytes long*" },
  { "blank-title", 0,
    "{\"spines\":[{\"index\":0,\"title\":\"   \",\"author\":null},"
    "{\"index\":1,\"title\":null,\"author\":null},{\"index\":2,\"title\":null,\"author\":null}]}",
    "*spines[0].title is blank*" },
  { "http-500", 500, "{\"error\":{\"message\":\"the model crashed\",\"type\":\"server_error\"}}",
    "*answered HTTP 500 (“the model crashed”)*" },
  { "http-404-model", 404,
    "{\"error\":{\"message\":\"model \\\"" MODEL "\\\" not found, try pulling it first\"}}",
    "*answered HTTP 404 (“model \"" MODEL "\" not found, try pulling it first”)*" },
  /* A server that echoes the key in its error: the warning blanks it out. */
  { "http-401-echoes-key", 401,
    "{\"error\":{\"message\":\"Incorrect API key provided: " API_KEY "\"}}",
    "*answered HTTP 401 (“Incorrect API key provided: [API key]”)*" },
  { "not-a-completion", 200, "{\"object\":\"list\",\"data\":[]}", "*has no “choices”*" },
  { "content-null", 200,
    "{\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":null,"
    "\"refusal\":\"I cannot help with that.\"},\"finish_reason\":\"stop\"}]}",
    "*has no “content” text*" },
  { "body-not-json", 200, "<html>Bad Gateway</html>", "*response is not JSON*" },
  { "body-empty", 200, "", "*response is empty*" },
};

static void
test_bad_answer (Fixture       *fixture,
                 gconstpointer  data)
{
  const BadAnswer *bad = data;

  if (bad->status == 0)
    bi_llm_fake_server_answer_content (fixture->server, bad->text);
  else
    bi_llm_fake_server_answer_raw (fixture->server, bad->status, bad->text);

  assert_falls_back (fixture, bad->pattern);
  g_assert_cmpuint (bi_llm_fake_server_count_requests (fixture->server), ==, 1);
}

static void
test_title_too_long (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *title = g_strnfill (BI_LLM_MAX_FIELD_LENGTH + 1, 'a');
  g_autofree char *content = g_strdup_printf (
    "{\"spines\":[{\"index\":0,\"title\":\"%s\",\"author\":null},"
    "{\"index\":1,\"title\":null,\"author\":null},{\"index\":2,\"title\":null,\"author\":null}]}",
    title);

  bi_llm_fake_server_answer_content (fixture->server, content);
  assert_falls_back (fixture, "*spines[0].title is 301 bytes long; it must be 1 to 300*");
}

static void
test_connection_refused (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autofree char *url = NULL;

  /* A port that is ours (bound) but not listening: connecting to it is refused at once. */
  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_bind (socket, any_port, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  url = g_strdup_printf ("http://127.0.0.1:%u",
                         g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));

  g_clear_pointer (&fixture->llm, bi_llm_candidates_free);
  fixture->llm = llm_new (fixture, url, API_KEY, TIMEOUT_MS);
  assert_falls_back (fixture, "*POST http://127.0.0.1:*/v1/chat/completions failed*");
}

static void
test_timeout (Fixture       *fixture,
              gconstpointer  data)
{
  gint64 start;

  g_clear_pointer (&fixture->llm, bi_llm_candidates_free);
  fixture->llm = llm_new (fixture, bi_llm_fake_server_get_url (fixture->server), API_KEY,
                          SHORT_TIMEOUT_MS);
  bi_llm_fake_server_answer_never (fixture->server);

  start = g_get_monotonic_time ();
  assert_falls_back (fixture, "*Timeout*");
  /* It gave up at its deadline, not at the connect timeout or later. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
  g_assert_true (bi_llm_fake_server_wait_requests (fixture->server, 1));
}

/* A broken LLM fails every job alike: one warning, not one per photo. */
static void
test_warning_rate_limited (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GPtrArray) again = NULL;

  bi_llm_fake_server_answer_content (fixture->server, "not JSON");
  assert_falls_back (fixture, "*content is not JSON*");

  /* Another warning now would be fatal (warnings abort tests unless expected). */
  again = generate_with_llm (fixture);
  assert_unchanged (again, fixture->expected);
  g_assert_cmpuint (bi_llm_fake_server_count_requests (fixture->server), ==, 2);

  /* The LLM recovers: its answers are used again at once. */
  bi_llm_fake_server_answer_content (fixture->server, VALID_ANSWER);
  g_clear_pointer (&again, g_ptr_array_unref);
  again = generate_with_llm (fixture);
  g_assert_cmpstr (candidate_at (again, 1)->title, ==, "The Hobbit");
}

/* ---- the pipeline: an invented book stays unresolved ---------------------------------- */

static const char catalog_tsv[] =
  "book_id\tgoodreads_book_id\twork_id\ttitle\toriginal_title\tauthors\tyear\tisbn10\t"
  "isbn13\tisbn13_note\tlanguage_code\tratings_count\n"
  "7\t7\t7\tThe Hobbit\tThe Hobbit or There and Back Again\tJ.R.R. Tolkien\t1937\t"
  "0618260307\t9780618260300\t\teng\t1\n"
  "126\t126\t126\tDune (Dune Chronicles #1)\tDune\tFrank Herbert\t1965\t0441172717\t"
  "9780441172719\t\teng\t1\n";

/* Starts like a JPEG; the scripted OCR engine does not decode it. */
static const guint8 photo_bytes[] = { 0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'J', 'F', 'I', 'F', 0, 1 };

static BiSqliteCatalog *
catalog_new (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bookimg-llm-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_auto(BiCatalogImportStats) stats = { 0 };
  BiSqliteCatalog *catalog;

  g_assert_no_error (error);
  path = g_build_filename (dir, "catalog.tsv", NULL);
  g_file_set_contents (path, catalog_tsv, -1, &error);
  g_assert_no_error (error);
  catalog = bi_sqlite_catalog_open (":memory:", &error);
  g_assert_no_error (error);
  bi_sqlite_catalog_import_file (catalog, path, &stats, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats.imported, ==, 2);
  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
  return catalog;
}

static char *
pop_only (BiMemoryQueue *queue,
          const char    *queue_name)
{
  g_assert_cmpuint (bi_memory_queue_length (queue, queue_name), ==, 1);
  return bi_memory_queue_pop (queue, queue_name);
}

static void
run_stage (gboolean    (*stage) (const char *, BiStagePorts *, GError **),
           const char   *message,
           BiStagePorts *ports)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (stage (message, ports, &error));
  g_assert_no_error (error);
}

static void
test_invented_book_unresolved (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(BiMemoryBlobStore) blobs = bi_memory_blob_store_new ();
  g_autoptr(BiMemoryQueue) queue = bi_memory_queue_new ();
  g_autoptr(BiMemoryTopic) topic = bi_memory_topic_new ();
  g_autoptr(BiScriptedOcr) ocr = bi_scripted_ocr_new (1000, 800);
  BiSqliteCatalog *catalog = catalog_new ();
  g_autofree char *job_id = bi_job_id_new ();
  g_autofree char *key = g_strdup_printf ("%s/shelf.jpg", job_id);
  g_autofree char *ocr_message = NULL;
  g_autofree char *candidates_message = NULL;
  g_autofree char *validation_message = NULL;
  g_autofree char *final_results = NULL;
  g_autoptr(JsonNode) validation = NULL;
  g_autoptr(JsonNode) results = NULL;
  JsonArray *candidates;
  JsonArray *books;
  JsonArray *unresolved;
  JsonObject *book;
  BiStagePorts ports = {
    .blob_store = bi_memory_blob_store_as_port (blobs),
    .queue = bi_memory_queue_as_port (queue),
    .topic = bi_memory_topic_as_port (topic),
    .ocr_engine = bi_scripted_ocr_as_port (ocr),
    .candidate_generator = bi_llm_candidates_as_port (fixture->llm),
    .catalog = bi_sqlite_catalog_as_port (catalog),
  };

  /* Dune, and a spine whose text no catalog knows; the LLM makes up a book for it. */
  bi_scripted_ocr_add_line (ocr, "DUNE", 0.95, 100, 60, 45, 160, 270);
  bi_scripted_ocr_add_line (ocr, "FRANK HERBERT", 0.85, 102, 300, 30, 240, 270);
  bi_scripted_ocr_add_line (ocr, "ZXQW PLORB", 0.60, 300, 100, 35, 300, 90);
  bi_llm_fake_server_answer_content (fixture->server,
    "{\"spines\":[{\"index\":0,\"title\":\"Dune\",\"author\":\"Frank Herbert\"},"
    "{\"index\":1,\"title\":\"The Silent Orchard\",\"author\":\"Mara Quill\"}]}");
  bi_memory_blob_store_put_data (blobs, BI_BUCKET_UPLOADS, key, photo_bytes,
                                 sizeof photo_bytes);

  ocr_message = g_strdup_printf ("{\"jobId\":\"%s\",\"key\":\"%s\",\"bucket\":\"uploads\","
                                 "\"size\":%" G_GSIZE_FORMAT "}", job_id, key,
                                 sizeof photo_bytes);
  run_stage (bi_stage_ocr, ocr_message, &ports);
  candidates_message = pop_only (queue, BI_QUEUE_CANDIDATES);
  run_stage (bi_stage_candidates, candidates_message, &ports);
  validation_message = pop_only (queue, BI_QUEUE_VALIDATION);
  run_stage (bi_stage_validator, validation_message, &ports);
  g_assert_cmpuint (bi_memory_topic_length (topic), ==, 1);
  final_results = bi_memory_topic_pop (topic);
  g_assert_cmpuint (bi_llm_fake_server_count_requests (fixture->server), ==, 1);

  /* The LLM's guesses reached the validator… */
  validation = parse_json (validation_message);
  candidates = json_object_get_array_member (json_node_get_object (validation), "candidates");
  g_assert_cmpuint (json_array_get_length (candidates), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (candidates, 1),
                                                  "title"), ==, "The Silent Orchard");

  /* …which validated only the book the catalog has. */
  results = parse_json (final_results);
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (results), "validatedBooks"),
                   ==, 1);
  books = json_object_get_array_member (json_node_get_object (results), "books");
  g_assert_cmpuint (json_array_get_length (books), ==, 1);
  book = json_array_get_object_element (books, 0);
  g_assert_cmpstr (json_object_get_string_member (book, "source"), ==, "catalog");
  g_assert_cmpstr (json_object_get_string_member (book, "isbn13"), ==, "9780441172719");
  unresolved = json_object_get_array_member (json_node_get_object (results), "unresolved");
  g_assert_cmpuint (json_array_get_length (unresolved), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (unresolved, 0),
                                                  "text"), ==, "ZXQW PLORB");
  g_assert_null (strstr (final_results, "Silent Orchard"));

  bi_sqlite_catalog_free (catalog);
}

/* ---- configuration -------------------------------------------------------------------- */

static const char * const llm_variables[] = { "BOOKIMG_LLM_URL", "BOOKIMG_LLM_MODEL",
                                              "BOOKIMG_LLM_API_KEY" };

/* The developer's own settings must not leak into these tests. */
static void
clear_environment (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (llm_variables); i++)
    g_unsetenv (llm_variables[i]);
}

static void
assert_config_error (const char *url,
                     const char *model,
                     int         timeout_seconds,
                     const char *pattern)
{
  g_auto(BiLlmConfig) config = { 0 };
  g_autoptr(GError) error = NULL;

  g_assert_false (bi_llm_config_load (&config, url, model, timeout_seconds, &error));
  g_assert_error (error, BI_LLM_ERROR, BI_LLM_ERROR_CONFIG);
  g_test_message ("%s", error->message);
  g_assert_true (g_pattern_match_simple (pattern, error->message));
  g_assert_null (config.base_url);
}

static void
test_config_off (void)
{
  g_auto(BiLlmConfig) config = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;

  clear_environment ();
  /* A model or key alone does not turn the LLM on. */
  g_setenv ("BOOKIMG_LLM_MODEL", "llama3.1", TRUE);
  g_setenv ("BOOKIMG_LLM_API_KEY", API_KEY, TRUE);
  g_assert_true (bi_llm_config_load (&config, NULL, NULL, BI_LLM_DEFAULT_TIMEOUT_SECONDS,
                                     &error));
  g_assert_no_error (error);
  g_assert_false (bi_llm_config_enabled (&config));
  description = bi_llm_config_describe (&config);
  g_assert_cmpstr (description, ==, "off");
  clear_environment ();
}

static void
test_config_options (void)
{
  g_auto(BiLlmConfig) config = { 0 };
  g_autoptr(GError) error = NULL;

  clear_environment ();
  g_setenv ("BOOKIMG_LLM_URL", "http://192.0.2.1:9999", TRUE);
  g_setenv ("BOOKIMG_LLM_MODEL", "from-environment", TRUE);
  /* Options win over the environment; trailing slashes go. */
  g_assert_true (bi_llm_config_load (&config, "http://127.0.0.1:11434/", "qwen2.5:7b", 5,
                                     &error));
  g_assert_no_error (error);
  g_assert_true (bi_llm_config_enabled (&config));
  g_assert_cmpstr (config.base_url, ==, "http://127.0.0.1:11434");
  g_assert_cmpstr (config.model, ==, "qwen2.5:7b");
  g_assert_null (config.api_key);
  g_assert_cmpuint (config.timeout_ms, ==, 5000);
  clear_environment ();
}

static void
test_config_environment (void)
{
  g_auto(BiLlmConfig) config = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *description = NULL;

  clear_environment ();
  g_setenv ("BOOKIMG_LLM_URL", "https://llm.example.org/proxy/", TRUE);
  g_setenv ("BOOKIMG_LLM_MODEL", "llama3.1:8b", TRUE);
  g_setenv ("BOOKIMG_LLM_API_KEY", API_KEY, TRUE);
  g_assert_true (bi_llm_config_load (&config, NULL, NULL, BI_LLM_DEFAULT_TIMEOUT_SECONDS,
                                     &error));
  g_assert_no_error (error);
  g_assert_cmpstr (config.base_url, ==, "https://llm.example.org/proxy");
  g_assert_cmpstr (config.model, ==, "llama3.1:8b");
  g_assert_cmpstr (config.api_key, ==, API_KEY);
  g_assert_cmpuint (config.timeout_ms, ==, BI_LLM_DEFAULT_TIMEOUT_SECONDS * 1000);

  /* What the server logs at start-up names the key's presence, never the key. */
  description = bi_llm_config_describe (&config);
  g_assert_cmpstr (description, ==, "model llama3.1:8b at https://llm.example.org/proxy, "
                                    "timeout 60 s, with an API key");
  g_assert_null (strstr (description, API_KEY));
  clear_environment ();
}

static void
test_config_errors (void)
{
  clear_environment ();
  assert_config_error ("http://127.0.0.1:11434", NULL, 60, "*no model*--llm-model*");
  assert_config_error (NULL, "llama3.1", 60, "--llm-model needs --llm-url*");
  assert_config_error ("ftp://127.0.0.1/", "m", 60, "*must start with http:// or https://*");
  assert_config_error ("localhost:11434", "m", 60, "*must start with http:// or https://*");
  assert_config_error ("http:///v1", "m", 60, "*has no host*");
  assert_config_error ("not a url", "m", 60, "*is not a URL*");
  assert_config_error ("http://user:secret@127.0.0.1:11434", "m", 60,
                       "*must not hold a user name or password*BOOKIMG_LLM_API_KEY*");
  assert_config_error ("http://127.0.0.1:11434?key=x", "m", 60, "*must not have a ?query*");
  assert_config_error ("http://127.0.0.1:11434/v1", "m", 60, "*without /v1*");
  assert_config_error ("http://127.0.0.1:8080/v1/chat/completions", "m", 60, "*without /v1*");
  assert_config_error ("http://127.0.0.1:11434", "two\nlines", 60, "*one line*");
  assert_config_error ("http://127.0.0.1:11434", "m", 0, "--llm-timeout-seconds must be from 1*");
  assert_config_error ("http://127.0.0.1:11434", "m", BI_LLM_MAX_TIMEOUT_SECONDS + 1,
                       "--llm-timeout-seconds must be from 1 to 3600*");
}

static void
test_config_bad_api_key (void)
{
  g_auto(BiLlmConfig) config = { 0 };
  g_autoptr(GError) error = NULL;

  clear_environment ();
  g_setenv ("BOOKIMG_LLM_API_KEY", "sk-abc\r\nX-Injected: yes", TRUE);
  g_assert_false (bi_llm_config_load (&config, "http://127.0.0.1:11434", "m", 60, &error));
  g_assert_error (error, BI_LLM_ERROR, BI_LLM_ERROR_CONFIG);
  g_assert_nonnull (strstr (error->message, "BOOKIMG_LLM_API_KEY may only hold visible ASCII"));
  /* The message says what is wrong, not what the key is. */
  g_assert_null (strstr (error->message, "sk-abc"));
  clear_environment ();
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/bookimg/llm/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("answer/valid", test_valid_answer);
  ADD ("answer/null-keeps-heuristic-guess", test_null_keeps_heuristic_guess);
  ADD ("request/one-call-with-schema", test_request);
  ADD ("request/no-api-key", test_no_api_key);
  ADD ("request/none-without-spines", test_no_spines_no_request);
  for (guint i = 0; i < G_N_ELEMENTS (bad_answers); i++)
    {
      g_autofree char *path = g_strdup_printf ("/bookimg/llm/fallback/%s", bad_answers[i].name);

      g_test_add (path, Fixture, &bad_answers[i], fixture_set_up, test_bad_answer,
                  fixture_tear_down);
    }
  ADD ("fallback/title-too-long", test_title_too_long);
  ADD ("fallback/connection-refused", test_connection_refused);
  ADD ("fallback/timeout", test_timeout);
  ADD ("fallback/warning-rate-limited", test_warning_rate_limited);
  ADD ("pipeline/invented-book-unresolved", test_invented_book_unresolved);

#undef ADD

  g_test_add_func ("/bookimg/llm/config/off", test_config_off);
  g_test_add_func ("/bookimg/llm/config/options", test_config_options);
  g_test_add_func ("/bookimg/llm/config/environment", test_config_environment);
  g_test_add_func ("/bookimg/llm/config/errors", test_config_errors);
  g_test_add_func ("/bookimg/llm/config/bad-api-key", test_config_bad_api_key);

  return g_test_run ();
}
