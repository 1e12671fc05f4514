/* bi-seq-tracker.h — drops duplicate and stale pushes by their per-job `seq`
 *
 * Pushes are delivered at least once (a resubscribe after a reconnect replays the terminal
 * message, and the GET /results fallback may race it), so the same event can arrive twice.
 * A push is new when its seq is above the highest seen for its job. A terminal push is taken
 * once per job whatever its seq — it carries the job's only outcome, and a server restored
 * from a backup may number its pushes afresh — and nothing about that job is taken after it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _BiSeqTracker BiSeqTracker;

BiSeqTracker *bi_seq_tracker_new         (void);
void          bi_seq_tracker_free        (BiSeqTracker *self);

/* TRUE when the push is new and must be handled; FALSE for a duplicate or stale one. */
gboolean      bi_seq_tracker_accept      (BiSeqTracker *self,
                                          const char   *job_id,
                                          gint64        seq,
                                          gboolean      terminal);
gboolean      bi_seq_tracker_is_terminal (BiSeqTracker *self,
                                          const char   *job_id);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiSeqTracker, bi_seq_tracker_free)

G_END_DECLS
