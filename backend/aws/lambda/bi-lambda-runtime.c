/* bi-lambda-runtime.c — the Lambda custom runtime API (provided.al2023) on libcurl
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-lambda-runtime"

#include "bi-lambda-runtime.h"
#include "bi-http-client.h"

#include <json-glib/json-glib.h>
#include <string.h>

/* Posting a response or an error is local and quick; if the runtime API does not take it in
 * this time, something is wrong with the sandbox, and hanging would hide it. */
#define POST_TIMEOUT_MS 10000
/* Lambda events are at most 6 MB (synchronous invocations). */
#define MAX_EVENT_SIZE (8 * 1024 * 1024)
/* A message of an error reported to the runtime API is cut here (the log has the rest). */
#define MAX_ERROR_MESSAGE_LENGTH 4096

G_DEFINE_QUARK (bi-lambda-error-quark, bi_lambda_error)

struct _BiLambdaRuntime
{
  char *base_url; /* "http://HOST:PORT/2018-06-01/runtime" */
};

void
bi_lambda_invocation_free (BiLambdaInvocation *invocation)
{
  if (invocation == NULL)
    return;
  g_free (invocation->request_id);
  g_free (invocation->trace_id);
  g_free (invocation->function_arn);
  g_clear_pointer (&invocation->event, g_bytes_unref);
  g_free (invocation);
}

gint64
bi_lambda_invocation_remaining_ms (const BiLambdaInvocation *invocation)
{
  g_return_val_if_fail (invocation != NULL, 0);

  return invocation->deadline_ms - g_get_real_time () / 1000;
}

char *
bi_lambda_invocation_dup_event (const BiLambdaInvocation *invocation)
{
  gsize size = 0;
  const char *data;

  g_return_val_if_fail (invocation != NULL, NULL);

  data = g_bytes_get_data (invocation->event, &size);
  return g_strndup (data != NULL ? data : "", size);
}

char *
bi_lambda_error_type (const GError *error)
{
  g_return_val_if_fail (error != NULL, NULL);

  return g_strdup_printf ("%s.%d", g_quark_to_string (error->domain), error->code);
}

BiLambdaRuntime *
bi_lambda_runtime_new (const char *api)
{
  BiLambdaRuntime *self;

  g_return_val_if_fail (api != NULL, NULL);

  self = g_new0 (BiLambdaRuntime, 1);
  self->base_url = g_strdup_printf ("http://%s/%s/runtime", api, BI_LAMBDA_RUNTIME_API_VERSION);
  return self;
}

void
bi_lambda_runtime_free (BiLambdaRuntime *self)
{
  if (self == NULL)
    return;
  g_free (self->base_url);
  g_free (self);
}

/* POSTs @body to @path; the runtime API answers 202 Accepted. */
static gboolean
post (BiLambdaRuntime     *self,
      const char          *path,
      const char * const  *headers,
      const char          *body,
      GError             **error)
{
  g_autofree char *url = g_strconcat (self->base_url, path, NULL);
  g_autoptr(GBytes) data = g_bytes_new (body, strlen (body));
  g_autoptr(BiHttpResponse) response = NULL;
  BiHttpRequest request = {
    .method = "POST",
    .url = url,
    .headers = headers,
    .body = data,
    .timeout_ms = POST_TIMEOUT_MS,
  };

  response = bi_http_request_send (&request, error);
  if (response == NULL)
    {
      g_prefix_error (error, "Lambda runtime API POST %s: ", path);
      return FALSE;
    }
  if (response->status < 200 || response->status > 299)
    {
      g_autofree char *text = bi_http_response_dup_text (response);

      g_set_error (error, BI_LAMBDA_ERROR, BI_LAMBDA_ERROR_RUNTIME_API,
                   "Lambda runtime API POST %s answered HTTP %u: %.200s", path,
                   response->status, text);
      return FALSE;
    }
  return TRUE;
}

BiLambdaInvocation *
bi_lambda_runtime_next (BiLambdaRuntime  *self,
                        GError          **error)
{
  g_autofree char *url = g_strconcat (self->base_url, "/invocation/next", NULL);
  g_autoptr(BiHttpResponse) response = NULL;
  g_autoptr(BiLambdaInvocation) invocation = NULL;
  const char *request_id;
  const char *deadline;
  guint64 deadline_ms = 0;
  /* No timeout: the runtime API holds this request until an event arrives, and Lambda
   * freezes the process meanwhile. */
  BiHttpRequest request = {
    .method = "GET",
    .url = url,
    .timeout_ms = 0,
    .max_body_size = MAX_EVENT_SIZE,
  };

  g_return_val_if_fail (self != NULL, NULL);

  response = bi_http_request_send (&request, error);
  if (response == NULL)
    {
      g_prefix_error (error, "Lambda runtime API GET /invocation/next: ");
      return NULL;
    }
  if (response->status != 200)
    {
      g_set_error (error, BI_LAMBDA_ERROR, BI_LAMBDA_ERROR_RUNTIME_API,
                   "Lambda runtime API GET /invocation/next answered HTTP %u",
                   response->status);
      return NULL;
    }

  request_id = bi_http_response_get_header (response, "Lambda-Runtime-Aws-Request-Id");
  deadline = bi_http_response_get_header (response, "Lambda-Runtime-Deadline-Ms");
  /* The id goes into a URL path: only what Lambda's ids (UUIDs) are made of. */
  if (request_id == NULL || request_id[0] == '\0' || strlen (request_id) > 128
      || strspn (request_id, "0123456789abcdefABCDEF-") != strlen (request_id))
    {
      g_set_error_literal (error, BI_LAMBDA_ERROR, BI_LAMBDA_ERROR_RUNTIME_API,
                           "Lambda runtime API: the next invocation has no valid "
                           "Lambda-Runtime-Aws-Request-Id");
      return NULL;
    }
  if (deadline == NULL
      || !g_ascii_string_to_unsigned (deadline, 10, 1, G_MAXINT64, &deadline_ms, NULL))
    {
      g_set_error (error, BI_LAMBDA_ERROR, BI_LAMBDA_ERROR_RUNTIME_API,
                   "Lambda runtime API: invocation %s has no valid Lambda-Runtime-Deadline-Ms",
                   request_id);
      return NULL;
    }

  invocation = g_new0 (BiLambdaInvocation, 1);
  invocation->request_id = g_strdup (request_id);
  invocation->deadline_ms = (gint64) deadline_ms;
  invocation->trace_id = g_strdup (bi_http_response_get_header (response,
                                                                "Lambda-Runtime-Trace-Id"));
  invocation->function_arn = g_strdup (bi_http_response_get_header (response,
                                                                    "Lambda-Runtime-Invoked-Function-Arn"));
  invocation->event = g_bytes_ref (response->body);
  return g_steal_pointer (&invocation);
}

gboolean
bi_lambda_runtime_respond (BiLambdaRuntime  *self,
                           const char       *request_id,
                           const char       *response,
                           GError          **error)
{
  g_autofree char *path = NULL;
  const char *headers[] = { "Content-Type: application/json", NULL };

  g_return_val_if_fail (self != NULL && request_id != NULL && response != NULL, FALSE);

  path = g_strdup_printf ("/invocation/%s/response", request_id);
  return post (self, path, headers, response, error);
}

/* {"errorMessage","errorType"} and the matching Lambda-Runtime-Function-Error-Type header. */
static gboolean
post_error (BiLambdaRuntime  *self,
            const char       *path,
            const GError     *reported,
            GError          **error)
{
  g_autofree char *type = bi_lambda_error_type (reported);
  g_autofree char *type_header = g_strconcat ("Lambda-Runtime-Function-Error-Type: ", type, NULL);
  g_autofree char *message = g_utf8_make_valid (reported->message, -1);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;
  const char *headers[] = { "Content-Type: application/json", type_header, NULL };

  if (strlen (message) > MAX_ERROR_MESSAGE_LENGTH)
    {
      const char *end = message + MAX_ERROR_MESSAGE_LENGTH;

      while (end > message && (*end & 0xC0) == 0x80)
        end--;
      message[end - message] = '\0';
    }

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "errorMessage");
  json_builder_add_string_value (builder, message);
  json_builder_set_member_name (builder, "errorType");
  json_builder_add_string_value (builder, type);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  body = json_to_string (root, FALSE);
  return post (self, path, headers, body, error);
}

gboolean
bi_lambda_runtime_fail (BiLambdaRuntime  *self,
                        const char       *request_id,
                        const GError     *handler_error,
                        GError          **error)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (self != NULL && request_id != NULL && handler_error != NULL, FALSE);

  path = g_strdup_printf ("/invocation/%s/error", request_id);
  return post_error (self, path, handler_error, error);
}

gboolean
bi_lambda_runtime_init_error (BiLambdaRuntime  *self,
                              const GError     *init_error,
                              GError          **error)
{
  g_return_val_if_fail (self != NULL && init_error != NULL, FALSE);

  return post_error (self, "/init/error", init_error, error);
}

gboolean
bi_lambda_runtime_run (BiLambdaRuntime    *self,
                       BiLambdaHandleFunc  handle,
                       gpointer            handler_data,
                       GError            **error)
{
  g_return_val_if_fail (self != NULL && handle != NULL, FALSE);

  while (TRUE)
    {
      g_autoptr(BiLambdaInvocation) invocation = NULL;
      g_autoptr(GError) handler_error = NULL;
      g_autoptr(GError) post_error_ = NULL;
      g_autofree char *response = NULL;
      gboolean posted;

      invocation = bi_lambda_runtime_next (self, error);
      if (invocation == NULL)
        return FALSE;

      /* X-Ray and the SDKs read the trace header of the current invocation from here. */
      if (invocation->trace_id != NULL)
        g_setenv ("_X_AMZN_TRACE_ID", invocation->trace_id, TRUE);
      else
        g_unsetenv ("_X_AMZN_TRACE_ID");

      response = handle (handler_data, invocation, &handler_error);
      if (response != NULL)
        {
          posted = bi_lambda_runtime_respond (self, invocation->request_id, response,
                                              &post_error_);
        }
      else
        {
          if (handler_error == NULL)
            g_set_error_literal (&handler_error, BI_LAMBDA_ERROR, BI_LAMBDA_ERROR_BAD_EVENT,
                                 "The handler failed without saying why.");
          g_warning ("Invocation %s failed: %s", invocation->request_id, handler_error->message);
          posted = bi_lambda_runtime_fail (self, invocation->request_id, handler_error,
                                           &post_error_);
        }

      /* Lambda times the invocation out by itself when the answer never arrives; the next
       * event may still work, so keep going. */
      if (!posted)
        g_warning ("Could not report the outcome of invocation %s: %s",
                   invocation->request_id, post_error_->message);
    }
}
