/* bi-sqlite-catalog.h — the local catalog: a BiCatalog port adapter over SQLite FTS5
 *
 * Books are imported from the catalog files of bi-catalog-format.h and the Open Library
 * dumps of bi-open-library-dump.h (streamed, one transaction per file) and searched by title and author words as OCR reads them. The adapter is
 * thread-safe: calls are serialised on one connection.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bi-catalog-error.h"
#include "bi-ports.h"

G_BEGIN_DECLS

/* Reasons kept in BiCatalogImportStats.reasons; the rest are only counted. */
#define BI_CATALOG_IMPORT_MAX_REASONS 5

typedef struct
{
  guint       imported; /* rows stored (a row replacing an earlier one with its id counts;
                         * for an Open Library dump: authors, works or editions' ISBNs) */
  guint       skipped;  /* malformed rows */
  GPtrArray  *reasons;  /* of char *: "line 12: the title is empty", the first few skips */
  const char *format;   /* how the file was read: "Goodreads CSV", "Open Library dump", … */
} BiCatalogImportStats;

typedef enum
{
  BI_CATALOG_IMPORT_READING,   /* rows are read from the file */
  BI_CATALOG_IMPORT_RESOLVING, /* an Open Library dump's works become books */
} BiCatalogImportPhase;

/* Called every few thousand rows; @bytes_total is the file's size (compressed bytes for a
 * gzip file, and @bytes_read too). */
typedef void (*BiCatalogImportProgressFunc) (BiCatalogImportPhase phase,
                                             guint64              bytes_read,
                                             guint64              bytes_total,
                                             guint64              rows,
                                             gpointer             user_data);

typedef struct
{
  char   *name;  /* the source id's prefix: "goodreads", "openlibrary", "bookimg", … */
  gint64  books;
} BiCatalogSourceCount;

typedef struct
{
  gint64     books;
  gint64     authors;     /* distinct names */
  gint64     with_isbn13;
  gint64     with_shelf_mark;    /* a library's call number (llabres' tag, …) */
  gint64     unread_shelf_marks; /* books of a database upgraded from before shelf marks
                                  * (version 2 or older): NULL until their file is
                                  * imported again */
  GPtrArray *sources;     /* of BiCatalogSourceCount, most books first */
} BiCatalogSummary;

void bi_catalog_summary_clear (BiCatalogSummary *summary);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BiCatalogSummary, bi_catalog_summary_clear)

void bi_catalog_import_stats_clear (BiCatalogImportStats *stats);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BiCatalogImportStats, bi_catalog_import_stats_clear)

typedef struct _BiSqliteCatalog BiSqliteCatalog;

/* @path is a database file (created if missing) or ":memory:".
 * Errors: BI_CATALOG_ERROR_OPEN. */
BiSqliteCatalog *bi_sqlite_catalog_open              (const char            *path,
                                                      GError               **error);
void             bi_sqlite_catalog_free              (BiSqliteCatalog       *self);

/* The port; valid as long as @self. */
BiCatalog       *bi_sqlite_catalog_as_port           (BiSqliteCatalog       *self);

/* Imports a catalog file of any format in BI_CATALOG_FORMATS_ACCEPTED (told by its content;
 * gzip is decompressed) in one transaction: all of it or nothing, so a file that cannot be
 * read to its end (a truncated download) leaves the catalog as it was. A book whose source
 * id is already stored replaces it. @stats (optional, zero-initialised or from an earlier
 * import) gets the counts. Errors: BI_CATALOG_ERROR_IO, _FORMAT, _DATABASE. */
gboolean         bi_sqlite_catalog_import_file       (BiSqliteCatalog       *self,
                                                      const char            *path,
                                                      BiCatalogImportStats  *stats,
                                                      GError               **error);
/* The same, calling @progress (optional) as it goes. */
gboolean         bi_sqlite_catalog_import_file_with_progress
                                                     (BiSqliteCatalog              *self,
                                                      const char                   *path,
                                                      BiCatalogImportProgressFunc   progress,
                                                      gpointer                      progress_data,
                                                      BiCatalogImportStats         *stats,
                                                      GError                      **error);

/* For a server that is given the same catalog file at every start: imports @path unless
 * this database already holds it unchanged (same path, size and modification time, noted
 * in the database). A changed file replaces the books earlier imported from that path.
 * @imported (optional) tells whether the file was read. */
gboolean         bi_sqlite_catalog_import_if_changed (BiSqliteCatalog       *self,
                                                      const char            *path,
                                                      gboolean              *imported,
                                                      BiCatalogImportStats  *stats,
                                                      GError               **error);

/* Books, distinct authors, books with an ISBN-13 or a shelf mark and books per source. Reads every book
 * (seconds for millions). Errors: BI_CATALOG_ERROR_DATABASE. */
gboolean         bi_sqlite_catalog_get_summary       (BiSqliteCatalog       *self,
                                                      BiCatalogSummary      *summary,
                                                      GError               **error);

/* Number of books, or -1 on error. */
gint64           bi_sqlite_catalog_count             (BiSqliteCatalog       *self,
                                                      GError               **error);

G_END_DECLS
