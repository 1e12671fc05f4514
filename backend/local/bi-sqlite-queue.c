/* bi-sqlite-queue.c — durable at-least-once queues (and the topic outbox) in one SQLite file
 *
 * A live message is a row of queue_messages. Receiving it sets a fresh receipt and hides it
 * until visible_at; in_flight says that the hiding is a receive's (not a failure's backoff), so
 * that a restart can make exactly those visible again. A dead-lettered message moves to
 * queue_dead_letters, where it waits for its failure to be reported (see delete()).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-sqlite-queue"

#include "bi-sqlite-queue.h"
#include "bi-sqlite-database.h"

#include <string.h>

/* The longest a blocked receive() sleeps without looking at the table again: it notices
 * messages that another connection sent and visibility times of an injected clock. */
#define POLL_INTERVAL_MS 1000
#define MAX_NAME_LENGTH 80

struct _BiSqliteQueue
{
  BiQueue           queue_port;    /* first member: the BiQueue port casts to us */
  BiTopic           topic_port;
  BiQueuePolicy     policy;
  BiSqliteDatabase *database;
  GMutex            lock;          /* guards the connection, closed and the clock */
  GCond             changed;       /* signalled by send(), fail() and close() */
  gboolean          closed;        /* close() was called: receive() returns at once */
  BiClockFunc       clock;
  gpointer          clock_data;
};

G_DEFINE_QUARK (bi-sqlite-queue-error-quark, bi_sqlite_queue_error)

static const char schema_sql[] =
  "CREATE TABLE IF NOT EXISTS queue_messages ("
  "  id            INTEGER PRIMARY KEY AUTOINCREMENT," /* never reused: ids move to the DLQ */
  "  queue_name    TEXT    NOT NULL,"
  "  body          TEXT    NOT NULL,"
  "  sent_at       INTEGER NOT NULL,"
  "  visible_at    INTEGER NOT NULL,"
  "  in_flight     INTEGER NOT NULL DEFAULT 0,"
  "  receive_count INTEGER NOT NULL DEFAULT 0,"
  "  receipt       INTEGER NOT NULL DEFAULT 0,"
  "  last_error    TEXT);"
  "CREATE INDEX IF NOT EXISTS queue_messages_by_visibility"
  "  ON queue_messages (queue_name, visible_at, id);"
  "CREATE INDEX IF NOT EXISTS queue_messages_in_flight"
  "  ON queue_messages (in_flight) WHERE in_flight = 1;"
  "CREATE TABLE IF NOT EXISTS queue_dead_letters ("
  "  id               INTEGER PRIMARY KEY,"
  "  queue_name       TEXT    NOT NULL," /* the source queue */
  "  body             TEXT    NOT NULL,"
  "  receive_count    INTEGER NOT NULL,"
  "  reason           TEXT    NOT NULL,"
  "  sent_at          INTEGER NOT NULL,"
  "  dead_lettered_at INTEGER NOT NULL,"
  "  reported         INTEGER NOT NULL DEFAULT 0," /* its failure was reported (deleted) */
  "  receipt          INTEGER NOT NULL,"
  "  visible_at       INTEGER NOT NULL);"
  "CREATE INDEX IF NOT EXISTS queue_dead_letters_by_queue"
  "  ON queue_dead_letters (queue_name);"
  "CREATE INDEX IF NOT EXISTS queue_dead_letters_unreported"
  "  ON queue_dead_letters (queue_name, visible_at) WHERE reported = 0;";

/* ---- helpers ---------------------------------------------------------------------------- */

static gint64
now_ms (BiSqliteQueue *self)
{
  return self->clock (self->clock_data);
}

static gint64
new_receipt (void)
{
  guint64 value = ((guint64) g_random_int () << 32) | g_random_int ();

  /* Positive and never 0, which marks "never received". */
  return (gint64) (value >> 1) | 1;
}

static gboolean
validate_queue_name (const char  *queue_name,
                     GError     **error)
{
  gsize length = queue_name != NULL ? strlen (queue_name) : 0;

  if (length == 0 || length > MAX_NAME_LENGTH)
    {
      g_set_error (error, BI_SQLITE_QUEUE_ERROR, BI_SQLITE_QUEUE_ERROR_INVALID_NAME,
                   "A queue name must have 1 to %d characters, not %zu.", MAX_NAME_LENGTH,
                   length);
      return FALSE;
    }
  for (const char *p = queue_name; *p != '\0'; p++)
    {
      if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
        {
          g_set_error (error, BI_SQLITE_QUEUE_ERROR, BI_SQLITE_QUEUE_ERROR_INVALID_NAME,
                       "The queue name “%s” may only contain letters, digits, “-” and “_”.",
                       queue_name);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
validate_body (const char  *body,
               GError     **error)
{
  gsize length;

  if (body == NULL)
    {
      g_set_error_literal (error, BI_SQLITE_QUEUE_ERROR, BI_SQLITE_QUEUE_ERROR_INVALID_BODY,
                           "A message needs a body.");
      return FALSE;
    }
  length = strlen (body);
  if (length > BI_QUEUE_MAX_BODY_SIZE)
    {
      g_set_error (error, BI_SQLITE_QUEUE_ERROR, BI_SQLITE_QUEUE_ERROR_INVALID_BODY,
                   "The message is %zu bytes long; a queue takes at most %d. Store large "
                   "data in the results bucket and send its key instead.", length,
                   BI_QUEUE_MAX_BODY_SIZE);
      return FALSE;
    }
  if (!g_utf8_validate (body, (gssize) length, NULL))
    {
      g_set_error_literal (error, BI_SQLITE_QUEUE_ERROR, BI_SQLITE_QUEUE_ERROR_INVALID_BODY,
                           "The message is not valid UTF-8 text.");
      return FALSE;
    }
  return TRUE;
}

static gboolean
validate_policy (const BiQueuePolicy  *policy,
                 GError              **error)
{
  if (policy->visibility_timeout_ms <= 0 || policy->max_receive_count == 0
      || policy->backoff_base_ms < 0 || policy->backoff_max_ms < policy->backoff_base_ms)
    {
      g_set_error_literal (error, BI_SQLITE_QUEUE_ERROR, BI_SQLITE_QUEUE_ERROR_INVALID_POLICY,
                           "The queue policy needs a positive visibility timeout, a "
                           "max_receive_count of at least 1 and 0 ≤ backoff base ≤ backoff "
                           "max.");
      return FALSE;
    }
  return TRUE;
}

/* base, 2·base, 4·base … capped: the delay before the @receive_count-th failure's retry. */
static gint64
backoff_ms (const BiQueuePolicy *policy,
            gint64               receive_count)
{
  gint64 delay = policy->backoff_base_ms;

  for (gint64 i = 1; i < receive_count && delay < policy->backoff_max_ms; i++)
    delay *= 2;
  return MIN (delay, policy->backoff_max_ms);
}

static BiQueueMessage *
message_new (BiSqliteStatement *row,
             const char        *queue_name,
             gint64             receive_count,
             gint64             receipt,
             gboolean           dead_lettered)
{
  BiQueueMessage *message = g_new0 (BiQueueMessage, 1);

  message->id = sqlite3_column_int64 (row, 0);
  message->queue_name = g_strdup (queue_name);
  message->body = g_strdup ((const char *) sqlite3_column_text (row, 1));
  message->receive_count = (guint) receive_count;
  message->receipt = receipt;
  message->dead_lettered = dead_lettered;
  return message;
}

/* Moves live message @id into the DLQ with @receipt, awaiting the report of its failure. */
static gboolean
move_to_dead_letters (BiSqliteQueue  *self,
                      gint64          id,
                      gint64          receipt,
                      const char     *reason,
                      GError        **error)
{
  const char *doing = "move a message to the dead-letter queue";
  gint64 now = now_ms (self);

  return bi_sqlite_database_execute (
           self->database, doing, error,
           "INSERT INTO queue_dead_letters (id, queue_name, body, receive_count, reason,"
           "                                sent_at, dead_lettered_at, receipt, visible_at)"
           "  SELECT id, queue_name, body, receive_count, ?2, sent_at, ?3, ?4, ?5"
           "  FROM queue_messages WHERE id = ?1",
           "itiii", id, reason != NULL ? reason : "", now, receipt,
           now + self->policy.visibility_timeout_ms)
         && bi_sqlite_database_execute (self->database, doing, error,
                                        "DELETE FROM queue_messages WHERE id = ?1", "i", id);
}

/* A dead-lettered message of @queue_name whose failure is still to be reported. */
static BiQueueMessage *
take_dead_letter_report (BiSqliteQueue  *self,
                         const char     *queue_name,
                         GError        **error)
{
  g_autoptr(BiSqliteStatement) select = NULL;
  g_autoptr(BiQueueMessage) message = NULL;
  gint64 now = now_ms (self);

  select = bi_sqlite_database_prepare (
    self->database, error,
    "SELECT id, body, receive_count FROM queue_dead_letters"
    "  WHERE queue_name = ?1 AND reported = 0 AND visible_at <= ?2"
    "  ORDER BY visible_at, id LIMIT 1",
    "ti", queue_name, now);
  if (select == NULL
      || bi_sqlite_database_step (self->database, select, "receive a message", error)
         != SQLITE_ROW)
    return NULL;
  message = message_new (select, queue_name, sqlite3_column_int64 (select, 2), new_receipt (),
                         TRUE);
  g_clear_pointer (&select, bi_sqlite_statement_release);

  if (!bi_sqlite_database_execute (
        self->database, "receive a message", error,
        "UPDATE queue_dead_letters SET receipt = ?2, visible_at = ?3 WHERE id = ?1",
        "iii", message->id, message->receipt, now + self->policy.visibility_timeout_ms))
    return NULL;
  return g_steal_pointer (&message);
}

static BiQueueMessage *
take_live_message (BiSqliteQueue  *self,
                   const char     *queue_name,
                   GError        **error)
{
  g_autoptr(BiSqliteStatement) select = NULL;
  g_autoptr(BiQueueMessage) message = NULL;
  gint64 now = now_ms (self);
  gint64 receive_count;

  select = bi_sqlite_database_prepare (
    self->database, error,
    "SELECT id, body, receive_count FROM queue_messages"
    "  WHERE queue_name = ?1 AND visible_at <= ?2 ORDER BY visible_at, id LIMIT 1",
    "ti", queue_name, now);
  if (select == NULL
      || bi_sqlite_database_step (self->database, select, "receive a message", error)
         != SQLITE_ROW)
    return NULL;
  receive_count = sqlite3_column_int64 (select, 2);

  /* Received max_receive_count times and never deleted: whatever happens to it (even a crash
   * of the whole process each time) will happen again, so it ends here. receive_count stays
   * the number of deliveries that really happened. */
  if (receive_count >= self->policy.max_receive_count)
    {
      g_autofree char *reason = g_strdup_printf ("received %" G_GINT64_FORMAT " times without "
                                                 "being deleted", receive_count);

      message = message_new (select, queue_name, receive_count, new_receipt (), TRUE);
      g_clear_pointer (&select, bi_sqlite_statement_release);
      if (!move_to_dead_letters (self, message->id, message->receipt, reason, error))
        return NULL;
      return g_steal_pointer (&message);
    }

  message = message_new (select, queue_name, receive_count + 1, new_receipt (), FALSE);
  g_clear_pointer (&select, bi_sqlite_statement_release);
  if (!bi_sqlite_database_execute (
        self->database, "receive a message", error,
        "UPDATE queue_messages SET receive_count = receive_count + 1, receipt = ?2,"
        "  in_flight = 1, visible_at = ?3 WHERE id = ?1",
        "iii", message->id, message->receipt, now + self->policy.visibility_timeout_ms))
    return NULL;
  return g_steal_pointer (&message);
}

/* When the next message of @queue_name becomes visible, or G_MAXINT64 when there is none. */
static gint64
next_visible_at (BiSqliteQueue  *self,
                 const char     *queue_name,
                 GError        **error)
{
  g_autoptr(BiSqliteStatement) select = NULL;

  select = bi_sqlite_database_prepare (
    self->database, error,
    "SELECT min(visible_at) FROM ("
    "  SELECT min(visible_at) AS visible_at FROM queue_messages WHERE queue_name = ?1"
    "  UNION ALL"
    "  SELECT min(visible_at) FROM queue_dead_letters WHERE queue_name = ?1 AND reported = 0)",
    "t", queue_name);
  if (select == NULL
      || bi_sqlite_database_step (self->database, select, "look for messages", error)
         != SQLITE_ROW
      || sqlite3_column_type (select, 0) == SQLITE_NULL)
    return G_MAXINT64;
  return sqlite3_column_int64 (select, 0);
}

/* One atomic attempt; with the lock held. Sets @next_visible when nothing was visible. */
static BiQueueMessage *
try_receive_locked (BiSqliteQueue  *self,
                    const char     *queue_name,
                    gint64         *next_visible,
                    GError        **error)
{
  g_autoptr(BiQueueMessage) message = NULL;
  g_autoptr(GError) local_error = NULL;

  if (!bi_sqlite_database_begin (self->database, error))
    return NULL;

  /* Failures to report first: they are rare and each one ends a job. */
  message = take_dead_letter_report (self, queue_name, &local_error);
  if (message == NULL && local_error == NULL)
    message = take_live_message (self, queue_name, &local_error);
  if (message == NULL && local_error == NULL)
    *next_visible = next_visible_at (self, queue_name, &local_error);

  if (!bi_sqlite_database_end (self->database, local_error == NULL,
                               local_error == NULL ? error : NULL))
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&message);
}

/* Whether the live message still carries @message's receipt (not redelivered since). */
static gboolean
lookup_receipt (BiSqliteQueue         *self,
                const BiQueueMessage  *message,
                gboolean              *found,
                gint64                *receive_count,
                GError               **error)
{
  g_autoptr(BiSqliteStatement) select = NULL;
  int rc;

  select = bi_sqlite_database_prepare (
    self->database, error,
    "SELECT receive_count FROM queue_messages WHERE id = ?1 AND receipt = ?2",
    "ii", message->id, message->receipt);
  if (select == NULL)
    return FALSE;
  rc = bi_sqlite_database_step (self->database, select, "look up a message", error);
  if (rc == 0)
    return FALSE;
  *found = rc == SQLITE_ROW;
  *receive_count = *found ? sqlite3_column_int64 (select, 0) : 0;
  return TRUE;
}

/* Makes messages whose receiver died visible; with the lock held. */
static gboolean
recover_in_flight (BiSqliteQueue  *self,
                   GError        **error)
{
  const char *doing = "recover messages in flight";
  gboolean ok;

  if (!bi_sqlite_database_begin (self->database, error))
    return FALSE;
  /* visible_at = 0 rather than "now": visible at once whatever clock is later injected.
   * Messages in a failure's backoff (in_flight = 0) keep their delay. */
  ok = bi_sqlite_database_execute (
         self->database, doing, error,
         "UPDATE queue_messages SET in_flight = 0, visible_at = 0 WHERE in_flight = 1", "")
       && bi_sqlite_database_execute (
         self->database, doing, error,
         "UPDATE queue_dead_letters SET visible_at = 0 WHERE reported = 0", "");
  return bi_sqlite_database_end (self->database, ok, error);
}

static guint
count_rows (BiSqliteQueue *self,
            const char    *sql,
            const char    *queue_name)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(BiSqliteStatement) select = NULL;
  g_autoptr(GError) error = NULL;

  select = bi_sqlite_database_prepare (self->database, &error, sql, "t", queue_name);
  if (select != NULL
      && bi_sqlite_database_step (self->database, select, "count messages", &error)
         == SQLITE_ROW)
    return (guint) sqlite3_column_int64 (select, 0);

  /* Depths feed metrics only: a failure is logged rather than passed on. */
  g_warning ("%s", error->message);
  return 0;
}

/* Ends a failed receive: back after the backoff when @retry and receives remain, else into
 * the DLQ. FALSE without error when the receipt is stale. */
static gboolean
settle_failure (BiSqliteQueue         *self,
                const BiQueueMessage  *message,
                const char            *reason,
                gboolean               retry,
                gboolean              *dead_lettered,
                GError               **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  gboolean found = FALSE;
  gboolean moved = FALSE;
  gint64 receive_count = 0;
  gboolean ok;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (message != NULL, FALSE);

  locker = g_mutex_locker_new (&self->lock);
  if (!bi_sqlite_database_begin (self->database, error))
    return FALSE;

  ok = lookup_receipt (self, message, &found, &receive_count, error);
  if (ok && found && (!retry || receive_count >= self->policy.max_receive_count))
    {
      ok = move_to_dead_letters (self, message->id, message->receipt, reason, error);
      moved = ok;
    }
  else if (ok && found)
    {
      ok = bi_sqlite_database_execute (
        self->database, "return a failed message to its queue", error,
        "UPDATE queue_messages SET in_flight = 0, visible_at = ?2, last_error = ?3"
        "  WHERE id = ?1",
        "iit", message->id, now_ms (self) + backoff_ms (&self->policy, receive_count), reason);
    }

  if (!bi_sqlite_database_end (self->database, ok, error))
    return FALSE;
  if (dead_lettered != NULL)
    *dead_lettered = moved;
  /* Blocked receivers recompute when the message comes back. */
  g_cond_broadcast (&self->changed);
  return found;
}

/* ---- ports ------------------------------------------------------------------------------ */

static gboolean
queue_port_send (BiQueue     *port,
                 const char  *queue_name,
                 const char  *body,
                 GError     **error)
{
  return bi_sqlite_queue_send ((BiSqliteQueue *) port, queue_name, body, error);
}

static gboolean
topic_port_publish (BiTopic     *port,
                    const char  *message,
                    GError     **error)
{
  BiSqliteQueue *self = (BiSqliteQueue *) ((char *) port
                                           - G_STRUCT_OFFSET (BiSqliteQueue, topic_port));

  return bi_sqlite_queue_send (self, BI_QUEUE_NOTIFICATIONS, message, error);
}

/* ---- public API ------------------------------------------------------------------------- */

void
bi_queue_message_free (BiQueueMessage *message)
{
  if (message == NULL)
    return;

  g_free (message->queue_name);
  g_free (message->body);
  g_free (message);
}

BiSqliteQueue *
bi_sqlite_queue_open (const char           *path,
                      const BiQueuePolicy  *policy,
                      GError              **error)
{
  g_autoptr(BiSqliteQueue) self = NULL;
  BiQueuePolicy chosen = policy != NULL ? *policy : BI_QUEUE_POLICY_DEFAULT;

  g_return_val_if_fail (path != NULL, NULL);

  if (!validate_policy (&chosen, error))
    return NULL;

  self = g_new0 (BiSqliteQueue, 1);
  self->queue_port.send = queue_port_send;
  self->topic_port.publish = topic_port_publish;
  self->policy = chosen;
  g_mutex_init (&self->lock);
  g_cond_init (&self->changed);
  self->clock = bi_wall_clock_ms;

  /* Only send() must survive power loss (an accepted upload, a published result): it commits
   * with FULL. Receives, acknowledgements and retries commit with NORMAL — lost on power loss,
   * they only mean a redelivery, which every consumer tolerates — and the next FULL commit in
   * the same write-ahead log makes them durable anyway. This takes three of the four fsyncs off
   * each message's path. */
  self->database = bi_sqlite_database_open (path, BI_SQLITE_SYNC_NORMAL, schema_sql, error);
  if (self->database == NULL)
    return NULL;
  if (!recover_in_flight (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

void
bi_sqlite_queue_free (BiSqliteQueue *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->database, bi_sqlite_database_free);
  g_cond_clear (&self->changed);
  g_mutex_clear (&self->lock);
  g_free (self);
}

BiQueue *
bi_sqlite_queue_as_queue (BiSqliteQueue *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return &self->queue_port;
}

BiTopic *
bi_sqlite_queue_as_topic (BiSqliteQueue *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return &self->topic_port;
}

gboolean
bi_sqlite_queue_send (BiSqliteQueue  *self,
                      const char     *queue_name,
                      const char     *body,
                      GError        **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  gboolean sent;

  g_return_val_if_fail (self != NULL, FALSE);

  if (!validate_queue_name (queue_name, error) || !validate_body (body, error))
    return FALSE;

  locker = g_mutex_locker_new (&self->lock);
  if (!bi_sqlite_database_set_sync (self->database, BI_SQLITE_SYNC_FULL, error))
    return FALSE;
  sent = bi_sqlite_database_execute (
    self->database, "send a message", error,
    "INSERT INTO queue_messages (queue_name, body, sent_at, visible_at)"
    "  VALUES (?1, ?2, ?3, ?3)",
    "tti", queue_name, body, now_ms (self));
  if (!bi_sqlite_database_set_sync (self->database, BI_SQLITE_SYNC_NORMAL,
                                    sent ? error : NULL) || !sent)
    return FALSE;

  g_cond_broadcast (&self->changed);
  return TRUE;
}

BiQueueMessage *
bi_sqlite_queue_receive (BiSqliteQueue  *self,
                         const char     *queue_name,
                         gint64          wait_ms,
                         GError        **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  gint64 deadline;

  g_return_val_if_fail (self != NULL, NULL);

  if (!validate_queue_name (queue_name, error))
    return NULL;

  deadline = wait_ms < 0 ? G_MAXINT64 : g_get_monotonic_time () + wait_ms * 1000;
  locker = g_mutex_locker_new (&self->lock);
  while (!self->closed)
    {
      g_autoptr(GError) local_error = NULL;
      BiQueueMessage *message;
      gint64 next_visible = G_MAXINT64;
      gint64 now = g_get_monotonic_time ();
      gint64 wake;

      message = try_receive_locked (self, queue_name, &next_visible, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (message != NULL)
        return message;
      if (now >= deadline)
        break;

      wake = MIN (deadline, now + (gint64) POLL_INTERVAL_MS * 1000);
      if (next_visible != G_MAXINT64)
        wake = MIN (wake, now + MAX (0, next_visible - now_ms (self)) * 1000);
      g_cond_wait_until (&self->changed, &self->lock, wake);
    }
  return NULL;
}

gboolean
bi_sqlite_queue_delete (BiSqliteQueue         *self,
                        const BiQueueMessage  *message,
                        GError               **error)
{
  /* A live message is removed; a dead-lettered one is marked as reported. */
  static const char *const acknowledgements[] = {
    "DELETE FROM queue_messages WHERE id = ?1 AND receipt = ?2",
    "UPDATE queue_dead_letters SET reported = 1"
    "  WHERE id = ?1 AND receipt = ?2 AND reported = 0",
  };
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (message != NULL, FALSE);

  locker = g_mutex_locker_new (&self->lock);
  /* fail() and dead_letter() keep the receipt, so try both tables whatever the flag says. */
  for (guint i = 0; i < G_N_ELEMENTS (acknowledgements); i++)
    {
      if (!bi_sqlite_database_execute (self->database, "delete a message", error,
                                       acknowledgements[i], "ii", message->id,
                                       message->receipt))
        return FALSE;
      if (bi_sqlite_database_changes (self->database) > 0)
        return TRUE;
    }
  return FALSE;
}

gboolean
bi_sqlite_queue_fail (BiSqliteQueue         *self,
                      const BiQueueMessage  *message,
                      const char            *reason,
                      gboolean              *dead_lettered,
                      GError               **error)
{
  return settle_failure (self, message, reason, TRUE, dead_lettered, error);
}

gboolean
bi_sqlite_queue_dead_letter (BiSqliteQueue         *self,
                             const BiQueueMessage  *message,
                             const char            *reason,
                             GError               **error)
{
  return settle_failure (self, message, reason, FALSE, NULL, error);
}

guint
bi_sqlite_queue_depth (BiSqliteQueue *self,
                       const char    *queue_name)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (queue_name != NULL, 0);

  return count_rows (self, "SELECT count(*) FROM queue_messages WHERE queue_name = ?1",
                     queue_name);
}

guint
bi_sqlite_queue_dead_letter_depth (BiSqliteQueue *self,
                                   const char    *queue_name)
{
  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (queue_name != NULL, 0);

  return count_rows (self, "SELECT count(*) FROM queue_dead_letters WHERE queue_name = ?1",
                     queue_name);
}

void
bi_sqlite_queue_close (BiSqliteQueue *self)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_if_fail (self != NULL);

  locker = g_mutex_locker_new (&self->lock);
  self->closed = TRUE;
  g_cond_broadcast (&self->changed);
}

void
bi_sqlite_queue_set_clock (BiSqliteQueue *self,
                           BiClockFunc    clock,
                           gpointer       user_data)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_if_fail (self != NULL);

  locker = g_mutex_locker_new (&self->lock);
  self->clock = clock != NULL ? clock : bi_wall_clock_ms;
  self->clock_data = clock != NULL ? user_data : NULL;
  g_cond_broadcast (&self->changed);
}
