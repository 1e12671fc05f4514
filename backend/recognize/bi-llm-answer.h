/* bi-llm-answer.h — the strict check of an LLM's chat completions answer about a photo's spines
 *
 * The response body must be a chat completion whose `choices[0].message.content` is a JSON
 * text of exactly this shape, for a request about @n_spines spines:
 *
 *   {"spines":[{"index":int,"title":string|null,"author":string|null}, …]}
 *
 * every index from 0 to n_spines - 1 present once (in any order), no other members anywhere in
 * it, and every string one line (no control or line-separator characters) of 1 to
 * BI_LLM_MAX_FIELD_LENGTH bytes of UTF-8 with something besides blanks. Anything else is not an
 * answer: a model that wraps its JSON in prose or Markdown, skips a spine or adds a member is
 * not following the schema, and what it said about the other spines is not trusted either.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Longer than any real title ("The Curious Incident of the Dog in the Night-Time" is 49). */
#define BI_LLM_MAX_FIELD_LENGTH 300

/* What the LLM read on one spine; NULL where it said null. */
typedef struct
{
  char *title;
  char *author;
} BiLlmSpine;

void        bi_llm_spine_free  (BiLlmSpine *spine);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiLlmSpine, bi_llm_spine_free)

/* Checks the response body @body (@length bytes) of a request about @n_spines spines.
 * Returns a GPtrArray of @n_spines BiLlmSpine, the element at i about spine i (free func set),
 * or NULL with BI_LLM_ERROR_ANSWER and a message that says what was wrong (it never quotes the
 * answer at length). */
GPtrArray  *bi_llm_answer_parse (const char  *body,
                                 gsize        length,
                                 guint        n_spines,
                                 GError     **error);

G_END_DECLS
