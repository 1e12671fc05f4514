/* bi-lambda-test-runtime.c — plays Lambda's runtime API for the real bookimg-lambda
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-lambda-test-runtime.h"

#include "bi-test-http-server.h"

#include <libsoup/soup.h>
#include <signal.h>
#include <string.h>

#define API_PREFIX "/2018-06-01/runtime/"
/* Far beyond any handler's time here: only a hang reaches it, and then the test fails. */
#define WAIT_LIMIT_US (120 * G_USEC_PER_SEC)
#define TRACE_ID "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1"

typedef struct
{
  char   *request_id;
  char   *event;
  gint64  deadline_ms;
} PendingEvent;

struct _BiLambdaTestRuntime
{
  BiTestHttpServer *server;   /* the runtime API, on a thread of its own */
  const char   *api;          /* "127.0.0.1:PORT", inside the server's URL */
  GSubprocess  *process;

  GMutex        lock;         /* guards the fields below */
  GCond         changed;
  GQueue        events;       /* of PendingEvent, not yet handed out */
  GQueue        waiting;      /* of SoupServerMessage: held GET next */
  GHashTable   *outcomes;     /* request id → BiLambdaTestOutcome */
  BiLambdaTestOutcome *init_error;
};

void
bi_lambda_test_outcome_free (BiLambdaTestOutcome *outcome)
{
  if (outcome == NULL)
    return;
  g_free (outcome->body);
  g_free (outcome->error_type);
  g_free (outcome);
}

static void
pending_event_free (PendingEvent *event)
{
  g_free (event->request_id);
  g_free (event->event);
  g_free (event);
}

const char *
bi_lambda_test_runtime_trace_id (void)
{
  return TRACE_ID;
}

/* Server thread, lock held: gives the next event to a held GET next, if both exist. */
static void
dispatch_locked (BiLambdaTestRuntime *self)
{
  while (!g_queue_is_empty (&self->events) && !g_queue_is_empty (&self->waiting))
    {
      PendingEvent *event = g_queue_pop_head (&self->events);
      SoupServerMessage *msg = g_queue_pop_head (&self->waiting);
      SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
      g_autofree char *deadline = g_strdup_printf ("%" G_GINT64_FORMAT, event->deadline_ms);

      soup_message_headers_replace (headers, "Lambda-Runtime-Aws-Request-Id", event->request_id);
      soup_message_headers_replace (headers, "Lambda-Runtime-Deadline-Ms", deadline);
      soup_message_headers_replace (headers, "Lambda-Runtime-Trace-Id", TRACE_ID);
      soup_message_headers_replace (headers, "Lambda-Runtime-Invoked-Function-Arn",
                                    "arn:aws:lambda:eu-west-1:123456789012:function:test");
      soup_server_message_set_status (msg, 200, NULL);
      soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                        event->event, strlen (event->event));
      soup_server_message_unpause (msg);
      g_object_unref (msg);
      pending_event_free (event);
    }
}

static gboolean
dispatch_cb (gpointer data)
{
  BiLambdaTestRuntime *self = data;

  g_mutex_lock (&self->lock);
  dispatch_locked (self);
  g_mutex_unlock (&self->lock);
  return G_SOURCE_REMOVE;
}

static BiLambdaTestOutcome *
outcome_from (const BiTestHttpRequest *request,
              gboolean                 failed)
{
  BiLambdaTestOutcome *outcome = g_new0 (BiLambdaTestOutcome, 1);

  outcome->failed = failed;
  outcome->body = g_strndup (g_bytes_get_data (request->body, NULL),
                             g_bytes_get_size (request->body));
  outcome->error_type = g_strdup (g_hash_table_lookup (request->headers,
                                                       "lambda-runtime-function-error-type"));
  return outcome;
}

/* On the server's thread. */
static void
runtime_api_cb (SoupServerMessage       *msg,
                const BiTestHttpRequest *request,
                guint                    index,
                gpointer                 data)
{
  BiLambdaTestRuntime *self = data;
  const char *method = request->method;
  const char *path = request->path;
  const char *tail = g_str_has_prefix (path, API_PREFIX) ? path + strlen (API_PREFIX) : NULL;
  g_auto(GStrv) parts = NULL;

  if (tail == NULL)
    {
      soup_server_message_set_status (msg, 404, NULL);
      return;
    }

  g_mutex_lock (&self->lock);
  parts = g_strsplit (tail, "/", -1);
  if (strcmp (method, "GET") == 0 && strcmp (tail, "invocation/next") == 0)
    {
      soup_server_message_pause (msg);
      g_queue_push_tail (&self->waiting, g_object_ref (msg));
      dispatch_locked (self);
    }
  else if (strcmp (method, "POST") == 0 && strcmp (tail, "init/error") == 0)
    {
      self->init_error = outcome_from (request, TRUE);
      soup_server_message_set_status (msg, 202, NULL);
    }
  else if (strcmp (method, "POST") == 0 && g_strv_length (parts) == 3
           && strcmp (parts[0], "invocation") == 0
           && (strcmp (parts[2], "response") == 0 || strcmp (parts[2], "error") == 0))
    {
      g_hash_table_replace (self->outcomes, g_strdup (parts[1]),
                            outcome_from (request, strcmp (parts[2], "error") == 0));
      soup_server_message_set_status (msg, 202, NULL);
    }
  else
    {
      soup_server_message_set_status (msg, 404, NULL);
    }
  g_cond_broadcast (&self->changed);
  g_mutex_unlock (&self->lock);
}

/* Waits until @done says so, under the lock; fails the test after WAIT_LIMIT_US. */
static void
wait_locked (BiLambdaTestRuntime *self,
             gboolean (*done) (BiLambdaTestRuntime *, gconstpointer),
             gconstpointer data)
{
  gint64 limit = g_get_monotonic_time () + WAIT_LIMIT_US;

  while (!done (self, data))
    if (!g_cond_wait_until (&self->changed, &self->lock, limit))
      g_error ("bookimg-lambda did not answer the runtime API in time");
}

BiLambdaTestRuntime *
bi_lambda_test_runtime_new (const char         *handler,
                            const char * const *env)
{
  BiLambdaTestRuntime *self = g_new0 (BiLambdaTestRuntime, 1);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  const char *program = g_getenv ("BOOKIMG_LAMBDA");

  g_assert_nonnull (program);
  g_mutex_init (&self->lock);
  g_cond_init (&self->changed);
  g_queue_init (&self->events);
  g_queue_init (&self->waiting);
  self->outcomes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                          (GDestroyNotify) bi_lambda_test_outcome_free);
  self->server = bi_test_http_server_new_with_handler (runtime_api_cb, self);
  self->api = bi_test_http_server_get_url (self->server) + strlen ("http://");

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_subprocess_launcher_setenv (launcher, "AWS_LAMBDA_RUNTIME_API", self->api, TRUE);
  g_subprocess_launcher_setenv (launcher, "_HANDLER", handler, TRUE);
  for (guint i = 0; env != NULL && env[i] != NULL; i++)
    {
      g_auto(GStrv) pair = g_strsplit (env[i], "=", 2);

      g_assert_nonnull (pair[1]);
      g_subprocess_launcher_setenv (launcher, pair[0], pair[1], TRUE);
    }
  self->process = g_subprocess_launcher_spawn (launcher, &error, program, NULL);
  g_assert_no_error (error);
  return self;
}

void
bi_lambda_test_runtime_free (BiLambdaTestRuntime *self)
{
  if (self == NULL)
    return;

  if (self->process != NULL)
    {
      g_subprocess_send_signal (self->process, SIGTERM);
      g_subprocess_wait (self->process, NULL, NULL);
      g_clear_object (&self->process);
    }
  /* Closes the held GET next requests too. */
  bi_test_http_server_free (self->server);
  g_queue_clear_full (&self->events, (GDestroyNotify) pending_event_free);
  g_queue_clear_full (&self->waiting, g_object_unref);
  g_hash_table_unref (self->outcomes);
  bi_lambda_test_outcome_free (self->init_error);
  g_cond_clear (&self->changed);
  g_mutex_clear (&self->lock);
  g_free (self);
}

static gboolean
has_outcome (BiLambdaTestRuntime *self,
             gconstpointer        request_id)
{
  return g_hash_table_contains (self->outcomes, request_id);
}

BiLambdaTestOutcome *
bi_lambda_test_runtime_invoke (BiLambdaTestRuntime *self,
                               const char          *event,
                               gint64               timeout_ms)
{
  PendingEvent *pending = g_new0 (PendingEvent, 1);
  g_autofree char *request_id = g_uuid_string_random ();
  BiLambdaTestOutcome *outcome = NULL;
  char *key = NULL;

  pending->request_id = g_strdup (request_id);
  pending->event = g_strdup (event);
  pending->deadline_ms = g_get_real_time () / 1000 + timeout_ms;

  g_mutex_lock (&self->lock);
  g_queue_push_tail (&self->events, pending);
  g_mutex_unlock (&self->lock);
  bi_test_http_server_invoke (self->server, dispatch_cb, self);

  g_mutex_lock (&self->lock);
  wait_locked (self, has_outcome, request_id);
  g_hash_table_steal_extended (self->outcomes, request_id, (gpointer *) &key,
                               (gpointer *) &outcome);
  g_mutex_unlock (&self->lock);
  g_free (key);
  return outcome;
}

static gboolean
has_init_error (BiLambdaTestRuntime *self,
                gconstpointer        data)
{
  return self->init_error != NULL;
}

BiLambdaTestOutcome *
bi_lambda_test_runtime_wait_init_error (BiLambdaTestRuntime *self,
                                        int                 *exit_status)
{
  g_autoptr(GError) error = NULL;
  BiLambdaTestOutcome *outcome;

  g_mutex_lock (&self->lock);
  wait_locked (self, has_init_error, NULL);
  outcome = g_steal_pointer (&self->init_error);
  g_mutex_unlock (&self->lock);

  g_subprocess_wait (self->process, NULL, &error);
  g_assert_no_error (error);
  *exit_status = g_subprocess_get_if_exited (self->process)
                   ? g_subprocess_get_exit_status (self->process) : -1;
  g_clear_object (&self->process);
  return outcome;
}

char *
bi_lambda_test_event (const char         *name,
                      const char * const *subs)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "events", name, NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  GString *result;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  result = g_string_new (text);
  for (guint i = 0; subs != NULL && subs[i] != NULL && subs[i + 1] != NULL; i += 2)
    {
      g_autofree char *pattern = g_strdup_printf ("@%s@", subs[i]);

      g_string_replace (result, pattern, subs[i + 1], 0);
    }
  return g_string_free (result, FALSE);
}

JsonObject *
bi_lambda_test_parse_object (const char  *text,
                             JsonNode   **root)
{
  g_autoptr(GError) error = NULL;

  *root = json_from_string (text, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (*root));
  return json_node_get_object (*root);
}
