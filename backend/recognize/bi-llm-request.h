/* bi-llm-request.h — the chat completions request that asks an LLM to read a photo's spines
 *
 * One request per photo carries every spine's OCR text, numbered from 0:
 *
 *   {"model":…, "temperature":0, "stream":false,
 *    "messages":[{"role":"system","content":<the task>},
 *                {"role":"user","content":"{\"spines\":[{\"index\":0,\"text\":…},…]}"}],
 *    "response_format":{"type":"json_schema",
 *                       "json_schema":{"name":"spines","strict":true,"schema":<below>}}}
 *
 * The schema asks for {"spines":[{"index":int,"title":string|null,"author":string|null}]}
 * with no other members. It uses only the keywords every server's JSON-schema support knows
 * (type, with ["string","null"] for "or null"; properties; required; additionalProperties), so
 * servers that turn it into a grammar (llama.cpp, Ollama) and OpenAI's strict mode all accept
 * it. The counts, ranges and lengths a server might not enforce are checked on the answer
 * (bi-llm-answer.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The path added to the base URL. */
#define BI_LLM_CHAT_COMPLETIONS_PATH "/v1/chat/completions"

/* The request body (UTF-8 JSON) for @model and the spines' @texts, in shelf order. */
GBytes *bi_llm_request_new_body (const char         *model,
                                 const char * const *texts,
                                 guint               n_texts);

G_END_DECLS
