/* bi-scanner.h — the app's side of the backend: photos in, books out, all of it kept
 *
 * Owns the backend (an embedded bookimg-server child, or a remote server), the scan session
 * that uploads a few photos at a time and follows their pushes, and the two models the window
 * shows: photos (BiPhotoItem, one per job) and books (BiBook). Every change is written to the
 * BiLibrary, and bi_scanner_load() brings it back: finished jobs give their books again, jobs
 * that were still running are asked for with GET /results/<jobId> (and followed, or scanned
 * again when the server no longer knows them).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "bi-book.h"
#include "bi-library.h"
#include "bi-photo-item.h"

G_BEGIN_DECLS

typedef enum
{
  BI_SCANNER_STATUS_STOPPED,      /* not started */
  BI_SCANNER_STATUS_STARTING,     /* the embedded server is starting */
  BI_SCANNER_STATUS_READY,        /* the server is known; no scan is running */
  BI_SCANNER_STATUS_CONNECTED,    /* the WebSocket is up */
  BI_SCANNER_STATUS_RECONNECTING, /* the WebSocket dropped; trying again */
  BI_SCANNER_STATUS_OFFLINE,      /* the server could not be started or reached */
} BiScannerStatus;

#define BI_TYPE_SCANNER_STATUS (bi_scanner_status_get_type ())
GType bi_scanner_status_get_type (void);

/* Where the backend is. */
typedef struct
{
  gboolean    embedded;       /* TRUE: start bookimg-server as a child */
  const char *server_url;     /* remote only */
  const char *access_token;   /* remote only; may be NULL */
  const char *catalog_path;   /* embedded only; may be NULL */
  guint       parallel_jobs;  /* photos in flight at once, 1–8 */
  const char *server_data_dir;  /* embedded only: kept across runs; NULL: a temporary one */
  const char *const *server_arguments; /* embedded only, tests: extra command-line args */
  const char *const *server_environment; /* embedded only: "NAME=VALUE" (API keys) */
} BiScannerOptions;

#define BI_TYPE_SCANNER (bi_scanner_get_type ())
G_DECLARE_FINAL_TYPE (BiScanner, bi_scanner, BI, SCANNER, GObject)

/* Signals:
 *   ::batch-finished (guint n_books) — every photo added so far has finished; n_books is
 *     the number of books the finished jobs of this batch found. */

BiScanner       *bi_scanner_new                (BiLibrary               *library,
                                                const BiScannerOptions  *options);

BiLibrary       *bi_scanner_get_library        (BiScanner               *self);
/* GListModel of BiPhotoItem, in the order added. */
GListModel      *bi_scanner_get_photos         (BiScanner               *self);
/* GListModel of BiBook. */
GListModel      *bi_scanner_get_books          (BiScanner               *self);
BiScannerStatus  bi_scanner_get_status         (BiScanner               *self);
/* A sentence for the status indicator (translated). */
const char      *bi_scanner_get_status_message (BiScanner               *self);

/* Fills the models from the library; jobs left unfinished are resumed once started. The
 * photos are there on return; the books of finished jobs follow from the main loop (their
 * results are parsed by a worker and added a chunk per idle), until get_loading is FALSE. */
gboolean         bi_scanner_load               (BiScanner               *self,
                                                GError                 **error);
gboolean         bi_scanner_get_loading        (BiScanner               *self);
/* Starts the backend (asynchronously; follow ::notify::status). */
void             bi_scanner_start              (BiScanner               *self);

/* Adds photos; folders add every image inside them (asynchronously, recursively). The same
 * path is used by drops, Open… and the tests. */
void             bi_scanner_add_files          (BiScanner               *self,
                                                GFile                  **files,
                                                guint                    n_files);
BiPhotoItem     *bi_scanner_add_photo          (BiScanner               *self,
                                                const char              *photo_path);
/* Scans a failed photo again, under a new job id. */
void             bi_scanner_retry              (BiScanner               *self,
                                                BiPhotoItem             *item);
BiPhotoItem     *bi_scanner_find_photo         (BiScanner               *self,
                                                const char              *job_id);

/* Switches to the backend of @options (Preferences: another backend, address, token or
 * catalog): leaves the current one (stopping an embedded server first), then starts the new
 * one; photos still being read are resumed there. The models and the library stay. */
void             bi_scanner_reconfigure        (BiScanner               *self,
                                                const BiScannerOptions  *options);

/* The books as the list shows them: one BiBook per book, the readings of the same book on
 * other photos merged into it (bi_book_get_copies). bi_scanner_get_books() has every reading. */
GListModel      *bi_scanner_get_merged_books   (BiScanner               *self);
/* GListModel of BiBook: spines that matched no book (title ""), until matched by hand. */
GListModel      *bi_scanner_get_unresolved     (BiScanner               *self);

/* The user's review. Each decision applies to every reading of a merged book, is kept for
 * later runs (saved in a worker thread) and is seen by the list, the merge and exports. */
void             bi_scanner_edit_book          (BiScanner               *self,
                                                BiBook                  *book,
                                                const BiLibraryReview   *edits);
void             bi_scanner_accept_book        (BiScanner               *self,
                                                BiBook                  *book);
/* Takes a wrong book (and its copies) out of the list and the exports. */
void             bi_scanner_remove_book        (BiScanner               *self,
                                                BiBook                  *book);
/* Undoes bi_scanner_remove_book(). */
void             bi_scanner_restore_book       (BiScanner               *self,
                                                BiBook                  *book);
/* Makes the unresolved @spine the book @match (a catalog search result), source "manual". */
void             bi_scanner_resolve_spine      (BiScanner               *self,
                                                BiBook                  *spine,
                                                BiBook                  *match);
/* GET /catalog/search: finishes with a GPtrArray of BiBook (title, authors, year, ISBN-13). */
void             bi_scanner_search_catalog_async  (BiScanner            *self,
                                                   const char           *query,
                                                   GCancellable         *cancellable,
                                                   GAsyncReadyCallback   callback,
                                                   gpointer              user_data);
GPtrArray       *bi_scanner_search_catalog_finish (BiScanner            *self,
                                                   GAsyncResult         *result,
                                                   GError              **error);

/* Stops scanning and the embedded server. */
void             bi_scanner_stop_async         (BiScanner               *self,
                                                GCancellable            *cancellable,
                                                GAsyncReadyCallback      callback,
                                                gpointer                 user_data);
gboolean         bi_scanner_stop_finish        (BiScanner               *self,
                                                GAsyncResult            *result,
                                                GError                 **error);

G_END_DECLS
