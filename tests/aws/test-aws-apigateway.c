/* test-aws-apigateway.c — the @connections management client against the embedded
 * bookimg-server's loopback `@connections` endpoint (API Gateway's semantics, 410 included)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-aws-apigateway"

#include "bi-apigateway-management.h"
#include "bi-aws-test-utils.h"
#include "bi-job-id.h"
#include "bi-test-server.h"

static void
test_connections (void)
{
  g_autoptr(BiTestServer) server = bi_test_server_new (NULL);
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autoptr(BiTestWebsocket) client = bi_test_websocket_connect (session, server);
  g_autofree char *job_id = bi_job_id_new ();
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(BiAwsClient) aws = bi_aws_test_client_new (BI_AWS_SERVICE_APIGATEWAY,
                                                       bi_test_server_get_url (server), NULL);
  g_autoptr(BiServerMessage) pong = NULL;
  g_auto(BiApiGatewayConnection) info = { 0 };
  g_autoptr(GError) error = NULL;
  const char *connection_id;

  bi_test_websocket_subscribe (client, job_id);
  ids = bi_test_server_subscribers (server, job_id);
  g_assert_cmpuint (ids->len, ==, 1);
  connection_id = g_ptr_array_index (ids, 0);

  /* PostToConnection: the text arrives as one frame. */
  g_assert_true (bi_apigateway_post_to_connection (aws, connection_id, "{\"type\":\"pong\"}",
                                                   &error));
  g_assert_no_error (error);
  pong = bi_test_websocket_wait_for_type (client, BI_SERVER_MESSAGE_PONG, NULL);

  /* GetConnection describes it as API Gateway does. */
  g_assert_true (bi_apigateway_get_connection (aws, connection_id, &info, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (info.source_ip, ==, "127.0.0.1");
  g_assert_true (g_str_has_suffix (info.connected_at, "Z"));

  /* DeleteConnection closes it; from then on the connection is gone: 410, its own error. */
  g_assert_true (bi_apigateway_delete_connection (aws, connection_id, &error));
  g_assert_no_error (error);
  bi_test_websocket_wait_closed (client);
  g_assert_false (bi_apigateway_post_to_connection (aws, connection_id, "{\"type\":\"pong\"}",
                                                    &error));
  g_assert_error (error, BI_AWS_ERROR, BI_AWS_ERROR_GONE);
  g_clear_error (&error);
  g_assert_false (bi_apigateway_get_connection (aws, connection_id, NULL, &error));
  g_assert_error (error, BI_AWS_ERROR, BI_AWS_ERROR_GONE);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bookimg/aws/apigateway/connections", test_connections);
  return g_test_run ();
}
