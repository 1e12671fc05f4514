/* test-lambda-cli-scan.c — `bookimg-cli scan` against AWS mode on one machine: the real CLI
 * scans a shelf photo through one server URL and prints the books
 *
 * The URL is API Gateway, played (bi-lambda-test-gateway): its HTTP requests become HTTP API
 * events for the http-api function and its /ws is the WebSocket API in front of
 * connection-manager, with @connections on a port of its own for the functions. The presigned
 * URL the CLI gets points at s3rver, where it PUTs the photo itself, as to S3. While the CLI
 * runs, a thread plays the event sources (bi-lambda-test-functions): S3's notification once
 * the photo is stored, the SQS mappings through the stages, SNS to sns-notifier, whose pushes
 * reach the CLI through @connections. The CLI is a child process; the test's main context
 * serves the gateway meanwhile. Textract is the shelf's stand-in; the catalog the starter
 * catalog.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-lambda-cli-scan"

#include "bi-lambda-test-functions.h"
#include "bi-lambda-test-gateway.h"
#include "bi-lambda-test-shelf.h"
#include "bi-test-cli.h"

#include <glib/gstdio.h>
#include <string.h>

/* Far more than a scan takes (a few seconds): only a CLI that never uploads reaches it. */
#define UPLOAD_LIMIT_US (60 * G_USEC_PER_SEC)

static BiLambdaTestWorld *world;

/* The event sources on a thread of their own: they block on the functions, and the functions
 * call the gateway, which the main context serves. */
typedef struct
{
  BiLambdaTestFunctions *functions;
  GAsyncQueue           *keys;     /* of char *: uploads to wait for; "" ends the thread */
  GThread               *thread;
  guint                  uploads;  /* notified so far; read after the join */
  gint                   ended;    /* atomic: the thread returned */
} Pump;

static gpointer
pump_thread (gpointer data)
{
  Pump *pump = data;

  while (TRUE)
    {
      g_autofree char *key = g_async_queue_timeout_pop (pump->keys, UPLOAD_LIMIT_US);

      if (key == NULL)
        g_error ("No upload URL was asked for in %d s", (int) (UPLOAD_LIMIT_US / G_USEC_PER_SEC));
      if (key[0] == '\0')
        {
          g_atomic_int_set (&pump->ended, TRUE);
          return NULL;
        }
      bi_lambda_test_functions_notify_upload (pump->functions, key);
      bi_lambda_test_functions_run_pipeline (pump->functions);
      pump->uploads++;
    }
}

static gboolean
pump_ended (gpointer data)
{
  return g_atomic_int_get (&((Pump *) data)->ended);
}

/* Lets the pump finish what it was doing (the last pushes may still be going out when the CLI
 * has its result) and joins it. The main context keeps serving meanwhile: those pushes go
 * through the gateway's @connections. */
static void
pump_stop (Pump *pump)
{
  g_async_queue_push (pump->keys, g_strdup (""));
  bi_test_wait_until (pump_ended, pump, BI_TEST_TIMEOUT_SECONDS, "the event sources to end");
  g_thread_join (pump->thread);
  g_async_queue_unref (pump->keys);
}

/* S3 notifies of every object stored; the only ones here are the uploads of the URLs the API
 * handed out, so those keys are what the pump waits for. */
static void
answered_cb (const char *method,
             const char *path,
             const char *raw_query,
             guint       status,
             const char *body,
             gpointer    user_data)
{
  Pump *pump = user_data;
  g_autoptr(GHashTable) query = NULL;

  if (status != SOUP_STATUS_OK || g_strcmp0 (path, "/upload-url") != 0)
    return;
  query = g_uri_parse_params (raw_query, -1, "&", G_URI_PARAMS_WWW_FORM, NULL);
  g_assert_nonnull (query);
  g_async_queue_push (pump->keys, g_strdup (g_hash_table_lookup (query, "filename")));
}

static void
assert_in_order (const char         *text,
                 const char * const *lines)
{
  const char *from = text;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *found = strstr (from, lines[i]);

      if (found == NULL)
        g_error ("Expected \"%s\" after what came before, in:\n%s", lines[i], text);
      from = found + strlen (lines[i]);
    }
}

static void
test_scan (void)
{
  BiLambdaTestFunctions functions = { NULL, };
  BiLambdaTestGateway *gateway = bi_lambda_test_gateway_new ();
  g_autofree char *endpoint = g_strconcat ("BOOKIMG_WEBSOCKET_ENDPOINT=",
                                           bi_lambda_test_gateway_get_management_endpoint (
                                             gateway), NULL);
  const char *extra[] = { endpoint, NULL };
  Pump pump = { &functions, g_async_queue_new_full (g_free), NULL, 0, FALSE };
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bookimg-lambda-cli-XXXXXX", &error);
  g_autofree char *photo = g_build_filename (dir, "shelf.png", NULL);
  GBytes *data = bi_lambda_test_shelf_photo ();
  g_auto(BiTestCliRun) run = { 0 };
  g_autoptr(JsonNode) printed = NULL;
  g_autofree char *titles = NULL;
  JsonObject *scanned;
  guint posted;
  gint64 started = g_get_monotonic_time ();

  g_assert_no_error (error);
  g_file_set_contents (photo, g_bytes_get_data (data, NULL), g_bytes_get_size (data), &error);
  g_assert_no_error (error);

  bi_lambda_test_functions_start (&functions, world, extra);
  bi_lambda_test_gateway_set_functions (gateway, functions.http_api,
                                        functions.connection_manager);
  bi_lambda_test_gateway_set_answered (gateway, answered_cb, &pump);
  pump.thread = g_thread_new ("event-sources", pump_thread, &pump);

  bi_test_cli_run (&run, (const char *[]) { "scan", "--server",
                                            bi_lambda_test_gateway_get_url (gateway),
                                            "--format", "json", photo, NULL });

  pump_stop (&pump);
  posted = bi_lambda_test_gateway_get_n_posted (gateway);
  /* First the gateway: the CLI's $disconnect may still be with connection-manager. */
  g_clear_pointer (&gateway, bi_lambda_test_gateway_free);
  bi_lambda_test_functions_stop (&functions);
  g_remove (photo);
  g_rmdir (dir);

  g_assert_cmpint (run.exit_status, ==, 0);
  g_assert_cmpuint (pump.uploads, ==, 1);

  /* The books, as the CLI prints them: one photo, complete, the shelf's books in order. */
  printed = json_from_string (run.out, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (printed));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (printed)), ==, 1);
  scanned = json_array_get_object_element (json_node_get_array (printed), 0);
  g_assert_cmpstr (json_object_get_string_member (scanned, "photo"), ==, "shelf.png");
  g_assert_cmpstr (json_object_get_string_member (scanned, "status"), ==, "complete");
  titles = bi_lambda_test_shelf_titles (json_array_get_element (json_node_get_array (printed),
                                                                0));
  g_assert_cmpstr (titles, ==, BI_LAMBDA_TEST_SHELF_TITLES);

  /* Progress reached it through @connections: stderr is a pipe, so plain lines, a line per
   * state (uploaded may come from the PUT's end or the push, whichever is first). */
  assert_in_order (run.err, (const char *[]) { "shelf.png: uploading\n", "shelf.png: uploaded\n",
                                               "shelf.png: ocr\n", "shelf.png: candidates\n",
                                               "shelf.png: validation\n",
                                               "shelf.png: complete, 3 books found\n",
                                               NULL });
  g_assert_null (strchr (run.err, '\033'));
  /* Each stage's start and end (at least six of them), then the result. */
  g_assert_cmpuint (posted, >=, 7);

  g_test_message ("bookimg-cli scan against AWS mode in %.1f s",
                  (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  bi_lambda_test_shelf_photo ();

  g_test_add_func ("/bookimg/lambda/cli-scan/shelf-photo", test_scan);

  return bi_lambda_test_world_run (&world, bi_lambda_test_shelf_textract_cb, NULL);
}
