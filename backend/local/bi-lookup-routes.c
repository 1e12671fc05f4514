/* bi-lookup-routes.c — GET /results/<jobId> and GET /catalog/search: what clients look up
 *
 * /results is the fallback of the WebSocket push: 200 with the job's final-results.json once
 * it finished (complete or failed), 202 with the current stage while pending, 404 for a job
 * no upload created. /catalog/search serves manual review of spines that matched no book.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-lookup-routes"

#include "bi-http-server-private.h"
#include "bi-catalog-search-params.h"
#include "bi-job-id.h"
#include "bi-notifier.h"
#include "bi-protocol-messages.h"

#include <string.h>

/* The "results" member of a stored processingComplete message, as text. */
static GBytes *
results_from_terminal_message (const char  *terminal,
                               GError     **error)
{
  g_autoptr(JsonNode) message = NULL;
  JsonObject *object;
  char *text;

  if (terminal == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no stored terminal message");
      return NULL;
    }

  message = json_from_string (terminal, error);
  if (message == NULL)
    return NULL;
  object = JSON_NODE_HOLDS_OBJECT (message) ? json_node_get_object (message) : NULL;
  if (object == NULL || !json_object_has_member (object, "results"))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "the stored terminal message has no results");
      return NULL;
    }

  text = bi_json_to_string (json_object_get_member (object, "results"));
  return g_bytes_new_take (text, strlen (text));
}

static JsonNode *
pending_json_new (const char *job_id,
                  const char *stage)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "jobId");
  json_builder_add_string_value (builder, job_id);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "pending");
  json_builder_set_member_name (builder, "stage");
  json_builder_add_string_value (builder, stage != NULL ? stage : "uploaded");
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

void
bi_results_route (BiHttpServer      *self,
                  SoupServerMessage *msg,
                  const char        *tail,
                  GHashTable        *query)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *job_id = bi_http_decode_segment (tail);
  g_autofree char *stage = NULL;
  g_autofree char *key = NULL;
  g_autofree char *terminal = NULL;
  g_autoptr(GBytes) document = NULL;
  BiJobState state;

  if (!bi_job_id_validate (job_id, &error))
    {
      bi_http_respond_bad_request (msg, error);
      return;
    }

  state = bi_job_store_lookup (self->parts.jobs, job_id, &stage, &terminal, &error);
  if (error != NULL)
    {
      g_warning ("Could not read the state of %s: %s", job_id, error->message);
      bi_http_respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal_error",
                             "The server could not read the job's state; try again.");
      return;
    }

  switch (state)
    {
    case BI_JOB_STATE_UNKNOWN:
      bi_http_respond_error (msg, SOUP_STATUS_NOT_FOUND, "unknown_job",
                             "No photo was uploaded for this job id; upload one first "
                             "(or check the id).");
      return;
    case BI_JOB_STATE_PENDING:
      {
        g_autoptr(JsonNode) pending = pending_json_new (job_id, stage);

        bi_http_respond_json_node (msg, SOUP_STATUS_ACCEPTED, pending);
        return;
      }
    case BI_JOB_STATE_COMPLETE:
    case BI_JOB_STATE_FAILED:
    default:
      break;
    }

  key = g_strconcat (job_id, "/", BI_RESULTS_DOCUMENT_NAME, NULL);
  document = self->parts.blob_store->get (self->parts.blob_store, BI_BUCKET_RESULTS, key, &error);
  if (document == NULL && state == BI_JOB_STATE_COMPLETE
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      /* Published to the topic without a stored document (POST /@topic, as SNS allows): the
       * stored terminal message carries the results. */
      g_clear_error (&error);
      document = results_from_terminal_message (terminal, &error);
    }
  if (document == NULL)
    {
      g_warning ("%s is finished but its results cannot be read: %s", job_id, error->message);
      bi_http_respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal_error",
                             "The job is finished but its results cannot be read; check the "
                             "server's data dir.");
      return;
    }

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (document, NULL),
                                    g_bytes_get_size (document));
}

/* One search, run on a worker thread: matching a misread word against the catalog's
 * vocabulary can take a while, and the main loop also carries every WebSocket push. */
typedef struct
{
  BiHttpServer      *server;  /* waits for the search before it frees the catalog */
  SoupServerMessage *msg;     /* paused until the answer is set */
  BiCatalog         *catalog; /* the port is thread-safe (bi-ports.h) */
  char              *text;
  guint              limit;
} CatalogSearch;

static void
catalog_search_free (gpointer data)
{
  CatalogSearch *search = data;

  g_object_unref (search->msg);
  g_free (search->text);
  g_free (search);
}

static void
search_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  CatalogSearch *search = task_data;
  GError *error = NULL;
  GPtrArray *books = search->catalog->search (search->catalog, search->text, search->limit,
                                              &error);

  if (books == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, books, (GDestroyNotify) g_ptr_array_unref);
}

static void
search_done_cb (GObject      *source_object,
                GAsyncResult *result,
                gpointer      user_data)
{
  CatalogSearch *search = g_task_get_task_data (G_TASK (result));
  SoupServerMessage *msg = search->msg;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) books = g_task_propagate_pointer (G_TASK (result), &error);
  g_autoptr(JsonNode) list = NULL;

  if (books == NULL)
    {
      g_warning ("Catalog search failed: %s", error->message);
      bi_http_respond_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "internal_error",
                             "The catalog search failed; try other words or check the log.");
    }
  else
    {
      list = bi_catalog_search_results_to_json (books);
      bi_http_respond_json_node (msg, SOUP_STATUS_OK, list);
    }
  soup_server_message_unpause (msg);
  search->server->work_in_progress--;
}

void
bi_catalog_search_route (BiHttpServer      *self,
                         SoupServerMessage *msg,
                         const char        *tail,
                         GHashTable        *query)
{
  g_autoptr(GTask) task = NULL;
  CatalogSearch *search;
  g_autofree char *text = NULL;
  const char *code = NULL;
  const char *message = NULL;
  guint limit = 0;

  if (!bi_catalog_search_params_parse (query != NULL ? g_hash_table_lookup (query, "q") : NULL,
                                       query != NULL ? g_hash_table_lookup (query, "limit") : NULL,
                                       &text, &limit, &code, &message))
    {
      bi_http_respond_error (msg, SOUP_STATUS_BAD_REQUEST, code, message);
      return;
    }

  search = g_new0 (CatalogSearch, 1);
  search->server = self;
  search->msg = g_object_ref (msg);
  search->catalog = self->parts.catalog;
  search->text = g_steal_pointer (&text);
  search->limit = limit;
  soup_server_message_pause (msg);
  self->work_in_progress++;
  task = g_task_new (NULL, NULL, search_done_cb, NULL);
  g_task_set_source_tag (task, bi_catalog_search_route);
  g_task_set_task_data (task, search, catalog_search_free);
  g_task_run_in_thread (task, search_in_thread);
}
