/* test-stage-host.c — a two-stage pipeline of test stages on worker threads over SQLite
 *
 * The stages here are tiny test functions, not the real ones: what is tested is the host
 * (progress, retries, dead-lettering, failure reports, stop), not OCR.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-stage-host.h"
#include "bi-stages.h"
#include "bi-test-store-utils.h"

#include <string.h>

#define FIRST_QUEUE  BI_QUEUE_OCR
#define SECOND_QUEUE BI_QUEUE_CANDIDATES
#define JOB_OK        "job-1700000000000-okokokokokokokokokokokok"
#define JOB_RETRIED   "job-1700000000000-retriedretriedretriedre"
#define JOB_PERMANENT "job-1700000000000-permanentpermanentperm"
#define JOB_EXHAUSTED "job-1700000000000-exhaustedexhaustedexha"
#define MAX_RECEIVES 2
/* Generous: a pipeline step takes milliseconds; only a broken host waits this long. */
#define DEADLINE_MS 10000

typedef struct
{
  char          *dir;
  char          *path;
  BiSqliteQueue *queue;
  BiStageHost   *host;

  GMutex         lock;          /* guards everything below */
  GCond          changed;
  GPtrArray     *events;        /* "<job>:<stage>:started|finished" in the order reported */
  GHashTable    *attempts;      /* "<job>:<stage>" → attempts (GUINT_TO_POINTER) */
  guint          ports_made;
  guint          ports_freed;
  gboolean       wrong_thread;  /* a stage ran on another thread than its ports were made on */
} Fixture;

/* Ports of one worker; the fake OCR engine remembers the thread that made it. */
typedef struct
{
  BiOcrEngine  parent;
  Fixture     *fixture;
  GThread     *owner;
} TestEngine;

typedef struct
{
  BiStagePorts ports;
  TestEngine   engine;
} TestPorts;

/* ---- test stages ------------------------------------------------------------------------ */

static JsonObject *
parse_object (const char *message,
              JsonNode  **root)
{
  g_autoptr(GError) error = NULL;

  *root = json_from_string (message, &error);
  g_assert_no_error (error);
  return json_node_get_object (*root);
}

static guint
count_attempt (Fixture    *fixture,
               const char *job_id,
               const char *stage)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&fixture->lock);
  char *key = g_strdup_printf ("%s:%s", job_id, stage);
  guint attempts = GPOINTER_TO_UINT (g_hash_table_lookup (fixture->attempts, key)) + 1;

  g_hash_table_replace (fixture->attempts, key, GUINT_TO_POINTER (attempts));
  return attempts;
}

static Fixture *
check_thread (BiStagePorts *ports)
{
  TestEngine *engine = (TestEngine *) ports->ocr_engine;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&engine->fixture->lock);

  if (engine->owner != g_thread_self ())
    engine->fixture->wrong_thread = TRUE;
  return engine->fixture;
}

/* Passes its message on, or fails as its "mode" says. */
static gboolean
first_stage (const char    *message,
             BiStagePorts  *ports,
             GError       **error)
{
  Fixture *fixture = check_thread (ports);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object = parse_object (message, &root);
  const char *job_id = json_object_get_string_member (object, "jobId");
  const char *mode = json_object_get_string_member (object, "mode");
  guint attempts = count_attempt (fixture, job_id, "ocr");

  /* Sent before failing: the host must drop it with the failed attempt. */
  if (!ports->queue->send (ports->queue, SECOND_QUEUE, message, error))
    return FALSE;

  if (g_strcmp0 (mode, "permanent") == 0)
    {
      g_set_error (error, BI_STAGE_ERROR, BI_STAGE_ERROR_PERMANENT, "undecodable photo");
      return FALSE;
    }
  if (g_strcmp0 (mode, "always-transient") == 0
      || (g_strcmp0 (mode, "transient-once") == 0 && attempts == 1))
    {
      g_set_error (error, BI_STAGE_ERROR, BI_STAGE_ERROR_TRANSIENT, "engine busy (attempt %u)",
                   attempts);
      return FALSE;
    }
  return TRUE;
}

/* Publishes the job's result. */
static gboolean
second_stage (const char    *message,
              BiStagePorts  *ports,
              GError       **error)
{
  Fixture *fixture = check_thread (ports);
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object = parse_object (message, &root);
  const char *job_id = json_object_get_string_member (object, "jobId");
  g_autofree char *result = g_strdup_printf ("{\"jobId\":\"%s\",\"status\":\"complete\"}",
                                             job_id);

  count_attempt (fixture, job_id, "candidates");
  return ports->topic->publish (ports->topic, result, error);
}

static BiStagePorts *
test_ports_new (gpointer   user_data,
                GError   **error)
{
  Fixture *fixture = user_data;
  TestPorts *ports = g_new0 (TestPorts, 1);

  ports->engine.fixture = fixture;
  ports->engine.owner = g_thread_self ();
  ports->ports.ocr_engine = &ports->engine.parent;
  ports->ports.queue = bi_sqlite_queue_as_queue (fixture->queue);
  ports->ports.topic = bi_sqlite_queue_as_topic (fixture->queue);

  g_mutex_lock (&fixture->lock);
  fixture->ports_made++;
  g_mutex_unlock (&fixture->lock);
  return &ports->ports;
}

static void
test_ports_free (BiStagePorts *ports,
                 gpointer      user_data)
{
  Fixture *fixture = user_data;

  g_mutex_lock (&fixture->lock);
  fixture->ports_freed++;
  g_mutex_unlock (&fixture->lock);
  g_free (ports);
}

static void
progress_cb (const char *job_id,
             BiStage     stage,
             gboolean    finished,
             gpointer    user_data)
{
  Fixture *fixture = user_data;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&fixture->lock);

  g_ptr_array_add (fixture->events, g_strdup_printf ("%s:%s:%s", job_id,
                                                     bi_stage_to_string (stage),
                                                     finished ? "finished" : "started"));
  g_cond_broadcast (&fixture->changed);
}

/* ---- fixture ---------------------------------------------------------------------------- */

static void
open_queue (Fixture *fixture)
{
  /* No backoff: a failed message is retried at once, so nothing waits on a clock. */
  BiQueuePolicy policy = { 60 * 1000, MAX_RECEIVES, 0, 0 };
  g_autoptr(GError) error = NULL;

  fixture->queue = bi_sqlite_queue_open (fixture->path, &policy, &error);
  g_assert_no_error (error);
}

static void
make_host (Fixture *fixture)
{
  fixture->host = bi_stage_host_new (fixture->queue, progress_cb, fixture);
  /* One worker first, so that a retry runs where the failed attempt did (and would find
   * what that attempt sent, were it not dropped); two next, to have several to stop. */
  bi_stage_host_add_stage (fixture->host, FIRST_QUEUE, BI_STAGE_OCR, first_stage, 1,
                           test_ports_new, test_ports_free, fixture);
  bi_stage_host_add_stage (fixture->host, SECOND_QUEUE, BI_STAGE_CANDIDATES, second_stage, 2,
                           test_ports_new, test_ports_free, fixture);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = bi_test_temp_dir_new ();
  fixture->path = g_build_filename (fixture->dir, "bookimg.db", NULL);
  g_mutex_init (&fixture->lock);
  g_cond_init (&fixture->changed);
  fixture->events = g_ptr_array_new_with_free_func (g_free);
  fixture->attempts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  open_queue (fixture);
  make_host (fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->host, bi_stage_host_free);
  g_assert_cmpuint (fixture->ports_freed, ==, fixture->ports_made);
  g_assert_false (fixture->wrong_thread);
  g_clear_pointer (&fixture->queue, bi_sqlite_queue_free);
  bi_test_temp_dir_remove (fixture->dir);
  g_ptr_array_unref (fixture->events);
  g_hash_table_unref (fixture->attempts);
  g_cond_clear (&fixture->changed);
  g_mutex_clear (&fixture->lock);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static void
send_job (Fixture    *fixture,
          const char *job_id,
          const char *mode)
{
  g_autofree char *body = g_strdup_printf ("{\"jobId\":\"%s\",\"mode\":\"%s\"}", job_id, mode);
  g_autoptr(GError) error = NULL;

  g_assert_true (bi_sqlite_queue_send (fixture->queue, FIRST_QUEUE, body, &error));
  g_assert_no_error (error);
}

/* Waits for the next topic message and returns its JSON, checking it is about @job_id. */
static JsonNode *
receive_topic_message (Fixture    *fixture,
                       const char *job_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BiQueueMessage) message = NULL;
  JsonNode *root;

  message = bi_sqlite_queue_receive (fixture->queue, BI_QUEUE_NOTIFICATIONS, DEADLINE_MS,
                                     &error);
  g_assert_no_error (error);
  g_assert_nonnull (message);
  g_assert_true (bi_sqlite_queue_delete (fixture->queue, message, &error));
  root = json_from_string (message->body, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "jobId"), ==,
                   job_id);
  return root;
}

/* Runs one job through the host, from start to its topic message, and stops the host. */
static JsonNode *
run_job (Fixture    *fixture,
         const char *job_id,
         const char *mode)
{
  JsonNode *topic_message;

  send_job (fixture, job_id, mode);
  bi_stage_host_start (fixture->host);
  topic_message = receive_topic_message (fixture, job_id);
  bi_stage_host_stop (fixture->host);
  return topic_message;
}

/* The events of @job_id, in order, joined with spaces (without the job id). */
static char *
job_events (Fixture    *fixture,
            const char *job_id)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&fixture->lock);
  g_autoptr(GString) joined = g_string_new (NULL);

  for (guint i = 0; i < fixture->events->len; i++)
    {
      const char *event = g_ptr_array_index (fixture->events, i);

      if (g_str_has_prefix (event, job_id) && event[strlen (job_id)] == ':')
        g_string_append_printf (joined, "%s%s", joined->len > 0 ? " " : "",
                                event + strlen (job_id) + 1);
    }
  return g_string_free (g_steal_pointer (&joined), FALSE);
}

static guint
attempts_of (Fixture    *fixture,
             const char *job_id,
             const char *stage)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&fixture->lock);
  g_autofree char *key = g_strdup_printf ("%s:%s", job_id, stage);

  return GPOINTER_TO_UINT (g_hash_table_lookup (fixture->attempts, key));
}

static void
wait_for_events (Fixture *fixture,
                 guint    n_events)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&fixture->lock);
  gint64 deadline = g_get_monotonic_time () + DEADLINE_MS * G_TIME_SPAN_MILLISECOND;

  while (fixture->events->len < n_events)
    if (!g_cond_wait_until (&fixture->changed, &fixture->lock, deadline))
      g_error ("Timed out waiting for %u progress events (have %u)", n_events,
               fixture->events->len);
}

static void
assert_failure (JsonNode   *root,
                const char *stage,
                const char *code,
                const char *message_part)
{
  JsonObject *object = json_node_get_object (root);
  JsonObject *failure = json_object_get_object_member (object, "error");

  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "failed");
  g_assert_cmpstr (json_object_get_string_member (failure, "stage"), ==, stage);
  g_assert_cmpstr (json_object_get_string_member (failure, "code"), ==, code);
  g_assert_nonnull (strstr (json_object_get_string_member (failure, "message"), message_part));
}

static void
assert_contains (const char *text,
                 const char *line)
{
  if (strstr (text, line) == NULL)
    g_error ("“%s” is missing from:\n%s", line, text);
}

/* ---- tests ------------------------------------------------------------------------------ */

static void
test_pipeline_reports_progress_in_order (Fixture       *fixture,
                                         gconstpointer  data)
{
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(GString) metrics = g_string_new (NULL);
  g_autofree char *events = NULL;

  result = run_job (fixture, JOB_OK, "ok");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (result), "status"), ==,
                   "complete");
  /* The result is published only after its stage reported "finished". */
  events = job_events (fixture, JOB_OK);
  g_assert_cmpstr (events, ==, "ocr:started ocr:finished candidates:started candidates:finished");
  g_assert_cmpuint (bi_sqlite_queue_depth (fixture->queue, FIRST_QUEUE), ==, 0);
  g_assert_cmpuint (bi_sqlite_queue_depth (fixture->queue, SECOND_QUEUE), ==, 0);
  /* Every worker made its ports on its own thread (checked in tear-down). */
  g_assert_cmpuint (fixture->ports_made, ==, 3);

  bi_stage_host_write_metrics (fixture->host, metrics);
  assert_contains (metrics->str, "bookimg_stage_processed_total{stage=\"ocr\"} 1\n");
  assert_contains (metrics->str, "bookimg_stage_processed_total{stage=\"candidates\"} 1\n");
  assert_contains (metrics->str, "bookimg_stage_failed_total{stage=\"ocr\"} 0\n");
  assert_contains (metrics->str,
                   "bookimg_stage_duration_seconds_bucket{stage=\"ocr\",le=\"+Inf\"} 1\n");
  assert_contains (metrics->str, "bookimg_stage_duration_seconds_count{stage=\"ocr\"} 1\n");
  assert_contains (metrics->str, "# TYPE bookimg_stage_duration_seconds histogram\n");
}

static void
test_transient_failure_retried (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(JsonNode) result = NULL;
  g_autoptr(GString) metrics = g_string_new (NULL);
  g_autofree char *events = NULL;

  result = run_job (fixture, JOB_RETRIED, "transient-once");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (result), "status"), ==,
                   "complete");
  g_assert_cmpuint (attempts_of (fixture, JOB_RETRIED, "ocr"), ==, 2);
  /* The failed attempt's message to the next stage was dropped: it ran once, and nothing
   * else is queued or was published. */
  g_assert_cmpuint (attempts_of (fixture, JOB_RETRIED, "candidates"), ==, 1);
  g_assert_cmpuint (bi_sqlite_queue_depth (fixture->queue, SECOND_QUEUE), ==, 0);
  g_assert_cmpuint (bi_sqlite_queue_depth (fixture->queue, BI_QUEUE_NOTIFICATIONS), ==, 0);
  events = job_events (fixture, JOB_RETRIED);
  g_assert_cmpstr (events, ==, "ocr:started ocr:started ocr:finished candidates:started "
                               "candidates:finished");

  bi_stage_host_write_metrics (fixture->host, metrics);
  assert_contains (metrics->str, "bookimg_stage_failed_total{stage=\"ocr\"} 1\n");
  assert_contains (metrics->str, "bookimg_stage_processed_total{stage=\"ocr\"} 1\n");
  assert_contains (metrics->str, "bookimg_stage_dead_lettered_total{stage=\"ocr\"} 0\n");
}

static void
test_permanent_failure_published (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(JsonNode) failure = NULL;
  g_autoptr(GString) metrics = g_string_new (NULL);
  g_autofree char *events = NULL;

  failure = run_job (fixture, JOB_PERMANENT, "permanent");
  assert_failure (failure, "ocr", "stage_failed", "undecodable photo");

  /* Not retried, set aside, and nothing reached the next stage. */
  g_assert_cmpuint (attempts_of (fixture, JOB_PERMANENT, "ocr"), ==, 1);
  g_assert_cmpuint (attempts_of (fixture, JOB_PERMANENT, "candidates"), ==, 0);
  g_assert_cmpuint (bi_sqlite_queue_depth (fixture->queue, FIRST_QUEUE), ==, 0);
  g_assert_cmpuint (bi_sqlite_queue_dead_letter_depth (fixture->queue, FIRST_QUEUE), ==, 1);
  g_assert_cmpuint (bi_sqlite_queue_depth (fixture->queue, SECOND_QUEUE), ==, 0);
  events = job_events (fixture, JOB_PERMANENT);
  g_assert_cmpstr (events, ==, "ocr:started");

  bi_stage_host_write_metrics (fixture->host, metrics);
  assert_contains (metrics->str, "bookimg_stage_dead_lettered_total{stage=\"ocr\"} 1\n");
}

static void
test_retries_exhausted_published (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autoptr(JsonNode) failure = NULL;

  failure = run_job (fixture, JOB_EXHAUSTED, "always-transient");
  assert_failure (failure, "ocr", "retries_exhausted", "engine busy");

  g_assert_cmpuint (attempts_of (fixture, JOB_EXHAUSTED, "ocr"), ==, MAX_RECEIVES);
  g_assert_cmpuint (bi_sqlite_queue_dead_letter_depth (fixture->queue, FIRST_QUEUE), ==, 1);
  g_assert_cmpuint (bi_sqlite_queue_depth (fixture->queue, SECOND_QUEUE), ==, 0);
}

static void
test_poison_message_never_runs (Fixture       *fixture,
                                gconstpointer  data)
{
  g_autoptr(JsonNode) failure = NULL;
  g_autoptr(GError) error = NULL;

  /* Received max_receive_count times by processes that died while holding it. */
  send_job (fixture, JOB_OK, "ok");
  g_clear_pointer (&fixture->host, bi_stage_host_free);
  for (guint i = 0; i < MAX_RECEIVES; i++)
    {
      g_autoptr(BiQueueMessage) message = NULL;

      message = bi_sqlite_queue_receive (fixture->queue, FIRST_QUEUE, 0, &error);
      g_assert_no_error (error);
      g_assert_nonnull (message);
      g_clear_pointer (&fixture->queue, bi_sqlite_queue_free);
      open_queue (fixture);
    }
  make_host (fixture);
  bi_stage_host_start (fixture->host);

  failure = receive_topic_message (fixture, JOB_OK);
  assert_failure (failure, "ocr", "retries_exhausted", "ocr");
  bi_stage_host_stop (fixture->host);
  g_assert_cmpuint (attempts_of (fixture, JOB_OK, "ocr"), ==, 0);
  g_assert_cmpuint (bi_sqlite_queue_dead_letter_depth (fixture->queue, FIRST_QUEUE), ==, 1);
}

/* Stop is prompt: the workers are woken, not left to their bounded 1 s receive. */
#define STOP_LIMIT_US (G_USEC_PER_SEC / 2)

static void
test_stop_joins_promptly (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(JsonNode) result = NULL;
  gint64 stop_started;

  bi_stage_host_start (fixture->host);
  /* Let every worker reach its blocking receive. */
  send_job (fixture, JOB_OK, "ok");
  result = receive_topic_message (fixture, JOB_OK);

  stop_started = g_get_monotonic_time ();
  bi_stage_host_stop (fixture->host);
  g_assert_cmpint (g_get_monotonic_time () - stop_started, <, STOP_LIMIT_US);
  g_assert_cmpuint (fixture->ports_freed, ==, fixture->ports_made);
}

static void
test_held_stage_keeps_message_in_flight (Fixture       *fixture,
                                         gconstpointer  data)
{
  g_autoptr(BiQueueMessage) recovered = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *events = NULL;
  gint64 stop_started;

  bi_stage_host_hold_stage (fixture->host, FIRST_QUEUE);
  send_job (fixture, JOB_OK, "ok");
  bi_stage_host_start (fixture->host);
  wait_for_events (fixture, 1);

  stop_started = g_get_monotonic_time ();
  bi_stage_host_stop (fixture->host);
  g_assert_cmpint (g_get_monotonic_time () - stop_started, <, STOP_LIMIT_US);
  events = job_events (fixture, JOB_OK);
  g_assert_cmpstr (events, ==, "ocr:started");
  g_assert_cmpuint (attempts_of (fixture, JOB_OK, "ocr"), ==, 0);

  /* As after a crash: a restart finds the message and hands it out at once. */
  g_clear_pointer (&fixture->host, bi_stage_host_free);
  g_clear_pointer (&fixture->queue, bi_sqlite_queue_free);
  open_queue (fixture);
  recovered = bi_sqlite_queue_receive (fixture->queue, FIRST_QUEUE, 0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (recovered);
  g_assert_cmpuint (recovered->receive_count, ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/bookimg/stage-host/" path, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)
  ADD ("pipeline-reports-progress-in-order", test_pipeline_reports_progress_in_order);
  ADD ("transient-failure-retried", test_transient_failure_retried);
  ADD ("permanent-failure-published", test_permanent_failure_published);
  ADD ("retries-exhausted-published", test_retries_exhausted_published);
  ADD ("poison-message-never-runs", test_poison_message_never_runs);
  ADD ("stop-joins-promptly", test_stop_joins_promptly);
  ADD ("held-stage-keeps-message-in-flight", test_held_stage_keeps_message_in_flight);
#undef ADD

  return g_test_run ();
}
