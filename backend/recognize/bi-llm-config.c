/* bi-llm-config.c — where the optional LLM candidate generator is, from options and environment
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-llm-config"

#include "bi-llm-config.h"
#include "bi-llm-error.h"

#include <string.h>

#define URL_VARIABLE     "BOOKIMG_LLM_URL"
#define MODEL_VARIABLE   "BOOKIMG_LLM_MODEL"
#define API_KEY_VARIABLE "BOOKIMG_LLM_API_KEY"

/* Model names are short ("llama3.1:8b", "qwen2.5-7b-instruct-q4_k_m.gguf"). */
#define MAX_MODEL_LENGTH 256

/* The option's value, else the environment variable's; an empty variable counts as unset, so
 * `BOOKIMG_LLM_URL= bookimg-server …` turns the LLM off. */
static char *
option_or_environment (const char *option,
                       const char *variable)
{
  const char *value = option != NULL ? option : g_getenv (variable);

  if (value == NULL)
    return NULL;
  return g_strstrip (g_strdup (value));
}

static gboolean
has_control_characters (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    {
      if (g_ascii_iscntrl (*p))
        return TRUE;
    }
  return FALSE;
}

/* http(s)://host[:port][/prefix]; the request goes to {base}/v1/chat/completions. */
static char *
check_url (const char  *url,
           GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) parse_error = NULL;
  const char *scheme;
  const char *host;
  g_autofree char *base = NULL;
  gsize length;

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, &parse_error);
  if (uri == NULL)
    {
      g_set_error (error, BI_LLM_ERROR, BI_LLM_ERROR_CONFIG,
                   "--llm-url (or " URL_VARIABLE ") is not a URL (%s); give the server's base "
                   "URL, e.g. http://127.0.0.1:11434 for Ollama.", parse_error->message);
      return NULL;
    }

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    {
      g_set_error (error, BI_LLM_ERROR, BI_LLM_ERROR_CONFIG,
                   "--llm-url (or " URL_VARIABLE ") must start with http:// or https://, not "
                   "“%.16s:”.", scheme);
      return NULL;
    }
  if (host == NULL || host[0] == '\0')
    {
      g_set_error_literal (error, BI_LLM_ERROR, BI_LLM_ERROR_CONFIG,
                           "--llm-url (or " URL_VARIABLE ") has no host; give e.g. "
                           "http://127.0.0.1:11434.");
      return NULL;
    }
  /* Credentials in a URL end up in logs and error messages; the key has its own variable. */
  if (g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error_literal (error, BI_LLM_ERROR, BI_LLM_ERROR_CONFIG,
                           "--llm-url (or " URL_VARIABLE ") must not hold a user name or "
                           "password; put an API key in " API_KEY_VARIABLE " instead.");
      return NULL;
    }
  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error_literal (error, BI_LLM_ERROR, BI_LLM_ERROR_CONFIG,
                           "--llm-url (or " URL_VARIABLE ") must not have a ?query or "
                           "#fragment; give the server's base URL, e.g. "
                           "http://127.0.0.1:11434.");
      return NULL;
    }

  base = g_strdup (url);
  length = strlen (base);
  while (length > 0 && base[length - 1] == '/')
    base[--length] = '\0';
  /* OpenAI's client libraries call ".../v1" the base URL; we add /v1 ourselves, and a doubled
   * /v1/v1 would only show up as a 404 in the first job's warning. */
  if (g_str_has_suffix (base, "/v1") || strstr (base, "/chat/completions") != NULL)
    {
      g_set_error (error, BI_LLM_ERROR, BI_LLM_ERROR_CONFIG,
                   "--llm-url (or " URL_VARIABLE ") is the server's base URL without /v1 or "
                   "/chat/completions (BookImg adds /v1/chat/completions), e.g. "
                   "http://127.0.0.1:11434, not %s.", url);
      return NULL;
    }
  return g_steal_pointer (&base);
}

static gboolean
check_model (const char  *model,
             GError     **error)
{
  if (model == NULL || model[0] == '\0')
    {
      g_set_error_literal (error, BI_LLM_ERROR, BI_LLM_ERROR_CONFIG,
                           "An LLM URL is set but no model: pass --llm-model NAME (or set "
                           MODEL_VARIABLE "), e.g. the name `ollama list` shows.");
      return FALSE;
    }
  if (strlen (model) > MAX_MODEL_LENGTH || has_control_characters (model)
      || !g_utf8_validate (model, -1, NULL))
    {
      g_set_error (error, BI_LLM_ERROR, BI_LLM_ERROR_CONFIG,
                   "--llm-model (or " MODEL_VARIABLE ") must be one line of UTF-8 text of at "
                   "most %d bytes.", MAX_MODEL_LENGTH);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_api_key (const char  *api_key,
               GError     **error)
{
  if (api_key == NULL)
    return TRUE;

  /* It travels in a header: anything but visible ASCII could end it and start another. The
   * message says what is wrong, never what the key is. */
  for (const char *p = api_key; *p != '\0'; p++)
    {
      if (!g_ascii_isgraph (*p))
        {
          g_set_error_literal (error, BI_LLM_ERROR, BI_LLM_ERROR_CONFIG,
                               API_KEY_VARIABLE " may only hold visible ASCII characters (no "
                               "spaces or line breaks), as it travels in an HTTP header.");
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
bi_llm_config_load (BiLlmConfig  *config,
                    const char   *url_option,
                    const char   *model_option,
                    int           timeout_seconds,
                    GError      **error)
{
  g_autofree char *url = option_or_environment (url_option, URL_VARIABLE);
  g_autofree char *model = option_or_environment (model_option, MODEL_VARIABLE);
  g_autofree char *api_key = option_or_environment (NULL, API_KEY_VARIABLE);

  g_return_val_if_fail (config != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  memset (config, 0, sizeof *config);

  if (timeout_seconds < 1 || timeout_seconds > BI_LLM_MAX_TIMEOUT_SECONDS)
    {
      g_set_error (error, BI_LLM_ERROR, BI_LLM_ERROR_CONFIG,
                   "--llm-timeout-seconds must be from 1 to %d, not %d.",
                   BI_LLM_MAX_TIMEOUT_SECONDS, timeout_seconds);
      return FALSE;
    }

  if (url == NULL || url[0] == '\0')
    {
      if (model_option != NULL)
        {
          g_set_error_literal (error, BI_LLM_ERROR, BI_LLM_ERROR_CONFIG,
                               "--llm-model needs --llm-url (or " URL_VARIABLE "): the base "
                               "URL of an OpenAI-compatible server, e.g. "
                               "http://127.0.0.1:11434.");
          return FALSE;
        }
      /* No URL: the LLM is off, whatever else the environment holds. */
      return TRUE;
    }

  config->base_url = check_url (url, error);
  if (config->base_url == NULL || !check_model (model, error) || !check_api_key (api_key, error))
    {
      bi_llm_config_clear (config);
      return FALSE;
    }

  config->model = g_steal_pointer (&model);
  if (api_key != NULL && api_key[0] != '\0')
    config->api_key = g_steal_pointer (&api_key);
  config->timeout_ms = (guint) timeout_seconds * 1000;
  return TRUE;
}

gboolean
bi_llm_config_enabled (const BiLlmConfig *config)
{
  g_return_val_if_fail (config != NULL, FALSE);

  return config->base_url != NULL;
}

char *
bi_llm_config_describe (const BiLlmConfig *config)
{
  g_return_val_if_fail (config != NULL, NULL);

  if (config->base_url == NULL)
    return g_strdup ("off");
  return g_strdup_printf ("model %s at %s, timeout %u s%s", config->model, config->base_url,
                          config->timeout_ms / 1000,
                          config->api_key != NULL ? ", with an API key" : "");
}

void
bi_llm_config_clear (BiLlmConfig *config)
{
  g_clear_pointer (&config->base_url, g_free);
  g_clear_pointer (&config->model, g_free);
  g_clear_pointer (&config->api_key, g_free);
  config->timeout_ms = 0;
}
