/* bi-label-band.c — where a library shelf's call-number labels lie, to read them again
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-label-band"

#include "bi-label-band.h"
#include "bi-ocr-order.h"

#include <string.h>

/* Two spine regions stand in one shelf row when their heights overlap by this share of the
 * shorter one: neighbours differ in height, rows are a board apart. */
#define SAME_ROW_OVERLAP     0.5

/* The band of a row where labels were read reaches this many label lengths beyond them: the
 * labels of a row stand at heights that differ by about one label (llabres_one: the first
 * books' labels sit a label lower than the rest, and were not read at half size). */
#define LABEL_MARGIN_LENGTHS 1.0

/* A row of a library shelf where no label was read is read in this share of its height,
 * above the bottom of its spines: the labels of llabres_one and llabres_two stand in the
 * lowest fifth to quarter of the spines. */
#define UNREAD_ROW_SHARE     0.30

/* ---- the call number ---------------------------------------------------------------------- */

/* A class number: three digits, then any of ".34", "(03)", "-3" ("796.34", "796(03)",
 * "821.111-3"). */
static gboolean
is_class_number (const char *token)
{
  const char *p = token;

  for (int i = 0; i < 3; i++, p++)
    if (!g_ascii_isdigit (*p))
      return FALSE;

  while (*p != '\0')
    {
      if ((*p == '.' || *p == '-') && g_ascii_isdigit (p[1]))
        {
          for (p++; g_ascii_isdigit (*p); p++)
            ;
        }
      else if (*p == '(')
        {
          const char *close = strchr (p, ')');

          if (close == NULL || close == p + 1)
            return FALSE;
          p = close + 1;
        }
      else
        return FALSE;
    }
  return TRUE;
}

/* A collection's letters: one or two capitals ("N", "JN"), or three from "I" (the library's
 * "I**" children's collections). Longer capitals are words ("THE"). */
static gboolean
is_collection (const char *token)
{
  gsize length = strlen (token);

  for (const char *p = token; *p != '\0'; p++)
    if (!g_ascii_isupper (*p))
      return FALSE;
  return length >= 1 && (length <= 2 || (length == 3 && token[0] == 'I'));
}

/* An author code: a capital and two small letters, accented ones too ("Cas", "Ñúñ"). */
static gboolean
is_author_code (const char *token)
{
  guint n = 0;

  if (!g_utf8_validate (token, -1, NULL))
    return FALSE;
  for (const char *p = token; *p != '\0'; p = g_utf8_next_char (p), n++)
    {
      gunichar c = g_utf8_get_char (p);

      if (n == 0 ? !g_unichar_isupper (c) : !g_unichar_islower (c))
        return FALSE;
    }
  return n == 3;
}

/* The words of @text, without empty ones: Tesseract's text is trimmed and single-spaced
 * (clean_line_text), a test's may not be. */
static GStrv
split_words (const char *text)
{
  GStrv tokens = g_strsplit_set (text, " \t", -1);

  for (guint read = 0, kept = 0;; read++)
    {
      if (tokens[read] != NULL && *tokens[read] == '\0')
        {
          g_free (tokens[read]);
          continue;
        }
      tokens[kept++] = tokens[read];
      if (tokens[read] == NULL)
        break;
    }
  return tokens;
}

/* Whether the @n words of @tokens are a call number. */
static gboolean
words_are_call_number (char  **tokens,
                       guint   n)
{
  guint first = 0;

  if (n < 2 || n > 3 || !is_author_code (tokens[n - 1]))
    return FALSE;

  if (is_collection (tokens[0]))
    first = 1;
  for (guint i = first; i < n - 1; i++)
    if (!is_class_number (tokens[i]))
      return FALSE;
  /* "N 833 Par", "N Pam", "796.34 Cas"; not two class numbers. */
  return n - 1 - first <= 1;
}

gboolean
bi_label_band_is_call_number (const char *text)
{
  g_auto (GStrv) tokens = NULL;

  g_return_val_if_fail (text != NULL, FALSE);

  tokens = split_words (text);
  return words_are_call_number (tokens, g_strv_length (tokens));
}

gsize
bi_label_band_call_number_length (const char *text)
{
  g_auto (GStrv) tokens = NULL;
  guint n;

  g_return_val_if_fail (text != NULL, 0);

  tokens = split_words (text);
  n = g_strv_length (tokens);
  for (guint k = MIN (n, 3); k >= 2; k--)
    if (words_are_call_number (tokens + n - k, k))
      {
        gsize length = k - 1;

        for (guint i = n - k; i < n; i++)
          length += strlen (tokens[i]);
        return length;
      }
  return 0;
}

/* ---- the bands ---------------------------------------------------------------------------- */

static gboolean
is_standing_spine (const BiOcrRegion *region)
{
  return region->kind == BI_OCR_REGION_SPINE && region->angle <= 45 && region->angle >= -45;
}

static gboolean
is_label_line (const BiOcrLine *line)
{
  return line->kind == BI_OCR_LINE_TEXT && line->region >= 0 &&
         (line->angle == 90 || line->angle == 270) && bi_label_band_is_call_number (line->text);
}

static guint
count_labels (const BiOcrResult *result)
{
  guint n = 0;

  for (guint i = 0; i < result->lines->len; i++)
    n += is_label_line (g_ptr_array_index (result->lines, i));
  return n;
}

typedef struct
{
  int    top, bottom;      /* of the row's spines, the union */
  int    left, right;
  GArray *bottoms;         /* of int: each spine's bottom */
  int    label_top, label_bottom; /* of the call numbers read on its spines; top > bottom: none */
  GArray *label_lengths;   /* of int: each call number's length along its spine */
} Row;

static void
row_clear (Row *row)
{
  g_clear_pointer (&row->bottoms, g_array_unref);
  g_clear_pointer (&row->label_lengths, g_array_unref);
}

/* Regions by the middle of their height, so that each row's spines come together. */
static int
compare_by_middle (gconstpointer a,
                   gconstpointer b,
                   gpointer      data)
{
  const BiOcrResult *result = data;
  const BiOcrRegion *first = &g_array_index (result->regions, BiOcrRegion, *(const guint *) a);
  const BiOcrRegion *second = &g_array_index (result->regions, BiOcrRegion, *(const guint *) b);
  int first_middle = first->y + first->height / 2, second_middle = second->y + second->height / 2;

  return (first_middle > second_middle) - (first_middle < second_middle);
}

/* Rows of standing spines; @row_of (one per region) gets each region's row, -1 for none. */
static GArray *
find_rows (const BiOcrResult *result,
           int               *row_of)
{
  GArray *rows = g_array_new (FALSE, TRUE, sizeof (Row));
  g_autoptr (GArray) order = g_array_new (FALSE, FALSE, sizeof (guint));

  g_array_set_clear_func (rows, (GDestroyNotify) row_clear);
  for (guint i = 0; i < result->regions->len; i++)
    {
      row_of[i] = -1;
      if (is_standing_spine (&g_array_index (result->regions, BiOcrRegion, i)))
        g_array_append_val (order, i);
    }
  g_array_sort_with_data (order, compare_by_middle, (gpointer) result);

  for (guint k = 0; k < order->len; k++)
    {
      guint i = g_array_index (order, guint, k);
      const BiOcrRegion *region = &g_array_index (result->regions, BiOcrRegion, i);
      int bottom = region->y + region->height;
      Row *row = rows->len > 0 ? &g_array_index (rows, Row, rows->len - 1) : NULL;
      int overlap = row != NULL ? MIN (bottom, row->bottom) - MAX (region->y, row->top) : 0;

      if (row == NULL ||
          overlap < SAME_ROW_OVERLAP * MIN (region->height, row->bottom - row->top))
        {
          Row fresh = { region->y, bottom, region->x, region->x + region->width,
                        g_array_new (FALSE, FALSE, sizeof (int)), G_MAXINT, G_MININT,
                        g_array_new (FALSE, FALSE, sizeof (int)) };

          g_array_append_val (rows, fresh);
          row = &g_array_index (rows, Row, rows->len - 1);
        }
      row->top = MIN (row->top, region->y);
      row->bottom = MAX (row->bottom, bottom);
      row->left = MIN (row->left, region->x);
      row->right = MAX (row->right, region->x + region->width);
      g_array_append_val (row->bottoms, bottom);
      row_of[i] = (int) rows->len - 1;
    }
  return rows;
}

GArray *
bi_label_band_find (const BiOcrResult *result)
{
  GArray *bands = g_array_new (FALSE, FALSE, sizeof (BiPixelBox));
  g_autofree int *row_of = NULL;
  g_autoptr (GArray) rows = NULL;

  g_return_val_if_fail (result != NULL, bands);

  /* A photo of anything but a library shelf stops here, at the cost of reading its lines. */
  if (count_labels (result) < BI_LABEL_BAND_MIN_LABELS)
    return bands;

  row_of = g_new (int, MAX (result->regions->len, 1));
  rows = find_rows (result, row_of);
  for (guint i = 0; i < result->lines->len; i++)
    {
      const BiOcrLine *line = g_ptr_array_index (result->lines, i);
      Row *row;
      int length;

      if (!is_label_line (line) || (guint) line->region >= result->regions->len ||
          row_of[line->region] < 0)
        continue;
      row = &g_array_index (rows, Row, row_of[line->region]);
      length = MAX (line->width, line->height);
      row->label_top = MIN (row->label_top, line->y);
      row->label_bottom = MAX (row->label_bottom, line->y + line->height);
      g_array_append_val (row->label_lengths, length);
    }

  for (guint r = 0; r < rows->len; r++)
    {
      Row *row = &g_array_index (rows, Row, r);
      int top, bottom;
      BiPixelBox band;

      if (row->label_lengths->len > 0)
        {
          int margin = (int) (LABEL_MARGIN_LENGTHS * bi_ocr_median_int (row->label_lengths));

          top = row->label_top - margin;
          bottom = row->label_bottom + margin;
        }
      else
        {
          bottom = bi_ocr_median_int (row->bottoms);
          top = bottom - (int) (UNREAD_ROW_SHARE * (row->bottom - row->top));
        }
      top = CLAMP (top, 0, result->height);
      bottom = CLAMP (bottom, top, result->height);
      band = (BiPixelBox) { CLAMP (row->left, 0, result->width), top, 0, bottom - top };
      band.width = CLAMP (row->right, band.x, result->width) - band.x;
      if (band.width > 0 && band.height > 0)
        g_array_append_val (bands, band);
    }
  return bands;
}

int
bi_label_band_main_turn (const BiOcrResult *result)
{
  int balance = 0;

  g_return_val_if_fail (result != NULL, 1);

  for (guint i = 0; i < result->lines->len; i++)
    {
      const BiOcrLine *line = g_ptr_array_index (result->lines, i);

      if (is_label_line (line))
        balance += line->angle == 90 ? 1 : -1;
    }
  /* A line read at 90° stands upright once the photo is turned a quarter clockwise. */
  return balance >= 0 ? 1 : 3;
}
