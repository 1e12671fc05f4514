/* bi-scan-session.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-scan-session"

#include "bi-scan-session.h"

#include "bi-client-error.h"
#include "bi-photo-check.h"
#include "bi-protocol-messages.h"

/* Failures before the pipeline took the photo are reported as this stage. */
#define CLIENT_STAGE "upload"

/* One job between its start and its terminal state. Reference-counted: the table of runs
 * holds one reference and each step in flight another, so a step that completes after its job
 * ended (it is then cancelled) still finds valid memory. */
typedef struct
{
  BiScanSession *session;      /* not owned: the session outlives its runs */
  BiScanJob     *job;
  GFile         *photo;
  char          *content_type;
  GCancellable  *cancellable;  /* cancelled when the job ends, stopping its steps */
} JobRun;

struct _BiScanSession
{
  GObject             parent_instance;

  BiServerConnection *connection;
  BiPushChannel      *channel;
  guint               max_parallel_jobs;
  GListStore         *jobs;          /* every BiScanJob, in order */
  GQueue              queued;        /* BiScanJob * (owned) not started yet */
  GHashTable         *runs;          /* job id → JobRun, the jobs in progress */
  GTask              *run_task;      /* the run in progress, or NULL */
  gulong              run_cancelled_id;
  GCancellable       *cancellable;   /* cancelled when the run ends or is cancelled */
};

G_DEFINE_FINAL_TYPE (BiScanSession, bi_scan_session, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_CONNECTION,
  PROP_MAX_PARALLEL_JOBS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void start_queued_jobs (BiScanSession *self);

static void
job_run_clear (JobRun *run)
{
  g_clear_object (&run->cancellable);
  g_clear_object (&run->job);
  g_clear_object (&run->photo);
  g_free (run->content_type);
}

static JobRun *
job_run_ref (JobRun *run)
{
  return g_rc_box_acquire (run);
}

static void
job_run_unref (JobRun *run)
{
  g_rc_box_release_full (run, (GDestroyNotify) job_run_clear);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (JobRun, job_run_unref)

/* Removed from the table: the job has ended, so its steps must stop. */
static void
job_run_end (JobRun *run)
{
  g_cancellable_cancel (run->cancellable);
  job_run_unref (run);
}

/* ---- ending jobs and the run ---- */

static void
complete_run (BiScanSession *self,
              GError        *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->run_task);
  GCancellable *cancellable;

  if (task == NULL)
    return;

  cancellable = g_task_get_cancellable (task);
  if (self->run_cancelled_id != 0)
    g_cancellable_disconnect (cancellable, self->run_cancelled_id);
  self->run_cancelled_id = 0;

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static gboolean
all_jobs_terminal (BiScanSession *self)
{
  return g_hash_table_size (self->runs) == 0 && g_queue_is_empty (&self->queued);
}

/* The job is terminal (or must not go on): free its slot and start the next ones. */
static void
end_job_run (JobRun *run)
{
  BiScanSession *self = run->session;
  g_autofree char *job_id = g_strdup (bi_scan_job_get_job_id (run->job));

  bi_push_channel_unsubscribe (self->channel, job_id);
  g_hash_table_remove (self->runs, job_id);

  start_queued_jobs (self);
  if (self->run_task != NULL && all_jobs_terminal (self))
    complete_run (self, NULL);
}

static void
fail_job_run (JobRun       *run,
              const GError *error)
{
  const char *code = error->domain == BI_CLIENT_ERROR
                       ? bi_client_error_code_name ((BiClientError) error->code)
                       : "error";

  bi_scan_job_fail (run->job, CLIENT_STAGE, code, error);
  end_job_run (run);
}

/* TRUE when the job must not go on: its step failed (the job fails), or the job already ended
 * while the step was in flight (a terminal push, or the run was cancelled). */
static gboolean
step_failed (JobRun       *run,
             const GError *error)
{
  if (g_cancellable_is_cancelled (run->cancellable))
    return TRUE;
  if (error == NULL)
    return FALSE;

  fail_job_run (run, error);
  return TRUE;
}

/* ---- a job's steps: check, subscribe, upload URL, upload ---- */

static void
upload_progress_cb (goffset  bytes_sent,
                    goffset  total_bytes,
                    gpointer user_data)
{
  JobRun *run = user_data;

  bi_scan_job_set_upload_progress (run->job, bytes_sent, total_bytes);
}

static void
uploaded_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(JobRun) run = user_data;
  g_autoptr(GError) error = NULL;

  bi_server_connection_upload_finish (BI_SERVER_CONNECTION (source), result, &error);
  if (step_failed (run, error))
    return;

  bi_scan_job_advance (run->job, BI_SCAN_JOB_STATE_UPLOADED);
}

static void
upload_url_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(JobRun) run = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *upload_url = NULL;

  upload_url = bi_server_connection_request_upload_url_finish (BI_SERVER_CONNECTION (source),
                                                               result, &error);
  if (step_failed (run, error))
    return;

  bi_server_connection_upload_async (run->session->connection, upload_url, run->photo,
                                     run->content_type, upload_progress_cb, run,
                                     run->cancellable, uploaded_cb, job_run_ref (run));
}

static void
subscribed_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(JobRun) run = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *upload_name = NULL;

  bi_push_channel_subscribe_finish (BI_PUSH_CHANNEL (source), result, &error);
  if (step_failed (run, error))
    return;

  upload_name = bi_photo_upload_name (bi_scan_job_get_photo_name (run->job));
  bi_scan_job_advance (run->job, BI_SCAN_JOB_STATE_UPLOADING);
  bi_server_connection_request_upload_url_async (run->session->connection,
                                                 bi_scan_job_get_job_id (run->job), upload_name,
                                                 run->content_type, run->cancellable,
                                                 upload_url_cb, job_run_ref (run));
}

static void
photo_checked_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(JobRun) run = user_data;
  g_autoptr(GError) error = NULL;

  run->content_type = bi_photo_check_finish (result, &error);
  if (step_failed (run, error))
    return;

  /* Subscribe before the upload: a push sent before the subscription would be lost. */
  bi_push_channel_subscribe_async (run->session->channel, bi_scan_job_get_job_id (run->job),
                                   run->cancellable, subscribed_cb, job_run_ref (run));
}

static void
start_job (BiScanSession *self,
           BiScanJob     *job)
{
  JobRun *run = g_rc_box_new0 (JobRun);

  run->session = self;
  run->job = job; /* the queue's reference moves here */
  run->photo = g_file_new_for_commandline_arg (bi_scan_job_get_photo_path (job));
  run->cancellable = g_cancellable_new ();
  g_hash_table_insert (self->runs, (gpointer) bi_scan_job_get_job_id (job), run);

  bi_photo_check_async (run->photo, run->cancellable, photo_checked_cb, job_run_ref (run));
}

static void
start_queued_jobs (BiScanSession *self)
{
  while (self->run_task != NULL && g_hash_table_size (self->runs) < self->max_parallel_jobs
         && !g_queue_is_empty (&self->queued))
    start_job (self, g_queue_pop_head (&self->queued));
}

/* ---- pushes ---- */

static BiScanJobState
state_for_stage (const char *stage_name)
{
  BiStage stage = BI_STAGE_UPLOADED;

  bi_stage_from_string (stage_name, &stage);
  switch (stage)
    {
    case BI_STAGE_OCR:
      return BI_SCAN_JOB_STATE_OCR;
    case BI_STAGE_CANDIDATES:
      return BI_SCAN_JOB_STATE_CANDIDATES;
    case BI_STAGE_VALIDATION:
      return BI_SCAN_JOB_STATE_VALIDATION;
    case BI_STAGE_UPLOADED:
    default:
      return BI_SCAN_JOB_STATE_UPLOADED;
    }
}

static void
channel_push_cb (BiPushChannel   *channel,
                 BiServerMessage *message,
                 gpointer         user_data)
{
  BiScanSession *self = user_data;
  JobRun *run = g_hash_table_lookup (self->runs, message->job_id);
  g_autoptr(GError) error = NULL;

  if (run == NULL)
    return;

  switch (message->type)
    {
    case BI_SERVER_MESSAGE_JOB_PROGRESS:
      bi_scan_job_advance (run->job, state_for_stage (message->stage));
      return;

    case BI_SERVER_MESSAGE_PROCESSING_COMPLETE:
      bi_scan_job_complete (run->job, message->results);
      break;

    case BI_SERVER_MESSAGE_PROCESSING_FAILED:
      error = g_error_new (BI_CLIENT_ERROR, BI_CLIENT_ERROR_JOB_FAILED,
                           "The server could not process the photo at its %s stage: %s",
                           message->stage != NULL ? message->stage : "unknown",
                           message->error_message != NULL ? message->error_message
                                                          : "no reason given");
      bi_scan_job_fail (run->job, message->stage, message->error_code, error);
      break;

    default:
      return;
    }

  end_job_run (run);
}

static void
channel_failed_cb (BiPushChannel *channel,
                   const GError  *error,
                   gpointer       user_data)
{
  BiScanSession *self = user_data;
  GHashTableIter iter;
  JobRun *run;
  BiScanJob *job;

  g_cancellable_cancel (self->cancellable);

  g_hash_table_iter_init (&iter, self->runs);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *) &run))
    bi_scan_job_fail (run->job, CLIENT_STAGE,
                      bi_client_error_code_name (BI_CLIENT_ERROR_CONNECTION_LOST), error);
  g_hash_table_remove_all (self->runs);

  while ((job = g_queue_pop_head (&self->queued)) != NULL)
    {
      bi_scan_job_fail (job, CLIENT_STAGE,
                        bi_client_error_code_name (BI_CLIENT_ERROR_CONNECTION_LOST), error);
      g_object_unref (job);
    }

  complete_run (self, g_error_copy (error));
}

/* ---- running ---- */

static gboolean
run_cancelled_idle (gpointer user_data)
{
  BiScanSession *self = user_data;

  if (self->run_task == NULL)
    return G_SOURCE_REMOVE;

  g_cancellable_cancel (self->cancellable);
  g_hash_table_remove_all (self->runs);
  bi_push_channel_close (self->channel);
  complete_run (self, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                           "The scan was cancelled."));
  return G_SOURCE_REMOVE;
}

/* May run on another thread: the work is done in the run's own context. */
static void
run_cancelled_cb (GCancellable *cancellable,
                  gpointer      user_data)
{
  BiScanSession *self = user_data;
  g_autoptr(GSource) source = g_idle_source_new ();

  g_source_set_callback (source, run_cancelled_idle, g_object_ref (self), g_object_unref);
  g_source_attach (source, g_task_get_context (self->run_task));
}

static void
channel_connected_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(BiScanSession) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!bi_push_channel_connect_finish (BI_PUSH_CHANNEL (source), result, &error))
    {
      complete_run (self, g_steal_pointer (&error));
      return;
    }

  if (self->run_task == NULL)
    return;

  start_queued_jobs (self);
  if (all_jobs_terminal (self))
    complete_run (self, NULL);
}

/* ---- GObject ---- */

static void
bi_scan_session_constructed (GObject *object)
{
  BiScanSession *self = BI_SCAN_SESSION (object);

  G_OBJECT_CLASS (bi_scan_session_parent_class)->constructed (object);

  g_assert (self->connection != NULL);
  self->channel = bi_push_channel_new (self->connection);
  g_signal_connect_object (self->channel, "push", G_CALLBACK (channel_push_cb), self, 0);
  g_signal_connect_object (self->channel, "failed", G_CALLBACK (channel_failed_cb), self, 0);
}

static void
bi_scan_session_dispose (GObject *object)
{
  BiScanSession *self = BI_SCAN_SESSION (object);

  g_cancellable_cancel (self->cancellable);
  if (self->runs != NULL)
    g_hash_table_remove_all (self->runs);
  g_queue_clear_full (&self->queued, g_object_unref);
  if (self->channel != NULL)
    bi_push_channel_close (self->channel);
  g_clear_object (&self->channel);
  g_clear_object (&self->connection);
  g_clear_object (&self->jobs);

  G_OBJECT_CLASS (bi_scan_session_parent_class)->dispose (object);
}

static void
bi_scan_session_finalize (GObject *object)
{
  BiScanSession *self = BI_SCAN_SESSION (object);

  g_hash_table_unref (self->runs);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (bi_scan_session_parent_class)->finalize (object);
}

static void
bi_scan_session_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  BiScanSession *self = BI_SCAN_SESSION (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      g_value_set_object (value, self->connection);
      break;
    case PROP_MAX_PARALLEL_JOBS:
      g_value_set_uint (value, self->max_parallel_jobs);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bi_scan_session_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  BiScanSession *self = BI_SCAN_SESSION (object);

  switch (prop_id)
    {
    case PROP_CONNECTION:
      self->connection = g_value_dup_object (value);
      break;
    case PROP_MAX_PARALLEL_JOBS:
      self->max_parallel_jobs = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bi_scan_session_class_init (BiScanSessionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = bi_scan_session_constructed;
  object_class->dispose = bi_scan_session_dispose;
  object_class->finalize = bi_scan_session_finalize;
  object_class->get_property = bi_scan_session_get_property;
  object_class->set_property = bi_scan_session_set_property;

  properties[PROP_CONNECTION] =
    g_param_spec_object ("connection", NULL, NULL, BI_TYPE_SERVER_CONNECTION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_PARALLEL_JOBS] =
    g_param_spec_uint ("max-parallel-jobs", NULL, NULL, 1, BI_SCAN_SESSION_MAX_PARALLEL_JOBS,
                       BI_SCAN_SESSION_DEFAULT_PARALLEL_JOBS,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
bi_scan_session_init (BiScanSession *self)
{
  self->jobs = g_list_store_new (BI_TYPE_SCAN_JOB);
  g_queue_init (&self->queued);
  /* Keys are the job ids owned by each run's job. */
  self->runs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                      (GDestroyNotify) job_run_end);
  self->cancellable = g_cancellable_new ();
}

/* ---- public API ---- */

BiScanSession *
bi_scan_session_new (BiServerConnection *connection,
                     guint               max_parallel_jobs)
{
  g_return_val_if_fail (BI_IS_SERVER_CONNECTION (connection), NULL);
  g_return_val_if_fail (max_parallel_jobs >= 1
                        && max_parallel_jobs <= BI_SCAN_SESSION_MAX_PARALLEL_JOBS, NULL);

  return g_object_new (BI_TYPE_SCAN_SESSION,
                       "connection", connection,
                       "max-parallel-jobs", max_parallel_jobs,
                       NULL);
}

BiScanJob *
bi_scan_session_add_photo (BiScanSession *self,
                           const char    *photo_path)
{
  g_autoptr(BiScanJob) job = NULL;

  g_return_val_if_fail (BI_IS_SCAN_SESSION (self), NULL);
  g_return_val_if_fail (photo_path != NULL, NULL);

  job = bi_scan_job_new (photo_path);
  g_list_store_append (self->jobs, job);
  g_queue_push_tail (&self->queued, g_object_ref (job));
  if (bi_push_channel_get_connected (self->channel))
    start_queued_jobs (self);

  return job;
}

GListModel *
bi_scan_session_get_jobs (BiScanSession *self)
{
  g_return_val_if_fail (BI_IS_SCAN_SESSION (self), NULL);

  return G_LIST_MODEL (self->jobs);
}

BiPushChannel *
bi_scan_session_get_channel (BiScanSession *self)
{
  g_return_val_if_fail (BI_IS_SCAN_SESSION (self), NULL);

  return self->channel;
}

void
bi_scan_session_run_async (BiScanSession       *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BI_IS_SCAN_SESSION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bi_scan_session_run_async);

  if (self->run_task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "The scan session is already running.");
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  self->run_task = g_steal_pointer (&task);
  if (cancellable != NULL)
    self->run_cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (run_cancelled_cb),
                                                    self, NULL);

  if (bi_push_channel_get_connected (self->channel))
    {
      start_queued_jobs (self);
      if (all_jobs_terminal (self))
        complete_run (self, NULL);
      return;
    }

  bi_push_channel_connect_async (self->channel, self->cancellable, channel_connected_cb,
                                 g_object_ref (self));
}

gboolean
bi_scan_session_run_finish (BiScanSession  *self,
                            GAsyncResult   *result,
                            GError        **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
