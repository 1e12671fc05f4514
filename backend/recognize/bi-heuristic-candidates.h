/* bi-heuristic-candidates.h — the built-in candidate generator: OCR lines → spines → guesses
 *
 * Lines read along a spine (rotated 90°/270°, or in tall narrow boxes) are grouped into
 * spines by horizontal overlap; other lines are grouped into blocks by proximity. Groups are
 * ordered left to right (top to bottom when stacked). In each group the title is the
 * longest, most confident line and the author a short line that looks like a name, when
 * there are several lines. Noise (fewer than two letters, confidence below 0.3) is dropped.
 * A BiCandidateGenerator port adapter; stateless, so one serves every thread.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bi-ports.h"

G_BEGIN_DECLS

/* Lines below this confidence are noise. */
#define BI_HEURISTIC_MIN_CONFIDENCE 0.3

typedef struct _BiHeuristicCandidates BiHeuristicCandidates;

BiHeuristicCandidates *bi_heuristic_candidates_new     (void);
void                   bi_heuristic_candidates_free    (BiHeuristicCandidates *self);

/* The port; valid as long as @self. */
BiCandidateGenerator  *bi_heuristic_candidates_as_port (BiHeuristicCandidates *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiHeuristicCandidates, bi_heuristic_candidates_free)

G_END_DECLS
