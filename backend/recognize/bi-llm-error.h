/* bi-llm-error.h — the error domain of the optional LLM candidate generator
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BI_LLM_ERROR (bi_llm_error_quark ())

typedef enum
{
  BI_LLM_ERROR_CONFIG,     /* --llm-url, --llm-model, … or their environment variables are wrong */
  BI_LLM_ERROR_STATUS,     /* the endpoint answered with an HTTP status other than 200 */
  BI_LLM_ERROR_ANSWER,     /* the answer does not match the chat completions format or the schema */
} BiLlmError;

GQuark bi_llm_error_quark (void);

G_END_DECLS
