/* bi-recognition-pipeline.c — the real recognition pipeline, run photo by photo for measuring
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-recognition-pipeline"

#include "bi-recognition-pipeline.h"

#include "bi-heuristic-candidates.h"
#include "bi-job-id.h"
#include "bi-memory-ports.h"
#include "bi-recognition-score.h"
#include "bi-sqlite-catalog.h"
#include "bi-stages.h"
#include "bi-tesseract-engine.h"

#include <gio/gio.h>
#include <time.h>

struct _BiRecognitionPipeline
{
  BiSqliteCatalog       *catalog;
  BiHeuristicCandidates *candidates;   /* stateless and thread-safe: one for every worker */
  gboolean               imported;     /* opening read at least one catalog file */
  double                 open_seconds; /* opening and importing */
};

/* One run of a set of photos, shared by its worker threads. */
typedef struct
{
  BiRecognitionPipeline  *pipeline;
  guint                   n_photos;
  BiRecognitionPhotoFunc  photo_func;
  gpointer                user_data;
  GPtrArray              *outcomes; /* of BiRecognitionOutcome; slot i written by one worker */
  gint                    next;     /* atomic: the next photo to take */
  GMutex                  lock;     /* guards @error */
  GError                 *error;    /* the first error that stops the run */
} Run;

void
bi_recognition_outcome_free (BiRecognitionOutcome *outcome)
{
  if (outcome == NULL)
    return;
  g_free (outcome->name);
  g_clear_pointer (&outcome->titles, g_ptr_array_unref);
  g_clear_pointer (&outcome->evidence, g_ptr_array_unref);
  g_clear_pointer (&outcome->evidence_boxes, g_array_unref);
  g_free (outcome->error);
  g_free (outcome);
}

/* ---- the catalog ------------------------------------------------------------------------ */

BiRecognitionPipeline *
bi_recognition_pipeline_new (const char         *database_path,
                             const char *const  *catalog_files,
                             GError            **error)
{
  g_autoptr(BiRecognitionPipeline) self = g_new0 (BiRecognitionPipeline, 1);
  gint64 start = g_get_monotonic_time ();

  g_return_val_if_fail (database_path != NULL && catalog_files != NULL, NULL);

  self->candidates = bi_heuristic_candidates_new ();
  self->catalog = bi_sqlite_catalog_open (database_path, error);
  if (self->catalog == NULL)
    return NULL;

  for (guint i = 0; catalog_files[i] != NULL; i++)
    {
      g_auto(BiCatalogImportStats) stats = { 0 };
      gboolean imported = FALSE;

      if (!bi_sqlite_catalog_import_if_changed (self->catalog, catalog_files[i], &imported,
                                                &stats, error))
        {
          g_prefix_error (error, "Could not import the catalog %s into %s: ", catalog_files[i],
                          database_path);
          return NULL;
        }
      self->imported |= imported;
    }

  self->open_seconds = (g_get_monotonic_time () - start) / 1e6;
  return g_steal_pointer (&self);
}

void
bi_recognition_pipeline_free (BiRecognitionPipeline *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->catalog, bi_sqlite_catalog_free);
  g_clear_pointer (&self->candidates, bi_heuristic_candidates_free);
  g_free (self);
}

gint64
bi_recognition_pipeline_count_books (BiRecognitionPipeline *self)
{
  return bi_sqlite_catalog_count (self->catalog, NULL);
}

gboolean
bi_recognition_pipeline_catalog_holds (BiRecognitionPipeline *self,
                                       const char            *title)
{
  /* Enough hits that a short title shared by many books ("Fuego") still finds its own. */
  enum { MAX_HITS = 200 };
  BiCatalog *catalog = bi_sqlite_catalog_as_port (self->catalog);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) books = catalog->search (catalog, title, MAX_HITS, &error);

  if (books == NULL)
    {
      g_warning ("Could not search the catalog for “%s”: %s", title, error->message);
      return FALSE;
    }
  for (guint i = 0; i < books->len; i++)
    if (bi_recognition_titles_match (((BiBook *) g_ptr_array_index (books, i))->title, title))
      return TRUE;
  return FALSE;
}

gboolean
bi_recognition_pipeline_imported (BiRecognitionPipeline *self)
{
  return self->imported;
}

double
bi_recognition_pipeline_open_seconds (BiRecognitionPipeline *self)
{
  return self->open_seconds;
}

/* ---- one photo -------------------------------------------------------------------------- */

static JsonObject *
parse_object (const char  *text,
              GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (!json_parser_load_from_data (parser, text, -1, error))
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, "The message is not an object.");
      return NULL;
    }
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* Reads the books and counts of the final results into @outcome. */
static gboolean
read_final_results (const char            *message,
                    BiRecognitionOutcome  *outcome,
                    GError               **error)
{
  g_autoptr(JsonObject) results = parse_object (message, error);
  JsonArray *books;
  JsonObject *timings;

  if (results == NULL)
    return FALSE;
  if (g_strcmp0 (json_object_get_string_member_with_default (results, "status", ""),
                 "complete") != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "The job did not complete: %s",
                   message);
      return FALSE;
    }

  books = json_object_get_array_member (results, "books");
  for (guint i = 0; books != NULL && i < json_array_get_length (books); i++)
    {
      JsonObject *book = json_array_get_object_element (books, i);
      JsonObject *evidence = json_object_get_object_member (book, "evidence");
      JsonArray *bbox = evidence != NULL && json_object_has_member (evidence, "bbox")
                        ? json_object_get_array_member (evidence, "bbox") : NULL;
      BiRecognitionBox box = { 0 };

      g_ptr_array_add (outcome->titles,
                       g_strdup (json_object_get_string_member_with_default (book, "title", "")));
      g_ptr_array_add (outcome->evidence,
                       g_strdup (evidence != NULL
                                 ? json_object_get_string_member_with_default (evidence, "text",
                                                                               "")
                                 : ""));
      if (bbox != NULL && json_array_get_length (bbox) == 4)
        box = (BiRecognitionBox) { (int) json_array_get_int_element (bbox, 0),
                                   (int) json_array_get_int_element (bbox, 1),
                                   (int) json_array_get_int_element (bbox, 2),
                                   (int) json_array_get_int_element (bbox, 3) };
      g_array_append_val (outcome->evidence_boxes, box);
    }
  if (json_object_has_member (results, "unresolved"))
    outcome->unresolved = json_array_get_length (json_object_get_array_member (results,
                                                                               "unresolved"));
  outcome->candidates = (guint) json_object_get_int_member_with_default (results,
                                                                         "totalCandidates", 0);
  timings = json_object_get_object_member (results, "timings");
  if (timings != NULL)
    outcome->ocr_seconds = json_object_get_int_member_with_default (timings, "ocr_ms", 0) / 1e3;
  return TRUE;
}

/* The photo's size as the OCR stage reported it to the next stages. */
static void
read_image_size (const char           *message,
                 BiRecognitionOutcome *outcome)
{
  g_autoptr(JsonObject) object = parse_object (message, NULL);
  JsonObject *image = object != NULL ? json_object_get_object_member (object, "image") : NULL;

  if (image == NULL)
    return;
  outcome->width = (int) json_object_get_int_member_with_default (image, "width", 0);
  outcome->height = (int) json_object_get_int_member_with_default (image, "height", 0);
}

/* CPU seconds of the calling thread (Tesseract stays on it with OMP_THREAD_LIMIT=1). */
static double
thread_cpu_seconds (void)
{
  struct timespec now = { 0 };

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now);
  return now.tv_sec + now.tv_nsec / 1e9;
}

typedef gboolean (*StageFunc) (const char    *message,
                               BiStagePorts  *ports,
                               GError       **error);

/* The four stages, one after another, each taking the message the one before sent. */
static gboolean
run_stages (BiStagePorts   *ports,
            BiMemoryQueue  *queue,
            BiMemoryTopic  *topic,
            const char     *upload_event,
            char          **final_results,
            BiRecognitionOutcome *outcome,
            GError        **error)
{
  static const struct
  {
    const char *input_queue; /* NULL: the upload event */
    const char *name;
    StageFunc   func;
  } stages[] = {
    { NULL, "upload handler", bi_stage_upload_handler },
    { BI_QUEUE_OCR, "OCR", bi_stage_ocr },
    { BI_QUEUE_CANDIDATES, "candidates", bi_stage_candidates },
    { BI_QUEUE_VALIDATION, "validator", bi_stage_validator },
  };

  for (guint i = 0; i < G_N_ELEMENTS (stages); i++)
    {
      g_autofree char *message = stages[i].input_queue != NULL
                                 ? bi_memory_queue_pop (queue, stages[i].input_queue)
                                 : g_strdup (upload_event);
      gint64 start = g_get_monotonic_time ();
      double cpu = thread_cpu_seconds ();

      if (message == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       "The stage before the %s sent it no message.", stages[i].name);
          return FALSE;
        }
      if (stages[i].func == bi_stage_validator)
        read_image_size (message, outcome);
      if (!stages[i].func (message, ports, error))
        {
          g_prefix_error (error, "%s: ", stages[i].name);
          return FALSE;
        }
      g_debug ("%s: %.2f s (CPU %.2f s)", stages[i].name,
               (g_get_monotonic_time () - start) / 1e6, thread_cpu_seconds () - cpu);
    }

  *final_results = bi_memory_topic_pop (topic);
  if (*final_results == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "The validator published no final results.");
      return FALSE;
    }
  return TRUE;
}

static BiRecognitionOutcome *
recognize_photo (BiRecognitionPipeline *self,
                 BiOcrEngine           *engine,
                 const char            *name,
                 GBytes                *photo)
{
  g_autoptr(BiMemoryBlobStore) blobs = bi_memory_blob_store_new ();
  g_autoptr(BiMemoryQueue) queue = bi_memory_queue_new ();
  g_autoptr(BiMemoryTopic) topic = bi_memory_topic_new ();
  g_autofree char *job_id = bi_job_id_new ();
  g_autofree char *key = g_strdup_printf ("%s/%s", job_id, name);
  g_autofree char *event = bi_stage_upload_event_new (key, g_bytes_get_size (photo));
  g_autofree char *final_results = NULL;
  g_autoptr(GError) error = NULL;
  BiRecognitionOutcome *outcome = g_new0 (BiRecognitionOutcome, 1);
  BiStagePorts ports = {
    .blob_store = bi_memory_blob_store_as_port (blobs),
    .queue = bi_memory_queue_as_port (queue),
    .topic = bi_memory_topic_as_port (topic),
    .ocr_engine = engine,
    .candidate_generator = bi_heuristic_candidates_as_port (self->candidates),
    .catalog = bi_sqlite_catalog_as_port (self->catalog),
  };
  gint64 start;
  double cpu;

  outcome->name = g_strdup (name);
  outcome->titles = g_ptr_array_new_with_free_func (g_free);
  outcome->evidence = g_ptr_array_new_with_free_func (g_free);
  outcome->evidence_boxes = g_array_new (FALSE, TRUE, sizeof (BiRecognitionBox));
  bi_memory_blob_store_put_data (blobs, BI_BUCKET_UPLOADS, key, g_bytes_get_data (photo, NULL),
                                 g_bytes_get_size (photo));

  start = g_get_monotonic_time ();
  cpu = thread_cpu_seconds ();
  if (!run_stages (&ports, queue, topic, event, &final_results, outcome, &error))
    outcome->error = g_strdup (error->message);
  outcome->seconds = (g_get_monotonic_time () - start) / 1e6;
  outcome->cpu_seconds = thread_cpu_seconds () - cpu;

  if (outcome->error == NULL && !read_final_results (final_results, outcome, &error))
    outcome->error = g_strdup_printf ("final results: %s", error->message);
  return outcome;
}

/* ---- worker threads --------------------------------------------------------------------- */

static void
stop_run (Run    *run,
          GError *error)
{
  g_mutex_lock (&run->lock);
  if (run->error == NULL)
    run->error = error;
  else
    g_error_free (error);
  /* No photo is taken after this: the others see @next past the end. */
  g_atomic_int_set (&run->next, (gint) run->n_photos);
  g_mutex_unlock (&run->lock);
}

static gpointer
worker_thread (gpointer data)
{
  Run *run = data;
  GError *error = NULL;
  g_autoptr(BiTesseractEngine) engine = bi_tesseract_engine_new (NULL, &error);

  if (engine == NULL)
    {
      stop_run (run, error);
      return NULL;
    }

  for (;;)
    {
      guint index = (guint) g_atomic_int_add (&run->next, 1);
      g_autofree char *name = NULL;
      g_autoptr(GBytes) photo = NULL;

      if (index >= run->n_photos)
        break;
      photo = run->photo_func (index, &name, run->user_data, &error);
      if (photo == NULL)
        {
          stop_run (run, error);
          break;
        }
      g_ptr_array_index (run->outcomes, index) =
        recognize_photo (run->pipeline, bi_tesseract_engine_as_port (engine), name, photo);
    }
  return NULL;
}

GPtrArray *
bi_recognition_pipeline_run (BiRecognitionPipeline   *self,
                             guint                    n_photos,
                             guint                    n_jobs,
                             BiRecognitionPhotoFunc   photo_func,
                             gpointer                 user_data,
                             GError                 **error)
{
  g_autoptr(GPtrArray) threads = g_ptr_array_new ();
  g_autoptr(GPtrArray) outcomes = NULL;
  Run run = { 0 };

  g_return_val_if_fail (self != NULL && photo_func != NULL && n_jobs > 0, NULL);

  outcomes = g_ptr_array_new_full (n_photos, (GDestroyNotify) bi_recognition_outcome_free);
  g_ptr_array_set_size (outcomes, (gint) n_photos);
  run.pipeline = self;
  run.n_photos = n_photos;
  run.photo_func = photo_func;
  run.user_data = user_data;
  run.outcomes = outcomes;
  g_mutex_init (&run.lock);

  for (guint i = 0; i < MIN (n_jobs, MAX (n_photos, 1)); i++)
    g_ptr_array_add (threads, g_thread_new ("recognition", worker_thread, &run));
  for (guint i = 0; i < threads->len; i++)
    g_thread_join (g_ptr_array_index (threads, i));
  g_mutex_clear (&run.lock);

  if (run.error != NULL)
    {
      g_propagate_error (error, run.error);
      return NULL;
    }
  return g_steal_pointer (&outcomes);
}
