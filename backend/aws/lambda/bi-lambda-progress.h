/* bi-lambda-progress.h — a job's progress in AWS mode: published by the stage handlers through
 * the results topic, pushed by the sns-notifier
 *
 * Each handler publishes a jobProgress message (the push itself, ARCHITECTURE.md's frame)
 * when a stage starts a job's message and when it finishes it. Its seq is fixed by
 * (stage, state), as the embedded server numbers a job whose stages run in order:
 * uploaded started 1, finished 2, ocr 3/4, candidates 5/6, validation 7/8, and the terminal
 * message 9 (BI_LAMBDA_TERMINAL_SEQ). So a redelivered message (SQS and SNS deliver at
 * least once) republishes the same seqs, and the client's seq tracker drops the duplicates;
 * SNS does not keep order either, and a step that arrives after a later one is dropped as
 * stale, so a client may miss a step but never sees progress go backwards.
 *
 * Progress is advisory: failing to publish it is logged and does not fail the stage.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bi-ports.h"
#include "bi-protocol-messages.h"

G_BEGIN_DECLS

/* 2 × stage + 1 when started, + 2 when finished. */
gint64    bi_lambda_progress_seq     (BiStage      stage,
                                      gboolean     finished);

/* Publishes @job_id's progress to @topic; failures are only logged. */
void      bi_lambda_progress_publish (BiTopic     *topic,
                                      const char  *job_id,
                                      BiStage      stage,
                                      gboolean     finished);

/* Whether the topic message @text is a jobProgress message; if so @job_id is its job. */
gboolean  bi_lambda_progress_parse   (const char  *text,
                                      char       **job_id);

G_END_DECLS
