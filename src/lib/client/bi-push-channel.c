/* bi-push-channel.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-push-channel"

#include "bi-push-channel.h"

#include "bi-backoff.h"
#include "bi-client-error.h"
#include "bi-job-id.h"
#include "bi-protocol-messages.h"
#include "bi-seq-tracker.h"

#define DEFAULT_PING_INTERVAL_MS (5 * 60 * 1000) /* half of API Gateway's 10-minute idle limit */
#define DEFAULT_REPLY_TIMEOUT_MS (30 * 1000)
#define DEFAULT_RECONNECT_INITIAL_MS 500
#define DEFAULT_RECONNECT_MAX_MS (30 * 1000)
#define DEFAULT_MAX_RECONNECT_ATTEMPTS 10

typedef enum
{
  CHANNEL_IDLE,         /* not connected yet */
  CHANNEL_CONNECTING,   /* first connection in progress */
  CHANNEL_CONNECTED,
  CHANNEL_RECONNECTING, /* dropped; a reconnect is scheduled or in progress */
  CHANNEL_CLOSED,       /* closed by us, or given up */
} ChannelState;

/* A bi_push_channel_subscribe_async() call waiting for "subscribed". */
typedef struct
{
  GTask        *task;
  GCancellable *cancellable; /* the caller's, or NULL */
  gulong        cancelled_id;
} Waiter;

/* A job that is subscribed (or being subscribed) and not yet terminal. */
typedef struct
{
  char     *job_id;
  gboolean  subscribe_sent; /* a subscribe went out on the current WebSocket */
  gboolean  subscribed;     /* the server answered "subscribed" on the current WebSocket */
  gboolean  fetching_whole; /* a truncated result came: GET /results is on its way */
  GList    *waiters;        /* Waiter *, oldest first */
} WatchedJob;

struct _BiPushChannel
{
  GObject                  parent_instance;

  BiServerConnection      *connection;
  SoupWebsocketConnection *websocket;         /* NULL unless CONNECTED */
  GCancellable            *cancellable;       /* our own operations; cancelled on close */
  ChannelState             state;
  GTask                   *connect_task;      /* the first connect, until it completes */

  GHashTable              *jobs;              /* job id → WatchedJob */
  GQueue                   unanswered_subscribes; /* job ids, in the order they were sent */
  BiSeqTracker            *seq_tracker;

  BiBackoff                backoff;
  GError                  *last_connect_error; /* why the latest reconnect attempt failed */
  guint                    reconnect_source;
  guint                    ping_source;
  guint                    reply_deadline_source;
  guint                    unanswered_requests; /* sent on this WebSocket, not answered yet */

  guint                    ping_interval_ms;
  guint                    reply_timeout_ms;
  guint                    reconnect_initial_ms;
  guint                    reconnect_max_ms;
  guint                    max_reconnect_attempts;
};

G_DEFINE_FINAL_TYPE (BiPushChannel, bi_push_channel, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_CONNECTION,
  PROP_CONNECTED,
  PROP_PING_INTERVAL,
  PROP_REPLY_TIMEOUT,
  PROP_RECONNECT_INITIAL_DELAY,
  PROP_RECONNECT_MAX_DELAY,
  PROP_MAX_RECONNECT_ATTEMPTS,
  N_PROPS
};

enum
{
  SIGNAL_PUSH,
  SIGNAL_CONNECTION_LOST,
  SIGNAL_RECONNECTED,
  SIGNAL_FAILED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void handle_connection_lost (BiPushChannel *self,
                                    const char    *reason);

/* ---- waiters ---- */

static void
waiter_complete (Waiter *waiter,
                 GError *error)
{
  if (waiter->cancelled_id != 0)
    g_cancellable_disconnect (waiter->cancellable, waiter->cancelled_id);
  if (error != NULL)
    g_task_return_error (waiter->task, error);
  else
    g_task_return_boolean (waiter->task, TRUE);

  g_clear_object (&waiter->task);
  g_clear_object (&waiter->cancellable);
  g_free (waiter);
}

/* Completes every waiter of @job; @error (may be NULL) is copied for each. */
static void
watched_job_complete_waiters (WatchedJob   *job,
                              const GError *error)
{
  GList *waiters = g_steal_pointer (&job->waiters);

  for (GList *l = waiters; l != NULL; l = l->next)
    waiter_complete (l->data, error != NULL ? g_error_copy (error) : NULL);
  g_list_free (waiters);
}

static void
watched_job_free (WatchedJob *job)
{
  g_autoptr(GError) error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                 "The job is no longer watched.");

  watched_job_complete_waiters (job, error);
  g_free (job->job_id);
  g_free (job);
}

typedef struct
{
  BiPushChannel *channel;
  GTask         *task;
  char          *job_id;
} CancelledData;

static void
cancelled_data_free (CancelledData *data)
{
  g_object_unref (data->channel);
  g_object_unref (data->task);
  g_free (data->job_id);
  g_free (data);
}

/* Runs in the task's context, outside the ::cancelled emission, so the handler can be
 * disconnected safely. */
static gboolean
waiter_cancelled_idle (gpointer user_data)
{
  CancelledData *data = user_data;
  WatchedJob *job = g_hash_table_lookup (data->channel->jobs, data->job_id);

  if (job == NULL)
    return G_SOURCE_REMOVE;

  for (GList *l = job->waiters; l != NULL; l = l->next)
    {
      Waiter *waiter = l->data;

      if (waiter->task == data->task)
        {
          job->waiters = g_list_delete_link (job->waiters, l);
          waiter_complete (waiter, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                        "Subscribing was cancelled."));
          break;
        }
    }

  return G_SOURCE_REMOVE;
}

static void
waiter_cancelled_cb (GCancellable *cancellable,
                     gpointer      user_data)
{
  CancelledData *data = user_data;
  g_autoptr(GSource) source = g_idle_source_new ();
  CancelledData *copy = g_new0 (CancelledData, 1);

  copy->channel = g_object_ref (data->channel);
  copy->task = g_object_ref (data->task);
  copy->job_id = g_strdup (data->job_id);
  g_source_set_callback (source, waiter_cancelled_idle, copy,
                         (GDestroyNotify) cancelled_data_free);
  g_source_attach (source, g_task_get_context (data->task));
}

/* ---- sending ---- */

static gboolean
reply_deadline_cb (gpointer user_data)
{
  BiPushChannel *self = user_data;
  g_autofree char *reason = g_strdup_printf ("no answer from the server within %u ms",
                                             self->reply_timeout_ms);

  self->reply_deadline_source = 0;
  handle_connection_lost (self, reason);
  return G_SOURCE_REMOVE;
}

static void
arm_reply_deadline (BiPushChannel *self)
{
  g_clear_handle_id (&self->reply_deadline_source, g_source_remove);
  self->reply_deadline_source = g_timeout_add (self->reply_timeout_ms, reply_deadline_cb, self);
}

/* Sends a request that the server answers (subscribe, unsubscribe, ping). */
static void
send_request (BiPushChannel *self,
              const char    *text)
{
  g_assert (self->websocket != NULL);

  soup_websocket_connection_send_text (self->websocket, text);
  if (self->unanswered_requests++ == 0)
    arm_reply_deadline (self);
}

static void
send_subscribe (BiPushChannel *self,
                WatchedJob    *job)
{
  g_autofree char *text = bi_action_subscribe_new (job->job_id);

  job->subscribe_sent = TRUE;
  g_queue_push_tail (&self->unanswered_subscribes, g_strdup (job->job_id));
  send_request (self, text);
}

/* An answer arrived: the connection is alive. */
static void
note_reply (BiPushChannel *self)
{
  if (self->unanswered_requests > 0)
    self->unanswered_requests--;

  if (self->unanswered_requests > 0)
    arm_reply_deadline (self);
  else
    g_clear_handle_id (&self->reply_deadline_source, g_source_remove);
}

static gboolean
ping_cb (gpointer user_data)
{
  BiPushChannel *self = user_data;
  g_autofree char *text = bi_action_ping_new ();

  send_request (self, text);
  return G_SOURCE_CONTINUE;
}

/* ---- receiving ---- */

/* Takes @message if it is new for a watched job, emits ::push and ends the watch on a
 * terminal message. Used for pushes and for GET /results answers alike. */
static void
deliver_push (BiPushChannel   *self,
              BiServerMessage *message)
{
  gboolean terminal = message->type != BI_SERVER_MESSAGE_JOB_PROGRESS;
  WatchedJob *job = g_hash_table_lookup (self->jobs, message->job_id);

  if (job == NULL)
    {
      g_debug ("Ignoring a push for a job that is not watched");
      return;
    }

  if (!bi_seq_tracker_accept (self->seq_tracker, message->job_id, message->seq, terminal))
    {
      g_debug ("Dropping a duplicate or stale push (seq %" G_GINT64_FORMAT ")", message->seq);
      return;
    }

  if (terminal)
    {
      /* The terminal push answers any subscribe still waiting: the job was watched. */
      watched_job_complete_waiters (job, NULL);
      g_hash_table_remove (self->jobs, message->job_id);
    }

  g_signal_emit (self, signals[SIGNAL_PUSH], 0, message);
}

static void
handle_subscribed (BiPushChannel *self,
                   const char    *job_id)
{
  WatchedJob *job;

  for (GList *l = self->unanswered_subscribes.head; l != NULL; l = l->next)
    {
      if (g_strcmp0 (l->data, job_id) == 0)
        {
          g_free (l->data);
          g_queue_delete_link (&self->unanswered_subscribes, l);
          break;
        }
    }

  job = job_id != NULL ? g_hash_table_lookup (self->jobs, job_id) : NULL;
  if (job == NULL)
    return;

  job->subscribed = TRUE;
  watched_job_complete_waiters (job, NULL);
}

/* An error frame does not name the request it answers; the server answers in order, and the
 * only request of ours it can refuse is a subscribe, so it belongs to the oldest one. */
static void
handle_error_frame (BiPushChannel   *self,
                    BiServerMessage *message)
{
  g_autofree char *job_id = g_queue_pop_head (&self->unanswered_subscribes);
  g_autoptr(GError) error = NULL;
  WatchedJob *job;

  g_warning ("The server answered with an error: %s (%s)",
             message->error_message != NULL ? message->error_message : "no message",
             message->error_code != NULL ? message->error_code : "no code");

  job = job_id != NULL ? g_hash_table_lookup (self->jobs, job_id) : NULL;
  if (job == NULL)
    return;

  error = g_error_new (BI_CLIENT_ERROR, BI_CLIENT_ERROR_REJECTED,
                       "The server refused to watch job %s: %s", job_id,
                       message->error_message != NULL ? message->error_message : "no reason");
  watched_job_complete_waiters (job, error);
  g_hash_table_remove (self->jobs, job_id);
}

static void fetch_fallback_results (BiPushChannel   *self,
                                    const char      *job_id,
                                    BiServerMessage *slim);

static gboolean
results_truncated (JsonNode *results)
{
  JsonObject *object = results != NULL && JSON_NODE_HOLDS_OBJECT (results)
                         ? json_node_get_object (results) : NULL;

  return object != NULL && json_object_get_boolean_member_with_default (object,
                                                                       "resultsTruncated",
                                                                       FALSE);
}

static void
websocket_message_cb (SoupWebsocketConnection *websocket,
                      SoupWebsocketDataType    type,
                      GBytes                  *data,
                      gpointer                 user_data)
{
  BiPushChannel *self = user_data;
  g_autoptr(BiServerMessage) message = NULL;
  g_autoptr(GError) error = NULL;
  WatchedJob *job;
  gsize length = 0;
  const char *text = g_bytes_get_data (data, &length);

  if (type != SOUP_WEBSOCKET_DATA_TEXT || text == NULL)
    {
      g_debug ("Ignoring a non-text WebSocket frame");
      return;
    }

  message = bi_server_message_parse (text, length, &error);
  if (message == NULL)
    {
      g_warning ("Ignoring a server message that could not be read: %s", error->message);
      return;
    }

  switch (message->type)
    {
    case BI_SERVER_MESSAGE_SUBSCRIBED:
      note_reply (self);
      handle_subscribed (self, message->job_id);
      break;
    case BI_SERVER_MESSAGE_UNSUBSCRIBED:
    case BI_SERVER_MESSAGE_PONG:
      note_reply (self);
      break;
    case BI_SERVER_MESSAGE_ERROR:
      note_reply (self);
      handle_error_frame (self, message);
      break;
    case BI_SERVER_MESSAGE_PROCESSING_COMPLETE:
      /* Results too large for one WebSocket message (API Gateway's 128 KB) come without
       * their books; the whole document is at GET /results/<jobId>. */
      job = g_hash_table_lookup (self->jobs, message->job_id);
      if (job != NULL && results_truncated (message->results))
        {
          /* A duplicate while the fetch is on its way adds nothing. */
          if (!job->fetching_whole)
            {
              job->fetching_whole = TRUE;
              fetch_fallback_results (self, job->job_id, g_steal_pointer (&message));
            }
          break;
        }
      deliver_push (self, message);
      break;
    case BI_SERVER_MESSAGE_JOB_PROGRESS:
    case BI_SERVER_MESSAGE_PROCESSING_FAILED:
      deliver_push (self, message);
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
websocket_closed_cb (SoupWebsocketConnection *websocket,
                     gpointer                 user_data)
{
  BiPushChannel *self = user_data;
  g_autofree char *reason = g_strdup_printf ("closed with code %u",
                                             soup_websocket_connection_get_close_code (websocket));

  handle_connection_lost (self, reason);
}

static void
websocket_error_cb (SoupWebsocketConnection *websocket,
                    GError                  *error,
                    gpointer                 user_data)
{
  /* ::closed follows; this only says why. */
  g_debug ("WebSocket error: %s", error->message);
}

/* ---- connection lifecycle ---- */

static void
set_state (BiPushChannel *self,
           ChannelState   state)
{
  gboolean was_connected = self->state == CHANNEL_CONNECTED;

  self->state = state;
  if (was_connected != (state == CHANNEL_CONNECTED))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CONNECTED]);
}

static void
attach_websocket (BiPushChannel           *self,
                  SoupWebsocketConnection *websocket)
{
  self->websocket = websocket;
  self->unanswered_requests = 0;
  g_signal_connect (websocket, "message", G_CALLBACK (websocket_message_cb), self);
  g_signal_connect (websocket, "closed", G_CALLBACK (websocket_closed_cb), self);
  g_signal_connect (websocket, "error", G_CALLBACK (websocket_error_cb), self);
  self->ping_source = g_timeout_add (self->ping_interval_ms, ping_cb, self);
  set_state (self, CHANNEL_CONNECTED);
}

/* Forgets the WebSocket (closing it if still open) and everything tied to it. */
static void
detach_websocket (BiPushChannel *self,
                  gushort        close_code)
{
  GHashTableIter iter;
  WatchedJob *job;

  g_clear_handle_id (&self->ping_source, g_source_remove);
  g_clear_handle_id (&self->reply_deadline_source, g_source_remove);
  self->unanswered_requests = 0;
  g_queue_clear_full (&self->unanswered_subscribes, g_free);

  g_hash_table_iter_init (&iter, self->jobs);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &job))
    job->subscribe_sent = job->subscribed = FALSE;

  if (self->websocket == NULL)
    return;

  g_signal_handlers_disconnect_by_data (self->websocket, self);
  if (soup_websocket_connection_get_state (self->websocket) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_close (self->websocket, close_code, NULL);
  g_clear_object (&self->websocket);
}

static void
fail_all_waiters (BiPushChannel *self,
                  const GError  *error)
{
  GHashTableIter iter;
  WatchedJob *job;

  g_hash_table_iter_init (&iter, self->jobs);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &job))
    watched_job_complete_waiters (job, error);
}

static void
give_up (BiPushChannel *self)
{
  g_autoptr(GError) error = NULL;

  error = g_error_new (BI_CLIENT_ERROR, BI_CLIENT_ERROR_CONNECTION_LOST,
                       "Lost the connection to the BookImg server at %s and could not "
                       "reconnect after %u attempts (%s). Check that the server is running, "
                       "then scan again.",
                       bi_server_connection_get_base_url (self->connection),
                       self->max_reconnect_attempts,
                       self->last_connect_error != NULL ? self->last_connect_error->message
                                                        : "no answer");
  set_state (self, CHANNEL_CLOSED);
  g_cancellable_cancel (self->cancellable);
  fail_all_waiters (self, error);
  g_signal_emit (self, signals[SIGNAL_FAILED], 0, error);
}

/* The reconnects and fallback fetches are the channel's own work, not its users': they hold
 * no reference (a dropped channel must stop, not live on reconnecting), and dispose cancels
 * them through self->cancellable, so their callbacks return on G_IO_ERROR_CANCELLED before
 * touching the channel. */
typedef struct
{
  BiPushChannel   *channel; /* not a reference: see above */
  char            *job_id;
  BiServerMessage *slim;    /* a truncated processingComplete to fall back on, or NULL */
} FallbackData;

static void
fallback_data_free (FallbackData *data)
{
  g_free (data->job_id);
  g_clear_pointer (&data->slim, bi_server_message_free);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (FallbackData, fallback_data_free)

static void
fallback_results_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(FallbackData) data = user_data;
  g_autoptr(BiJobResults) results = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BiServerMessage) message = NULL;

  results = bi_server_connection_fetch_results_finish (BI_SERVER_CONNECTION (source), result,
                                                       &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      || data->channel->state == CHANNEL_CLOSED)
    return;
  if (results == NULL
      || (results->status != BI_JOB_STATUS_COMPLETE && results->status != BI_JOB_STATUS_FAILED))
    {
      if (error != NULL)
        g_debug ("The GET /results fallback failed: %s", error->message);
      /* The server pushed a truncated result but cannot give the whole one now: the slim
       * one (counts, timings, no books) is still the job's outcome. */
      if (data->slim != NULL)
        deliver_push (data->channel, data->slim);
      return;
    }

  message = g_new0 (BiServerMessage, 1);
  message->job_id = g_strdup (data->job_id);
  message->seq = 0;
  if (results->status == BI_JOB_STATUS_COMPLETE)
    {
      message->type = BI_SERVER_MESSAGE_PROCESSING_COMPLETE;
      message->results = g_steal_pointer (&results->results);
    }
  else
    {
      message->type = BI_SERVER_MESSAGE_PROCESSING_FAILED;
      message->stage = g_steal_pointer (&results->stage);
      message->error_code = g_steal_pointer (&results->error_code);
      message->error_message = g_steal_pointer (&results->error_message);
    }

  deliver_push (data->channel, message);
}

/* After a reconnect a push may have been lost with the old connection, and the server may not
 * replay it; GET /results is the fallback. */
static void
fetch_fallback_results (BiPushChannel   *self,
                        const char      *job_id,
                        BiServerMessage *slim)
{
  FallbackData *data = g_new0 (FallbackData, 1);

  data->channel = self;
  data->job_id = g_strdup (job_id);
  data->slim = slim;
  bi_server_connection_fetch_results_async (self->connection, job_id, self->cancellable,
                                            fallback_results_cb, data);
}

static void schedule_reconnect (BiPushChannel *self);

static void
reconnect_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  BiPushChannel *self = user_data; /* not a reference: see FallbackData */
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) job_ids = g_ptr_array_new_with_free_func (g_free);
  SoupWebsocketConnection *websocket;
  GHashTableIter iter;
  WatchedJob *job;

  websocket = bi_server_connection_open_websocket_finish (BI_SERVER_CONNECTION (source), result,
                                                          &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (self->state != CHANNEL_RECONNECTING)
    {
      g_clear_object (&websocket);
      return;
    }

  if (websocket == NULL)
    {
      g_debug ("Reconnect attempt %u failed: %s", self->backoff.attempt, error->message);
      g_clear_error (&self->last_connect_error);
      self->last_connect_error = g_steal_pointer (&error);
      schedule_reconnect (self);
      return;
    }

  g_debug ("Reconnected to %s", bi_server_connection_get_base_url (self->connection));
  bi_backoff_reset (&self->backoff);
  g_clear_error (&self->last_connect_error);
  attach_websocket (self, websocket);

  g_hash_table_iter_init (&iter, self->jobs);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &job))
    {
      send_subscribe (self, job);
      g_ptr_array_add (job_ids, g_strdup (job->job_id));
    }

  g_signal_emit (self, signals[SIGNAL_RECONNECTED], 0);

  for (guint i = 0; i < job_ids->len; i++)
    fetch_fallback_results (self, g_ptr_array_index (job_ids, i), NULL);
}

static gboolean
reconnect_timeout_cb (gpointer user_data)
{
  BiPushChannel *self = user_data;

  self->reconnect_source = 0;
  bi_server_connection_open_websocket_async (self->connection, self->cancellable, reconnect_cb,
                                             self);
  return G_SOURCE_REMOVE;
}

static void
schedule_reconnect (BiPushChannel *self)
{
  guint delay;

  if (self->backoff.attempt >= self->max_reconnect_attempts)
    {
      give_up (self);
      return;
    }

  delay = bi_backoff_next_delay (&self->backoff);
  g_debug ("Reconnecting in %u ms (attempt %u)", delay, self->backoff.attempt);
  self->reconnect_source = g_timeout_add (delay, reconnect_timeout_cb, self);
}

static void
handle_connection_lost (BiPushChannel *self,
                        const char    *reason)
{
  if (self->state != CHANNEL_CONNECTED)
    return;

  g_debug ("Lost the connection to %s (%s); reconnecting",
           bi_server_connection_get_base_url (self->connection), reason);
  detach_websocket (self, SOUP_WEBSOCKET_CLOSE_GOING_AWAY);
  set_state (self, CHANNEL_RECONNECTING);
  g_signal_emit (self, signals[SIGNAL_CONNECTION_LOST], 0);
  schedule_reconnect (self);
}

static void
first_connect_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(BiPushChannel) self = user_data;
  g_autoptr(GTask) task = g_steal_pointer (&self->connect_task);
  g_autoptr(GError) error = NULL;
  SoupWebsocketConnection *websocket;
  GHashTableIter iter;
  WatchedJob *job;

  websocket = bi_server_connection_open_websocket_finish (BI_SERVER_CONNECTION (source), result,
                                                          &error);
  if (self->state != CHANNEL_CONNECTING)
    {
      g_clear_object (&websocket);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CLOSED, "The channel was closed.");
      return;
    }

  if (websocket == NULL)
    {
      set_state (self, CHANNEL_IDLE);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  attach_websocket (self, websocket);

  /* Jobs subscribed before the connection was up. */
  g_hash_table_iter_init (&iter, self->jobs);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &job))
    send_subscribe (self, job);

  g_task_return_boolean (task, TRUE);
}

/* ---- GObject ---- */

static void
bi_push_channel_dispose (GObject *object)
{
  BiPushChannel *self = BI_PUSH_CHANNEL (object);

  bi_push_channel_close (self);
  g_clear_object (&self->connection);

  G_OBJECT_CLASS (bi_push_channel_parent_class)->dispose (object);
}

static void
bi_push_channel_finalize (GObject *object)
{
  BiPushChannel *self = BI_PUSH_CHANNEL (object);

  g_hash_table_unref (self->jobs);
  bi_seq_tracker_free (self->seq_tracker);
  g_clear_error (&self->last_connect_error);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (bi_push_channel_parent_class)->finalize (object);
}

static void
bi_push_channel_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  BiPushChannel *self = BI_PUSH_CHANNEL (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;
    case PROP_CONNECTED:
      g_value_set_boolean (value, self->state == CHANNEL_CONNECTED);
      break;
    case PROP_PING_INTERVAL:
      g_value_set_uint (value, self->ping_interval_ms);
      break;
    case PROP_REPLY_TIMEOUT:
      g_value_set_uint (value, self->reply_timeout_ms);
      break;
    case PROP_RECONNECT_INITIAL_DELAY:
      g_value_set_uint (value, self->reconnect_initial_ms);
      break;
    case PROP_RECONNECT_MAX_DELAY:
      g_value_set_uint (value, self->reconnect_max_ms);
      break;
    case PROP_MAX_RECONNECT_ATTEMPTS:
      g_value_set_uint (value, self->max_reconnect_attempts);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bi_push_channel_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  BiPushChannel *self = BI_PUSH_CHANNEL (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      self->connection = g_value_dup_object (value);
      break;
    case PROP_PING_INTERVAL:
      bi_push_channel_set_ping_interval (self, g_value_get_uint (value));
      break;
    case PROP_REPLY_TIMEOUT:
      bi_push_channel_set_reply_timeout (self, g_value_get_uint (value));
      break;
    case PROP_RECONNECT_INITIAL_DELAY:
      bi_push_channel_set_reconnect_delays (self, g_value_get_uint (value),
                                            self->reconnect_max_ms);
      break;
    case PROP_RECONNECT_MAX_DELAY:
      bi_push_channel_set_reconnect_delays (self, self->reconnect_initial_ms,
                                            g_value_get_uint (value));
      break;
    case PROP_MAX_RECONNECT_ATTEMPTS:
      bi_push_channel_set_max_reconnect_attempts (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static GParamSpec *
milliseconds_param (const char *name,
                    guint       minimum,
                    guint       default_value)
{
  return g_param_spec_uint (name, NULL, NULL, minimum, G_MAXINT, default_value,
                            G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
}

static void
bi_push_channel_class_init (BiPushChannelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bi_push_channel_dispose;
  object_class->finalize = bi_push_channel_finalize;
  object_class->get_property = bi_push_channel_get_property;
  object_class->set_property = bi_push_channel_set_property;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, BI_TYPE_SERVER_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CONNECTED] =
    g_param_spec_boolean ("connected", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PING_INTERVAL] =
    milliseconds_param ("ping-interval", 1, DEFAULT_PING_INTERVAL_MS);
  properties[PROP_REPLY_TIMEOUT] =
    milliseconds_param ("reply-timeout", 1, DEFAULT_REPLY_TIMEOUT_MS);
  properties[PROP_RECONNECT_INITIAL_DELAY] =
    milliseconds_param ("reconnect-initial-delay", 1, DEFAULT_RECONNECT_INITIAL_MS);
  properties[PROP_RECONNECT_MAX_DELAY] =
    milliseconds_param ("reconnect-max-delay", 1, DEFAULT_RECONNECT_MAX_MS);
  properties[PROP_MAX_RECONNECT_ATTEMPTS] =
    g_param_spec_uint ("max-reconnect-attempts", NULL, NULL, 0, G_MAXUINT,
                       DEFAULT_MAX_RECONNECT_ATTEMPTS,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_PUSH] =
    g_signal_new ("push", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_POINTER);
  signals[SIGNAL_CONNECTION_LOST] =
    g_signal_new ("connection-lost", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                  NULL, NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_RECONNECTED] =
    g_signal_new ("reconnected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                  NULL, G_TYPE_NONE, 0);
  signals[SIGNAL_FAILED] =
    g_signal_new ("failed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_POINTER);
}

static void
bi_push_channel_init (BiPushChannel *self)
{
  self->cancellable = g_cancellable_new ();
  self->jobs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                      (GDestroyNotify) watched_job_free);
  g_queue_init (&self->unanswered_subscribes);
  self->seq_tracker = bi_seq_tracker_new ();
  self->ping_interval_ms = DEFAULT_PING_INTERVAL_MS;
  self->reply_timeout_ms = DEFAULT_REPLY_TIMEOUT_MS;
  self->reconnect_initial_ms = DEFAULT_RECONNECT_INITIAL_MS;
  self->reconnect_max_ms = DEFAULT_RECONNECT_MAX_MS;
  self->max_reconnect_attempts = DEFAULT_MAX_RECONNECT_ATTEMPTS;
  bi_backoff_init (&self->backoff, self->reconnect_initial_ms, self->reconnect_max_ms);
}

/* ---- public API ---- */

BiPushChannel *
bi_push_channel_new (BiServerConnection *connection)
{
  g_return_val_if_fail (BI_IS_SERVER_CONNECTION (connection), NULL);

  return g_object_new (BI_TYPE_PUSH_CHANNEL, "connection", connection, NULL);
}

void
bi_push_channel_connect_async (BiPushChannel       *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BI_IS_PUSH_CHANNEL (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bi_push_channel_connect_async);

  if (self->state != CHANNEL_IDLE)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "The channel is already connected or connecting.");
      return;
    }

  set_state (self, CHANNEL_CONNECTING);
  self->connect_task = g_steal_pointer (&task);
  bi_server_connection_open_websocket_async (self->connection, cancellable, first_connect_cb,
                                             g_object_ref (self));
}

gboolean
bi_push_channel_connect_finish (BiPushChannel  *self,
                                GAsyncResult   *result,
                                GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
bi_push_channel_subscribe_async (BiPushChannel       *self,
                                 const char          *job_id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  WatchedJob *job;
  Waiter *waiter;

  g_return_if_fail (BI_IS_PUSH_CHANNEL (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bi_push_channel_subscribe_async);

  if (!bi_job_id_validate (job_id, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (self->state == CHANNEL_CLOSED)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CLOSED,
                               "The connection to the server is closed.");
      return;
    }
  if (bi_seq_tracker_is_terminal (self->seq_tracker, job_id))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  job = g_hash_table_lookup (self->jobs, job_id);
  if (job == NULL)
    {
      job = g_new0 (WatchedJob, 1);
      job->job_id = g_strdup (job_id);
      g_hash_table_insert (self->jobs, job->job_id, job);
    }

  if (job->subscribed)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  waiter = g_new0 (Waiter, 1);
  waiter->task = g_steal_pointer (&task);
  if (cancellable != NULL)
    {
      CancelledData *data = g_new0 (CancelledData, 1);

      data->channel = g_object_ref (self);
      data->task = g_object_ref (waiter->task);
      data->job_id = g_strdup (job_id);
      waiter->cancellable = g_object_ref (cancellable);
      waiter->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (waiter_cancelled_cb),
                                                    data, (GDestroyNotify) cancelled_data_free);
    }
  job->waiters = g_list_append (job->waiters, waiter);

  if (self->state == CHANNEL_CONNECTED && !job->subscribe_sent)
    send_subscribe (self, job);
}

gboolean
bi_push_channel_subscribe_finish (BiPushChannel  *self,
                                  GAsyncResult   *result,
                                  GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
bi_push_channel_unsubscribe (BiPushChannel *self,
                             const char    *job_id)
{
  g_return_if_fail (BI_IS_PUSH_CHANNEL (self));
  g_return_if_fail (job_id != NULL);

  if (!g_hash_table_remove (self->jobs, job_id))
    return;

  if (self->state == CHANNEL_CONNECTED)
    {
      g_autofree char *text = bi_action_unsubscribe_new (job_id);

      send_request (self, text);
    }
}

gboolean
bi_push_channel_get_connected (BiPushChannel *self)
{
  g_return_val_if_fail (BI_IS_PUSH_CHANNEL (self), FALSE);

  return self->state == CHANNEL_CONNECTED;
}

void
bi_push_channel_set_ping_interval (BiPushChannel *self,
                                   guint          milliseconds)
{
  g_return_if_fail (BI_IS_PUSH_CHANNEL (self));
  g_return_if_fail (milliseconds > 0);

  if (self->ping_interval_ms == milliseconds)
    return;

  self->ping_interval_ms = milliseconds;
  if (self->ping_source != 0)
    {
      g_clear_handle_id (&self->ping_source, g_source_remove);
      self->ping_source = g_timeout_add (self->ping_interval_ms, ping_cb, self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PING_INTERVAL]);
}

void
bi_push_channel_set_reply_timeout (BiPushChannel *self,
                                   guint          milliseconds)
{
  g_return_if_fail (BI_IS_PUSH_CHANNEL (self));
  g_return_if_fail (milliseconds > 0);

  if (self->reply_timeout_ms == milliseconds)
    return;

  self->reply_timeout_ms = milliseconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REPLY_TIMEOUT]);
}

void
bi_push_channel_set_reconnect_delays (BiPushChannel *self,
                                      guint          initial_ms,
                                      guint          max_ms)
{
  g_return_if_fail (BI_IS_PUSH_CHANNEL (self));
  g_return_if_fail (initial_ms > 0 && max_ms > 0);

  g_object_freeze_notify (G_OBJECT (self));
  if (self->reconnect_initial_ms != initial_ms)
    {
      self->reconnect_initial_ms = initial_ms;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECONNECT_INITIAL_DELAY]);
    }
  if (self->reconnect_max_ms != max_ms)
    {
      self->reconnect_max_ms = max_ms;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RECONNECT_MAX_DELAY]);
    }
  self->backoff.initial_ms = initial_ms;
  self->backoff.max_ms = max_ms;
  g_object_thaw_notify (G_OBJECT (self));
}

void
bi_push_channel_set_max_reconnect_attempts (BiPushChannel *self,
                                            guint          attempts)
{
  g_return_if_fail (BI_IS_PUSH_CHANNEL (self));

  if (self->max_reconnect_attempts == attempts)
    return;

  self->max_reconnect_attempts = attempts;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_RECONNECT_ATTEMPTS]);
}

void
bi_push_channel_close (BiPushChannel *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (BI_IS_PUSH_CHANNEL (self));

  if (self->state == CHANNEL_CLOSED)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->reconnect_source, g_source_remove);
  detach_websocket (self, SOUP_WEBSOCKET_CLOSE_NORMAL);
  set_state (self, CHANNEL_CLOSED);

  error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CLOSED,
                               "The connection to the server was closed.");
  fail_all_waiters (self, error);
}
