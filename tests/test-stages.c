/* test-stages.c — the four pipeline stages driven through in-memory ports
 *
 * Each stage is called as an AWS Lambda handler would call it: a message in, ports out,
 * nothing of the embedded host linked. The ports are the in-memory adapters of
 * bi-memory-ports.h, a scripted OCR engine, the real heuristic candidate generator and a
 * real SQLite catalog in memory.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-heuristic-candidates.h"
#include "bi-job-id.h"
#include "bi-memory-ports.h"
#include "bi-object-key.h"
#include "bi-sqlite-catalog.h"
#include "bi-stages.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <string.h>

#define PHOTO_NAME "shelf photo.jpg"

static const char catalog_tsv[] =
  "book_id\tgoodreads_book_id\twork_id\ttitle\toriginal_title\tauthors\tyear\tisbn10\t"
  "isbn13\tisbn13_note\tlanguage_code\tratings_count\n"
  "1\t1\t1\tThe Hunger Games (The Hunger Games, #1)\tThe Hunger Games\tSuzanne Collins\t"
  "2008\t0439023483\t9780439023481\t\teng\t1\n"
  "7\t7\t7\tThe Hobbit\tThe Hobbit or There and Back Again\tJ.R.R. Tolkien\t1937\t"
  "0618260307\t9780618260300\t\teng\t1\n"
  "126\t126\t126\tDune (Dune Chronicles #1)\tDune\tFrank Herbert\t1965\t0441172717\t"
  "9780441172719\t\teng\t1\n"
  "500\t500\t500\tCatching Fire (The Hunger Games, #2)\tCatching Fire\tSuzanne Collins\t"
  "2009\t\t\t\teng\t1\n";

/* Starts like a JPEG: the upload handler sniffs the type. */
static const guint8 photo_bytes[] = { 0xff, 0xd8, 0xff, 0xe0, 0, 0x10, 'J', 'F', 'I', 'F', 0, 1 };

typedef struct
{
  BiMemoryBlobStore     *blobs;
  BiMemoryQueue         *queue;
  BiMemoryTopic         *topic;
  BiScriptedOcr         *ocr;
  BiHeuristicCandidates *heuristics;
  BiSqliteCatalog       *catalog;
  BiStagePorts           ports;
  char                  *job_id;
  char                  *key;        /* of the uploaded photo */
  guint                  published;  /* topic messages seen by the hook */
} Fixture;

static void
import_catalog (BiSqliteCatalog *catalog)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bookimg-stages-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_auto(BiCatalogImportStats) stats = { 0 };

  g_assert_no_error (error);
  path = g_build_filename (dir, "catalog.tsv", NULL);
  g_file_set_contents (path, catalog_tsv, -1, &error);
  g_assert_no_error (error);
  bi_sqlite_catalog_import_file (catalog, path, &stats, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (stats.imported, ==, 4);
  g_assert_cmpint (g_remove (path), ==, 0);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  BiOcrEngine *ocr;

  fixture->blobs = bi_memory_blob_store_new ();
  fixture->queue = bi_memory_queue_new ();
  fixture->topic = bi_memory_topic_new ();
  fixture->ocr = bi_scripted_ocr_new (1000, 800);
  fixture->heuristics = bi_heuristic_candidates_new ();
  fixture->catalog = bi_sqlite_catalog_open (":memory:", &error);
  g_assert_no_error (error);
  import_catalog (fixture->catalog);

  ocr = bi_scripted_ocr_as_port (fixture->ocr);
  fixture->ports = (BiStagePorts) {
    .blob_store = bi_memory_blob_store_as_port (fixture->blobs),
    .queue = bi_memory_queue_as_port (fixture->queue),
    .topic = bi_memory_topic_as_port (fixture->topic),
    .ocr_engine = ocr,
    .candidate_generator = bi_heuristic_candidates_as_port (fixture->heuristics),
    .catalog = bi_sqlite_catalog_as_port (fixture->catalog),
  };

  /* A shelf of four spines, left to right: Dune, The Hobbit, something no catalog has, and
   * a second Hobbit spine; plus a speck of noise. Given in no particular order. */
  bi_scripted_ocr_add_line (fixture->ocr, "THE HOBBIT", 0.92, 200, 40, 40, 320, 90);
  bi_scripted_ocr_add_line (fixture->ocr, "J.R.R. TOLKIEN", 0.88, 204, 400, 30, 220, 90);
  bi_scripted_ocr_add_line (fixture->ocr, "DUNE", 0.95, 100, 60, 45, 160, 270);
  bi_scripted_ocr_add_line (fixture->ocr, "FRANK HERBERT", 0.85, 102, 300, 30, 240, 270);
  bi_scripted_ocr_add_line (fixture->ocr, "ZXQW PLORB", 0.60, 300, 100, 35, 300, 90);
  bi_scripted_ocr_add_line (fixture->ocr, "THE HOBBIT", 0.90, 400, 80, 38, 300, 90);
  bi_scripted_ocr_add_line (fixture->ocr, "|~", 0.20, 500, 10, 10, 10, 0);

  fixture->job_id = bi_job_id_new ();
  fixture->key = g_strdup_printf ("%s/%s", fixture->job_id, PHOTO_NAME);
  bi_memory_blob_store_put_data (fixture->blobs, BI_BUCKET_UPLOADS, fixture->key,
                                 photo_bytes, sizeof photo_bytes);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->blobs, bi_memory_blob_store_free);
  g_clear_pointer (&fixture->queue, bi_memory_queue_free);
  g_clear_pointer (&fixture->topic, bi_memory_topic_free);
  g_clear_pointer (&fixture->ocr, bi_scripted_ocr_free);
  g_clear_pointer (&fixture->heuristics, bi_heuristic_candidates_free);
  g_clear_pointer (&fixture->catalog, bi_sqlite_catalog_free);
  g_clear_pointer (&fixture->job_id, g_free);
  g_clear_pointer (&fixture->key, g_free);
}

/* ---- helpers -------------------------------------------------------------------------- */

/* An S3 ObjectCreated notification for @key (encoded as S3 encodes event keys). */
static char *
upload_event_new (const char *key)
{
  g_autofree char *encoded = bi_object_key_encode (key);

  return g_strdup_printf ("{\"Records\":[{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\","
                          "\"eventName\":\"ObjectCreated:Put\",\"s3\":{\"bucket\":"
                          "{\"name\":\"bookimg-uploads\"},\"object\":{\"key\":\"%s\","
                          "\"size\":12}}}]}", encoded);
}

/* The one message waiting in @queue_name. */
static char *
pop_only (Fixture    *fixture,
          const char *queue_name)
{
  g_assert_cmpuint (bi_memory_queue_length (fixture->queue, queue_name), ==, 1);
  return bi_memory_queue_pop (fixture->queue, queue_name);
}

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static void
assert_bbox (JsonObject *object,
             int         x,
             int         y,
             int         width,
             int         height)
{
  JsonArray *bbox = json_object_get_array_member (object, "bbox");

  g_assert_cmpuint (json_array_get_length (bbox), ==, 4);
  g_assert_cmpint (json_array_get_int_element (bbox, 0), ==, x);
  g_assert_cmpint (json_array_get_int_element (bbox, 1), ==, y);
  g_assert_cmpint (json_array_get_int_element (bbox, 2), ==, width);
  g_assert_cmpint (json_array_get_int_element (bbox, 3), ==, height);
}

/* @error is read after @ok is computed: pass the address of the variable the call set. */
static void
assert_permanent (gboolean   ok,
                  GError   **error)
{
  g_assert_false (ok);
  g_assert_error (*error, BI_STAGE_ERROR, BI_STAGE_ERROR_PERMANENT);
  g_test_message ("permanent: %s", (*error)->message);
}

/* Nothing left any stage: no message queued, nothing published. */
static void
assert_nothing_sent (Fixture *fixture)
{
  const char *queues[] = { BI_QUEUE_OCR, BI_QUEUE_CANDIDATES, BI_QUEUE_VALIDATION };

  for (guint i = 0; i < G_N_ELEMENTS (queues); i++)
    g_assert_cmpuint (bi_memory_queue_length (fixture->queue, queues[i]), ==, 0);
  g_assert_cmpuint (bi_memory_topic_length (fixture->topic), ==, 0);
}

/* A stage function of bi-stages.h. */
typedef gboolean (*StageFunc) (const char    *message,
                               BiStagePorts  *ports,
                               GError       **error);

/* Runs one stage on @message and returns the one message it sent to @next_queue (or
 * published, when @next_queue is NULL). */
static char *
run_stage (Fixture     *fixture,
           StageFunc    stage,
           const char  *message,
           const char  *next_queue)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (stage (message, &fixture->ports, &error));
  g_assert_no_error (error);
  if (next_queue != NULL)
    return pop_only (fixture, next_queue);
  g_assert_cmpuint (bi_memory_topic_length (fixture->topic), ==, 1);
  return bi_memory_topic_pop (fixture->topic);
}

/* The whole pipeline; returns the message of each queue and the published results. */
typedef struct
{
  char *ocr;
  char *candidates;
  char *validation;
  char *final_results;
} PipelineMessages;

static void
pipeline_messages_clear (PipelineMessages *messages)
{
  g_clear_pointer (&messages->ocr, g_free);
  g_clear_pointer (&messages->candidates, g_free);
  g_clear_pointer (&messages->validation, g_free);
  g_clear_pointer (&messages->final_results, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PipelineMessages, pipeline_messages_clear)

static void
run_pipeline (Fixture          *fixture,
              PipelineMessages *messages)
{
  g_autofree char *event = upload_event_new (fixture->key);

  messages->ocr = run_stage (fixture, bi_stage_upload_handler, event, BI_QUEUE_OCR);
  messages->candidates = run_stage (fixture, bi_stage_ocr, messages->ocr, BI_QUEUE_CANDIDATES);
  messages->validation = run_stage (fixture, bi_stage_candidates, messages->candidates,
                                    BI_QUEUE_VALIDATION);
  messages->final_results = run_stage (fixture, bi_stage_validator, messages->validation, NULL);
  assert_nothing_sent (fixture);
}

static char *
results_object (Fixture    *fixture,
                const char *name)
{
  g_autofree char *key = g_strdup_printf ("%s/%s", fixture->job_id, name);

  return bi_memory_blob_store_get_text (fixture->blobs, BI_BUCKET_RESULTS, key);
}

/* ---- the pipeline --------------------------------------------------------------------- */

static void
check_final_results_stored_cb (const char *message,
                               gpointer    user_data)
{
  Fixture *fixture = user_data;
  g_autofree char *stored = results_object (fixture, "final-results.json");

  /* The result is stored before it is pushed: a subscriber can always read it again. */
  g_assert_cmpstr (stored, ==, message);
  fixture->published++;
}

static void
assert_book (JsonObject *book,
             const char *title,
             const char *author,
             gint64      year,
             const char *isbn13,
             const char *source_id)
{
  JsonArray *authors = json_object_get_array_member (book, "authors");
  g_autoptr(GList) members = json_object_get_members (book);
  const char *order[] = { "title", "authors", "year", "isbn13", "confidence", "source",
                          "sourceId", "evidence" };
  guint i = 0;

  for (GList *l = members; l != NULL; l = l->next, i++)
    g_assert_cmpstr (l->data, ==, order[i]);
  g_assert_cmpuint (i, ==, G_N_ELEMENTS (order));

  g_assert_cmpstr (json_object_get_string_member (book, "title"), ==, title);
  g_assert_cmpuint (json_array_get_length (authors), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (authors, 0), ==, author);
  g_assert_cmpint (json_object_get_int_member (book, "year"), ==, year);
  g_assert_cmpstr (json_object_get_string_member (book, "isbn13"), ==, isbn13);
  g_assert_cmpstr (json_object_get_string_member (book, "source"), ==, "catalog");
  g_assert_cmpstr (json_object_get_string_member (book, "sourceId"), ==, source_id);
  g_assert_cmpfloat (json_object_get_double_member (book, "confidence"), >=, 0.8);
  g_assert_cmpfloat (json_object_get_double_member (book, "confidence"), <=, 1.0);
}

static void
test_pipeline (Fixture       *fixture,
               gconstpointer  data)
{
  g_auto(PipelineMessages) messages = { NULL, NULL, NULL, NULL };
  g_autoptr(JsonObject) ocr = NULL;
  g_autoptr(JsonObject) candidates = NULL;
  g_autoptr(JsonObject) validation = NULL;
  g_autoptr(JsonObject) results = NULL;
  g_autoptr(GDateTime) timestamp = NULL;
  g_autofree char *expected_location = NULL;
  g_autofree char *stored = NULL;
  JsonArray *array;
  JsonObject *item;
  JsonObject *evidence;
  JsonObject *timings;

  bi_memory_topic_set_hook (fixture->topic, check_final_results_stored_cb, fixture);
  run_pipeline (fixture, &messages);
  g_assert_cmpuint (fixture->published, ==, 1);

  /* upload-handler → ocr */
  ocr = parse_object (messages.ocr);
  g_assert_cmpstr (json_object_get_string_member (ocr, "jobId"), ==, fixture->job_id);
  g_assert_cmpstr (json_object_get_string_member (ocr, "key"), ==, fixture->key);
  g_assert_cmpstr (json_object_get_string_member (ocr, "bucket"), ==, "uploads");
  g_assert_cmpint (json_object_get_int_member (ocr, "size"), ==, sizeof photo_bytes);

  /* ocr → candidates: every line the engine gave, kept as ocr.json */
  candidates = parse_object (messages.candidates);
  g_assert_cmpstr (json_object_get_string_member (candidates, "jobId"), ==, fixture->job_id);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (candidates,
                                                                              "image"),
                                               "width"), ==, 1000);
  array = json_object_get_array_member (candidates, "lines");
  g_assert_cmpuint (json_array_get_length (array), ==, 7);
  item = json_array_get_object_element (array, 0);
  g_assert_cmpstr (json_object_get_string_member (item, "text"), ==, "THE HOBBIT");
  g_assert_cmpfloat (json_object_get_double_member (item, "confidence"), ==, 0.92);
  g_assert_cmpfloat (json_object_get_double_member (item, "angle"), ==, 90);
  assert_bbox (item, 200, 40, 40, 320);
  g_assert_true (json_object_has_member (json_object_get_object_member (candidates, "timings"),
                                        "ocr_ms"));
  stored = results_object (fixture, "ocr.json");
  g_assert_cmpstr (stored, ==, messages.candidates);
  g_clear_pointer (&stored, g_free);

  /* candidates → validation: four spines, the noise dropped, kept as candidates.json */
  validation = parse_object (messages.validation);
  array = json_object_get_array_member (validation, "candidates");
  g_assert_cmpuint (json_array_get_length (array), ==, 4);
  item = json_array_get_object_element (array, 1);
  g_assert_cmpstr (json_object_get_string_member (item, "title"), ==, "THE HOBBIT");
  g_assert_cmpstr (json_object_get_string_member (item, "author"), ==, "J.R.R. TOLKIEN");
  g_assert_cmpint (json_object_get_int_member (item, "position"), ==, 1);
  item = json_array_get_object_element (array, 2);
  g_assert_true (json_object_get_null_member (item, "author"));
  stored = results_object (fixture, "candidates.json");
  g_assert_cmpstr (stored, ==, messages.validation);
  g_clear_pointer (&stored, g_free);

  /* validation → final results, field by field */
  results = parse_object (messages.final_results);
  g_assert_cmpstr (json_object_get_string_member (results, "jobId"), ==, fixture->job_id);
  g_assert_cmpstr (json_object_get_string_member (results, "status"), ==, "complete");
  g_assert_cmpint (json_object_get_int_member (results, "validatedBooks"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (results, "totalCandidates"), ==, 4);

  array = json_object_get_array_member (results, "books");
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  item = json_array_get_object_element (array, 0);
  assert_book (item, "Dune (Dune Chronicles #1)", "Frank Herbert", 1965, "9780441172719",
               "goodbooks:126");
  evidence = json_object_get_object_member (item, "evidence");
  g_assert_cmpstr (json_object_get_string_member (evidence, "text"), ==, "DUNE FRANK HERBERT");
  assert_bbox (evidence, 100, 60, 45, 480);
  g_assert_cmpint (json_object_get_int_member (evidence, "position"), ==, 0);
  g_assert_cmpfloat (json_object_get_double_member (evidence, "angle"), ==, 270);

  item = json_array_get_object_element (array, 1);
  assert_book (item, "The Hobbit", "J.R.R. Tolkien", 1937, "9780618260300", "goodbooks:7");
  evidence = json_object_get_object_member (item, "evidence");
  g_assert_cmpstr (json_object_get_string_member (evidence, "text"), ==,
                   "THE HOBBIT J.R.R. TOLKIEN");
  assert_bbox (evidence, 200, 40, 40, 580);
  g_assert_cmpint (json_object_get_int_member (evidence, "position"), ==, 1);
  g_assert_cmpfloat (json_object_get_double_member (evidence, "angle"), ==, 90);

  /* No catalog book for the third spine; the fourth is The Hobbit again, which one photo
   * does not hold twice. */
  array = json_object_get_array_member (results, "unresolved");
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  item = json_array_get_object_element (array, 0);
  g_assert_cmpstr (json_object_get_string_member (item, "text"), ==, "ZXQW PLORB");
  assert_bbox (item, 300, 100, 35, 300);
  g_assert_cmpint (json_object_get_int_member (item, "position"), ==, 2);
  g_assert_cmpuint (json_object_get_size (item), ==, 3);
  item = json_array_get_object_element (array, 1);
  g_assert_cmpstr (json_object_get_string_member (item, "text"), ==, "THE HOBBIT");
  g_assert_cmpint (json_object_get_int_member (item, "position"), ==, 3);

  expected_location = g_strdup_printf ("%s/final-results.json", fixture->job_id);
  g_assert_cmpstr (json_object_get_string_member (results, "resultsLocation"), ==,
                   expected_location);
  timings = json_object_get_object_member (results, "timings");
  g_assert_cmpuint (json_object_get_size (timings), ==, 3);
  g_assert_cmpint (json_object_get_int_member (timings, "ocr_ms"), >=, 0);
  g_assert_cmpint (json_object_get_int_member (timings, "candidates_ms"), >=, 0);
  g_assert_cmpint (json_object_get_int_member (timings, "validation_ms"), >=, 0);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (results, "timestamp"), "Z"));
  timestamp = g_date_time_new_from_iso8601 (json_object_get_string_member (results,
                                                                           "timestamp"), NULL);
  g_assert_nonnull (timestamp);
  g_assert_cmpuint (json_object_get_size (results), ==, 9);

  stored = results_object (fixture, "final-results.json");
  g_assert_cmpstr (stored, ==, messages.final_results);
}

/* ---- idempotency ---------------------------------------------------------------------- */

static void
test_idempotent (Fixture       *fixture,
                 gconstpointer  data)
{
  g_auto(PipelineMessages) first = { NULL, NULL, NULL, NULL };
  g_auto(PipelineMessages) again = { NULL, NULL, NULL, NULL };

  run_pipeline (fixture, &first);
  g_assert_cmpuint (bi_scripted_ocr_get_calls (fixture->ocr), ==, 1);

  /* Every message delivered a second time, as a queue may: the same output, no work
   * repeated (OCR runs once). */
  run_pipeline (fixture, &again);
  g_assert_cmpstr (again.ocr, ==, first.ocr);
  g_assert_cmpstr (again.candidates, ==, first.candidates);
  g_assert_cmpstr (again.validation, ==, first.validation);
  g_assert_cmpstr (again.final_results, ==, first.final_results);
  g_assert_cmpuint (bi_scripted_ocr_get_calls (fixture->ocr), ==, 1);
  g_assert_cmpuint (bi_memory_blob_store_count (fixture->blobs, BI_BUCKET_RESULTS), ==, 3);
}

/* A port failing is transient; the result is never published before it is stored. */
static void
test_port_failures (Fixture       *fixture,
                    gconstpointer  data)
{
  g_auto(PipelineMessages) messages = { NULL, NULL, NULL, NULL };
  g_autofree char *event = upload_event_new (fixture->key);
  g_autofree char *published = NULL;
  g_autofree char *republished = NULL;
  g_autofree char *stored = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) engine_error = NULL;

  messages.ocr = run_stage (fixture, bi_stage_upload_handler, event, BI_QUEUE_OCR);

  /* The engine cannot decode the photo: permanent, as the engine says. */
  engine_error = g_error_new_literal (BI_STAGE_ERROR, BI_STAGE_ERROR_PERMANENT,
                                      "The photo cannot be decoded.");
  bi_scripted_ocr_set_error (fixture->ocr, engine_error);
  assert_permanent (bi_stage_ocr (messages.ocr, &fixture->ports, &error), &error);
  g_clear_error (&error);
  g_clear_error (&engine_error);

  /* The engine's own trouble (out of memory, …) is transient: retried later. */
  engine_error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_FAILED, "scripted failure");
  bi_scripted_ocr_set_error (fixture->ocr, engine_error);
  g_assert_false (bi_stage_ocr (messages.ocr, &fixture->ports, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_clear_error (&error);
  bi_scripted_ocr_set_error (fixture->ocr, NULL);
  assert_nothing_sent (fixture);

  messages.candidates = run_stage (fixture, bi_stage_ocr, messages.ocr, BI_QUEUE_CANDIDATES);
  messages.validation = run_stage (fixture, bi_stage_candidates, messages.candidates,
                                   BI_QUEUE_VALIDATION);

  /* The results bucket refuses the write: nothing is published. */
  bi_memory_blob_store_fail_puts (fixture->blobs, TRUE);
  g_assert_false (bi_stage_validator (messages.validation, &fixture->ports, &error));
  g_assert_false (g_error_matches (error, BI_STAGE_ERROR, BI_STAGE_ERROR_PERMANENT));
  g_clear_error (&error);
  g_assert_null (results_object (fixture, "final-results.json"));
  assert_nothing_sent (fixture);
  bi_memory_blob_store_fail_puts (fixture->blobs, FALSE);

  /* Stored, then the topic fails: the retry publishes the stored result unchanged. */
  bi_memory_topic_fail_publish (fixture->topic, TRUE);
  g_assert_false (bi_stage_validator (messages.validation, &fixture->ports, &error));
  g_assert_false (g_error_matches (error, BI_STAGE_ERROR, BI_STAGE_ERROR_PERMANENT));
  g_clear_error (&error);
  stored = results_object (fixture, "final-results.json");
  g_assert_nonnull (stored);
  bi_memory_topic_fail_publish (fixture->topic, FALSE);

  published = run_stage (fixture, bi_stage_validator, messages.validation, NULL);
  g_assert_cmpstr (published, ==, stored);
  republished = run_stage (fixture, bi_stage_validator, messages.validation, NULL);
  g_assert_cmpstr (republished, ==, stored);
}

/* ---- bad input: every stage refuses it for good ---------------------------------------- */

static void
test_bad_upload_events (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *other_job = bi_job_id_new ();
  g_autofree char *missing_key = g_strdup_printf ("%s/missing.jpg", other_job);
  g_autofree char *text_key = g_strdup_printf ("%s/notes.jpg", fixture->job_id);
  g_autofree char *good = upload_event_new (fixture->key);
  g_autofree char *bad = upload_event_new ("job-1/x.jpg");
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);

  bi_memory_blob_store_put_data (fixture->blobs, BI_BUCKET_UPLOADS, text_key, "hello", 5);

  g_ptr_array_add (messages, g_strdup ("not json"));
  g_ptr_array_add (messages, g_strdup ("[]"));
  g_ptr_array_add (messages, g_strdup ("{}"));
  g_ptr_array_add (messages, g_strdup ("{\"Records\":[]}"));
  g_ptr_array_add (messages, g_strdup ("{\"Records\":{}}"));
  g_ptr_array_add (messages, g_strdup ("{\"Records\":[42]}"));
  /* S3's test event when a notification is configured. */
  g_ptr_array_add (messages, g_strdup ("{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\"}"));
  g_ptr_array_add (messages, g_strdup ("{\"Records\":[{\"eventSource\":\"aws:s3\","
                                       "\"eventName\":\"ObjectRemoved:Delete\",\"s3\":"
                                       "{\"object\":{\"key\":\"a/b\"}}}]}"));
  g_ptr_array_add (messages, g_strdup ("{\"Records\":[{\"eventSource\":\"aws:sqs\","
                                       "\"eventName\":\"ObjectCreated:Put\",\"s3\":"
                                       "{\"object\":{\"key\":\"a/b\"}}}]}"));
  g_ptr_array_add (messages, g_strdup ("{\"Records\":[{\"eventSource\":\"aws:s3\","
                                       "\"eventName\":\"ObjectCreated:Put\",\"s3\":"
                                       "{\"object\":{}}}]}"));
  g_ptr_array_add (messages, upload_event_new ("../../etc/passwd"));
  g_ptr_array_add (messages, upload_event_new ("job-1/x.jpg"));
  g_ptr_array_add (messages, g_strdup_printf ("{\"Records\":[{\"eventSource\":\"aws:s3\","
                                              "\"eventName\":\"ObjectCreated:Put\",\"s3\":"
                                              "{\"object\":{\"key\":\"%s%%2\"}}}]}",
                                              fixture->job_id));
  g_ptr_array_add (messages, upload_event_new (missing_key));
  g_ptr_array_add (messages, upload_event_new (text_key));
  /* One good record and one bad: nothing is queued. */
  g_ptr_array_add (messages, g_strdup_printf ("{\"Records\":[%.*s,%.*s]}",
                                              (int) strlen (good) - 14, good + 12,
                                              (int) strlen (bad) - 14, bad + 12));

  for (guint i = 0; i < messages->len; i++)
    {
      g_autoptr(GError) error = NULL;
      const char *message = g_ptr_array_index (messages, i);

      g_test_message ("%s", message);
      assert_permanent (bi_stage_upload_handler (message, &fixture->ports, &error), &error);
      assert_nothing_sent (fixture);
    }
}

/* Runs @stage on @template with every "%s" replaced by the job id: a permanent error. */
static void
assert_stage_refuses (Fixture     *fixture,
                      StageFunc    stage,
                      const char  *template)
{
  g_autoptr(GString) message = g_string_new (template);
  g_autoptr(GError) error = NULL;

  g_string_replace (message, "%s", fixture->job_id, 0);
  g_test_message ("%s", message->str);
  assert_permanent (stage (message->str, &fixture->ports, &error), &error);
  assert_nothing_sent (fixture);
}

static void
test_bad_ocr_messages (Fixture       *fixture,
                       gconstpointer  data)
{
  const char *templates[] = {
    "",
    "{",
    "null",
    "{\"key\":\"%s/shelf photo.jpg\",\"bucket\":\"uploads\",\"size\":12}",
    "{\"jobId\":\"job-1\",\"key\":\"job-1/a.jpg\",\"bucket\":\"uploads\",\"size\":12}",
    "{\"jobId\":\"../%s\",\"key\":\"%s/shelf photo.jpg\",\"bucket\":\"uploads\",\"size\":12}",
    "{\"jobId\":42,\"key\":\"%s/shelf photo.jpg\",\"bucket\":\"uploads\",\"size\":12}",
    "{\"jobId\":\"%s\",\"bucket\":\"uploads\",\"size\":12}",
    "{\"jobId\":\"%s\",\"key\":\"%s/../x\",\"bucket\":\"uploads\",\"size\":12}",
    "{\"jobId\":\"%s\",\"key\":\"job-1234567890-abcdefgh/x.jpg\",\"bucket\":\"uploads\","
    "\"size\":12}",
    "{\"jobId\":\"%s\",\"key\":\"%s/shelf photo.jpg\",\"bucket\":\"results\",\"size\":12}",
    "{\"jobId\":\"%s\",\"key\":\"%s/shelf photo.jpg\",\"bucket\":\"uploads\",\"size\":-1}",
    "{\"jobId\":\"%s\",\"key\":\"%s/shelf photo.jpg\",\"bucket\":\"uploads\",\"size\":\"12\"}",
    "{\"jobId\":\"%s\",\"key\":\"%s/gone.jpg\",\"bucket\":\"uploads\",\"size\":12}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (templates); i++)
    assert_stage_refuses (fixture, bi_stage_ocr, templates[i]);
  g_assert_cmpuint (bi_scripted_ocr_get_calls (fixture->ocr), ==, 0);
}

#define CANDIDATES_HEAD "{\"jobId\":\"%s\",\"key\":\"%s/shelf photo.jpg\","
#define GOOD_IMAGE "\"image\":{\"width\":1000,\"height\":800},"
#define GOOD_LINE "{\"text\":\"DUNE\",\"confidence\":0.9,\"bbox\":[1,2,3,4],\"angle\":90}"

static void
test_bad_candidates_messages (Fixture       *fixture,
                              gconstpointer  data)
{
  const char *templates[] = {
    "{}",
    CANDIDATES_HEAD GOOD_IMAGE "\"timings\":{}}",
    CANDIDATES_HEAD GOOD_IMAGE "\"lines\":{},\"timings\":{}}",
    CANDIDATES_HEAD "\"lines\":[" GOOD_LINE "],\"timings\":{}}",
    CANDIDATES_HEAD "\"image\":{\"width\":0,\"height\":800},\"lines\":[],\"timings\":{}}",
    CANDIDATES_HEAD "\"image\":{\"width\":\"1000\",\"height\":800},\"lines\":[]}",
    CANDIDATES_HEAD GOOD_IMAGE "\"lines\":[" GOOD_LINE ",7],\"timings\":{}}",
    CANDIDATES_HEAD GOOD_IMAGE "\"lines\":[{\"text\":5,\"confidence\":0.9,"
    "\"bbox\":[1,2,3,4],\"angle\":90}]}",
    CANDIDATES_HEAD GOOD_IMAGE "\"lines\":[{\"text\":\"A\",\"confidence\":1.5,"
    "\"bbox\":[1,2,3,4],\"angle\":90}]}",
    CANDIDATES_HEAD GOOD_IMAGE "\"lines\":[{\"text\":\"A\",\"confidence\":0.5,"
    "\"bbox\":[1,2,3],\"angle\":90}]}",
    CANDIDATES_HEAD GOOD_IMAGE "\"lines\":[{\"text\":\"A\",\"confidence\":0.5,"
    "\"bbox\":[1,-2,3,4],\"angle\":90}]}",
    CANDIDATES_HEAD GOOD_IMAGE "\"lines\":[{\"text\":\"A\",\"confidence\":0.5,"
    "\"bbox\":[1,2.5,3,4],\"angle\":90}]}",
    CANDIDATES_HEAD GOOD_IMAGE "\"lines\":[{\"text\":\"A\",\"confidence\":0.5,"
    "\"bbox\":[1,2,3,4],\"angle\":\"up\"}]}",
    CANDIDATES_HEAD GOOD_IMAGE "\"lines\":[" GOOD_LINE "],\"timings\":{\"ocr_ms\":\"fast\"}}",
    CANDIDATES_HEAD GOOD_IMAGE "\"lines\":[" GOOD_LINE "],\"timings\":[]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (templates); i++)
    assert_stage_refuses (fixture, bi_stage_candidates, templates[i]);
}

#define GOOD_CANDIDATE \
  "{\"text\":\"DUNE\",\"title\":\"DUNE\",\"author\":null,\"bbox\":[1,2,3,4],\"position\":0," \
  "\"angle\":90,\"confidence\":0.9}"

static void
test_bad_validation_messages (Fixture       *fixture,
                              gconstpointer  data)
{
  const char *templates[] = {
    "[1,2,3]",
    CANDIDATES_HEAD GOOD_IMAGE "\"timings\":{}}",
    "{\"jobId\":\"%s\",\"key\":\"job-1234567890-abcdefgh/x.jpg\"," GOOD_IMAGE
    "\"candidates\":[],\"timings\":{}}",
    CANDIDATES_HEAD GOOD_IMAGE "\"candidates\":[\"DUNE\"],\"timings\":{}}",
    CANDIDATES_HEAD GOOD_IMAGE "\"candidates\":[{\"text\":\"DUNE\",\"author\":null,"
    "\"bbox\":[1,2,3,4],\"position\":0,\"angle\":90,\"confidence\":0.9}]}",
    CANDIDATES_HEAD GOOD_IMAGE "\"candidates\":[{\"text\":\"DUNE\",\"title\":\"DUNE\","
    "\"author\":5,\"bbox\":[1,2,3,4],\"position\":0,\"angle\":90,\"confidence\":0.9}]}",
    CANDIDATES_HEAD GOOD_IMAGE "\"candidates\":[{\"text\":\"DUNE\",\"title\":\"DUNE\","
    "\"bbox\":[1,2,3,4],\"position\":-1,\"angle\":90,\"confidence\":0.9}]}",
    CANDIDATES_HEAD GOOD_IMAGE "\"candidates\":[{\"text\":\"DUNE\",\"title\":\"DUNE\","
    "\"bbox\":[1,2,3,4],\"position\":0,\"angle\":90,\"confidence\":\"high\"}]}",
    CANDIDATES_HEAD GOOD_IMAGE "\"candidates\":[" GOOD_CANDIDATE "],\"timings\":{\"x\":-1}}",
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) good = g_string_new (CANDIDATES_HEAD GOOD_IMAGE "\"candidates\":["
                                          GOOD_CANDIDATE "],\"timings\":{\"ocr_ms\":5}}");

  for (guint i = 0; i < G_N_ELEMENTS (templates); i++)
    assert_stage_refuses (fixture, bi_stage_validator, templates[i]);

  /* The well-formed neighbour of those messages is accepted. */
  g_string_replace (good, "%s", fixture->job_id, 0);
  g_assert_true (bi_stage_validator (good->str, &fixture->ports, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (bi_memory_topic_length (fixture->topic), ==, 1);
}

/* ---- helpers for hosts ---------------------------------------------------------------- */

static void
assert_message_job_id (Fixture    *fixture,
                       const char *queue_name,
                       const char *message)
{
  g_autofree char *job_id = bi_stage_message_job_id (queue_name, message);

  g_assert_cmpstr (job_id, ==, fixture->job_id);
}

static void
test_message_job_id (Fixture       *fixture,
                     gconstpointer  data)
{
  g_auto(PipelineMessages) messages = { NULL, NULL, NULL, NULL };
  g_autofree char *event = upload_event_new (fixture->key);
  g_autofree char *bad_event = upload_event_new ("job-1/x.jpg");
  g_autofree char *failure = NULL;
  g_autoptr(JsonObject) object = NULL;
  JsonObject *error_object;

  run_pipeline (fixture, &messages);
  assert_message_job_id (fixture, BI_QUEUE_UPLOAD_EVENTS, event);
  assert_message_job_id (fixture, BI_QUEUE_OCR, messages.ocr);
  assert_message_job_id (fixture, BI_QUEUE_CANDIDATES, messages.candidates);
  assert_message_job_id (fixture, BI_QUEUE_VALIDATION, messages.validation);
  assert_message_job_id (fixture, "topic", messages.final_results);

  g_assert_null (bi_stage_message_job_id (BI_QUEUE_UPLOAD_EVENTS, bad_event));
  g_assert_null (bi_stage_message_job_id (BI_QUEUE_UPLOAD_EVENTS, "{}"));
  g_assert_null (bi_stage_message_job_id (BI_QUEUE_OCR, "not json"));
  g_assert_null (bi_stage_message_job_id (BI_QUEUE_OCR, "{\"jobId\":\"../etc\"}"));
  g_assert_null (bi_stage_message_job_id (BI_QUEUE_OCR, NULL));

  failure = bi_stage_failure_new (fixture->job_id, "ocr", "bad_photo", "Cannot decode.");
  object = parse_object (failure);
  g_assert_cmpstr (json_object_get_string_member (object, "jobId"), ==, fixture->job_id);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "failed");
  error_object = json_object_get_object_member (object, "error");
  g_assert_cmpstr (json_object_get_string_member (error_object, "stage"), ==, "ocr");
  g_assert_cmpstr (json_object_get_string_member (error_object, "code"), ==, "bad_photo");
  g_assert_cmpstr (json_object_get_string_member (error_object, "message"), ==,
                   "Cannot decode.");
  g_assert_true (g_str_has_suffix (json_object_get_string_member (object, "timestamp"), "Z"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/bookimg/stages/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("pipeline", test_pipeline);
  ADD ("idempotent", test_idempotent);
  ADD ("port-failures", test_port_failures);
  ADD ("bad-upload-events", test_bad_upload_events);
  ADD ("bad-ocr-messages", test_bad_ocr_messages);
  ADD ("bad-candidates-messages", test_bad_candidates_messages);
  ADD ("bad-validation-messages", test_bad_validation_messages);
  ADD ("message-job-id", test_message_job_id);
#undef ADD

  return g_test_run ();
}
