/* bi-reading-place.h — whether a line read is another reading of a place already read
 *
 * The OCR engine reads a photo several times (upright, each quarter turn, spines again on
 * pages of their own) and keeps, for each place, the best reading only: the garbage read from a
 * spine at its wrong turn loses to the title read at the right one. These rules say when a
 * reading kept takes a later one's place, and when the later one reads something else:
 *
 * - text of other books too: a line running well past the region of the line kept in its
 *   place, read across two rows of a shelf;
 * - another spine: a line read again on its own spine's page, against a line kept on a
 *   neighbouring spine whose box its box overlaps (the boxes are upright, the spines lean);
 * - more text: a line whose length the lines kept in its place cover less than half of. A
 *   library label or an author read with confidence inside the box of a title read along a
 *   leaning spine no longer hides the title (docs/ocr.md, "Titles hidden by a word").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bi-ports.h"

G_BEGIN_DECLS

/* Two readings are of the same place when this share of the smaller box is covered by both. */
#define BI_READING_PLACE_OVERLAP 0.40

/* Whether @a and @b overlap over BI_READING_PLACE_OVERLAP of the smaller box. */
gboolean bi_reading_place_overlaps (const BiOcrLine   *a,
                                    const BiOcrLine   *b);

/* Whether @result's lines already hold @candidate's place, so that @candidate, a worse reading,
 * is to be dropped. @candidate's and the lines' regions index @result's regions (-1: none). */
gboolean bi_reading_place_taken    (const BiOcrResult *result,
                                    const BiOcrLine   *candidate);

G_END_DECLS
