/* bi-llm-fake-server.c — an OpenAI-compatible chat completions endpoint on loopback, for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-llm-fake-server"

#include "bi-llm-fake-server.h"

#include "bi-test-http-server.h"

#include <json-glib/json-glib.h>
#include <string.h>

struct _BiLlmFakeServer
{
  BiTestHttpServer *server;  /* records the requests; handle_cb answers them */

  GMutex            lock;    /* guards the scripted answer, read on the server's thread */
  guint             status;  /* 0 = never answer */
  char             *body;
};

/* A chat completion as OpenAI documents it, with what llama.cpp and Ollama also send. */
static char *
completion_new (const char *content)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_string_value (builder, "chatcmpl-test");
  json_builder_set_member_name (builder, "object");
  json_builder_add_string_value (builder, "chat.completion");
  json_builder_set_member_name (builder, "created");
  json_builder_add_int_value (builder, 1700000000);
  json_builder_set_member_name (builder, "model");
  json_builder_add_string_value (builder, "test-model");
  json_builder_set_member_name (builder, "choices");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "index");
  json_builder_add_int_value (builder, 0);
  json_builder_set_member_name (builder, "message");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "role");
  json_builder_add_string_value (builder, "assistant");
  json_builder_set_member_name (builder, "content");
  json_builder_add_string_value (builder, content);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "finish_reason");
  json_builder_add_string_value (builder, "stop");
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "usage");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "prompt_tokens");
  json_builder_add_int_value (builder, 100);
  json_builder_set_member_name (builder, "completion_tokens");
  json_builder_add_int_value (builder, 20);
  json_builder_set_member_name (builder, "total_tokens");
  json_builder_add_int_value (builder, 120);
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static void
respond (SoupServerMessage *message,
         guint              status,
         const char        *body)
{
  soup_server_message_set_status (message, status, NULL);
  soup_server_message_set_response (message, "application/json", SOUP_MEMORY_COPY, body,
                                    strlen (body));
}

static void
handle_cb (SoupServerMessage       *message,
           const BiTestHttpRequest *request,
           guint                    index,
           gpointer                 user_data)
{
  BiLlmFakeServer *self = user_data;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  if (strcmp (request->method, "POST") != 0
      || strcmp (request->path, "/v1/chat/completions") != 0)
    respond (message, SOUP_STATUS_NOT_FOUND,
             "{\"error\":{\"message\":\"Unknown request URL\","
             "\"type\":\"invalid_request_error\",\"code\":\"unknown_url\"}}");
  else if (self->status == 0)
    soup_server_message_pause (message); /* never unpaused: the server says nothing */
  else
    respond (message, self->status, self->body);
}

/* The latest request, or NULL before the first. */
static const BiTestHttpRequest *
latest_request (BiLlmFakeServer *self)
{
  guint count = bi_test_http_server_count (self->server);

  return count > 0 ? bi_test_http_server_get_request (self->server, count - 1) : NULL;
}

BiLlmFakeServer *
bi_llm_fake_server_new (void)
{
  BiLlmFakeServer *self = g_new0 (BiLlmFakeServer, 1);

  g_mutex_init (&self->lock);
  self->status = 200;
  self->body = completion_new ("{\"spines\":[]}");
  self->server = bi_test_http_server_new_with_handler (handle_cb, self);
  return self;
}

void
bi_llm_fake_server_free (BiLlmFakeServer *self)
{
  if (self == NULL)
    return;

  bi_test_http_server_free (self->server);
  g_mutex_clear (&self->lock);
  g_free (self->body);
  g_free (self);
}

const char *
bi_llm_fake_server_get_url (BiLlmFakeServer *self)
{
  return bi_test_http_server_get_url (self->server);
}

void
bi_llm_fake_server_answer_raw (BiLlmFakeServer *self,
                               guint            status,
                               const char      *body)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  self->status = status;
  g_free (self->body);
  self->body = g_strdup (body);
}

void
bi_llm_fake_server_answer_content (BiLlmFakeServer *self,
                                   const char      *content)
{
  g_autofree char *body = completion_new (content);

  bi_llm_fake_server_answer_raw (self, 200, body);
}

void
bi_llm_fake_server_answer_never (BiLlmFakeServer *self)
{
  bi_llm_fake_server_answer_raw (self, 0, "");
}

guint
bi_llm_fake_server_count_requests (BiLlmFakeServer *self)
{
  return bi_test_http_server_count (self->server);
}

gboolean
bi_llm_fake_server_wait_requests (BiLlmFakeServer *self,
                                  guint            count)
{
  return bi_test_http_server_wait_count (self->server, count);
}

char *
bi_llm_fake_server_dup_request_line (BiLlmFakeServer *self)
{
  const BiTestHttpRequest *request = latest_request (self);

  return request != NULL ? g_strdup_printf ("%s %s", request->method, request->path) : NULL;
}

char *
bi_llm_fake_server_dup_request_body (BiLlmFakeServer *self)
{
  const BiTestHttpRequest *request = latest_request (self);

  return request != NULL ? g_strndup (g_bytes_get_data (request->body, NULL),
                                      g_bytes_get_size (request->body)) : NULL;
}

char *
bi_llm_fake_server_dup_request_header (BiLlmFakeServer *self,
                                       const char      *name)
{
  const BiTestHttpRequest *request = latest_request (self);
  g_autofree char *key = g_ascii_strdown (name, -1);

  return request != NULL ? g_strdup (g_hash_table_lookup (request->headers, key)) : NULL;
}
