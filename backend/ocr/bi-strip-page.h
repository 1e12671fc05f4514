/* bi-strip-page.h — spines cut out of a photo, straightened and stacked on one page for OCR
 *
 * Reading each spine on its own costs Tesseract's fixed start-up per picture, dozens of times
 * per photo. Instead every region is cut out, turned upright by its tilt, scaled so its text
 * is the size Tesseract reads best, turned a quarter (so a spine's text runs left to right)
 * and laid on one page below the others, with white space between them that Tesseract's layout
 * analysis does not bridge. A line read on the page is mapped back, through the same steps in
 * reverse, to the photo and to the region it came from. Each strip is made black text on white
 * by its own contrast (bi-spine-contrast.h), which the whole photo's single threshold cannot
 * do.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <leptonica/allheaders.h>

#include "bi-ocr-geometry.h"
#include "bi-spine-contrast.h"
#include "bi-ports.h"

G_BEGIN_DECLS

typedef struct _BiStripPage BiStripPage;

/* @quarter_turns: how far every strip is turned clockwise after it is straightened; @tones:
 * how its levels between ink and background are laid out. */
BiStripPage *bi_strip_page_new     (int                quarter_turns,
                                    BiSpineTones       tones);
void         bi_strip_page_free    (BiStripPage       *page);

/* With @clear_ends, every strip added from then on has the rows at its ends that are not on
 * the book (bi_spine_contrast_book_rows) made white once its levels are mapped (not when it
 * holds too little contrast to map). Binarised, the dark space above a short book or the
 * board below it comes out as a black slab at the end of the strip, and Tesseract took a
 * title framed by it and the dark edges along the strip for a picture. Off by default: on
 * the pages of spines that read nothing at all, it read 2 titles fewer on the 20 generated
 * photos. */
void         bi_strip_page_set_clear_ends    (BiStripPage       *page,
                                              gboolean           clear_ends);

/* Every strip lying flat added from then on is cut out @reach of its thickness longer at each
 * end (within the photo), and mapped by the levels of the region alone: a book lying in a
 * stack often reaches past the stack's sides, and its title starts near that end; the
 * neighbours it reaches over would otherwise set its levels (photo 07 of the benchmark's
 * held-out seed 2: "Souricette" binarised into a white slab). 0 by default. */
void         bi_strip_page_set_reach         (BiStripPage       *page,
                                              double             reach);

int          bi_strip_page_get_quarter_turns (const BiStripPage *page);

/* Cuts @region (in @grey's pixels) out of @grey, straightens it by its angle (not for a strip
 * lying flat, angle 90), scales it by @scale, maps it to dark text on white (its @ink black,
 * in the page's tones), turns it, and adds it below the others. @index is what
 * bi_strip_page_map_box() returns for its lines. */
gboolean     bi_strip_page_add     (BiStripPage       *page,
                                    PIX               *grey,
                                    const BiOcrRegion *region,
                                    int                index,
                                    double             scale,
                                    BiSpineInk         ink);

/* Adds the strip last added to @from to @page as bi_strip_page_add() would have added it,
 * turned to @page's quarter turns; both pages must lay their strips out alike (tones, ends,
 * reach). A spine read at both turns is so cut, straightened and mapped once. FALSE when
 * @from holds no strip. */
gboolean     bi_strip_page_add_last_of (BiStripPage       *page,
                                        const BiStripPage *from);
/* @region (in @grey's pixels) cut out of @grey, scaled by @scale and straightened by its angle
 * (not for a strip lying flat), as bi_strip_page_add() lays it on the page before mapping
 * its levels; NULL when it holds no pixels. */
PIX         *bi_strip_cut_straight (PIX               *grey,
                                    const BiOcrRegion *region,
                                    double             scale);

guint        bi_strip_page_get_n_strips (const BiStripPage *page);

/* The page, or NULL when it holds no strip. The page keeps it. 8 bpp, or 1 bpp (black
 * text) when every strip on it is binarised and it is mostly white: Tesseract reads the same
 * from both, without thresholding the second. */
PIX         *bi_strip_page_render  (BiStripPage       *page);

/* The strip @box (in the page's pixels) lies on: its index, with @box mapped back to the grey
 * picture's pixels in @mapped; -1 when the box lies on no strip or across two. */
int          bi_strip_page_map_box (const BiStripPage *page,
                                    BiPixelBox         box,
                                    BiPixelBox        *mapped);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiStripPage, bi_strip_page_free)

G_END_DECLS
