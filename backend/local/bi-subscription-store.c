/* bi-subscription-store.c — (jobId, connectionId) rows with a TTL, as the DynamoDB table in AWS
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-subscription-store"

#include "bi-subscription-store.h"
#include "bi-job-id.h"
#include "bi-sqlite-database.h"

#include <string.h>

/* API Gateway's connection ids are about 16 characters; ours are shorter still. */
#define MAX_CONNECTION_ID_LENGTH 128

struct _BiSubscriptionStore
{
  BiSqliteDatabase *database;
  GMutex            lock;        /* guards the connection and the clock */
  gint64            ttl_ms;
  BiClockFunc       clock;
  gpointer          clock_data;
};

G_DEFINE_QUARK (bi-subscription-store-error-quark, bi_subscription_store_error)

static const char schema_sql[] =
  "CREATE TABLE IF NOT EXISTS subscriptions ("
  "  job_id        TEXT    NOT NULL,"
  "  connection_id TEXT    NOT NULL,"
  "  expires_at    INTEGER NOT NULL," /* ms of the store's clock */
  "  PRIMARY KEY (job_id, connection_id)) WITHOUT ROWID;"
  "CREATE INDEX IF NOT EXISTS subscriptions_by_connection ON subscriptions (connection_id);"
  "CREATE INDEX IF NOT EXISTS subscriptions_by_expiry ON subscriptions (expires_at);";

/* ---- helpers ---------------------------------------------------------------------------- */

static gboolean
validate_connection_id (const char  *connection_id,
                        GError     **error)
{
  gsize length = connection_id != NULL ? strlen (connection_id) : 0;

  if (length == 0 || length > MAX_CONNECTION_ID_LENGTH)
    {
      g_set_error (error, BI_SUBSCRIPTION_STORE_ERROR,
                   BI_SUBSCRIPTION_STORE_ERROR_BAD_CONNECTION_ID,
                   "A connection id must have 1 to %d characters, not %zu.",
                   MAX_CONNECTION_ID_LENGTH, length);
      return FALSE;
    }
  for (const char *p = connection_id; *p != '\0'; p++)
    {
      if ((guchar) *p <= ' ' || (guchar) *p > '~')
        {
          g_set_error_literal (error, BI_SUBSCRIPTION_STORE_ERROR,
                               BI_SUBSCRIPTION_STORE_ERROR_BAD_CONNECTION_ID,
                               "A connection id may only contain printable ASCII characters "
                               "without spaces.");
          return FALSE;
        }
    }
  return TRUE;
}

static gint64
now_ms (BiSubscriptionStore *self)
{
  return self->clock (self->clock_data);
}

/* ---- public API ------------------------------------------------------------------------- */

BiSubscriptionStore *
bi_subscription_store_open (const char  *path,
                            gint64       ttl_ms,
                            GError     **error)
{
  g_autoptr(BiSubscriptionStore) self = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (ttl_ms > 0, NULL);

  self = g_new0 (BiSubscriptionStore, 1);
  g_mutex_init (&self->lock);
  self->ttl_ms = ttl_ms;
  self->clock = bi_wall_clock_ms;
  /* Normal sync: losing the last subscriptions to a power cut is harmless (clients subscribe
   * again when they reconnect), and it spares an fsync per subscribe. */
  self->database = bi_sqlite_database_open (path, BI_SQLITE_SYNC_NORMAL, schema_sql, error);
  if (self->database == NULL)
    return NULL;
  return g_steal_pointer (&self);
}

void
bi_subscription_store_free (BiSubscriptionStore *self)
{
  if (self == NULL)
    return;

  g_clear_pointer (&self->database, bi_sqlite_database_free);
  g_mutex_clear (&self->lock);
  g_free (self);
}

gboolean
bi_subscription_store_put (BiSubscriptionStore  *self,
                           const char           *job_id,
                           const char           *connection_id,
                           GError              **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (self != NULL, FALSE);

  if (!bi_job_id_validate (job_id, error) || !validate_connection_id (connection_id, error))
    return FALSE;

  locker = g_mutex_locker_new (&self->lock);
  return bi_sqlite_database_execute (
    self->database, "store a subscription", error,
    "INSERT INTO subscriptions (job_id, connection_id, expires_at) VALUES (?1, ?2, ?3)"
    "  ON CONFLICT (job_id, connection_id) DO UPDATE SET expires_at = excluded.expires_at",
    "tti", job_id, connection_id, now_ms (self) + self->ttl_ms);
}

GPtrArray *
bi_subscription_store_list_by_job (BiSubscriptionStore  *self,
                                   const char           *job_id,
                                   GError              **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(BiSqliteStatement) select = NULL;
  g_autoptr(GPtrArray) connection_ids = NULL;
  int rc;

  g_return_val_if_fail (self != NULL, NULL);

  if (!bi_job_id_validate (job_id, error))
    return NULL;

  locker = g_mutex_locker_new (&self->lock);
  select = bi_sqlite_database_prepare (
    self->database, error,
    "SELECT connection_id FROM subscriptions WHERE job_id = ?1 AND expires_at > ?2"
    "  ORDER BY connection_id",
    "ti", job_id, now_ms (self));
  if (select == NULL)
    return NULL;

  connection_ids = g_ptr_array_new_with_free_func (g_free);
  while ((rc = bi_sqlite_database_step (self->database, select, "list subscriptions", error))
         == SQLITE_ROW)
    g_ptr_array_add (connection_ids, g_strdup ((const char *) sqlite3_column_text (select, 0)));
  if (rc != SQLITE_DONE)
    return NULL;
  return g_steal_pointer (&connection_ids);
}

gboolean
bi_subscription_store_delete (BiSubscriptionStore  *self,
                              const char           *job_id,
                              const char           *connection_id,
                              GError              **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (self != NULL, FALSE);

  if (!bi_job_id_validate (job_id, error) || !validate_connection_id (connection_id, error))
    return FALSE;

  locker = g_mutex_locker_new (&self->lock);
  return bi_sqlite_database_execute (
    self->database, "delete a subscription", error,
    "DELETE FROM subscriptions WHERE job_id = ?1 AND connection_id = ?2",
    "tt", job_id, connection_id);
}

gboolean
bi_subscription_store_delete_by_connection (BiSubscriptionStore  *self,
                                            const char           *connection_id,
                                            GError              **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (self != NULL, FALSE);

  if (!validate_connection_id (connection_id, error))
    return FALSE;

  locker = g_mutex_locker_new (&self->lock);
  return bi_sqlite_database_execute (
    self->database, "delete the subscriptions of a connection", error,
    "DELETE FROM subscriptions WHERE connection_id = ?1", "t", connection_id);
}

guint
bi_subscription_store_sweep (BiSubscriptionStore *self)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (self != NULL, 0);

  locker = g_mutex_locker_new (&self->lock);
  if (!bi_sqlite_database_execute (self->database, "delete expired subscriptions", &error,
                                   "DELETE FROM subscriptions WHERE expires_at <= ?1", "i",
                                   now_ms (self)))
    {
      /* A sweep is housekeeping: reads ignore expired rows anyway, the next sweep retries. */
      g_warning ("%s", error->message);
      return 0;
    }
  return (guint) bi_sqlite_database_changes (self->database);
}

guint
bi_subscription_store_count (BiSubscriptionStore *self)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autoptr(BiSqliteStatement) select = NULL;
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (self != NULL, 0);

  locker = g_mutex_locker_new (&self->lock);
  select = bi_sqlite_database_prepare (
    self->database, &error, "SELECT count(*) FROM subscriptions WHERE expires_at > ?1", "i",
    now_ms (self));
  if (select != NULL
      && bi_sqlite_database_step (self->database, select, "count subscriptions", &error)
         == SQLITE_ROW)
    return (guint) sqlite3_column_int64 (select, 0);

  /* The count feeds metrics only: a failure is logged rather than passed on. */
  g_warning ("%s", error->message);
  return 0;
}

void
bi_subscription_store_set_clock (BiSubscriptionStore *self,
                                 BiClockFunc          clock,
                                 gpointer             user_data)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_if_fail (self != NULL);

  locker = g_mutex_locker_new (&self->lock);
  self->clock = clock != NULL ? clock : bi_wall_clock_ms;
  self->clock_data = clock != NULL ? user_data : NULL;
}
