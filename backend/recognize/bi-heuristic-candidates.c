/* bi-heuristic-candidates.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-heuristic-candidates"

#include "bi-heuristic-candidates.h"
#include "bi-ocr-text.h"

#include <math.h>

/* Lines of one spine overlap horizontally by at least this share of the narrower one. */
#define MIN_SPINE_OVERLAP 0.5
/* Rows of one block are at most this many line heights apart… */
#define MAX_BLOCK_ROW_GAP 0.8
/* …and pieces of one row (title and author along a lying spine) this many. */
#define MAX_BLOCK_WORD_GAP 2.0
/* Groups whose horizontal ranges overlap this much are stacked (ordered top to bottom). */
#define MIN_COLUMN_OVERLAP 0.5

struct _BiHeuristicCandidates
{
  BiCandidateGenerator port; /* first member: the port function casts back */
};

/* A line worth keeping. */
typedef struct
{
  const BiOcrLine *line;
  char            *text;     /* cleaned */
  guint            letters;
  gboolean         vertical; /* read along a spine */
  guint            parent;   /* union-find: the line its group is named after */
} Item;

/* Lines of one spine or block. */
typedef struct
{
  GPtrArray *items;          /* of Item *, borrowed */
  int        x, y, width, height;
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

  g_ptr_array_unref (group->items);
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

/* Length of the overlap of [a, a + a_length) and [b, b + b_length); negative is a gap. */
static int
overlap (int a,
         int a_length,
         int b,
         int b_length)
{
  return MIN (a + a_length, b + b_length) - MAX (a, b);
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
    return overlap (la->x, la->width, lb->x, lb->width) >=
           MIN_SPINE_OVERLAP * MIN (la->width, lb->width);
  else
    {
      double line_height = MAX (la->height, lb->height);
      int vertical_gap = -overlap (la->y, la->height, lb->y, lb->height);
      int horizontal_gap = -overlap (la->x, la->width, lb->x, lb->width);

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
          line->width <= 0 || line->height <= 0)
        continue;

      item.text = bi_ocr_text_clean (line->text);
      item.letters = bi_ocr_text_count_letters (item.text);
      if (item.letters < 2)
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

static int
compare_items_in_reading_order (gconstpointer a,
                                gconstpointer b)
{
  const BiOcrLine *la = (*(const Item * const *) a)->line;
  const BiOcrLine *lb = (*(const Item * const *) b)->line;

  if (la->y != lb->y)
    return la->y < lb->y ? -1 : 1;
  return (la->x > lb->x) - (la->x < lb->x);
}

/* Joins lines into groups and returns them in shelf order. */
static GPtrArray *
make_groups (GArray *items)
{
  g_autoptr(GHashTable) by_root = g_hash_table_new (NULL, NULL);
  g_autoptr(GPtrArray) groups = g_ptr_array_new_with_free_func (group_free);
  GPtrArray *ordered = g_ptr_array_new_with_free_func (group_free);

  /* Quadratic, but a photo has hundreds of lines at most. */
  for (guint i = 0; i < items->len; i++)
    for (guint j = i + 1; j < items->len; j++)
      if (same_group (&g_array_index (items, Item, i), &g_array_index (items, Item, j)))
        g_array_index (items, Item, find_root (items, j)).parent = find_root (items, i);

  for (guint i = 0; i < items->len; i++)
    {
      Item *item = &g_array_index (items, Item, i);
      gpointer root = GUINT_TO_POINTER (find_root (items, i) + 1);
      Group *group = g_hash_table_lookup (by_root, root);
      const BiOcrLine *line = item->line;

      if (group == NULL)
        {
          group = g_new0 (Group, 1);
          group->items = g_ptr_array_new ();
          group->x = line->x;
          group->y = line->y;
          group->width = line->width;
          group->height = line->height;
          g_hash_table_insert (by_root, root, group);
          g_ptr_array_add (groups, group);
        }
      else
        {
          int right = MAX (group->x + group->width, line->x + line->width);
          int bottom = MAX (group->y + group->height, line->y + line->height);

          group->x = MIN (group->x, line->x);
          group->y = MIN (group->y, line->y);
          group->width = right - group->x;
          group->height = bottom - group->y;
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

          if (overlap (left, right - left, group->x, group->width) >=
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

/* The line that most looks like the author; -1 when none does. */
static int
pick_author (const Group *group)
{
  int best = -1;
  int best_score = 0;
  int best_size = G_MAXINT;

  if (group->items->len < 2)
    return -1;

  for (guint i = 0; i < group->items->len; i++)
    {
      const Item *item = g_ptr_array_index (group->items, i);
      int score = bi_ocr_text_name_score (item->text);
      /* Authors are set smaller than titles: the glyph size is the box's short side. */
      int size = item->vertical ? item->line->width : item->line->height;

      if (score == 0)
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

static BiCandidate *
candidate_from_group (const Group *group,
                      int          position)
{
  BiCandidate *candidate = bi_candidate_new ();
  g_autoptr(GString) text = g_string_new (NULL);
  int author = pick_author (group);
  int title = -1;
  double best_title_score = -1.0;
  double confidence_sum = 0.0;
  guint letter_sum = 0;

  for (guint i = 0; i < group->items->len; i++)
    {
      const Item *item = g_ptr_array_index (group->items, i);
      double title_score = item->letters * item->line->confidence;

      if (text->len > 0)
        g_string_append_c (text, ' ');
      g_string_append (text, item->text);
      confidence_sum += item->letters * item->line->confidence;
      letter_sum += item->letters;

      if ((int) i != author && title_score > best_title_score)
        {
          title = (int) i;
          best_title_score = title_score;
        }
    }

  candidate->text = g_string_free (g_steal_pointer (&text), FALSE);
  candidate->title = g_strdup (((const Item *) g_ptr_array_index (group->items, title))->text);
  if (author >= 0)
    candidate->author = g_strdup (((const Item *) g_ptr_array_index (group->items,
                                                                     author))->text);
  candidate->x = group->x;
  candidate->y = group->y;
  candidate->width = group->width;
  candidate->height = group->height;
  candidate->position = position;
  candidate->angle = ((const Item *) g_ptr_array_index (group->items, title))->line->angle;
  candidate->confidence = confidence_sum / letter_sum;
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
  groups = make_groups (items);
  for (guint i = 0; i < groups->len; i++)
    {
      Group *group = g_ptr_array_index (groups, i);

      g_ptr_array_sort (group->items, compare_items_in_reading_order);
      g_ptr_array_add (candidates, candidate_from_group (group, (int) i));
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
