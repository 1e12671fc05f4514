/* bi-response-cache.c — the online catalogs' answers in an SQLite table
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-response-cache"

#include "bi-response-cache.h"

#include <sqlite3.h>

struct _BiResponseCache
{
  GMutex         lock;        /* one thread at a time uses the connection and statements */
  sqlite3       *db;
  sqlite3_stmt  *lookup;
  sqlite3_stmt  *store;
  const BiClock *clock;
  gint64         ttl_seconds;
};

static const char schema_sql[] =
  "PRAGMA journal_mode = WAL;"
  "CREATE TABLE IF NOT EXISTS provider_responses ("
  "  provider TEXT NOT NULL,"
  "  request TEXT NOT NULL,"
  "  body TEXT NOT NULL,"
  "  stored_at INTEGER NOT NULL," /* seconds since the epoch */
  "  PRIMARY KEY (provider, request));";

static const char lookup_sql[] =
  "SELECT body FROM provider_responses WHERE provider = ?1 AND request = ?2 AND stored_at > ?3";

static const char store_sql[] =
  "INSERT OR REPLACE INTO provider_responses (provider, request, body, stored_at)"
  " VALUES (?1, ?2, ?3, ?4)";

static gint64
now_seconds (BiResponseCache *self)
{
  return self->clock->wall_us (self->clock) / G_USEC_PER_SEC;
}

static gboolean
prune_expired (BiResponseCache *self)
{
  sqlite3_stmt *statement = NULL;
  int rc;

  if (sqlite3_prepare_v2 (self->db, "DELETE FROM provider_responses WHERE stored_at <= ?1", -1,
                          &statement, NULL) != SQLITE_OK)
    return FALSE;
  sqlite3_bind_int64 (statement, 1, now_seconds (self) - self->ttl_seconds);
  rc = sqlite3_step (statement);
  sqlite3_finalize (statement);
  return rc == SQLITE_DONE;
}

BiResponseCache *
bi_response_cache_open (const char     *path,
                        gint64          ttl_seconds,
                        const BiClock  *clock,
                        GError        **error)
{
  BiResponseCache *self;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (ttl_seconds > 0, NULL);

  self = g_new0 (BiResponseCache, 1);
  g_mutex_init (&self->lock);
  self->clock = clock != NULL ? clock : bi_clock_get_system ();
  self->ttl_seconds = ttl_seconds;

  if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL)
        != SQLITE_OK
      || sqlite3_busy_timeout (self->db, 5000) != SQLITE_OK
      || sqlite3_exec (self->db, schema_sql, NULL, NULL, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (self->db, lookup_sql, -1, &self->lookup, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (self->db, store_sql, -1, &self->store, NULL) != SQLITE_OK
      || !prune_expired (self))
    {
      g_set_error (error, BI_PROVIDER_ERROR, BI_PROVIDER_ERROR_CACHE,
                   "Could not open the online catalogs' cache %s: %s. Check that the data dir "
                   "is writable, or delete the file to start a new cache.",
                   path, self->db != NULL ? sqlite3_errmsg (self->db) : "out of memory");
      bi_response_cache_free (self);
      return NULL;
    }
  return self;
}

void
bi_response_cache_free (BiResponseCache *self)
{
  if (self == NULL)
    return;

  sqlite3_finalize (self->lookup);
  sqlite3_finalize (self->store);
  sqlite3_close (self->db);
  g_mutex_clear (&self->lock);
  g_free (self);
}

char *
bi_response_cache_lookup (BiResponseCache *self,
                          const char      *provider,
                          const char      *request)
{
  g_autoptr(GMutexLocker) locker = NULL;
  char *body = NULL;
  int rc;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (provider != NULL && request != NULL, NULL);

  locker = g_mutex_locker_new (&self->lock);
  sqlite3_reset (self->lookup);
  sqlite3_bind_text (self->lookup, 1, provider, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (self->lookup, 2, request, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (self->lookup, 3, now_seconds (self) - self->ttl_seconds);
  rc = sqlite3_step (self->lookup);
  if (rc == SQLITE_ROW)
    body = g_strdup ((const char *) sqlite3_column_text (self->lookup, 0));
  else if (rc != SQLITE_DONE)
    g_warning ("Could not read the online catalogs' cache (asking %s instead): %s", provider,
               sqlite3_errmsg (self->db));
  sqlite3_reset (self->lookup);
  return body;
}

void
bi_response_cache_store (BiResponseCache *self,
                         const char      *provider,
                         const char      *request,
                         const char      *body)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_if_fail (self != NULL);
  g_return_if_fail (provider != NULL && request != NULL && body != NULL);

  locker = g_mutex_locker_new (&self->lock);
  sqlite3_reset (self->store);
  sqlite3_bind_text (self->store, 1, provider, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (self->store, 2, request, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (self->store, 3, body, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (self->store, 4, now_seconds (self));
  if (sqlite3_step (self->store) != SQLITE_DONE)
    g_warning ("Could not store an answer of %s in the online catalogs' cache: %s", provider,
               sqlite3_errmsg (self->db));
  sqlite3_reset (self->store);
}
