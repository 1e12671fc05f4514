/* bi-library.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-library"

#include "bi-library.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

/* Bumped when the tables change; older files are migrated in migrate(). */
/* 1: jobs. 2: reviews (the user's decisions about single books). 3: reviews.source (spines
 * matched by hand). */
#define SCHEMA_VERSION 3

struct _BiLibrary
{
  GObject  parent_instance;

  char    *path;
  sqlite3 *db;
};

G_DEFINE_FINAL_TYPE (BiLibrary, bi_library, G_TYPE_OBJECT)

G_DEFINE_QUARK (bi-library-error-quark, bi_library_error)

/* ---- helpers ---- */

static gboolean
set_sql_error (BiLibrary  *self,
               const char *what,
               GError    **error)
{
  g_set_error (error, BI_LIBRARY_ERROR, BI_LIBRARY_ERROR_SQL,
               "Could not %s the library %s: %s. Check that the disk is not full.",
               what, self->path, sqlite3_errmsg (self->db));
  return FALSE;
}

static gboolean
execute (BiLibrary  *self,
         const char *sql,
         GError    **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return set_sql_error (self, "update", error);
  return TRUE;
}

static gboolean
migrate (BiLibrary *self,
         GError   **error)
{
  sqlite3_stmt *statement = NULL;
  int version = 0;

  if (sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &statement, NULL) != SQLITE_OK)
    return set_sql_error (self, "read", error);
  if (sqlite3_step (statement) == SQLITE_ROW)
    version = sqlite3_column_int (statement, 0);
  sqlite3_finalize (statement);

  if (version >= SCHEMA_VERSION)
    return TRUE;

  /* Each step moves one version on, in its own transaction, so a library of any age gets
   * there and an interrupted migration starts again from the last finished step. */
  if (version < 1
      && !execute (self,
                   "BEGIN;"
                   "CREATE TABLE IF NOT EXISTS jobs ("
                   "  job_id TEXT PRIMARY KEY,"
                   "  photo_path TEXT NOT NULL,"
                   "  state TEXT NOT NULL,"
                   "  results TEXT,"
                   "  error_message TEXT,"
                   "  added_at INTEGER NOT NULL);"
                   "PRAGMA user_version = 1;"
                   "COMMIT;",
                   error))
    return FALSE;
  /* A book is the entry at (job, position) of its job's results; NULL fields are not edited.
   * authors: a JSON array. */
  if (version < 2
      && !execute (self,
                   "BEGIN;"
                   "CREATE TABLE IF NOT EXISTS reviews ("
                   "  job_id TEXT NOT NULL,"
                   "  position INTEGER NOT NULL,"
                   "  removed INTEGER NOT NULL DEFAULT 0,"
                   "  accepted INTEGER NOT NULL DEFAULT 0,"
                   "  title TEXT,"
                   "  authors TEXT,"
                   "  year INTEGER,"
                   "  isbn13 TEXT,"
                   "  updated_at INTEGER NOT NULL,"
                   "  PRIMARY KEY (job_id, position));"
                   "PRAGMA user_version = 2;"
                   "COMMIT;",
                   error))
    return FALSE;
  if (version < 3
      && !execute (self,
                   "BEGIN;"
                   "ALTER TABLE reviews ADD COLUMN source TEXT;"
                   "PRAGMA user_version = 3;"
                   "COMMIT;",
                   error))
    return FALSE;
  return TRUE;
}

static char *
dup_column_text (sqlite3_stmt *statement,
                 int           column)
{
  const unsigned char *text = sqlite3_column_text (statement, column);

  return text != NULL ? g_strdup ((const char *) text) : NULL;
}

/* ---- GObject ---- */

static void
bi_library_finalize (GObject *object)
{
  BiLibrary *self = BI_LIBRARY (object);

  g_clear_pointer (&self->db, sqlite3_close);
  g_free (self->path);

  G_OBJECT_CLASS (bi_library_parent_class)->finalize (object);
}

static void
bi_library_class_init (BiLibraryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = bi_library_finalize;
}

static void
bi_library_init (BiLibrary *self)
{
}

/* ---- public API ---- */

BiLibraryJob *
bi_library_job_new (const char *job_id,
                    const char *photo_path,
                    const char *state)
{
  BiLibraryJob *job = g_new0 (BiLibraryJob, 1);

  job->job_id = g_strdup (job_id);
  job->photo_path = g_strdup (photo_path);
  job->state = g_strdup (state);
  job->added_at = g_get_real_time ();
  return job;
}

void
bi_library_job_free (BiLibraryJob *job)
{
  if (job == NULL)
    return;
  g_free (job->job_id);
  g_free (job->photo_path);
  g_free (job->state);
  g_clear_pointer (&job->results, json_node_unref);
  g_free (job->results_text);
  g_free (job->error_message);
  g_free (job);
}

char *
bi_library_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "bookimg", "library.sqlite3", NULL);
}

BiLibrary *
bi_library_open (const char *path,
                 GError    **error)
{
  g_autoptr(BiLibrary) self = NULL;
  g_autofree char *folder = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  folder = g_path_get_dirname (path);
  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, BI_LIBRARY_ERROR, BI_LIBRARY_ERROR_OPEN,
                   "Could not create the folder %s for the library: %s",
                   folder, g_strerror (saved_errno));
      return NULL;
    }

  self = g_object_new (BI_TYPE_LIBRARY, NULL);
  self->path = g_strdup (path);
  if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL)
      != SQLITE_OK)
    {
      g_set_error (error, BI_LIBRARY_ERROR, BI_LIBRARY_ERROR_OPEN,
                   "Could not open the library %s: %s", path,
                   self->db != NULL ? sqlite3_errmsg (self->db) : "out of memory");
      return NULL;
    }
  sqlite3_busy_timeout (self->db, 2000);

  /* WAL with synchronous=NORMAL: a save is one small append, not an fsync of the whole file;
   * a crash may lose the last saves, never corrupt the file. */
  if (!execute (self, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", error)
      || !migrate (self, error))
    return NULL;

  return g_steal_pointer (&self);
}

const char *
bi_library_get_path (BiLibrary *self)
{
  g_return_val_if_fail (BI_IS_LIBRARY (self), NULL);
  return self->path;
}

gboolean
bi_library_save_job (BiLibrary          *self,
                     const BiLibraryJob *job,
                     GError            **error)
{
  static const char sql[] =
    "INSERT INTO jobs (job_id, photo_path, state, results, error_message, added_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
    " ON CONFLICT (job_id) DO UPDATE SET photo_path = ?2, state = ?3, results = ?4,"
    " error_message = ?5";
  sqlite3_stmt *statement = NULL;
  g_autofree char *results = NULL;
  int status;

  g_return_val_if_fail (BI_IS_LIBRARY (self), FALSE);
  g_return_val_if_fail (job != NULL && job->job_id != NULL, FALSE);

  if (job->results != NULL)
    results = json_to_string (job->results, FALSE);

  if (sqlite3_prepare_v2 (self->db, sql, -1, &statement, NULL) != SQLITE_OK)
    return set_sql_error (self, "update", error);
  sqlite3_bind_text (statement, 1, job->job_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (statement, 2, job->photo_path != NULL ? job->photo_path : "", -1,
                     SQLITE_TRANSIENT);
  sqlite3_bind_text (statement, 3, job->state != NULL ? job->state : "queued", -1,
                     SQLITE_TRANSIENT);
  if (results != NULL)
    sqlite3_bind_text (statement, 4, results, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (statement, 4);
  if (job->error_message != NULL)
    sqlite3_bind_text (statement, 5, job->error_message, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (statement, 5);
  sqlite3_bind_int64 (statement, 6, job->added_at);

  status = sqlite3_step (statement);
  sqlite3_finalize (statement);
  if (status != SQLITE_DONE)
    return set_sql_error (self, "update", error);
  return TRUE;
}

gboolean
bi_library_remove_job (BiLibrary  *self,
                       const char *job_id,
                       GError    **error)
{
  sqlite3_stmt *statement = NULL;
  int status;

  g_return_val_if_fail (BI_IS_LIBRARY (self), FALSE);
  g_return_val_if_fail (job_id != NULL, FALSE);

  if (sqlite3_prepare_v2 (self->db, "DELETE FROM jobs WHERE job_id = ?1", -1, &statement, NULL)
      != SQLITE_OK)
    return set_sql_error (self, "update", error);
  sqlite3_bind_text (statement, 1, job_id, -1, SQLITE_TRANSIENT);
  status = sqlite3_step (statement);
  sqlite3_finalize (statement);
  if (status != SQLITE_DONE)
    return set_sql_error (self, "update", error);
  return TRUE;
}

static GPtrArray *
list_jobs (BiLibrary *self,
           gboolean   parse,
           GError   **error)
{
  g_autoptr(GPtrArray) jobs = NULL;
  sqlite3_stmt *statement = NULL;
  int status;

  if (sqlite3_prepare_v2 (self->db,
                          "SELECT job_id, photo_path, state, results, error_message, added_at"
                          " FROM jobs ORDER BY added_at, rowid",
                          -1, &statement, NULL) != SQLITE_OK)
    {
      set_sql_error (self, "read", error);
      return NULL;
    }

  jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) bi_library_job_free);
  while ((status = sqlite3_step (statement)) == SQLITE_ROW)
    {
      BiLibraryJob *job = g_new0 (BiLibraryJob, 1);
      g_autofree char *results = dup_column_text (statement, 3);

      job->job_id = dup_column_text (statement, 0);
      job->photo_path = dup_column_text (statement, 1);
      job->state = dup_column_text (statement, 2);
      job->error_message = dup_column_text (statement, 4);
      job->added_at = sqlite3_column_int64 (statement, 5);
      /* A results text that does not parse is dropped, not fatal: the job can be re-fetched. */
      if (results != NULL && parse)
        job->results = json_from_string (results, NULL);
      else
        job->results_text = g_steal_pointer (&results);
      g_ptr_array_add (jobs, job);
    }
  sqlite3_finalize (statement);

  if (status != SQLITE_DONE)
    {
      set_sql_error (self, "read", error);
      return NULL;
    }
  return g_steal_pointer (&jobs);
}

GPtrArray *
bi_library_list_jobs (BiLibrary *self,
                      GError   **error)
{
  g_return_val_if_fail (BI_IS_LIBRARY (self), NULL);
  return list_jobs (self, TRUE, error);
}

GPtrArray *
bi_library_list_jobs_unparsed (BiLibrary *self,
                               GError   **error)
{
  g_return_val_if_fail (BI_IS_LIBRARY (self), NULL);
  return list_jobs (self, FALSE, error);
}

BiLibraryReview *
bi_library_review_new (const char *job_id,
                       int         position)
{
  BiLibraryReview *review = g_new0 (BiLibraryReview, 1);

  review->job_id = g_strdup (job_id);
  review->position = position;
  review->year = -1;
  return review;
}

void
bi_library_review_free (BiLibraryReview *review)
{
  if (review == NULL)
    return;
  g_free (review->job_id);
  g_free (review->title);
  g_strfreev (review->authors);
  g_free (review->isbn13);
  g_free (review->source);
  g_free (review);
}

gboolean
bi_library_save_review (BiLibrary             *self,
                        const BiLibraryReview *review,
                        GError               **error)
{
  static const char sql[] =
    "INSERT INTO reviews (job_id, position, removed, accepted, title, authors, year, isbn13,"
    " updated_at, source) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)"
    " ON CONFLICT (job_id, position) DO UPDATE SET removed = ?3, accepted = ?4, title = ?5,"
    " authors = ?6, year = ?7, isbn13 = ?8, updated_at = ?9, source = ?10";
  sqlite3_stmt *statement = NULL;
  g_autofree char *authors = NULL;
  int status;

  g_return_val_if_fail (BI_IS_LIBRARY (self), FALSE);
  g_return_val_if_fail (review != NULL && review->job_id != NULL, FALSE);

  if (review->authors != NULL)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) node = NULL;

      json_builder_begin_array (builder);
      for (guint i = 0; review->authors[i] != NULL; i++)
        json_builder_add_string_value (builder, review->authors[i]);
      json_builder_end_array (builder);
      node = json_builder_get_root (builder);
      authors = json_to_string (node, FALSE);
    }

  if (sqlite3_prepare_v2 (self->db, sql, -1, &statement, NULL) != SQLITE_OK)
    return set_sql_error (self, "update", error);
  sqlite3_bind_text (statement, 1, review->job_id, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int (statement, 2, review->position);
  sqlite3_bind_int (statement, 3, review->removed ? 1 : 0);
  sqlite3_bind_int (statement, 4, review->accepted ? 1 : 0);
  if (review->title != NULL)
    sqlite3_bind_text (statement, 5, review->title, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (statement, 5);
  if (authors != NULL)
    sqlite3_bind_text (statement, 6, authors, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (statement, 6);
  if (review->year >= 0)
    sqlite3_bind_int (statement, 7, review->year);
  else
    sqlite3_bind_null (statement, 7);
  if (review->isbn13 != NULL)
    sqlite3_bind_text (statement, 8, review->isbn13, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (statement, 8);
  sqlite3_bind_int64 (statement, 9, g_get_real_time ());
  if (review->source != NULL)
    sqlite3_bind_text (statement, 10, review->source, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (statement, 10);

  status = sqlite3_step (statement);
  sqlite3_finalize (statement);
  if (status != SQLITE_DONE)
    return set_sql_error (self, "update", error);
  return TRUE;
}

static GStrv
parse_authors (const char *text)
{
  g_autoptr(JsonNode) node = text != NULL ? json_from_string (text, NULL) : NULL;
  g_autoptr(GStrvBuilder) builder = NULL;
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return NULL;
  builder = g_strv_builder_new ();
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING)
        g_strv_builder_add (builder, json_node_get_string (element));
    }
  return g_strv_builder_end (builder);
}

GPtrArray *
bi_library_list_reviews (BiLibrary *self,
                         GError   **error)
{
  g_autoptr(GPtrArray) reviews = NULL;
  sqlite3_stmt *statement = NULL;
  int status;

  g_return_val_if_fail (BI_IS_LIBRARY (self), NULL);

  if (sqlite3_prepare_v2 (self->db,
                          "SELECT job_id, position, removed, accepted, title, authors, year,"
                          " isbn13, source FROM reviews ORDER BY updated_at, rowid",
                          -1, &statement, NULL) != SQLITE_OK)
    {
      set_sql_error (self, "read", error);
      return NULL;
    }

  reviews = g_ptr_array_new_with_free_func ((GDestroyNotify) bi_library_review_free);
  while ((status = sqlite3_step (statement)) == SQLITE_ROW)
    {
      g_autofree char *authors = dup_column_text (statement, 5);
      BiLibraryReview *review = bi_library_review_new ((const char *) sqlite3_column_text (statement, 0),
                                                       sqlite3_column_int (statement, 1));

      review->removed = sqlite3_column_int (statement, 2) != 0;
      review->accepted = sqlite3_column_int (statement, 3) != 0;
      review->title = dup_column_text (statement, 4);
      review->authors = parse_authors (authors);
      review->year = sqlite3_column_type (statement, 6) == SQLITE_NULL
                       ? -1 : sqlite3_column_int (statement, 6);
      review->isbn13 = dup_column_text (statement, 7);
      review->source = dup_column_text (statement, 8);
      g_ptr_array_add (reviews, review);
    }
  sqlite3_finalize (statement);

  if (status != SQLITE_DONE)
    {
      set_sql_error (self, "read", error);
      return NULL;
    }
  return g_steal_pointer (&reviews);
}
