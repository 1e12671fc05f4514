/* bi-cli-catalog.c — `bookimg-cli catalog`: import catalog files, search and summarise the catalog
 *
 * Unlike `scan` and `export`, which talk to a server, this command opens the catalog database
 * itself: an import of millions of rows is a local batch job on the server's own file, and
 * the database (SQLite in WAL mode) lets a running server go on searching meanwhile.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-cli-catalog"

#include "bi-cli-catalog.h"
#include "bi-progress-view.h"

#include "bi-catalog-format.h"
#include "bi-catalog-location.h"
#include "bi-sqlite-catalog.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdio.h>

#define DEFAULT_LIMIT 10
#define MAX_LIMIT 1000

/* What the command line asked for. */
typedef struct
{
  char  *data_dir;    /* --data-dir, or NULL */
  char  *catalog_db;  /* --catalog-db, or NULL */
  int    limit;       /* search: --limit */
  char  *format;      /* search: "table" or "json" */
  char **arguments;   /* the action and its arguments */
} CatalogOptions;

static void
catalog_options_clear (CatalogOptions *options)
{
  g_free (options->data_dir);
  g_free (options->catalog_db);
  g_free (options->format);
  g_strfreev (options->arguments);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CatalogOptions, catalog_options_clear)

/* The file the options name: --catalog-db, else the data dir's (given or the default). */
static char *
database_path (const CatalogOptions *options)
{
  g_autofree char *default_dir = NULL;

  if (options->catalog_db != NULL)
    return g_strdup (options->catalog_db);
  if (options->data_dir != NULL)
    return bi_catalog_location_database_path (options->data_dir);
  default_dir = bi_catalog_location_default_data_dir ();
  return bi_catalog_location_database_path (default_dir);
}

static gboolean
parse_options (CatalogOptions   *options,
               int              *argc,
               char           ***argv,
               GError          **error)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autofree char *default_dir = bi_catalog_location_default_data_dir ();
  g_autofree char *description = NULL;
  const GOptionEntry entries[] = {
    { "data-dir", 'd', 0, G_OPTION_ARG_FILENAME, &options->data_dir,
      "Use the catalog of the bookimg-server data dir DIR", "DIR" },
    { "catalog-db", 0, 0, G_OPTION_ARG_FILENAME, &options->catalog_db,
      "Use the catalog database FILE (created by import)", "FILE" },
    { "limit", 'n', 0, G_OPTION_ARG_INT, &options->limit,
      "search: show at most N books (default 10)", "N" },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &options->format,
      "search: table (default) or json", "FORMAT" },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &options->arguments, NULL, NULL },
    { NULL },
  };

  context = g_option_context_new ("import FILE… | search QUERY | stats — the local book catalog");
  description = g_strdup_printf (
    "Actions:\n"
    "  import FILE…   import catalog files, one transaction each: a file that cannot be read\n"
    "                 to its end (a download cut short) leaves the catalog as it was.\n"
    "                 Prints per file: imported N, skipped M, and the first reasons.\n"
    "  search QUERY   the books the scanner's validation would find for QUERY (title and\n"
    "                 author words as OCR reads them)\n"
    "  stats          books, distinct authors, books with an ISBN-13 or a shelf mark (a\n"
    "                 library's call number), books per source, the database's size\n\n"
    "Formats, told by the file's content (gzip is decompressed as it is read):\n"
    "  Goodreads library export CSV (or the Goodreads CSV of \"bookimg-cli export\"),\n"
    "  Libib CSV, Open Library dumps of works, editions and authors (ol_dump_*.txt.gz, from\n"
    "  https://openlibrary.org/developers/dumps; give all three, in any order), the BookImg\n"
    "  catalog TSV (id, title, authors, year, isbn13[, shelf_mark]), goodbooks TSV, llabres\n"
    "  CSV.\n\n"
    "Catalog database: --catalog-db FILE; else DIR/%s for --data-dir DIR; else the one of\n"
    "the desktop app's embedded server, %s/%s.\n\n"
    "Exit status: %d done, %d usage error, %d a file could not be imported or the catalog\n"
    "database could not be opened.",
    BI_CATALOG_DATABASE_NAME, default_dir, BI_CATALOG_DATABASE_NAME,
    BI_CLI_CATALOG_EXIT_OK, BI_CLI_CATALOG_EXIT_USAGE, BI_CLI_CATALOG_EXIT_FAILED);
  g_option_context_set_description (context, description);
  g_option_context_add_main_entries (context, entries, NULL);

  options->limit = DEFAULT_LIMIT;
  if (!g_option_context_parse (context, argc, argv, error))
    return FALSE;

  if (options->data_dir != NULL && options->catalog_db != NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           "give --data-dir or --catalog-db, not both");
      return FALSE;
    }
  if (options->limit < 1 || options->limit > MAX_LIMIT)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--limit must be between 1 and %d", MAX_LIMIT);
      return FALSE;
    }
  if (options->format == NULL)
    options->format = g_strdup ("table");
  if (!g_str_equal (options->format, "table") && !g_str_equal (options->format, "json"))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--format must be table or json, not \"%s\"", options->format);
      return FALSE;
    }
  if (options->arguments == NULL || options->arguments[0] == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           "no action given; use import FILE…, search QUERY or stats");
      return FALSE;
    }
  return TRUE;
}

/* ---- import --------------------------------------------------------------------------- */

typedef struct
{
  const char *name;  /* the file as shown */
  gboolean    live;  /* stderr is a terminal: progress is redrawn in place */
} ImportProgress;

static void
import_progress_cb (BiCatalogImportPhase phase,
                    guint64              bytes_read,
                    guint64              bytes_total,
                    guint64              rows,
                    gpointer             user_data)
{
  ImportProgress *progress = user_data;

  if (!progress->live)
    return;
  if (phase == BI_CATALOG_IMPORT_RESOLVING)
    fprintf (stderr, "\r\033[K%s: %" G_GUINT64_FORMAT " rows read; linking works to their "
             "authors and ISBNs…", progress->name, rows);
  else
    fprintf (stderr, "\r\033[K%s: %u%% (%" G_GUINT64_FORMAT " rows)", progress->name,
             bytes_total > 0 ? (guint) MIN (100, bytes_read * 100 / bytes_total) : 0, rows);
  fflush (stderr);
}

static void
print_import_summary (const char                 *name,
                      const BiCatalogImportStats *stats)
{
  printf ("%s: imported %u, skipped %u (%s)\n", name, stats->imported, stats->skipped,
          stats->format != NULL ? stats->format : "catalog");
  for (guint i = 0; i < stats->reasons->len; i++)
    printf ("  skipped %s\n", (const char *) g_ptr_array_index (stats->reasons, i));
  if (stats->skipped > stats->reasons->len)
    printf ("  … and %u more skipped rows\n", stats->skipped - stats->reasons->len);
}

/* The folder of a database about to be created, made as the server makes its data dir. */
static gboolean
prepare_folder (const char  *database,
                GError     **error)
{
  g_autofree char *folder = g_path_get_dirname (database);

  if (g_mkdir_with_parents (folder, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                   "Cannot create the folder %s for the catalog database: %s; give "
                   "--data-dir or --catalog-db in a writable place", folder,
                   g_strerror (saved_errno));
      return FALSE;
    }
  return TRUE;
}

static int
run_import (BiSqliteCatalog *catalog,
            char           **files)
{
  gboolean live = bi_progress_view_stream_is_live (stderr);
  int status = BI_CLI_CATALOG_EXIT_OK;

  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autofree char *name = g_filename_display_name (files[i]);
      ImportProgress progress = { name, live };
      g_auto(BiCatalogImportStats) stats = { 0 };
      g_autoptr(GError) error = NULL;
      gboolean ok;

      ok = bi_sqlite_catalog_import_file_with_progress (catalog, files[i], import_progress_cb,
                                                        &progress, &stats, &error);
      if (live)
        fputs ("\r\033[K", stderr);
      if (!ok)
        {
          fprintf (stderr, "bookimg-cli catalog: %s\n", error->message);
          status = BI_CLI_CATALOG_EXIT_FAILED;
          continue;
        }
      print_import_summary (name, &stats);
    }

  printf ("The catalog holds %" G_GINT64_FORMAT " books.\n",
          bi_sqlite_catalog_count (catalog, NULL));
  return status;
}

/* ---- search --------------------------------------------------------------------------- */

static void
print_books_table (GPtrArray *books)
{
  if (books->len == 0)
    {
      printf ("No book found.\n");
      return;
    }

  printf ("%-5s  %-4s  %-13s  %s\n", "SCORE", "YEAR", "ISBN-13", "TITLE — AUTHORS [SOURCE]");
  for (guint i = 0; i < books->len; i++)
    {
      BiBook *book = g_ptr_array_index (books, i);
      g_autofree char *authors = g_strjoinv (", ", book->authors);
      g_autofree char *year = book->year != 0 ? g_strdup_printf ("%d", book->year)
                                              : g_strdup ("");

      printf ("%5.2f  %-4s  %-13s  %s%s%s [%s]\n", book->score, year,
              book->isbn13 != NULL ? book->isbn13 : "", book->title,
              authors[0] != '\0' ? " — " : "", authors, book->source_id);
    }
}

static void
print_books_json (GPtrArray *books)
{
  g_autoptr(JsonArray) array = json_array_sized_new (books->len);
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
  g_autofree char *text = NULL;

  for (guint i = 0; i < books->len; i++)
    {
      BiBook *book = g_ptr_array_index (books, i);
      JsonNode *node = bi_book_to_json (book);

      json_object_set_double_member (json_node_get_object (node), "score", book->score);
      json_array_add_element (array, node);
    }
  json_node_set_array (root, array);
  text = json_to_string (root, TRUE);
  printf ("%s\n", text);
}

static int
run_search (BiSqliteCatalog      *catalog,
            const CatalogOptions *options,
            char                **words)
{
  BiCatalog *port = bi_sqlite_catalog_as_port (catalog);
  g_autofree char *query = g_strjoinv (" ", words);
  g_autoptr(GPtrArray) books = NULL;
  g_autoptr(GError) error = NULL;

  books = port->search (port, query, (guint) options->limit, &error);
  if (books == NULL)
    {
      fprintf (stderr, "bookimg-cli catalog: %s\n", error->message);
      return BI_CLI_CATALOG_EXIT_FAILED;
    }

  if (g_str_equal (options->format, "json"))
    print_books_json (books);
  else
    print_books_table (books);
  return BI_CLI_CATALOG_EXIT_OK;
}

/* ---- stats ---------------------------------------------------------------------------- */

static int
run_stats (BiSqliteCatalog *catalog,
           const char      *database)
{
  g_auto(BiCatalogSummary) summary = { 0 };
  g_autoptr(GError) error = NULL;
  g_autofree char *name = g_filename_display_name (database);
  g_autofree char *size = NULL;
  GStatBuf info;

  if (!bi_sqlite_catalog_get_summary (catalog, &summary, &error))
    {
      fprintf (stderr, "bookimg-cli catalog: %s\n", error->message);
      return BI_CLI_CATALOG_EXIT_FAILED;
    }

  size = g_stat (database, &info) == 0 ? g_format_size ((guint64) info.st_size)
                                       : g_strdup ("unknown size");
  printf ("Catalog: %s (%s)\n", name, size);
  printf ("Books: %" G_GINT64_FORMAT "\n", summary.books);
  printf ("Authors: %" G_GINT64_FORMAT "\n", summary.authors);
  printf ("With ISBN-13: %" G_GINT64_FORMAT "\n", summary.with_isbn13);
  printf ("With shelf mark: %" G_GINT64_FORMAT "\n", summary.with_shelf_mark);
  /* A database of an older version was upgraded in place: its books were imported before
   * shelf marks were kept, so the figure above undercounts until the files are read again. */
  if (summary.unread_shelf_marks > 0)
    printf ("  (%" G_GINT64_FORMAT " books were imported before shelf marks were kept: "
            "import their files again to read them)\n", summary.unread_shelf_marks);
  printf ("Sources:\n");
  for (guint i = 0; i < summary.sources->len; i++)
    {
      BiCatalogSourceCount *count = g_ptr_array_index (summary.sources, i);

      printf ("  %-12s %" G_GINT64_FORMAT "\n", count->name, count->books);
    }
  return BI_CLI_CATALOG_EXIT_OK;
}

/* ---- the command ---------------------------------------------------------------------- */

static int
usage_error (const char *message)
{
  fprintf (stderr, "bookimg-cli catalog: %s; run \"bookimg-cli catalog --help\" for usage.\n",
           message);
  return BI_CLI_CATALOG_EXIT_USAGE;
}

int
bi_cli_catalog (int    argc,
                char **argv)
{
  g_auto(CatalogOptions) options = { NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *database = NULL;
  BiSqliteCatalog *catalog;
  const char *action;
  char **rest;
  int status;

  if (!parse_options (&options, &argc, &argv, &error))
    return usage_error (error->message);

  action = options.arguments[0];
  rest = options.arguments + 1;
  if (g_str_equal (action, "import") && rest[0] == NULL)
    return usage_error ("import needs the catalog files to import");
  if (g_str_equal (action, "search") && rest[0] == NULL)
    return usage_error ("search needs words to search for, e.g. search dune herbert");
  if (g_str_equal (action, "stats") && rest[0] != NULL)
    return usage_error ("stats takes no arguments");
  if (!g_strv_contains ((const char *const[]) { "import", "search", "stats", NULL }, action))
    {
      g_autofree char *message =
        g_strdup_printf ("unknown action \"%s\"; use import FILE…, search QUERY or stats",
                         action);

      return usage_error (message);
    }

  database = database_path (&options);
  if (g_str_equal (action, "import"))
    {
      if (!prepare_folder (database, &error))
        {
          fprintf (stderr, "bookimg-cli catalog: %s\n", error->message);
          return BI_CLI_CATALOG_EXIT_FAILED;
        }
    }
  else if (!g_file_test (database, G_FILE_TEST_IS_REGULAR))
    {
      /* Opening would create an empty catalog and answer as if nothing matched. */
      g_autofree char *name = g_filename_display_name (database);

      fprintf (stderr, "bookimg-cli catalog: there is no catalog database at %s; import a "
               "catalog first (bookimg-cli catalog import FILE…) or name another with "
               "--data-dir or --catalog-db.\n", name);
      return BI_CLI_CATALOG_EXIT_FAILED;
    }

  catalog = bi_sqlite_catalog_open (database, &error);
  if (catalog == NULL)
    {
      fprintf (stderr, "bookimg-cli catalog: %s\n", error->message);
      return BI_CLI_CATALOG_EXIT_FAILED;
    }

  if (g_str_equal (action, "import"))
    status = run_import (catalog, rest);
  else if (g_str_equal (action, "search"))
    status = run_search (catalog, &options, rest);
  else
    status = run_stats (catalog, database);

  bi_sqlite_catalog_free (catalog);
  return status;
}
