/* bi-lambda-runtime.h — the Lambda custom runtime API (provided.al2023) on libcurl
 *
 * The loop a custom runtime runs: GET …/invocation/next (blocks until there is an event; no
 * timeout), run the handler with the remaining time, POST …/invocation/{id}/response or
 * …/invocation/{id}/error. Initialisation failures go to POST …/init/error, after which
 * Lambda stops the process. AWS_LAMBDA_RUNTIME_API is "HOST:PORT" of the runtime API.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BI_LAMBDA_RUNTIME_API_VERSION "2018-06-01"

#define BI_LAMBDA_ERROR (bi_lambda_error_quark ())

typedef enum
{
  BI_LAMBDA_ERROR_CONFIG,      /* missing or bad environment, unknown _HANDLER */
  BI_LAMBDA_ERROR_BAD_EVENT,   /* the event is not the shape the handler takes */
  BI_LAMBDA_ERROR_RUNTIME_API, /* the runtime API refused or did not answer */
} BiLambdaError;

GQuark bi_lambda_error_quark (void);

/* One event, as the runtime API handed it out. */
typedef struct
{
  char   *request_id;   /* Lambda-Runtime-Aws-Request-Id */
  gint64  deadline_ms;  /* Lambda-Runtime-Deadline-Ms: Unix milliseconds */
  char   *trace_id;     /* Lambda-Runtime-Trace-Id, or NULL */
  char   *function_arn; /* Lambda-Runtime-Invoked-Function-Arn, or NULL */
  GBytes *event;        /* the event JSON */
} BiLambdaInvocation;

void    bi_lambda_invocation_free         (BiLambdaInvocation       *invocation);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiLambdaInvocation, bi_lambda_invocation_free)

/* Milliseconds left before Lambda stops the invocation (negative once it passed). */
gint64  bi_lambda_invocation_remaining_ms (const BiLambdaInvocation *invocation);
/* The event as NUL-terminated text. */
char   *bi_lambda_invocation_dup_event    (const BiLambdaInvocation *invocation);

/* Runs one event: returns the response JSON, or NULL with @error (reported as the
 * invocation's error: the event source retries as it does for a failed function). */
typedef char *(*BiLambdaHandleFunc) (gpointer                  handler_data,
                                     const BiLambdaInvocation *invocation,
                                     GError                  **error);

typedef struct _BiLambdaRuntime BiLambdaRuntime;

/* @api: "HOST:PORT", the value of AWS_LAMBDA_RUNTIME_API. */
BiLambdaRuntime    *bi_lambda_runtime_new        (const char        *api);
void                bi_lambda_runtime_free       (BiLambdaRuntime   *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiLambdaRuntime, bi_lambda_runtime_free)

/* Waits for the next event. */
BiLambdaInvocation *bi_lambda_runtime_next       (BiLambdaRuntime   *self,
                                                  GError           **error);
gboolean            bi_lambda_runtime_respond    (BiLambdaRuntime   *self,
                                                  const char        *request_id,
                                                  const char        *response,
                                                  GError           **error);
/* Reports @handler_error as {"errorMessage","errorType"}. */
gboolean            bi_lambda_runtime_fail       (BiLambdaRuntime   *self,
                                                  const char        *request_id,
                                                  const GError      *handler_error,
                                                  GError           **error);
gboolean            bi_lambda_runtime_init_error (BiLambdaRuntime   *self,
                                                  const GError      *init_error,
                                                  GError           **error);

/* The loop: next, handle, respond — until the runtime API stops answering (returns FALSE
 * with that error; Lambda ends the process long before in normal operation). */
gboolean            bi_lambda_runtime_run        (BiLambdaRuntime   *self,
                                                  BiLambdaHandleFunc handle,
                                                  gpointer           handler_data,
                                                  GError           **error);

/* The errorType reported for @error: "<domain>.<code>", e.g. "bi-lambda-error-quark.1". */
char               *bi_lambda_error_type         (const GError      *error);

G_END_DECLS
