/* bi-test-ocr-lines.h — OCR results made by hand: standing spines and the lines read on them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bi-ports.h"

G_BEGIN_DECLS

/* A 400 × 1200 result holding two standing spines @spine_width px wide and 1000 px tall,
 * side by side from x = 100, the second leaning @second_lean degrees. */
BiOcrResult *bi_test_ocr_two_spines_new (int          spine_width,
                                         double       second_lean);

/* Adds to @result a line read at @angle with its upright box, filed in @region; the line
 * is @result's. */
BiOcrLine   *bi_test_ocr_add_line       (BiOcrResult *result,
                                         const char  *text,
                                         double       confidence,
                                         int          x,
                                         int          y,
                                         int          width,
                                         int          height,
                                         double       angle,
                                         int          region);

G_END_DECLS
