/* bi-protocol-messages.h — the WebSocket messages, built and parsed in one place
 *
 * Client → server: {"action":"subscribe|unsubscribe","jobId":…} and {"action":"ping"}.
 * Server → client: subscribed, unsubscribed, pong, error, and the pushes jobProgress,
 * processingComplete and processingFailed, which carry `jobId` and a per-job increasing `seq`.
 * All builders return compact JSON text owned by the caller.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The pipeline stages as named on the wire ("uploaded", "ocr", "candidates", "validation"). */
typedef enum
{
  BI_STAGE_UPLOADED,
  BI_STAGE_OCR,
  BI_STAGE_CANDIDATES,
  BI_STAGE_VALIDATION,
  BI_N_STAGES,
} BiStage;

const char *bi_stage_to_string   (BiStage     stage);
gboolean    bi_stage_from_string (const char *name,
                                  BiStage    *stage);

typedef enum
{
  BI_CLIENT_ACTION_SUBSCRIBE,
  BI_CLIENT_ACTION_UNSUBSCRIBE,
  BI_CLIENT_ACTION_PING,
} BiClientAction;

/* Client → server. */
char     *bi_action_subscribe_new   (const char *job_id);
char     *bi_action_unsubscribe_new (const char *job_id);
char     *bi_action_ping_new        (void);

/* Parses one client frame. @job_id is set for subscribe/unsubscribe (validated).
 * Errors are BI_PROTOCOL_ERROR_BAD_MESSAGE, _UNKNOWN_ACTION or _BAD_JOB_ID. */
gboolean  bi_client_action_parse    (const char      *text,
                                     gsize            length,
                                     BiClientAction  *action,
                                     char           **job_id,
                                     GError         **error);

/* Server → client. */
char     *bi_message_subscribed_new             (const char *job_id);
char     *bi_message_unsubscribed_new           (const char *job_id);
char     *bi_message_pong_new                   (void);
char     *bi_message_error_new                  (const char *code,
                                                 const char *message);
char     *bi_message_job_progress_new           (const char *job_id,
                                                 gint64      seq,
                                                 BiStage     stage,
                                                 gboolean    finished);
/* @results is the final results object; it is copied. */
char     *bi_message_processing_complete_new    (const char *job_id,
                                                 gint64      seq,
                                                 JsonNode   *results);
char     *bi_message_processing_failed_new      (const char *job_id,
                                                 gint64      seq,
                                                 const char *stage,
                                                 const char *code,
                                                 const char *message);

typedef enum
{
  BI_SERVER_MESSAGE_SUBSCRIBED,
  BI_SERVER_MESSAGE_UNSUBSCRIBED,
  BI_SERVER_MESSAGE_PONG,
  BI_SERVER_MESSAGE_ERROR,
  BI_SERVER_MESSAGE_JOB_PROGRESS,
  BI_SERVER_MESSAGE_PROCESSING_COMPLETE,
  BI_SERVER_MESSAGE_PROCESSING_FAILED,
} BiServerMessageType;

/* A parsed server frame. Fields that a type does not carry are NULL / 0. */
typedef struct
{
  BiServerMessageType  type;
  char                *job_id;
  gint64               seq;
  char                *stage;         /* jobProgress; processingFailed's error.stage */
  gboolean             finished;      /* jobProgress: state == "finished" */
  JsonNode            *results;       /* processingComplete */
  char                *error_code;    /* error; processingFailed's error.code */
  char                *error_message; /* error; processingFailed's error.message */
} BiServerMessage;

BiServerMessage *bi_server_message_parse (const char  *text,
                                          gsize        length,
                                          GError     **error);
void             bi_server_message_free  (BiServerMessage *message);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiServerMessage, bi_server_message_free)

/* The string member @name of @object, or NULL when it is absent or not a string, or @object is
 * NULL (json-glib's own getters warn on a wrong type, and these objects come from outside). */
const char *bi_json_object_get_string (JsonObject *object,
                                       const char *name);

/* Compact JSON text of @node. */
char     *bi_json_to_string (JsonNode *node);

G_END_DECLS
