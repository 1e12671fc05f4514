/* bi-recognition-pipeline.h — the real recognition pipeline, run photo by photo for measuring
 *
 * What bookimg-server runs, minus the host: the four stage functions (upload handler → OCR →
 * candidates → validator) over the in-memory blob store, queues and topic of
 * bi-memory-ports.h, with a real Tesseract engine per worker thread, the server's candidate
 * generator and a real SQLite catalog. The catalog is imported into a database file once and
 * reused while its source files are unchanged (bi_sqlite_catalog_import_if_changed).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A box in a photo's pixels. */
typedef struct
{
  int x, y, width, height;
} BiRecognitionBox;

/* What the pipeline said about one photo. */
typedef struct
{
  char      *name;
  int        width, height;  /* as the OCR stage saw it */
  GPtrArray *titles;         /* of char *: the books reported, in shelf order */
  GPtrArray *evidence;       /* of char *: the OCR text each of @titles was found from */
  GArray    *evidence_boxes; /* of BiRecognitionBox: where on the photo that text was read */
  guint      unresolved;     /* spines the validator could not name */
  guint      candidates;     /* totalCandidates */
  double     seconds;        /* wall time of the four stages */
  double     cpu_seconds;    /* CPU time of the worker thread over the same stages: the wall
                              * time also counts other photos' workers and other processes */
  double     ocr_seconds;    /* the OCR stage's own timing (timings.ocr_ms) */
  char      *error;          /* the stage's error when the pipeline failed, else NULL */
  guint      expected;       /* books on the photo's ground truth (set when scored) */
  guint      held;           /* of those, books the catalog holds (set when scored) */
  guint      right;          /* reported books that were right (set when scored) */
  guint      unscored;       /* reported books outside the ground truth's area (when scored) */
} BiRecognitionOutcome;

void bi_recognition_outcome_free (BiRecognitionOutcome *outcome);

typedef struct _BiRecognitionPipeline BiRecognitionPipeline;

/* Opens (creating it if needed) the catalog database @database_path and imports each of
 * @catalog_files unless the database already holds it unchanged. */
BiRecognitionPipeline *bi_recognition_pipeline_new          (const char          *database_path,
                                                             const char *const   *catalog_files,
                                                             GError             **error);
void                   bi_recognition_pipeline_free         (BiRecognitionPipeline *self);

/* Books in the catalog, and whether opening it read the catalog files (FALSE: reused). */
gint64                 bi_recognition_pipeline_count_books  (BiRecognitionPipeline *self);
gboolean               bi_recognition_pipeline_imported     (BiRecognitionPipeline *self);
double                 bi_recognition_pipeline_open_seconds (BiRecognitionPipeline *self);

/* Whether the catalog holds a book titled @title as the benchmark scores titles
 * (bi_recognition_titles_match): among the books a search of @title finds. */
gboolean               bi_recognition_pipeline_catalog_holds (BiRecognitionPipeline *self,
                                                              const char            *title);

/* Gives photo @index of a set: its name and encoded bytes, or NULL with an error. Called from
 * the worker threads, so it must be thread-safe. Its time is not counted. */
typedef GBytes *(*BiRecognitionPhotoFunc) (guint        index,
                                           char       **name,
                                           gpointer     user_data,
                                           GError     **error);

/* Runs @n_photos photos through the pipeline on @n_jobs worker threads, each with its own
 * Tesseract engine. Returns a GPtrArray of BiRecognitionOutcome in photo order; a photo the
 * pipeline fails on has its error in the outcome. NULL with an error only when a worker cannot
 * start (no Tesseract data) or a photo cannot be produced. */
GPtrArray             *bi_recognition_pipeline_run          (BiRecognitionPipeline  *self,
                                                             guint                   n_photos,
                                                             guint                   n_jobs,
                                                             BiRecognitionPhotoFunc  photo_func,
                                                             gpointer                user_data,
                                                             GError                **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiRecognitionPipeline, bi_recognition_pipeline_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiRecognitionOutcome, bi_recognition_outcome_free)

G_END_DECLS
