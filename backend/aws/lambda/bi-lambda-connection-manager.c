/* bi-lambda-connection-manager.c — _HANDLER=connection-manager: the WebSocket API's routes
 *
 * API Gateway routes by `$request.body.action`; this handler takes every route and answers in
 * the route response, {"statusCode":200,"body":"<frame>"}, with the same frames as the
 * embedded server (bi-protocol-messages.h):
 *  - $connect: checks ?token= against BOOKIMG_ACCESS_TOKEN (when set): 401 refuses it;
 *  - $disconnect: deletes every subscription row of the connection (through the
 *    connection-id index); best effort, as API Gateway's $disconnect itself;
 *  - subscribe: stores the (jobId, connectionId) row with its TTL, answers "subscribed", and
 *    then reads the results bucket: a job that already finished gets its terminal message at
 *    once through @connections (the late-subscriber guarantee; the row is stored first, so a
 *    result published meanwhile is pushed to it or read here). That message may reach the
 *    client before the route response; clients take a terminal message whenever it comes;
 *  - unsubscribe, ping, and anything else ($default): as the embedded server.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-lambda-connection-manager"

#include "bi-lambda-api-response.h"
#include "bi-lambda-handler.h"
#include "bi-lambda-job-results.h"
#include "bi-apigateway-management.h"
#include "bi-protocol-error.h"

#include <string.h>

typedef struct
{
  BiLambdaPushParts        parts;
  const char              *access_token;
} ConnectionManager;

static gpointer
connection_manager_init (BiLambdaServices  *services,
                         GError           **error)
{
  g_autofree ConnectionManager *self = g_new0 (ConnectionManager, 1);

  if (!bi_lambda_push_parts_init (&self->parts, services, error))
    return NULL;
  self->access_token = bi_lambda_services_get_config (services)->access_token;
  return g_steal_pointer (&self);
}

static char *
reply (const char *frame)
{
  return bi_lambda_api_response_new (200, NULL, frame, NULL);
}

static char *
reply_error (const char *code,
             const char *message)
{
  g_autofree char *frame = bi_message_error_new (code, message);

  return reply (frame);
}

/* Posts the stored terminal message of @job_id, if it finished. Failures are only logged:
 * the client can still read GET /results. */
static void
post_stored_result (ConnectionManager *self,
                    const char        *job_id,
                    const char        *connection_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) document = NULL;
  g_autoptr(JsonNode) message = NULL;
  g_autofree char *push = NULL;
  g_autofree char *text = NULL;
  gsize size = 0;
  const char *data;

  document = bi_lambda_results_get (self->parts.results_store, job_id, &error);
  if (document == NULL)
    {
      if (error != NULL)
        g_warning ("Could not read the result of %s for a late subscriber: %s", job_id,
                   error->message);
      return;
    }

  data = g_bytes_get_data (document, &size);
  text = g_strndup (data, size);
  message = json_from_string (text, &error);
  if (message != NULL)
    push = bi_lambda_terminal_push_new (job_id, message, &error);
  if (push == NULL)
    {
      g_warning ("The stored result of %s is not valid: %s", job_id, error->message);
      return;
    }

  /* A connection gone meanwhile (410) is no one's loss: its $disconnect removes its rows. */
  if (!bi_apigateway_post_to_connection (bi_lambda_services_get_client (self->parts.services),
                                         connection_id, push, &error)
      && !g_error_matches (error, BI_AWS_ERROR, BI_AWS_ERROR_GONE))
    g_warning ("Could not send the result of %s to a late subscriber: %s", job_id,
               error->message);
}

static char *
subscribe (ConnectionManager *self,
           const char        *job_id,
           const char        *connection_id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *frame = NULL;

  if (!bi_dynamodb_subscriptions_put (self->parts.subscriptions, job_id, connection_id, &error))
    {
      g_warning ("Could not store a subscription to %s: %s", job_id, error->message);
      return reply_error ("internal_error",
                          "The server could not record the subscription; try again.");
    }

  post_stored_result (self, job_id, connection_id);
  frame = bi_message_subscribed_new (job_id);
  return reply (frame);
}

static char *
unsubscribe (ConnectionManager *self,
             const char        *job_id,
             const char        *connection_id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *frame = NULL;

  if (!bi_dynamodb_subscriptions_delete (self->parts.subscriptions, job_id, connection_id,
                                         &error))
    {
      g_warning ("Could not delete a subscription to %s: %s", job_id, error->message);
      return reply_error ("internal_error",
                          "The server could not remove the subscription; try again.");
    }
  frame = bi_message_unsubscribed_new (job_id);
  return reply (frame);
}

static char *
route_action (ConnectionManager *self,
              const char        *body,
              const char        *connection_id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *job_id = NULL;
  BiClientAction action;

  if (!bi_client_action_parse (body != NULL ? body : "", body != NULL ? strlen (body) : 0,
                               &action, &job_id, &error))
    return reply_error (error->domain == BI_PROTOCOL_ERROR
                          ? bi_protocol_error_code_name (error->code) : "bad_message",
                        error->message);

  switch (action)
    {
    case BI_CLIENT_ACTION_SUBSCRIBE:
      return subscribe (self, job_id, connection_id);
    case BI_CLIENT_ACTION_UNSUBSCRIBE:
      return unsubscribe (self, job_id, connection_id);
    case BI_CLIENT_ACTION_PING:
    default:
      {
        g_autofree char *frame = bi_message_pong_new ();

        return reply (frame);
      }
    }
}

static char *
connection_manager_handle (gpointer                  data,
                           const BiLambdaInvocation *invocation,
                           GError                  **error)
{
  ConnectionManager *self = data;
  g_autoptr(JsonNode) event = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *route;
  const char *connection_id;

  event = bi_lambda_event_parse (invocation, error);
  if (event == NULL)
    return NULL;
  route = bi_lambda_event_get_string (event, "requestContext", "routeKey", NULL);
  connection_id = bi_lambda_event_get_string (event, "requestContext", "connectionId", NULL);
  if (route == NULL || connection_id == NULL)
    {
      g_set_error_literal (error, BI_LAMBDA_ERROR, BI_LAMBDA_ERROR_BAD_EVENT,
                           "The event has no requestContext.routeKey or connectionId; this "
                           "function takes the WebSocket API's events.");
      return NULL;
    }

  if (strcmp (route, "$connect") == 0)
    {
      char *refusal = bi_lambda_api_check_token (self->access_token,
                                                 bi_lambda_event_get_string (event,
                                                                             "queryStringParameters",
                                                                             "token", NULL));

      return refusal != NULL ? refusal : bi_lambda_api_response_new (200, NULL, NULL, NULL);
    }

  if (strcmp (route, "$disconnect") == 0)
    {
      guint n_deleted = 0;

      if (!bi_dynamodb_subscriptions_delete_by_connection (self->parts.subscriptions, connection_id,
                                                           &n_deleted, &local_error))
        /* The rows expire by their TTL anyway, and pushes to them answer 410. */
        g_warning ("Could not delete the subscriptions of a closed connection: %s",
                   local_error->message);
      else
        g_debug ("Deleted %u subscriptions of a closed connection", n_deleted);
      return bi_lambda_api_response_new (200, NULL, NULL, NULL);
    }

  /* subscribe, unsubscribe, ping and $default: the body decides, as in the embedded
   * server, so an action API Gateway routed to $default is still answered properly. */
  return route_action (self, bi_lambda_event_get_string (event, "body", NULL), connection_id);
}

const BiLambdaHandler bi_lambda_connection_manager = {
  .name = "connection-manager",
  .init = connection_manager_init,
  .handle = connection_manager_handle,
  .free = g_free,
};
