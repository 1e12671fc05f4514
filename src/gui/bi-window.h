/* bi-window.h — the main window: photos on the left, books in the middle, the spine on the right
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "bi-book-detail.h"
#include "bi-export.h"
#include "bi-scanner.h"

G_BEGIN_DECLS

#define BI_TYPE_WINDOW (bi_window_get_type ())
G_DECLARE_FINAL_TYPE (BiWindow, bi_window, BI, WINDOW, AdwApplicationWindow)

/* @application may be NULL (tests). */
BiWindow     *bi_window_new             (GtkApplication *application,
                                         BiScanner      *scanner);
BiScanner    *bi_window_get_scanner     (BiWindow       *self);
/* What a drop does: adds the files, folders by their photos. */
void          bi_window_add_files       (BiWindow       *self,
                                         GFile         **files,
                                         guint           n_files);
/* The books as shown (filtered and sorted), and their selection. */
GtkSingleSelection *bi_window_get_book_selection (BiWindow *self);
BiBookDetail *bi_window_get_book_detail (BiWindow       *self);
/* Edits the search as typing would: appends to or deletes from the end when @text extends or
 * shortens it (the entry's own delay applies), else replaces it. */
void          bi_window_set_search_text (BiWindow       *self,
                                         const char     *text);

/* What Export… does once a file is chosen: writes the books (merged across photos) in a worker
 * thread, then shows a toast, and a dialog listing the books the format left out. Returns (in
 * _finish) how many were left out, or -1 with @error. */
void          bi_window_export_async    (BiWindow            *self,
                                         BiBookFormat         format,
                                         GFile               *file,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data);
gssize        bi_window_export_finish   (BiWindow            *self,
                                         GAsyncResult        *result,
                                         GError             **error);

/* The list of unresolved spines (rows are BiSpineRow), for tests. */
GtkListView  *bi_window_get_unresolved_list (BiWindow      *self);
/* The parameter of win.undo-remove (the action of a removal's Undo toast) for @book. */
char         *bi_window_dup_undo_key    (BiBook              *book);
/* Shows the "books" or the "unresolved" page. */
void          bi_window_show_page       (BiWindow            *self,
                                         const char          *name);

G_END_DECLS
