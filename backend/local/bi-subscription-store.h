/* bi-subscription-store.h — (jobId, connectionId) rows with a TTL, as the DynamoDB table in AWS
 *
 * Reads ignore expired rows; bi_subscription_store_sweep() deletes them. Thread-safe.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "bi-sqlite-queue.h" /* BiClockFunc */

G_BEGIN_DECLS

#define BI_SUBSCRIPTION_TTL_MS (60 * 60 * 1000)

#define BI_SUBSCRIPTION_STORE_ERROR (bi_subscription_store_error_quark ())

/* Bad job ids are BI_PROTOCOL_ERROR_BAD_JOB_ID; database failures are in BI_SQLITE_ERROR. */
typedef enum
{
  BI_SUBSCRIPTION_STORE_ERROR_BAD_CONNECTION_ID, /* 1–128 printable ASCII characters */
} BiSubscriptionStoreError;

GQuark bi_subscription_store_error_quark (void);

typedef struct _BiSubscriptionStore BiSubscriptionStore;

BiSubscriptionStore *bi_subscription_store_open     (const char  *path,
                                                     gint64       ttl_ms,
                                                     GError     **error);
void       bi_subscription_store_free                (BiSubscriptionStore *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiSubscriptionStore, bi_subscription_store_free)

/* Inserts or refreshes (expiry = now + ttl). */
gboolean   bi_subscription_store_put                 (BiSubscriptionStore *self,
                                                      const char  *job_id,
                                                      const char  *connection_id,
                                                      GError     **error);
/* Connection ids (char *) subscribed to @job_id and not expired. */
GPtrArray *bi_subscription_store_list_by_job         (BiSubscriptionStore *self,
                                                      const char  *job_id,
                                                      GError     **error);
gboolean   bi_subscription_store_delete              (BiSubscriptionStore *self,
                                                      const char  *job_id,
                                                      const char  *connection_id,
                                                      GError     **error);
gboolean   bi_subscription_store_delete_by_connection (BiSubscriptionStore *self,
                                                      const char  *connection_id,
                                                      GError     **error);
/* Deletes expired rows; returns how many. */
guint      bi_subscription_store_sweep               (BiSubscriptionStore *self);
/* Live (not expired) rows. */
guint      bi_subscription_store_count               (BiSubscriptionStore *self);

void       bi_subscription_store_set_clock           (BiSubscriptionStore *self,
                                                      BiClockFunc  clock,
                                                      gpointer     user_data);

G_END_DECLS
