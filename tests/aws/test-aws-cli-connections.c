/* test-aws-cli-connections.c — AWS's own CLI against the embedded bookimg-server's loopback
 * `@connections` endpoint: post-to-connection reaches a real WebSocket client, get-connection
 * describes it, delete-connection closes it, and a gone id is refused with 410 GoneException
 *
 * The CLI (`aws`, from PATH) runs with dummy credentials and region in its environment, a
 * temporary HOME and no config files, so no user setting is read and nothing leaves loopback.
 * A missing CLI fails the test with the reason.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-aws-cli-connections"

#include "bi-job-id.h"
#include "bi-test-server.h"

#include <glib/gstdio.h>

typedef struct
{
  gboolean  done;
  int       status;
  char     *out;
  char     *err;
} CliRun;

static void
cli_run_clear (CliRun *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliRun, cli_run_clear)

static gboolean
cli_run_done (gpointer user_data)
{
  return ((CliRun *) user_data)->done;
}

static void
communicated_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  CliRun *run = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &run->out, &run->err,
                                        &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_exit_status (G_SUBPROCESS (source));
  run->done = TRUE;
}

/* Runs `aws apigatewaymanagementapi @operation --endpoint-url URL --connection-id @id …` while
 * the main context goes on (the WebSocket client receives meanwhile). */
static void
run_cli (BiTestServer *server,
         const char   *home,
         const char   *operation,
         const char   *connection_id,
         const char   *data,
         CliRun       *run)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *aws = g_find_program_in_path ("aws");
  g_autofree char *config = g_build_filename (home, "none", NULL);

  if (aws == NULL)
    g_error ("AWS's CLI (`aws`, Debian package awscli) is not on PATH; install it "
             "(build-aux/install-deps) to run this test.");

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_setenv (launcher, "HOME", home, TRUE);
  g_subprocess_launcher_setenv (launcher, "AWS_CONFIG_FILE", config, TRUE);
  g_subprocess_launcher_setenv (launcher, "AWS_SHARED_CREDENTIALS_FILE", config, TRUE);
  g_subprocess_launcher_setenv (launcher, "AWS_ACCESS_KEY_ID", "AKIDEXAMPLE", TRUE);
  g_subprocess_launcher_setenv (launcher, "AWS_SECRET_ACCESS_KEY", "example-secret", TRUE);
  g_subprocess_launcher_setenv (launcher, "AWS_DEFAULT_REGION", "eu-west-1", TRUE);
  g_subprocess_launcher_setenv (launcher, "AWS_EC2_METADATA_DISABLED", "true", TRUE);
  g_subprocess_launcher_setenv (launcher, "AWS_PAGER", "", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "AWS_PROFILE");
  g_subprocess_launcher_unsetenv (launcher, "AWS_SESSION_TOKEN");

  if (data != NULL)
    process = g_subprocess_launcher_spawn (launcher, &error, aws, "apigatewaymanagementapi",
                                           operation, "--endpoint-url",
                                           bi_test_server_get_url (server), "--connection-id",
                                           connection_id, "--data", data, NULL);
  else
    process = g_subprocess_launcher_spawn (launcher, &error, aws, "apigatewaymanagementapi",
                                           operation, "--endpoint-url",
                                           bi_test_server_get_url (server), "--connection-id",
                                           connection_id, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, communicated_cb, run);
  bi_test_wait_until (cli_run_done, run, BI_TEST_TIMEOUT_SECONDS * 2, operation);
}

static void
test_cli (void)
{
  g_autoptr(BiTestServer) server = bi_test_server_new (NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(BiTestWebsocket) client = bi_test_websocket_connect (session, server);
  g_autofree char *job_id = bi_job_id_new ();
  g_autofree char *home = g_dir_make_tmp ("bookimg-awscli-XXXXXX", NULL);
  g_autofree char *progress = bi_message_job_progress_new (job_id, 3, BI_STAGE_OCR, FALSE);
  g_autoptr(BiServerMessage) received = NULL;
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(JsonNode) described = NULL;
  g_auto(CliRun) post = { 0, };
  g_auto(CliRun) get = { 0, };
  g_auto(CliRun) delete = { 0, };
  g_auto(CliRun) gone = { 0, };
  JsonObject *connection;
  const char *connection_id;

  g_assert_nonnull (home);
  bi_test_websocket_subscribe (client, job_id);
  ids = bi_test_server_subscribers (server, job_id);
  g_assert_cmpuint (ids->len, ==, 1);
  connection_id = g_ptr_array_index (ids, 0);

  /* post-to-connection: the data arrives as one frame, exactly. */
  run_cli (server, home, "post-to-connection", connection_id, progress, &post);
  g_assert_cmpint (post.status, ==, 0);
  received = bi_test_websocket_wait_for_type (client, BI_SERVER_MESSAGE_JOB_PROGRESS, job_id);
  g_assert_cmpint (received->seq, ==, 3);

  /* get-connection: API Gateway's description, as the CLI prints it. */
  run_cli (server, home, "get-connection", connection_id, NULL, &get);
  g_assert_cmpint (get.status, ==, 0);
  described = json_from_string (get.out, NULL);
  g_assert_nonnull (described);
  connection = json_node_get_object (described);
  g_assert_true (json_object_has_member (connection, "ConnectedAt"));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (connection,
                                                                                 "Identity"),
                                                  "SourceIp"), ==, "127.0.0.1");

  /* delete-connection closes the WebSocket. */
  run_cli (server, home, "delete-connection", connection_id, NULL, &delete);
  g_assert_cmpint (delete.status, ==, 0);
  bi_test_websocket_wait_closed (client);

  /* A gone id: the CLI fails and names the error from x-amzn-ErrorType, as against API
   * Gateway. (GoneException has no members, so what follows the colon is not ours to say:
   * botocore finds no message of its own in the body, as with AWS's answer.) */
  run_cli (server, home, "post-to-connection", connection_id, progress, &gone);
  g_test_message ("aws printed: %s", gone.err);
  g_assert_cmpint (gone.status, !=, 0);
  g_assert_nonnull (strstr (gone.err, "An error occurred (GoneException) when calling the "
                                      "PostToConnection operation:"));

  g_rmdir (home);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bookimg/aws/apigateway/awscli", test_cli);
  return g_test_run ();
}
