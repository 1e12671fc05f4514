/* bi-spine-text.h — what the lines read along a spine say about its text
 *
 * A spine read again is cut out, straightened and scaled before Tesseract reads it. Scaled by
 * the spine's width, a wide spine with a small title comes out with letters too small to read
 * whole ("FOR WHOM THE BELL TOLLS", two serif lines on a cream spine of a home shelf, read in
 * three pieces). The lines already read on a spine tell the size of its text whatever its
 * width (the thickness across of a line read along it; a line along a leaning spine has an
 * upright box widened by its lean, which is taken off), which way it runs, and whether some
 * of it was read doubtfully. A spine whose words were read across it holds, read along it,
 * only those words at the wrong turn.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "bi-ports.h"

G_BEGIN_DECLS

/* Which lines of a spine count for a measure. */
typedef gboolean (*BiOcrLineTest) (const BiOcrLine *line);

/* The thickness across of @line, read along a strip leaning @angle degrees (its region's
 * angle, under 45° either way): the short side of its upright box, less what the lean adds to
 * it along the line's length. At least 1. */
double   bi_spine_text_line_thickness (const BiOcrLine   *line,
                                       double             angle);

/* The median thickness (bi_spine_text_line_thickness) of the lines of @result in region
 * @index read sideways (at 90° or 270°) that @counts accepts; 0 when there is none. */
double   bi_spine_text_thickness      (const BiOcrResult *result,
                                       guint              index,
                                       BiOcrLineTest      counts);

/* The quarter turn clockwise that stands the text of region @index upright, as the lines
 * that @counts accepts read sideways mostly do (1 for those read at 90°, 3 at 270°); 0 when
 * they do not tell. */
int      bi_spine_text_quarter_turns  (const BiOcrResult *result,
                                       guint              index,
                                       BiOcrLineTest      counts);

/* Whether region @index holds a line that @counts accepts read under @confidence. */
gboolean bi_spine_text_has_doubt      (const BiOcrResult *result,
                                       guint              index,
                                       BiOcrLineTest      counts,
                                       double             confidence);

/* Whether region @index holds a line that @counts accepts holding a word read under
 * @confidence (its weakest_word): a line's confidence is its words' mean, and one garbled word
 * between two sure ones ("HAAVE NEW WORLD", 0.91, "HAAVE" 0.79) is a doubt too. */
gboolean bi_spine_text_has_doubtful_word (const BiOcrResult *result,
                                          guint              index,
                                          BiOcrLineTest      counts,
                                          double             confidence);

/* Drops from @lines those of region @index read sideways (at 90° or 270°) under @confidence
 * holding at most @max_characters letters or digits: the garbage of a spine whose text runs
 * across it, read at the wrong turn, comes in short pieces; a longer line is text along the
 * spine beside the words across it. Returns how many it dropped. */
guint    bi_spine_text_drop_sideways  (GPtrArray         *lines,
                                       int                index,
                                       double             confidence,
                                       guint              max_characters);

/* Drops from @readings (a spine read again) those whose text, case-folded, a line of @lines
 * in their region holds already: a line left unpainted for a doubtful word ("Platero y yo
 * Juan Ramén Jiménez", "Ramén" under 0.85), read again in part ("Platero y yo"), would have
 * its title twice, and a title read twice matched a longer one of the catalog. Returns how
 * many it dropped. */
guint    bi_spine_text_drop_repeated  (GPtrArray         *readings,
                                       const GPtrArray   *lines);

G_END_DECLS
