/* bi-label-band.h — where a library shelf's call-number labels lie, to read them again
 *
 * A public library sticks a small white label near the bottom of every spine with its call
 * number: a class number and a three-letter author code ("796.34 Cas", "N Pam"), printed
 * along the spine. The library's catalog has that number for every book, so a label read
 * right names the book. On a 12 MP photo read at half size its letters are ~15 px thick and
 * mostly lost; the band of the shelf row that holds them is small enough to read again at
 * full size. This module says whether the whole-photo reading found such labels and, if so,
 * which bands to read (docs/ocr.md, "Library labels").
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "bi-ocr-geometry.h"
#include "bi-ports.h"

G_BEGIN_DECLS

/* Call numbers that make a photo a library shelf: one could be a title such as "451 Fahr"
 * read short; two are labels. */
#define BI_LABEL_BAND_MIN_LABELS 2

/* Whether @text reads as a call number: a class number ("796.34", "796(03)", "821-3"), a
 * collection's capital letters ("N", "JN") or both, then a capitalised three-letter author
 * code ("Cas"), and nothing else. */
gboolean  bi_label_band_is_call_number (const char *text);

/* The length, in bytes, of the call number @text ends with ("4: 796.325 Ken" → 11, from
 * "796.325 Ken"), 0 when it ends with none: Tesseract often reads a speck before a label. The
 * longer of two readings of one label holds more of its class number. */
gsize     bi_label_band_call_number_length (const char *text);

/* The bands (BiPixelBox, in the photo's pixels) of @result's shelf rows where the labels of
 * the spines lie, one per row of standing spine regions; empty when fewer than
 * BI_LABEL_BAND_MIN_LABELS lines on those spines are call numbers. */
GArray   *bi_label_band_find           (const BiOcrResult *result);

/* The clockwise quarter turns (1 or 3) that make most of the call numbers read in @result
 * upright: the labels' main direction. */
int       bi_label_band_main_turn      (const BiOcrResult *result);

G_END_DECLS
