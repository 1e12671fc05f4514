/* bi-server-main.c — bookimg-server: the embedded backend, every stage in one process
 *
 * Opens the stores in the data dir, imports the catalog, starts the stage host (upload
 * handler, OCR with one Tesseract engine per worker, candidates, validator), the notifier and
 * the HTTP/WebSocket server, prints `listening on http://HOST:PORT` as the first line on
 * stdout and serves until SIGTERM or SIGINT. Logs go to stderr.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-server-main"

#include "config.h"

#include <glib-unix.h>
#include <errno.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bi-connection-manager.h"
#include "bi-file-blob-store.h"
#include "bi-file-tree.h"
#include "bi-heuristic-candidates.h"
#include "bi-http-server.h"
#include "bi-job-store.h"
#include "bi-llm-candidates.h"
#include "bi-metrics.h"
#include "bi-notifier.h"
#include "bi-online-catalogs.h"
#include "bi-catalog-location.h"
#include "bi-sqlite-catalog.h"
#include "bi-sqlite-queue.h"
#include "bi-stage-host.h"
#include "bi-stages.h"
#include "bi-subscription-store.h"
#include "bi-tesseract-engine.h"
#include "bi-url-signer.h"

#define DATABASE_FILE "bookimg.sqlite3"
/* Shortest access token accepted: anything shorter is guessable. */
#define MIN_TOKEN_LENGTH 16

typedef struct
{
  char    *listen;
  char    *data_dir;
  gboolean remove_data_dir;     /* --remove-data-dir: the client's temporary folder */
  char    *catalog;
  char    *access_token;
  gint64   max_upload_bytes;
  int      ocr_workers;
  int      keepalive_seconds;
  int      pong_timeout_seconds;
  int      send_queue_limit;
  gint64   visibility_timeout_ms;
  int      max_receive_count;
  char    *hold_stage;
  char    *llm_url;             /* --llm-url, or NULL for BOOKIMG_LLM_URL */
  char    *llm_model;
  int      llm_timeout_seconds;
  BiLlmConfig llm;              /* the checked result of the three above and the environment */
  char    *online_catalogs;     /* --online-catalogs: "openlibrary,googlebooks" */
  GStrv    online_names;        /* its checked names; empty: local catalog only */
  char    *google_books_key;    /* --google-books-key or $BOOKIMG_GOOGLE_BOOKS_KEY; never logged */
  char    *ocr_languages;       /* --ocr-languages, or NULL for $BOOKIMG_OCR_LANGUAGES */
  char    *open_library_url;    /* tests: a local stand-in for the service */
  char    *google_books_url;
} Options;

static void
options_clear (Options *options)
{
  g_free (options->listen);
  g_free (options->data_dir);
  g_free (options->catalog);
  g_free (options->access_token);
  g_free (options->hold_stage);
  g_free (options->llm_url);
  g_free (options->llm_model);
  bi_llm_config_clear (&options->llm);
  g_free (options->online_catalogs);
  g_strfreev (options->online_names);
  g_free (options->google_books_key);
  g_free (options->ocr_languages);
  g_free (options->open_library_url);
  g_free (options->google_books_url);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Options, options_clear)

/* Everything the server owns, freed in reverse order of dependency. */
typedef struct
{
  BiSqliteQueue         *queue;
  BiJobStore            *jobs;
  BiSubscriptionStore   *subscriptions;
  BiFileBlobStore       *blobs;
  BiSqliteCatalog       *catalog;
  BiOnlineCatalogs      *online_catalogs; /* over @catalog: what the validator asks */
  BiHeuristicCandidates *candidates;
  BiLlmCandidates       *llm_candidates; /* wraps @candidates when an LLM is configured */
  BiUrlSigner           *signer;
  BiMetrics             *metrics;
  BiConnectionManager   *connections;
  BiNotifier            *notifier;
  BiStageHost           *stage_host;
  BiHttpServer          *http;
  BiStagePorts           shared_ports; /* what every stage but OCR's workers use */
  GMainLoop             *loop;
} Server;

static void
server_clear (Server *server)
{
  /* No new requests, then no new work, then no new pushes. */
  g_clear_pointer (&server->http, bi_http_server_free);
  if (server->stage_host != NULL)
    bi_stage_host_stop (server->stage_host);
  if (server->notifier != NULL)
    bi_notifier_stop (server->notifier);
  g_clear_pointer (&server->connections, bi_connection_manager_free);
  g_clear_pointer (&server->stage_host, bi_stage_host_free);
  g_clear_pointer (&server->notifier, bi_notifier_free);
  g_clear_pointer (&server->metrics, bi_metrics_free);
  g_clear_pointer (&server->signer, bi_url_signer_free);
  g_clear_pointer (&server->llm_candidates, bi_llm_candidates_free);
  g_clear_pointer (&server->candidates, bi_heuristic_candidates_free);
  g_clear_pointer (&server->online_catalogs, bi_online_catalogs_free);
  g_clear_pointer (&server->catalog, bi_sqlite_catalog_free);
  g_clear_pointer (&server->blobs, bi_file_blob_store_free);
  g_clear_pointer (&server->subscriptions, bi_subscription_store_free);
  g_clear_pointer (&server->jobs, bi_job_store_free);
  g_clear_pointer (&server->queue, bi_sqlite_queue_free);
  g_clear_pointer (&server->loop, g_main_loop_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Server, server_clear)

/* ---- options ------------------------------------------------------------------------------ */

static gboolean
check_range (const char  *option,
             gint64       value,
             gint64       min,
             gint64       max,
             GError     **error)
{
  if (value >= min && value <= max)
    return TRUE;

  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "%s must be from %" G_GINT64_FORMAT " to %" G_GINT64_FORMAT ", not %"
               G_GINT64_FORMAT ".", option, min, max, value);
  return FALSE;
}

static gboolean
check_token (const char  *token,
             GError     **error)
{
  if (token == NULL)
    return TRUE;

  if (strlen (token) < MIN_TOKEN_LENGTH)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "The access token must be at least %d characters long; make one with "
                   "`openssl rand -hex 24`.", MIN_TOKEN_LENGTH);
      return FALSE;
    }
  for (const char *p = token; *p != '\0'; p++)
    {
      if (!g_ascii_isgraph (*p))
        {
          g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                               "The access token may only hold visible ASCII characters (no "
                               "spaces), as it travels in an HTTP header.");
          return FALSE;
        }
    }
  return TRUE;
}

/* A message is handed to another worker once its visibility timeout passes: a photo still
 * waiting for the LLM then would be worked on twice. */
static gboolean
check_llm_timeout (const Options  *options,
                   GError        **error)
{
  if (!bi_llm_config_enabled (&options->llm)
      || (gint64) options->llm_timeout_seconds * 1000 < options->visibility_timeout_ms)
    return TRUE;

  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "--llm-timeout-seconds (%d) must be shorter than --visibility-timeout-ms (%"
               G_GINT64_FORMAT " ms), or a photo still waiting for the LLM would be handed to "
               "another worker.", options->llm_timeout_seconds, options->visibility_timeout_ms);
  return FALSE;
}

static gboolean
parse_options (int       argc,
               char    **argv,
               Options  *options,
               GError  **error)
{
  const GOptionEntry entries[] = {
    { "listen", 0, 0, G_OPTION_ARG_STRING, &options->listen,
      "Address to listen on (default 127.0.0.1:0: a free port on loopback)", "HOST:PORT" },
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &options->data_dir,
      "Directory of the queues, jobs, uploads and results (required; created 0700)", "DIR" },
    { "remove-data-dir", 0, 0, G_OPTION_ARG_NONE, &options->remove_data_dir,
      "Remove the data dir and everything in it when stopping after a successful start (a "
      "temporary folder of the app or bookimg-cli, which may die before it can)", NULL },
    { "catalog", 0, 0, G_OPTION_ARG_FILENAME, &options->catalog,
      "Catalog file to import when it changed (Goodreads or Libib CSV, Open Library dump, "
      "BookImg, goodbooks or llabres TSV/CSV; see docs/catalog.md)", "FILE" },
    { "access-token", 0, 0, G_OPTION_ARG_STRING, &options->access_token,
      "Token every client must send (default: $BOOKIMG_ACCESS_TOKEN); required off loopback",
      "TOKEN" },
    { "max-upload-bytes", 0, 0, G_OPTION_ARG_INT64, &options->max_upload_bytes,
      "Largest photo accepted (default 25 MiB)", "N" },
    { "ocr-languages", 0, 0, G_OPTION_ARG_STRING, &options->ocr_languages,
      "Tesseract languages of the spines, joined by + (default: $BOOKIMG_OCR_LANGUAGES, "
      "else eng; see docs/ocr.md)", "LANGS" },
    { "ocr-workers", 0, 0, G_OPTION_ARG_INT, &options->ocr_workers,
      "OCR worker threads (default: the number of cores)", "N" },
    { "keepalive-seconds", 0, 0, G_OPTION_ARG_INT, &options->keepalive_seconds,
      "Interval of WebSocket pings, 0 for none (default 30)", "N" },
    { "pong-timeout-seconds", 0, 0, G_OPTION_ARG_INT, &options->pong_timeout_seconds,
      "Close a peer that acknowledges nothing this long, 0 for never (default 10)", "N" },
    { "send-queue-limit", 0, 0, G_OPTION_ARG_INT, &options->send_queue_limit,
      "Messages waiting for a slow WebSocket client before it is closed (default 256)", "N" },
    { "visibility-timeout-ms", 0, 0, G_OPTION_ARG_INT64, &options->visibility_timeout_ms,
      "How long a received queue message stays invisible (default 5 min)", "MS" },
    { "max-receive-count", 0, 0, G_OPTION_ARG_INT, &options->max_receive_count,
      "Receives of a queue message before it is dead-lettered (default 5)", "N" },
    { "llm-url", 0, 0, G_OPTION_ARG_STRING, &options->llm_url,
      "Base URL of an OpenAI-compatible server (Ollama, llama.cpp) that refines the candidates "
      "(default: $BOOKIMG_LLM_URL; API key from $BOOKIMG_LLM_API_KEY)", "URL" },
    { "llm-model", 0, 0, G_OPTION_ARG_STRING, &options->llm_model,
      "Model the LLM server should use (default: $BOOKIMG_LLM_MODEL)", "NAME" },
    { "llm-timeout-seconds", 0, 0, G_OPTION_ARG_INT, &options->llm_timeout_seconds,
      "Give up on the LLM's answer for a photo after this long (default 60)", "N" },
    { "online-catalogs", 0, 0, G_OPTION_ARG_STRING, &options->online_catalogs,
      "Online catalogs asked when the local one has no good match: openlibrary, googlebooks, "
      "comma-separated (default: none; see docs/online-catalogs.md)", "LIST" },
    { "google-books-key", 0, 0, G_OPTION_ARG_STRING, &options->google_books_key,
      "Google Books API key (default: $BOOKIMG_GOOGLE_BOOKS_KEY, which other users cannot see "
      "in the process list)", "KEY" },
    { "test-open-library-url", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING,
      &options->open_library_url, "For tests: Open Library's address", "URL" },
    { "test-google-books-url", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING,
      &options->google_books_url, "For tests: Google Books' address", "URL" },
    { "test-hold-stage", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &options->hold_stage,
      "For crash tests: hold the first message of this queue forever", "QUEUE" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("— the embedded BookImg backend");
  g_auto(GStrv) args = g_strdupv (argv);
  BiQueuePolicy policy = BI_QUEUE_POLICY_DEFAULT;

  options->max_upload_bytes = BI_DEFAULT_MAX_UPLOAD_BYTES;
  options->ocr_workers = (int) g_get_num_processors ();
  options->keepalive_seconds = 30;
  options->pong_timeout_seconds = 10;
  options->send_queue_limit = 256;
  options->visibility_timeout_ms = policy.visibility_timeout_ms;
  options->max_receive_count = (int) policy.max_receive_count;
  options->llm_timeout_seconds = BI_LLM_DEFAULT_TIMEOUT_SECONDS;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (context, "Turns photos of bookshelves into validated book lists; "
                                         "prints `listening on URL` first.");
  if (!g_option_context_parse_strv (context, &args, error))
    return FALSE;
  if (args[1] != NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   "Unexpected argument \"%s\"; see --help.", args[1]);
      return FALSE;
    }

  if (options->data_dir == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           "--data-dir DIR is required: the server keeps its queues, jobs and "
                           "photos there.");
      return FALSE;
    }
  if (options->listen == NULL)
    options->listen = g_strdup ("127.0.0.1:0");
  if (options->access_token == NULL && g_getenv ("BOOKIMG_ACCESS_TOKEN") != NULL
      && g_getenv ("BOOKIMG_ACCESS_TOKEN")[0] != '\0')
    options->access_token = g_strdup (g_getenv ("BOOKIMG_ACCESS_TOKEN"));

  if (options->google_books_key == NULL && g_getenv ("BOOKIMG_GOOGLE_BOOKS_KEY") != NULL
      && g_getenv ("BOOKIMG_GOOGLE_BOOKS_KEY")[0] != '\0')
    options->google_books_key = g_strdup (g_getenv ("BOOKIMG_GOOGLE_BOOKS_KEY"));

  /* Each OCR worker creates its engine from the environment; the option is put there before
   * any thread starts, and checked now so a typo fails at start, not at the first photo. */
  if (options->ocr_languages != NULL)
    g_setenv ("BOOKIMG_OCR_LANGUAGES", options->ocr_languages, TRUE);
  if (!bi_tesseract_engine_check_languages (bi_tesseract_engine_languages_from_environment (),
                                            error))
    {
      g_prefix_error (error, "--ocr-languages (or BOOKIMG_OCR_LANGUAGES): ");
      return FALSE;
    }
  options->online_names = bi_online_catalogs_parse_names (options->online_catalogs, error);
  if (options->online_names == NULL
      || !bi_online_catalogs_check ((const char * const *) options->online_names,
                                    options->google_books_key, error))
    {
      g_prefix_error (error, "--online-catalogs: ");
      return FALSE;
    }

  if (options->hold_stage != NULL
      && !g_strv_contains ((const char * const[]) { BI_QUEUE_UPLOAD_EVENTS, BI_QUEUE_OCR,
                                                    BI_QUEUE_CANDIDATES, BI_QUEUE_VALIDATION,
                                                    NULL }, options->hold_stage))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--test-hold-stage must name a stage queue (upload-events, ocr, candidates "
                   "or validation), not \"%s\".", options->hold_stage);
      return FALSE;
    }

  return check_token (options->access_token, error)
         && check_range ("--max-upload-bytes", options->max_upload_bytes, 1, G_MAXINT32, error)
         && check_range ("--ocr-workers", options->ocr_workers, 1, 256, error)
         && check_range ("--keepalive-seconds", options->keepalive_seconds, 0, 3600, error)
         && check_range ("--pong-timeout-seconds", options->pong_timeout_seconds, 0, 3600, error)
         && check_range ("--send-queue-limit", options->send_queue_limit, 1, 1000000, error)
         && check_range ("--visibility-timeout-ms", options->visibility_timeout_ms, 100,
                         G_GINT64_CONSTANT (24) * 3600 * 1000, error)
         && check_range ("--max-receive-count", options->max_receive_count, 1, 1000, error)
         && bi_llm_config_load (&options->llm, options->llm_url, options->llm_model,
                                options->llm_timeout_seconds, error)
         && check_llm_timeout (options, error);
}

/* "HOST:PORT" or "[IPV6]:PORT"; HOST is an IP address or "localhost". */
static GInetSocketAddress *
parse_listen_address (const char  *text,
                      GError     **error)
{
  g_autofree char *host = NULL;
  g_autoptr(GInetAddress) address = NULL;
  const char *port_text;
  guint64 port = 0;

  if (text[0] == '[')
    {
      const char *end = strstr (text, "]:");

      if (end == NULL)
        goto bad;
      host = g_strndup (text + 1, (gsize) (end - text - 1));
      port_text = end + 2;
    }
  else
    {
      const char *colon = strrchr (text, ':');

      if (colon == NULL)
        goto bad;
      host = g_strndup (text, (gsize) (colon - text));
      port_text = colon + 1;
    }

  if (!g_ascii_isdigit (port_text[0])
      || !g_ascii_string_to_unsigned (port_text, 10, 0, 65535, &port, NULL))
    goto bad;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    address = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  else
    address = g_inet_address_new_from_string (host);
  if (address == NULL)
    goto bad;

  return G_INET_SOCKET_ADDRESS (g_inet_socket_address_new (address, (guint16) port));

bad:
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "--listen must be IP:PORT, e.g. 127.0.0.1:8080, 0.0.0.0:8080 or [::1]:8080, "
               "not \"%s\".", text);
  return NULL;
}

/* ---- stage ports -------------------------------------------------------------------------- */

/* Every stage but OCR shares one set of ports: the adapters are thread-safe. */
static BiStagePorts *
shared_ports_new (gpointer   user_data,
                  GError   **error)
{
  return user_data;
}

static void
shared_ports_free (BiStagePorts *ports,
                   gpointer      user_data)
{
}

/* Tesseract is not thread-safe: each OCR worker makes its own engine on its own thread. */
typedef struct
{
  BiStagePorts       ports; /* first member: the host hands this back to ocr_ports_free */
  BiTesseractEngine *engine;
} OcrWorkerPorts;

static BiStagePorts *
ocr_ports_new (gpointer   user_data,
               GError   **error)
{
  const BiStagePorts *shared = user_data;
  BiTesseractEngine *engine =
    bi_tesseract_engine_new (bi_tesseract_engine_languages_from_environment (), error);
  OcrWorkerPorts *worker;

  if (engine == NULL)
    return NULL;

  worker = g_new0 (OcrWorkerPorts, 1);
  worker->ports = *shared;
  worker->engine = engine;
  worker->ports.ocr_engine = bi_tesseract_engine_as_port (engine);
  return &worker->ports;
}

static void
ocr_ports_free (BiStagePorts *ports,
                gpointer      user_data)
{
  OcrWorkerPorts *worker = (OcrWorkerPorts *) ports;

  bi_tesseract_engine_free (worker->engine);
  g_free (worker);
}

/* ---- start-up ----------------------------------------------------------------------------- */

static gboolean
prepare_data_dir (const char  *data_dir,
                  GError     **error)
{
  if (g_mkdir_with_parents (data_dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "Could not create the data dir %s: %s", data_dir, g_strerror (saved_errno));
      return FALSE;
    }
  if (!g_file_test (data_dir, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, G_FILE_ERROR, G_FILE_ERROR_NOTDIR,
                   "The data dir %s is not a directory.", data_dir);
      return FALSE;
    }
  return TRUE;
}

/* The starter catalog of data/catalog/, found where `meson install` puts it. */
#define STARTER_CATALOG_ENV "BOOKIMG_STARTER_CATALOG"

/* $BOOKIMG_STARTER_CATALOG (set but empty: none, as tests want), else the installed file, else
 * NULL. */
static char *
find_starter_catalog (void)
{
  const char *from_env = g_getenv (STARTER_CATALOG_ENV);
  g_autofree char *installed = NULL;

  if (from_env != NULL)
    return from_env[0] != '\0' ? g_strdup (from_env) : NULL;

  installed = g_canonicalize_filename (DATADIR G_DIR_SEPARATOR_S "bookimg" G_DIR_SEPARATOR_S
                                       "catalog" G_DIR_SEPARATOR_S "starter-catalog.tsv", NULL);
  return g_file_test (installed, G_FILE_TEST_IS_REGULAR) ? g_steal_pointer (&installed) : NULL;
}

/* So that a fresh install validates common books offline. Only into an empty catalog, and a
 * failure only costs those matches: the server starts anyway. */
static void
import_starter_catalog (BiSqliteCatalog *catalog)
{
  g_autofree char *path = NULL;
  g_auto(BiCatalogImportStats) stats = { 0 };
  g_autoptr(GError) error = NULL;

  if (bi_sqlite_catalog_count (catalog, NULL) != 0)
    return;
  path = find_starter_catalog ();
  if (path == NULL)
    return;

  if (!bi_sqlite_catalog_import_file (catalog, path, &stats, &error))
    g_warning ("Catalog: could not import the starter catalog %s, so it stays empty: %s",
               path, error->message);
  else
    g_message ("Catalog: empty, so imported the starter catalog: %u books from %s (%u rows "
               "skipped)", stats.imported, path, stats.skipped);
}

static gboolean
open_catalog (Server         *server,
              const Options  *options,
              GError        **error)
{
  g_autofree char *path = bi_catalog_location_database_path (options->data_dir);
  g_auto(BiCatalogImportStats) stats = { 0 };
  gboolean imported = FALSE;
  BiOnlineCatalogsConfig online_config = { 0 };
  gint64 count;

  server->catalog = bi_sqlite_catalog_open (path, error);
  if (server->catalog == NULL)
    return FALSE;

  if (options->catalog == NULL)
    import_starter_catalog (server->catalog);

  if (options->catalog != NULL
      && !bi_sqlite_catalog_import_if_changed (server->catalog, options->catalog, &imported,
                                               &stats, error))
    {
      g_prefix_error (error, "Could not import the catalog %s: ", options->catalog);
      return FALSE;
    }

  online_config.names = (const char * const *) options->online_names;
  online_config.google_books_key = options->google_books_key;
  online_config.data_dir = options->data_dir;
  online_config.open_library_url = options->open_library_url;
  online_config.google_books_url = options->google_books_url;
  server->online_catalogs = bi_online_catalogs_new (bi_sqlite_catalog_as_port (server->catalog),
                                                    &online_config, error);
  if (server->online_catalogs == NULL)
    return FALSE;
  if (options->online_names[0] != NULL)
    {
      g_autofree char *names = g_strjoinv (", ", options->online_names);

      g_message ("Catalog: online catalogs %s are asked when the local one has no good match",
                 names);
    }

  count = bi_sqlite_catalog_count (server->catalog, NULL);
  if (imported)
    g_message ("Catalog: imported %u books from %s (%u malformed rows skipped); %"
               G_GINT64_FORMAT " books in all", stats.imported, options->catalog,
               stats.skipped, count);
  else
    g_message ("Catalog: %" G_GINT64_FORMAT " books%s", count,
               options->catalog != NULL ? " (the catalog file is unchanged)" : "");
  return TRUE;
}

static gboolean
open_stores (Server         *server,
             const Options  *options,
             GError        **error)
{
  g_autofree char *database = g_build_filename (options->data_dir, DATABASE_FILE, NULL);
  BiQueuePolicy policy = BI_QUEUE_POLICY_DEFAULT;

  policy.visibility_timeout_ms = options->visibility_timeout_ms;
  policy.max_receive_count = (guint) options->max_receive_count;

  server->queue = bi_sqlite_queue_open (database, &policy, error);
  if (server->queue == NULL)
    return FALSE;
  server->jobs = bi_job_store_open (database, error);
  if (server->jobs == NULL)
    return FALSE;
  server->subscriptions = bi_subscription_store_open (database, BI_SUBSCRIPTION_TTL_MS, error);
  if (server->subscriptions == NULL)
    return FALSE;
  server->blobs = bi_file_blob_store_new (options->data_dir, error);
  if (server->blobs == NULL)
    return FALSE;
  server->signer = bi_url_signer_new_for_data_dir (options->data_dir, error);
  if (server->signer == NULL)
    return FALSE;
  return open_catalog (server, options, error);
}

static void
start_stages (Server        *server,
              const Options *options)
{
  BiStagePorts *shared = &server->shared_ports;

  server->candidates = bi_heuristic_candidates_new ();
  shared->blob_store = bi_file_blob_store_as_port (server->blobs);
  shared->queue = bi_sqlite_queue_as_queue (server->queue);
  shared->topic = bi_sqlite_queue_as_topic (server->queue);
  shared->candidate_generator = bi_heuristic_candidates_as_port (server->candidates);
  if (bi_llm_config_enabled (&options->llm))
    {
      g_autofree char *description = bi_llm_config_describe (&options->llm);

      /* The LLM only refines the heuristics' spines; it falls back to them on any failure. */
      server->llm_candidates = bi_llm_candidates_new (&options->llm,
                                                      shared->candidate_generator);
      shared->candidate_generator = bi_llm_candidates_as_port (server->llm_candidates);
      g_message ("Candidates: heuristics refined by an LLM (%s)", description);
    }
  shared->catalog = bi_online_catalogs_as_port (server->online_catalogs);

  server->stage_host = bi_stage_host_new (server->queue, bi_notifier_report_progress,
                                          server->notifier);
  bi_stage_host_add_stage (server->stage_host, BI_QUEUE_UPLOAD_EVENTS, BI_STAGE_UPLOADED,
                           bi_stage_upload_handler, 1, shared_ports_new, shared_ports_free,
                           shared);
  bi_stage_host_add_stage (server->stage_host, BI_QUEUE_OCR, BI_STAGE_OCR, bi_stage_ocr,
                           (guint) options->ocr_workers, ocr_ports_new, ocr_ports_free, shared);
  bi_stage_host_add_stage (server->stage_host, BI_QUEUE_CANDIDATES, BI_STAGE_CANDIDATES,
                           bi_stage_candidates, 1, shared_ports_new, shared_ports_free, shared);
  bi_stage_host_add_stage (server->stage_host, BI_QUEUE_VALIDATION, BI_STAGE_VALIDATION,
                           bi_stage_validator, 1, shared_ports_new, shared_ports_free, shared);
  if (options->hold_stage != NULL)
    {
      g_warning ("Holding the first message of the %s queue (--test-hold-stage)",
                 options->hold_stage);
      bi_stage_host_hold_stage (server->stage_host, options->hold_stage);
    }
  bi_stage_host_start (server->stage_host);
}

static gboolean
quit_cb (gpointer user_data)
{
  Server *server = user_data;

  g_message ("Stopping");
  g_main_loop_quit (server->loop);
  return G_SOURCE_CONTINUE;
}

static gboolean
run (const Options  *options,
     GError        **error)
{
  g_auto(Server) server = { 0 };
  g_autoptr(GInetSocketAddress) address = NULL;
  BiConnectionManagerConfig connection_config = {
    .keepalive_seconds = (guint) options->keepalive_seconds,
    .pong_timeout_seconds = (guint) options->pong_timeout_seconds,
    .send_queue_limit = (guint) options->send_queue_limit,
  };
  BiHttpServerConfig http_config = {
    .access_token = options->access_token,
    .max_upload_bytes = (guint64) options->max_upload_bytes,
  };
  BiHttpServerParts parts = { 0 };
  guint sigterm_id;
  guint sigint_id;

  address = parse_listen_address (options->listen, error);
  if (address == NULL)
    return FALSE;
  if (!g_inet_address_get_is_loopback (g_inet_socket_address_get_address (address))
      && options->access_token == NULL)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "Refusing to listen on %s without an access token: anyone who can reach it "
                   "could upload photos and read results. Pass --access-token TOKEN (or set "
                   "BOOKIMG_ACCESS_TOKEN), or listen on 127.0.0.1.", options->listen);
      return FALSE;
    }

  if (!prepare_data_dir (options->data_dir, error) || !open_stores (&server, options, error))
    return FALSE;

  server.metrics = bi_metrics_new ();
  server.connections = bi_connection_manager_new (server.subscriptions, server.jobs,
                                                  server.metrics, &connection_config);
  server.notifier = bi_notifier_new (server.queue, bi_file_blob_store_as_port (server.blobs),
                                     server.jobs, server.subscriptions, server.connections,
                                     server.metrics);

  start_stages (&server, options);
  bi_notifier_start (server.notifier);

  parts.queue = server.queue;
  parts.blob_store = bi_file_blob_store_as_port (server.blobs);
  parts.jobs = server.jobs;
  parts.subscriptions = server.subscriptions;
  /* Local only: the route answers on the main loop, where an online request would block
   * every client for its duration. */
  parts.catalog = bi_sqlite_catalog_as_port (server.catalog);
  parts.stage_host = server.stage_host;
  parts.signer = server.signer;
  parts.connections = server.connections;
  parts.metrics = server.metrics;
  server.http = bi_http_server_new (&parts, &http_config);
  if (!bi_http_server_listen (server.http, address, error))
    {
      g_prefix_error (error, "Could not listen on %s: ", options->listen);
      return FALSE;
    }

  server.loop = g_main_loop_new (NULL, FALSE);
  sigterm_id = g_unix_signal_add (SIGTERM, quit_cb, &server);
  sigint_id = g_unix_signal_add (SIGINT, quit_cb, &server);

  /* The contract with whoever started us (tests, the app, bookimg-cli --embedded). */
  printf ("listening on %s\n", bi_http_server_get_url (server.http));
  fflush (stdout);
  g_message ("Listening on %s with data dir %s", bi_http_server_get_url (server.http),
             options->data_dir);

  g_main_loop_run (server.loop);

  /* The stop runs with the signal handlers still installed, so that a second SIGTERM cannot
   * kill it halfway (GLib restores the default action when the last source of a signal goes).
   * It comes: the death signal of a parent that dies can arrive twice (docs/server.md). */
  server_clear (&server);
  /* Every store in the folder is closed. */
  if (options->remove_data_dir)
    bi_file_tree_remove (options->data_dir);
  g_source_remove (sigterm_id);
  g_source_remove (sigint_id);
  return TRUE;
}

/* OpenMP reads OMP_THREAD_LIMIT when libgomp is loaded, before main(): set it and start
 * again, or Tesseract's OpenMP threads make OCR about 2.5x slower on a small machine. */
static void
ensure_omp_thread_limit (char **argv)
{
  if (g_getenv ("OMP_THREAD_LIMIT") != NULL)
    return;

  g_setenv ("OMP_THREAD_LIMIT", "1", TRUE);
  execv ("/proc/self/exe", argv);
  g_warning ("Could not restart with OMP_THREAD_LIMIT=1 (%s); OCR may be slower.",
             g_strerror (errno));
}

int
main (int   argc,
      char *argv[])
{
  g_auto(Options) options = { 0 };
  g_autoptr(GError) error = NULL;

  ensure_omp_thread_limit (argv);
  /* stdout carries only the `listening on` line; every log line goes to stderr. */
  g_log_writer_default_set_use_stderr (TRUE);
  /* A client that vanishes mid-write must not kill the server. */
  signal (SIGPIPE, SIG_IGN);

  if (!parse_options (argc, argv, &options, &error) || !run (&options, &error))
    {
      /* The data dir stays, even with --remove-data-dir: the log in it tells the client why
       * the start failed. */
      g_printerr ("bookimg-server: %s\n", error->message);
      return 1;
    }
  return 0;
}
