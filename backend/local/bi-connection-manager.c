/* bi-connection-manager.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-connection-manager"

#include "bi-connection-manager.h"
#include "bi-peer-liveness.h"
#include "bi-protocol-error.h"
#include "bi-protocol-messages.h"

#include <string.h>
#include <sys/random.h>

/* Expired subscription rows are deleted this often; reads ignore them in between. */
#define SWEEP_INTERVAL_SECONDS 60

typedef struct
{
  BiConnectionManager     *manager;          /* borrowed; cleared when the manager goes first */
  char                    *id;
  SoupWebsocketConnection *websocket;
  GSocket                 *socket;           /* for TCP_INFO; NULL when we could not get it */
  GPollableOutputStream   *output;           /* the connection's stream, to test writability */
  GSource                 *writable_source;  /* attached while `pending` waits for the socket */
  GQueue                   pending;          /* char * texts not yet handed to libsoup */
  char                    *source_ip;
  gint64                   connected_at;     /* Unix ms */
  gint64                   last_active_at;   /* Unix ms: last frame received or message sent */
  BiPeerLiveness           liveness;         /* for the pong timeout */
  gboolean                 closed;           /* closing or closed: no more posts */
} BiConnection;

struct _BiConnectionManager
{
  BiSubscriptionStore       *subscriptions; /* borrowed */
  BiJobStore                *jobs;          /* borrowed */
  BiMetrics                 *metrics;       /* borrowed */
  BiConnectionManagerConfig  config;
  /* id → BiConnection (one reference). A connection stays here until libsoup reports it
   * closed, so its close frame can still be sent; `closed` hides it from posts meanwhile. */
  GHashTable                *connections;
  guint                      n_open;        /* connections in the table that are not closed */
  guint                      sweep_id;      /* timer deleting expired subscription rows */
  guint                      liveness_id;   /* timer of the pong timeout check, if enabled */
};

/* ---- connections ------------------------------------------------------------------------ */

static void
connection_finalize (BiConnection *connection)
{
  /* No writable source is left: it holds a reference of its own. */
  g_queue_clear_full (&connection->pending, g_free);
  g_signal_handlers_disconnect_by_data (connection->websocket, connection);
  g_clear_object (&connection->websocket);
  g_clear_object (&connection->socket);
  g_clear_object (&connection->output);
  g_free (connection->id);
  g_free (connection->source_ip);
}

static BiConnection *
connection_ref (BiConnection *connection)
{
  return g_rc_box_acquire (connection);
}

static void
connection_unref (BiConnection *connection)
{
  g_rc_box_release_full (connection, (GDestroyNotify) connection_finalize);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiConnection, connection_unref)

static gint64
unix_ms_now (void)
{
  return g_get_real_time () / 1000;
}

/* 12 random bytes as 16 characters of base64url. Connection ids are names, not secrets (the
 * management API that takes them is loopback-only), but unguessable ids cost nothing. */
static char *
connection_id_new (void)
{
  guint8 bytes[12];
  char *id;

  if (getrandom (bytes, sizeof bytes, 0) != (ssize_t) sizeof bytes)
    {
      for (guint i = 0; i < sizeof bytes; i++)
        bytes[i] = (guint8) g_random_int_range (0, 256);
    }

  /* 12 bytes encode to 16 characters without padding. */
  id = g_base64_encode (bytes, sizeof bytes);
  g_strdelimit (id, "+", '-');
  g_strdelimit (id, "/", '_');
  return id;
}

gboolean
bi_connection_id_is_valid (const char *connection_id)
{
  if (connection_id == NULL || strlen (connection_id) != BI_CONNECTION_ID_LENGTH)
    return FALSE;

  for (const char *p = connection_id; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
        return FALSE;
    }

  return TRUE;
}

/* Marks @connection closed and forgets its subscriptions: from now on pushes to it fail and
 * its rows are gone (as API Gateway's $disconnect route deletes them). */
static void
connection_mark_closed (BiConnection *connection)
{
  BiConnectionManager *manager = connection->manager;
  g_autoptr(GError) error = NULL;

  if (connection->closed)
    return;

  connection->closed = TRUE;
  g_queue_clear_full (&connection->pending, g_free);
  g_queue_init (&connection->pending);
  if (connection->writable_source != NULL)
    {
      g_source_destroy (connection->writable_source);
      g_clear_pointer (&connection->writable_source, g_source_unref);
    }

  if (manager == NULL)
    return;

  manager->n_open--;
  if (!bi_subscription_store_delete_by_connection (manager->subscriptions, connection->id,
                                                   &error))
    g_warning ("Could not delete the subscriptions of connection %s (they expire by TTL): %s",
               connection->id, error->message);
}

static void
connection_close (BiConnection *connection,
                  gushort       code,
                  const char   *reason)
{
  g_autoptr(BiConnection) hold = connection_ref (connection);

  if (connection->closed)
    return;

  g_debug ("Closing connection %s (%u): %s", connection->id, code, reason);
  connection_mark_closed (connection);
  if (soup_websocket_connection_get_state (connection->websocket) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (connection->websocket, code, reason);
}

static void connection_watch_writable (BiConnection *connection);

/* Hands waiting messages to libsoup while the socket takes data. libsoup writes what the
 * socket accepts at once and queues the rest without limit; checking writability first
 * keeps that queue to about one message, so the backlog stays in our bounded queue. */
static void
connection_flush (BiConnection *connection)
{
  g_autoptr(BiConnection) hold = connection_ref (connection);

  while (!connection->closed && !g_queue_is_empty (&connection->pending))
    {
      g_autofree char *text = NULL;

      if (soup_websocket_connection_get_state (connection->websocket)
          != SOUP_WEBSOCKET_STATE_OPEN)
        {
          connection_mark_closed (connection);
          return;
        }

      if (connection->output != NULL && !g_pollable_output_stream_is_writable (connection->output))
        {
          connection_watch_writable (connection);
          return;
        }

      text = g_queue_pop_head (&connection->pending);
      soup_websocket_connection_send_text (connection->websocket, text);
      connection->last_active_at = unix_ms_now ();
    }
}

static gboolean
connection_writable_cb (GObject  *stream,
                        gpointer  user_data)
{
  BiConnection *connection = user_data;

  g_clear_pointer (&connection->writable_source, g_source_unref);
  connection_flush (connection);
  return G_SOURCE_REMOVE;
}

static void
connection_watch_writable (BiConnection *connection)
{
  if (connection->writable_source != NULL)
    return;

  connection->writable_source = g_pollable_output_stream_create_source (connection->output, NULL);
  g_source_set_callback (connection->writable_source, G_SOURCE_FUNC (connection_writable_cb),
                         connection_ref (connection), (GDestroyNotify) connection_unref);
  g_source_attach (connection->writable_source, NULL);
}

static BiPostResult
connection_enqueue (BiConnection *connection,
                    const char   *text)
{
  BiConnectionManager *manager = connection->manager;

  if (connection->closed || manager == NULL)
    return BI_POST_GONE;

  g_queue_push_tail (&connection->pending, g_strdup (text));
  if (connection->pending.length > manager->config.send_queue_limit)
    {
      g_message ("Closing connection %s: %u messages are waiting for it (limit %u).",
                 connection->id, connection->pending.length, manager->config.send_queue_limit);
      bi_metrics_count_slow_consumer (manager->metrics);
      connection_close (connection, SOUP_WEBSOCKET_CLOSE_POLICY_VIOLATION,
                        "Too many messages are waiting: the client does not read them.");
      return BI_POST_OVERFLOW;
    }

  connection_flush (connection);
  return BI_POST_SENT;
}

static void
connection_send_error (BiConnection *connection,
                       const char   *code,
                       const char   *message)
{
  g_autofree char *text = bi_message_error_new (code, message);

  connection_enqueue (connection, text);
}

static void
connection_subscribe (BiConnection *connection,
                      const char   *job_id)
{
  BiConnectionManager *manager = connection->manager;
  g_autoptr(GError) error = NULL;
  g_autofree char *reply = NULL;
  g_autofree char *terminal = NULL;
  BiJobState state;

  /* The row first, then the stored state: a result stored between the two is either pushed
   * to this row or read here, so it cannot be missed (a duplicate is dropped by seq). */
  if (!bi_subscription_store_put (manager->subscriptions, job_id, connection->id, &error))
    {
      g_warning ("Could not store a subscription to %s: %s", job_id, error->message);
      connection_send_error (connection, "internal_error",
                             "The server could not record the subscription; try again.");
      return;
    }

  reply = bi_message_subscribed_new (job_id);
  if (connection_enqueue (connection, reply) != BI_POST_SENT)
    return;

  state = bi_job_store_lookup (manager->jobs, job_id, NULL, &terminal, &error);
  if (error != NULL)
    {
      g_warning ("Could not read the state of %s: %s", job_id, error->message);
      return;
    }
  if ((state == BI_JOB_STATE_COMPLETE || state == BI_JOB_STATE_FAILED) && terminal != NULL)
    connection_enqueue (connection, terminal);
}

static void
connection_unsubscribe (BiConnection *connection,
                        const char   *job_id)
{
  BiConnectionManager *manager = connection->manager;
  g_autoptr(GError) error = NULL;
  g_autofree char *reply = NULL;

  if (!bi_subscription_store_delete (manager->subscriptions, job_id, connection->id, &error))
    {
      g_warning ("Could not delete a subscription to %s: %s", job_id, error->message);
      connection_send_error (connection, "internal_error",
                             "The server could not remove the subscription; try again.");
      return;
    }

  reply = bi_message_unsubscribed_new (job_id);
  connection_enqueue (connection, reply);
}

static void
connection_message_cb (SoupWebsocketConnection *websocket,
                       gint                     type,
                       GBytes                  *message,
                       gpointer                 user_data)
{
  g_autoptr(BiConnection) connection = connection_ref (user_data);
  BiConnectionManager *manager = connection->manager;
  g_autoptr(GError) error = NULL;
  g_autofree char *job_id = NULL;
  g_autofree char *reply = NULL;
  BiClientAction action;
  const char *data;
  gsize length = 0;

  if (manager == NULL || connection->closed)
    return;

  bi_peer_liveness_frame_received (&connection->liveness, g_get_monotonic_time ());
  connection->last_active_at = unix_ms_now ();

  data = g_bytes_get_data (message, &length);
  if (length > BI_WEBSOCKET_MAX_INCOMING_PAYLOAD)
    {
      bi_metrics_count_websocket_message (manager->metrics, TRUE);
      connection_close (connection, SOUP_WEBSOCKET_CLOSE_TOO_BIG,
                        "Messages are limited to 64 KiB.");
      return;
    }

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    {
      bi_metrics_count_websocket_message (manager->metrics, TRUE);
      connection_send_error (connection,
                             bi_protocol_error_code_name (BI_PROTOCOL_ERROR_BAD_MESSAGE),
                             "Binary frames are not supported; send each action as JSON text.");
      return;
    }

  if (!bi_client_action_parse (data != NULL ? data : "", length, &action, &job_id, &error))
    {
      const char *code = error->domain == BI_PROTOCOL_ERROR
                         ? bi_protocol_error_code_name (error->code) : "bad_message";

      bi_metrics_count_websocket_message (manager->metrics, TRUE);
      connection_send_error (connection, code, error->message);
      return;
    }

  bi_metrics_count_websocket_message (manager->metrics, FALSE);
  switch (action)
    {
    case BI_CLIENT_ACTION_SUBSCRIBE:
      connection_subscribe (connection, job_id);
      break;
    case BI_CLIENT_ACTION_UNSUBSCRIBE:
      connection_unsubscribe (connection, job_id);
      break;
    case BI_CLIENT_ACTION_PING:
      reply = bi_message_pong_new ();
      connection_enqueue (connection, reply);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
connection_closed_cb (SoupWebsocketConnection *websocket,
                      gpointer                 user_data)
{
  BiConnection *connection = user_data;
  BiConnectionManager *manager = connection->manager;

  g_debug ("Connection %s closed (%u)", connection->id,
           soup_websocket_connection_get_close_code (websocket));
  connection_mark_closed (connection);
  if (manager != NULL)
    g_hash_table_remove (manager->connections, connection->id);
}

static void
connection_error_cb (SoupWebsocketConnection *websocket,
                     GError                  *error,
                     gpointer                 user_data)
{
  BiConnection *connection = user_data;

  /* Resets and protocol errors from clients are everyday events, not server problems. */
  g_debug ("Connection %s: %s", connection->id, error->message);
}

/* ---- pong timeout (see bi-peer-liveness.h) ----------------------------------------------------
 *
 * Checked on a timer for all connections at once: a dead peer is found within the keepalive
 * interval (the ping that goes unacknowledged) + the pong timeout + one check interval. */

static gboolean
connection_peer_is_dead (BiConnection *connection,
                         gint64        now_us,
                         gint64        timeout_us)
{
  guint unacked = 0;
  gint64 last_ack_age_us = 0;

  if (connection->socket == NULL
      || !bi_peer_liveness_observe (connection->socket, &unacked, &last_ack_age_us))
    return FALSE;
  return bi_peer_liveness_update (&connection->liveness, now_us, unacked, last_ack_age_us,
                                  timeout_us);
}

static gboolean
check_liveness_cb (gpointer user_data)
{
  BiConnectionManager *self = user_data;
  gint64 timeout_us = (gint64) self->config.pong_timeout_seconds * G_USEC_PER_SEC;
  gint64 now_us = g_get_monotonic_time ();
  g_autoptr(GPtrArray) dead = g_ptr_array_new_with_free_func ((GDestroyNotify) connection_unref);
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->connections);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      BiConnection *connection = value;

      if (!connection->closed && connection_peer_is_dead (connection, now_us, timeout_us))
        g_ptr_array_add (dead, connection_ref (connection));
    }

  /* Closed outside the iteration: closing may remove entries from the table. */
  for (guint i = 0; i < dead->len; i++)
    {
      BiConnection *connection = g_ptr_array_index (dead, i);

      g_message ("Closing connection %s: its peer acknowledged nothing for %u s.",
                 connection->id, self->config.pong_timeout_seconds);
      bi_metrics_count_dead_peer (self->metrics);
      connection_close (connection, SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "No pong in time.");
    }

  return G_SOURCE_CONTINUE;
}

static gboolean
sweep_cb (gpointer user_data)
{
  BiConnectionManager *self = user_data;
  guint swept = bi_subscription_store_sweep (self->subscriptions);

  if (swept > 0)
    g_debug ("Deleted %u expired subscriptions", swept);
  return G_SOURCE_CONTINUE;
}

/* ---- public API ------------------------------------------------------------------------- */

void
bi_connection_info_clear (BiConnectionInfo *info)
{
  g_clear_pointer (&info->source_ip, g_free);
}

BiConnectionManager *
bi_connection_manager_new (BiSubscriptionStore             *subscriptions,
                           BiJobStore                      *jobs,
                           BiMetrics                       *metrics,
                           const BiConnectionManagerConfig *config)
{
  BiConnectionManager *self;

  g_return_val_if_fail (subscriptions != NULL, NULL);
  g_return_val_if_fail (jobs != NULL, NULL);
  g_return_val_if_fail (metrics != NULL, NULL);
  g_return_val_if_fail (config != NULL, NULL);

  self = g_new0 (BiConnectionManager, 1);
  self->subscriptions = subscriptions;
  self->jobs = jobs;
  self->metrics = metrics;
  self->config = *config;
  self->connections = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                             (GDestroyNotify) connection_unref);
  self->sweep_id = g_timeout_add_seconds (SWEEP_INTERVAL_SECONDS, sweep_cb, self);
  if (config->pong_timeout_seconds > 0 && config->keepalive_seconds > 0)
    {
      /* A quarter of the timeout: a dead peer is found at most 25 % late. */
      self->liveness_id = g_timeout_add_seconds (MAX (1, config->pong_timeout_seconds / 4),
                                                 check_liveness_cb, self);
    }

  return self;
}

void
bi_connection_manager_free (BiConnectionManager *self)
{
  GHashTableIter iter;
  gpointer value;

  if (self == NULL)
    return;

  g_clear_handle_id (&self->sweep_id, g_source_remove);
  g_clear_handle_id (&self->liveness_id, g_source_remove);

  g_hash_table_iter_init (&iter, self->connections);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      BiConnection *connection = value;

      /* Detach first: the close handshake may finish after the manager is gone. */
      connection->manager = NULL;
      g_signal_handlers_disconnect_by_data (connection->websocket, connection);
      if (soup_websocket_connection_get_state (connection->websocket)
          == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (connection->websocket, SOUP_WEBSOCKET_CLOSE_GOING_AWAY,
                                         "The server is shutting down.");
    }
  g_hash_table_unref (self->connections);
  g_free (self);
}

void
bi_connection_manager_accept (BiConnectionManager     *self,
                              SoupWebsocketConnection *websocket,
                              GSocket                 *socket,
                              const char              *source_ip)
{
  BiConnection *connection;
  GOutputStream *output;

  g_return_if_fail (self != NULL);
  g_return_if_fail (SOUP_IS_WEBSOCKET_CONNECTION (websocket));

  connection = g_rc_box_new0 (BiConnection);
  connection->manager = self;
  do
    {
      g_free (connection->id);
      connection->id = connection_id_new ();
    }
  while (g_hash_table_contains (self->connections, connection->id));

  connection->websocket = g_object_ref (websocket);
  connection->socket = socket != NULL ? g_object_ref (socket) : NULL;
  output = g_io_stream_get_output_stream (soup_websocket_connection_get_io_stream (websocket));
  if (G_IS_POLLABLE_OUTPUT_STREAM (output)
      && g_pollable_output_stream_can_poll (G_POLLABLE_OUTPUT_STREAM (output)))
    connection->output = g_object_ref (G_POLLABLE_OUTPUT_STREAM (output));
  else
    g_warning ("Connection %s cannot be polled for writing; its send queue is not bounded.",
               connection->id);
  g_queue_init (&connection->pending);
  connection->source_ip = g_strdup (source_ip != NULL ? source_ip : "");
  connection->connected_at = unix_ms_now ();
  connection->last_active_at = connection->connected_at;
  bi_peer_liveness_init (&connection->liveness, g_get_monotonic_time ());

  soup_websocket_connection_set_max_incoming_payload_size (websocket,
                                                           BI_WEBSOCKET_LIBSOUP_PAYLOAD_CAP);
  soup_websocket_connection_set_keepalive_interval (websocket, self->config.keepalive_seconds);
  g_signal_connect (websocket, "message", G_CALLBACK (connection_message_cb), connection);
  g_signal_connect (websocket, "closed", G_CALLBACK (connection_closed_cb), connection);
  g_signal_connect (websocket, "error", G_CALLBACK (connection_error_cb), connection);

  g_hash_table_insert (self->connections, connection->id, connection);
  self->n_open++;
  g_debug ("Connection %s from %s", connection->id, connection->source_ip);
}

/* The open connection with @connection_id, or NULL. */
static BiConnection *
lookup_open (BiConnectionManager *self,
             const char          *connection_id)
{
  BiConnection *connection;

  if (connection_id == NULL)
    return NULL;

  connection = g_hash_table_lookup (self->connections, connection_id);
  if (connection == NULL || connection->closed)
    return NULL;
  return connection;
}

BiPostResult
bi_connection_manager_post (BiConnectionManager *self,
                            const char          *connection_id,
                            const char          *text)
{
  BiConnection *connection;
  g_autoptr(BiConnection) hold = NULL;

  g_return_val_if_fail (self != NULL, BI_POST_GONE);
  g_return_val_if_fail (text != NULL, BI_POST_GONE);

  connection = lookup_open (self, connection_id);
  if (connection == NULL)
    return BI_POST_GONE;

  hold = connection_ref (connection);
  return connection_enqueue (connection, text);
}

gboolean
bi_connection_manager_get_info (BiConnectionManager *self,
                                const char          *connection_id,
                                BiConnectionInfo    *info)
{
  BiConnection *connection;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (info != NULL, FALSE);

  connection = lookup_open (self, connection_id);
  if (connection == NULL)
    return FALSE;

  info->connected_at = connection->connected_at;
  info->last_active_at = connection->last_active_at;
  info->source_ip = g_strdup (connection->source_ip);
  return TRUE;
}

gboolean
bi_connection_manager_disconnect (BiConnectionManager *self,
                                  const char          *connection_id)
{
  BiConnection *connection;

  g_return_val_if_fail (self != NULL, FALSE);

  connection = lookup_open (self, connection_id);
  if (connection == NULL)
    return FALSE;

  connection_close (connection, SOUP_WEBSOCKET_CLOSE_NORMAL, "Closed by the server.");
  return TRUE;
}

guint
bi_connection_manager_count (BiConnectionManager *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_open;
}
