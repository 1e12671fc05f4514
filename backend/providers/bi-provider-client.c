/* bi-provider-client.c — cache, rate limit, retries and error messages of one online catalog
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-provider-client"

#include "config.h"

#include "bi-provider-client.h"
#include "bi-rate-limiter.h"

#include <curl/curl.h>
#include <string.h>

#define DEFAULT_TIMEOUT_MS 10000
/* An answer of a few results is a few kilobytes; anything near this is not what we asked. */
#define MAX_BODY_SIZE (4 * 1024 * 1024)
/* Tries of one request told to slow down (429/503), and the longest wait we accept: a job's
 * validation should not stall longer than that for an optional catalog. */
#define MAX_ATTEMPTS 3
#define MAX_RETRY_WAIT_US (30 * G_USEC_PER_SEC)

struct _BiProviderClient
{
  const BiProviderInfo *info;
  char                 *base_url;   /* without a trailing slash */
  char                 *api_key;    /* only to cut out of messages */
  char                 *user_agent; /* "User-Agent: …" header line */
  BiResponseCache      *cache;      /* borrowed, may be NULL */
  const BiClock        *clock;
  BiRateLimiter        *limiter;
  guint                 timeout_ms;
  GMutex                lock;          /* guards blocked_until */
  gint64                blocked_until; /* monotonic µs: a long Retry-After; no requests till
                                        * then (they fail at once instead of holding a
                                        * worker thread) */
};

/* ---- helpers -------------------------------------------------------------------------- */

/* @message with the API key (raw and URL-escaped) replaced: keys are never logged. */
static void
hide_secret (BiProviderClient  *self,
             GError           **error)
{
  g_autoptr(GString) message = NULL;
  g_autofree char *escaped = NULL;

  if (error == NULL || *error == NULL || self->api_key == NULL || self->api_key[0] == '\0')
    return;

  message = g_string_new ((*error)->message);
  escaped = g_uri_escape_string (self->api_key, NULL, FALSE);
  g_string_replace (message, self->api_key, "<API key>", 0);
  g_string_replace (message, escaped, "<API key>", 0);
  g_free ((*error)->message);
  (*error)->message = g_string_free (g_steal_pointer (&message), FALSE);
}

/* How long Retry-After asks us to wait, µs; -1 when the header is missing or unreadable. */
static gint64
parse_retry_after (BiProviderClient     *self,
                   const BiHttpResponse *response)
{
  const char *value = bi_http_response_get_header (response, "retry-after");
  guint64 seconds;
  time_t date;

  if (value == NULL)
    return -1;
  /* delay-seconds, or an HTTP-date (RFC 9110 §10.2.3); curl_getdate reads the date forms. */
  if (g_ascii_isdigit (value[0])
      && g_ascii_string_to_unsigned (value, 10, 0, G_MAXINT32, &seconds, NULL))
    return (gint64) seconds * G_USEC_PER_SEC;
  date = curl_getdate (value, NULL);
  if (date == (time_t) -1)
    return -1;
  return MAX ((gint64) date * G_USEC_PER_SEC - self->clock->wall_us (self->clock), 0);
}

static void
set_status_error (BiProviderClient      *self,
                  const BiHttpResponse  *response,
                  GError               **error)
{
  if (self->info->describe_status != NULL
      && self->info->describe_status (self->info->display_name, response, error))
    return;

  if (response->status == 429 || response->status == 503)
    g_set_error (error, BI_PROVIDER_ERROR, BI_PROVIDER_ERROR_RATE_LIMITED,
                 "%s is asking BookImg to slow down (HTTP %u) and kept asking after %d tries; "
                 "books are looked up in the local catalog meanwhile.",
                 self->info->display_name, response->status, MAX_ATTEMPTS);
  else if (response->status >= 500)
    g_set_error (error, BI_PROVIDER_ERROR, BI_PROVIDER_ERROR_UNAVAILABLE,
                 "%s has a problem of its own (HTTP %u); try again later.",
                 self->info->display_name, response->status);
  else
    g_set_error (error, BI_PROVIDER_ERROR, BI_PROVIDER_ERROR_BAD_RESPONSE,
                 "%s refused the request (HTTP %u); if it keeps doing so, BookImg may need an "
                 "update for a change of its API.", self->info->display_name, response->status);
}

static GPtrArray *
parse_body (BiProviderClient     *self,
            const char           *body,
            gsize                 length,
            BiProviderParseFunc   parse,
            gpointer              user_data,
            GError              **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) json_error = NULL;
  JsonNode *root;

  if (!json_parser_load_from_data (parser, body, (gssize) length, &json_error)
      || (root = json_parser_get_root (parser)) == NULL)
    {
      g_set_error (error, BI_PROVIDER_ERROR, BI_PROVIDER_ERROR_BAD_RESPONSE,
                   "%s answered with something that is not JSON (%s); a proxy or captive "
                   "portal may be in the way.", self->info->display_name,
                   json_error != NULL ? json_error->message : "an empty body");
      return NULL;
    }
  return parse (root, user_data, error);
}

/* FALSE (with the error) while a long Retry-After lasts. */
static gboolean
check_not_blocked (BiProviderClient  *self,
                   GError           **error)
{
  gint64 now = self->clock->monotonic_us (self->clock);
  gint64 blocked_until;

  g_mutex_lock (&self->lock);
  blocked_until = self->blocked_until;
  g_mutex_unlock (&self->lock);
  if (now >= blocked_until)
    return TRUE;

  g_set_error (error, BI_PROVIDER_ERROR, BI_PROVIDER_ERROR_RATE_LIMITED,
               "%s asked BookImg to wait before the next request; %" G_GINT64_FORMAT " s to "
               "go. Books are looked up in the local catalog meanwhile.",
               self->info->display_name, (blocked_until - now + G_USEC_PER_SEC - 1)
                                         / G_USEC_PER_SEC);
  return FALSE;
}

static void
block_until (BiProviderClient *self,
             gint64            monotonic_us)
{
  g_mutex_lock (&self->lock);
  self->blocked_until = MAX (self->blocked_until, monotonic_us);
  g_mutex_unlock (&self->lock);
}

/* ---- public API ----------------------------------------------------------------------- */

BiProviderClient *
bi_provider_client_new (const BiProviderInfo   *info,
                        const BiProviderConfig *config)
{
  static const BiProviderConfig defaults = { 0 };
  BiProviderClient *self;
  const char *base_url;
  double rate;

  g_return_val_if_fail (info != NULL, NULL);

  if (config == NULL)
    config = &defaults;
  base_url = config->base_url != NULL ? config->base_url : info->default_base_url;
  rate = config->requests_per_second > 0.0 ? config->requests_per_second
                                           : info->requests_per_second;

  self = g_new0 (BiProviderClient, 1);
  self->info = info;
  self->base_url = g_strdup (base_url);
  while (g_str_has_suffix (self->base_url, "/"))
    self->base_url[strlen (self->base_url) - 1] = '\0';
  self->api_key = g_strdup (config->api_key);
  self->user_agent = g_strdup_printf ("User-Agent: BookImg/%s (%s)", PACKAGE_VERSION,
                                      BI_PROJECT_CONTACT);
  self->cache = config->cache;
  self->clock = config->clock != NULL ? config->clock : bi_clock_get_system ();
  /* Burst 1: requests evenly spaced, so no one-second window holds more than the rate. */
  self->limiter = bi_rate_limiter_new (rate, 1, self->clock);
  self->timeout_ms = config->timeout_ms > 0 ? config->timeout_ms : DEFAULT_TIMEOUT_MS;
  g_mutex_init (&self->lock);
  return self;
}

void
bi_provider_client_free (BiProviderClient *self)
{
  if (self == NULL)
    return;

  g_free (self->base_url);
  if (self->api_key != NULL)
    memset (self->api_key, 0, strlen (self->api_key));
  g_free (self->api_key);
  g_free (self->user_agent);
  bi_rate_limiter_free (self->limiter);
  g_mutex_clear (&self->lock);
  g_free (self);
}

const char *
bi_provider_client_get_display_name (BiProviderClient *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->info->display_name;
}

const char *
bi_provider_client_get_user_agent (BiProviderClient *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->user_agent + strlen ("User-Agent: ");
}

GPtrArray *
bi_provider_client_fetch_books (BiProviderClient     *self,
                                const char           *path_and_query,
                                const char           *request,
                                BiProviderParseFunc   parse,
                                gpointer              user_data,
                                GError              **error)
{
  g_autofree char *url = NULL;
  g_autofree char *cached = NULL;
  const char *headers[] = { self->user_agent, "Accept: application/json", NULL };
  BiHttpRequest http_request = { "GET", NULL, headers, NULL, 0, MAX_BODY_SIZE };

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (path_and_query != NULL && request != NULL && parse != NULL, NULL);

  if (self->cache != NULL
      && (cached = bi_response_cache_lookup (self->cache, self->info->name, request)) != NULL)
    {
      GPtrArray *books = parse_body (self, cached, strlen (cached), parse, user_data, NULL);

      if (books != NULL)
        return books;
      /* A cached answer this version cannot read: ask again, and the new one replaces it. */
    }

  if (!check_not_blocked (self, error))
    return NULL;

  url = g_strconcat (self->base_url, path_and_query, NULL);
  http_request.url = url;
  http_request.timeout_ms = self->timeout_ms;

  for (guint attempt = 1; ; attempt++)
    {
      g_autoptr(BiHttpResponse) response = NULL;
      g_autoptr(GError) http_error = NULL;
      GPtrArray *books;
      gconstpointer body;
      gsize length;
      gint64 wait_us;

      bi_rate_limiter_acquire (self->limiter);
      response = bi_http_request_send (&http_request, &http_error);
      if (response == NULL)
        {
          g_set_error (error, BI_PROVIDER_ERROR, BI_PROVIDER_ERROR_UNAVAILABLE,
                       "Could not reach %s: %s Check the network connection.",
                       self->info->display_name, http_error->message);
          hide_secret (self, error);
          return NULL;
        }

      if (response->status == 200)
        {
          body = g_bytes_get_data (response->body, &length);
          books = parse_body (self, body != NULL ? body : "", length, parse, user_data, error);
          if (books == NULL)
            {
              hide_secret (self, error);
              return NULL;
            }
          if (self->cache != NULL)
            {
              g_autofree char *text = bi_http_response_dup_text (response);

              bi_response_cache_store (self->cache, self->info->name, request, text);
            }
          return books;
        }

      if ((response->status != 429 && response->status != 503) || attempt == MAX_ATTEMPTS)
        {
          set_status_error (self, response, error);
          hide_secret (self, error);
          return NULL;
        }

      /* Told to slow down: every thread of this provider pauses, then this one tries again. */
      wait_us = parse_retry_after (self, response);
      if (wait_us < 0)
        wait_us = (gint64) (1 << (attempt - 1)) * G_USEC_PER_SEC;
      if (wait_us > MAX_RETRY_WAIT_US)
        {
          g_set_error (error, BI_PROVIDER_ERROR, BI_PROVIDER_ERROR_RATE_LIMITED,
                       "%s asks BookImg to wait %" G_GINT64_FORMAT " s before the next request "
                       "(HTTP %u); books are looked up in the local catalog meanwhile.",
                       self->info->display_name, wait_us / G_USEC_PER_SEC, response->status);
          block_until (self, self->clock->monotonic_us (self->clock) + wait_us);
          return NULL;
        }
      g_debug ("%s answered HTTP %u; trying again in %" G_GINT64_FORMAT " ms",
               self->info->display_name, response->status, wait_us / 1000);
      bi_rate_limiter_pause_until (self->limiter,
                                   self->clock->monotonic_us (self->clock) + wait_us);
    }
}
