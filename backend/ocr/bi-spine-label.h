/* bi-spine-label.h — one spine's library label, cut out tight to be read on its own
 *
 * The label bands (bi-label-band.h) are read whole, and Tesseract reads most labels there.
 * Some it cannot: a small, light label on a dark spine is a white patch in a dark band, and
 * Tesseract's layout analysis takes the patch for a picture ("796(09) Bro" on llabres_one's
 * dark "Remando como un solo hombre": nothing read in the band, 0.87 cut out alone). This
 * module finds where such a spine's label lies in its band: the largest box of paper on
 * the straightened spine, closed over its print (docs/ocr.md, round 17).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <leptonica/allheaders.h>

#include "bi-ports.h"

G_BEGIN_DECLS

/* The part of the leaning strip @region (in @grey's pixels) between rows @top and @bottom
 * (excluded): a bounding box and the same tilt, whose middle follows the strip's axis. FALSE
 * when they do not cross. */
gboolean bi_spine_label_rows_of (const BiOcrRegion *region,
                                 int                top,
                                 int                bottom,
                                 BiOcrRegion       *part);

/* The labels on @part (in @grey's pixels, a spine's part that holds its label: see
 * bi_spine_label_rows_of; a region of several spines, @spine_width wide each, may hold
 * several), as BiOcrRegion, the largest first, each less a margin across: of the boxes of the
 * straightened strip's paper (its lightest levels, light enough to be paper), closed over
 * their print, those shaped as a label. None when there is no paper, a light box is too
 * small, too long or mostly print, or the strip is light all along (a white spine: its label
 * cannot be told from it, and the band reads both alike). @spine_width: 0 for the part's
 * own width. */
GArray  *bi_spine_label_find_all (PIX               *grey,
                                  const BiOcrRegion *part,
                                  double             spine_width);

G_END_DECLS
