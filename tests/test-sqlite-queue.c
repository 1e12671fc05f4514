/* test-sqlite-queue.c — SQS semantics of the durable SQLite queue, on a fake clock
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-sqlite-database.h"
#include "bi-sqlite-queue.h"
#include "bi-test-store-utils.h"

#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define QUEUE "ocr"
#define VISIBILITY_MS 30000
#define BACKOFF_BASE_MS 1000
#define BACKOFF_MAX_MS 4000
#define MAX_RECEIVES 3

typedef struct
{
  char          *dir;
  char          *path;
  BiTestClock    clock;
  BiQueuePolicy  policy;
  BiSqliteQueue *queue;
} Fixture;

static BiSqliteQueue *
open_queue (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  BiSqliteQueue *queue = bi_sqlite_queue_open (fixture->path, &fixture->policy, &error);

  g_assert_no_error (error);
  g_assert_nonnull (queue);
  bi_sqlite_queue_set_clock (queue, bi_test_clock_now, &fixture->clock);
  return queue;
}

/* A restart: the process died without deleting what it held. */
static void
reopen_queue (Fixture *fixture)
{
  g_clear_pointer (&fixture->queue, bi_sqlite_queue_free);
  fixture->queue = open_queue (fixture);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = bi_test_temp_dir_new ();
  fixture->path = g_build_filename (fixture->dir, "bookimg.db", NULL);
  fixture->clock.now_ms = 1700000000000;
  fixture->policy = (BiQueuePolicy) { VISIBILITY_MS, MAX_RECEIVES, BACKOFF_BASE_MS,
                                      BACKOFF_MAX_MS };
  fixture->queue = open_queue (fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->queue, bi_sqlite_queue_free);
  bi_test_temp_dir_remove (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static void
send_message (Fixture    *fixture,
              const char *body)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (bi_sqlite_queue_send (fixture->queue, QUEUE, body, &error));
  g_assert_no_error (error);
}

static BiQueueMessage *
receive_now (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  BiQueueMessage *message = bi_sqlite_queue_receive (fixture->queue, QUEUE, 0, &error);

  g_assert_no_error (error);
  return message;
}

static void
assert_nothing_visible (Fixture *fixture)
{
  g_autoptr(BiQueueMessage) message = receive_now (fixture);

  g_assert_null (message);
}

static void
fail_message (Fixture              *fixture,
              const BiQueueMessage *message,
              gboolean              expect_dead_lettered)
{
  g_autoptr(GError) error = NULL;
  gboolean dead_lettered = !expect_dead_lettered;

  g_assert_true (bi_sqlite_queue_fail (fixture->queue, message, "test failure", &dead_lettered,
                                       &error));
  g_assert_no_error (error);
  g_assert_cmpint (dead_lettered, ==, expect_dead_lettered);
}

static void
delete_message (Fixture              *fixture,
                const BiQueueMessage *message)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (bi_sqlite_queue_delete (fixture->queue, message, &error));
  g_assert_no_error (error);
}

/* ---- tests ------------------------------------------------------------------------------ */

static void
test_send_receive_delete (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(BiQueueMessage) first = NULL;
  g_autoptr(BiQueueMessage) second = NULL;
  g_autoptr(BiQueueMessage) other = NULL;
  g_autoptr(GError) error = NULL;

  send_message (fixture, "{\"n\":1}");
  send_message (fixture, "{\"n\":2}");
  g_assert_true (bi_sqlite_queue_send (fixture->queue, "candidates", "other", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (bi_sqlite_queue_depth (fixture->queue, QUEUE), ==, 2);

  first = receive_now (fixture);
  g_assert_nonnull (first);
  g_assert_cmpstr (first->body, ==, "{\"n\":1}");
  g_assert_cmpstr (first->queue_name, ==, QUEUE);
  g_assert_cmpuint (first->receive_count, ==, 1);
  g_assert_cmpint (first->receipt, !=, 0);
  g_assert_false (first->dead_lettered);

  second = receive_now (fixture);
  g_assert_nonnull (second);
  g_assert_cmpstr (second->body, ==, "{\"n\":2}");
  /* In flight still counts: the depth is what is not done yet. */
  g_assert_cmpuint (bi_sqlite_queue_depth (fixture->queue, QUEUE), ==, 2);

  delete_message (fixture, first);
  delete_message (fixture, second);
  g_assert_cmpuint (bi_sqlite_queue_depth (fixture->queue, QUEUE), ==, 0);
  assert_nothing_visible (fixture);

  /* Queues are separate. */
  other = bi_sqlite_queue_receive (fixture->queue, "candidates", 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (other->body, ==, "other");
}

static void
test_rejects_bad_input (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *huge = g_strnfill (BI_QUEUE_MAX_BODY_SIZE + 1, 'x');
  const char *bad_names[] = { "", "a b", "../x", "ocr\n", "q/1" };
  BiQueuePolicy bad_policy = { 0, 5, 1000, 60000 };
  g_autoptr(BiSqliteQueue) queue = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad_names); i++)
    {
      g_autoptr(GError) name_error = NULL;

      g_assert_false (bi_sqlite_queue_send (fixture->queue, bad_names[i], "x", &name_error));
      g_assert_error (name_error, BI_SQLITE_QUEUE_ERROR, BI_SQLITE_QUEUE_ERROR_INVALID_NAME);
    }

  g_assert_false (bi_sqlite_queue_send (fixture->queue, QUEUE, huge, &error));
  g_assert_error (error, BI_SQLITE_QUEUE_ERROR, BI_SQLITE_QUEUE_ERROR_INVALID_BODY);
  g_clear_error (&error);
  g_assert_false (bi_sqlite_queue_send (fixture->queue, QUEUE, "\xff\xfe", &error));
  g_assert_error (error, BI_SQLITE_QUEUE_ERROR, BI_SQLITE_QUEUE_ERROR_INVALID_BODY);
  g_clear_error (&error);
  g_assert_cmpuint (bi_sqlite_queue_depth (fixture->queue, QUEUE), ==, 0);

  queue = bi_sqlite_queue_open (fixture->path, &bad_policy, &error);
  g_assert_null (queue);
  g_assert_error (error, BI_SQLITE_QUEUE_ERROR, BI_SQLITE_QUEUE_ERROR_INVALID_POLICY);
}

static void
test_not_a_database (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "garbage.db", NULL);
  g_autofree char *garbage = g_strnfill (4096, 'g');
  g_autoptr(BiSqliteQueue) queue = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_set_contents (path, garbage, -1, NULL));
  queue = bi_sqlite_queue_open (path, NULL, &error);
  g_assert_null (queue);
  g_assert_error (error, BI_SQLITE_ERROR, BI_SQLITE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "garbage.db"));
}

static void
test_redelivered_after_visibility_timeout (Fixture       *fixture,
                                           gconstpointer  data)
{
  g_autoptr(BiQueueMessage) first = NULL;
  g_autoptr(BiQueueMessage) again = NULL;

  send_message (fixture, "body");
  first = receive_now (fixture);
  g_assert_nonnull (first);

  assert_nothing_visible (fixture);
  fixture->clock.now_ms += VISIBILITY_MS - 1;
  assert_nothing_visible (fixture);

  fixture->clock.now_ms += 1;
  again = receive_now (fixture);
  g_assert_nonnull (again);
  g_assert_cmpint (again->id, ==, first->id);
  g_assert_cmpuint (again->receive_count, ==, 2);
  g_assert_cmpint (again->receipt, !=, first->receipt);
}

static void
test_stale_receipt_does_nothing (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(BiQueueMessage) stale = NULL;
  g_autoptr(BiQueueMessage) current = NULL;
  g_autoptr(GError) error = NULL;
  gboolean dead_lettered = TRUE;

  send_message (fixture, "body");
  stale = receive_now (fixture);
  fixture->clock.now_ms += VISIBILITY_MS;
  current = receive_now (fixture);
  g_assert_nonnull (current);
  g_assert_cmpint (current->id, ==, stale->id);

  /* The first receiver finished late: it must not touch the redelivered message. */
  g_assert_false (bi_sqlite_queue_delete (fixture->queue, stale, &error));
  g_assert_no_error (error);
  g_assert_false (bi_sqlite_queue_fail (fixture->queue, stale, "late", &dead_lettered, &error));
  g_assert_no_error (error);
  g_assert_false (dead_lettered);
  g_assert_false (bi_sqlite_queue_dead_letter (fixture->queue, stale, "late", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (bi_sqlite_queue_depth (fixture->queue, QUEUE), ==, 1);
  g_assert_cmpuint (bi_sqlite_queue_dead_letter_depth (fixture->queue, QUEUE), ==, 0);
  /* …and the failure did not make it visible again. */
  assert_nothing_visible (fixture);

  delete_message (fixture, current);
  g_assert_cmpuint (bi_sqlite_queue_depth (fixture->queue, QUEUE), ==, 0);
}

static void
test_backoff_doubles_up_to_its_cap (Fixture       *fixture,
                                    gconstpointer  data)
{
  gint64 expected_delays[] = { BACKOFF_BASE_MS, 2 * BACKOFF_BASE_MS, 4 * BACKOFF_BASE_MS,
                               BACKOFF_MAX_MS, BACKOFF_MAX_MS };

  /* Enough receives for the delay to reach its cap. */
  g_autoptr(BiQueueMessage) message = NULL;

  /* Enough receives for the delay to reach its cap. */
  fixture->policy.max_receive_count = G_N_ELEMENTS (expected_delays) + 1;
  reopen_queue (fixture);
  send_message (fixture, "flaky");
  message = receive_now (fixture);

  for (guint i = 0; i < G_N_ELEMENTS (expected_delays); i++)
    {
      BiQueueMessage *retried;

      g_assert_nonnull (message);
      g_assert_cmpuint (message->receive_count, ==, i + 1);
      fail_message (fixture, message, FALSE);

      fixture->clock.now_ms += expected_delays[i] - 1;
      assert_nothing_visible (fixture);
      fixture->clock.now_ms += 1;
      retried = receive_now (fixture);
      g_assert_nonnull (retried);
      g_assert_cmpint (retried->id, ==, message->id);
      g_clear_pointer (&message, bi_queue_message_free);
      message = retried;
    }
}

static void
test_max_receive_count_dead_letters (Fixture       *fixture,
                                     gconstpointer  data)
{
  g_autoptr(BiQueueMessage) report = NULL;
  gint64 id = 0;

  send_message (fixture, "doomed");
  for (guint i = 1; i <= MAX_RECEIVES; i++)
    {
      g_autoptr(BiQueueMessage) message = receive_now (fixture);

      g_assert_nonnull (message);
      g_assert_cmpuint (message->receive_count, ==, i);
      id = message->id;
      fail_message (fixture, message, i == MAX_RECEIVES);
      fixture->clock.now_ms += BACKOFF_MAX_MS;

      if (i == MAX_RECEIVES)
        {
          g_assert_cmpuint (bi_sqlite_queue_depth (fixture->queue, QUEUE), ==, 0);
          g_assert_cmpuint (bi_sqlite_queue_dead_letter_depth (fixture->queue, QUEUE), ==, 1);
          /* Not acknowledged (the failure report was lost, say): handed out again. */
          fixture->clock.now_ms += VISIBILITY_MS;
        }
    }

  report = receive_now (fixture);
  g_assert_nonnull (report);
  g_assert_true (report->dead_lettered);
  g_assert_cmpint (report->id, ==, id);
  g_assert_cmpstr (report->body, ==, "doomed");

  /* Acknowledged: never again, and it stays in the DLQ. */
  delete_message (fixture, report);
  fixture->clock.now_ms += 10 * VISIBILITY_MS;
  reopen_queue (fixture);
  assert_nothing_visible (fixture);
  g_assert_cmpuint (bi_sqlite_queue_dead_letter_depth (fixture->queue, QUEUE), ==, 1);
  g_assert_cmpuint (bi_sqlite_queue_dead_letter_depth (fixture->queue, "candidates"), ==, 0);
}

static void
test_dead_letter_at_once (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(BiQueueMessage) message = NULL;
  g_autoptr(GError) error = NULL;

  send_message (fixture, "undecodable photo");
  message = receive_now (fixture);
  g_assert_true (bi_sqlite_queue_dead_letter (fixture->queue, message, "permanent", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (bi_sqlite_queue_depth (fixture->queue, QUEUE), ==, 0);
  g_assert_cmpuint (bi_sqlite_queue_dead_letter_depth (fixture->queue, QUEUE), ==, 1);

  /* The same receipt acknowledges the report of the failure. */
  delete_message (fixture, message);
  fixture->clock.now_ms += VISIBILITY_MS;
  assert_nothing_visible (fixture);
}

static void
test_poison_message_dead_lettered_on_receive (Fixture       *fixture,
                                              gconstpointer  data)
{
  g_autoptr(BiQueueMessage) poison = NULL;

  send_message (fixture, "crashes the process");
  /* Each time it is received the process dies: nothing deletes or fails it. */
  for (guint i = 1; i <= MAX_RECEIVES; i++)
    {
      g_autoptr(BiQueueMessage) message = receive_now (fixture);

      g_assert_nonnull (message);
      g_assert_false (message->dead_lettered);
      g_assert_cmpuint (message->receive_count, ==, i);
      reopen_queue (fixture);
    }

  poison = receive_now (fixture);
  g_assert_nonnull (poison);
  g_assert_true (poison->dead_lettered);
  g_assert_cmpstr (poison->body, ==, "crashes the process");
  g_assert_cmpuint (bi_sqlite_queue_depth (fixture->queue, QUEUE), ==, 0);
  g_assert_cmpuint (bi_sqlite_queue_dead_letter_depth (fixture->queue, QUEUE), ==, 1);

  delete_message (fixture, poison);
  reopen_queue (fixture);
  assert_nothing_visible (fixture);
}

static void
test_reopen_recovers_in_flight_keeps_backoff (Fixture       *fixture,
                                              gconstpointer  data)
{
  g_autoptr(BiQueueMessage) held = NULL;
  g_autoptr(BiQueueMessage) backing_off = NULL;
  g_autoptr(BiQueueMessage) recovered = NULL;
  g_autoptr(BiQueueMessage) untouched = NULL;
  g_autoptr(BiQueueMessage) retried = NULL;

  send_message (fixture, "held");
  send_message (fixture, "backing off");
  send_message (fixture, "untouched");
  held = receive_now (fixture);
  backing_off = receive_now (fixture);
  fail_message (fixture, backing_off, FALSE);

  reopen_queue (fixture);
  g_assert_cmpuint (bi_sqlite_queue_depth (fixture->queue, QUEUE), ==, 3);

  /* At once, without waiting for the visibility timeout. */
  recovered = receive_now (fixture);
  g_assert_nonnull (recovered);
  g_assert_cmpstr (recovered->body, ==, "held");
  g_assert_cmpuint (recovered->receive_count, ==, 2);

  /* The failed one keeps its backoff. */
  untouched = receive_now (fixture);
  g_assert_cmpstr (untouched->body, ==, "untouched");
  assert_nothing_visible (fixture);
  fixture->clock.now_ms += BACKOFF_BASE_MS;
  retried = receive_now (fixture);
  g_assert_nonnull (retried);
  g_assert_cmpstr (retried->body, ==, "backing off");
}

#define N_RECEIVERS 4
#define N_MESSAGES 200

typedef struct
{
  Fixture    *fixture;
  GMutex      lock;
  GHashTable *seen;       /* message id → GINT_TO_POINTER (1) */
  guint       duplicates;
} ReceiverRace;

static gpointer
receive_until_empty (gpointer data)
{
  ReceiverRace *race = data;
  BiQueueMessage *message;

  while ((message = receive_now (race->fixture)) != NULL)
    {
      g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&race->lock);
      gint64 *id = g_new (gint64, 1);

      *id = message->id;
      if (!g_hash_table_add (race->seen, id))
        race->duplicates++;
      bi_queue_message_free (message);
    }
  return NULL;
}

static void
test_concurrent_receivers_never_share (Fixture       *fixture,
                                       gconstpointer  data)
{
  ReceiverRace race = { fixture, };

  for (guint i = 0; i < N_MESSAGES; i++)
    {
      g_autofree char *body = g_strdup_printf ("%u", i);

      send_message (fixture, body);
    }

  g_mutex_init (&race.lock);
  race.seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  bi_test_run_threads (N_RECEIVERS, receive_until_empty, &race);

  g_assert_cmpuint (race.duplicates, ==, 0);
  g_assert_cmpuint (g_hash_table_size (race.seen), ==, N_MESSAGES);
  g_hash_table_unref (race.seen);
  g_mutex_clear (&race.lock);
}

typedef struct
{
  BiSqliteQueue *queue;
  int            thread_id;   /* the kernel's, to watch it block */
  gint64         returned_at;
} BlockedReceiver;

static gpointer
receive_forever (gpointer data)
{
  BlockedReceiver *receiver = data;
  g_autoptr(GError) error = NULL;
  BiQueueMessage *message;

  g_atomic_int_set (&receiver->thread_id, (int) syscall (SYS_gettid));
  message = bi_sqlite_queue_receive (receiver->queue, QUEUE, -1, &error);

  g_assert_no_error (error);
  receiver->returned_at = g_get_monotonic_time ();
  return message;
}

/* Waits until the receiver sleeps: on an empty queue, that is its wait for a message. */
static void
wait_until_blocked (BlockedReceiver *receiver)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (g_get_monotonic_time () < deadline)
    {
      int thread_id = g_atomic_int_get (&receiver->thread_id);
      g_autofree char *path = g_strdup_printf ("/proc/self/task/%d/stat", thread_id);
      g_autofree char *stat = NULL;
      const char *state;

      /* The state follows the parenthesised command name: "tid (name) S …". */
      if (thread_id != 0 && g_file_get_contents (path, &stat, NULL, NULL)
          && (state = strrchr (stat, ')')) != NULL && g_str_has_prefix (state, ") S"))
        return;
      g_thread_yield ();
    }
  g_error ("The receiver thread never blocked");
}

/* How soon a woken receiver must return: well under the queue's own 1 s re-poll, so that a
 * close() or send() that does not wake it fails the test. */
#define WAKE_LIMIT_US (G_USEC_PER_SEC / 2)

static void
test_send_wakes_blocked_receiver (Fixture       *fixture,
                                  gconstpointer  data)
{
  BlockedReceiver receiver = { fixture->queue, 0, 0 };
  g_autoptr(BiQueueMessage) message = NULL;
  GThread *thread = g_thread_new ("receiver", receive_forever, &receiver);
  gint64 sent_at;

  wait_until_blocked (&receiver);
  sent_at = g_get_monotonic_time ();
  send_message (fixture, "wake up");
  message = g_thread_join (thread);
  g_assert_nonnull (message);
  g_assert_cmpstr (message->body, ==, "wake up");
  g_assert_cmpint (receiver.returned_at - sent_at, <, WAKE_LIMIT_US);
}

static void
test_close_wakes_blocked_receiver (Fixture       *fixture,
                                   gconstpointer  data)
{
  BlockedReceiver receiver = { fixture->queue, 0, 0 };
  g_autoptr(BiQueueMessage) after = NULL;
  g_autoptr(GError) error = NULL;
  GThread *thread = g_thread_new ("receiver", receive_forever, &receiver);
  gint64 closed_at;

  wait_until_blocked (&receiver);
  closed_at = g_get_monotonic_time ();
  bi_sqlite_queue_close (fixture->queue);
  g_assert_null (g_thread_join (thread));
  g_assert_cmpint (receiver.returned_at - closed_at, <, WAKE_LIMIT_US);

  /* Closed: later receives return at once even with a message there; sends still work. */
  send_message (fixture, "after close");
  after = bi_sqlite_queue_receive (fixture->queue, QUEUE, -1, &error);
  g_assert_no_error (error);
  g_assert_null (after);
  g_assert_cmpuint (bi_sqlite_queue_depth (fixture->queue, QUEUE), ==, 1);
}

static void
test_topic_publishes_to_notifications (Fixture       *fixture,
                                       gconstpointer  data)
{
  BiTopic *topic = bi_sqlite_queue_as_topic (fixture->queue);
  BiQueue *queue = bi_sqlite_queue_as_queue (fixture->queue);
  g_autoptr(BiQueueMessage) notification = NULL;
  g_autoptr(BiQueueMessage) queued = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (topic->publish (topic, "{\"status\":\"complete\"}", &error));
  g_assert_no_error (error);
  g_assert_true (queue->send (queue, QUEUE, "via port", &error));
  g_assert_no_error (error);

  notification = bi_sqlite_queue_receive (fixture->queue, BI_QUEUE_NOTIFICATIONS, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (notification->body, ==, "{\"status\":\"complete\"}");
  queued = receive_now (fixture);
  g_assert_cmpstr (queued->body, ==, "via port");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/bookimg/queue/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("send-receive-delete", test_send_receive_delete);
  ADD ("rejects-bad-input", test_rejects_bad_input);
  ADD ("not-a-database", test_not_a_database);
  ADD ("redelivered-after-visibility-timeout", test_redelivered_after_visibility_timeout);
  ADD ("stale-receipt-does-nothing", test_stale_receipt_does_nothing);
  ADD ("backoff-doubles-up-to-its-cap", test_backoff_doubles_up_to_its_cap);
  ADD ("max-receive-count-dead-letters", test_max_receive_count_dead_letters);
  ADD ("dead-letter-at-once", test_dead_letter_at_once);
  ADD ("poison-message-dead-lettered-on-receive", test_poison_message_dead_lettered_on_receive);
  ADD ("reopen-recovers-in-flight-keeps-backoff", test_reopen_recovers_in_flight_keeps_backoff);
  ADD ("concurrent-receivers-never-share", test_concurrent_receivers_never_share);
  ADD ("send-wakes-blocked-receiver", test_send_wakes_blocked_receiver);
  ADD ("close-wakes-blocked-receiver", test_close_wakes_blocked_receiver);
  ADD ("topic-publishes-to-notifications", test_topic_publishes_to_notifications);
#undef ADD

  return g_test_run ();
}
