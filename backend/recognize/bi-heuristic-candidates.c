/* bi-heuristic-candidates.c — the built-in candidate generator
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-heuristic-candidates"

#include "bi-heuristic-candidates.h"
#include "bi-call-number.h"
#include "bi-ocr-text.h"
#include "bi-printed-isbn.h"
#include "bi-publisher-marks.h"
#include "bi-span.h"
#include "bi-spine-text.h"

#include <math.h>

/* Lines of one spine overlap horizontally by at least this share of the narrower one. */
#define MIN_SPINE_OVERLAP 0.5
/* Rows of one block are at most this many line heights apart… */
#define MAX_BLOCK_ROW_GAP 0.8
/* …and pieces of one row (title and author along a lying spine) this many. */
#define MAX_BLOCK_WORD_GAP 2.0
/* Groups whose horizontal ranges overlap this much are stacked (ordered top to bottom). */
#define MIN_COLUMN_OVERLAP 0.5
/* Lines one after the other along a spine are at most this many line thicknesses apart
 * (the gap between a title and the author at the spine's foot); further apart, they stand
 * on different shelves. */
#define MAX_SPINE_GAP 6.0
/* Lines side by side on one spine (a title set on two lines, an author beside the title)
 * leave a gap of at most this share of the thinner one and overlap along the spine by at
 * least half the shorter one. */
#define MAX_PARALLEL_GAP 0.35
#define MIN_PARALLEL_OVERLAP 0.5
/* A byline beside a title (the author set across the spine from it, smaller, e.g. "TOLKIEN"
 * beside "THE HOBBIT") may stand further off: up to this many thicknesses of the title. A
 * looser gap for any two lines would join neighbouring spines, whose columns stand about
 * one thickness apart too; the byline must also be no thicker than the title, lie within
 * its length and be at most this share of it. */
#define MAX_BYLINE_GAP 1.25
#define MAX_BYLINE_LENGTH 0.6

struct _BiHeuristicCandidates
{
  BiCandidateGenerator port; /* first member: the port function casts back */
};

/* A line worth keeping. */
typedef struct
{
  const BiOcrLine *line;
  char            *text;     /* cleaned and repaired (bi_ocr_text_repair()) */
  guint            letters;
  gboolean         vertical; /* read along a spine */
  guint            parent;   /* union-find: the line its group is named after */
} Item;

/* Lines of one spine or block. */
typedef struct
{
  GPtrArray *items;          /* of Item *, borrowed */
  int        x, y, width, height;
  char      *barcode;        /* ISBN-13 of a barcode read in the group's region, or NULL */
} Group;

static void
item_clear (gpointer data)
{
  Item *item = data;

  g_free (item->text);
}

static void
group_free (gpointer data)
{
  Group *group = data;

  if (group == NULL)
    return;
  g_ptr_array_unref (group->items);
  g_free (group->barcode);
  g_free (group);
}

static gboolean
is_vertical (const BiOcrLine *line)
{
  double angle = fmod (fmod (line->angle, 360.0) + 360.0, 360.0);

  if (fabs (angle - 90.0) < 20.0 || fabs (angle - 270.0) < 20.0)
    return TRUE;
  /* An engine that does not report rotation still gives a spine's text a tall box. */
  return line->height >= 2 * line->width;
}

/* Whether @byline is an author's name printed beside @title on the same spine. */
static gboolean
byline_beside_title (const Item *byline,
                     const Item *title)
{
  const BiOcrLine *lb = byline->line;
  const BiOcrLine *lt = title->line;
  int gap = -bi_span_overlap (lb->x, lb->width, lt->x, lt->width);

  return gap <= MAX_BYLINE_GAP * lt->width && lb->width <= lt->width &&
         lb->y >= lt->y && lb->y + lb->height <= lt->y + lt->height &&
         lb->height <= MAX_BYLINE_LENGTH * lt->height &&
         !bi_ocr_text_is_byline (title->text) && bi_ocr_text_is_byline (byline->text) &&
         !bi_publisher_marks_is_only (byline->text);
}

static gboolean
same_group (const Item *a,
            const Item *b)
{
  const BiOcrLine *la = a->line;
  const BiOcrLine *lb = b->line;

  if (a->vertical != b->vertical)
    return FALSE;

  if (a->vertical)
    {
      int thickness = MAX (la->width, lb->width);
      int thinner = MIN (la->width, lb->width);
      int across = bi_span_overlap (la->x, la->width, lb->x, lb->width);
      int along = bi_span_overlap (la->y, la->height, lb->y, lb->height);

      /* One after the other along the spine… */
      if (across >= MIN_SPINE_OVERLAP * thinner)
        return -along <= MAX_SPINE_GAP * thickness;
      /* …or side by side on it. */
      return -across <= MAX_PARALLEL_GAP * thinner &&
             along >= MIN_PARALLEL_OVERLAP * MIN (la->height, lb->height);
    }
  else
    {
      double line_height = MAX (la->height, lb->height);
      int vertical_gap = -bi_span_overlap (la->y, la->height, lb->y, lb->height);
      int horizontal_gap = -bi_span_overlap (la->x, la->width, lb->x, lb->width);

      if (vertical_gap < 0)
        return horizontal_gap <= MAX_BLOCK_WORD_GAP * line_height;
      return vertical_gap <= MAX_BLOCK_ROW_GAP * line_height && horizontal_gap <= line_height;
    }
}

static guint
find_root (GArray *items,
           guint   index)
{
  Item *item = &g_array_index (items, Item, index);

  if (item->parent != index)
    item->parent = find_root (items, item->parent);
  return item->parent;
}

static GArray *
keep_lines (const BiOcrResult *ocr)
{
  GArray *items = g_array_new (FALSE, TRUE, sizeof (Item));

  g_array_set_clear_func (items, item_clear);
  for (guint i = 0; ocr->lines != NULL && i < ocr->lines->len; i++)
    {
      const BiOcrLine *line = g_ptr_array_index (ocr->lines, i);
      Item item = { line, NULL, 0, FALSE, 0 };

      if (line->text == NULL || !(line->confidence >= BI_HEURISTIC_MIN_CONFIDENCE) ||
          line->width <= 0 || line->height <= 0 || line->kind == BI_OCR_LINE_BARCODE)
        continue;

      item.text = bi_ocr_text_repair (line->text);
      item.letters = bi_ocr_text_count_letters (item.text);
      /* A lone letter is a speck, but for a label's collection letter read on a line of
       * its own ("N" of "N Par" when the label comes out in two pieces). */
      if (item.letters < 2 && !bi_call_number_is_lone_collection (item.text))
        {
          g_free (item.text);
          continue;
        }
      item.vertical = is_vertical (line);
      item.parent = items->len;
      g_array_append_val (items, item);
    }

  return items;
}

static int
compare_groups_by_x (gconstpointer a,
                     gconstpointer b)
{
  const Group *ga = *(const Group * const *) a;
  const Group *gb = *(const Group * const *) b;

  if (ga->x != gb->x)
    return ga->x < gb->x ? -1 : 1;
  return (ga->y > gb->y) - (ga->y < gb->y);
}

static int
compare_groups_by_y (gconstpointer a,
                     gconstpointer b)
{
  const Group *ga = *(const Group * const *) a;
  const Group *gb = *(const Group * const *) b;

  if (ga->y != gb->y)
    return ga->y < gb->y ? -1 : 1;
  return (ga->x > gb->x) - (ga->x < gb->x);
}

/* Reading order inside a group: lines one after the other along a spine or down a block go
 * top to bottom; lines side by side on a spine go in the direction their text's lines run
 * (text turned 270° has its next line to the left, text turned 90° to the right). */
static int
compare_items_in_reading_order (gconstpointer a,
                                gconstpointer b)
{
  const Item *ia = *(const Item * const *) a;
  const Item *ib = *(const Item * const *) b;
  const BiOcrLine *la = ia->line;
  const BiOcrLine *lb = ib->line;

  if (ia->vertical && ib->vertical &&
      bi_span_overlap (la->y, la->height, lb->y, lb->height) >=
      MIN_PARALLEL_OVERLAP * MIN (la->height, lb->height) &&
      bi_span_overlap (la->x, la->width, lb->x, lb->width) < MIN_SPINE_OVERLAP * MIN (la->width,
                                                                               lb->width))
    {
      gboolean leftwards = fabs (fmod (fmod (la->angle, 360.0) + 360.0, 360.0) - 270.0) < 20.0;

      if (la->x != lb->x)
        return (la->x < lb->x) == !leftwards ? -1 : 1;
    }
  if (la->y != lb->y)
    return la->y < lb->y ? -1 : 1;
  return (la->x > lb->x) - (la->x < lb->x);
}

static Group *
group_new (int x,
           int y,
           int width,
           int height)
{
  Group *group = g_new0 (Group, 1);

  group->items = g_ptr_array_new ();
  group->x = x;
  group->y = y;
  group->width = width;
  group->height = height;
  return group;
}

static void
group_add_box (Group *group,
               int    x,
               int    y,
               int    width,
               int    height)
{
  int right = MAX (group->x + group->width, x + width);
  int bottom = MAX (group->y + group->height, y + height);

  group->x = MIN (group->x, x);
  group->y = MIN (group->y, y);
  group->width = right - group->x;
  group->height = bottom - group->y;
}

/* The engine's region @index, or -1 when the line names none that exists. */
static int
line_region (const BiOcrResult *ocr,
             const BiOcrLine   *line)
{
  guint n_regions = ocr->regions != NULL ? ocr->regions->len : 0;

  return line->region >= 0 && (guint) line->region < n_regions ? line->region : -1;
}

/* A byline that makes a group of its own joins the title it stands beside (the nearest,
 * when several qualify). Done after the grouping, and only for a lone line, so that a loose
 * gap never chains neighbouring spines together through a line of each. */
static void
join_lone_bylines (const BiOcrResult *ocr,
                   GArray            *items)
{
  g_autofree guint *sizes = g_new0 (guint, MAX (items->len, 1));

  for (guint i = 0; i < items->len; i++)
    if (line_region (ocr, g_array_index (items, Item, i).line) < 0)
      sizes[find_root (items, i)]++;

  for (guint i = 0; i < items->len; i++)
    {
      const Item *byline = &g_array_index (items, Item, i);
      int best = -1;
      int best_gap = G_MAXINT;

      if (!byline->vertical || line_region (ocr, byline->line) >= 0 ||
          sizes[find_root (items, i)] != 1)
        continue;
      for (guint j = 0; j < items->len; j++)
        {
          const Item *title = &g_array_index (items, Item, j);
          int gap = -bi_span_overlap (byline->line->x, byline->line->width, title->line->x,
                              title->line->width);

          if (j != i && title->vertical && line_region (ocr, title->line) < 0 &&
              byline_beside_title (byline, title) && gap < best_gap)
            {
              best = (int) j;
              best_gap = gap;
            }
        }
      if (best >= 0)
        g_array_index (items, Item, i).parent = find_root (items, (guint) best);
    }
}

/* Joins the lines read outside any region into groups and returns them in shelf order. */
static GPtrArray *
group_free_lines (const BiOcrResult *ocr,
                  GArray            *items)
{
  g_autoptr(GHashTable) by_root = g_hash_table_new (NULL, NULL);
  g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func (group_free);
  GPtrArray *ordered = g_ptr_array_new_with_free_func (group_free);

  /* Quadratic, but a photo has hundreds of lines at most. */
  for (guint i = 0; i < items->len; i++)
    for (guint j = i + 1; j < items->len; j++)
      if (line_region (ocr, g_array_index (items, Item, i).line) < 0 &&
          line_region (ocr, g_array_index (items, Item, j).line) < 0 &&
          same_group (&g_array_index (items, Item, i), &g_array_index (items, Item, j)))
        g_array_index (items, Item, find_root (items, j)).parent = find_root (items, i);

  join_lone_bylines (ocr, items);

  for (guint i = 0; i < items->len; i++)
    {
      Item *item = &g_array_index (items, Item, i);
      gpointer root = GUINT_TO_POINTER (find_root (items, i) + 1);
      Group *group = g_hash_table_lookup (by_root, root);
      const BiOcrLine *line = item->line;

      if (line_region (ocr, line) >= 0)
        continue;
      if (group == NULL)
        {
          group = group_new (line->x, line->y, line->width, line->height);
          g_hash_table_insert (by_root, root, group);
          g_ptr_array_add (groups, group);
        }
      else
        {
          group_add_box (group, line->x, line->y, line->width, line->height);
        }
      g_ptr_array_add (group->items, item);
    }

  /* Columns: left to right; groups stacked in one column, top to bottom. */
  g_ptr_array_sort (groups, compare_groups_by_x);
  while (groups->len > 0)
    {
      g_autoptr(GPtrArray) column = g_ptr_array_new ();
      Group *first = g_ptr_array_steal_index (groups, 0);
      int left = first->x;
      int right = first->x + first->width;

      g_ptr_array_add (column, first);
      for (guint i = 0; i < groups->len;)
        {
          Group *group = g_ptr_array_index (groups, i);

          if (bi_span_overlap (left, right - left, group->x, group->width) >=
              MIN_COLUMN_OVERLAP * MIN (right - left, group->width))
            {
              right = MAX (right, group->x + group->width);
              g_ptr_array_add (column, g_ptr_array_steal_index (groups, i));
            }
          else
            {
              i++;
            }
        }
      g_ptr_array_sort (column, compare_groups_by_y);
      g_ptr_array_extend_and_steal (ordered, g_steal_pointer (&column));
    }

  return ordered;
}

/* One group per region the engine found (its box is the region's, its lines those the
 * engine placed in it), in the engine's shelf order; then the groups of lines read outside
 * any region. Barcodes go to their region, or make a group of their own (a back cover). */
static GPtrArray *
make_groups (const BiOcrResult *ocr,
             GArray            *items)
{
  GPtrArray *groups = g_ptr_array_new_with_free_func (group_free);
  g_autoptr(GPtrArray) region_groups = g_ptr_array_new_with_free_func (group_free);
  g_autoptr(GPtrArray) barcode_groups = g_ptr_array_new_with_free_func (group_free);
  guint n_regions = ocr->regions != NULL ? ocr->regions->len : 0;

  for (guint r = 0; r < n_regions; r++)
    {
      const BiOcrRegion *region = &g_array_index (ocr->regions, BiOcrRegion, r);

      g_ptr_array_add (region_groups, group_new (region->x, region->y, region->width,
                                                 region->height));
    }
  for (guint i = 0; i < items->len; i++)
    {
      Item *item = &g_array_index (items, Item, i);
      int region = line_region (ocr, item->line);

      if (region >= 0)
        g_ptr_array_add (((Group *) g_ptr_array_index (region_groups, region))->items, item);
    }

  for (guint i = 0; ocr->lines != NULL && i < ocr->lines->len; i++)
    {
      const BiOcrLine *line = g_ptr_array_index (ocr->lines, i);
      int region = line_region (ocr, line);
      g_autofree char *isbn13 = NULL;
      Group *group;

      if (line->kind != BI_OCR_LINE_BARCODE || line->text == NULL)
        continue;
      isbn13 = bi_printed_isbn_find (line->text);
      if (isbn13 == NULL)
        continue;
      group = region >= 0 ? g_ptr_array_index (region_groups, region) : NULL;
      if (group == NULL)
        {
          group = group_new (line->x, line->y, MAX (line->width, 1), MAX (line->height, 1));
          g_ptr_array_add (barcode_groups, group);
        }
      if (group->barcode == NULL)
        group->barcode = g_steal_pointer (&isbn13);
    }

  /* Regions first, in their order (a region with nothing read in it is no candidate), then
   * back covers known by their barcode only, then the groups of lines outside regions. */
  for (guint r = 0; r < region_groups->len; r++)
    {
      Group *group = g_ptr_array_index (region_groups, r);

      if (group->items->len > 0 || group->barcode != NULL)
        g_ptr_array_add (groups, g_steal_pointer (&region_groups->pdata[r]));
    }
  g_ptr_array_extend_and_steal (groups, g_steal_pointer (&barcode_groups));
  g_ptr_array_extend_and_steal (groups, group_free_lines (ocr, items));
  return groups;
}

/* The line that most looks like the author; -1 when none does. */
static int
pick_author (const Group *group)
{
  int best = -1;
  int best_score = 0;
  int best_size = G_MAXINT;

  gboolean has_title_line = FALSE;

  if (group->items->len < 2)
    return -1;

  /* A lone surname is the author only beside a line that can only be a title: "DUNE" over
   * "PENGUIN" is a title and its publisher. */
  for (guint i = 0; i < group->items->len; i++)
    {
      const Item *item = g_ptr_array_index (group->items, i);

      has_title_line |= !bi_ocr_text_is_byline (item->text) &&
                        !bi_publisher_marks_is_only (item->text);
    }

  for (guint i = 0; i < group->items->len; i++)
    {
      const Item *item = g_ptr_array_index (group->items, i);
      /* A full name counts more than a lone surname ("TOLKIEN"). */
      int score = 2 * bi_ocr_text_name_score (item->text);
      /* Authors are set smaller than titles: the glyph size is the box's short side. */
      int size = item->vertical ? item->line->width : item->line->height;

      if (score == 0 && has_title_line && bi_ocr_text_is_byline (item->text))
        score = 1;
      /* "PENGUIN BOOKS" looks like a name too. */
      if (score == 0 || bi_publisher_marks_is_only (item->text))
        continue;
      if (score > best_score || (score == best_score && size <= best_size))
        {
          best = (int) i;
          best_score = score;
          best_size = size;
        }
    }
  return best;
}

/* Appends a line's text with a blank, or with none when the line before ended in a word
 * broken by a hyphen ("Hob-" + "bit"); *@broken tells the next call. */
static void
append_text (GString    *text,
             gboolean   *broken,
             const char *raw_line,
             const char *clean)
{
  g_autofree char *raw = g_strchomp (g_strdup (raw_line != NULL ? raw_line : ""));

  if (clean[0] == '\0')
    return;
  if (text->len > 0 && !(*broken && g_unichar_islower (g_utf8_get_char (clean))))
    g_string_append_c (text, ' ');
  g_string_append (text, clean);
  *broken = g_str_has_suffix (raw, "-");
}

static BiCandidate *
candidate_from_group (const Group *group,
                      int          position)
{
  BiCandidate *candidate = bi_candidate_new ();
  g_autoptr(GString) text = g_string_new (NULL);
  g_autoptr(GString) title_text = g_string_new (NULL);
  g_autofree char *title = NULL;
  g_autofree char *author = NULL;
  int author_line = pick_author (group);
  const Item *longest = NULL;
  double confidence_sum = 0.0;
  guint letter_sum = 0;
  gboolean text_broken = FALSE;
  gboolean title_broken = FALSE;

  for (guint i = 0; i < group->items->len; i++)
    {
      const Item *item = g_ptr_array_index (group->items, i);
      g_autofree char *without_publisher = bi_publisher_marks_strip (item->text);

      append_text (text, &text_broken, item->line->text, item->text);
      confidence_sum += item->letters * item->line->confidence;
      letter_sum += item->letters;
      if ((int) i != author_line)
        append_text (title_text, &title_broken, item->line->text, without_publisher);
      if (longest == NULL || item->letters * item->line->confidence >
                             longest->letters * longest->line->confidence)
        longest = item;
    }
  if (author_line >= 0)
    {
      const Item *item = g_ptr_array_index (group->items, author_line);

      author = bi_spine_text_reorder_surname (item->text);
      if (author == NULL)
        author = g_strdup (item->text);
      title = g_strdup (title_text->str);
    }
  else
    {
      /* One line, or no line that is only a name: the name may be a run of words. */
      bi_spine_text_split (title_text->str, &title, &author);
    }

  /* A library's label ("796.4 Sal", "N Par") is neither title nor author; the text keeps it
   * for the matcher, which reads its author code. */
  candidate->text = g_string_free (g_steal_pointer (&text), FALSE);
  candidate->title = title != NULL ? bi_call_number_strip (title, NULL) : NULL;
  candidate->author = author != NULL ? bi_call_number_strip (author, NULL) : NULL;
  if (candidate->author != NULL && candidate->author[0] == '\0')
    g_clear_pointer (&candidate->author, g_free);
  candidate->isbn13 = g_strdup (group->barcode);
  if (candidate->isbn13 == NULL)
    candidate->isbn13 = bi_printed_isbn_find (candidate->text);
  if (candidate->text[0] == '\0' && candidate->isbn13 != NULL)
    {
      g_free (candidate->text);
      candidate->text = g_strdup (candidate->isbn13);
    }
  candidate->x = group->x;
  candidate->y = group->y;
  candidate->width = group->width;
  candidate->height = group->height;
  candidate->position = position;
  candidate->angle = longest != NULL ? longest->line->angle : 0.0;
  candidate->confidence = letter_sum > 0 ? confidence_sum / letter_sum : 1.0;
  return candidate;
}

static GPtrArray *
generate (BiCandidateGenerator  *port,
          const BiOcrResult     *ocr,
          GError               **error)
{
  g_autoptr(GArray) items = NULL;
  g_autoptr(GPtrArray) groups = NULL;
  GPtrArray *candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) bi_candidate_free);

  g_return_val_if_fail (ocr != NULL, candidates);

  items = keep_lines (ocr);
  groups = make_groups (ocr, items);
  for (guint i = 0; i < groups->len; i++)
    {
      Group *group = g_ptr_array_index (groups, i);

      g_ptr_array_sort (group->items, compare_items_in_reading_order);
      g_ptr_array_add (candidates, candidate_from_group (group, (int) candidates->len));
    }

  return candidates;
}

BiHeuristicCandidates *
bi_heuristic_candidates_new (void)
{
  BiHeuristicCandidates *self = g_new0 (BiHeuristicCandidates, 1);

  self->port.generate = generate;
  return self;
}

void
bi_heuristic_candidates_free (BiHeuristicCandidates *self)
{
  g_free (self);
}

BiCandidateGenerator *
bi_heuristic_candidates_as_port (BiHeuristicCandidates *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return &self->port;
}
