/* bi-scanner.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-scanner"

#include "config.h"

#include "bi-scanner.h"

#include <glib/gi18n.h>
#include <gtk/gtk.h>

#include "bi-book.h"
#include "bi-embedded-server.h"
#include "bi-export-normalize.h"
#include "bi-image-loader.h"
#include "bi-protocol-messages.h"
#include "bi-push-channel.h"
#include "bi-scan-session.h"
#include "bi-server-connection.h"

/* Pixels on the longer side of a row's thumbnail (twice the shown size, for HiDPI). */
#define THUMBNAIL_SIZE 96

/* Attribute a BiScanJob carries: the row it drives. */
#define JOB_ITEM_KEY "bi-photo-item"
/* How long one idle may add books: a few milliseconds, well inside a frame. */
#define ADD_CHUNK_US 3000

struct _BiScanner
{
  GObject              parent_instance;

  BiLibrary           *library;
  gboolean             embedded;
  char                *server_url;     /* remote: from the options; embedded: once started */
  char                *access_token;
  char                *catalog_path;
  char                *server_data_dir; /* embedded: kept across runs; NULL: temporary */
  GStrv                server_arguments;
  GStrv                server_environment;
  guint                parallel_jobs;

  BiEmbeddedServer    *server;         /* embedded mode */
  BiServerConnection  *connection;     /* NULL until the backend is ready */
  BiScanSession       *session;        /* made with the connection */
  gboolean             session_running;
  BiPushChannel       *resume_channel; /* follows jobs left pending by an earlier run */
  GPtrArray           *resume_waiting; /* BiPhotoItem subscribed while resume_channel connects */

  GListStore          *photos;         /* BiPhotoItem */
  GListStore          *books;          /* BiBook: every reading the user has not removed */
  GtkFilterListModel  *merged;         /* books without a primary: one per book */
  GListStore          *unresolved;     /* BiBook spines that matched no book */
  GHashTable          *reviews;        /* "<job id>\n<position>" → BiLibraryReview */
  GHashTable          *by_isbn;        /* ISBN-13 → primary BiBook (borrowed from books) */
  GHashTable          *by_title;       /* normalised title + surname → primary BiBook */
  GThreadPool         *library_writer; /* one thread: writes jobs and reviews in the order
                                        * made, off the main thread (SQLite is built
                                        * serialized, so the connection is shared) */
  GHashTable          *items_by_job;   /* job id → BiPhotoItem (borrowed from photos) */
  GPtrArray           *waiting;        /* BiPhotoItem waiting for the backend to start a job */
  GPtrArray           *to_resume;      /* BiPhotoItem left unfinished, resumed once ready */
  guint                batch_books;    /* books found since the last ::batch-finished */
  GQueue               thumbnails_waiting; /* BiPhotoItem whose thumbnail is not asked yet */
  guint                thumbnails_loading; /* 0 or 1: a 12-megapixel JPEG keeps a core busy,
                                            * and GTask's pool would decode ten at once;
                                            * one leaves the other core to the main loop
                                            * and the X server */
  GQueue               to_add;         /* ParsedResults waiting to be added to the lists, a
                                        * chunk per idle (library load and finished jobs) */
  GHashTable          *adding;         /* BiPhotoItem in to_add (borrowed) */
  guint                parsing;        /* library loads still parsed by a worker */
  guint                add_source;     /* the idle that adds to_add */
  gboolean             batch_ending;   /* the session ended: ::batch-finished once to_add is
                                        * empty */

  BiScannerStatus      status;
  char                *status_message;
  GCancellable        *cancellable;    /* cancelled by stop */
};

G_DEFINE_FINAL_TYPE (BiScanner, bi_scanner, G_TYPE_OBJECT)

G_DEFINE_ENUM_TYPE (BiScannerStatus, bi_scanner_status,
                    G_DEFINE_ENUM_VALUE (BI_SCANNER_STATUS_STOPPED, "stopped"),
                    G_DEFINE_ENUM_VALUE (BI_SCANNER_STATUS_STARTING, "starting"),
                    G_DEFINE_ENUM_VALUE (BI_SCANNER_STATUS_READY, "ready"),
                    G_DEFINE_ENUM_VALUE (BI_SCANNER_STATUS_CONNECTED, "connected"),
                    G_DEFINE_ENUM_VALUE (BI_SCANNER_STATUS_RECONNECTING, "reconnecting"),
                    G_DEFINE_ENUM_VALUE (BI_SCANNER_STATUS_OFFLINE, "offline"))

enum
{
  PROP_0,
  PROP_STATUS,
  PROP_STATUS_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum
{
  SIGNAL_BATCH_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void start_item_job  (BiScanner   *self,
                             BiPhotoItem *item);
static void add_file        (BiScanner   *self,
                             GFile       *file,
                             gboolean     from_folder);
static void parse_library_async (BiScanner *self,
                                 GPtrArray *loading);

/* ---- helpers ---- */

static void
set_status (BiScanner       *self,
            BiScannerStatus  status,
            const char      *message)
{
  if (self->status != status)
    {
      self->status = status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
    }
  if (g_strcmp0 (self->status_message, message) != 0)
    {
      g_free (self->status_message);
      self->status_message = g_strdup (message);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS_MESSAGE]);
    }
}

/* One write for the library writer thread: exactly one of the three is set. */
typedef struct
{
  BiLibraryJob    *job;        /* to save */
  BiLibraryReview *review;     /* to save */
  char            *removed_id; /* a job to remove */
} LibraryWrite;

static void
write_library_thread (gpointer data,
                      gpointer user_data)
{
  LibraryWrite *write = data;
  BiLibrary *library = user_data;
  g_autoptr(GError) error = NULL;
  gboolean written;

  if (write->job != NULL)
    written = bi_library_save_job (library, write->job, &error);
  else if (write->review != NULL)
    written = bi_library_save_review (library, write->review, &error);
  else
    written = bi_library_remove_job (library, write->removed_id, &error);
  if (!written)
    g_warning ("%s", error->message);

  g_clear_pointer (&write->job, bi_library_job_free);
  g_clear_pointer (&write->review, bi_library_review_free);
  g_free (write->removed_id);
  g_free (write);
}

/* Queues a write (the arguments are taken): the results' JSON is serialised and the row
 * written by the writer thread, in order, so the main loop never waits on SQLite. */
static void
write_library (BiScanner       *self,
               BiLibraryJob    *job,
               BiLibraryReview *review,
               char            *removed_id)
{
  LibraryWrite *write = g_new0 (LibraryWrite, 1);

  write->job = job;
  write->review = review;
  write->removed_id = removed_id;
  g_thread_pool_push (self->library_writer, write, NULL);
}

static void
save_item (BiScanner   *self,
           BiPhotoItem *item,
           JsonNode    *results)
{
  g_autoptr(BiLibraryJob) record = NULL;

  if (*bi_photo_item_get_job_id (item) == '\0')
    return;

  record = bi_library_job_new (bi_photo_item_get_job_id (item),
                               bi_photo_item_get_photo_path (item),
                               bi_scan_job_state_to_string (bi_photo_item_get_state (item)));
  if (results != NULL)
    record->results = json_node_ref (results);
  record->error_message = g_strdup (bi_photo_item_get_error_message (item));
  write_library (self, g_steal_pointer (&record), NULL, NULL);
}

static char *
review_key (const char *job_id,
            int         position)
{
  return g_strdup_printf ("%s\n%d", job_id, position);
}

/* The title-and-author key of bi-export-merge; NULL when the title normalises to nothing. */
static char *
merge_key (BiBook *book)
{
  const char *const *authors = bi_book_get_author_list (book);
  g_autofree char *title = bi_export_normalize_title (bi_book_get_title (book));
  g_autofree char *surname = bi_export_normalize_surname (authors[0]);

  if (*title == '\0')
    return NULL;
  return g_strconcat (title, "\n", surname, NULL);
}

static gboolean
shows_job (BiBook     *primary,
           const char *job_id)
{
  GPtrArray *copies = bi_book_get_copies (primary);

  if (g_str_equal (bi_book_get_job_id (primary), job_id))
    return TRUE;
  for (guint i = 0; i < copies->len; i++)
    if (g_str_equal (bi_book_get_job_id (g_ptr_array_index (copies, i)), job_id))
      return TRUE;
  return FALSE;
}

/* The merge rules of bi-export-merge, one reading at a time: the same ISBN-13, else the same
 * title and first author (unless both have different ISBN-13s); never two spines of one photo. */
static BiBook *
find_primary (BiScanner  *self,
              BiBook     *book,
              const char *key)
{
  const char *isbn13 = bi_book_get_isbn13 (book);
  BiBook *match = NULL;

  if (*isbn13 != '\0')
    match = g_hash_table_lookup (self->by_isbn, isbn13);
  if (match == NULL && key != NULL)
    {
      match = g_hash_table_lookup (self->by_title, key);
      if (match != NULL && *bi_book_get_isbn13 (match) != '\0' && *isbn13 != '\0')
        match = NULL;
    }
  if (match != NULL && shows_job (match, bi_book_get_job_id (book)))
    return NULL;
  return match;
}

/* @key: merge_key (book), or NULL to make it here. */
static void
index_book (BiScanner  *self,
            BiBook     *book,
            BiBook     *primary,
            const char *key)
{
  const char *isbn13 = bi_book_get_isbn13 (book);
  g_autofree char *made = key == NULL ? merge_key (book) : NULL;

  if (key == NULL)
    key = made;

  /* the first book with a key keeps it: later ones merge into that one */
  if (*isbn13 != '\0' && !g_hash_table_contains (self->by_isbn, isbn13))
    g_hash_table_insert (self->by_isbn, g_strdup (isbn13), primary);
  if (key != NULL && !g_hash_table_contains (self->by_title, key))
    g_hash_table_insert (self->by_title, g_strdup (key), primary);
}

static gboolean
points_to (gpointer key,
           gpointer value,
           gpointer user_data)
{
  return value == user_data;
}

static void
unindex_book (BiScanner *self,
              BiBook    *primary)
{
  g_hash_table_foreach_remove (self->by_isbn, points_to, primary);
  g_hash_table_foreach_remove (self->by_title, points_to, primary);
}

/* Merges a reading into an earlier reading of the same book. @key: merge_key (book), or
 * NULL to make it here. The caller adds it to the list. */
static void
merge_book (BiScanner  *self,
            BiBook     *book,
            const char *key)
{
  g_autofree char *made = NULL;
  BiBook *primary;

  if (key == NULL)
    key = made = merge_key (book);
  primary = find_primary (self, book, key);
  if (primary != NULL)
    bi_book_add_copy (primary, book);
  index_book (self, book, primary != NULL ? primary : book, key);
}

static void
append_books (BiScanner *self,
              GPtrArray *books,
              GPtrArray *spines)
{
  if (books->len > 0)
    g_list_store_splice (self->books, g_list_model_get_n_items (G_LIST_MODEL (self->books)), 0,
                         books->pdata, books->len);
  if (spines->len > 0)
    g_list_store_splice (self->unresolved,
                         g_list_model_get_n_items (G_LIST_MODEL (self->unresolved)), 0,
                         spines->pdata, spines->len);
}

/* Keeps @review for later loads and saves it off the main thread (it is taken). */
static void
save_review (BiScanner       *self,
             BiLibraryReview *review)
{
  BiLibraryReview *copy = bi_library_review_new (review->job_id, review->position);

  copy->removed = review->removed;
  copy->accepted = review->accepted;
  copy->title = g_strdup (review->title);
  copy->authors = g_strdupv (review->authors);
  copy->year = review->year;
  copy->isbn13 = g_strdup (review->isbn13);
  copy->source = g_strdup (review->source);
  g_hash_table_replace (self->reviews, review_key (review->job_id, review->position), review);
  write_library (self, NULL, copy, NULL);
}

static gboolean
remove_from_store (GListStore *store,
                   gpointer    item)
{
  guint position;

  if (!g_list_store_find (store, item, &position))
    return FALSE;
  g_list_store_remove (store, position);
  return TRUE;
}

/* @book and the readings merged into it. */
static GPtrArray *
book_group (BiBook *book)
{
  GPtrArray *group = g_ptr_array_new_with_free_func (g_object_unref);
  GPtrArray *copies;

  if (bi_book_get_primary (book) != NULL)
    book = bi_book_get_primary (book);
  copies = bi_book_get_copies (book);
  g_ptr_array_add (group, g_object_ref (book));
  for (guint i = 0; i < copies->len; i++)
    g_ptr_array_add (group, g_object_ref (g_ptr_array_index (copies, i)));
  return group;
}

/* One job's results made into books, without the scanner: a worker thread may make it. */
typedef struct
{
  BiPhotoItem *item;
  char        *results_text; /* as stored, parsed by parse_results() */
  JsonNode    *results;      /* NULL: none, or the stored text did not parse */
  GPtrArray   *books;        /* BiBook readings, before the user's reviews */
  GPtrArray   *keys;         /* merge_key() of each of books (entries may be NULL) */
  GPtrArray   *spines;       /* BiBook unresolved spines, before the user's reviews */
  gboolean     from_library; /* loaded: nothing to save, not part of a batch */
} ParsedResults;

static void
parsed_results_free (gpointer data)
{
  ParsedResults *parsed = data;

  if (parsed == NULL)
    return;
  g_clear_object (&parsed->item);
  g_free (parsed->results_text);
  g_clear_pointer (&parsed->results, json_node_unref);
  g_clear_pointer (&parsed->books, g_ptr_array_unref);
  g_clear_pointer (&parsed->keys, g_ptr_array_unref);
  g_clear_pointer (&parsed->spines, g_ptr_array_unref);
  g_free (parsed);
}

static ParsedResults *
parsed_results_new (BiPhotoItem *item,
                    JsonNode    *results)
{
  ParsedResults *parsed = g_new0 (ParsedResults, 1);

  parsed->item = g_object_ref (item);
  parsed->results = results != NULL ? json_node_ref (results) : NULL;
  return parsed;
}

/* Touches nothing but @parsed (and the item's immutable job id and path). */
static void
parse_results (ParsedResults *parsed)
{
  const char *job_id = bi_photo_item_get_job_id (parsed->item);
  const char *photo_path = bi_photo_item_get_photo_path (parsed->item);
  JsonNode *unresolved = NULL;

  if (parsed->results == NULL && parsed->results_text != NULL)
    parsed->results = json_from_string (parsed->results_text, NULL);
  g_clear_pointer (&parsed->results_text, g_free);

  parsed->books = bi_book_list_from_results (parsed->results, job_id, photo_path);
  parsed->keys = g_ptr_array_new_full (parsed->books->len, g_free);
  for (guint i = 0; i < parsed->books->len; i++)
    {
      BiBook *book = g_ptr_array_index (parsed->books, i);

      g_ptr_array_add (parsed->keys, merge_key (book));
      /* made here, not on the first search */
      bi_book_get_search_text (book);
    }

  parsed->spines = g_ptr_array_new_with_free_func (g_object_unref);
  if (parsed->results != NULL && JSON_NODE_HOLDS_OBJECT (parsed->results))
    unresolved = json_object_get_member (json_node_get_object (parsed->results), "unresolved");
  if (unresolved != NULL && JSON_NODE_HOLDS_ARRAY (unresolved))
    {
      JsonArray *array = json_node_get_array (unresolved);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (JSON_NODE_HOLDS_OBJECT (element))
            g_ptr_array_add (parsed->spines,
                             bi_book_new_spine (json_node_get_object (element), job_id,
                                                photo_path));
        }
    }
}

/* Applies the user's reviews to @parsed, merges its books, and adds them and its spines to
 * @books and @spines (which the caller adds to the lists). Returns the item's book count. */
static guint
apply_results (BiScanner     *self,
               ParsedResults *parsed,
               GPtrArray     *books,
               GPtrArray     *spines)
{
  const char *job_id = bi_photo_item_get_job_id (parsed->item);
  guint n_books = 0;

  for (guint i = 0; i < parsed->books->len; i++)
    {
      BiBook *book = g_ptr_array_index (parsed->books, i);
      g_autofree char *key = review_key (job_id, bi_book_get_position (book));
      BiLibraryReview *review = g_hash_table_lookup (self->reviews, key);

      if (review != NULL && review->removed)
        continue;
      if (review != NULL)
        {
          bi_book_apply_review (book, review);
          merge_book (self, book, NULL);
        }
      else
        merge_book (self, book, g_ptr_array_index (parsed->keys, i));
      g_ptr_array_add (books, g_object_ref (book));
      n_books++;
    }

  for (guint i = 0; i < parsed->spines->len; i++)
    {
      BiBook *spine = g_ptr_array_index (parsed->spines, i);
      g_autofree char *key = review_key (job_id, bi_book_get_position (spine));
      BiLibraryReview *review = g_hash_table_lookup (self->reviews, key);

      if (review != NULL && review->removed)
        continue;
      if (review != NULL && review->title != NULL && *review->title != '\0')
        {
          /* matched by hand in an earlier run */
          bi_book_apply_review (spine, review);
          merge_book (self, spine, NULL);
          g_ptr_array_add (books, g_object_ref (spine));
          n_books++;
        }
      else
        g_ptr_array_add (spines, g_object_ref (spine));
    }
  return n_books;
}

static void queue_results (BiScanner     *self,
                           ParsedResults *parsed);

/* Adds a job's books to the list (merging each into an earlier reading of the same book), its
 * unresolved spines to the unresolved list, and marks it complete: from an idle, with the
 * results of other jobs that finished in the same frame (see add_results_cb). */
static void
complete_item (BiScanner   *self,
               BiPhotoItem *item,
               JsonNode    *results,
               gboolean     save)
{
  ParsedResults *parsed;

  if (g_hash_table_contains (self->adding, item))
    return;
  parsed = parsed_results_new (item, results);
  parsed->from_library = !save;
  queue_results (self, parsed);
}

static void
fail_item (BiScanner   *self,
           BiPhotoItem *item,
           const char  *message)
{
  bi_photo_item_set_error_message (item, message);
  bi_photo_item_set_state (item, BI_SCAN_JOB_STATE_FAILED);
  save_item (self, item, NULL);
}

static gboolean
is_photo_name (const char *name)
{
  static const char *const extensions[] = { ".jpg", ".jpeg", ".png", ".webp", ".tif", ".tiff" };
  g_autofree char *lower = g_ascii_strdown (name, -1);

  for (guint i = 0; i < G_N_ELEMENTS (extensions); i++)
    if (g_str_has_suffix (lower, extensions[i]))
      return TRUE;
  return FALSE;
}

static gboolean
any_job_unfinished (BiScanner *self)
{
  GListModel *jobs = bi_scan_session_get_jobs (self->session);

  for (guint i = 0; i < g_list_model_get_n_items (jobs); i++)
    {
      g_autoptr(BiScanJob) job = g_list_model_get_item (jobs, i);

      if (!bi_scan_job_is_terminal (job))
        return TRUE;
    }
  return FALSE;
}

/* ---- callbacks ---- */

static void load_next_thumbnails (BiScanner *self);

/* A thumbnail being decoded: the scanner is not kept alive for it. */
typedef struct
{
  GWeakRef     scanner;
  BiPhotoItem *item;
} ThumbnailRequest;

static void
thumbnail_loaded_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  ThumbnailRequest *request = user_data;
  g_autoptr(BiScanner) self = g_weak_ref_get (&request->scanner);
  g_autoptr(BiPhotoItem) item = request->item;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = bi_image_load_thumbnail_finish (result, &error);

  g_weak_ref_clear (&request->scanner);
  g_free (request);
  if (texture != NULL)
    bi_photo_item_set_thumbnail (item, GDK_PAINTABLE (texture));
  else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    g_debug ("No thumbnail: %s", error->message);

  if (self == NULL)
    return;
  self->thumbnails_loading--;
  /* disposed: the queue is empty and stays so */
  load_next_thumbnails (self);
}

static void
job_notify_cb (BiScanJob  *job,
               GParamSpec *pspec,
               gpointer    user_data)
{
  BiScanner *self = user_data;
  BiPhotoItem *item = g_object_get_data (G_OBJECT (job), JOB_ITEM_KEY);
  BiScanJobState state = bi_scan_job_get_state (job);
  goffset total = bi_scan_job_get_bytes_total (job);

  /* A row scanned again follows its new job only. */
  if (item == NULL || g_strcmp0 (bi_photo_item_get_job_id (item), bi_scan_job_get_job_id (job)))
    return;
  if (bi_photo_item_is_terminal (item))
    return;

  if (total > 0)
    bi_photo_item_set_fraction (item, (double) bi_scan_job_get_bytes_sent (job) / total);

  if (state == bi_photo_item_get_state (item))
    return;

  if (state == BI_SCAN_JOB_STATE_COMPLETE)
    complete_item (self, item, bi_scan_job_get_results (job), TRUE);
  else if (state == BI_SCAN_JOB_STATE_FAILED)
    fail_item (self, item, bi_scan_job_get_error (job) != NULL
                             ? bi_scan_job_get_error (job)->message : NULL);
  else
    {
      bi_photo_item_set_state (item, state);
      /* Only the moves that matter after a restart are written: started, and uploaded. */
      if (state == BI_SCAN_JOB_STATE_UPLOADING || state == BI_SCAN_JOB_STATE_UPLOADED)
        save_item (self, item, NULL);
    }
}

static void
end_batch (BiScanner *self)
{
  self->batch_ending = FALSE;
  g_signal_emit (self, signals[SIGNAL_BATCH_FINISHED], 0, self->batch_books);
  self->batch_books = 0;
}

static void
session_run_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(BiScanner) self = user_data;
  g_autoptr(GError) error = NULL;

  self->session_running = FALSE;
  if (!bi_scan_session_run_finish (BI_SCAN_SESSION (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_status (self, BI_SCANNER_STATUS_OFFLINE, error->message);
    }
  else if (self->status == BI_SCANNER_STATUS_CONNECTED)
    set_status (self, BI_SCANNER_STATUS_READY, _("Ready"));

  /* Photos added between the end of the run and this callback are still queued. */
  if (any_job_unfinished (self) && error == NULL)
    {
      self->session_running = TRUE;
      bi_scan_session_run_async (self->session, self->cancellable, session_run_cb,
                                 g_object_ref (self));
      return;
    }

  /* The batch's last results may still wait for the idle that adds them: it ends the batch. */
  if (!g_queue_is_empty (&self->to_add))
    {
      self->batch_ending = TRUE;
      return;
    }
  end_batch (self);
}

static void
channel_connected_changed_cb (BiPushChannel *channel,
                              GParamSpec    *pspec,
                              gpointer       user_data)
{
  BiScanner *self = user_data;

  if (bi_push_channel_get_connected (channel))
    set_status (self, BI_SCANNER_STATUS_CONNECTED, _("Connected"));
}

static void
channel_connection_lost_cb (BiPushChannel *channel,
                            gpointer       user_data)
{
  BiScanner *self = user_data;

  set_status (self, BI_SCANNER_STATUS_RECONNECTING, _("Connection lost, reconnecting…"));
}

static void
channel_failed_cb (BiPushChannel *channel,
                   const GError  *error,
                   gpointer       user_data)
{
  BiScanner *self = user_data;

  set_status (self, BI_SCANNER_STATUS_OFFLINE, error->message);
}

static void
resume_push_cb (BiPushChannel   *channel,
                BiServerMessage *message,
                gpointer         user_data)
{
  BiScanner *self = user_data;
  BiPhotoItem *item = g_hash_table_lookup (self->items_by_job, message->job_id);

  if (item == NULL || bi_photo_item_is_terminal (item))
    return;

  switch (message->type)
    {
    case BI_SERVER_MESSAGE_JOB_PROGRESS:
      {
        if (g_strcmp0 (message->stage, "ocr") == 0)
          bi_photo_item_set_state (item, BI_SCAN_JOB_STATE_OCR);
        else if (g_strcmp0 (message->stage, "candidates") == 0)
          bi_photo_item_set_state (item, BI_SCAN_JOB_STATE_CANDIDATES);
        else if (g_strcmp0 (message->stage, "validation") == 0)
          bi_photo_item_set_state (item, BI_SCAN_JOB_STATE_VALIDATION);
      }
      break;
    case BI_SERVER_MESSAGE_PROCESSING_COMPLETE:
      complete_item (self, item, message->results, TRUE);
      break;
    case BI_SERVER_MESSAGE_PROCESSING_FAILED:
      fail_item (self, item, message->error_message);
      break;
    default:
      break;
    }
}

static void
resume_subscribed_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(BiPhotoItem) item = user_data;
  g_autoptr(GError) error = NULL;

  if (!bi_push_channel_subscribe_finish (BI_PUSH_CHANNEL (source), result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
      && !bi_photo_item_is_terminal (item))
    {
      bi_photo_item_set_error_message (item, error->message);
      bi_photo_item_set_state (item, BI_SCAN_JOB_STATE_FAILED);
    }
}

static void
resume_channel_connected_cb (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autoptr(BiScanner) self = user_data;
  BiPushChannel *channel = BI_PUSH_CHANNEL (source);
  g_autoptr(GPtrArray) waiting = NULL;
  g_autoptr(GError) error = NULL;

  /* A channel closed by stop, reconfigure or dispose: its jobs are followed elsewhere. */
  if (!bi_push_channel_connect_finish (channel, result, &error)
      && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (channel != self->resume_channel)
    return;

  waiting = g_steal_pointer (&self->resume_waiting);
  if (error == NULL)
    return;

  /* The subscriptions queued while connecting go with the channel; the next pending job
   * makes a new one. */
  for (guint i = 0; waiting != NULL && i < waiting->len; i++)
    {
      BiPhotoItem *item = g_ptr_array_index (waiting, i);

      bi_push_channel_unsubscribe (channel, bi_photo_item_get_job_id (item));
      if (!bi_photo_item_is_terminal (item))
        {
          bi_photo_item_set_error_message (item, error->message);
          bi_photo_item_set_state (item, BI_SCAN_JOB_STATE_FAILED);
        }
    }
  bi_push_channel_close (channel);
  g_clear_object (&self->resume_channel);
  g_clear_pointer (&self->resume_waiting, g_ptr_array_unref);
}

typedef struct
{
  BiScanner   *scanner;
  BiPhotoItem *item;
} ResumeRequest;

static void
resume_request_free (ResumeRequest *request)
{
  g_object_unref (request->scanner);
  g_object_unref (request->item);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ResumeRequest, resume_request_free)

static void
resume_results_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(ResumeRequest) request = user_data;
  BiScanner *self = request->scanner;
  BiPhotoItem *item = request->item;
  g_autoptr(GError) error = NULL;
  g_autoptr(BiJobResults) results = NULL;

  results = bi_server_connection_fetch_results_finish (BI_SERVER_CONNECTION (source), result,
                                                       &error);
  if (results == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        fail_item (self, item, error->message);
      return;
    }

  switch (results->status)
    {
    case BI_JOB_STATUS_COMPLETE:
      complete_item (self, item, results->results, TRUE);
      break;
    case BI_JOB_STATUS_FAILED:
      fail_item (self, item, results->error_message);
      break;
    case BI_JOB_STATUS_PENDING:
      /* One connection for every resumed job: a subscription made while it connects is
       * sent once it is up. */
      if (self->resume_channel == NULL)
        {
          self->resume_channel = bi_push_channel_new (self->connection);
          g_signal_connect_object (self->resume_channel, "push", G_CALLBACK (resume_push_cb),
                                   self, 0);
          self->resume_waiting = g_ptr_array_new_with_free_func (g_object_unref);
          bi_push_channel_connect_async (self->resume_channel, self->cancellable,
                                         resume_channel_connected_cb, g_object_ref (self));
        }
      if (self->resume_waiting != NULL)
        g_ptr_array_add (self->resume_waiting, g_object_ref (item));
      bi_push_channel_subscribe_async (self->resume_channel, bi_photo_item_get_job_id (item),
                                       NULL, resume_subscribed_cb, g_object_ref (item));
      break;
    case BI_JOB_STATUS_UNKNOWN:
    default:
      /* The server forgot the job (an embedded server starts afresh): scan the photo again. */
      start_item_job (self, item);
      break;
    }
}

static void
resume_item (BiScanner   *self,
             BiPhotoItem *item)
{
  ResumeRequest *request = g_new0 (ResumeRequest, 1);

  request->scanner = g_object_ref (self);
  request->item = g_object_ref (item);
  bi_server_connection_fetch_results_async (self->connection, bi_photo_item_get_job_id (item),
                                            self->cancellable, resume_results_cb, request);
}

static void
backend_ready (BiScanner  *self,
               const char *url)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) waiting = NULL;
  g_autoptr(GPtrArray) to_resume = NULL;
  BiPushChannel *channel;

  self->connection = bi_server_connection_new (url, self->access_token, &error);
  if (self->connection == NULL)
    {
      set_status (self, BI_SCANNER_STATUS_OFFLINE, error->message);
      return;
    }

  self->session = bi_scan_session_new (self->connection, self->parallel_jobs);
  channel = bi_scan_session_get_channel (self->session);
  g_signal_connect_object (channel, "notify::connected",
                           G_CALLBACK (channel_connected_changed_cb), self, 0);
  g_signal_connect_object (channel, "connection-lost",
                           G_CALLBACK (channel_connection_lost_cb), self, 0);
  g_signal_connect_object (channel, "failed", G_CALLBACK (channel_failed_cb), self, 0);
  set_status (self, BI_SCANNER_STATUS_READY, _("Ready"));

  to_resume = g_steal_pointer (&self->to_resume);
  self->to_resume = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < to_resume->len; i++)
    resume_item (self, g_ptr_array_index (to_resume, i));

  waiting = g_steal_pointer (&self->waiting);
  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < waiting->len; i++)
    start_item_job (self, g_ptr_array_index (waiting, i));
}

static void
server_started_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(BiScanner) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!bi_embedded_server_start_finish (BI_EMBEDDED_SERVER (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_status (self, BI_SCANNER_STATUS_OFFLINE, error->message);
      return;
    }

  g_free (self->server_url);
  self->server_url = g_strdup (bi_embedded_server_get_url (self->server));
  backend_ready (self, self->server_url);
}

static void
server_stopped_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!bi_embedded_server_stop_finish (BI_EMBEDDED_SERVER (source), result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/* Takes the backend settings of @options (the models and the library stay). */
static void
apply_options (BiScanner              *self,
               const BiScannerOptions *options)
{
  self->embedded = options->embedded;
  g_free (self->server_url);
  self->server_url = g_strdup (options->server_url);
  g_free (self->access_token);
  self->access_token = g_strdup (options->access_token);
  g_free (self->catalog_path);
  self->catalog_path = g_strdup (options->catalog_path);
  g_free (self->server_data_dir);
  self->server_data_dir = g_strdup (options->server_data_dir);
  g_strfreev (self->server_arguments);
  self->server_arguments = g_strdupv ((char **) options->server_arguments);
  g_strfreev (self->server_environment);
  self->server_environment = g_strdupv ((char **) options->server_environment);
  self->parallel_jobs = CLAMP (options->parallel_jobs, 1, 8);
}

/* The old embedded server has stopped (its data dir is free again): start the new backend. */
static void
reconfigure_server_stopped_cb (GObject      *source,
                               GAsyncResult *result,
                               gpointer      user_data)
{
  g_autoptr(BiScanner) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!bi_embedded_server_stop_finish (BI_EMBEDDED_SERVER (source), result, &error))
    g_warning ("Could not stop the embedded server cleanly: %s", error->message);
  bi_scanner_start (self);
}

/* ---- adding files ---- */

typedef struct
{
  BiScanner *scanner;
  GFile     *file;
  gboolean   from_folder;  /* found inside a dropped folder: skip what is not a photo */
} AddRequest;

static void
add_request_free (AddRequest *request)
{
  g_object_unref (request->scanner);
  g_object_unref (request->file);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (AddRequest, add_request_free)

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char *const *) a, *(const char *const *) b);
}

static void
next_children_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  GFileEnumerator *enumerator = G_FILE_ENUMERATOR (source);
  g_autoptr(AddRequest) request = user_data;
  g_autoptr(GError) error = NULL;
  g_autolist(GFileInfo) infos = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GCancellable *cancellable;

  infos = g_file_enumerator_next_files_finish (enumerator, result, &error);
  if (infos == NULL)
    {
      if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not read a folder: %s", error->message);
      return;
    }

  /* Photos of one folder are added in name order, as a file manager shows them. */
  for (GList *link = infos; link != NULL; link = link->next)
    {
      GFileInfo *info = link->data;
      const char *name = g_file_info_get_name (info);

      if (g_file_info_get_is_hidden (info))
        continue;
      g_ptr_array_add (names, g_strdup (name));
    }
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      g_autoptr(GFile) child = g_file_get_child (request->file, g_ptr_array_index (names, i));

      add_file (request->scanner, child, TRUE);
    }

  cancellable = request->scanner->cancellable;
  g_file_enumerator_next_files_async (enumerator, 64, G_PRIORITY_DEFAULT, cancellable,
                                      next_children_cb, g_steal_pointer (&request));
}

static void
enumerated_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(AddRequest) request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileEnumerator) enumerator = NULL;
  GCancellable *cancellable;

  enumerator = g_file_enumerate_children_finish (G_FILE (source), result, &error);
  if (enumerator == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_warning ("Could not read a folder: %s", error->message);
      return;
    }
  cancellable = request->scanner->cancellable;
  g_file_enumerator_next_files_async (enumerator, 64, G_PRIORITY_DEFAULT, cancellable,
                                      next_children_cb, g_steal_pointer (&request));
}

static void
file_info_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(AddRequest) request = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *path = NULL;

  info = g_file_query_info_finish (G_FILE (source), result, &error);
  if (info == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  if (info != NULL && g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
    {
      GFile *folder = request->file;
      GCancellable *cancellable = request->scanner->cancellable;

      g_file_enumerate_children_async (folder,
                                       G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                       G_FILE_ATTRIBUTE_STANDARD_IS_HIDDEN,
                                       G_FILE_QUERY_INFO_NONE, G_PRIORITY_DEFAULT,
                                       cancellable, enumerated_cb, g_steal_pointer (&request));
      return;
    }

  path = g_file_get_path (request->file);
  if (path == NULL)
    return;
  if (request->from_folder && !is_photo_name (path))
    return;
  /* A file the user chose by hand is added even when it is no photo: its row says why. */
  bi_scanner_add_photo (request->scanner, path);
}

static void
add_file (BiScanner *self,
          GFile     *file,
          gboolean   from_folder)
{
  AddRequest *request = g_new0 (AddRequest, 1);

  request->scanner = g_object_ref (self);
  request->file = g_object_ref (file);
  request->from_folder = from_folder;
  g_file_query_info_async (file, G_FILE_ATTRIBUTE_STANDARD_TYPE, G_FILE_QUERY_INFO_NONE,
                           G_PRIORITY_DEFAULT, self->cancellable, file_info_cb, request);
}

/* ---- jobs ---- */

static void
start_item_job (BiScanner   *self,
                BiPhotoItem *item)
{
  const char *old_job_id = bi_photo_item_get_job_id (item);
  BiScanJob *job;

  g_assert (self->session != NULL);

  if (*old_job_id != '\0')
    {
      write_library (self, NULL, NULL, g_strdup (old_job_id));
      g_hash_table_remove (self->items_by_job, old_job_id);
    }

  job = bi_scan_session_add_photo (self->session, bi_photo_item_get_photo_path (item));
  g_object_set_data_full (G_OBJECT (job), JOB_ITEM_KEY, g_object_ref (item), g_object_unref);
  g_signal_connect_object (job, "notify::state", G_CALLBACK (job_notify_cb), self, 0);
  g_signal_connect_object (job, "notify::bytes-sent", G_CALLBACK (job_notify_cb), self, 0);

  bi_photo_item_set_job_id (item, bi_scan_job_get_job_id (job));
  bi_photo_item_set_error_message (item, NULL);
  bi_photo_item_set_fraction (item, 0.0);
  bi_photo_item_set_state (item, BI_SCAN_JOB_STATE_QUEUED);
  g_hash_table_insert (self->items_by_job, (gpointer) bi_photo_item_get_job_id (item), item);
  save_item (self, item, NULL);

  if (!self->session_running)
    {
      self->session_running = TRUE;
      bi_scan_session_run_async (self->session, self->cancellable, session_run_cb,
                                 g_object_ref (self));
    }
}

static void
load_next_thumbnails (BiScanner *self)
{
  while (self->thumbnails_loading == 0
         && !g_queue_is_empty (&self->thumbnails_waiting))
    {
      ThumbnailRequest *request = g_new0 (ThumbnailRequest, 1);

      request->item = g_queue_pop_head (&self->thumbnails_waiting);
      g_weak_ref_init (&request->scanner, self);
      self->thumbnails_loading++;
      bi_image_load_thumbnail_async (bi_photo_item_get_photo_path (request->item),
                                     THUMBNAIL_SIZE, self->cancellable, thumbnail_loaded_cb,
                                     request);
    }
}

static void
load_thumbnail (BiScanner   *self,
                BiPhotoItem *item)
{
  g_queue_push_tail (&self->thumbnails_waiting, g_object_ref (item));
  load_next_thumbnails (self);
}

static gboolean
is_primary_cb (gpointer item,
               gpointer user_data)
{
  return bi_book_get_primary (item) == NULL;
}

/* ---- adding results ---- */

/* A chunk of the queued results into the lists, from an idle below the redraw: it stops after
 * a few milliseconds, adds the books of the chunk in one splice, then marks the jobs
 * complete and queues their library writes. */
static gboolean
add_results_cb (gpointer user_data)
{
  BiScanner *self = user_data;
  gint64 deadline = g_get_monotonic_time () + ADD_CHUNK_US;
  g_autoptr(GPtrArray) books = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) spines = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) done = g_ptr_array_new_with_free_func (parsed_results_free);
  g_autoptr(GArray) counts = g_array_new (FALSE, FALSE, sizeof (guint));

  while (!g_queue_is_empty (&self->to_add) && g_get_monotonic_time () < deadline)
    {
      ParsedResults *parsed = g_queue_pop_head (&self->to_add);
      guint n_books;

      g_hash_table_remove (self->adding, parsed->item);
      if (parsed->books == NULL)
        parse_results (parsed);
      if (parsed->from_library && parsed->results == NULL)
        {
          /* the stored results did not parse: ask the server again */
          bi_photo_item_set_state (parsed->item, BI_SCAN_JOB_STATE_UPLOADED);
          if (self->connection != NULL)
            resume_item (self, parsed->item);
          else
            g_ptr_array_add (self->to_resume, g_object_ref (parsed->item));
          parsed_results_free (parsed);
          continue;
        }
      n_books = apply_results (self, parsed, books, spines);
      g_ptr_array_add (done, parsed);
      g_array_append_val (counts, n_books);
    }

  append_books (self, books, spines);
  for (guint i = 0; i < done->len; i++)
    {
      ParsedResults *parsed = g_ptr_array_index (done, i);
      guint n_books = g_array_index (counts, guint, i);

      bi_photo_item_set_book_count (parsed->item, n_books);
      bi_photo_item_set_state (parsed->item, BI_SCAN_JOB_STATE_COMPLETE);
      if (!parsed->from_library)
        {
          self->batch_books += n_books;
          save_item (self, parsed->item, parsed->results);
        }
    }

  if (!g_queue_is_empty (&self->to_add))
    return G_SOURCE_CONTINUE;
  self->add_source = 0;
  if (self->batch_ending)
    end_batch (self);
  return G_SOURCE_REMOVE;
}

static void
queue_results (BiScanner     *self,
               ParsedResults *parsed)
{
  g_queue_push_tail (&self->to_add, parsed);
  g_hash_table_add (self->adding, parsed->item);
  if (self->add_source == 0)
    self->add_source = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, add_results_cb, self, NULL);
}

static void
parse_library_thread (GTask        *task,
                      gpointer      source_object,
                      gpointer      task_data,
                      GCancellable *cancellable)
{
  GPtrArray *loading = task_data;

  for (guint i = 0; i < loading->len; i++)
    parse_results (g_ptr_array_index (loading, i));
  g_task_return_boolean (task, TRUE);
}

static void
library_parsed_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  BiScanner *self = BI_SCANNER (source);
  GPtrArray *loading = g_task_get_task_data (G_TASK (result));

  /* disposed while the worker ran */
  if (self->books == NULL)
    return;
  self->parsing--;
  for (guint i = 0; i < loading->len; i++)
    queue_results (self, g_steal_pointer (&g_ptr_array_index (loading, i)));
}

/* Takes @loading (ParsedResults whose results_text is set), parses it in a worker, then
 * queues it. */
static void
parse_library_async (BiScanner *self,
                     GPtrArray *loading)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, library_parsed_cb, NULL);

  g_task_set_source_tag (task, parse_library_async);
  g_task_set_task_data (task, loading, (GDestroyNotify) g_ptr_array_unref);
  self->parsing++;
  g_task_run_in_thread (task, parse_library_thread);
}

/* ---- GObject ---- */

static void
bi_scanner_dispose (GObject *object)
{
  BiScanner *self = BI_SCANNER (object);

  g_cancellable_cancel (self->cancellable);
  if (self->resume_channel != NULL)
    bi_push_channel_close (self->resume_channel);
  g_clear_object (&self->resume_channel);
  g_clear_pointer (&self->resume_waiting, g_ptr_array_unref);
  g_queue_clear_full (&self->thumbnails_waiting, g_object_unref);
  g_clear_handle_id (&self->add_source, g_source_remove);
  g_queue_clear_full (&self->to_add, parsed_results_free);
  g_clear_pointer (&self->adding, g_hash_table_unref);
  g_clear_object (&self->session);
  g_clear_object (&self->connection);
  g_clear_object (&self->server);
  g_clear_pointer (&self->items_by_job, g_hash_table_unref);
  g_clear_pointer (&self->waiting, g_ptr_array_unref);
  g_clear_pointer (&self->to_resume, g_ptr_array_unref);
  g_clear_object (&self->photos);
  g_clear_object (&self->merged);
  g_clear_object (&self->books);
  g_clear_object (&self->unresolved);
  g_clear_pointer (&self->by_isbn, g_hash_table_unref);
  g_clear_pointer (&self->by_title, g_hash_table_unref);
  g_clear_pointer (&self->reviews, g_hash_table_unref);
  /* Waits for the jobs and reviews still being written: nothing is lost on quit. */
  if (self->library_writer != NULL)
    g_thread_pool_free (g_steal_pointer (&self->library_writer), FALSE, TRUE);
  g_clear_object (&self->library);

  G_OBJECT_CLASS (bi_scanner_parent_class)->dispose (object);
}

static void
bi_scanner_finalize (GObject *object)
{
  BiScanner *self = BI_SCANNER (object);

  g_clear_object (&self->cancellable);
  g_free (self->server_url);
  g_free (self->access_token);
  g_free (self->catalog_path);
  g_free (self->server_data_dir);
  g_strfreev (self->server_arguments);
  g_strfreev (self->server_environment);
  g_free (self->status_message);

  G_OBJECT_CLASS (bi_scanner_parent_class)->finalize (object);
}

static void
bi_scanner_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  BiScanner *self = BI_SCANNER (object);

  switch (prop_id)
    {
    case PROP_STATUS:
      g_value_set_enum (value, self->status);
      break;
    case PROP_STATUS_MESSAGE:
      g_value_set_string (value, self->status_message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
bi_scanner_class_init (BiScannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = bi_scanner_dispose;
  object_class->finalize = bi_scanner_finalize;
  object_class->get_property = bi_scanner_get_property;

  properties[PROP_STATUS] =
    g_param_spec_enum ("status", NULL, NULL, BI_TYPE_SCANNER_STATUS, BI_SCANNER_STATUS_STOPPED,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS_MESSAGE] =
    g_param_spec_string ("status-message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_BATCH_FINISHED] =
    g_signal_new ("batch-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_UINT);
}

static void
bi_scanner_init (BiScanner *self)
{
  self->cancellable = g_cancellable_new ();
  self->photos = g_list_store_new (BI_TYPE_PHOTO_ITEM);
  self->books = g_list_store_new (BI_TYPE_BOOK);
  self->merged = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->books)),
                                            GTK_FILTER (gtk_custom_filter_new (is_primary_cb,
                                                                               NULL, NULL)));
  self->unresolved = g_list_store_new (BI_TYPE_BOOK);
  self->reviews = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                         (GDestroyNotify) bi_library_review_free);
  self->by_isbn = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->by_title = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->items_by_job = g_hash_table_new (g_str_hash, g_str_equal);
  g_queue_init (&self->to_add);
  g_queue_init (&self->thumbnails_waiting);
  self->adding = g_hash_table_new (NULL, NULL);
  self->waiting = g_ptr_array_new_with_free_func (g_object_unref);
  self->to_resume = g_ptr_array_new_with_free_func (g_object_unref);
  self->status_message = g_strdup ("");
}

/* ---- public API ---- */

BiScanner *
bi_scanner_new (BiLibrary              *library,
                const BiScannerOptions *options)
{
  BiScanner *self;

  g_return_val_if_fail (BI_IS_LIBRARY (library), NULL);
  g_return_val_if_fail (options != NULL, NULL);

  self = g_object_new (BI_TYPE_SCANNER, NULL);
  self->library = g_object_ref (library);
  self->library_writer = g_thread_pool_new (write_library_thread, self->library, 1, FALSE, NULL);
  apply_options (self, options);
  return self;
}

BiLibrary *
bi_scanner_get_library (BiScanner *self)
{
  g_return_val_if_fail (BI_IS_SCANNER (self), NULL);
  return self->library;
}

GListModel *
bi_scanner_get_photos (BiScanner *self)
{
  g_return_val_if_fail (BI_IS_SCANNER (self), NULL);
  return G_LIST_MODEL (self->photos);
}

GListModel *
bi_scanner_get_books (BiScanner *self)
{
  g_return_val_if_fail (BI_IS_SCANNER (self), NULL);
  return G_LIST_MODEL (self->books);
}

BiScannerStatus
bi_scanner_get_status (BiScanner *self)
{
  g_return_val_if_fail (BI_IS_SCANNER (self), BI_SCANNER_STATUS_STOPPED);
  return self->status;
}

const char *
bi_scanner_get_status_message (BiScanner *self)
{
  g_return_val_if_fail (BI_IS_SCANNER (self), NULL);
  return self->status_message;
}

gboolean
bi_scanner_load (BiScanner *self,
                 GError   **error)
{
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) reviews = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) loading = NULL;

  g_return_val_if_fail (BI_IS_SCANNER (self), FALSE);

  reviews = bi_library_list_reviews (self->library, error);
  if (reviews == NULL)
    return FALSE;
  /* oldest first: a later decision about the same book wins */
  g_ptr_array_set_free_func (reviews, NULL);
  for (guint i = 0; i < reviews->len; i++)
    {
      BiLibraryReview *review = g_ptr_array_index (reviews, i);

      g_hash_table_replace (self->reviews, review_key (review->job_id, review->position),
                            review);
    }

  /* The results are parsed, and made into books, by a worker; the rows are here at once. */
  records = bi_library_list_jobs_unparsed (self->library, error);
  if (records == NULL)
    return FALSE;

  loading = g_ptr_array_new_with_free_func (parsed_results_free);
  items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < records->len; i++)
    {
      BiLibraryJob *record = g_ptr_array_index (records, i);
      BiPhotoItem *item;
      BiScanJobState state = bi_photo_item_parse_state (record->state);

      if (g_hash_table_contains (self->items_by_job, record->job_id))
        continue;

      item = bi_photo_item_new (record->job_id, record->photo_path);
      g_ptr_array_add (items, item);
      g_hash_table_insert (self->items_by_job, (gpointer) bi_photo_item_get_job_id (item), item);

      if (state == BI_SCAN_JOB_STATE_COMPLETE && record->results_text != NULL)
        {
          ParsedResults *parsed = parsed_results_new (item, NULL);

          parsed->from_library = TRUE;
          parsed->results_text = g_steal_pointer (&record->results_text);
          g_ptr_array_add (loading, parsed);
          bi_photo_item_set_state (item, BI_SCAN_JOB_STATE_COMPLETE);
        }
      else if (state == BI_SCAN_JOB_STATE_FAILED)
        {
          bi_photo_item_set_error_message (item, record->error_message);
          bi_photo_item_set_state (item, BI_SCAN_JOB_STATE_FAILED);
        }
      else
        {
          /* Left unfinished (or complete without readable results): ask the server. */
          bi_photo_item_set_state (item, state == BI_SCAN_JOB_STATE_COMPLETE
                                           ? BI_SCAN_JOB_STATE_UPLOADED : state);
          g_ptr_array_add (self->to_resume, g_object_ref (item));
        }
    }
  self->batch_books = 0;

  g_list_store_splice (self->photos, g_list_model_get_n_items (G_LIST_MODEL (self->photos)), 0,
                       items->pdata, items->len);
  for (guint i = 0; i < items->len; i++)
    load_thumbnail (self, g_ptr_array_index (items, i));
  if (loading->len > 0)
    parse_library_async (self, g_steal_pointer (&loading));

  if (self->connection != NULL)
    {
      g_autoptr(GPtrArray) to_resume = g_steal_pointer (&self->to_resume);

      self->to_resume = g_ptr_array_new_with_free_func (g_object_unref);
      for (guint i = 0; i < to_resume->len; i++)
        resume_item (self, g_ptr_array_index (to_resume, i));
    }
  return TRUE;
}

/* TRUE while books (of the library, or of jobs just finished) are still being added. */
gboolean
bi_scanner_get_loading (BiScanner *self)
{
  g_return_val_if_fail (BI_IS_SCANNER (self), FALSE);
  return self->parsing > 0 || !g_queue_is_empty (&self->to_add);
}

void
bi_scanner_start (BiScanner *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *program = NULL;

  g_return_if_fail (BI_IS_SCANNER (self));

  if (self->status != BI_SCANNER_STATUS_STOPPED)
    return;

  if (!self->embedded)
    {
      if (self->server_url == NULL || *self->server_url == '\0')
        {
          set_status (self, BI_SCANNER_STATUS_OFFLINE,
                      _("No server address is set. Choose one in Preferences."));
          return;
        }
      backend_ready (self, self->server_url);
      return;
    }

  program = bi_embedded_server_find_program (&error);
  if (program == NULL)
    {
      set_status (self, BI_SCANNER_STATUS_OFFLINE, error->message);
      return;
    }

  set_status (self, BI_SCANNER_STATUS_STARTING, _("Starting the scanner on this computer…"));
  self->server = bi_embedded_server_new (program, self->catalog_path);
  bi_embedded_server_set_data_dir (self->server, self->server_data_dir);
  bi_embedded_server_set_extra_arguments (self->server,
                                          (const char *const *) self->server_arguments);
  bi_embedded_server_set_environment (self->server,
                                      (const char *const *) self->server_environment);
  bi_embedded_server_start_async (self->server, self->cancellable, server_started_cb,
                                  g_object_ref (self));
}

void
bi_scanner_add_files (BiScanner  *self,
                      GFile     **files,
                      guint       n_files)
{
  g_return_if_fail (BI_IS_SCANNER (self));

  for (guint i = 0; i < n_files; i++)
    add_file (self, files[i], FALSE);
}

BiPhotoItem *
bi_scanner_add_photo (BiScanner  *self,
                      const char *photo_path)
{
  g_autoptr(BiPhotoItem) item = NULL;

  g_return_val_if_fail (BI_IS_SCANNER (self), NULL);
  g_return_val_if_fail (photo_path != NULL, NULL);

  item = bi_photo_item_new ("", photo_path);
  g_list_store_append (self->photos, item);
  load_thumbnail (self, item);

  if (self->session != NULL)
    start_item_job (self, item);
  else
    g_ptr_array_add (self->waiting, g_object_ref (item));
  return item;
}

void
bi_scanner_retry (BiScanner   *self,
                  BiPhotoItem *item)
{
  g_return_if_fail (BI_IS_SCANNER (self));
  g_return_if_fail (BI_IS_PHOTO_ITEM (item));

  if (bi_photo_item_get_state (item) != BI_SCAN_JOB_STATE_FAILED)
    return;
  if (self->session != NULL)
    start_item_job (self, item);
  else
    {
      bi_photo_item_set_error_message (item, NULL);
      bi_photo_item_set_state (item, BI_SCAN_JOB_STATE_QUEUED);
      g_ptr_array_add (self->waiting, g_object_ref (item));
    }
}

BiPhotoItem *
bi_scanner_find_photo (BiScanner  *self,
                       const char *job_id)
{
  g_return_val_if_fail (BI_IS_SCANNER (self), NULL);
  g_return_val_if_fail (job_id != NULL, NULL);

  return g_hash_table_lookup (self->items_by_job, job_id);
}

void
bi_scanner_stop_async (BiScanner           *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BI_IS_SCANNER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bi_scanner_stop_async);

  g_cancellable_cancel (self->cancellable);
  if (self->resume_channel != NULL)
    bi_push_channel_close (self->resume_channel);
  if (self->session != NULL)
    bi_push_channel_close (bi_scan_session_get_channel (self->session));
  set_status (self, BI_SCANNER_STATUS_STOPPED, "");

  if (self->server == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  bi_embedded_server_stop_async (self->server, cancellable, server_stopped_cb,
                                 g_steal_pointer (&task));
}

gboolean
bi_scanner_stop_finish (BiScanner    *self,
                        GAsyncResult *result,
                        GError      **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

void
bi_scanner_reconfigure (BiScanner              *self,
                        const BiScannerOptions *options)
{
  g_autoptr(BiEmbeddedServer) old_server = NULL;
  guint n_photos;

  g_return_if_fail (BI_IS_SCANNER (self));
  g_return_if_fail (options != NULL);

  /* Leave the old backend: its requests end, its channels close. */
  g_cancellable_cancel (self->cancellable);
  if (self->resume_channel != NULL)
    bi_push_channel_close (self->resume_channel);
  if (self->session != NULL)
    bi_push_channel_close (bi_scan_session_get_channel (self->session));
  g_clear_object (&self->resume_channel);
  g_clear_pointer (&self->resume_waiting, g_ptr_array_unref);
  g_clear_object (&self->session);
  g_clear_object (&self->connection);
  self->session_running = FALSE;
  old_server = g_steal_pointer (&self->server);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  /* Photos still on their way are followed (or scanned again) by the new backend. */
  n_photos = g_list_model_get_n_items (G_LIST_MODEL (self->photos));
  for (guint i = 0; i < n_photos; i++)
    {
      g_autoptr(BiPhotoItem) item = g_list_model_get_item (G_LIST_MODEL (self->photos), i);

      if (bi_photo_item_is_terminal (item) || *bi_photo_item_get_job_id (item) == '\0')
        continue;
      if (!g_ptr_array_find (self->to_resume, item, NULL))
        g_ptr_array_add (self->to_resume, g_object_ref (item));
    }

  apply_options (self, options);
  set_status (self, BI_SCANNER_STATUS_STOPPED, "");
  if (old_server != NULL)
    bi_embedded_server_stop_async (old_server, NULL, reconfigure_server_stopped_cb,
                                   g_object_ref (self));
  else
    bi_scanner_start (self);
}

GListModel *
bi_scanner_get_merged_books (BiScanner *self)
{
  g_return_val_if_fail (BI_IS_SCANNER (self), NULL);
  return G_LIST_MODEL (self->merged);
}

GListModel *
bi_scanner_get_unresolved (BiScanner *self)
{
  g_return_val_if_fail (BI_IS_SCANNER (self), NULL);
  return G_LIST_MODEL (self->unresolved);
}

void
bi_scanner_edit_book (BiScanner             *self,
                      BiBook                *book,
                      const BiLibraryReview *edits)
{
  g_autoptr(GPtrArray) group = NULL;

  g_return_if_fail (BI_IS_SCANNER (self));
  g_return_if_fail (BI_IS_BOOK (book));
  g_return_if_fail (edits != NULL);

  /* every reading of a merged book gets the same fields: the list, the merge and the
   * exports all see the decision */
  group = book_group (book);
  unindex_book (self, g_ptr_array_index (group, 0));
  bi_book_detach_copies (g_ptr_array_index (group, 0));
  for (guint i = group->len; i > 0; i--)
    {
      BiBook *reading = g_ptr_array_index (group, i - 1);

      bi_book_apply_review (reading, edits);
      save_review (self, bi_book_to_review (reading));
      remove_from_store (self->books, reading);
    }

  /* Merged again under the new fields (a corrected title may now match a book of another
   * photo) and put back, so the sorted and filtered lists place them by the new fields. */
  for (guint i = 0; i < group->len; i++)
    merge_book (self, g_ptr_array_index (group, i), NULL);
  g_list_store_splice (self->books, g_list_model_get_n_items (G_LIST_MODEL (self->books)), 0,
                       group->pdata, group->len);
}

void
bi_scanner_accept_book (BiScanner *self,
                        BiBook    *book)
{
  g_autoptr(BiLibraryReview) edits = NULL;

  g_return_if_fail (BI_IS_SCANNER (self));
  g_return_if_fail (BI_IS_BOOK (book));

  edits = bi_library_review_new (bi_book_get_job_id (book), bi_book_get_position (book));
  edits->accepted = TRUE;
  bi_scanner_edit_book (self, book, edits);
}

/* Keeps the photo rows' "n books" true to the list. */
static void
count_book (BiScanner *self,
            BiBook    *book,
            int        change)
{
  BiPhotoItem *item = g_hash_table_lookup (self->items_by_job, bi_book_get_job_id (book));

  if (item != NULL)
    bi_photo_item_set_book_count (item, (guint) MAX (0, (int) bi_photo_item_get_book_count (item)
                                                        + change));
}

void
bi_scanner_remove_book (BiScanner *self,
                        BiBook    *book)
{
  g_autoptr(GPtrArray) group = NULL;

  g_return_if_fail (BI_IS_SCANNER (self));
  g_return_if_fail (BI_IS_BOOK (book));

  group = book_group (book);
  unindex_book (self, g_ptr_array_index (group, 0));
  /* the copies first: a copy is hidden behind its primary, so the merged list changes once */
  for (guint i = group->len; i > 0; i--)
    {
      BiBook *reading = g_ptr_array_index (group, i - 1);
      BiLibraryReview *review = bi_book_to_review (reading);

      if (remove_from_store (self->books, reading))
        count_book (self, reading, -1);
      review->removed = TRUE;
      save_review (self, review);
    }
}

void
bi_scanner_restore_book (BiScanner *self,
                         BiBook    *book)
{
  g_autoptr(GPtrArray) group = NULL;

  g_return_if_fail (BI_IS_SCANNER (self));
  g_return_if_fail (BI_IS_BOOK (book));

  group = book_group (book);
  for (guint i = 0; i < group->len; i++)
    {
      BiBook *reading = g_ptr_array_index (group, i);

      index_book (self, reading, g_ptr_array_index (group, 0), NULL);
      save_review (self, bi_book_to_review (reading));
      count_book (self, reading, +1);
    }
  g_list_store_splice (self->books, g_list_model_get_n_items (G_LIST_MODEL (self->books)), 0,
                       group->pdata, group->len);
}

void
bi_scanner_resolve_spine (BiScanner *self,
                          BiBook    *spine,
                          BiBook    *match)
{
  g_autoptr(BiLibraryReview) review = NULL;

  g_return_if_fail (BI_IS_SCANNER (self));
  g_return_if_fail (BI_IS_BOOK (spine));
  g_return_if_fail (BI_IS_BOOK (match));

  review = bi_book_to_review (match);
  g_free (review->job_id);
  review->job_id = g_strdup (bi_book_get_job_id (spine));
  review->position = bi_book_get_position (spine);
  review->accepted = TRUE;
  g_free (review->source);
  review->source = g_strdup ("manual");
  bi_book_apply_review (spine, review);
  save_review (self, g_steal_pointer (&review));

  /* the unresolved list may hold the only reference */
  g_object_ref (spine);
  remove_from_store (self->unresolved, spine);
  merge_book (self, spine, NULL);
  g_list_store_append (self->books, spine);
  g_object_unref (spine);
  count_book (self, spine, +1);
}

static void
search_catalog_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GPtrArray) books = g_ptr_array_new_with_free_func (g_object_unref);
  JsonArray *array;

  node = bi_server_connection_search_catalog_finish (BI_SERVER_CONNECTION (source), result,
                                                     &error);
  if (node == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      BiBook *book;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      book = bi_book_new_from_json (json_node_get_object (element), NULL, NULL);
      if (book != NULL)
        g_ptr_array_add (books, book);
    }
  g_task_return_pointer (task, g_steal_pointer (&books), (GDestroyNotify) g_ptr_array_unref);
}

void
bi_scanner_search_catalog_async (BiScanner           *self,
                                 const char          *query,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BI_IS_SCANNER (self));
  g_return_if_fail (query != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, bi_scanner_search_catalog_async);
  if (self->connection == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_CONNECTED,
                               _("The catalog cannot be searched until the server is ready."));
      return;
    }
  bi_server_connection_search_catalog_async (self->connection, query, 10, cancellable,
                                             search_catalog_cb, g_steal_pointer (&task));
}

GPtrArray *
bi_scanner_search_catalog_finish (BiScanner     *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
