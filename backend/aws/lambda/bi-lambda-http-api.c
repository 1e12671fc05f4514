/* bi-lambda-http-api.c — _HANDLER=http-api: the HTTP API (API Gateway HTTP API, payload 2.0)
 *
 * The same paths and answers as the embedded server (ARCHITECTURE.md, "HTTP API"):
 *  - GET /upload-url?filename=<jobId>/<name>&contentType=<type>: an S3 presigned PUT URL for
 *    the uploads bucket, the content type signed, valid 15 minutes (text/plain);
 *  - GET /results/<jobId>: 200 with final-results.json; 202 {"jobId","status":"pending",
 *    "stage"} while pending, the stage told by the outputs in the results bucket; 404 when
 *    no photo was uploaded for the job;
 *  - GET /catalog/search?q=&limit=: the bundled catalog;
 *  - GET / (the web page, compiled in) and GET /healthz (public).
 * Errors are {"error":{"code","message"}}; with BOOKIMG_ACCESS_TOKEN set, the API routes need
 * `Authorization: Bearer TOKEN` (or ?token=).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-lambda-http-api"

#include "bi-lambda-api-response.h"
#include "bi-lambda-handler.h"
#include "bi-lambda-job-results.h"
#include "bi-catalog-search-params.h"
#include "bi-image-type.h"
#include "bi-job-id.h"
#include "bi-object-key.h"
#include "bi-protocol-error.h"
#include "bi-s3-client.h"
#include "bookimg-web-resources.h"

#include <gio/gio.h>
#include <string.h>

#define UPLOAD_URL_EXPIRES_SECONDS (15 * 60)
#define WEB_RESOURCE_PREFIX "/io/github/bookimg/web/"

typedef struct
{
  BiLambdaServices *services;      /* borrowed */
  BiBlobStore      *blob_store;    /* the services' */
  BiCatalog        *catalog;       /* the services' */
  const char       *uploads_bucket;
  const char       *access_token;
} HttpApi;

typedef struct
{
  JsonNode   *event;
  const char *path;
} Request;

static gpointer
http_api_init (BiLambdaServices  *services,
               GError           **error)
{
  g_autofree HttpApi *self = g_new0 (HttpApi, 1);

  self->services = services;
  self->blob_store = bi_lambda_services_blob_store (services, error);
  if (self->blob_store == NULL)
    return NULL;
  self->catalog = bi_lambda_services_catalog (services, error);
  if (self->catalog == NULL)
    return NULL;
  self->uploads_bucket = bi_lambda_services_get_config (services)->uploads_bucket;
  self->access_token = bi_lambda_services_get_config (services)->access_token;
  return g_steal_pointer (&self);
}

static const char *
query (const Request *request,
       const char    *name)
{
  return bi_lambda_event_get_string (request->event, "queryStringParameters", name, NULL);
}

static char *
bad_request (const GError *error)
{
  return bi_lambda_api_error_new (400,
                                  error->domain == BI_PROTOCOL_ERROR
                                    ? bi_protocol_error_code_name (error->code) : "bad_request",
                                  error->message);
}

static char *
internal_error (const char *message)
{
  return bi_lambda_api_error_new (500, "internal_error", message);
}

static char *
web_page (void)
{
  g_autoptr(GBytes) page = g_resource_lookup_data (bi_web_get_resource (),
                                                   WEB_RESOURCE_PREFIX "index.html",
                                                   G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  g_autofree char *text = NULL;
  const char *headers[] = { "Cache-Control", "no-cache", "X-Content-Type-Options", "nosniff",
                            NULL };

  if (page == NULL)
    return bi_lambda_api_error_new (404, "not_found", "This build has no web page.");
  text = g_strndup (g_bytes_get_data (page, NULL), g_bytes_get_size (page));
  return bi_lambda_api_response_new (200, "text/html; charset=utf-8", text, headers);
}

static char *
upload_url (HttpApi       *self,
            const Request *request)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *url = NULL;
  const char *key = query (request, "filename");
  const char *requested_type = query (request, "contentType");

  if (key == NULL)
    return bi_lambda_api_error_new (400,
                                    bi_protocol_error_code_name (BI_PROTOCOL_ERROR_BAD_FILE_NAME),
                                    "Name the upload as filename=<jobId>/<file name>.");
  if (!bi_object_key_parse (key, NULL, NULL, &error))
    return bad_request (error);
  if (!bi_image_type_is_supported (requested_type))
    return bi_lambda_api_error_new (400,
                                    bi_protocol_error_code_name (BI_PROTOCOL_ERROR_BAD_CONTENT_TYPE),
                                    "contentType must be image/jpeg, image/png, image/webp or "
                                    "image/tiff.");

  /* One spelling is signed, so the upload's own type compares equal whatever case was asked. */
  content_type = g_ascii_strdown (requested_type, -1);
  url = bi_s3_presign_put_url (bi_lambda_services_get_client (self->services),
                               self->uploads_bucket, key, content_type,
                               UPLOAD_URL_EXPIRES_SECONDS, &error);
  if (url == NULL)
    {
      g_warning ("Could not sign an upload URL: %s", error->message);
      return internal_error ("The server could not make an upload URL; try again.");
    }
  return bi_lambda_api_response_new (200, "text/plain; charset=utf-8", url, NULL);
}

/* The stage a pending job is in, from the outputs the stages stored so far. */
static gboolean
pending_stage (HttpApi     *self,
               const char  *job_id,
               const char **stage,
               GError     **error)
{
  static const struct
  {
    const char *output;
    const char *stage; /* the stage that runs once that output exists */
  } outputs[] = {
    { "candidates.json", "validation" },
    { "ocr.json", "candidates" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (outputs); i++)
    {
      g_autofree char *key = g_strconcat (job_id, "/", outputs[i].output, NULL);
      g_autoptr(GBytes) output = NULL;
      g_autoptr(GError) local_error = NULL;

      output = self->blob_store->get (self->blob_store, BI_BUCKET_RESULTS, key, &local_error);
      if (output != NULL)
        {
          *stage = outputs[i].stage;
          return TRUE;
        }
      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
    }
  *stage = NULL;
  return TRUE;
}

static char *
results (HttpApi    *self,
         const char *encoded_job_id)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *job_id = g_uri_unescape_string (encoded_job_id, "/");
  g_autofree char *prefix = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GBytes) document = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) pending = NULL;
  const char *stage = NULL;
  gboolean uploaded = FALSE;

  if (!bi_job_id_validate (job_id, &error))
    return bad_request (error);

  document = bi_lambda_results_get (self->blob_store, job_id, &error);
  if (document != NULL)
    {
      text = g_strndup (g_bytes_get_data (document, NULL), g_bytes_get_size (document));
      return bi_lambda_api_response_new (200, "application/json", text, NULL);
    }
  if (error == NULL && pending_stage (self, job_id, &stage, &error) && stage == NULL)
    {
      prefix = g_strconcat (job_id, "/", NULL);
      if (bi_s3_prefix_exists (bi_lambda_services_get_client (self->services),
                               self->uploads_bucket, prefix, &uploaded, &error))
        stage = uploaded ? "uploaded" : NULL;
    }
  if (error != NULL)
    {
      g_warning ("Could not read the state of %s: %s", job_id, error->message);
      return internal_error ("The server could not read the job's state; try again.");
    }
  if (stage == NULL)
    return bi_lambda_api_error_new (404, "unknown_job",
                                    "No photo was uploaded for this job id; upload one first "
                                    "(or check the id).");

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "jobId");
  json_builder_add_string_value (builder, job_id);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "pending");
  json_builder_set_member_name (builder, "stage");
  json_builder_add_string_value (builder, stage);
  json_builder_end_object (builder);
  pending = json_builder_get_root (builder);
  text = bi_json_to_string (pending);
  return bi_lambda_api_response_new (202, "application/json", text, NULL);
}

static char *
catalog_search (HttpApi       *self,
                const Request *request)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) books = NULL;
  g_autoptr(JsonNode) list = NULL;
  g_autofree char *text = NULL;
  g_autofree char *body = NULL;
  const char *code = NULL;
  const char *message = NULL;
  guint limit = 0;

  if (!bi_catalog_search_params_parse (query (request, "q"), query (request, "limit"), &text,
                                       &limit, &code, &message))
    return bi_lambda_api_error_new (400, code, message);

  books = self->catalog->search (self->catalog, text, limit, &error);
  if (books == NULL)
    {
      g_warning ("Catalog search failed: %s", error->message);
      return internal_error ("The catalog search failed; try other words or check the log.");
    }
  list = bi_catalog_search_results_to_json (books);
  body = bi_json_to_string (list);
  return bi_lambda_api_response_new (200, "application/json", body, NULL);
}

static const char *
bearer_token (const Request *request)
{
  /* API Gateway lower-cases header names in payload 2.0. */
  const char *authorization = bi_lambda_event_get_string (request->event, "headers",
                                                          "authorization", NULL);

  if (authorization != NULL && g_ascii_strncasecmp (authorization, "Bearer ", 7) == 0)
    return authorization + 7;
  return query (request, "token");
}

static char *
http_api_handle (gpointer                  data,
                 const BiLambdaInvocation *invocation,
                 GError                  **error)
{
  HttpApi *self = data;
  g_autoptr(JsonNode) event = NULL;
  Request request = { NULL, };
  const char *method;
  char *refusal;

  event = bi_lambda_event_parse (invocation, error);
  if (event == NULL)
    return NULL;
  request.event = event;
  request.path = bi_lambda_event_get_string (event, "rawPath", NULL);
  method = bi_lambda_event_get_string (event, "requestContext", "http", "method", NULL);
  if (request.path == NULL || method == NULL)
    {
      g_set_error_literal (error, BI_LAMBDA_ERROR, BI_LAMBDA_ERROR_BAD_EVENT,
                           "The event has no rawPath or requestContext.http.method; this "
                           "function takes HTTP API (payload format 2.0) events.");
      return NULL;
    }

  if (strcmp (method, "GET") != 0)
    return bi_lambda_api_error_new (405, "method_not_allowed", "Only GET is served here.");

  /* Public: probes and the page carry no token (the page asks for it). */
  if (strcmp (request.path, "/healthz") == 0)
    return bi_lambda_api_response_new (200, "application/json", "{\"status\":\"ok\"}", NULL);
  if (strcmp (request.path, "/") == 0)
    return web_page ();

  refusal = bi_lambda_api_check_token (self->access_token, bearer_token (&request));
  if (refusal != NULL)
    return refusal;

  if (strcmp (request.path, "/upload-url") == 0)
    return upload_url (self, &request);
  if (g_str_has_prefix (request.path, "/results/"))
    return results (self, request.path + strlen ("/results/"));
  if (strcmp (request.path, "/catalog/search") == 0)
    return catalog_search (self, &request);
  return bi_lambda_api_error_new (404, "not_found", "There is nothing at this path.");
}

const BiLambdaHandler bi_lambda_http_api = {
  .name = "http-api",
  .init = http_api_init,
  .handle = http_api_handle,
  .free = g_free,
};
