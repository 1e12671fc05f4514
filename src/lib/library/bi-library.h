/* bi-library.h — the user's library on disk: every photo's job and what it found
 *
 * One SQLite file (under g_get_user_data_dir()/bookimg/ for the app). A job row holds the
 * photo, its job id, the last state the app saw and, once the job ended, its final results or
 * its error, so the books come back on the next start and jobs still running at close can be
 * resumed (GET /results/<jobId>). Writes are small single-row statements in WAL mode.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define BI_LIBRARY_ERROR (bi_library_error_quark ())

typedef enum
{
  BI_LIBRARY_ERROR_OPEN,   /* the file cannot be created or opened */
  BI_LIBRARY_ERROR_SQL,    /* a statement failed (disk full, corrupt file) */
} BiLibraryError;

GQuark bi_library_error_quark (void);

/* One stored job. */
typedef struct
{
  char     *job_id;
  char     *photo_path;
  char     *state;          /* a bi_scan_job_state_to_string() name */
  JsonNode *results;        /* the final results once complete, else NULL */
  char     *results_text;   /* bi_library_list_jobs_unparsed() only: the results unparsed */
  char     *error_message;  /* why it failed, else NULL */
  gint64    added_at;       /* unix microseconds */
} BiLibraryJob;

BiLibraryJob *bi_library_job_new  (const char   *job_id,
                                   const char   *photo_path,
                                   const char   *state);
void          bi_library_job_free (BiLibraryJob *job);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiLibraryJob, bi_library_job_free)

/* The user's decision about one book: the entry at @position (evidence.position) of the job's
 * results. Unedited fields are NULL (year: -1). */
typedef struct
{
  char      *job_id;
  int        position;
  gboolean   removed;   /* a wrong book: not listed, not exported */
  gboolean   accepted;  /* a low-confidence book the user confirmed */
  char      *title;
  char     **authors;
  int        year;      /* -1: not edited; 0: cleared */
  char      *isbn13;    /* "": cleared */
  char      *source;    /* "manual": a spine the user matched by hand; NULL: not edited */
} BiLibraryReview;

BiLibraryReview *bi_library_review_new  (const char      *job_id,
                                         int              position);
void             bi_library_review_free (BiLibraryReview *review);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiLibraryReview, bi_library_review_free)

#define BI_TYPE_LIBRARY (bi_library_get_type ())
G_DECLARE_FINAL_TYPE (BiLibrary, bi_library, BI, LIBRARY, GObject)

/* The default file: g_get_user_data_dir()/bookimg/library.sqlite3. */
char      *bi_library_default_path (void);

/* Opens (creating it and its folder if needed) the library at @path. */
BiLibrary *bi_library_open         (const char          *path,
                                    GError             **error);

const char *bi_library_get_path    (BiLibrary           *self);

/* Inserts or replaces the job with @job->job_id (added_at is kept from the first save). */
gboolean   bi_library_save_job     (BiLibrary           *self,
                                    const BiLibraryJob  *job,
                                    GError             **error);
gboolean   bi_library_remove_job   (BiLibrary           *self,
                                    const char          *job_id,
                                    GError             **error);
/* Every job, oldest first: a GPtrArray of BiLibraryJob. */
GPtrArray *bi_library_list_jobs    (BiLibrary           *self,
                                    GError             **error);
/* The same, with each job's results left as text (results_text, results NULL), for a caller
 * that parses them off the main thread. */
GPtrArray *bi_library_list_jobs_unparsed (BiLibrary     *self,
                                          GError       **error);

/* Inserts or replaces the review of (@review->job_id, @review->position). */
gboolean   bi_library_save_review  (BiLibrary             *self,
                                    const BiLibraryReview *review,
                                    GError               **error);
/* Every review, oldest change first: a GPtrArray of BiLibraryReview. */
GPtrArray *bi_library_list_reviews (BiLibrary           *self,
                                    GError             **error);

G_END_DECLS
