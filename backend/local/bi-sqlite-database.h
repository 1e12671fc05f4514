/* bi-sqlite-database.h — one SQLite connection as the embedded stores use it
 *
 * Opens the file in WAL mode with a busy timeout, creates the caller's tables, caches prepared
 * statements and turns every SQLite return code into a GError. Several stores may open the same
 * file, each with its own connection and its own tables. A connection is not thread-safe: each
 * store guards its own with a mutex.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

#define BI_SQLITE_ERROR (bi_sqlite_error_quark ())

typedef enum
{
  BI_SQLITE_ERROR_FAILED,  /* any other SQLite failure */
  BI_SQLITE_ERROR_BUSY,    /* another connection held the database past the busy timeout */
  BI_SQLITE_ERROR_ACCESS,  /* cannot open, read or write the file */
  BI_SQLITE_ERROR_FULL,    /* the disk is full */
  BI_SQLITE_ERROR_CORRUPT, /* the file is damaged or is not a database */
} BiSqliteError;

GQuark bi_sqlite_error_quark (void);

typedef enum
{
  /* fsync every commit: a committed row survives SIGKILL and power loss (queues, jobs) */
  BI_SQLITE_SYNC_FULL,
  /* survive SIGKILL, may lose the last commits on power loss (data clients make again) */
  BI_SQLITE_SYNC_NORMAL,
} BiSqliteSync;

typedef struct _BiSqliteDatabase BiSqliteDatabase;

/* Opens (creating) @path and runs @schema_sql (CREATE … IF NOT EXISTS statements). */
BiSqliteDatabase *bi_sqlite_database_open      (const char        *path,
                                                BiSqliteSync       sync,
                                                const char        *schema_sql,
                                                GError           **error);
void              bi_sqlite_database_free      (BiSqliteDatabase  *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiSqliteDatabase, bi_sqlite_database_free)

/* The cached prepared statement for @sql, reset, with its parameters ?1, ?2 … bound from the
 * arguments as @types says, one letter each: 't' const char * (NULL binds NULL), 'i' gint64
 * (cast literals: a plain int in varargs is not a gint64). Hold it in a
 * g_autoptr(BiSqliteStatement) so that it is reset when the scope ends: a statement left
 * running keeps its transaction open and would delay the commit of later writes. */
typedef sqlite3_stmt BiSqliteStatement;
BiSqliteStatement *bi_sqlite_database_prepare   (BiSqliteDatabase  *self,
                                                 GError           **error,
                                                 const char        *sql,
                                                 const char        *types,
                                                 ...);
void               bi_sqlite_statement_release  (BiSqliteStatement *statement);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiSqliteStatement, bi_sqlite_statement_release)

/* Prepares, binds (as above) and runs @sql to its end: an INSERT, UPDATE or DELETE. */
gboolean bi_sqlite_database_execute     (BiSqliteDatabase  *self,
                                         const char        *doing,
                                         GError           **error,
                                         const char        *sql,
                                         const char        *types,
                                         ...);

/* Steps @statement: SQLITE_ROW or SQLITE_DONE, or 0 with @error set. */
int      bi_sqlite_database_step        (BiSqliteDatabase  *self,
                                         BiSqliteStatement *statement,
                                         const char        *doing,
                                         GError           **error);
/* Rows changed by the last INSERT, UPDATE or DELETE. */
gint64   bi_sqlite_database_changes     (BiSqliteDatabase  *self);

/* Changes the synchronous mode of later commits on this connection. In WAL mode every
 * connection appends to the same log in order, so a FULL commit also makes every earlier
 * NORMAL commit of the file durable: the queue fsyncs only what must survive power loss. */
gboolean bi_sqlite_database_set_sync    (BiSqliteDatabase  *self,
                                         BiSqliteSync       sync,
                                         GError           **error);

/* BEGIN IMMEDIATE: take the write lock up front, so that a transaction that reads then
 * writes never fails to upgrade its lock (SQLite does not retry that on a busy timeout). */
gboolean bi_sqlite_database_begin       (BiSqliteDatabase  *self,
                                         GError           **error);
/* Commits when @succeeded, else rolls back. Returns @succeeded && the commit worked. */
gboolean bi_sqlite_database_end         (BiSqliteDatabase  *self,
                                         gboolean           succeeded,
                                         GError           **error);

/* Sets @error from the SQLite code @rc, saying what was being done and what to do. */
void     bi_sqlite_database_set_error   (BiSqliteDatabase  *self,
                                         int                rc,
                                         const char        *doing,
                                         GError           **error);

/* The default clock of the stores: wall-clock milliseconds. Not a monotonic clock, because
 * visibility and expiry times are stored in the file and must stay meaningful after a
 * reboot. Has the signature of BiClockFunc. */
gint64   bi_wall_clock_ms               (gpointer           user_data);

G_END_DECLS
