/* test-job-store.c — per-job seq and terminal messages, kept across restarts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-job-store.h"
#include "bi-protocol-error.h"
#include "bi-sqlite-queue.h"
#include "bi-subscription-store.h"
#include "bi-test-store-utils.h"

#include <string.h>

#define JOB_ID "job-1700000000000-abcdefghijklmnopqrstuvwx"

typedef struct
{
  char       *dir;
  char       *path;
  BiJobStore *store;
} Fixture;

static BiJobStore *
open_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  BiJobStore *store = bi_job_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = bi_test_temp_dir_new ();
  fixture->path = g_build_filename (fixture->dir, "bookimg.db", NULL);
  fixture->store = open_store (fixture->path);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->store, bi_job_store_free);
  bi_test_temp_dir_remove (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static BiServerMessage *
parse_push (const char *text)
{
  g_autoptr(GError) error = NULL;
  BiServerMessage *message;

  g_assert_nonnull (text);
  message = bi_server_message_parse (text, strlen (text), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (message->job_id, ==, JOB_ID);
  return message;
}

/* Reports progress and returns the seq of the push. */
static gint64
progress (BiJobStore *store,
          BiStage     stage,
          gboolean    finished)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = bi_job_store_progress (store, JOB_ID, stage, finished, &error);
  g_autoptr(BiServerMessage) push = NULL;

  g_assert_no_error (error);
  push = parse_push (text);
  g_assert_cmpint (push->type, ==, BI_SERVER_MESSAGE_JOB_PROGRESS);
  g_assert_cmpstr (push->stage, ==, bi_stage_to_string (stage));
  g_assert_cmpint (push->finished, ==, finished);
  return push->seq;
}

static JsonNode *
parse_json (const char *text)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  return node;
}

static const char complete_topic[] =
  "{\"jobId\":\"" JOB_ID "\",\"status\":\"complete\",\"validatedBooks\":1,"
  "\"totalCandidates\":2,\"books\":[{\"title\":\"Dune\"}],\"unresolved\":[]}";
static const char failed_topic[] =
  "{\"jobId\":\"" JOB_ID "\",\"status\":\"failed\",\"error\":{\"stage\":\"ocr\","
  "\"code\":\"stage_failed\",\"message\":\"The photo could not be decoded.\"}}";

static char *
finish (BiJobStore *store,
        const char *topic_text,
        gboolean    expect_already_terminal)
{
  g_autoptr(JsonNode) topic = parse_json (topic_text);
  g_autoptr(GError) error = NULL;
  gboolean already_terminal = !expect_already_terminal;
  char *text = bi_job_store_finish (store, JOB_ID, topic, &already_terminal, &error);

  g_assert_no_error (error);
  g_assert_nonnull (text);
  g_assert_cmpint (already_terminal, ==, expect_already_terminal);
  return text;
}

/* ---- tests ------------------------------------------------------------------------------ */

static void
test_seq_increases_across_reopen (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *stage = NULL;
  g_autofree char *terminal = NULL;

  g_assert_cmpint (bi_job_store_lookup (fixture->store, JOB_ID, NULL, NULL, &error), ==,
                   BI_JOB_STATE_UNKNOWN);
  g_assert_no_error (error);

  g_assert_true (bi_job_store_create (fixture->store, JOB_ID, &error));
  g_assert_no_error (error);
  g_assert_cmpint (bi_job_store_lookup (fixture->store, JOB_ID, &stage, &terminal, &error), ==,
                   BI_JOB_STATE_PENDING);
  g_assert_cmpstr (stage, ==, "uploaded");
  g_assert_null (terminal);
  g_clear_pointer (&stage, g_free);

  g_assert_cmpint (progress (fixture->store, BI_STAGE_OCR, FALSE), ==, 1);
  g_assert_cmpint (progress (fixture->store, BI_STAGE_OCR, TRUE), ==, 2);

  /* A restart, and an upload retried: creating again must not reset anything. */
  g_clear_pointer (&fixture->store, bi_job_store_free);
  fixture->store = open_store (fixture->path);
  g_assert_true (bi_job_store_create (fixture->store, JOB_ID, &error));
  g_assert_cmpint (progress (fixture->store, BI_STAGE_CANDIDATES, FALSE), ==, 3);
  g_assert_cmpint (bi_job_store_lookup (fixture->store, JOB_ID, &stage, NULL, &error), ==,
                   BI_JOB_STATE_PENDING);
  g_assert_cmpstr (stage, ==, "candidates");
}

static void
test_finish_once (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *first = NULL;
  g_autofree char *second = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *late = NULL;
  g_autoptr(BiServerMessage) push = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *results;

  g_assert_cmpint (progress (fixture->store, BI_STAGE_VALIDATION, TRUE), ==, 1);
  first = finish (fixture->store, complete_topic, FALSE);
  push = parse_push (first);
  g_assert_cmpint (push->type, ==, BI_SERVER_MESSAGE_PROCESSING_COMPLETE);
  g_assert_cmpint (push->seq, ==, 2);
  results = json_node_get_object (push->results);
  g_assert_cmpstr (json_object_get_string_member (results, "status"), ==, "complete");
  g_assert_cmpint (json_object_get_int_member (results, "validatedBooks"), ==, 1);

  /* A redelivered topic message — even a different one — gets the stored answer. */
  second = finish (fixture->store, failed_topic, TRUE);
  g_assert_cmpstr (second, ==, first);

  g_clear_pointer (&fixture->store, bi_job_store_free);
  fixture->store = open_store (fixture->path);
  g_assert_cmpint (bi_job_store_lookup (fixture->store, JOB_ID, NULL, &stored, &error), ==,
                   BI_JOB_STATE_COMPLETE);
  g_assert_cmpstr (stored, ==, first);

  /* Progress of a late redelivery: nothing to push. */
  late = bi_job_store_progress (fixture->store, JOB_ID, BI_STAGE_OCR, FALSE, &error);
  g_assert_no_error (error);
  g_assert_null (late);
}

static void
test_finish_failed_creates_job (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autofree char *text = NULL;
  g_autofree char *stored = NULL;
  g_autoptr(BiServerMessage) push = NULL;
  g_autoptr(GError) error = NULL;

  /* Never created here: the upload went through another host. */
  text = finish (fixture->store, failed_topic, FALSE);
  push = parse_push (text);
  g_assert_cmpint (push->type, ==, BI_SERVER_MESSAGE_PROCESSING_FAILED);
  g_assert_cmpint (push->seq, ==, 1);
  g_assert_cmpstr (push->stage, ==, "ocr");
  g_assert_cmpstr (push->error_code, ==, "stage_failed");
  g_assert_cmpstr (push->error_message, ==, "The photo could not be decoded.");

  g_assert_cmpint (bi_job_store_lookup (fixture->store, JOB_ID, NULL, &stored, &error), ==,
                   BI_JOB_STATE_FAILED);
  g_assert_cmpstr (stored, ==, text);
}

static void
test_rejects_bad_input (Fixture       *fixture,
                        gconstpointer  data)
{
  const char *bad_topics[] = {
    "[1,2]",
    "\"complete\"",
    "{\"jobId\":\"" JOB_ID "\"}",
    "{\"jobId\":\"" JOB_ID "\",\"status\":\"done\"}",
    "{\"jobId\":\"" JOB_ID "\",\"status\":\"failed\"}",
    "{\"jobId\":\"" JOB_ID "\",\"status\":\"failed\",\"error\":{\"stage\":\"ocr\"}}",
    "{\"jobId\":\"" JOB_ID "\",\"status\":\"failed\",\"error\":\"boom\"}",
    "{\"jobId\":\"job-1700000000000-otherjobotherjob\",\"status\":\"complete\"}",
  };
  const char *bad_job_ids[] = { "", "../etc", "job-1-x", "job-1700000000000-abc/def" };
  g_autoptr(GError) error = NULL;
  g_autofree char *stage = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad_topics); i++)
    {
      g_autoptr(JsonNode) topic = parse_json (bad_topics[i]);
      g_autoptr(GError) topic_error = NULL;
      g_autofree char *text = bi_job_store_finish (fixture->store, JOB_ID, topic, NULL,
                                                   &topic_error);

      g_assert_null (text);
      g_assert_error (topic_error, BI_PROTOCOL_ERROR, BI_PROTOCOL_ERROR_BAD_MESSAGE);
    }
  /* Nothing was recorded by the rejected messages: the job is still open, seq unused. */
  g_assert_cmpint (progress (fixture->store, BI_STAGE_OCR, FALSE), ==, 1);

  for (guint i = 0; i < G_N_ELEMENTS (bad_job_ids); i++)
    {
      g_autoptr(GError) id_error = NULL;
      g_autofree char *text = bi_job_store_progress (fixture->store, bad_job_ids[i],
                                                     BI_STAGE_OCR, FALSE, &id_error);

      g_assert_null (text);
      g_assert_error (id_error, BI_PROTOCOL_ERROR, BI_PROTOCOL_ERROR_BAD_JOB_ID);
      g_clear_error (&id_error);
      g_assert_false (bi_job_store_create (fixture->store, bad_job_ids[i], &id_error));
      g_assert_error (id_error, BI_PROTOCOL_ERROR, BI_PROTOCOL_ERROR_BAD_JOB_ID);
    }
  g_assert_cmpint (bi_job_store_lookup (fixture->store, "../x", &stage, NULL, &error), ==,
                   BI_JOB_STATE_UNKNOWN);
  g_assert_error (error, BI_PROTOCOL_ERROR, BI_PROTOCOL_ERROR_BAD_JOB_ID);
  g_assert_null (stage);
}

#define N_WRITERS 4
#define N_PROGRESS 25

typedef struct
{
  const char *path;
  GMutex      lock;
  GHashTable *seqs; /* every seq handed out */
  guint       duplicates;
} SeqRace;

static gpointer
report_progress (gpointer data)
{
  SeqRace *race = data;
  /* Each thread its own connection, as the stage host and the notifier have. */
  g_autoptr(BiJobStore) store = open_store (race->path);

  for (guint i = 0; i < N_PROGRESS; i++)
    {
      gint64 seq = progress (store, BI_STAGE_OCR, i % 2 == 1);
      g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&race->lock);
      gint64 *key = g_new (gint64, 1);

      *key = seq;
      if (!g_hash_table_add (race->seqs, key))
        race->duplicates++;
    }
  return NULL;
}

static void
test_seq_unique_under_concurrency (Fixture       *fixture,
                                   gconstpointer  data)
{
  SeqRace race = { fixture->path, };

  g_mutex_init (&race.lock);
  race.seqs = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  bi_test_run_threads (N_WRITERS, report_progress, &race);

  g_assert_cmpuint (race.duplicates, ==, 0);
  g_assert_cmpuint (g_hash_table_size (race.seqs), ==, N_WRITERS * N_PROGRESS);
  for (gint64 seq = 1; seq <= N_WRITERS * N_PROGRESS; seq++)
    g_assert_true (g_hash_table_contains (race.seqs, &seq));
  g_hash_table_unref (race.seqs);
  g_mutex_clear (&race.lock);
}

static void
test_shares_database_file (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BiSqliteQueue) queue = bi_sqlite_queue_open (fixture->path, NULL, &error);
  g_autoptr(BiSubscriptionStore) subscriptions = NULL;
  g_autoptr(GPtrArray) connections = NULL;
  g_autoptr(BiQueueMessage) message = NULL;

  /* The server keeps every store in one file: each must find its own tables. */
  g_assert_no_error (error);
  subscriptions = bi_subscription_store_open (fixture->path, BI_SUBSCRIPTION_TTL_MS, &error);
  g_assert_no_error (error);

  g_assert_true (bi_sqlite_queue_send (queue, "ocr", "{}", &error));
  g_assert_true (bi_subscription_store_put (subscriptions, JOB_ID, "conn-1", &error));
  g_assert_no_error (error);
  g_assert_cmpint (progress (fixture->store, BI_STAGE_OCR, FALSE), ==, 1);

  message = bi_sqlite_queue_receive (queue, "ocr", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (message->body, ==, "{}");
  connections = bi_subscription_store_list_by_job (subscriptions, JOB_ID, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (connections->len, ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/bookimg/job-store/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("seq-increases-across-reopen", test_seq_increases_across_reopen);
  ADD ("finish-once", test_finish_once);
  ADD ("finish-failed-creates-job", test_finish_failed_creates_job);
  ADD ("rejects-bad-input", test_rejects_bad_input);
  ADD ("seq-unique-under-concurrency", test_seq_unique_under_concurrency);
  ADD ("shares-database-file", test_shares_database_file);
#undef ADD

  return g_test_run ();
}
