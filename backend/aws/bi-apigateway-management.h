/* bi-apigateway-management.h — API Gateway's @connections management API: push to a
 * WebSocket client, describe or close its connection
 *
 * The endpoint is the WebSocket API's "https://ID.execute-api.REGION.amazonaws.com/STAGE"
 * (BOOKIMG_AWS_ENDPOINT_APIGATEWAY, or bi_aws_client_set_endpoint from the event's
 * requestContext.domainName and stage). A connection that is gone answers 410, reported as
 * BI_AWS_ERROR_GONE: the caller deletes that subscription row.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bi-aws-client.h"

G_BEGIN_DECLS

/* API Gateway's limit for one WebSocket message it sends (128 KiB). */
#define BI_APIGATEWAY_MAX_MESSAGE_BYTES (128 * 1024)

typedef struct
{
  char *connected_at;   /* ISO-8601, as API Gateway reports it */
  char *last_active_at;
  char *source_ip;
} BiApiGatewayConnection;

void     bi_apigateway_connection_clear   (BiApiGatewayConnection *connection);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BiApiGatewayConnection, bi_apigateway_connection_clear)

/* Sends @message (text) as one frame to the client of @connection_id. */
gboolean bi_apigateway_post_to_connection (BiAwsClient            *client,
                                           const char             *connection_id,
                                           const char             *message,
                                           GError                **error);
gboolean bi_apigateway_get_connection     (BiAwsClient            *client,
                                           const char             *connection_id,
                                           BiApiGatewayConnection *out,
                                           GError                **error);
gboolean bi_apigateway_delete_connection  (BiAwsClient            *client,
                                           const char             *connection_id,
                                           GError                **error);

G_END_DECLS
