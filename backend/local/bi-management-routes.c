/* bi-management-routes.c — `@connections/{id}` and `@topic`, for clients on this machine
 *
 * `@connections` has API Gateway's management API semantics: POST sends the body to the
 * connection as one text frame, GET describes it, DELETE closes it; 410 Gone with
 * `x-amzn-ErrorType: GoneException` when no open connection has that id. `@topic` is the
 * embedded equivalent of SNS Publish to the results topic: the body, a validated topic
 * message, goes to the notifications queue (benchmarks and tests publish with it). The
 * dispatcher lets only loopback clients in.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-management-routes"

#include "bi-http-server-private.h"
#include "bi-notifier.h"
#include "bi-protocol-error.h"

/* API Gateway answers a gone connection with 410 and `x-amzn-ErrorType: GoneException`
 * (GoneException has no members, so its body carries no message AWS's SDKs read); the SDKs
 * and the CLI name the error from that header. The body stays our JSON error, for clients
 * that read ours. */
static void
respond_gone (SoupServerMessage *msg,
              const char        *connection_id)
{
  g_autofree char *message = g_strdup_printf ("No open connection has the id %s; it closed or "
                                              "never existed.", connection_id);

  bi_http_respond_error (msg, SOUP_STATUS_GONE, "gone", message);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "x-amzn-ErrorType", "GoneException");
}

/* Unix milliseconds as ISO-8601 UTC with milliseconds, as API Gateway reports times. */
static char *
format_unix_ms (gint64 unix_ms)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (unix_ms / 1000);
  g_autofree char *seconds = g_date_time_format (time, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", seconds, (int) (unix_ms % 1000));
}

static JsonNode *
connection_info_json_new (const BiConnectionInfo *info)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *connected_at = format_unix_ms (info->connected_at);
  g_autofree char *last_active_at = format_unix_ms (info->last_active_at);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "connectedAt");
  json_builder_add_string_value (builder, connected_at);
  json_builder_set_member_name (builder, "lastActiveAt");
  json_builder_add_string_value (builder, last_active_at);
  json_builder_set_member_name (builder, "identity");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "sourceIp");
  json_builder_add_string_value (builder, info->source_ip);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* The captured body as text: NULL, with the answer set, when it is too large, empty or not
 * UTF-8 (both routes pass it on as text: a frame, a queue message). */
static char *
captured_text (SoupServerMessage *msg)
{
  g_autoptr(GBytes) body = bi_http_captured_body (msg);
  gsize size = 0;
  const char *data;

  if (body == NULL)
    return NULL;

  data = g_bytes_get_data (body, &size);
  if (size == 0 || !g_utf8_validate_len (data, size, NULL))
    {
      bi_http_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_message",
                             "The body must be non-empty UTF-8 text.");
      return NULL;
    }
  return g_strndup (data, size);
}

static void
post_to_connection (BiHttpServer      *self,
                    SoupServerMessage *msg,
                    const char        *connection_id)
{
  g_autofree char *text = captured_text (msg);

  if (text == NULL)
    return;

  if (bi_connection_manager_post (self->parts.connections, connection_id, text) != BI_POST_SENT)
    {
      respond_gone (msg, connection_id);
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
}

void
bi_connections_route (BiHttpServer      *self,
                      SoupServerMessage *msg,
                      const char        *tail,
                      GHashTable        *query)
{
  g_autofree char *connection_id = bi_http_decode_segment (tail);
  const char *method = soup_server_message_get_method (msg);

  if (!bi_connection_id_is_valid (connection_id))
    {
      bi_http_respond_error (msg, SOUP_STATUS_BAD_REQUEST, "bad_connection_id",
                             "A connection id is 16 characters of A-Z, a-z, 0-9, - and _.");
      return;
    }

  if (g_str_equal (method, SOUP_METHOD_POST))
    {
      post_to_connection (self, msg, connection_id);
    }
  else if (g_str_equal (method, SOUP_METHOD_GET))
    {
      g_auto(BiConnectionInfo) info = { 0 };
      g_autoptr(JsonNode) node = NULL;

      if (!bi_connection_manager_get_info (self->parts.connections, connection_id, &info))
        {
          respond_gone (msg, connection_id);
          return;
        }
      node = connection_info_json_new (&info);
      bi_http_respond_json_node (msg, SOUP_STATUS_OK, node);
    }
  else
    {
      if (!bi_connection_manager_disconnect (self->parts.connections, connection_id))
        {
          respond_gone (msg, connection_id);
          return;
        }
      soup_server_message_set_status (msg, SOUP_STATUS_NO_CONTENT, NULL);
    }
}

void
bi_topic_route (BiHttpServer      *self,
                SoupServerMessage *msg,
                const char        *tail,
                GHashTable        *query)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = captured_text (msg);

  if (text == NULL)
    return;

  if (!bi_topic_message_parse (text, -1, NULL, NULL, &error))
    {
      bi_http_respond_bad_request (msg, error);
      return;
    }

  if (!bi_sqlite_queue_send (self->parts.queue, BI_QUEUE_NOTIFICATIONS, text, &error))
    {
      g_warning ("Could not publish to the topic: %s", error->message);
      bi_http_respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal_error",
                             "The server could not queue the message; try again.");
      return;
    }
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
}
