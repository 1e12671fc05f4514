/* bi-test-ocr-lines.c — OCR results made by hand: standing spines and the lines read on them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-test-ocr-lines.h"

BiOcrResult *
bi_test_ocr_two_spines_new (int    spine_width,
                            double second_lean)
{
  BiOcrResult *result = bi_ocr_result_new (400, 1200);
  BiOcrRegion regions[] = {
    { 100, 100, spine_width, 1000, 0.0, BI_OCR_REGION_SPINE },
    { 100 + spine_width, 100, spine_width, 1000, second_lean, BI_OCR_REGION_SPINE },
  };

  g_array_append_vals (result->regions, regions, G_N_ELEMENTS (regions));
  return result;
}

BiOcrLine *
bi_test_ocr_add_line (BiOcrResult *result,
                      const char  *text,
                      double       confidence,
                      int          x,
                      int          y,
                      int          width,
                      int          height,
                      double       angle,
                      int          region)
{
  BiOcrLine *line = bi_ocr_line_new (text, confidence, x, y, width, height, angle);

  line->region = region;
  g_ptr_array_add (result->lines, line);
  return line;
}
