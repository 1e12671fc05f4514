/* bi-llm-config.h — where the optional LLM candidate generator is, from options and environment
 *
 * The LLM is off unless a base URL is given: `--llm-url` or BOOKIMG_LLM_URL (the option wins).
 * Then a model is required (`--llm-model` or BOOKIMG_LLM_MODEL). An API key, for endpoints that
 * want one, comes only from BOOKIMG_LLM_API_KEY: a command line is visible to every user of the
 * machine in ps(1). The key is never logged, nor put in any error message.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BI_LLM_DEFAULT_TIMEOUT_SECONDS 60
#define BI_LLM_MAX_TIMEOUT_SECONDS     3600

typedef struct
{
  char  *base_url;   /* http(s)://host[:port][/prefix] without a trailing slash; NULL: off */
  char  *model;      /* the "model" of the request, e.g. "llama3.1:8b" */
  char  *api_key;    /* sent as "Authorization: Bearer …", or NULL */
  guint  timeout_ms; /* of one whole request */
} BiLlmConfig;

/* Fills @config from the option values (NULL when an option was not given) and the
 * environment, and checks them. @timeout_seconds is the option's value (its default when not
 * given), 1 to BI_LLM_MAX_TIMEOUT_SECONDS. Returns FALSE with BI_LLM_ERROR_CONFIG and a message
 * that names the option to fix; @config is then cleared. */
gboolean  bi_llm_config_load      (BiLlmConfig  *config,
                                   const char   *url_option,
                                   const char   *model_option,
                                   int           timeout_seconds,
                                   GError      **error);

/* Whether a URL was given, i.e. the LLM generator is to be used. */
gboolean  bi_llm_config_enabled   (const BiLlmConfig *config);

/* "model M at URL, timeout N s, with an API key" for the start-up log (never the key). */
char     *bi_llm_config_describe  (const BiLlmConfig *config);

void      bi_llm_config_clear     (BiLlmConfig  *config);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BiLlmConfig, bi_llm_config_clear)

G_END_DECLS
