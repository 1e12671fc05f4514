/* bi-recognition-sets.h — the two photo sets of the recognition benchmark, run and scored
 *
 * Generated: synthetic photos of bi-shelf-generator.h, drawn by the worker threads just before
 * each is recognised (drawing is not timed), scored against the generator's ground truth.
 * Real: the shelf photos of the shared test data, scored against their ground-truth.tsv.
 * Shared by the benchmark and the accuracy floor test, so both measure the same way.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "bi-recognition-pipeline.h"
#include "bi-recognition-score.h"
#include "bi-shelf-books.h"

G_BEGIN_DECLS

typedef struct
{
  guint32     seed;
  guint       n_photos;
  guint       n_jobs;
  int         width;     /* every photo this size, or 0 for the generator's mix */
  int         height;
  const char *keep_dir;  /* also write the photos and ground-truth.tsv here, or NULL */
} BiGeneratedSetOptions;

/* @outcomes (optional) gets the photos' BiRecognitionOutcome, scored, in order. */
BiRecognitionScore *bi_recognition_run_generated (BiRecognitionPipeline        *pipeline,
                                                  BiShelfBookPool              *pool,
                                                  const BiGeneratedSetOptions  *options,
                                                  GPtrArray                   **outcomes,
                                                  GError                      **error);

/* @max_photos: 0 for all photos of the ground truth. */
BiRecognitionScore *bi_recognition_run_real      (BiRecognitionPipeline        *pipeline,
                                                  const char                   *photos_dir,
                                                  guint                         max_photos,
                                                  guint                         n_jobs,
                                                  GPtrArray                   **outcomes,
                                                  GError                      **error);

G_END_DECLS
