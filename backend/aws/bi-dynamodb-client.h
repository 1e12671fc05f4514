/* bi-dynamodb-client.h — DynamoDB (JSON 1.0): PutItem, GetItem, Query, DeleteItem, and any
 * other operation through bi_dynamodb_call
 *
 * Items, keys and requests are DynamoDB's own JSON ({"jobId":{"S":"…"}}).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "bi-aws-client.h"

G_BEGIN_DECLS

/* Any operation ("CreateTable", "UpdateTimeToLive", …): @request → the answer object. */
JsonNode  *bi_dynamodb_call        (BiAwsClient  *client,
                                    const char   *operation,
                                    JsonNode     *request,
                                    GError      **error);
gboolean   bi_dynamodb_put_item    (BiAwsClient  *client,
                                    const char   *table,
                                    JsonNode     *item,
                                    GError      **error);
/* The item, or NULL without an error when there is none. */
JsonNode  *bi_dynamodb_get_item    (BiAwsClient  *client,
                                    const char   *table,
                                    JsonNode     *key,
                                    gboolean      consistent_read,
                                    GError      **error);
/* Runs the Query @request (an object with TableName, KeyConditionExpression, …) through
 * every page; returns a JSON array of the items. */
JsonNode  *bi_dynamodb_query       (BiAwsClient  *client,
                                    JsonNode     *request,
                                    GError      **error);
gboolean   bi_dynamodb_delete_item (BiAwsClient  *client,
                                    const char   *table,
                                    JsonNode     *key,
                                    GError      **error);

/* The string value of attribute @name ({"S": …}) of @item, or NULL. */
const char *bi_dynamodb_item_get_string (JsonNode   *item,
                                         const char *name);

G_END_DECLS
