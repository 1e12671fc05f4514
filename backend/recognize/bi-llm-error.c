/* bi-llm-error.c — the error domain of the optional LLM candidate generator
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-llm-error"

#include "bi-llm-error.h"

G_DEFINE_QUARK (bi-llm-error-quark, bi_llm_error)
