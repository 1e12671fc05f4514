/* bi-book-export.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-book-export"

#include "config.h"

#include "bi-book-export.h"

#include <glib/gi18n.h>

#include "bi-book.h"
#include "bi-export-merge.h"

typedef struct
{
  BiBookFormat  format;
  GPtrArray    *books;     /* of BiExportBook */
  GFile        *file;
  guint         n_written; /* set by the worker */
  GPtrArray    *skipped;   /* of BiExportSkip, filled by the worker */
} WriteData;

static void
write_data_free (WriteData *data)
{
  g_ptr_array_unref (data->books);
  g_object_unref (data->file);
  g_ptr_array_unref (data->skipped);
  g_free (data);
}

static BiExportBook *
export_book_from_book (BiBook *book)
{
  BiExportBook *record = bi_export_book_new (bi_book_get_title (book));
  const char *isbn13 = bi_book_get_isbn13 (book);

  g_strfreev (record->authors);
  record->authors = g_strdupv ((char **) bi_book_get_author_list (book));
  record->year = bi_book_get_year (book);
  record->isbn13 = isbn13 != NULL && *isbn13 != '\0' ? g_strdup (isbn13) : NULL;
  record->confidence = bi_book_get_confidence (book);
  g_free (record->source);
  record->source = g_strdup (bi_book_get_source (book));
  g_free (record->source_id);
  record->source_id = g_strdup (bi_book_get_source_id (book));
  bi_export_book_add_sighting (record, bi_book_get_photo_name (book),
                               bi_book_get_position (book), bi_book_get_evidence_text (book),
                               bi_book_get_confidence (book));
  return record;
}

static void
write_thread (GTask        *task,
              gpointer      source_object,
              gpointer      task_data,
              GCancellable *cancellable)
{
  WriteData *data = task_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileOutputStream) stream = NULL;

  /* Replaced atomically: a failed export leaves the old file as it was. */
  stream = g_file_replace (data->file, NULL, FALSE, G_FILE_CREATE_NONE, cancellable, &error);
  if (stream == NULL
      || !bi_export_write_to_stream (data->format, data->books, G_OUTPUT_STREAM (stream),
                                     data->skipped, &data->n_written, cancellable, &error)
      || !g_output_stream_close (G_OUTPUT_STREAM (stream), cancellable, &error))
    {
      g_autofree char *name = g_file_get_parse_name (data->file);

      g_task_return_new_error (task, error->domain, error->code,
                               _("Could not write “%s”: %s"), name, error->message);
      return;
    }
  g_task_return_boolean (task, TRUE);
}

const char *
bi_book_format_get_label (BiBookFormat format)
{
  switch (format)
    {
    case BI_BOOK_FORMAT_GOODREADS:
      return _("Goodreads (CSV)");
    case BI_BOOK_FORMAT_LIBIB:
      return _("Libib (CSV)");
    case BI_BOOK_FORMAT_CSV:
      return _("Spreadsheet (CSV)");
    case BI_BOOK_FORMAT_JSON:
      return _("JSON");
    case BI_BOOK_FORMAT_BIBTEX:
      return _("BibTeX");
    case BI_BOOK_FORMAT_RIS:
      return _("RIS (Zotero, EndNote)");
    case BI_BOOK_FORMAT_CSL_JSON:
      return _("CSL-JSON (Zotero, pandoc)");
    case BI_BOOK_FORMAT_TELLICO:
      return _("Tellico (XML)");
    case BI_BOOK_N_FORMATS:
    default:
      g_return_val_if_reached ("");
    }
}

GPtrArray *
bi_book_export_collect (GListModel *books)
{
  g_autoptr(GPtrArray) records = NULL;
  guint n;

  g_return_val_if_fail (G_IS_LIST_MODEL (books), NULL);

  n = g_list_model_get_n_items (books);
  records = g_ptr_array_new_full (n, (GDestroyNotify) bi_export_book_unref);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(BiBook) book = g_list_model_get_item (books, i);

      g_ptr_array_add (records, export_book_from_book (book));
    }
  return bi_export_merge (records);
}

void
bi_book_export_write_async (BiBookFormat         format,
                            GPtrArray           *export_books,
                            GFile               *file,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  WriteData *data;

  g_return_if_fail (format < BI_BOOK_N_FORMATS);
  g_return_if_fail (export_books != NULL);
  g_return_if_fail (G_IS_FILE (file));

  data = g_new0 (WriteData, 1);
  data->format = format;
  data->books = g_ptr_array_ref (export_books);
  data->file = g_object_ref (file);
  data->skipped = g_ptr_array_new_with_free_func ((GDestroyNotify) bi_export_skip_free);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, bi_book_export_write_async);
  g_task_set_task_data (task, data, (GDestroyNotify) write_data_free);
  g_task_run_in_thread (task, write_thread);
}

gboolean
bi_book_export_write_finish (GAsyncResult  *result,
                             guint         *n_written,
                             GPtrArray    **skipped,
                             GError       **error)
{
  WriteData *data;

  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  data = g_task_get_task_data (G_TASK (result));
  if (n_written != NULL)
    *n_written = data->n_written;
  if (skipped != NULL)
    *skipped = g_ptr_array_ref (data->skipped);
  return TRUE;
}
