/* bi-lambda-main.c — bookimg-lambda, the `bootstrap` of every BookImg function
 *
 * One binary for the seven functions: _HANDLER (the function's handler setting) picks the
 * handler. A configuration that cannot work (unknown handler, missing variable) is reported
 * to the runtime API's init/error, so the function's log and the caller see why.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-lambda-main"

#include "bi-lambda-handler.h"

#include <locale.h>

typedef struct
{
  const BiLambdaHandler *handler;
  gpointer               state;
  BiLambdaServices      *services;
} Function;

static char *
handle_cb (gpointer                  data,
           const BiLambdaInvocation *invocation,
           GError                  **error)
{
  Function *function = data;

  bi_lambda_services_set_time_left (function->services,
                                    bi_lambda_invocation_remaining_ms (invocation));
  return function->handler->handle (function->state, invocation, error);
}

static gboolean
init_function (Function  *function,
               GError   **error)
{
  const char *name = g_getenv ("_HANDLER");

  function->handler = bi_lambda_handler_lookup (name);
  if (function->handler == NULL)
    {
      g_autofree char *list = bi_lambda_handler_list ();

      g_set_error (error, BI_LAMBDA_ERROR, BI_LAMBDA_ERROR_CONFIG,
                   "_HANDLER is “%.64s”; bookimg-lambda runs one of: %s.",
                   name != NULL ? name : "(unset)", list);
      return FALSE;
    }

  function->services = bi_lambda_services_new (error);
  if (function->services == NULL)
    return FALSE;
  function->state = function->handler->init (function->services, error);
  if (function->state == NULL)
    {
      g_prefix_error (error, "%s: ", function->handler->name);
      return FALSE;
    }
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) report_error = NULL;
  g_autoptr(BiLambdaRuntime) runtime = NULL;
  const char *api = g_getenv ("AWS_LAMBDA_RUNTIME_API");
  Function function = { NULL, };

  setlocale (LC_ALL, "C.UTF-8");

  if (api == NULL || api[0] == '\0')
    {
      g_printerr ("bookimg-lambda: AWS_LAMBDA_RUNTIME_API is not set; this program runs "
                  "inside AWS Lambda (or a test that plays its runtime API).\n");
      return 2;
    }
  runtime = bi_lambda_runtime_new (api);

  if (!init_function (&function, &error))
    {
      g_printerr ("bookimg-lambda: %s\n", error->message);
      if (!bi_lambda_runtime_init_error (runtime, error, &report_error))
        g_printerr ("bookimg-lambda: %s\n", report_error->message);
      if (function.state != NULL)
        function.handler->free (function.state);
      bi_lambda_services_free (function.services);
      return 1;
    }

  bi_lambda_runtime_run (runtime, handle_cb, &function, &error);
  g_printerr ("bookimg-lambda: %s\n", error->message);
  function.handler->free (function.state);
  bi_lambda_services_free (function.services);
  return 1;
}
