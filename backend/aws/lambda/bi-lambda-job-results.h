/* bi-lambda-job-results.h — a job's terminal push in AWS mode, and where its result is stored
 *
 * The seq rule: in AWS mode the stages run in separate functions with no shared counter, so
 * every push of a job has a seq fixed by what it says (bi-lambda-progress.h): progress 1–8,
 * and the terminal message always BI_LAMBDA_TERMINAL_SEQ — the seq the embedded server gives
 * a job whose four stages each reported started and finished. A duplicate (SNS delivers at
 * least once; a late subscriber reads the stored result while a push is on its way) has the
 * same seq, and clients take a job's terminal message once whatever its seq
 * (bi-seq-tracker.h). No per-job counter in DynamoDB is needed for that.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bi-ports.h"
#include "bi-protocol-messages.h"

G_BEGIN_DECLS

#define BI_LAMBDA_TERMINAL_SEQ (2 * BI_N_STAGES + 1)
#define BI_LAMBDA_RESULTS_DOCUMENT "final-results.json"

/* "<jobId>/final-results.json" */
char     *bi_lambda_results_key          (const char  *job_id);

/* The stored final-results.json of @job_id (complete or failed), or NULL without an error
 * when the job has not finished. */
GBytes   *bi_lambda_results_get          (BiBlobStore *results_store,
                                          const char  *job_id,
                                          GError     **error);

/* The push for a topic message (or stored results document) about @job_id: processingComplete
 * or processingFailed with BI_LAMBDA_TERMINAL_SEQ. A push over API Gateway's frame limit is
 * slimmed (bi_lambda_push_slim). */
char     *bi_lambda_terminal_push_new    (const char  *job_id,
                                          JsonNode    *topic_message,
                                          GError     **error);

/* A processingComplete too large for one frame: its results keep every member but "books"
 * and "unresolved", and gain "resultsTruncated": true, so the client fetches the whole
 * document with GET /results/<jobId> (its location is in "resultsLocation"). */
char     *bi_lambda_push_slim            (const char  *job_id,
                                          JsonNode    *topic_message);

G_END_DECLS
