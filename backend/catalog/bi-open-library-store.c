/* bi-open-library-store.c — Open Library dump records staged in the catalog database
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-open-library-store"

#include "bi-open-library-store.h"
#include "bi-catalog-error.h"

/* WITHOUT ROWID: the tables are looked up by key only, and the key is the row. */
const char bi_open_library_store_schema_sql[] =
  "CREATE TABLE IF NOT EXISTS ol_authors ("
  "  key TEXT PRIMARY KEY, name TEXT NOT NULL, file TEXT) WITHOUT ROWID;"
  "CREATE TABLE IF NOT EXISTS ol_works ("
  "  key TEXT PRIMARY KEY, title TEXT NOT NULL, year INTEGER, file TEXT) WITHOUT ROWID;"
  "CREATE TABLE IF NOT EXISTS ol_work_authors ("
  "  work_key TEXT NOT NULL, position INTEGER NOT NULL, author_key TEXT NOT NULL, file TEXT,"
  "  PRIMARY KEY (work_key, position)) WITHOUT ROWID;"
  "CREATE TABLE IF NOT EXISTS ol_work_isbns ("
  "  work_key TEXT PRIMARY KEY, isbn13 TEXT NOT NULL, file TEXT) WITHOUT ROWID;";

const char bi_open_library_store_drop_sql[] =
  "DROP TABLE IF EXISTS ol_authors;"
  "DROP TABLE IF EXISTS ol_works;"
  "DROP TABLE IF EXISTS ol_work_authors;"
  "DROP TABLE IF EXISTS ol_work_isbns;";

/* A work read again (a newer dump) replaces its row and its author list. */
static const char add_author_sql[] =
  "INSERT OR REPLACE INTO ol_authors (key, name, file) VALUES (?1, ?2, ?3)";
static const char add_work_sql[] =
  "INSERT OR REPLACE INTO ol_works (key, title, year, file) VALUES (?1, ?2, ?3, ?4)";
static const char clear_work_authors_sql[] =
  "DELETE FROM ol_work_authors WHERE work_key = ?1";
static const char add_work_author_sql[] =
  "INSERT OR REPLACE INTO ol_work_authors (work_key, position, author_key, file)"
  " VALUES (?1, ?2, ?3, ?4)";
/* A work has many editions: the first with a valid ISBN gives it its ISBN. */
static const char add_isbn_sql[] =
  "INSERT OR IGNORE INTO ol_work_isbns (work_key, isbn13, file) VALUES (?1, ?2, ?3)";

static const char forget_file_sql[] =
  "DELETE FROM ol_authors WHERE file = ?1;"
  "DELETE FROM ol_works WHERE file = ?1;"
  "DELETE FROM ol_work_authors WHERE file = ?1;"
  "DELETE FROM ol_work_isbns WHERE file = ?1;";

/* One pass over the staged works, each joined by primary key to its ISBN and (in position
 * order) its authors' names: SQLite streams it row by row into the upsert, so memory does
 * not grow with the number of works. The upsert's WHERE skips rows that did not change,
 * which keeps the FTS index from being rewritten when, say, only an editions file came. */
static const char resolve_sql[] =
  "INSERT INTO books (source_id, file, title, original_title, authors, year, isbn13,"
  "                   search_title, search_authors)"
  " SELECT 'openlibrary:' || key, file, title, NULL, authors, year, isbn13,"
  "        bi_search_text (title), bi_search_text (authors)"
  " FROM (SELECT w.key, w.file, w.title, w.year, i.isbn13,"
  "         coalesce ((SELECT group_concat (name, char (10)) FROM"
  "                      (SELECT a.name FROM ol_work_authors wa"
  "                         JOIN ol_authors a ON a.key = wa.author_key"
  "                        WHERE wa.work_key = w.key ORDER BY wa.position)), '') AS authors"
  "       FROM ol_works w LEFT JOIN ol_work_isbns i ON i.work_key = w.key)"
  " WHERE true"
  " ON CONFLICT (source_id) DO UPDATE SET file = excluded.file, title = excluded.title,"
  "   authors = excluded.authors, year = excluded.year, isbn13 = excluded.isbn13,"
  "   search_title = excluded.search_title, search_authors = excluded.search_authors"
  " WHERE books.title IS NOT excluded.title OR books.authors IS NOT excluded.authors"
  "    OR books.year IS NOT excluded.year OR books.isbn13 IS NOT excluded.isbn13"
  "    OR books.file IS NOT excluded.file";

struct _BiOpenLibraryStore
{
  sqlite3      *db;                /* not owned */
  sqlite3_stmt *add_author;
  sqlite3_stmt *add_work;
  sqlite3_stmt *clear_work_authors;
  sqlite3_stmt *add_work_author;
  sqlite3_stmt *add_isbn;
};

static gboolean
set_database_error (sqlite3     *db,
                    GError     **error,
                    const char  *doing)
{
  g_set_error (error, BI_CATALOG_ERROR, BI_CATALOG_ERROR_DATABASE,
               "The catalog database failed while %s: %s.", doing, sqlite3_errmsg (db));
  return FALSE;
}

/* Runs @statement once with its bound values and resets it for the next use. */
static gboolean
step_done (BiOpenLibraryStore  *self,
           sqlite3_stmt        *statement,
           const char          *doing,
           GError             **error)
{
  int rc = sqlite3_step (statement);

  sqlite3_reset (statement);
  sqlite3_clear_bindings (statement);
  if (rc != SQLITE_DONE)
    return set_database_error (self->db, error, doing);
  return TRUE;
}

BiOpenLibraryStore *
bi_open_library_store_new (sqlite3  *db,
                           GError  **error)
{
  g_autoptr(BiOpenLibraryStore) self = g_new0 (BiOpenLibraryStore, 1);
  const struct { const char *sql; sqlite3_stmt **statement; } statements[] = {
    { add_author_sql, &self->add_author },
    { add_work_sql, &self->add_work },
    { clear_work_authors_sql, &self->clear_work_authors },
    { add_work_author_sql, &self->add_work_author },
    { add_isbn_sql, &self->add_isbn },
  };

  g_return_val_if_fail (db != NULL, NULL);

  self->db = db;
  for (guint i = 0; i < G_N_ELEMENTS (statements); i++)
    if (sqlite3_prepare_v2 (db, statements[i].sql, -1, statements[i].statement, NULL)
        != SQLITE_OK)
      {
        set_database_error (db, error, "preparing to stage Open Library records");
        return NULL;
      }
  return g_steal_pointer (&self);
}

void
bi_open_library_store_free (BiOpenLibraryStore *self)
{
  if (self == NULL)
    return;

  sqlite3_finalize (self->add_author);
  sqlite3_finalize (self->add_work);
  sqlite3_finalize (self->clear_work_authors);
  sqlite3_finalize (self->add_work_author);
  sqlite3_finalize (self->add_isbn);
  g_free (self);
}

static gboolean
add_work (BiOpenLibraryStore         *self,
          const BiOpenLibraryRecord  *record,
          const char                 *file_key,
          GError                    **error)
{
  sqlite3_bind_text (self->add_work, 1, record->key, -1, SQLITE_STATIC);
  sqlite3_bind_text (self->add_work, 2, record->title, -1, SQLITE_STATIC);
  if (record->year != 0)
    sqlite3_bind_int (self->add_work, 3, record->year);
  sqlite3_bind_text (self->add_work, 4, file_key, -1, SQLITE_STATIC);
  if (!step_done (self, self->add_work, "staging a work", error))
    return FALSE;

  sqlite3_bind_text (self->clear_work_authors, 1, record->key, -1, SQLITE_STATIC);
  if (!step_done (self, self->clear_work_authors, "staging a work's authors", error))
    return FALSE;

  for (guint i = 0; record->author_keys[i] != NULL; i++)
    {
      sqlite3_bind_text (self->add_work_author, 1, record->key, -1, SQLITE_STATIC);
      sqlite3_bind_int (self->add_work_author, 2, (int) i);
      sqlite3_bind_text (self->add_work_author, 3, record->author_keys[i], -1, SQLITE_STATIC);
      sqlite3_bind_text (self->add_work_author, 4, file_key, -1, SQLITE_STATIC);
      if (!step_done (self, self->add_work_author, "staging a work's authors", error))
        return FALSE;
    }
  return TRUE;
}

gboolean
bi_open_library_store_add (BiOpenLibraryStore         *self,
                           const BiOpenLibraryRecord  *record,
                           const char                 *file_key,
                           GError                    **error)
{
  g_return_val_if_fail (self != NULL && record != NULL, FALSE);

  switch (record->type)
    {
    case BI_OPEN_LIBRARY_AUTHOR:
      sqlite3_bind_text (self->add_author, 1, record->key, -1, SQLITE_STATIC);
      sqlite3_bind_text (self->add_author, 2, record->name, -1, SQLITE_STATIC);
      sqlite3_bind_text (self->add_author, 3, file_key, -1, SQLITE_STATIC);
      return step_done (self, self->add_author, "staging an author", error);
    case BI_OPEN_LIBRARY_WORK:
      return add_work (self, record, file_key, error);
    case BI_OPEN_LIBRARY_EDITION:
    default:
      sqlite3_bind_text (self->add_isbn, 1, record->work_key, -1, SQLITE_STATIC);
      sqlite3_bind_text (self->add_isbn, 2, record->isbn13, -1, SQLITE_STATIC);
      sqlite3_bind_text (self->add_isbn, 3, file_key, -1, SQLITE_STATIC);
      return step_done (self, self->add_isbn, "staging an edition's ISBN", error);
    }
}

gboolean
bi_open_library_store_forget_file (BiOpenLibraryStore  *self,
                                   const char          *file_key,
                                   GError             **error)
{
  const char *sql = forget_file_sql;

  g_return_val_if_fail (self != NULL && file_key != NULL, FALSE);

  while (*sql != '\0')
    {
      sqlite3_stmt *statement = NULL;
      const char *rest = NULL;
      int rc = sqlite3_prepare_v2 (self->db, sql, -1, &statement, &rest);

      if (rc == SQLITE_OK && statement != NULL)
        {
          sqlite3_bind_text (statement, 1, file_key, -1, SQLITE_STATIC);
          rc = sqlite3_step (statement) == SQLITE_DONE ? SQLITE_OK : SQLITE_ERROR;
        }
      sqlite3_finalize (statement);
      if (rc != SQLITE_OK)
        return set_database_error (self->db, error,
                                   "removing what an earlier import of the dump staged");
      sql = rest;
    }
  return TRUE;
}

gboolean
bi_open_library_store_resolve (BiOpenLibraryStore  *self,
                               GError             **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  if (sqlite3_exec (self->db, resolve_sql, NULL, NULL, NULL) != SQLITE_OK)
    return set_database_error (self->db, error, "turning Open Library works into books");
  return TRUE;
}
