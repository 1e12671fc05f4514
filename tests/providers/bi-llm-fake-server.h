/* bi-llm-fake-server.h — an OpenAI-compatible chat completions endpoint on loopback, for tests
 *
 * The shared test server (tests/bi-test-http-server.h) on 127.0.0.1, port 0, in a thread of its
 * own: the generator under test makes blocking requests from the test's thread, as a stage
 * worker does. It answers
 * `POST /v1/chat/completions` with what the test scripted — a chat completion carrying a given
 * message content, any status and body, or nothing at all (the request is held until the server
 * is freed) — and keeps what it was sent. Other routes get OpenAI's 404 error.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _BiLlmFakeServer BiLlmFakeServer;

BiLlmFakeServer *bi_llm_fake_server_new                 (void);
void             bi_llm_fake_server_free                (BiLlmFakeServer *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiLlmFakeServer, bi_llm_fake_server_free)

/* http://127.0.0.1:PORT (the base URL: no /v1) */
const char      *bi_llm_fake_server_get_url             (BiLlmFakeServer *self);

/* ---- what it answers (by default: 200 with the content {"spines":[]}) ---- */

/* 200 and a chat completion whose choices[0].message.content is @content. */
void             bi_llm_fake_server_answer_content      (BiLlmFakeServer *self,
                                                         const char      *content);
/* @status with @body (application/json) as it is. */
void             bi_llm_fake_server_answer_raw          (BiLlmFakeServer *self,
                                                         guint            status,
                                                         const char      *body);
/* No answer at all: the request stays open until the client gives up or the server is freed. */
void             bi_llm_fake_server_answer_never        (BiLlmFakeServer *self);

/* ---- what it was sent ---- */

guint            bi_llm_fake_server_count_requests      (BiLlmFakeServer *self);
/* Waits (without polling) until @count requests arrived; FALSE after 10 s without them. */
gboolean         bi_llm_fake_server_wait_requests       (BiLlmFakeServer *self,
                                                         guint            count);
/* Of the latest request: "POST /v1/chat/completions", its body, and a header's value (or NULL). */
char            *bi_llm_fake_server_dup_request_line    (BiLlmFakeServer *self);
char            *bi_llm_fake_server_dup_request_body    (BiLlmFakeServer *self);
char            *bi_llm_fake_server_dup_request_header  (BiLlmFakeServer *self,
                                                         const char      *name);

G_END_DECLS
