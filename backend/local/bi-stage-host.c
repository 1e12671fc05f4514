/* bi-stage-host.c — runs the pipeline stages on worker threads over the SQLite queues
 *
 * What a stage sends or publishes while it runs is held in a per-worker outbox and sent only
 * after it succeeded and "finished" was reported: a failed attempt sends nothing, and clients
 * see one stage finish before the next one starts (or before the job's result).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-stage-host"

#include "bi-stage-host.h"
#include "bi-stages.h"

/* How long a worker blocks in receive() before looking at the stop flag again; stop() also
 * closes the queue, which wakes it at once. */
#define RECEIVE_WAIT_MS 1000
/* Pause after the queue failed to answer (e.g. a full disk), so the log is not flooded. */
#define RECEIVE_RETRY_MS 1000

/* Upper bounds of the latency histogram, in seconds (OCR of a photo takes seconds). */
static const struct
{
  const char *label;
  double      seconds;
} duration_buckets[] = {
  { "0.005", 0.005 }, { "0.01", 0.01 }, { "0.025", 0.025 }, { "0.05", 0.05 }, { "0.1", 0.1 },
  { "0.25", 0.25 }, { "0.5", 0.5 }, { "1", 1.0 }, { "2.5", 2.5 }, { "5", 5.0 }, { "10", 10.0 },
  { "30", 30.0 }, { "60", 60.0 },
};
#define N_DURATION_BUCKETS G_N_ELEMENTS (duration_buckets)

typedef struct
{
  guint64 processed_total;     /* messages the stage finished and deleted */
  guint64 failed_total;        /* attempts that returned an error (each retry counts) */
  guint64 dead_lettered_total; /* messages given up on; their job failed (a report retried
                                * after a crash counts again) */
  guint64 duration_counts[N_DURATION_BUCKETS + 1]; /* per bucket, the last one is +Inf */
  guint64 duration_count;
  double  duration_sum;        /* seconds */
} StageMetrics;

typedef struct
{
  BiStageHost          *host;
  char                 *queue_name;
  BiStage               stage;
  BiStageFunc           func;
  guint                 n_workers;
  BiStagePortsNewFunc   ports_new;
  BiStagePortsFreeFunc  ports_free;
  gpointer              ports_data;
  gboolean              held;     /* hold_stage(): under host->lock */
  StageMetrics          metrics;  /* under host->lock */
  GPtrArray            *threads;  /* of GThread, while started */
} HostedStage;

struct _BiStageHost
{
  BiSqliteQueue       *queue;          /* not owned */
  BiStageProgressFunc  progress;
  gpointer             progress_data;
  GPtrArray           *stages;         /* of HostedStage */
  GMutex               lock;           /* guards stopping, held and metrics */
  GCond                stop_requested; /* broadcast by stop() */
  gboolean             started;
  gboolean             stopping;
};

/* One message sent or published by a running stage, not yet handed to the queue. */
typedef struct
{
  char *queue_name; /* NULL: published to the topic */
  char *body;
} OutboxEntry;

/* Stands in for the worker's queue and topic ports while its stage runs. */
typedef struct
{
  BiQueue    queue_port; /* first member: the BiQueue port casts to us */
  BiTopic    topic_port;
  BiQueue   *queue;      /* the worker's own ports, which the entries go to */
  BiTopic   *topic;
  GPtrArray *entries;    /* of OutboxEntry */
} Outbox;

typedef struct
{
  HostedStage  *stage;
  BiStagePorts *ports;       /* from ports_new */
  BiStagePorts  stage_ports; /* what the stage sees: ports with the outbox in front */
  Outbox        outbox;
} Worker;

/* ---- outbox ----------------------------------------------------------------------------- */

static void
outbox_entry_free (gpointer data)
{
  OutboxEntry *entry = data;

  g_free (entry->queue_name);
  g_free (entry->body);
  g_free (entry);
}

static void
outbox_add (Outbox     *outbox,
            const char *queue_name,
            const char *body)
{
  OutboxEntry *entry = g_new0 (OutboxEntry, 1);

  entry->queue_name = g_strdup (queue_name);
  entry->body = g_strdup (body);
  g_ptr_array_add (outbox->entries, entry);
}

static gboolean
outbox_queue_send (BiQueue     *port,
                   const char  *queue_name,
                   const char  *body,
                   GError     **error)
{
  g_return_val_if_fail (queue_name != NULL && body != NULL, FALSE);

  outbox_add ((Outbox *) port, queue_name, body);
  return TRUE;
}

static gboolean
outbox_topic_publish (BiTopic     *port,
                      const char  *message,
                      GError     **error)
{
  Outbox *outbox = (Outbox *) ((char *) port - G_STRUCT_OFFSET (Outbox, topic_port));

  g_return_val_if_fail (message != NULL, FALSE);

  outbox_add (outbox, NULL, message);
  return TRUE;
}

/* Hands the held messages over in the order the stage sent them; empties the outbox. */
static gboolean
outbox_flush (Outbox  *outbox,
              GError **error)
{
  g_autoptr(GPtrArray) entries = g_steal_pointer (&outbox->entries);

  outbox->entries = g_ptr_array_new_with_free_func (outbox_entry_free);
  for (guint i = 0; i < entries->len; i++)
    {
      OutboxEntry *entry = g_ptr_array_index (entries, i);
      gboolean sent = entry->queue_name != NULL
                        ? outbox->queue->send (outbox->queue, entry->queue_name, entry->body,
                                               error)
                        : outbox->topic->publish (outbox->topic, entry->body, error);

      if (!sent)
        return FALSE;
    }
  return TRUE;
}

/* ---- helpers ---------------------------------------------------------------------------- */

static const char *
stage_name (HostedStage *stage)
{
  return bi_stage_to_string (stage->stage);
}

static gboolean
is_stopping (BiStageHost *host)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&host->lock);

  return host->stopping;
}

/* Waits until stop() or for @timeout_ms (-1: until stop()). */
static void
wait_for_stop (BiStageHost *host,
               gint64       timeout_ms)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&host->lock);
  gint64 deadline = g_get_monotonic_time () + timeout_ms * G_TIME_SPAN_MILLISECOND;

  while (!host->stopping)
    {
      if (timeout_ms < 0)
        g_cond_wait (&host->stop_requested, &host->lock);
      else if (!g_cond_wait_until (&host->stop_requested, &host->lock, deadline))
        break;
    }
}

static gboolean
stage_is_held (HostedStage *stage)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&stage->host->lock);

  return stage->held;
}

static void
count_dead_letter (HostedStage *stage)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&stage->host->lock);

  stage->metrics.dead_lettered_total++;
}

static void
record_attempt (HostedStage *stage,
                gboolean     succeeded,
                gint64       duration_us)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&stage->host->lock);
  double seconds = (double) duration_us / G_USEC_PER_SEC;
  guint bucket = 0;

  while (bucket < N_DURATION_BUCKETS && seconds > duration_buckets[bucket].seconds)
    bucket++;
  stage->metrics.duration_counts[bucket]++;
  stage->metrics.duration_count++;
  stage->metrics.duration_sum += seconds;
  if (succeeded)
    stage->metrics.processed_total++;
  else
    stage->metrics.failed_total++;
}

static void
report_progress (HostedStage *stage,
                 const char  *job_id,
                 gboolean     finished)
{
  BiStageHost *host = stage->host;

  if (job_id != NULL && host->progress != NULL)
    host->progress (job_id, stage->stage, finished, host->progress_data);
}

/* The job of a dead-lettered message fails: publishes its failure, naming the stage, then
 * acknowledges the message. When publishing fails, the message is not acknowledged, so the
 * queue hands it out again (dead_lettered) and the report is retried: never silently. */
static void
report_dead_letter (Worker               *worker,
                    const BiQueueMessage *message,
                    const char           *job_id,
                    const char           *code,
                    const char           *error_message)
{
  HostedStage *stage = worker->stage;
  BiTopic *topic = bi_sqlite_queue_as_topic (stage->host->queue);
  g_autoptr(GError) error = NULL;

  if (job_id == NULL)
    {
      g_warning ("Gave up on message %" G_GINT64_FORMAT " of the %s queue, which names no job "
                 "(%s); it stays in the dead-letter queue.", message->id, stage->queue_name,
                 error_message);
    }
  else
    {
      g_autofree char *failure = bi_stage_failure_new (job_id, stage_name (stage), code,
                                                       error_message);

      if (!topic->publish (topic, failure, &error))
        {
          g_warning ("Could not report that job %s failed in the %s stage (will retry): %s",
                     job_id, stage_name (stage), error->message);
          return;
        }
    }

  if (!bi_sqlite_queue_delete (stage->host->queue, message, &error) && error != NULL)
    g_warning ("Could not acknowledge the failure report of job %s (it may be reported "
               "twice): %s", job_id != NULL ? job_id : "(none)", error->message);
}

/* A retry cannot help: the stage said so, or the queue refused what the stage sent. */
static gboolean
is_permanent (const GError *error)
{
  return g_error_matches (error, BI_STAGE_ERROR, BI_STAGE_ERROR_PERMANENT)
         || error->domain == BI_SQLITE_QUEUE_ERROR;
}

static void
handle_failure (Worker               *worker,
                const BiQueueMessage *message,
                const char           *job_id,
                const GError         *stage_error)
{
  HostedStage *stage = worker->stage;
  BiSqliteQueue *queue = stage->host->queue;
  g_autoptr(GError) error = NULL;
  gboolean dead_lettered = FALSE;

  if (is_permanent (stage_error))
    {
      g_message ("The %s stage failed job %s for good: %s", stage_name (stage),
                 job_id != NULL ? job_id : "(none)", stage_error->message);
      if (!bi_sqlite_queue_dead_letter (queue, message, stage_error->message, &error))
        {
          if (error != NULL)
            g_warning ("Could not dead-letter a message of the %s queue (it will be retried): "
                       "%s", stage->queue_name, error->message);
          return;
        }
      count_dead_letter (stage);
      report_dead_letter (worker, message, job_id, "stage_failed", stage_error->message);
      return;
    }

  if (!bi_sqlite_queue_fail (queue, message, stage_error->message, &dead_lettered, &error))
    {
      if (error != NULL)
        g_warning ("Could not return a failed message to the %s queue (it comes back after "
                   "its visibility timeout): %s", stage->queue_name, error->message);
      return;
    }
  if (dead_lettered)
    {
      g_autofree char *text = g_strdup_printf ("The %s stage failed %u times; the last error "
                                               "was: %s", stage_name (stage),
                                               message->receive_count, stage_error->message);

      count_dead_letter (stage);
      report_dead_letter (worker, message, job_id, "retries_exhausted", text);
    }
  else
    {
      g_message ("The %s stage failed job %s (will retry): %s", stage_name (stage),
                 job_id != NULL ? job_id : "(none)", stage_error->message);
    }
}

static void
handle_message (Worker               *worker,
                const BiQueueMessage *message)
{
  HostedStage *stage = worker->stage;
  g_autofree char *job_id = bi_stage_message_job_id (stage->queue_name, message->body);
  g_autoptr(GError) error = NULL;
  gint64 started_at;
  gboolean succeeded;

  if (message->dead_lettered)
    {
      g_autofree char *text = g_strdup_printf ("The %s stage did not finish this job in %u "
                                               "attempts (it may have stopped the server each "
                                               "time); the job was set aside.",
                                               stage_name (stage), message->receive_count);

      count_dead_letter (stage);
      report_dead_letter (worker, message, job_id, "retries_exhausted", text);
      return;
    }

  report_progress (stage, job_id, FALSE);
  if (stage_is_held (stage))
    {
      /* As if the process died here: the message stays in flight. */
      wait_for_stop (stage->host, -1);
      return;
    }

  started_at = g_get_monotonic_time ();
  succeeded = stage->func (message->body, &worker->stage_ports, &error);
  record_attempt (stage, succeeded, g_get_monotonic_time () - started_at);

  if (succeeded)
    {
      report_progress (stage, job_id, TRUE);
      succeeded = outbox_flush (&worker->outbox, &error);
    }
  if (!succeeded)
    {
      g_ptr_array_set_size (worker->outbox.entries, 0);
      handle_failure (worker, message, job_id, error);
      return;
    }

  g_clear_error (&error);
  if (!bi_sqlite_queue_delete (stage->host->queue, message, &error))
    {
      if (error != NULL)
        g_warning ("Could not delete a processed message of the %s queue (it will be "
                   "processed again): %s", stage->queue_name, error->message);
      else
        g_message ("The %s stage took longer than the visibility timeout for job %s; the "
                   "message was redelivered meanwhile.", stage_name (stage),
                   job_id != NULL ? job_id : "(none)");
    }
}

/* ---- workers ---------------------------------------------------------------------------- */

static Worker *
worker_new (HostedStage  *stage,
            GError      **error)
{
  Worker *worker;
  BiStagePorts *ports;

  ports = stage->ports_new != NULL ? stage->ports_new (stage->ports_data, error)
                                   : g_new0 (BiStagePorts, 1);
  if (ports == NULL)
    return NULL;

  worker = g_new0 (Worker, 1);
  worker->stage = stage;
  worker->ports = ports;
  worker->outbox.queue_port.send = outbox_queue_send;
  worker->outbox.topic_port.publish = outbox_topic_publish;
  worker->outbox.queue = ports->queue;
  worker->outbox.topic = ports->topic;
  worker->outbox.entries = g_ptr_array_new_with_free_func (outbox_entry_free);
  worker->stage_ports = *ports;
  if (ports->queue != NULL)
    worker->stage_ports.queue = &worker->outbox.queue_port;
  if (ports->topic != NULL)
    worker->stage_ports.topic = &worker->outbox.topic_port;
  return worker;
}

static void
worker_free (Worker *worker)
{
  HostedStage *stage = worker->stage;

  if (stage->ports_new != NULL && stage->ports_free != NULL)
    stage->ports_free (worker->ports, stage->ports_data);
  else if (stage->ports_new == NULL)
    g_free (worker->ports);
  g_ptr_array_unref (worker->outbox.entries);
  g_free (worker);
}

static gpointer
worker_main (gpointer data)
{
  HostedStage *stage = data;
  BiStageHost *host = stage->host;
  g_autoptr(GError) error = NULL;
  Worker *worker;

  /* Made here, on the worker's own thread: an OCR engine may be tied to its thread. */
  worker = worker_new (stage, &error);
  if (worker == NULL)
    {
      g_critical ("A worker of the %s stage could not start, so the stage has one worker "
                  "less: %s", stage_name (stage), error->message);
      return NULL;
    }

  while (!is_stopping (host))
    {
      g_autoptr(BiQueueMessage) message = NULL;
      gint64 asked_at = g_get_monotonic_time ();

      g_clear_error (&error);
      message = bi_sqlite_queue_receive (host->queue, stage->queue_name, RECEIVE_WAIT_MS,
                                         &error);
      if (error != NULL)
        {
          g_warning ("Could not receive from the %s queue (retrying in %d ms): %s",
                     stage->queue_name, RECEIVE_RETRY_MS, error->message);
          wait_for_stop (host, RECEIVE_RETRY_MS);
        }
      else if (message != NULL)
        {
          handle_message (worker, message);
        }
      else if (g_get_monotonic_time () - asked_at < RECEIVE_WAIT_MS * G_TIME_SPAN_MILLISECOND)
        {
          /* Back early with nothing: the queue was closed. Don't spin until stop(). */
          wait_for_stop (host, RECEIVE_WAIT_MS);
        }
    }

  worker_free (worker);
  return NULL;
}

static void
hosted_stage_free (gpointer data)
{
  HostedStage *stage = data;

  g_clear_pointer (&stage->threads, g_ptr_array_unref);
  g_free (stage->queue_name);
  g_free (stage);
}

static void
write_stage_counter (GString     *out,
                     BiStageHost *self,
                     const char  *name,
                     const char  *help,
                     gsize        offset)
{
  g_string_append_printf (out, "# HELP %s %s\n# TYPE %s counter\n", name, help, name);
  for (guint i = 0; i < self->stages->len; i++)
    {
      HostedStage *stage = g_ptr_array_index (self->stages, i);

      g_string_append_printf (out, "%s{stage=\"%s\"} %" G_GUINT64_FORMAT "\n", name,
                              stage_name (stage),
                              G_STRUCT_MEMBER (guint64, &stage->metrics, offset));
    }
}

static void
write_stage_durations (GString     *out,
                       BiStageHost *self)
{
  const char *name = "bookimg_stage_duration_seconds";

  g_string_append_printf (out, "# HELP %s Time a stage took per message.\n"
                               "# TYPE %s histogram\n", name, name);
  for (guint i = 0; i < self->stages->len; i++)
    {
      HostedStage *stage = g_ptr_array_index (self->stages, i);
      char sum[G_ASCII_DTOSTR_BUF_SIZE];
      guint64 cumulative = 0;

      for (guint b = 0; b < N_DURATION_BUCKETS; b++)
        {
          cumulative += stage->metrics.duration_counts[b];
          g_string_append_printf (out, "%s_bucket{stage=\"%s\",le=\"%s\"} %" G_GUINT64_FORMAT
                                  "\n", name, stage_name (stage), duration_buckets[b].label,
                                  cumulative);
        }
      g_string_append_printf (out, "%s_bucket{stage=\"%s\",le=\"+Inf\"} %" G_GUINT64_FORMAT "\n"
                              "%s_sum{stage=\"%s\"} %s\n"
                              "%s_count{stage=\"%s\"} %" G_GUINT64_FORMAT "\n",
                              name, stage_name (stage), stage->metrics.duration_count,
                              name, stage_name (stage),
                              g_ascii_dtostr (sum, sizeof sum, stage->metrics.duration_sum),
                              name, stage_name (stage), stage->metrics.duration_count);
    }
}

/* ---- public API ------------------------------------------------------------------------- */

BiStageHost *
bi_stage_host_new (BiSqliteQueue       *queue,
                   BiStageProgressFunc  progress,
                   gpointer             progress_data)
{
  BiStageHost *self;

  g_return_val_if_fail (queue != NULL, NULL);

  self = g_new0 (BiStageHost, 1);
  self->queue = queue;
  self->progress = progress;
  self->progress_data = progress_data;
  self->stages = g_ptr_array_new_with_free_func (hosted_stage_free);
  g_mutex_init (&self->lock);
  g_cond_init (&self->stop_requested);
  return self;
}

void
bi_stage_host_free (BiStageHost *self)
{
  if (self == NULL)
    return;

  /* stop() closes the queue, which others may still use: only if there is anything to stop. */
  if (self->started)
    bi_stage_host_stop (self);
  g_clear_pointer (&self->stages, g_ptr_array_unref);
  g_cond_clear (&self->stop_requested);
  g_mutex_clear (&self->lock);
  g_free (self);
}

void
bi_stage_host_add_stage (BiStageHost          *self,
                         const char           *queue_name,
                         BiStage               stage,
                         BiStageFunc           func,
                         guint                 n_workers,
                         BiStagePortsNewFunc   ports_new,
                         BiStagePortsFreeFunc  ports_free,
                         gpointer              ports_data)
{
  HostedStage *hosted;

  g_return_if_fail (self != NULL);
  g_return_if_fail (!self->started);
  g_return_if_fail (queue_name != NULL);
  g_return_if_fail (stage < BI_N_STAGES);
  g_return_if_fail (func != NULL);
  g_return_if_fail (n_workers > 0);

  hosted = g_new0 (HostedStage, 1);
  hosted->host = self;
  hosted->queue_name = g_strdup (queue_name);
  hosted->stage = stage;
  hosted->func = func;
  hosted->n_workers = n_workers;
  hosted->ports_new = ports_new;
  hosted->ports_free = ports_free;
  hosted->ports_data = ports_data;
  g_ptr_array_add (self->stages, hosted);
}

void
bi_stage_host_start (BiStageHost *self)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (!self->started);

  self->started = TRUE;
  for (guint i = 0; i < self->stages->len; i++)
    {
      HostedStage *stage = g_ptr_array_index (self->stages, i);

      stage->threads = g_ptr_array_new ();
      for (guint w = 0; w < stage->n_workers; w++)
        {
          g_autofree char *name = g_strdup_printf ("bi-%s-%u", stage_name (stage), w);

          g_ptr_array_add (stage->threads, g_thread_new (name, worker_main, stage));
        }
    }
}

void
bi_stage_host_stop (BiStageHost *self)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->lock);
  self->stopping = TRUE;
  g_cond_broadcast (&self->stop_requested);
  g_mutex_unlock (&self->lock);
  bi_sqlite_queue_close (self->queue);

  for (guint i = 0; i < self->stages->len; i++)
    {
      HostedStage *stage = g_ptr_array_index (self->stages, i);

      for (guint w = 0; stage->threads != NULL && w < stage->threads->len; w++)
        g_thread_join (g_ptr_array_index (stage->threads, w));
      g_clear_pointer (&stage->threads, g_ptr_array_unref);
    }
}

void
bi_stage_host_hold_stage (BiStageHost *self,
                          const char  *queue_name)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_if_fail (self != NULL);
  g_return_if_fail (queue_name != NULL);

  locker = g_mutex_locker_new (&self->lock);
  for (guint i = 0; i < self->stages->len; i++)
    {
      HostedStage *stage = g_ptr_array_index (self->stages, i);

      if (g_strcmp0 (stage->queue_name, queue_name) == 0)
        {
          stage->held = TRUE;
          return;
        }
    }
  g_critical ("No stage reads the queue “%s”; nothing to hold.", queue_name);
}

void
bi_stage_host_write_metrics (BiStageHost *self,
                             GString     *out)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_if_fail (self != NULL);
  g_return_if_fail (out != NULL);

  locker = g_mutex_locker_new (&self->lock);
  write_stage_counter (out, self, "bookimg_stage_processed_total",
                       "Messages a stage processed successfully.",
                       G_STRUCT_OFFSET (StageMetrics, processed_total));
  write_stage_counter (out, self, "bookimg_stage_failed_total",
                       "Attempts of a stage that failed (each retry counts).",
                       G_STRUCT_OFFSET (StageMetrics, failed_total));
  write_stage_counter (out, self, "bookimg_stage_dead_lettered_total",
                       "Messages a stage gave up on; their jobs failed.",
                       G_STRUCT_OFFSET (StageMetrics, dead_lettered_total));
  write_stage_durations (out, self);
}
