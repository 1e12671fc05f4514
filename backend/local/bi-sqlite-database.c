/* bi-sqlite-database.c — one SQLite connection as the embedded stores use it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-sqlite-database"

#include "bi-sqlite-database.h"

/* How long a statement waits for another connection's write lock before failing. Long enough
 * for any commit of ours (a few fsyncs), short enough that a stuck process is reported. */
#define BUSY_TIMEOUT_MS 10000

struct _BiSqliteDatabase
{
  sqlite3    *db;
  char       *path;       /* for error messages */
  GHashTable *statements; /* SQL text → sqlite3_stmt *, prepared once */
};

G_DEFINE_QUARK (bi-sqlite-error-quark, bi_sqlite_error)

static BiSqliteError
error_code_from_sqlite (int rc)
{
  switch (rc & 0xff)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return BI_SQLITE_ERROR_BUSY;
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_READONLY:
    case SQLITE_AUTH:
    case SQLITE_IOERR:
      return BI_SQLITE_ERROR_ACCESS;
    case SQLITE_FULL:
      return BI_SQLITE_ERROR_FULL;
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return BI_SQLITE_ERROR_CORRUPT;
    default:
      return BI_SQLITE_ERROR_FAILED;
    }
}

static const char *
advice_for (BiSqliteError code)
{
  switch (code)
    {
    case BI_SQLITE_ERROR_BUSY:
      return "Another process holds the database; stop it or use another data directory.";
    case BI_SQLITE_ERROR_ACCESS:
      return "Check that the data directory exists, is writable and is on a local disk.";
    case BI_SQLITE_ERROR_FULL:
      return "The disk is full; free some space and try again.";
    case BI_SQLITE_ERROR_CORRUPT:
      return "The file is damaged or is not a BookImg database; move it away to start afresh.";
    case BI_SQLITE_ERROR_FAILED:
    default:
      return "This is a bug in BookImg if it happens again; please report it.";
    }
}

static void
set_error_from_handle (sqlite3     *db,
                       const char  *path,
                       int          rc,
                       const char  *doing,
                       GError     **error)
{
  BiSqliteError code = error_code_from_sqlite (rc);
  /* The connection's message is more precise than the code's when it is about this code. */
  const char *detail = db != NULL && sqlite3_errcode (db) == rc ? sqlite3_errmsg (db)
                                                                : sqlite3_errstr (rc);

  g_set_error (error, BI_SQLITE_ERROR, code, "Could not %s in the database “%s”: %s. %s",
               doing, path, detail, advice_for (code));
}

void
bi_sqlite_database_set_error (BiSqliteDatabase  *self,
                              int                rc,
                              const char        *doing,
                              GError           **error)
{
  g_return_if_fail (self != NULL);

  set_error_from_handle (self->db, self->path, rc, doing, error);
}

static void
finalize_statement (gpointer statement)
{
  /* Its return code repeats the statement's last error, which was reported then. */
  sqlite3_finalize (statement);
}

static gboolean
exec (BiSqliteDatabase  *self,
      const char        *sql,
      const char        *doing,
      GError           **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      bi_sqlite_database_set_error (self, rc, doing, error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
enable_wal (BiSqliteDatabase  *self,
            GError           **error)
{
  g_autoptr(BiSqliteStatement) statement = NULL;
  const char *mode;

  statement = bi_sqlite_database_prepare (self, error, "PRAGMA journal_mode=WAL", "");
  if (statement == NULL)
    return FALSE;
  if (bi_sqlite_database_step (self, statement, "enable write-ahead logging", error) != SQLITE_ROW)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, BI_SQLITE_ERROR, BI_SQLITE_ERROR_FAILED,
                     "SQLite did not report the journal mode of “%s”.", self->path);
      return FALSE;
    }

  /* Without WAL, readers block writers and a commit is not one append: refuse to run. */
  mode = (const char *) sqlite3_column_text (statement, 0);
  if (g_strcmp0 (mode, "wal") != 0)
    {
      g_set_error (error, BI_SQLITE_ERROR, BI_SQLITE_ERROR_ACCESS,
                   "The database “%s” cannot use write-ahead logging (journal mode is “%s”); "
                   "put the data directory on a local disk.", self->path,
                   mode != NULL ? mode : "unknown");
      return FALSE;
    }
  return TRUE;
}

BiSqliteDatabase *
bi_sqlite_database_open (const char    *path,
                         BiSqliteSync   sync,
                         const char    *schema_sql,
                         GError       **error)
{
  g_autoptr(BiSqliteDatabase) self = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (schema_sql != NULL, NULL);

  self = g_new0 (BiSqliteDatabase, 1);
  self->path = g_strdup (path);
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            finalize_statement);

  /* NOMUTEX: each store serialises the use of its connection with its own mutex. */
  rc = sqlite3_open_v2 (path, &self->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL);
  if (rc != SQLITE_OK)
    {
      set_error_from_handle (self->db, path, rc, "open the file", error);
      return NULL;
    }

  rc = sqlite3_busy_timeout (self->db, BUSY_TIMEOUT_MS);
  if (rc != SQLITE_OK)
    {
      bi_sqlite_database_set_error (self, rc, "set the busy timeout", error);
      return NULL;
    }

  if (!enable_wal (self, error))
    return NULL;
  if (!bi_sqlite_database_set_sync (self, sync, error))
    return NULL;
  if (!exec (self, schema_sql, "create the tables", error))
    return NULL;

  return g_steal_pointer (&self);
}

gboolean
bi_sqlite_database_set_sync (BiSqliteDatabase  *self,
                             BiSqliteSync       sync,
                             GError           **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return exec (self, sync == BI_SQLITE_SYNC_FULL ? "PRAGMA synchronous=FULL"
                                                 : "PRAGMA synchronous=NORMAL",
               "set the synchronous mode", error);
}

void
bi_sqlite_database_free (BiSqliteDatabase *self)
{
  int rc;

  if (self == NULL)
    return;

  /* Statements first: sqlite3_close() refuses to close a connection with live statements. */
  g_clear_pointer (&self->statements, g_hash_table_unref);
  rc = sqlite3_close (self->db);
  if (rc != SQLITE_OK)
    g_warning ("Could not close the database “%s”: %s", self->path, sqlite3_errstr (rc));
  g_free (self->path);
  g_free (self);
}

static BiSqliteStatement *
prepare_valist (BiSqliteDatabase  *self,
                GError           **error,
                const char        *sql,
                const char        *types,
                va_list            args)
{
  sqlite3_stmt *statement;
  int rc;

  statement = g_hash_table_lookup (self->statements, sql);
  if (statement != NULL)
    {
      /* In case a caller kept it without g_autoptr: never hand out a running statement. */
      bi_sqlite_statement_release (statement);
    }
  else
    {
      rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &statement, NULL);
      if (rc != SQLITE_OK)
        {
          bi_sqlite_database_set_error (self, rc, "prepare a statement", error);
          return NULL;
        }
      g_hash_table_insert (self->statements, g_strdup (sql), statement);
    }

  for (int i = 0; types[i] != '\0'; i++)
    {
      if (types[i] == 't')
        rc = sqlite3_bind_text (statement, i + 1, va_arg (args, const char *), -1,
                                SQLITE_TRANSIENT);
      else if (types[i] == 'i')
        rc = sqlite3_bind_int64 (statement, i + 1, va_arg (args, gint64));
      else
        g_assert_not_reached ();

      if (rc != SQLITE_OK)
        {
          bi_sqlite_database_set_error (self, rc, "bind a statement's parameters", error);
          bi_sqlite_statement_release (statement);
          return NULL;
        }
    }
  return statement;
}

BiSqliteStatement *
bi_sqlite_database_prepare (BiSqliteDatabase  *self,
                            GError           **error,
                            const char        *sql,
                            const char        *types,
                            ...)
{
  BiSqliteStatement *statement;
  va_list args;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (sql != NULL, NULL);
  g_return_val_if_fail (types != NULL, NULL);

  va_start (args, types);
  statement = prepare_valist (self, error, sql, types, args);
  va_end (args);
  return statement;
}

gboolean
bi_sqlite_database_execute (BiSqliteDatabase  *self,
                            const char        *doing,
                            GError           **error,
                            const char        *sql,
                            const char        *types,
                            ...)
{
  g_autoptr(BiSqliteStatement) statement = NULL;
  va_list args;
  int rc;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (sql != NULL, FALSE);
  g_return_val_if_fail (types != NULL, FALSE);

  va_start (args, types);
  statement = prepare_valist (self, error, sql, types, args);
  va_end (args);
  if (statement == NULL)
    return FALSE;

  while ((rc = bi_sqlite_database_step (self, statement, doing, error)) == SQLITE_ROW)
    ;
  return rc == SQLITE_DONE;
}

void
bi_sqlite_statement_release (BiSqliteStatement *statement)
{
  /* The return codes repeat the last step's error, which was already reported. */
  sqlite3_reset (statement);
  sqlite3_clear_bindings (statement);
}

int
bi_sqlite_database_step (BiSqliteDatabase  *self,
                         BiSqliteStatement *statement,
                         const char        *doing,
                         GError           **error)
{
  int rc;

  g_return_val_if_fail (self != NULL, 0);
  g_return_val_if_fail (statement != NULL, 0);

  rc = sqlite3_step (statement);
  if (rc == SQLITE_ROW || rc == SQLITE_DONE)
    return rc;

  bi_sqlite_database_set_error (self, rc, doing, error);
  return 0;
}

gint64
bi_sqlite_database_changes (BiSqliteDatabase *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return sqlite3_changes64 (self->db);
}

gboolean
bi_sqlite_database_begin (BiSqliteDatabase  *self,
                          GError           **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return exec (self, "BEGIN IMMEDIATE", "begin a transaction", error);
}

gboolean
bi_sqlite_database_end (BiSqliteDatabase  *self,
                        gboolean           succeeded,
                        GError           **error)
{
  g_autoptr(GError) rollback_error = NULL;

  g_return_val_if_fail (self != NULL, FALSE);

  if (succeeded && exec (self, "COMMIT", "commit a transaction", error))
    return TRUE;

  /* A failed COMMIT may leave the transaction open; rolling back ends it either way. */
  if (sqlite3_get_autocommit (self->db) == 0
      && !exec (self, "ROLLBACK", "roll back a transaction", &rollback_error))
    g_warning ("%s", rollback_error->message);
  return FALSE;
}

gint64
bi_wall_clock_ms (gpointer user_data)
{
  return g_get_real_time () / 1000;
}
