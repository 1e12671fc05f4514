/* bi-spine-detector.h — finds the shelf rows, the books' spines and covers in a grey photo
 *
 * The candidates stage makes one book of each region, so a region must hold one book's lines
 * and no other's. The detector works on a small copy of the picture and its edges, helped by
 * the text read from the photo: shelf rows are the horizontal bands full of near-vertical
 * edges (spines and their text), and within a row the boundaries between books are the lines,
 * tilted up to ±15°, along which the brightness changes the same way from top to bottom (the
 * edge of a spine against its neighbour or the shelf). Letters make such edges only along the
 * sides of a line of text; the lines read say where those are, and where two columns of text
 * lie too far apart, or on grounds too different, to be one spine's. A wide strip with strong horizontal boundaries inside
 * is a stack of books lying flat; a picture whose text runs across wide strips is of covers.
 * The spines of a row are of a few widths: a strip much wider than the row's median spine is
 * split at its runs of empty shelf or, with the text at hand, at its strongest edge through no
 * text; two slivers that together make one spine are joined.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <leptonica/allheaders.h>

#include "bi-ports.h"

G_BEGIN_DECLS

/* Returns a GArray of BiOcrRegion in @grey's pixels, in shelf order (rows top to bottom, left
 * to right within a row; a stack top to bottom); empty when nothing book-like was found.
 * @grey: 8 bpp, no colormap, of any size.
 * @lines: (nullable): BiOcrLine read from the photo, boxes in @grey's pixels. Text places the
 * books better than edges alone: a boundary never runs through a line of sideways text, two
 * text columns with an edge between them are two books, and a picture whose text is mostly
 * sideways is one of spines, however few and wide, never of covers. */
GArray *bi_spine_detector_find (PIX             *grey,
                                const GPtrArray *lines);

G_END_DECLS
