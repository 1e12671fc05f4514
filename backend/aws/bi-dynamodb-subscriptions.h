/* bi-dynamodb-subscriptions.h — the connections table in DynamoDB: (jobId, connectionId) rows
 * with a TTL, as backend/local/bi-subscription-store in the embedded mode
 *
 * Table: partition key jobId (S), sort key connectionId (S); a global secondary index
 * "connectionId-index" (partition key connectionId, keys only) to delete a connection's rows on
 * $disconnect; attribute expiresAt (N, Unix seconds) is the table's TTL attribute. DynamoDB
 * deletes expired rows only eventually (within days), so every read filters them out.
 * Thread-safe (no state but the borrowed client).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "bi-aws-client.h"

G_BEGIN_DECLS

#define BI_DYNAMODB_SUBSCRIPTIONS_CONNECTION_INDEX "connectionId-index"
#define BI_DYNAMODB_SUBSCRIPTIONS_TTL_ATTRIBUTE    "expiresAt"
#define BI_DYNAMODB_SUBSCRIPTIONS_DEFAULT_TTL_MS   (60 * 60 * 1000)

/* Unix milliseconds now (tests move it by hand). */
typedef gint64 (*BiDynamodbClockFunc) (gpointer user_data);

typedef struct _BiDynamodbSubscriptions BiDynamodbSubscriptions;

/* @client is borrowed. */
BiDynamodbSubscriptions *bi_dynamodb_subscriptions_new (BiAwsClient *client,
                                                        const char  *table,
                                                        gint64       ttl_ms);
void       bi_dynamodb_subscriptions_free              (BiDynamodbSubscriptions *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiDynamodbSubscriptions, bi_dynamodb_subscriptions_free)

void       bi_dynamodb_subscriptions_set_clock         (BiDynamodbSubscriptions *self,
                                                        BiDynamodbClockFunc      clock,
                                                        gpointer                 user_data);

/* Inserts or refreshes (expiresAt = now + ttl). A bad job id is BI_PROTOCOL_ERROR_BAD_JOB_ID,
 * a bad connection id (1–128 printable ASCII characters) BI_AWS_ERROR_CONFIG. */
gboolean   bi_dynamodb_subscriptions_put               (BiDynamodbSubscriptions *self,
                                                        const char  *job_id,
                                                        const char  *connection_id,
                                                        GError     **error);
/* Connection ids (char *) subscribed to @job_id and not expired. */
GPtrArray *bi_dynamodb_subscriptions_list_by_job       (BiDynamodbSubscriptions *self,
                                                        const char  *job_id,
                                                        GError     **error);
gboolean   bi_dynamodb_subscriptions_delete            (BiDynamodbSubscriptions *self,
                                                        const char  *job_id,
                                                        const char  *connection_id,
                                                        GError     **error);
/* Deletes every row of @connection_id (through the index); returns how many in @n_deleted. */
gboolean   bi_dynamodb_subscriptions_delete_by_connection (BiDynamodbSubscriptions *self,
                                                           const char  *connection_id,
                                                           guint       *n_deleted,
                                                           GError     **error);

/* The CreateTable request of this layout (on-demand billing), for tools and tests; Terraform
 * declares the same table in backend/terraform/. */
JsonNode  *bi_dynamodb_subscriptions_create_table_request (const char *table);

G_END_DECLS
