/* bi-progress-view.h — shows the jobs of a scan on a terminal stream
 *
 * Live mode (a terminal): a bar per running job and a summary line, redrawn in place with
 * ANSI escapes at most ten times a second; each job that ends leaves one line above them.
 * Plain mode (a pipe or file): one line per state change, nothing redrawn.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <stdio.h>

G_BEGIN_DECLS

typedef struct _BiProgressView BiProgressView;

/* @jobs: a GListModel of BiScanJob, watched from now on. */
BiProgressView *bi_progress_view_new    (GListModel     *jobs,
                                         FILE           *stream,
                                         gboolean        live);
/* Prints @line (a note such as "reconnecting") above the live area, or as a plain line. */
void            bi_progress_view_note   (BiProgressView *self,
                                         const char     *line);
/* Draws the final state and stops watching. */
void            bi_progress_view_finish (BiProgressView *self);
void            bi_progress_view_free   (BiProgressView *self);

/* TRUE when @stream is a terminal that understands cursor movement. */
gboolean        bi_progress_view_stream_is_live (FILE *stream);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiProgressView, bi_progress_view_free)

G_END_DECLS
