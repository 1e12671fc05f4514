/* bi-lambda-test-gateway.h — API Gateway, played: AWS mode's HTTP API and WebSocket API
 * behind one URL, as the CloudFront distribution serves them
 *
 * One libsoup server (127.0.0.1:0, on the thread-default main context of its creator) is the
 * URL a client is given. Its /ws accepts the WebSocket itself and plays the WebSocket API: the
 * connection gets an id, and its $connect, its frames (routed by their "action" — subscribe,
 * unsubscribe, ping — else $default) and its $disconnect go to connection-manager as API
 * Gateway's events, in order, one at a time per connection; the route response's body is
 * sent back to the client (a refused $connect closes the socket). Every other request becomes
 * an HTTP API (payload 2.0) event for http-api and its proxy answer is the response. A second
 * server on a port of its own is the management API, at the endpoint the functions get as
 * BOOKIMG_WEBSOCKET_ENDPOINT (with the stage's path, as in AWS): POST, GET and DELETE
 * /@connections/{id}, 410 GoneException for a connection that is not open.
 *
 * The functions run on worker threads while the main context goes on serving: they call
 * @connections back while they run (connection-manager, for a late subscriber).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bi-lambda-test-runtime.h"

G_BEGIN_DECLS

typedef struct _BiLambdaTestGateway BiLambdaTestGateway;

/* Called on the main context after each HTTP API answer. */
typedef void (*BiLambdaTestGatewayAnswered) (const char *method,
                                             const char *path,
                                             const char *raw_query,
                                             guint       status,
                                             const char *body,
                                             gpointer    user_data);

BiLambdaTestGateway *bi_lambda_test_gateway_new          (void);
/* Routes to @http_api and @connection_manager (borrowed: free the gateway before them). */
void                 bi_lambda_test_gateway_set_functions (BiLambdaTestGateway         *self,
                                                           BiLambdaTestRuntime         *http_api,
                                                           BiLambdaTestRuntime         *connection_manager);
/* @answered (may be NULL) watches the HTTP API's answers. */
void                 bi_lambda_test_gateway_set_answered  (BiLambdaTestGateway         *self,
                                                           BiLambdaTestGatewayAnswered  answered,
                                                           gpointer                     user_data);
/* http://127.0.0.1:PORT: the URL clients get, for HTTP and /ws. */
const char          *bi_lambda_test_gateway_get_url       (BiLambdaTestGateway         *self);
/* http://127.0.0.1:PORT/STAGE: the management API's endpoint. */
const char          *bi_lambda_test_gateway_get_management_endpoint (BiLambdaTestGateway *self);
/* How many POST @connections reached an open connection. */
guint                bi_lambda_test_gateway_get_n_posted  (BiLambdaTestGateway         *self);
/* Waits (iterating the main context) until every connection closed and every invocation
 * came back — a client that just left still has its $disconnect on its way — then stops. */
void                 bi_lambda_test_gateway_free          (BiLambdaTestGateway         *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiLambdaTestGateway, bi_lambda_test_gateway_free)

G_END_DECLS
