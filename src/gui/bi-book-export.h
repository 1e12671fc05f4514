/* bi-book-export.h — the window's books written in an export format, off the main thread
 *
 * The books of the list (BiBook, as reviewed) become BiExportBook records, the same book seen on
 * several photos merged into one (src/lib/export's merge rules), and a worker thread writes them
 * to a file (replaced atomically). Books a format cannot hold are handed back, never dropped.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "bi-export.h"

G_BEGIN_DECLS

/* The format's name for people, translated ("Goodreads CSV", "BibTeX", …). */
const char *bi_book_format_get_label      (BiBookFormat   format);

/* @books: a GListModel of BiBook. Returns the merged BiExportBook records (free func
 * bi_export_book_unref), in the order each book was first seen. */
GPtrArray  *bi_book_export_collect        (GListModel    *books);

/* Writes @export_books (from bi_book_export_collect()) to @file in a worker thread. */
void        bi_book_export_write_async    (BiBookFormat         format,
                                           GPtrArray           *export_books,
                                           GFile               *file,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data);
/* @n_written: books written; @skipped (optional): the BiExportSkip list of books left out. */
gboolean    bi_book_export_write_finish   (GAsyncResult        *result,
                                           guint               *n_written,
                                           GPtrArray          **skipped,
                                           GError             **error);

G_END_DECLS
