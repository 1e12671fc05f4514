/* bi-text-mask.h — text already read, painted out before the photo is read again
 *
 * The OCR engine reads one photo several times (upright, a quarter turn each way, larger).
 * Tesseract's time follows the candidate text on the page, not its pixels: a spine read
 * confidently at its right turn costs as much again at the wrong one, where it only yields
 * garbage that loses to the first reading. Painting such lines over with their own background
 * before the next pass saves that time (docs/ocr.md, "Speed and recall").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <leptonica/allheaders.h>

#include "bi-ports.h"

G_BEGIN_DECLS

/* Paints over, in @page (8 bpp, the photo reduced by @scale: a box in the photo's pixels times
 * @scale is a box in @page's), each line of @lines for which @is_read says yes, with the median
 * grey of its box: a line's ink covers a minority of its box, so that is its background, and
 * the paint leaves no edge for Tesseract to find. Returns how many lines it painted over. */
guint bi_text_mask_paint (PIX              *page,
                          double            scale,
                          const GPtrArray  *lines,
                          gboolean        (*is_read) (const BiOcrLine *line));

G_END_DECLS
