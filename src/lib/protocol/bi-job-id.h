/* bi-job-id.h — job ids: `job-<unix-ms>-<random>`
 *
 * The job id is the capability to read a job's results, so the random part comes from a
 * cryptographic source and is long enough not to be guessed.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Length of the random part of the ids we make (servers accept 6 to 64). */
#define BI_JOB_ID_RANDOM_LENGTH 24
/* Longest id a server accepts: "job-" + 16 digits + "-" + 64 characters. */
#define BI_JOB_ID_MAX_LENGTH (4 + 16 + 1 + 64)

char     *bi_job_id_new      (void);
gboolean  bi_job_id_validate (const char  *job_id,
                              GError     **error);

G_END_DECLS
