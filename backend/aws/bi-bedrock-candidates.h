/* bi-bedrock-candidates.h — Bedrock Runtime Converse, and a BiCandidateGenerator that asks a
 * Bedrock model to correct the heuristic guesses
 *
 * The generator runs the wrapped (heuristic) generator first, then sends all its spines in
 * one Converse request and asks for a strict JSON answer:
 *   {"books":[{"spine":N,"title":"…","author":"…"|null}, …]}
 * with N the 0-based spine index. Only an answer that is exactly that (valid JSON, every entry
 * with an index in range, once, and a non-empty title) replaces titles and authors; anything
 * else — an error, a timeout, prose, partial JSON — leaves the heuristic result standing, so
 * Bedrock can improve the candidates but never lose them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bi-aws-client.h"
#include "bi-ports.h"

G_BEGIN_DECLS

#define BI_BEDROCK_DEFAULT_MODEL "anthropic.claude-3-haiku-20240307-v1:0"

/* One user turn with an optional system prompt; returns the assistant's text. */
char *bi_bedrock_converse (BiAwsClient  *client,
                           const char   *model_id,
                           const char   *system_prompt,
                           const char   *user_text,
                           guint         max_tokens,
                           GError      **error);

typedef struct _BiBedrockCandidates BiBedrockCandidates;

/* @client and @fallback are borrowed. */
BiBedrockCandidates  *bi_bedrock_candidates_new     (BiAwsClient          *client,
                                                     const char           *model_id,
                                                     BiCandidateGenerator *fallback);
void                  bi_bedrock_candidates_free    (BiBedrockCandidates  *self);
BiCandidateGenerator *bi_bedrock_candidates_as_port (BiBedrockCandidates  *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiBedrockCandidates, bi_bedrock_candidates_free)

/* Applies a model @answer to @candidates (BiCandidate) if it is exactly the strict form;
 * returns whether it did. Exposed for tests. */
gboolean bi_bedrock_candidates_apply_answer (GPtrArray  *candidates,
                                             const char *answer);

G_END_DECLS
