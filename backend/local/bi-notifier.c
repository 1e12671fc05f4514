/* bi-notifier.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-notifier"

#include "bi-protocol-messages.h"
#include "bi-notifier.h"
#include "bi-job-id.h"
#include "bi-protocol-error.h"

/* Topic messages handed to the main context and not yet finished with. The thread waits
 * beyond this, so a burst of results cannot pile up unbounded in the main loop. */
#define MAX_IN_FLIGHT 64
/* After a queue error the thread waits this long before receiving again (no busy loop). */
#define RECEIVE_RETRY_MS 1000

struct _BiNotifier
{
  BiSqliteQueue       *queue;          /* borrowed */
  BiBlobStore         *results_store;  /* borrowed */
  BiJobStore          *jobs;           /* borrowed */
  BiSubscriptionStore *subscriptions;  /* borrowed */
  BiConnectionManager *connections;    /* borrowed */
  BiMetrics           *metrics;        /* borrowed */
  GMainContext        *context;        /* where pushes happen */
  GThread             *topic_thread;

  GMutex               lock;           /* guards the fields below */
  GCond                changed;        /* signalled when in_flight drops or stopping is set */
  guint                in_flight;      /* topic messages handed to the main context */
  gboolean             stopping;       /* set by stop(): the borrowed objects may be going */
};

/* Invocations on the main context hold a reference, so a stopped notifier outlives them. */
static BiNotifier *
notifier_ref (BiNotifier *self)
{
  return g_atomic_rc_box_acquire (self);
}

static void
notifier_finalize (BiNotifier *self)
{
  g_main_context_unref (self->context);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->changed);
}

static void
notifier_unref (BiNotifier *self)
{
  g_atomic_rc_box_release_full (self, (GDestroyNotify) notifier_finalize);
}

static gboolean
notifier_is_stopping (BiNotifier *self)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);

  return self->stopping;
}

/* ---- topic messages ---------------------------------------------------------------------- */

/* Stores @text as the job's results document unless one is there (the validator writes it
 * for complete jobs before publishing; failures and hand-published messages have none). */
static gboolean
is_failure (JsonNode *topic_message)
{
  JsonObject *object = json_node_get_object (topic_message);

  return g_strcmp0 (json_object_get_string_member_with_default (object, "status", ""),
                    "failed") == 0;
}

static gboolean
store_results_document (BiNotifier  *self,
                        const char  *job_id,
                        const char  *text,
                        GError     **error)
{
  g_autofree char *key = g_strconcat (job_id, "/", BI_RESULTS_DOCUMENT_NAME, NULL);
  g_autoptr(GBytes) existing = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GError) local_error = NULL;

  existing = self->results_store->get (self->results_store, BI_BUCKET_RESULTS, key,
                                       &local_error);
  if (existing != NULL)
    return TRUE;
  if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  data = g_bytes_new (text, strlen (text));
  return self->results_store->put (self->results_store, BI_BUCKET_RESULTS, key, data,
                                   "application/json", error);
}

typedef struct
{
  BiNotifier     *notifier; /* a reference */
  BiQueueMessage *message;
  char           *job_id;
  JsonNode       *topic_message;
} Delivery;

static void
delivery_free (Delivery *delivery)
{
  BiNotifier *self = delivery->notifier;

  g_mutex_lock (&self->lock);
  self->in_flight--;
  g_cond_broadcast (&self->changed);
  g_mutex_unlock (&self->lock);

  bi_queue_message_free (delivery->message);
  g_free (delivery->job_id);
  json_node_unref (delivery->topic_message);
  notifier_unref (self);
  g_free (delivery);
}

/* Main context: store, push, acknowledge — in that order. */
static gboolean
deliver_topic_message_cb (gpointer user_data)
{
  Delivery *delivery = user_data;
  BiNotifier *self = delivery->notifier;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gboolean already_terminal = FALSE;

  if (notifier_is_stopping (self))
    return G_SOURCE_REMOVE;

  text = bi_job_store_finish (self->jobs, delivery->job_id, delivery->topic_message,
                              &already_terminal, &error);
  if (text == NULL)
    {
      g_warning ("Could not store the result of %s: %s", delivery->job_id, error->message);
      /* A message the store refuses will never be accepted: dead-letter it at once. */
      if (g_error_matches (error, BI_PROTOCOL_ERROR, BI_PROTOCOL_ERROR_BAD_MESSAGE))
        bi_sqlite_queue_dead_letter (self->queue, delivery->message, error->message, NULL);
      else
        bi_sqlite_queue_fail (self->queue, delivery->message, error->message, NULL, NULL);
      return G_SOURCE_REMOVE;
    }

  if (already_terminal)
    g_debug ("%s was already finished; pushing its stored result again", delivery->job_id);
  bi_notifier_push (self, delivery->job_id, text);

  g_clear_error (&error);
  if (!bi_sqlite_queue_delete (self->queue, delivery->message, &error) && error != NULL)
    g_warning ("Could not acknowledge the result of %s (it will be pushed again): %s",
               delivery->job_id, error->message);
  return G_SOURCE_REMOVE;
}

/* Topic thread: validates and stores what can be done off the main context, then hands the
 * message over; a message that cannot be handled now is failed, to come back after a backoff. */
static void
handle_topic_message (BiNotifier     *self,
                      BiQueueMessage *message)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *job_id = NULL;
  g_autoptr(JsonNode) topic_message = NULL;
  Delivery *delivery;

  if (message->dead_lettered)
    {
      /* It failed max_receive_count times (e.g. it crashed the process each time): report
       * it, then acknowledge the report so it is not reported again. */
      g_warning ("Giving up on topic message %" G_GINT64_FORMAT " after %u attempts; it stays "
                 "in the dead-letter queue.", message->id, message->receive_count);
      bi_sqlite_queue_delete (self->queue, message, NULL);
      bi_queue_message_free (message);
      return;
    }

  if (!bi_topic_message_parse (message->body, -1, &job_id, &topic_message, &error))
    {
      g_warning ("Dead-lettering topic message %" G_GINT64_FORMAT ": %s", message->id,
                 error->message);
      bi_sqlite_queue_dead_letter (self->queue, message, error->message, NULL);
      bi_queue_message_free (message);
      return;
    }

  /* The validator stores a complete job's document before publishing it; a failure comes from
   * the stage host, which has no blob store, so it is stored here for GET /results. Writing
   * (two fsyncs) only what is missing keeps a complete result's path to the client short. */
  if (is_failure (topic_message)
      && !store_results_document (self, job_id, message->body, &error))
    {
      g_warning ("Could not store the results document of %s (will retry): %s", job_id,
                 error->message);
      bi_sqlite_queue_fail (self->queue, message, error->message, NULL, NULL);
      bi_queue_message_free (message);
      return;
    }

  g_mutex_lock (&self->lock);
  self->in_flight++;
  g_mutex_unlock (&self->lock);

  delivery = g_new0 (Delivery, 1);
  delivery->notifier = notifier_ref (self);
  delivery->message = message;
  delivery->job_id = g_steal_pointer (&job_id);
  delivery->topic_message = g_steal_pointer (&topic_message);
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, deliver_topic_message_cb,
                              delivery, (GDestroyNotify) delivery_free);
}

static gpointer
topic_thread (gpointer user_data)
{
  BiNotifier *self = user_data;

  while (TRUE)
    {
      g_autoptr(GError) error = NULL;
      BiQueueMessage *message;

      g_mutex_lock (&self->lock);
      while (!self->stopping && self->in_flight >= MAX_IN_FLIGHT)
        g_cond_wait (&self->changed, &self->lock);
      if (self->stopping)
        {
          g_mutex_unlock (&self->lock);
          break;
        }
      g_mutex_unlock (&self->lock);

      message = bi_sqlite_queue_receive (self->queue, BI_QUEUE_NOTIFICATIONS, -1, &error);
      if (message != NULL)
        {
          handle_topic_message (self, message);
          continue;
        }
      if (error == NULL)
        break; /* the queue was closed */

      g_warning ("Could not read the topic queue (retrying in %d ms): %s", RECEIVE_RETRY_MS,
                 error->message);
      g_mutex_lock (&self->lock);
      if (!self->stopping)
        g_cond_wait_until (&self->changed, &self->lock,
                           g_get_monotonic_time () + RECEIVE_RETRY_MS * G_TIME_SPAN_MILLISECOND);
      g_mutex_unlock (&self->lock);
    }

  return NULL;
}

/* ---- progress ---------------------------------------------------------------------------- */

typedef struct
{
  BiNotifier *notifier; /* a reference */
  char       *job_id;
  BiStage     stage;
  gboolean    finished;
} Progress;

static void
progress_free (Progress *progress)
{
  notifier_unref (progress->notifier);
  g_free (progress->job_id);
  g_free (progress);
}

static gboolean
deliver_progress_cb (gpointer user_data)
{
  Progress *progress = user_data;
  BiNotifier *self = progress->notifier;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (notifier_is_stopping (self))
    return G_SOURCE_REMOVE;

  text = bi_job_store_progress (self->jobs, progress->job_id, progress->stage,
                                progress->finished, &error);
  if (error != NULL)
    g_warning ("Could not record the progress of %s: %s", progress->job_id, error->message);
  /* NULL without an error: the job already finished, a late redelivery has nothing to say. */
  if (text != NULL)
    bi_notifier_push (self, progress->job_id, text);
  return G_SOURCE_REMOVE;
}

void
bi_notifier_report_progress (const char *job_id,
                             BiStage     stage,
                             gboolean    finished,
                             gpointer    user_data)
{
  BiNotifier *self = user_data;
  Progress *progress;

  g_return_if_fail (self != NULL);
  g_return_if_fail (job_id != NULL);

  progress = g_new0 (Progress, 1);
  progress->notifier = notifier_ref (self);
  progress->job_id = g_strdup (job_id);
  progress->stage = stage;
  progress->finished = finished;
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, deliver_progress_cb, progress,
                              (GDestroyNotify) progress_free);
}

/* ---- public API --------------------------------------------------------------------------- */

void
bi_notifier_push (BiNotifier *self,
                  const char *job_id,
                  const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) connection_ids = NULL;

  g_return_if_fail (self != NULL);
  g_return_if_fail (job_id != NULL && text != NULL);

  connection_ids = bi_subscription_store_list_by_job (self->subscriptions, job_id, &error);
  if (connection_ids == NULL)
    {
      g_warning ("Could not list the subscribers of %s (they can still read GET /results): %s",
                 job_id, error->message);
      return;
    }

  for (guint i = 0; i < connection_ids->len; i++)
    {
      const char *connection_id = g_ptr_array_index (connection_ids, i);
      BiPostResult result = bi_connection_manager_post (self->connections, connection_id, text);

      bi_metrics_count_push (self->metrics, result == BI_POST_SENT);
      /* Gone without a close we saw (e.g. a row left by a previous process): delete the row,
       * as a 410 from @connections does in AWS mode. A consumer closed for falling behind
       * had its rows deleted when it was closed. */
      if (result == BI_POST_GONE
          && !bi_subscription_store_delete (self->subscriptions, job_id, connection_id, &error))
        {
          g_warning ("Could not delete the subscription of gone connection %s: %s",
                     connection_id, error->message);
          g_clear_error (&error);
        }
    }
}

BiNotifier *
bi_notifier_new (BiSqliteQueue       *queue,
                 BiBlobStore         *results_store,
                 BiJobStore          *jobs,
                 BiSubscriptionStore *subscriptions,
                 BiConnectionManager *connections,
                 BiMetrics           *metrics)
{
  BiNotifier *self;

  g_return_val_if_fail (queue != NULL && results_store != NULL && jobs != NULL, NULL);
  g_return_val_if_fail (subscriptions != NULL && connections != NULL && metrics != NULL, NULL);

  self = g_atomic_rc_box_new0 (BiNotifier);
  self->queue = queue;
  self->results_store = results_store;
  self->jobs = jobs;
  self->subscriptions = subscriptions;
  self->connections = connections;
  self->metrics = metrics;
  self->context = g_main_context_ref_thread_default ();
  g_mutex_init (&self->lock);
  g_cond_init (&self->changed);
  return self;
}

void
bi_notifier_start (BiNotifier *self)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (self->topic_thread == NULL);

  self->topic_thread = g_thread_new ("bi-notifier", topic_thread, self);
}

void
bi_notifier_stop (BiNotifier *self)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->lock);
  self->stopping = TRUE;
  g_cond_broadcast (&self->changed);
  g_mutex_unlock (&self->lock);

  /* Wakes the thread if it waits in receive(). */
  bi_sqlite_queue_close (self->queue);
  g_clear_pointer (&self->topic_thread, g_thread_join);
}

void
bi_notifier_free (BiNotifier *self)
{
  if (self == NULL)
    return;

  bi_notifier_stop (self);
  notifier_unref (self);
}
