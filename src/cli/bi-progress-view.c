/* bi-progress-view.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-progress-view"

#include "bi-progress-view.h"

#include "bi-scan-job.h"

#include <unistd.h>

#define REDRAW_INTERVAL_MS 100
#define BAR_WIDTH 24
#define NAME_WIDTH 28

struct _BiProgressView
{
  GListModel *jobs;
  FILE       *stream;
  gboolean    live;
  guint       drawn_lines;   /* live: lines of the redrawn area now on screen */
  guint       redraw_source;
  GHashTable *reported;      /* BiScanJob * → state last reported (plain) or announced (live) */
};

gboolean
bi_progress_view_stream_is_live (FILE *stream)
{
  const char *term = g_getenv ("TERM");

  return isatty (fileno (stream)) && term != NULL && g_strcmp0 (term, "dumb") != 0;
}

/* The photo name as it may be shown: file names can hold escape sequences. */
static char *
printable_name (BiScanJob *job,
                guint      max_chars)
{
  const char *name = bi_scan_job_get_photo_name (job);
  GString *out = g_string_new (NULL);
  guint count = 0;

  for (const char *p = name; *p != '\0'; p = g_utf8_next_char (p), count++)
    {
      gunichar c = g_utf8_get_char (p);

      if (max_chars > 0 && count == max_chars - 1 && g_utf8_strlen (p, -1) > 1)
        {
          g_string_append (out, "…");
          break;
        }
      g_string_append_unichar (out, g_unichar_iscntrl (c) ? '?' : c);
    }

  return g_string_free (out, FALSE);
}

static guint
count_books (BiScanJob *job)
{
  JsonNode *results = bi_scan_job_get_results (job);
  JsonObject *object;
  JsonNode *books;

  if (results == NULL || !JSON_NODE_HOLDS_OBJECT (results))
    return 0;
  object = json_node_get_object (results);
  books = json_object_get_member (object, "books");
  return books != NULL && JSON_NODE_HOLDS_ARRAY (books)
           ? json_array_get_length (json_node_get_array (books))
           : 0;
}

/* "name: complete, 3 books found" or "name: failed: why". */
static char *
describe_terminal_job (BiScanJob *job)
{
  g_autofree char *name = printable_name (job, 0);
  const GError *error = bi_scan_job_get_error (job);
  guint books;

  if (bi_scan_job_get_state (job) == BI_SCAN_JOB_STATE_FAILED)
    return g_strdup_printf ("%s: failed: %s", name, error != NULL ? error->message : "unknown");

  books = count_books (job);
  return g_strdup_printf ("%s: complete, %u %s found", name, books,
                          books == 1 ? "book" : "books");
}

/* How far along the pipeline a job is, for its bar. */
static double
job_fraction (BiScanJob *job)
{
  goffset total = bi_scan_job_get_bytes_total (job);

  switch (bi_scan_job_get_state (job))
    {
    case BI_SCAN_JOB_STATE_UPLOADING:
      return total > 0 ? 0.4 * (double) bi_scan_job_get_bytes_sent (job) / (double) total : 0.0;
    case BI_SCAN_JOB_STATE_UPLOADED:
      return 0.4;
    case BI_SCAN_JOB_STATE_OCR:
      return 0.55;
    case BI_SCAN_JOB_STATE_CANDIDATES:
      return 0.7;
    case BI_SCAN_JOB_STATE_VALIDATION:
      return 0.85;
    case BI_SCAN_JOB_STATE_COMPLETE:
    case BI_SCAN_JOB_STATE_FAILED:
      return 1.0;
    case BI_SCAN_JOB_STATE_QUEUED:
    default:
      return 0.0;
    }
}

static void
print_bar_line (BiProgressView *self,
                BiScanJob      *job)
{
  g_autofree char *name = printable_name (job, NAME_WIDTH);
  double fraction = job_fraction (job);
  guint filled = (guint) (fraction * BAR_WIDTH + 0.5);
  char bar[BAR_WIDTH + 1];
  BiScanJobState state = bi_scan_job_get_state (job);
  g_autofree char *detail = NULL;

  for (guint i = 0; i < BAR_WIDTH; i++)
    bar[i] = i < filled ? '#' : '-';
  bar[BAR_WIDTH] = '\0';

  if (state == BI_SCAN_JOB_STATE_UPLOADING && bi_scan_job_get_bytes_total (job) > 0)
    detail = g_strdup_printf ("uploading %d%%",
                              (int) (100 * bi_scan_job_get_bytes_sent (job)
                                     / bi_scan_job_get_bytes_total (job)));
  else
    detail = g_strdup (bi_scan_job_state_to_string (state));

  fprintf (self->stream, "  %-*s [%s] %3d%%  %s\n", NAME_WIDTH, name, bar,
           (int) (fraction * 100 + 0.5), detail);
}

/* ---- live mode ---- */

/* Back to the top of the area drawn last time, and clear it. */
static void
erase_live_area (BiProgressView *self)
{
  if (self->drawn_lines > 0)
    fprintf (self->stream, "\033[%uA", self->drawn_lines);
  fprintf (self->stream, "\r\033[J");
  self->drawn_lines = 0;
}

static void
redraw (BiProgressView *self)
{
  guint n_jobs = g_list_model_get_n_items (self->jobs);
  guint complete = 0, failed = 0, running = 0, queued = 0;

  erase_live_area (self);

  /* Jobs that ended since: one permanent line each, above the redrawn area. */
  for (guint i = 0; i < n_jobs; i++)
    {
      g_autoptr(BiScanJob) job = g_list_model_get_item (self->jobs, i);

      if (bi_scan_job_is_terminal (job) && !g_hash_table_contains (self->reported, job))
        {
          g_autofree char *line = describe_terminal_job (job);

          fprintf (self->stream, "%s\n", line);
          g_hash_table_add (self->reported, job);
        }
    }

  for (guint i = 0; i < n_jobs; i++)
    {
      g_autoptr(BiScanJob) job = g_list_model_get_item (self->jobs, i);
      BiScanJobState state = bi_scan_job_get_state (job);

      if (state == BI_SCAN_JOB_STATE_COMPLETE)
        complete++;
      else if (state == BI_SCAN_JOB_STATE_FAILED)
        failed++;
      else if (state == BI_SCAN_JOB_STATE_QUEUED)
        queued++;
      else
        {
          running++;
          print_bar_line (self, job);
          self->drawn_lines++;
        }
    }

  fprintf (self->stream, "%u complete, %u failed, %u running, %u waiting\n", complete, failed,
           running, queued);
  self->drawn_lines++;
  fflush (self->stream);
}

static gboolean
redraw_cb (gpointer user_data)
{
  BiProgressView *self = user_data;

  self->redraw_source = 0;
  redraw (self);
  return G_SOURCE_REMOVE;
}

/* ---- plain mode ---- */

static void
report_state_change (BiProgressView *self,
                     BiScanJob      *job)
{
  BiScanJobState state = bi_scan_job_get_state (job);
  gpointer last;
  g_autofree char *line = NULL;

  /* States are stored +1 so that "queued" (0) differs from "never reported". */
  last = g_hash_table_lookup (self->reported, job);
  if (last != NULL && GPOINTER_TO_UINT (last) == (guint) state + 1)
    return;
  g_hash_table_insert (self->reported, job, GUINT_TO_POINTER ((guint) state + 1));

  if (bi_scan_job_is_terminal (job))
    line = describe_terminal_job (job);
  else
    {
      g_autofree char *name = printable_name (job, 0);

      line = g_strdup_printf ("%s: %s", name, bi_scan_job_state_to_string (state));
    }

  fprintf (self->stream, "%s\n", line);
  fflush (self->stream);
}

/* ---- watching ---- */

static void
job_notify_cb (BiScanJob  *job,
               GParamSpec *pspec,
               gpointer    user_data)
{
  BiProgressView *self = user_data;

  if (!self->live)
    {
      if (g_strcmp0 (pspec->name, "state") == 0)
        report_state_change (self, job);
      return;
    }

  if (self->redraw_source == 0)
    self->redraw_source = g_timeout_add (REDRAW_INTERVAL_MS, redraw_cb, self);
}

BiProgressView *
bi_progress_view_new (GListModel *jobs,
                      FILE       *stream,
                      gboolean    live)
{
  BiProgressView *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (jobs), NULL);
  g_return_val_if_fail (stream != NULL, NULL);

  self = g_new0 (BiProgressView, 1);
  self->jobs = g_object_ref (jobs);
  self->stream = stream;
  self->live = live;
  self->reported = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < g_list_model_get_n_items (jobs); i++)
    {
      g_autoptr(BiScanJob) job = g_list_model_get_item (jobs, i);

      g_signal_connect (job, "notify::state", G_CALLBACK (job_notify_cb), self);
      if (live)
        g_signal_connect (job, "notify::bytes-sent", G_CALLBACK (job_notify_cb), self);
    }

  if (live)
    redraw (self);
  return self;
}

static void
disconnect_jobs (BiProgressView *self)
{
  for (guint i = 0; i < g_list_model_get_n_items (self->jobs); i++)
    {
      g_autoptr(BiScanJob) job = g_list_model_get_item (self->jobs, i);

      g_signal_handlers_disconnect_by_data (job, self);
    }
}

void
bi_progress_view_note (BiProgressView *self,
                       const char     *line)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (line != NULL);

  if (self->live)
    erase_live_area (self);
  fprintf (self->stream, "%s\n", line);
  if (self->live)
    redraw (self);
  else
    fflush (self->stream);
}

void
bi_progress_view_finish (BiProgressView *self)
{
  g_return_if_fail (self != NULL);

  disconnect_jobs (self);
  g_clear_handle_id (&self->redraw_source, g_source_remove);
  if (self->live)
    redraw (self);
}

void
bi_progress_view_free (BiProgressView *self)
{
  if (self == NULL)
    return;

  disconnect_jobs (self);
  g_clear_handle_id (&self->redraw_source, g_source_remove);
  g_hash_table_unref (self->reported);
  g_object_unref (self->jobs);
  g_free (self);
}
