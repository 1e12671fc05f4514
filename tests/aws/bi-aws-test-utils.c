/* bi-aws-test-utils.c — emulators, test clients and scripted servers for the AWS tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-aws-test-utils"

#include "bi-aws-test-utils.h"

#include <libsoup/soup.h>
#include <signal.h>
#include <sys/prctl.h>
#include <string.h>

#include "bi-aws-protocols.h"
#include "bi-aws-xml.h"
#include "bi-dynamodb-client.h"
#include "bi-sqs-client.h"
#include "bi-test-store-utils.h"

/* ---- emulators ----------------------------------------------------------------------------- */

struct _BiAwsTestEmulator
{
  GSubprocess *process;
  char        *data_dir;
  char        *url;
};

typedef struct
{
  GDataInputStream *stdout_lines;
  char             *line;
  gboolean          done;
} LineRead;

static void
line_read_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  LineRead *read = user_data;

  read->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result,
                                                          NULL, NULL);
  read->done = TRUE;
}

static gboolean
line_read_done (gpointer user_data)
{
  return ((LineRead *) user_data)->done;
}

/* Any HTTP answer means the emulator serves requests. */
static gboolean
emulator_answers (gpointer user_data)
{
  BiHttpRequest request = { "GET", user_data, NULL, NULL, 2000, 0 };
  g_autoptr(BiHttpResponse) response = bi_http_request_send (&request, NULL);

  return response != NULL;
}

/* An emulator must not outlive a test that aborts: meson would wait on its output. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static void
ensure_installed (const char *modules_dir,
                  const char *name)
{
  g_autofree char *package = g_build_filename (modules_dir, "node_modules", name,
                                               "package.json", NULL);
  const char *install = g_getenv ("BOOKIMG_AWS_EMULATORS_INSTALL");
  const char *argv[] = { install, modules_dir, NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  if (g_file_test (package, G_FILE_TEST_EXISTS))
    return;
  g_assert_nonnull (install);
  g_test_message ("installing the AWS emulators into %s", modules_dir);
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, &status,
                &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("Could not install the AWS emulators (%s): run %s %s and read its output.",
             error->message, install, modules_dir);
}

BiAwsTestEmulator *
bi_aws_test_emulator_start (const char         *name,
                            const char * const *buckets)
{
  BiAwsTestEmulator *self = g_new0 (BiAwsTestEmulator, 1);
  const char *modules_dir = g_getenv ("BOOKIMG_AWS_EMULATORS_DIR");
  const char *runner = g_getenv ("BOOKIMG_AWS_EMULATOR_RUNNER");
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) lines = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  LineRead read = { 0 };
  g_autofree char *node = g_find_program_in_path ("node");

  if (node == NULL)
    g_error ("Node.js is missing: run build-aux/install-deps test (Debian package nodejs).");
  g_assert_nonnull (modules_dir);
  g_assert_nonnull (runner);
  ensure_installed (modules_dir, name);

  self->data_dir = bi_test_temp_dir_new ();
  g_ptr_array_add (argv, node);
  g_ptr_array_add (argv, (gpointer) runner);
  g_ptr_array_add (argv, (gpointer) name);
  g_ptr_array_add (argv, (gpointer) modules_dir);
  g_ptr_array_add (argv, self->data_dir);
  for (guint i = 0; buckets != NULL && buckets[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) buckets[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  self->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                                &error);
  g_assert_no_error (error);

  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->process));
  read.stdout_lines = lines;
  g_data_input_stream_read_line_async (lines, G_PRIORITY_DEFAULT, NULL, line_read_cb, &read);
  bi_test_wait_until (line_read_done, &read, BI_TEST_TIMEOUT_SECONDS,
                      "the emulator to say where it listens");
  if (read.line == NULL || !g_str_has_prefix (read.line, "listening on "))
    g_error ("The %s emulator did not start (it printed “%s”); see the test log.", name,
             read.line != NULL ? read.line : "nothing");
  self->url = g_strdup (read.line + strlen ("listening on "));
  g_free (read.line);

  bi_test_wait_until (emulator_answers, self->url, BI_TEST_TIMEOUT_SECONDS,
                      "the emulator to answer HTTP");
  return self;
}

const char *
bi_aws_test_emulator_get_url (BiAwsTestEmulator *self)
{
  return self->url;
}

void
bi_aws_test_emulator_free (BiAwsTestEmulator *self)
{
  if (self == NULL)
    return;

  g_subprocess_send_signal (self->process, SIGTERM);
  g_subprocess_wait (self->process, NULL, NULL);
  g_object_unref (self->process);
  bi_test_temp_dir_remove (self->data_dir);
  g_free (self->data_dir);
  g_free (self->url);
  g_free (self);
}

/* ---- test clients ------------------------------------------------------------------------ */

static void
count_sleep (gpointer user_data,
             guint    delay_ms)
{
  if (user_data != NULL)
    g_array_append_val ((GArray *) user_data, delay_ms);
}

BiAwsClient *
bi_aws_test_client_new (BiAwsService  service,
                        const char   *url,
                        GArray       *sleeps)
{
  BiAwsCredentials credentials = { "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                                   "example-session-token" };
  /* s3rver checks signatures (SigV4 included) with its one built-in key pair. */
  BiAwsCredentials s3rver_credentials = { "S3RVER", "S3RVER", "example-session-token" };
  g_autoptr(GError) error = NULL;
  BiAwsClient *client = bi_aws_client_new (service == BI_AWS_SERVICE_S3 ? &s3rver_credentials
                                                                          : &credentials,
                                           "eu-west-1", &error);

  g_assert_no_error (error);
  if (url != NULL)
    {
      bi_aws_client_set_endpoint (client, service, url, &error);
      g_assert_no_error (error);
    }
  /* Tests never wait on backoff: the delays are only recorded (or dropped). */
  bi_aws_client_set_sleep_func (client, count_sleep, sleeps);
  return client;
}

/* ---- DynamoDB through dynalite ------------------------------------------------------------ */

typedef struct
{
  BiAwsClient *client;
  JsonNode    *describe;  /* {"TableName": …} */
} TableWait;

static gboolean
table_active (gpointer user_data)
{
  TableWait *wait = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) answer = bi_dynamodb_call (wait->client, "DescribeTable", wait->describe,
                                                 &error);
  JsonObject *table;

  g_assert_no_error (error);
  table = json_object_get_object_member (json_node_get_object (answer), "Table");
  return g_strcmp0 (json_object_get_string_member_with_default (table, "TableStatus", NULL),
                    "ACTIVE") == 0;
}

void
bi_aws_test_dynamodb_create_table (BiAwsClient *client,
                                   JsonNode    *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) created = bi_dynamodb_call (client, "CreateTable", request, &error);
  g_autoptr(JsonObject) name = json_object_new ();
  TableWait wait = { client, NULL };

  g_assert_no_error (error);
  json_object_set_string_member (name, "TableName",
                                 json_object_get_string_member (json_node_get_object (request),
                                                                "TableName"));
  wait.describe = json_node_init_object (json_node_alloc (), name);
  bi_test_wait_until (table_active, &wait, BI_TEST_TIMEOUT_SECONDS, "the table to be ACTIVE");
  json_node_unref (wait.describe);
}

/* ---- SQS through sqslite ------------------------------------------------------------------ */

char *
bi_aws_test_sqslite_endpoint (BiAwsTestEmulator *emulator)
{
  g_autoptr(GUri) uri = g_uri_parse (bi_aws_test_emulator_get_url (emulator), G_URI_FLAGS_NONE,
                                     NULL);

  return g_strdup_printf ("http://localhost:%d", g_uri_get_port (uri));
}

void
bi_aws_test_sqs_message_free (BiAwsTestSqsMessage *message)
{
  if (message == NULL)
    return;
  g_free (message->message_id);
  g_free (message->receipt_handle);
  g_free (message->body);
  g_free (message->receive_count);
  g_free (message);
}

BiAwsTestSqsMessage *
bi_aws_test_sqs_receive (BiAwsClient *client,
                         const char  *queue_url)
{
  /* One message and one attribute, so the answer's first Value is that attribute's. */
  const char *params[] = { "QueueUrl", queue_url, "MaxNumberOfMessages", "1",
                           "WaitTimeSeconds", "0",
                           "AttributeName.1", "ApproximateReceiveCount", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) answer = bi_aws_query_call (client, BI_AWS_SERVICE_SQS, BI_SQS_API_VERSION,
                                                "ReceiveMessage", params, &error);
  BiAwsTestSqsMessage *message;
  gsize size = 0;
  const char *data;
  char *body;

  g_assert_no_error (error);
  data = g_bytes_get_data (answer, &size);
  body = bi_aws_xml_find_text (data, size, "Body");
  if (body == NULL)
    return NULL;
  message = g_new0 (BiAwsTestSqsMessage, 1);
  message->body = body;
  message->message_id = bi_aws_xml_find_text (data, size, "MessageId");
  message->receipt_handle = bi_aws_xml_find_text (data, size, "ReceiptHandle");
  message->receive_count = bi_aws_xml_find_text (data, size, "Value");
  g_assert_nonnull (message->message_id);
  g_assert_nonnull (message->receipt_handle);
  return message;
}

char *
bi_aws_test_sqs_receive_body (BiAwsClient *client,
                              const char  *queue_url)
{
  g_autoptr(BiAwsTestSqsMessage) message = bi_aws_test_sqs_receive (client, queue_url);

  return message != NULL ? g_steal_pointer (&message->body) : NULL;
}

void
bi_aws_test_sqs_delete (BiAwsClient *client,
                        const char  *queue_url,
                        const char  *receipt_handle)
{
  const char *params[] = { "QueueUrl", queue_url, "ReceiptHandle", receipt_handle, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) answer = bi_aws_query_call (client, BI_AWS_SERVICE_SQS, BI_SQS_API_VERSION,
                                                "DeleteMessage", params, &error);

  g_assert_no_error (error);
}

/* ---- scripted servers --------------------------------------------------------------------- */

struct _BiAwsTestServer
{
  BiTestHttpServer *http;
  BiAwsTestHandler  handler;
  gpointer          user_data;
  GPtrArray        *requests;  /* borrowed from http: what bi_aws_test_server_requests() gave */
};

BiAwsTestAnswer
bi_aws_test_answer (guint       status,
                    const char *content_type,
                    const char *body)
{
  BiAwsTestAnswer answer = { status, g_strdup (content_type), NULL, g_strdup (body) };

  return answer;
}

BiAwsTestAnswer
bi_aws_test_converse_answer (const char *model_text)
{
  g_autofree char *escaped = g_strescape (model_text, NULL);
  g_autofree char *body = g_strdup_printf (
    "{\"output\":{\"message\":{\"role\":\"assistant\",\"content\":"
    "[{\"text\":\"%s\"}]}},\"stopReason\":\"end_turn\","
    "\"usage\":{\"inputTokens\":50,\"outputTokens\":20,"
    "\"totalTokens\":70},\"metrics\":{\"latencyMs\":300}}", escaped);

  return bi_aws_test_answer (200, "application/json", body);
}

/* On the server's thread. */
static void
handle_cb (SoupServerMessage       *msg,
           const BiTestHttpRequest *request,
           guint                    index,
           gpointer                 user_data)
{
  BiAwsTestServer *self = user_data;
  BiAwsTestAnswer answer = self->handler (request, index, self->user_data);

  if (answer.error_type != NULL)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                  "x-amzn-ErrorType", answer.error_type);
  soup_server_message_set_status (msg, answer.status, NULL);
  if (answer.body != NULL)
    soup_server_message_set_response (msg, answer.content_type != NULL ? answer.content_type
                                                                       : "application/json",
                                      SOUP_MEMORY_COPY, answer.body, strlen (answer.body));
  g_free (answer.content_type);
  g_free (answer.error_type);
  g_free (answer.body);
}

BiAwsTestServer *
bi_aws_test_server_new (BiAwsTestHandler handler,
                        gpointer         user_data)
{
  BiAwsTestServer *self = g_new0 (BiAwsTestServer, 1);

  self->handler = handler;
  self->user_data = user_data;
  self->requests = g_ptr_array_new ();
  self->http = bi_test_http_server_new_with_handler (handle_cb, self);
  return self;
}

const char *
bi_aws_test_server_get_url (BiAwsTestServer *self)
{
  return bi_test_http_server_get_url (self->http);
}

GPtrArray *
bi_aws_test_server_requests (BiAwsTestServer *self)
{
  guint count = bi_test_http_server_count (self->http);

  g_ptr_array_set_size (self->requests, 0);
  for (guint i = 0; i < count; i++)
    g_ptr_array_add (self->requests,
                     (gpointer) bi_test_http_server_get_request (self->http, i));
  return self->requests;
}

void
bi_aws_test_server_free (BiAwsTestServer *self)
{
  if (self == NULL)
    return;

  bi_test_http_server_free (self->http);
  g_ptr_array_unref (self->requests);
  g_free (self);
}

char *
bi_aws_test_form_field (GBytes     *body,
                        const char *name)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (body, &size);
  g_autofree char *text = g_strndup (data, size);
  g_autoptr(GHashTable) fields = g_uri_parse_params (text, -1, "&", G_URI_PARAMS_WWW_FORM,
                                                     NULL);

  return fields != NULL ? g_strdup (g_hash_table_lookup (fields, name)) : NULL;
}
