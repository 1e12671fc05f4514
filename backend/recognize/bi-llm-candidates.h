/* bi-llm-candidates.h — the optional LLM candidate generator: heuristics, then one LLM request
 *
 * A BiCandidateGenerator port adapter that wraps another generator (the heuristic one). It
 * runs that generator first, for the spines: one candidate per spine with its OCR text, box,
 * position, angle, confidence and ISBN. Then it sends every spine's text of the photo in one
 * request to an OpenAI-compatible `POST {base}/v1/chat/completions` endpoint (Ollama,
 * llama.cpp server; bi-llm-request.h) and checks the answer strictly (bi-llm-answer.h).
 *
 * A valid answer replaces each candidate's title and author, where the LLM gave them, and
 * nothing else. Any other outcome — no connection, a timeout, an HTTP error, an answer off the
 * schema — leaves the fallback's candidates as they were and logs a warning (at most one every
 * 10 minutes, with a count of the ones held back): the job never fails because of the LLM. Either way the candidates stay hypotheses that the validator checks against the catalog.
 *
 * Thread-safe: one adapter serves every worker thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bi-llm-config.h"
#include "bi-ports.h"

G_BEGIN_DECLS

typedef struct _BiLlmCandidates BiLlmCandidates;

/* @config is copied and must be enabled (bi_llm_config_enabled()); @fallback must outlive the
 * adapter. */
BiLlmCandidates      *bi_llm_candidates_new     (const BiLlmConfig    *config,
                                                 BiCandidateGenerator *fallback);
void                  bi_llm_candidates_free    (BiLlmCandidates      *self);

/* The port; valid as long as @self. */
BiCandidateGenerator *bi_llm_candidates_as_port (BiLlmCandidates      *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiLlmCandidates, bi_llm_candidates_free)

G_END_DECLS
