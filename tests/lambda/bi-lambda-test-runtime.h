/* bi-lambda-test-runtime.h — plays Lambda's runtime API for the real bookimg-lambda
 *
 * The shared bi-test-http-server (127.0.0.1:0, a thread of its own) answers the runtime API
 * (GET invocation/next is held until the test invokes; POST response, error and init/error
 * are recorded), and bookimg-lambda (BOOKIMG_LAMBDA) runs as a child process with
 * AWS_LAMBDA_RUNTIME_API pointing at it. Waits are on a condition variable with a generous
 * limit that fails the test (never a sleep).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

typedef struct
{
  gboolean  failed;      /* POST …/error (or init/error) rather than …/response */
  char     *body;        /* what the function posted */
  char     *error_type;  /* Lambda-Runtime-Function-Error-Type, for errors */
} BiLambdaTestOutcome;

void bi_lambda_test_outcome_free (BiLambdaTestOutcome *outcome);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiLambdaTestOutcome, bi_lambda_test_outcome_free)

typedef struct _BiLambdaTestRuntime BiLambdaTestRuntime;

/* Starts the runtime API and bookimg-lambda with _HANDLER=@handler and @env ("NAME=value",
 * NULL-terminated; added to the test's own environment). */
BiLambdaTestRuntime *bi_lambda_test_runtime_new    (const char         *handler,
                                                    const char * const *env);
/* Stops the function (SIGTERM) and the server. */
void                 bi_lambda_test_runtime_free   (BiLambdaTestRuntime *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiLambdaTestRuntime, bi_lambda_test_runtime_free)

/* Hands @event to the function with @timeout_ms left and waits for its outcome. */
BiLambdaTestOutcome *bi_lambda_test_runtime_invoke (BiLambdaTestRuntime *self,
                                                    const char          *event,
                                                    gint64               timeout_ms);
/* Waits for POST init/error and for the process to exit; returns the posted error and its
 * exit status in @exit_status. */
BiLambdaTestOutcome *bi_lambda_test_runtime_wait_init_error (BiLambdaTestRuntime *self,
                                                             int                 *exit_status);
/* Trace id sent with each event (Lambda-Runtime-Trace-Id). */
const char          *bi_lambda_test_runtime_trace_id       (void);

/* The text of tests/lambda/events/@name with each "@KEY@" replaced by its value (@subs:
 * NULL-terminated KEY, value, …). */
char                *bi_lambda_test_event              (const char         *name,
                                                        const char * const *subs);

/* @text parsed; asserts it is a JSON object, which is returned (it belongs to *@root). */
JsonObject          *bi_lambda_test_parse_object       (const char         *text,
                                                        JsonNode          **root);

G_END_DECLS
