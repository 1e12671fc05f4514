/* bi-fake-server.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-fake-server"

#include "bi-fake-server.h"

#include "bi-image-type.h"
#include "bi-object-key.h"
#include "bi-protocol-error.h"
#include "bi-protocol-messages.h"

#include <libsoup/soup.h>
#include <string.h>

typedef struct
{
  char    *job_id;
  gint64   seq;                /* last seq pushed */
  gboolean subscribe_answered; /* a "subscribed" went out for this job */
  gboolean url_after_subscribe;
  guint    subscribes;
  guint    results_requests;
  char    *upload_name;
  GBytes  *upload;
  char    *upload_type;
  char    *results;            /* final results JSON once finished */
  char    *terminal_message;   /* the processingComplete frame once finished */
} FakeJob;

typedef struct
{
  BiFakeServer            *server;
  SoupWebsocketConnection *websocket;
  GHashTable              *jobs;   /* job ids subscribed on this connection */
} FakeConnection;

struct _BiFakeServer
{
  SoupServer *soup_server;
  char       *url;
  GHashTable *jobs;                /* job id → FakeJob */
  GPtrArray  *connections;         /* FakeConnection *, open ones */
  gboolean    auto_complete;
  gboolean    answer_pings;
  gboolean    replay_terminal;
  guint       upload_status;
  char       *upload_error;
  GPtrArray  *pipelines;           /* GSource * of pending auto-complete runs */
  guint       n_connections;
  guint       n_pings;
  guint       n_uploads;
  char       *last_authorization;
  char       *last_token;
};

static void
fake_job_free (FakeJob *job)
{
  g_free (job->job_id);
  g_free (job->upload_name);
  g_clear_pointer (&job->upload, g_bytes_unref);
  g_free (job->upload_type);
  g_free (job->results);
  g_free (job->terminal_message);
  g_free (job);
}

static FakeJob *
lookup_job (BiFakeServer *self,
            const char   *job_id)
{
  FakeJob *job = g_hash_table_lookup (self->jobs, job_id);

  if (job == NULL)
    {
      job = g_new0 (FakeJob, 1);
      job->job_id = g_strdup (job_id);
      g_hash_table_insert (self->jobs, job->job_id, job);
    }
  return job;
}

static void
fake_connection_free (FakeConnection *connection)
{
  g_signal_handlers_disconnect_by_data (connection->websocket, connection);
  g_object_unref (connection->websocket);
  g_hash_table_unref (connection->jobs);
  g_free (connection);
}

static void
send_text (FakeConnection *connection,
           const char     *text)
{
  if (soup_websocket_connection_get_state (connection->websocket) == SOUP_WEBSOCKET_STATE_OPEN)
    soup_websocket_connection_send_text (connection->websocket, text);
}

/* ---- WebSocket ---- */

static void
handle_action (FakeConnection *connection,
               const char     *text,
               gsize           length)
{
  BiFakeServer *self = connection->server;
  g_autoptr(GError) error = NULL;
  g_autofree char *job_id = NULL;
  g_autofree char *answer = NULL;
  BiClientAction action;
  FakeJob *job;

  if (!bi_client_action_parse (text, length, &action, &job_id, &error))
    {
      answer = bi_message_error_new (bi_protocol_error_code_name (error->code), error->message);
      send_text (connection, answer);
      return;
    }

  switch (action)
    {
    case BI_CLIENT_ACTION_PING:
      self->n_pings++;
      if (self->answer_pings)
        {
          answer = bi_message_pong_new ();
          send_text (connection, answer);
        }
      break;

    case BI_CLIENT_ACTION_SUBSCRIBE:
      job = lookup_job (self, job_id);
      job->subscribes++;
      job->subscribe_answered = TRUE;
      g_hash_table_add (connection->jobs, g_strdup (job_id));
      answer = bi_message_subscribed_new (job_id);
      send_text (connection, answer);
      if (self->replay_terminal && job->terminal_message != NULL)
        send_text (connection, job->terminal_message);
      break;

    case BI_CLIENT_ACTION_UNSUBSCRIBE:
      g_hash_table_remove (connection->jobs, job_id);
      answer = bi_message_unsubscribed_new (job_id);
      send_text (connection, answer);
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
websocket_message_cb (SoupWebsocketConnection *websocket,
                      SoupWebsocketDataType    type,
                      GBytes                  *data,
                      gpointer                 user_data)
{
  gsize length = 0;
  const char *text = g_bytes_get_data (data, &length);

  handle_action (user_data, text != NULL ? text : "", length);
}

static void
websocket_closed_cb (SoupWebsocketConnection *websocket,
                     gpointer                 user_data)
{
  FakeConnection *connection = user_data;

  g_ptr_array_remove (connection->server->connections, connection);
}

static void
websocket_cb (SoupServer              *server,
              SoupServerMessage       *message,
              const char              *path,
              SoupWebsocketConnection *websocket,
              gpointer                 user_data)
{
  BiFakeServer *self = user_data;
  FakeConnection *connection = g_new0 (FakeConnection, 1);
  const char *query = g_uri_get_query (soup_server_message_get_uri (message));
  g_autoptr(GHashTable) params = NULL;

  g_clear_pointer (&self->last_token, g_free);
  if (query != NULL)
    {
      params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_NONE, NULL);
      if (params != NULL)
        self->last_token = g_strdup (g_hash_table_lookup (params, "token"));
    }

  connection->server = self;
  connection->websocket = g_object_ref (websocket);
  connection->jobs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_signal_connect (websocket, "message", G_CALLBACK (websocket_message_cb), connection);
  g_signal_connect (websocket, "closed", G_CALLBACK (websocket_closed_cb), connection);
  g_ptr_array_add (self->connections, connection);
  self->n_connections++;
}

/* ---- HTTP ---- */

static void
respond (SoupServerMessage *message,
         guint              status,
         const char        *content_type,
         const char        *body)
{
  soup_server_message_set_status (message, status, NULL);
  soup_server_message_set_response (message, content_type, SOUP_MEMORY_COPY, body, strlen (body));
}

static void
respond_error (SoupServerMessage *message,
               guint              status,
               const char        *code,
               const char        *text)
{
  g_autofree char *body = bi_error_json_new (code, text);

  respond (message, status, "application/json", body);
}

static char *
results_json_new (const char *job_id,
                  const char *title)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "jobId");
  json_builder_add_string_value (builder, job_id);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "complete");
  json_builder_set_member_name (builder, "validatedBooks");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "books");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, title);
  json_builder_set_member_name (builder, "authors");
  json_builder_begin_array (builder);
  json_builder_add_string_value (builder, "Ann Author");
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "year");
  json_builder_add_int_value (builder, 2001);
  json_builder_set_member_name (builder, "isbn13");
  json_builder_add_string_value (builder, "9780306406157");
  json_builder_set_member_name (builder, "confidence");
  json_builder_add_double_value (builder, 0.9);
  json_builder_set_member_name (builder, "evidence");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "position");
  json_builder_add_int_value (builder, 1);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "unresolved");
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return bi_json_to_string (root);
}

static void
push_progress (BiFakeServer *self,
               FakeJob      *job)
{
  for (BiStage stage = BI_STAGE_UPLOADED; stage < BI_N_STAGES; stage++)
    {
      for (int finished = 0; finished <= 1; finished++)
        {
          g_autofree char *text = bi_message_job_progress_new (job->job_id, ++job->seq, stage,
                                                               finished);

          bi_fake_server_push (self, job->job_id, text);
        }
    }
}

typedef struct
{
  BiFakeServer *server;
  char         *job_id;
} PipelineRun;

static void
pipeline_run_free (gpointer user_data)
{
  PipelineRun *run = user_data;

  g_free (run->job_id);
  g_free (run);
}

static gboolean
run_pipeline_cb (gpointer user_data)
{
  PipelineRun *run = user_data;
  FakeJob *job = lookup_job (run->server, run->job_id);

  push_progress (run->server, job);
  bi_fake_server_complete_job (run->server, run->job_id, "The Fake Book", TRUE);
  return G_SOURCE_REMOVE;
}

static void
handle_upload_url (BiFakeServer      *self,
                   SoupServerMessage *message,
                   GHashTable        *query)
{
  const char *key = query != NULL ? g_hash_table_lookup (query, "filename") : NULL;
  const char *content_type = query != NULL ? g_hash_table_lookup (query, "contentType") : NULL;
  g_autofree char *job_id = NULL;
  g_autofree char *file_name = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GError) error = NULL;
  FakeJob *job;

  if (key == NULL || !bi_object_key_parse (key, &job_id, &file_name, &error))
    {
      respond_error (message, SOUP_STATUS_BAD_REQUEST, "bad_file_name",
                     error != NULL ? error->message : "filename is missing");
      return;
    }
  if (!bi_image_type_is_supported (content_type))
    {
      respond_error (message, SOUP_STATUS_BAD_REQUEST, "bad_content_type",
                     "contentType must be an image type");
      return;
    }

  job = lookup_job (self, job_id);
  job->url_after_subscribe = job->subscribe_answered;
  g_free (job->upload_name);
  job->upload_name = g_strdup (file_name);

  /* Relative, as a server behind a proxy may answer; the client resolves it. */
  escaped = g_uri_escape_string (file_name, NULL, FALSE);
  url = g_strconcat ("/upload/", job_id, "/", escaped, "?signature=fake", NULL);
  respond (message, SOUP_STATUS_OK, "text/plain", url);
}

static void
handle_upload (BiFakeServer      *self,
               SoupServerMessage *message,
               const char        *path)
{
  const char *rest = path + strlen ("/upload/");
  const char *slash = strchr (rest, '/');
  g_autofree char *job_id = slash != NULL ? g_strndup (rest, (gsize) (slash - rest)) : NULL;
  SoupMessageBody *body = soup_server_message_get_request_body (message);
  g_autoptr(GBytes) data = NULL;
  FakeJob *job;
  PipelineRun *run;

  if (job_id == NULL)
    {
      respond_error (message, SOUP_STATUS_FORBIDDEN, "bad_signature", "No such upload URL.");
      return;
    }
  if (self->upload_status != 0)
    {
      respond_error (message, self->upload_status, "refused", self->upload_error);
      return;
    }

  data = soup_message_body_flatten (body);
  job = lookup_job (self, job_id);
  g_clear_pointer (&job->upload, g_bytes_unref);
  job->upload = g_bytes_ref (data);
  g_free (job->upload_type);
  job->upload_type = g_strdup (soup_message_headers_get_content_type (
    soup_server_message_get_request_headers (message), NULL));
  self->n_uploads++;
  respond (message, SOUP_STATUS_OK, "text/plain", "");

  if (self->auto_complete)
    {
      g_autoptr(GSource) source = g_idle_source_new ();

      run = g_new0 (PipelineRun, 1);
      run->server = self;
      run->job_id = g_strdup (job_id);
      g_source_set_callback (source, run_pipeline_cb, run, pipeline_run_free);
      g_source_attach (source, NULL);
      g_ptr_array_add (self->pipelines, g_steal_pointer (&source));
    }
}

static void
handle_results (BiFakeServer      *self,
                SoupServerMessage *message,
                const char        *job_id)
{
  FakeJob *job = g_hash_table_lookup (self->jobs, job_id);

  if (job == NULL)
    {
      respond_error (message, SOUP_STATUS_NOT_FOUND, "unknown_job", "No such job.");
      return;
    }

  job->results_requests++;
  if (job->results != NULL)
    respond (message, SOUP_STATUS_OK, "application/json", job->results);
  else
    respond (message, SOUP_STATUS_ACCEPTED, "application/json",
             "{\"status\":\"pending\",\"stage\":\"ocr\"}");
}

static void
http_cb (SoupServer        *server,
         SoupServerMessage *message,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  BiFakeServer *self = user_data;
  const char *method = soup_server_message_get_method (message);
  const char *authorization = soup_message_headers_get_one (
    soup_server_message_get_request_headers (message), "Authorization");

  if (g_strcmp0 (method, "PUT") != 0)
    {
      g_free (self->last_authorization);
      self->last_authorization = g_strdup (authorization);
    }

  if (g_strcmp0 (method, "GET") == 0 && g_strcmp0 (path, "/upload-url") == 0)
    handle_upload_url (self, message, query);
  else if (g_strcmp0 (method, "PUT") == 0 && g_str_has_prefix (path, "/upload/"))
    handle_upload (self, message, path);
  else if (g_strcmp0 (method, "GET") == 0 && g_str_has_prefix (path, "/results/"))
    handle_results (self, message, path + strlen ("/results/"));
  else
    respond_error (message, SOUP_STATUS_NOT_FOUND, "not_found", "No such route.");
}

/* ---- public API ---- */

BiFakeServer *
bi_fake_server_new (void)
{
  BiFakeServer *self = g_new0 (BiFakeServer, 1);
  g_autoptr(GError) error = NULL;
  GSList *uris;

  self->jobs = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                      (GDestroyNotify) fake_job_free);
  self->connections = g_ptr_array_new_with_free_func ((GDestroyNotify) fake_connection_free);
  self->pipelines = g_ptr_array_new_with_free_func ((GDestroyNotify) g_source_unref);
  self->auto_complete = TRUE;
  self->answer_pings = TRUE;
  self->replay_terminal = TRUE;

  self->soup_server = soup_server_new (NULL, NULL);
  /* The catch-all handler first: added after, it would take /ws over. */
  soup_server_add_handler (self->soup_server, NULL, http_cb, self, NULL);
  soup_server_add_websocket_handler (self->soup_server, "/ws", NULL, NULL, websocket_cb, self,
                                     NULL);
  if (!soup_server_listen_local (self->soup_server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("The fake server could not listen: %s", error->message);

  uris = soup_server_get_uris (self->soup_server);
  g_assert_nonnull (uris);
  self->url = g_strdup_printf ("http://127.0.0.1:%d", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  return self;
}

void
bi_fake_server_free (BiFakeServer *self)
{
  if (self == NULL)
    return;

  bi_fake_server_stop (self);
  for (guint i = 0; i < self->pipelines->len; i++)
    g_source_destroy (g_ptr_array_index (self->pipelines, i));
  g_ptr_array_unref (self->pipelines);
  g_clear_object (&self->soup_server);
  g_ptr_array_unref (self->connections);
  g_hash_table_unref (self->jobs);
  g_free (self->url);
  g_free (self->upload_error);
  g_free (self->last_authorization);
  g_free (self->last_token);
  g_free (self);
}

const char *
bi_fake_server_get_url (BiFakeServer *self)
{
  return self->url;
}

void
bi_fake_server_set_auto_complete (BiFakeServer *self,
                                  gboolean      auto_complete)
{
  self->auto_complete = auto_complete;
}

void
bi_fake_server_set_answer_pings (BiFakeServer *self,
                                 gboolean      answer)
{
  self->answer_pings = answer;
}

void
bi_fake_server_set_replay_terminal (BiFakeServer *self,
                                    gboolean      replay)
{
  self->replay_terminal = replay;
}

void
bi_fake_server_set_upload_status (BiFakeServer *self,
                                  guint         status,
                                  const char   *message)
{
  self->upload_status = status;
  g_free (self->upload_error);
  self->upload_error = g_strdup (message);
}

void
bi_fake_server_push (BiFakeServer *self,
                     const char   *job_id,
                     const char   *text)
{
  for (guint i = 0; i < self->connections->len; i++)
    {
      FakeConnection *connection = g_ptr_array_index (self->connections, i);

      if (g_hash_table_contains (connection->jobs, job_id))
        send_text (connection, text);
    }
}

void
bi_fake_server_complete_job (BiFakeServer *self,
                             const char   *job_id,
                             const char   *title,
                             gboolean      push)
{
  FakeJob *job = lookup_job (self, job_id);
  g_autoptr(JsonNode) results = NULL;

  g_free (job->results);
  job->results = results_json_new (job_id, title);
  results = json_from_string (job->results, NULL);
  g_free (job->terminal_message);
  job->terminal_message = bi_message_processing_complete_new (job_id, ++job->seq, results);
  if (push)
    bi_fake_server_push (self, job_id, job->terminal_message);
}

void
bi_fake_server_drop_connections (BiFakeServer *self)
{
  g_autoptr(GPtrArray) open = g_ptr_array_new ();

  /* Closing emits ::closed, which removes the connection from the array. */
  for (guint i = 0; i < self->connections->len; i++)
    {
      FakeConnection *connection = g_ptr_array_index (self->connections, i);

      g_ptr_array_add (open, connection->websocket);
    }
  for (guint i = 0; i < open->len; i++)
    soup_websocket_connection_close (g_ptr_array_index (open, i),
                                     SOUP_WEBSOCKET_CLOSE_GOING_AWAY, "restarting");
}

void
bi_fake_server_stop (BiFakeServer *self)
{
  /* Abrupt: the streams are closed without a close handshake, as when a process dies. */
  while (self->connections->len > 0)
    {
      FakeConnection *connection = g_ptr_array_index (self->connections, 0);

      g_io_stream_close (soup_websocket_connection_get_io_stream (connection->websocket), NULL,
                         NULL);
      g_ptr_array_remove_index (self->connections, 0);
    }
  soup_server_disconnect (self->soup_server);
}

guint
bi_fake_server_count_connections (BiFakeServer *self)
{
  return self->n_connections;
}

guint
bi_fake_server_count_open_connections (BiFakeServer *self)
{
  return self->connections->len;
}

guint
bi_fake_server_count_subscribes (BiFakeServer *self,
                                 const char   *job_id)
{
  FakeJob *job = g_hash_table_lookup (self->jobs, job_id);

  return job != NULL ? job->subscribes : 0;
}

guint
bi_fake_server_count_pings (BiFakeServer *self)
{
  return self->n_pings;
}

guint
bi_fake_server_count_uploads (BiFakeServer *self)
{
  return self->n_uploads;
}

guint
bi_fake_server_count_results_requests (BiFakeServer *self,
                                       const char   *job_id)
{
  FakeJob *job = g_hash_table_lookup (self->jobs, job_id);

  return job != NULL ? job->results_requests : 0;
}

GBytes *
bi_fake_server_get_upload (BiFakeServer  *self,
                           const char    *job_id,
                           char         **content_type)
{
  FakeJob *job = g_hash_table_lookup (self->jobs, job_id);

  if (job == NULL || job->upload == NULL)
    return NULL;
  if (content_type != NULL)
    *content_type = g_strdup (job->upload_type);
  return g_bytes_ref (job->upload);
}

const char *
bi_fake_server_get_upload_name (BiFakeServer *self,
                                const char   *job_id)
{
  FakeJob *job = g_hash_table_lookup (self->jobs, job_id);

  return job != NULL ? job->upload_name : NULL;
}

gboolean
bi_fake_server_subscribed_before_upload_url (BiFakeServer *self,
                                             const char   *job_id)
{
  FakeJob *job = g_hash_table_lookup (self->jobs, job_id);

  return job != NULL && job->url_after_subscribe;
}

const char *
bi_fake_server_get_last_authorization (BiFakeServer *self)
{
  return self->last_authorization;
}

const char *
bi_fake_server_get_last_websocket_token (BiFakeServer *self)
{
  return self->last_token;
}
