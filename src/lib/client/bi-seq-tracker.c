/* bi-seq-tracker.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-seq-tracker"

#include "bi-seq-tracker.h"

typedef struct
{
  gint64   last_seq; /* highest seq taken; 0 before the first push */
  gboolean terminal; /* a terminal push was taken: the job is over */
} JobSeq;

struct _BiSeqTracker
{
  GHashTable *jobs; /* job id → JobSeq */
};

BiSeqTracker *
bi_seq_tracker_new (void)
{
  BiSeqTracker *self = g_new0 (BiSeqTracker, 1);

  self->jobs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return self;
}

void
bi_seq_tracker_free (BiSeqTracker *self)
{
  if (self == NULL)
    return;

  g_hash_table_unref (self->jobs);
  g_free (self);
}

gboolean
bi_seq_tracker_accept (BiSeqTracker *self,
                       const char   *job_id,
                       gint64        seq,
                       gboolean      terminal)
{
  JobSeq *job;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (job_id != NULL, FALSE);

  job = g_hash_table_lookup (self->jobs, job_id);
  if (job == NULL)
    {
      job = g_new0 (JobSeq, 1);
      g_hash_table_insert (self->jobs, g_strdup (job_id), job);
    }

  if (job->terminal)
    return FALSE;
  if (!terminal && seq <= job->last_seq)
    return FALSE;

  job->last_seq = MAX (job->last_seq, seq);
  job->terminal = terminal;
  return TRUE;
}

gboolean
bi_seq_tracker_is_terminal (BiSeqTracker *self,
                            const char   *job_id)
{
  JobSeq *job;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (job_id != NULL, FALSE);

  job = g_hash_table_lookup (self->jobs, job_id);
  return job != NULL && job->terminal;
}
