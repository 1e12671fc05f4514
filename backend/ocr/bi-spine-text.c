/* bi-spine-text.c — what the lines read along a spine say about its text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-spine-text"

#include "bi-spine-text.h"
#include "bi-ocr-order.h"

#include <math.h>
#include <string.h>

double
bi_spine_text_line_thickness (const BiOcrLine *line,
                              double           angle)
{
  double across, along, lean, thickness;

  g_return_val_if_fail (line != NULL, 1.0);

  across = MIN (line->width, line->height);
  along = MAX (line->width, line->height);
  lean = fabs (angle) * G_PI / 180.0;
  if (lean >= G_PI / 4.0)
    return MAX (across, 1.0);
  /* A band @thickness across and @length along, turned by @lean, stands in an upright box
   * thickness·cos + length·sin across and length·cos + thickness·sin along. */
  thickness = (across * cos (lean) - along * sin (lean)) / cos (2.0 * lean);
  return MAX (thickness, 1.0);
}

/* Whether @line, of @result, lies in region @index, read sideways, and counts. */
static gboolean
counts_in_region (const BiOcrLine *line,
                  guint            index,
                  BiOcrLineTest    counts)
{
  return line->region == (int) index && (line->angle == 90 || line->angle == 270) &&
         counts (line);
}

double
bi_spine_text_thickness (const BiOcrResult *result,
                         guint              index,
                         BiOcrLineTest      counts)
{
  g_autoptr (GArray) thickness = g_array_new (FALSE, FALSE, sizeof (double));
  const BiOcrRegion *region;

  g_return_val_if_fail (result != NULL && counts != NULL, 0);
  g_return_val_if_fail (index < result->regions->len, 0);

  region = &g_array_index (result->regions, BiOcrRegion, index);
  for (guint i = 0; i < result->lines->len; i++)
    {
      const BiOcrLine *line = g_ptr_array_index (result->lines, i);
      double across;

      if (!counts_in_region (line, index, counts))
        continue;
      across = bi_spine_text_line_thickness (line, region->angle);
      g_array_append_val (thickness, across);
    }
  if (thickness->len == 0)
    return 0;
  return bi_ocr_median_double (thickness);
}

int
bi_spine_text_quarter_turns (const BiOcrResult *result,
                             guint              index,
                             BiOcrLineTest      counts)
{
  int balance = 0;

  g_return_val_if_fail (result != NULL && counts != NULL, 0);

  for (guint i = 0; i < result->lines->len; i++)
    {
      const BiOcrLine *line = g_ptr_array_index (result->lines, i);

      if (counts_in_region (line, index, counts))
        balance += (line->angle == 90) - (line->angle == 270);
    }
  return balance > 0 ? 1 : balance < 0 ? 3 : 0;
}

/* Whether a line of region @index that @counts holds a confidence under @confidence: its
 * own, or with @by_weakest_word that of its least sure word. */
static gboolean
region_has_line_under (const BiOcrResult *result,
                       guint              index,
                       BiOcrLineTest      counts,
                       double             confidence,
                       gboolean           by_weakest_word)
{
  g_return_val_if_fail (result != NULL && counts != NULL, FALSE);

  for (guint i = 0; i < result->lines->len; i++)
    {
      const BiOcrLine *line = g_ptr_array_index (result->lines, i);
      double sureness = by_weakest_word ? line->weakest_word : line->confidence;

      if (counts_in_region (line, index, counts) && sureness < confidence)
        return TRUE;
    }
  return FALSE;
}

gboolean
bi_spine_text_has_doubt (const BiOcrResult *result,
                         guint              index,
                         BiOcrLineTest      counts,
                         double             confidence)
{
  return region_has_line_under (result, index, counts, confidence, FALSE);
}

gboolean
bi_spine_text_has_doubtful_word (const BiOcrResult *result,
                                 guint              index,
                                 BiOcrLineTest      counts,
                                 double             confidence)
{
  return region_has_line_under (result, index, counts, confidence, TRUE);
}

guint
bi_spine_text_drop_sideways (GPtrArray *lines,
                             int        index,
                             double     confidence,
                             guint      max_characters)
{
  guint dropped = 0;

  g_return_val_if_fail (lines != NULL, 0);

  for (guint i = 0; i < lines->len; i++)
    {
      const BiOcrLine *line = g_ptr_array_index (lines, i);

      if (line->region == index && (line->angle == 90 || line->angle == 270) &&
          line->kind == BI_OCR_LINE_TEXT && line->confidence < confidence &&
          bi_ocr_count_characters (line->text) <= max_characters)
        {
          g_ptr_array_remove_index (lines, i--);
          dropped++;
        }
    }
  return dropped;
}

/* Whether @folded (a case-folded text) is part of a line of @lines in region @index. */
static gboolean
region_holds_text (const GPtrArray *lines,
                   int              index,
                   const char      *folded)
{
  for (guint i = 0; i < lines->len; i++)
    {
      const BiOcrLine *line = g_ptr_array_index ((GPtrArray *) lines, i);
      g_autofree char *held = NULL;

      if (line->region != index || line->kind != BI_OCR_LINE_TEXT)
        continue;
      held = g_utf8_casefold (line->text, -1);
      if (strstr (held, folded) != NULL)
        return TRUE;
    }
  return FALSE;
}

guint
bi_spine_text_drop_repeated (GPtrArray       *readings,
                             const GPtrArray *lines)
{
  guint dropped = 0;

  g_return_val_if_fail (readings != NULL && lines != NULL, 0);

  for (guint i = 0; i < readings->len; i++)
    {
      const BiOcrLine *reading = g_ptr_array_index (readings, i);
      g_autofree char *folded = g_utf8_casefold (reading->text, -1);

      if (reading->region >= 0 && region_holds_text (lines, reading->region, folded))
        {
          g_ptr_array_remove_index (readings, i--);
          dropped++;
        }
    }
  return dropped;
}
