/* bi-aws-client.c — endpoint, SigV4 and the retry policy shared by every AWS client
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-aws-client"

#include "bi-aws-client.h"

#include <string.h>

#define DEFAULT_TIMEOUT_MS 30000

typedef struct
{
  const char *env_name;     /* BOOKIMG_AWS_ENDPOINT_… */
  const char *host_prefix;  /* AWS's default endpoint: https://PREFIX.REGION.amazonaws.com */
  const char *signing_name;
  const char *display_name; /* in messages */
} ServiceInfo;

static const ServiceInfo services[BI_AWS_N_SERVICES] = {
  [BI_AWS_SERVICE_S3] = { "BOOKIMG_AWS_ENDPOINT_S3", "s3", "s3", "S3" },
  [BI_AWS_SERVICE_SQS] = { "BOOKIMG_AWS_ENDPOINT_SQS", "sqs", "sqs", "SQS" },
  [BI_AWS_SERVICE_SNS] = { "BOOKIMG_AWS_ENDPOINT_SNS", "sns", "sns", "SNS" },
  [BI_AWS_SERVICE_DYNAMODB] = { "BOOKIMG_AWS_ENDPOINT_DYNAMODB", "dynamodb", "dynamodb",
                                "DynamoDB" },
  [BI_AWS_SERVICE_APIGATEWAY] = { "BOOKIMG_AWS_ENDPOINT_APIGATEWAY", NULL, "execute-api",
                                  "API Gateway" },
  [BI_AWS_SERVICE_TEXTRACT] = { "BOOKIMG_AWS_ENDPOINT_TEXTRACT", "textract", "textract",
                                "Textract" },
  [BI_AWS_SERVICE_BEDROCK] = { "BOOKIMG_AWS_ENDPOINT_BEDROCK", "bedrock-runtime", "bedrock",
                               "Bedrock" },
};

struct _BiAwsClient
{
  BiAwsCredentials  credentials;   /* owned strings */
  char             *region;
  char             *endpoints[BI_AWS_N_SERVICES];  /* without a trailing slash; NULL: none */
  gboolean          overridden[BI_AWS_N_SERVICES]; /* set by set_endpoint, not AWS's */
  guint             max_attempts;
  guint             timeout_ms;
  BiAwsSleepFunc    sleep_func;
  gpointer          sleep_data;
  BiAwsNowFunc      now_func;
  gpointer          now_data;
};

static void
default_sleep (gpointer user_data,
               guint    delay_ms)
{
  g_usleep ((gulong) delay_ms * 1000);
}

BiAwsClient *
bi_aws_client_new (const BiAwsCredentials *credentials,
                   const char             *region,
                   GError                **error)
{
  BiAwsClient *self;

  g_return_val_if_fail (credentials != NULL, NULL);

  if (credentials->access_key_id == NULL || credentials->access_key_id[0] == '\0'
      || credentials->secret_access_key == NULL || credentials->secret_access_key[0] == '\0')
    {
      g_set_error_literal (error, BI_AWS_ERROR, BI_AWS_ERROR_CONFIG,
                           "No AWS credentials: set AWS_ACCESS_KEY_ID and "
                           "AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN for temporary ones).");
      return NULL;
    }
  if (region == NULL || region[0] == '\0')
    {
      g_set_error_literal (error, BI_AWS_ERROR, BI_AWS_ERROR_CONFIG,
                           "No AWS region: set AWS_REGION (e.g. eu-west-1).");
      return NULL;
    }

  self = g_new0 (BiAwsClient, 1);
  self->credentials.access_key_id = g_strdup (credentials->access_key_id);
  self->credentials.secret_access_key = g_strdup (credentials->secret_access_key);
  self->credentials.session_token = credentials->session_token != NULL
                                    && credentials->session_token[0] != '\0'
                                    ? g_strdup (credentials->session_token) : NULL;
  self->region = g_strdup (region);
  for (guint i = 0; i < BI_AWS_N_SERVICES; i++)
    if (services[i].host_prefix != NULL)
      self->endpoints[i] = g_strdup_printf ("https://%s.%s.amazonaws.com",
                                            services[i].host_prefix, region);
  self->max_attempts = BI_AWS_DEFAULT_MAX_ATTEMPTS;
  self->timeout_ms = DEFAULT_TIMEOUT_MS;
  self->sleep_func = default_sleep;
  return self;
}

BiAwsClient *
bi_aws_client_new_from_environment (GError **error)
{
  BiAwsCredentials credentials = {
    g_getenv ("AWS_ACCESS_KEY_ID"),
    g_getenv ("AWS_SECRET_ACCESS_KEY"),
    g_getenv ("AWS_SESSION_TOKEN"),
  };
  const char *region = g_getenv ("AWS_REGION");
  g_autoptr(BiAwsClient) self = NULL;

  if (region == NULL || region[0] == '\0')
    region = g_getenv ("AWS_DEFAULT_REGION");
  self = bi_aws_client_new (&credentials, region, error);
  if (self == NULL)
    return NULL;

  for (guint i = 0; i < BI_AWS_N_SERVICES; i++)
    {
      const char *url = g_getenv (services[i].env_name);
      g_autoptr(GError) local_error = NULL;

      if (url == NULL || url[0] == '\0')
        continue;
      if (!bi_aws_client_set_endpoint (self, i, url, &local_error))
        {
          g_set_error (error, BI_AWS_ERROR, BI_AWS_ERROR_CONFIG, "%s: %s",
                       services[i].env_name, local_error->message);
          return NULL;
        }
    }
  return g_steal_pointer (&self);
}

void
bi_aws_client_free (BiAwsClient *self)
{
  if (self == NULL)
    return;

  g_free ((char *) self->credentials.access_key_id);
  if (self->credentials.secret_access_key != NULL)
    memset ((char *) self->credentials.secret_access_key, 0,
            strlen (self->credentials.secret_access_key));
  g_free ((char *) self->credentials.secret_access_key);
  g_free ((char *) self->credentials.session_token);
  g_free (self->region);
  for (guint i = 0; i < BI_AWS_N_SERVICES; i++)
    g_free (self->endpoints[i]);
  g_free (self);
}

gboolean
bi_aws_client_set_endpoint (BiAwsClient  *self,
                            BiAwsService  service,
                            const char   *url,
                            GError      **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  g_autofree char *trimmed = NULL;

  g_return_val_if_fail (self != NULL && service < BI_AWS_N_SERVICES && url != NULL, FALSE);

  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || (g_strcmp0 (scheme, "http") != 0 && g_strcmp0 (scheme, "https") != 0)
      || g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0'
      || g_uri_get_query (uri) != NULL || g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error (error, BI_AWS_ERROR, BI_AWS_ERROR_CONFIG,
                   "The %s endpoint “%s” is not an http(s)://HOST[:PORT][/PATH] URL.",
                   services[service].display_name, url);
      return FALSE;
    }

  trimmed = g_strdup (url);
  while (g_str_has_suffix (trimmed, "/"))
    trimmed[strlen (trimmed) - 1] = '\0';
  g_free (self->endpoints[service]);
  self->endpoints[service] = g_steal_pointer (&trimmed);
  self->overridden[service] = TRUE;
  return TRUE;
}

const char *
bi_aws_client_get_endpoint (BiAwsClient  *self,
                            BiAwsService  service)
{
  g_return_val_if_fail (self != NULL && service < BI_AWS_N_SERVICES, NULL);

  return self->endpoints[service];
}

gboolean
bi_aws_client_endpoint_is_default (BiAwsClient  *self,
                                   BiAwsService  service)
{
  g_return_val_if_fail (self != NULL && service < BI_AWS_N_SERVICES, FALSE);

  return !self->overridden[service];
}

const char *
bi_aws_client_get_region (BiAwsClient *self)
{
  return self->region;
}

void
bi_aws_client_get_signing_params (BiAwsClient        *self,
                                  BiAwsService        service,
                                  BiAwsSigningParams *params)
{
  params->credentials = &self->credentials;
  params->region = self->region;
  params->service = services[service].signing_name;
  params->s3 = service == BI_AWS_SERVICE_S3;
}

void
bi_aws_client_set_max_attempts (BiAwsClient *self,
                                guint        max_attempts)
{
  g_return_if_fail (max_attempts >= 1 && max_attempts <= BI_AWS_MAX_ATTEMPTS_LIMIT);

  self->max_attempts = max_attempts;
}

void
bi_aws_client_set_sleep_func (BiAwsClient    *self,
                              BiAwsSleepFunc  sleep_func,
                              gpointer        user_data)
{
  self->sleep_func = sleep_func != NULL ? sleep_func : default_sleep;
  self->sleep_data = user_data;
}

void
bi_aws_client_set_clock (BiAwsClient  *self,
                         BiAwsNowFunc  now_func,
                         gpointer      user_data)
{
  self->now_func = now_func;
  self->now_data = user_data;
}

void
bi_aws_client_set_timeout_ms (BiAwsClient *self,
                              guint        timeout_ms)
{
  self->timeout_ms = timeout_ms;
}

GDateTime *
bi_aws_client_now (BiAwsClient *self)
{
  return self->now_func != NULL ? self->now_func (self->now_data) : g_date_time_new_now_utc ();
}

const char *
bi_aws_service_get_name (BiAwsService service)
{
  g_return_val_if_fail (service < BI_AWS_N_SERVICES, NULL);

  return services[service].display_name;
}

guint
bi_aws_backoff_delay_ms (guint attempt)
{
  guint64 ceiling = BI_AWS_BACKOFF_BASE_MS;

  for (guint i = 1; i < attempt && ceiling < BI_AWS_BACKOFF_CAP_MS; i++)
    ceiling *= 2;
  ceiling = MIN (ceiling, BI_AWS_BACKOFF_CAP_MS);
  return (guint) g_random_int_range (0, (gint32) ceiling + 1);
}

/* ---- sending ----------------------------------------------------------------------------- */

/* Codes that are worth another attempt although the status is not 5xx. */
static gboolean
code_is_transient (const char *code)
{
  static const char * const transient[] = {
    "RequestTimeout", "RequestTimeoutException", "InternalError", "InternalFailure",
    "ServiceUnavailable", "IDPCommunicationError",
    NULL
  };

  return code != NULL && g_strv_contains (transient, code);
}

static gboolean
http_error_is_transient (const GError *error)
{
  return g_error_matches (error, BI_HTTP_ERROR, BI_HTTP_ERROR_CONNECT)
         || g_error_matches (error, BI_HTTP_ERROR, BI_HTTP_ERROR_TIMEOUT)
         || g_error_matches (error, BI_HTTP_ERROR, BI_HTTP_ERROR_TRANSFER);
}

/* One attempt: sign, send. Returns the answer (any status) or NULL with @error. */
static BiHttpResponse *
send_once (BiAwsClient  *self,
           BiAwsService  service,
           const char   *base_url,
           BiAwsRequest *request,
           GError      **error)
{
  BiAwsSigningParams params;
  g_autoptr(GDateTime) now = bi_aws_client_now (self);
  g_autofree char *target = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GPtrArray) header_lines = g_ptr_array_new_with_free_func (g_free);
  BiHttpRequest http = { 0 };

  bi_aws_client_get_signing_params (self, service, &params);
  bi_aws_sigv4_sign (request, &params, now, NULL);

  for (guint i = 0; i < request->headers->len; i++)
    {
      BiAwsParam *header = g_ptr_array_index (request->headers, i);

      /* libcurl writes Host itself from the URL; the signed value is the same. */
      if (g_ascii_strcasecmp (header->name, "host") == 0)
        continue;
      g_ptr_array_add (header_lines, g_strdup_printf ("%s: %s", header->name, header->value));
    }
  g_ptr_array_add (header_lines, NULL);

  target = bi_aws_request_dup_target (request);
  url = g_strconcat (base_url, target, NULL);
  http.method = request->method;
  http.url = url;
  http.headers = (const char * const *) header_lines->pdata;
  http.body = request->body;
  http.timeout_ms = self->timeout_ms;
  return bi_http_request_send (&http, error);
}

BiHttpResponse *
bi_aws_client_send (BiAwsClient  *self,
                    BiAwsService  service,
                    const char   *what,
                    BiAwsRequest *request,
                    GError      **error)
{
  return bi_aws_client_send_to (self, service, NULL, what, request, error);
}

BiHttpResponse *
bi_aws_client_send_to (BiAwsClient  *self,
                       BiAwsService  service,
                       const char   *endpoint_url,
                       const char   *what,
                       BiAwsRequest *request,
                       GError      **error)
{
  g_autoptr(GUri) endpoint = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *host = NULL;
  const char *endpoint_path;

  g_return_val_if_fail (self != NULL && service < BI_AWS_N_SERVICES, NULL);
  g_return_val_if_fail (request != NULL && what != NULL, NULL);

  if (endpoint_url == NULL)
    endpoint_url = self->endpoints[service];
  if (endpoint_url == NULL)
    {
      g_set_error (error, BI_AWS_ERROR, BI_AWS_ERROR_CONFIG,
                   "%s: no %s endpoint; set %s.", what, services[service].display_name,
                   services[service].env_name);
      return NULL;
    }

  endpoint = g_uri_parse (endpoint_url, G_URI_FLAGS_ENCODED, NULL);
  if (endpoint == NULL)
    {
      g_set_error (error, BI_AWS_ERROR, BI_AWS_ERROR_CONFIG, "%s: “%s” is not a URL.", what,
                   endpoint_url);
      return NULL;
    }
  host = g_uri_get_port (endpoint) > 0
         ? g_strdup_printf ("%s:%d", g_uri_get_host (endpoint), g_uri_get_port (endpoint))
         : g_strdup (g_uri_get_host (endpoint));
  base_url = g_strdup_printf ("%s://%s", g_uri_get_scheme (endpoint), host);
  endpoint_path = g_uri_get_path (endpoint);
  if (endpoint_path[0] != '\0' && !g_str_equal (endpoint_path, "/"))
    {
      char *path = g_strconcat (endpoint_path, request->path, NULL);

      g_free (request->path);
      request->path = path;
    }
  bi_aws_request_set_header (request, "Host", host);

  for (guint attempt = 1;; attempt++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(BiHttpResponse) response = send_once (self, service, base_url, request,
                                                      &local_error);
      g_auto(BiAwsErrorBody) body = { 0 };
      gboolean retry;

      if (response != NULL && response->status < 300)
        return g_steal_pointer (&response);

      if (response != NULL)
        {
          gsize size;
          const char *data = g_bytes_get_data (response->body, &size);

          bi_aws_error_body_parse (data, size,
                                   bi_http_response_get_header (response, "x-amzn-errortype"),
                                   &body);
          retry = response->status >= 500 || response->status == 429
                  || bi_aws_error_code_is_throttling (body.code)
                  || code_is_transient (body.code);
        }
      else
        retry = http_error_is_transient (local_error);

      if (!retry || attempt >= self->max_attempts)
        {
          if (response != NULL)
            bi_aws_error_set_from_answer (error, what, response->status, &body);
          else if (retry)
            g_set_error (error, BI_AWS_ERROR, BI_AWS_ERROR_UNAVAILABLE,
                         "%s: no answer after %u attempts (%s). Check the network and %s.",
                         what, attempt, local_error->message, services[service].env_name);
          else
            g_set_error (error, BI_AWS_ERROR, BI_AWS_ERROR_CONFIG, "%s: %s", what,
                         local_error->message);
          return NULL;
        }

      g_debug ("%s: attempt %u of %u failed (%s); retrying", what, attempt,
               self->max_attempts,
               response != NULL ? (body.code != NULL ? body.code : "HTTP error")
                                : local_error->message);
      self->sleep_func (self->sleep_data, bi_aws_backoff_delay_ms (attempt));
    }
}
