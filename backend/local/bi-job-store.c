/* bi-job-store.c — what the embedded server knows about each job: stage, seq, terminal message
 *
 * Every change is one IMMEDIATE transaction that reads the row and writes it back, so two
 * threads (or processes) never hand out the same seq.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-job-store"

#include "bi-protocol-messages.h"
#include "bi-job-store.h"
#include "bi-job-id.h"
#include "bi-protocol-error.h"
#include "bi-sqlite-database.h"
#include "bi-topic-message.h"

struct _BiJobStore
{
  BiSqliteDatabase *database;
  GMutex            lock;     /* guards the connection */
};

/* What a row says about its job; terminal_message is NULL while pending. */
typedef struct
{
  BiJobState  state;
  char       *stage;
  gint64      seq;
  char       *terminal_message;
} JobRow;

static const char schema_sql[] =
  "CREATE TABLE IF NOT EXISTS jobs ("
  "  job_id           TEXT    PRIMARY KEY NOT NULL,"
  "  state            TEXT    NOT NULL," /* pending, complete or failed */
  "  stage            TEXT    NOT NULL," /* wire name of the last stage reached */
  "  seq              INTEGER NOT NULL," /* of the last message pushed for the job */
  "  terminal_message TEXT,"
  "  created_at       INTEGER NOT NULL,"
  "  updated_at       INTEGER NOT NULL);";

/* ---- helpers ---------------------------------------------------------------------------- */

static const char *
state_to_string (BiJobState state)
{
  switch (state)
    {
    case BI_JOB_STATE_COMPLETE:
      return "complete";
    case BI_JOB_STATE_FAILED:
      return "failed";
    case BI_JOB_STATE_PENDING:
    case BI_JOB_STATE_UNKNOWN:
    default:
      return "pending";
    }
}

static BiJobState
state_from_string (const char *state)
{
  if (g_strcmp0 (state, "complete") == 0)
    return BI_JOB_STATE_COMPLETE;
  if (g_strcmp0 (state, "failed") == 0)
    return BI_JOB_STATE_FAILED;
  return BI_JOB_STATE_PENDING;
}

static gboolean
is_terminal (BiJobState state)
{
  return state == BI_JOB_STATE_COMPLETE || state == BI_JOB_STATE_FAILED;
}

static void
job_row_clear (JobRow *row)
{
  g_clear_pointer (&row->stage, g_free);
  g_clear_pointer (&row->terminal_message, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (JobRow, job_row_clear)

/* Inserts a pending row for @job_id unless there is one. */
static gboolean
ensure_job (BiJobStore  *self,
            const char  *job_id,
            GError     **error)
{
  return bi_sqlite_database_execute (
    self->database, "record a job", error,
    "INSERT INTO jobs (job_id, state, stage, seq, created_at, updated_at)"
    "  VALUES (?1, 'pending', ?2, 0, ?3, ?3) ON CONFLICT (job_id) DO NOTHING",
    "tti", job_id, bi_stage_to_string (BI_STAGE_UPLOADED), bi_wall_clock_ms (NULL));
}

/* Reads @job_id's row; FALSE with @error on failure, TRUE with state UNKNOWN when absent. */
static gboolean
read_job (BiJobStore  *self,
          const char  *job_id,
          JobRow      *row,
          GError     **error)
{
  g_autoptr(BiSqliteStatement) select = NULL;
  int rc;

  select = bi_sqlite_database_prepare (
    self->database, error,
    "SELECT state, stage, seq, terminal_message FROM jobs WHERE job_id = ?1", "t", job_id);
  if (select == NULL)
    return FALSE;
  rc = bi_sqlite_database_step (self->database, select, "read a job", error);
  if (rc == 0)
    return FALSE;

  row->state = BI_JOB_STATE_UNKNOWN;
  if (rc == SQLITE_ROW)
    {
      row->state = state_from_string ((const char *) sqlite3_column_text (select, 0));
      row->stage = g_strdup ((const char *) sqlite3_column_text (select, 1));
      row->seq = sqlite3_column_int64 (select, 2);
      row->terminal_message = g_strdup ((const char *) sqlite3_column_text (select, 3));
    }
  return TRUE;
}

static gboolean
write_job (BiJobStore  *self,
           const char  *job_id,
           const JobRow *row,
           GError     **error)
{
  return bi_sqlite_database_execute (
    self->database, "update a job", error,
    "UPDATE jobs SET state = ?2, stage = ?3, seq = ?4, terminal_message = ?5,"
    "  updated_at = ?6 WHERE job_id = ?1",
    "tttiti", job_id, state_to_string (row->state), row->stage, row->seq,
    row->terminal_message, bi_wall_clock_ms (NULL));
}

/* The push for @job_id made and stored inside one transaction, with the lock held. */
typedef char *(*JobUpdateFunc) (BiJobStore  *self,
                                const char  *job_id,
                                JobRow      *row,
                                gpointer     data,
                                GError     **error);

static char *
update_job (BiJobStore     *self,
            const char     *job_id,
            JobUpdateFunc   func,
            gpointer        data,
            GError        **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_auto(JobRow) row = { 0, };
  g_autofree char *message = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!bi_job_id_validate (job_id, error))
    return NULL;

  locker = g_mutex_locker_new (&self->lock);
  if (!bi_sqlite_database_begin (self->database, error))
    return NULL;

  /* Created on the fly: the upload may have been accepted by another host. */
  if (ensure_job (self, job_id, &local_error) && read_job (self, job_id, &row, &local_error))
    message = func (self, job_id, &row, data, &local_error);

  if (!bi_sqlite_database_end (self->database, local_error == NULL,
                               local_error == NULL ? error : NULL))
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&message);
}

typedef struct
{
  BiStage  stage;
  gboolean finished;
} ProgressUpdate;

static char *
apply_progress (BiJobStore  *self,
                const char  *job_id,
                JobRow      *row,
                gpointer     data,
                GError     **error)
{
  const ProgressUpdate *update = data;

  /* A late redelivery after the end: nothing to push. */
  if (is_terminal (row->state))
    return NULL;

  row->seq++;
  g_free (row->stage);
  row->stage = g_strdup (bi_stage_to_string (update->stage));
  if (!write_job (self, job_id, row, error))
    return NULL;
  return bi_message_job_progress_new (job_id, row->seq, update->stage, update->finished);
}

typedef struct
{
  JsonNode *topic_message;
  gboolean  already_terminal;
} FinishUpdate;

static char *
apply_finish (BiJobStore  *self,
              const char  *job_id,
              JobRow      *row,
              gpointer     data,
              GError     **error)
{
  FinishUpdate *update = data;
  g_autofree char *message = NULL;
  BiJobState state = BI_JOB_STATE_UNKNOWN;
  gboolean failed = FALSE;

  if (is_terminal (row->state))
    {
      update->already_terminal = TRUE;
      return g_strdup (row->terminal_message);
    }

  message = bi_topic_message_to_push (job_id, row->seq + 1, update->topic_message, &failed,
                                      error);
  if (message == NULL)
    return NULL;
  state = failed ? BI_JOB_STATE_FAILED : BI_JOB_STATE_COMPLETE;

  row->seq++;
  row->state = state;
  row->terminal_message = g_strdup (message);
  if (!write_job (self, job_id, row, error))
    return NULL;
  return g_steal_pointer (&message);
}

/* ---- public API ------------------------------------------------------------------------- */

BiJobStore *
bi_job_store_open (const char  *path,
                   GError     **error)
{
  g_autoptr(BiJobStore) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_new0 (BiJobStore, 1);
  g_mutex_init (&self->lock);
  /* A terminal message is pushed only once stored and must outlive a crash: a WAL commit with
   * NORMAL sync survives SIGKILL. On power loss the last commits may go, but the server keeps
   * this store in the queue's file, where the topic message's acknowledgement comes later in the
   * same log and goes with them: the topic message is redelivered and the state rebuilt. An
   * fsync per progress message would cap the notifier at a few hundred pushes a second. */
  self->database = bi_sqlite_database_open (path, BI_SQLITE_SYNC_NORMAL, schema_sql, error);
  if (self->database == NULL)
    return NULL;
  return g_steal_pointer (&self);
}

void
bi_job_store_free (BiJobStore *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->database, bi_sqlite_database_free);
  g_mutex_clear (&self->lock);
  g_free (self);
}

gboolean
bi_job_store_create (BiJobStore  *self,
                     const char  *job_id,
                     GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (self != NULL, FALSE);

  if (!bi_job_id_validate (job_id, error))
    return FALSE;

  locker = g_mutex_locker_new (&self->lock);
  return ensure_job (self, job_id, error);
}

char *
bi_job_store_progress (BiJobStore  *self,
                       const char  *job_id,
                       BiStage      stage,
                       gboolean     finished,
                       GError     **error)
{
  ProgressUpdate update = { stage, finished };

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (stage < BI_N_STAGES, NULL);

  return update_job (self, job_id, apply_progress, &update, error);
}

char *
bi_job_store_finish (BiJobStore  *self,
                     const char  *job_id,
                     JsonNode    *topic_message,
                     gboolean    *already_terminal,
                     GError     **error)
{
  FinishUpdate update = { topic_message, FALSE };
  char *message;

  g_return_val_if_fail (self != NULL, NULL);

  message = update_job (self, job_id, apply_finish, &update, error);
  if (already_terminal != NULL)
    *already_terminal = message != NULL && update.already_terminal;
  return message;
}

BiJobState
bi_job_store_lookup (BiJobStore  *self,
                     const char  *job_id,
                     char       **stage,
                     char       **terminal_message,
                     GError     **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_auto(JobRow) row = { 0, };

  g_return_val_if_fail (self != NULL, BI_JOB_STATE_UNKNOWN);

  if (!bi_job_id_validate (job_id, error))
    return BI_JOB_STATE_UNKNOWN;

  locker = g_mutex_locker_new (&self->lock);
  if (!read_job (self, job_id, &row, error))
    return BI_JOB_STATE_UNKNOWN;

  if (stage != NULL)
    *stage = g_steal_pointer (&row.stage);
  if (terminal_message != NULL)
    *terminal_message = is_terminal (row.state) ? g_steal_pointer (&row.terminal_message) : NULL;
  return row.state;
}
