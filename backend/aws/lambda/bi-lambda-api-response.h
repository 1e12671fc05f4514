/* bi-lambda-api-response.h — answers of API Gateway proxy integrations, and the access token
 *
 * Both APIs take {"statusCode", "headers", "body"} from a Lambda proxy integration: the HTTP
 * API as the HTTP response, the WebSocket API as the route response (its body is the frame
 * sent back to the client).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* @content_type and @body may be NULL; @headers: NULL-terminated name, value, … or NULL. */
char       *bi_lambda_api_response_new (guint               status,
                                        const char         *content_type,
                                        const char         *body,
                                        const char * const *headers);
/* An error in the JSON error format: {"error":{"code","message"}}. */
char       *bi_lambda_api_error_new    (guint               status,
                                        const char         *code,
                                        const char         *message);
/* The 401 answer when @token does not match @expected (NULL when the API is open); NULL
 * when the request may go on. Messages as the embedded server's. */
char       *bi_lambda_api_check_token  (const char         *expected,
                                        const char         *token);

/* The string member at @path ("requestContext", "http", "method", NULL) of @root, or NULL. */
const char *bi_lambda_event_get_string (JsonNode           *root,
                                        ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
