/* bi-spine-contrast.h — a spine's picture made black text on white, by its own contrast
 *
 * Tesseract binarises a page with one global threshold (Otsu). On a shelf that threshold falls
 * between the dark spines and the light ones, so a mid-grey spine with white text, or a light
 * grey one with grey text, becomes one solid slab, text and all (measured on the generated
 * shelves, docs/ocr.md). A spine cut out on its own is mapped by its own levels instead:
 * its median (the background) becomes white and its ink black, whether its text is darker or
 * lighter than its background; the levels between are either stretched or binarised.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <leptonica/allheaders.h>

G_BEGIN_DECLS

/* Which of a spine's two tails of grey levels is its ink. A spine may hold both strong: light
 * letters on a mid-grey spine beside a dark gap or a dark neighbour's corner; when the page
 * threshold hid one of them, that one is the text to stretch. */
typedef enum
{
  BI_SPINE_INK_FARTHER, /* the tail farther from the background */
  BI_SPINE_INK_DARK,
  BI_SPINE_INK_LIGHT,
  BI_SPINE_INK_BOTH,    /* both tails: a title printed in two colours, dark and light words on
                         * one mid-grey spine */
} BiSpineInk;

/* The grey levels of @strip's darkest and lightest tails and of its background (the median),
 * leaving out its sides and the rows at its ends that are not on the book (the dark space
 * above a short book, the board below); FALSE when it holds too little contrast to be
 * text. */
gboolean bi_spine_contrast_tails   (PIX *strip,
                                    int *dark,
                                    int *background,
                                    int *light);

/* The grey level of the tail @which names, of the levels bi_spine_contrast_tails() gave;
 * BI_SPINE_INK_BOTH gives the light one, whose side the map measures first. */
int      bi_spine_contrast_ink_level (BiSpineInk which,
                                      int        dark,
                                      int        background,
                                      int        light);

/* The rows of @strip (8 bpp, a standing spine cut out and straightened) that lie on the book,
 * from @first up to @last (excluded): a region spans its shelf row, and the rows at its ends
 * whose median lies far from the strip's (the dark space above a book shorter than its
 * neighbours, the board below) are not on it. FALSE when it holds no pixels to measure. */
gboolean bi_spine_contrast_book_rows (PIX *strip,
                                      int *first,
                                      int *last);

/* The grey levels of @strip's ink (the tail farther from the background) and background;
 * FALSE when it holds too little contrast to be text. */
gboolean bi_spine_contrast_levels  (PIX *strip,
                                    int *ink,
                                    int *background);

/* How a spine's levels are laid out once its ink is black and its background white. */
typedef enum
{
  BI_SPINE_TONES_STRETCHED, /* the levels between in proportion */
  BI_SPINE_TONES_BINARY,    /* black up to halfway from the ink to the background */
  BI_SPINE_TONES_LOCAL,     /* each neighbourhood stretched by its own darkest and lightest
                             * levels (tiles of half the strip's width), the ink made dark:
                             * light type beside dark type, which one map leaves pale */
} BiSpineTones;

/* Stretches @strip (8 bpp, a standing spine cut out and straightened: its text runs along its
 * height) in place so that its @ink becomes black and its background white; FALSE, leaving it
 * as it was, when it holds too little contrast to be text. */
gboolean bi_spine_contrast_stretch  (PIX        *strip,
                                     BiSpineInk  ink);

/* Makes @strip black where it lies nearer its @ink than its background and white elsewhere,
 * in place: the speckle of a noisy spine and the grey bands at its edges, which a stretch
 * leaves grey, are gone. FALSE, leaving it as it was, when it holds too little contrast to be
 * text. */
gboolean bi_spine_contrast_binarise (PIX        *strip,
                                     BiSpineInk  ink);

/* Maps @strip in place as @tones says, by the ink and background levels of @sample (8 bpp,
 * a part of @strip): a strip cut out longer than its book (bi_strip_page_set_reach) would
 * otherwise take its levels from the neighbours it reaches over. FALSE, leaving it as it was,
 * when @sample holds too little contrast to be text. */
gboolean bi_spine_contrast_map_by   (PIX          *strip,
                                     PIX          *sample,
                                     BiSpineInk    ink,
                                     BiSpineTones  tones);

/* The level that splits @grey's histogram in two (Otsu), as Tesseract's own binarisation of a
 * whole page does. */
int      bi_spine_contrast_page_threshold (PIX *grey);

G_END_DECLS
