/* bi-topic-message.h — the topic's messages (final results or a failure) and the push each
 * becomes, shared by the embedded notifier and job store and by the sns-notifier and
 * connection-manager Lambdas
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Validates a topic message: a JSON object with a valid "jobId" and "status" "complete", or
 * "failed" with an "error" object of strings "stage", "code" and "message". Outputs optional.
 * Errors are BI_PROTOCOL_ERROR_BAD_MESSAGE or _BAD_JOB_ID. */
gboolean    bi_topic_message_parse      (const char          *text,
                                         gssize               length,
                                         char               **job_id,
                                         JsonNode           **message,
                                         GError             **error);

/* The push for @topic_message about @job_id with @seq: processingComplete (the message is
 * the results) or processingFailed (@failed set). Validates the message as above and checks
 * that it is about @job_id; errors are BI_PROTOCOL_ERROR_BAD_MESSAGE. */
char       *bi_topic_message_to_push    (const char          *job_id,
                                         gint64               seq,
                                         JsonNode            *topic_message,
                                         gboolean            *failed,
                                         GError             **error);

G_END_DECLS
