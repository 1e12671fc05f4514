/* bi-sqlite-queue.h — durable at-least-once queues (and the topic outbox) in one SQLite file
 *
 * SQS semantics on one machine: a received message is invisible for the visibility timeout and
 * comes back unless deleted; a failed one comes back after a backoff; a message received
 * max_receive_count times without being deleted goes to the queue's dead-letter queue. WAL mode,
 * fsync'ed commits: a message sent survives SIGKILL. Thread-safe.
 *
 * The topic port publishes to the queue BI_QUEUE_NOTIFICATIONS, which the notifier consumes.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "bi-ports.h"

G_BEGIN_DECLS

#define BI_QUEUE_NOTIFICATIONS "notifications"

#define BI_SQLITE_QUEUE_ERROR (bi_sqlite_queue_error_quark ())

/* Database failures are reported in the BI_SQLITE_ERROR domain (bi-sqlite-database.h). */
typedef enum
{
  BI_SQLITE_QUEUE_ERROR_INVALID_NAME,   /* queue names: 1–80 of [A-Za-z0-9_-], as in SQS */
  BI_SQLITE_QUEUE_ERROR_INVALID_BODY,   /* bodies: UTF-8, at most BI_QUEUE_MAX_BODY_SIZE bytes */
  BI_SQLITE_QUEUE_ERROR_INVALID_POLICY,
} BiSqliteQueueError;

GQuark bi_sqlite_queue_error_quark (void);

/* The largest body accepted: SQS's limit, so that both modes refuse the same messages. */
#define BI_QUEUE_MAX_BODY_SIZE (256 * 1024)

typedef struct
{
  gint64 visibility_timeout_ms; /* how long a received message stays invisible (default 5 min) */
  guint  max_receive_count;     /* receives before dead-lettering (default 5) */
  gint64 backoff_base_ms;       /* first retry delay after a failure, doubled each time (1 s) */
  gint64 backoff_max_ms;        /* cap of that delay (60 s) */
} BiQueuePolicy;

#define BI_QUEUE_POLICY_DEFAULT ((BiQueuePolicy) { 5 * 60 * 1000, 5, 1000, 60 * 1000 })

typedef struct
{
  gint64   id;
  char    *queue_name;
  char    *body;
  guint    receive_count;  /* including this receive */
  gint64   receipt;        /* proves this receive; a stale receipt cannot delete */
  gboolean dead_lettered;  /* receive() moved it to the DLQ: exceeded max_receive_count
                            * (e.g. it crashed the process each time), or its failure report
                            * was never acknowledged (see delete()); the consumer must
                            * report the failure and must not process it */
} BiQueueMessage;

void bi_queue_message_free (BiQueueMessage *message);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiQueueMessage, bi_queue_message_free)

typedef struct _BiSqliteQueue BiSqliteQueue;

/* Opens (creating) the database at @path. Messages in flight when the last process died are made
 * visible again at once: nobody holds them any more. So open each file once per process.
 * @policy may be NULL for BI_QUEUE_POLICY_DEFAULT. */
BiSqliteQueue  *bi_sqlite_queue_open               (const char      *path,
                                                    const BiQueuePolicy *policy,
                                                    GError         **error);
void            bi_sqlite_queue_free               (BiSqliteQueue   *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiSqliteQueue, bi_sqlite_queue_free)

/* Ports backed by this queue (owned by @self). */
BiQueue        *bi_sqlite_queue_as_queue           (BiSqliteQueue   *self);
BiTopic        *bi_sqlite_queue_as_topic           (BiSqliteQueue   *self);

gboolean        bi_sqlite_queue_send               (BiSqliteQueue   *self,
                                                    const char      *queue_name,
                                                    const char      *body,
                                                    GError         **error);

/* Waits up to @wait_ms (0: no wait; -1: until a message or bi_sqlite_queue_close()) for a
 * visible message of @queue_name. Returns NULL without error when none came. */
BiQueueMessage *bi_sqlite_queue_receive            (BiSqliteQueue   *self,
                                                    const char      *queue_name,
                                                    gint64           wait_ms,
                                                    GError         **error);
/* Acknowledges @message. FALSE (no error) if its receipt is stale: it was redelivered since.
 * A dead-lettered message (from receive(), fail() or dead_letter()) stays in the DLQ; deleting
 * it acknowledges that its failure was reported. Until then receive() hands it out again
 * (dead_lettered = TRUE) after the visibility timeout or a restart, so no failure is lost. */
gboolean        bi_sqlite_queue_delete             (BiSqliteQueue   *self,
                                                    const BiQueueMessage *message,
                                                    GError         **error);
/* Processing failed: back after the backoff, or into the DLQ after max_receive_count.
 * Sets @dead_lettered. FALSE (no error) with a stale receipt, as delete(). */
gboolean        bi_sqlite_queue_fail               (BiSqliteQueue   *self,
                                                    const BiQueueMessage *message,
                                                    const char      *reason,
                                                    gboolean        *dead_lettered,
                                                    GError         **error);
/* Straight to the DLQ (a permanent failure). FALSE (no error) with a stale receipt. */
gboolean        bi_sqlite_queue_dead_letter        (BiSqliteQueue   *self,
                                                    const BiQueueMessage *message,
                                                    const char      *reason,
                                                    GError         **error);

guint           bi_sqlite_queue_depth              (BiSqliteQueue   *self,
                                                    const char      *queue_name);
guint           bi_sqlite_queue_dead_letter_depth  (BiSqliteQueue   *self,
                                                    const char      *queue_name);
/* Wakes every blocked receive(); later receives return NULL at once. */
void            bi_sqlite_queue_close              (BiSqliteQueue   *self);

/* Tests: replace the clock (milliseconds, monotonic within a run). */
typedef gint64 (*BiClockFunc) (gpointer user_data);
void            bi_sqlite_queue_set_clock          (BiSqliteQueue   *self,
                                                    BiClockFunc      clock,
                                                    gpointer         user_data);

G_END_DECLS
