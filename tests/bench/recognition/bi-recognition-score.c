/* bi-recognition-score.c — how right the pipeline was: precision, recall, misses
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-recognition-score"

#include "bi-recognition-score.h"

#include "bi-ocr-order.h"
#include "bi-search-text.h"

#include <string.h>

/* 12 megapixels, with room for photos a little smaller than 4000 × 3000. */
#define TWELVE_MEGAPIXELS 11500000

BiRecognitionScore *
bi_recognition_score_new (void)
{
  BiRecognitionScore *score = g_new0 (BiRecognitionScore, 1);

  score->seconds = g_array_new (FALSE, FALSE, sizeof (double));
  score->seconds_12mp = g_array_new (FALSE, FALSE, sizeof (double));
  score->cpu_seconds_12mp = g_array_new (FALSE, FALSE, sizeof (double));
  score->misses = g_ptr_array_new_with_free_func (g_free);
  score->wrong = g_ptr_array_new_with_free_func (g_free);
  score->outside = g_ptr_array_new_with_free_func (g_free);
  return score;
}

void
bi_recognition_score_free (BiRecognitionScore *score)
{
  if (score == NULL)
    return;
  g_array_unref (score->seconds);
  g_array_unref (score->seconds_12mp);
  g_array_unref (score->cpu_seconds_12mp);
  g_ptr_array_unref (score->misses);
  g_ptr_array_unref (score->wrong);
  g_ptr_array_unref (score->outside);
  g_free (score);
}

/* The title before its subtitle and without a trailing series note "(Series, #2)". */
static char *
main_title (const char *title)
{
  g_autofree char *main_part = g_strdup (title);
  char *cut;

  if ((cut = strrchr (main_part, '(')) != NULL && strchr (cut, '#') != NULL)
    *cut = '\0';
  /* After the series note, which may hold a colon of its own. */
  if ((cut = strchr (main_part, ':')) != NULL)
    *cut = '\0';
  return g_steal_pointer (&main_part);
}

/* The normal forms a title may be matched by: of the whole title and of its main title. */
static void
title_forms (const char  *title,
             char       **whole,
             char       **main_part)
{
  g_autofree char *main_text = main_title (title);

  *whole = bi_search_text_normalize (title);
  *main_part = bi_search_text_normalize (main_text);
}

gboolean
bi_recognition_titles_match (const char *reported,
                             const char *expected)
{
  g_autofree char *reported_whole = NULL, *reported_main = NULL;
  g_autofree char *expected_whole = NULL, *expected_main = NULL;

  if (reported == NULL || expected == NULL)
    return FALSE;
  title_forms (reported, &reported_whole, &reported_main);
  title_forms (expected, &expected_whole, &expected_main);
  /* An empty main title ("(Untitled #1)") must not match every other empty one. */
  if (*reported_whole == '\0' || *expected_whole == '\0')
    return FALSE;
  return g_str_equal (reported_whole, expected_whole)
         || (*expected_main != '\0' && g_str_equal (reported_whole, expected_main))
         || (*reported_main != '\0' && g_str_equal (reported_main, expected_whole))
         || (*reported_main != '\0' && g_str_equal (reported_main, expected_main));
}

/* Whether the middle of report @index's evidence lies inside @area of @outcome's photo. */
static gboolean
evidence_in_area (const BiRecognitionOutcome *outcome,
                  guint                       index,
                  const BiRecognitionArea    *area)
{
  const BiRecognitionBox *box;
  double middle_x, middle_y;

  if (area == NULL || index >= outcome->evidence_boxes->len || outcome->width <= 0 ||
      outcome->height <= 0)
    return TRUE;
  box = &g_array_index (outcome->evidence_boxes, BiRecognitionBox, index);
  middle_x = (box->x + box->width / 2.0) / outcome->width;
  middle_y = (box->y + box->height / 2.0) / outcome->height;
  return middle_x >= area->left && middle_x < area->right && middle_y >= area->top &&
         middle_y < area->bottom;
}

static char *
describe_report (const BiRecognitionOutcome *outcome,
                 guint                       index)
{
  return g_strdup_printf ("%s: “%s” (OCR text: “%s”)", outcome->name,
                          (const char *) g_ptr_array_index (outcome->titles, index),
                          (const char *) g_ptr_array_index (outcome->evidence, index));
}

void
bi_recognition_score_add (BiRecognitionScore         *score,
                          BiRecognitionOutcome       *outcome,
                          GPtrArray                  *expected,
                          const BiRecognitionArea    *area,
                          BiRecognitionHeldFunc       held,
                          gpointer                    held_data)
{
  g_autofree gboolean *matched = g_new0 (gboolean, MAX (expected->len, 1));
  guint right = 0;

  outcome->unscored = 0;
  outcome->held = 0;
  score->photos++;
  score->expected += expected->len;
  if (outcome->error != NULL)
    score->failed++;
  score->unresolved += outcome->unresolved;
  g_array_append_val (score->seconds, outcome->seconds);
  if ((gint64) outcome->width * outcome->height >= TWELVE_MEGAPIXELS)
    {
      g_array_append_val (score->seconds_12mp, outcome->seconds);
      g_array_append_val (score->cpu_seconds_12mp, outcome->cpu_seconds);
    }

  for (guint i = 0; i < outcome->titles->len; i++)
    {
      const char *title = g_ptr_array_index (outcome->titles, i);
      gboolean found = FALSE;

      if (!evidence_in_area (outcome, i, area))
        {
          outcome->unscored++;
          g_ptr_array_add (score->outside, describe_report (outcome, i));
          continue;
        }
      for (guint j = 0; j < expected->len && !found; j++)
        if (!matched[j] && bi_recognition_titles_match (title, g_ptr_array_index (expected, j)))
          matched[j] = found = TRUE;

      score->reported++;
      if (found)
        right++;
      else
        g_ptr_array_add (score->wrong, describe_report (outcome, i));
    }
  score->right += right;
  score->unscored += outcome->unscored;
  outcome->expected = expected->len;
  outcome->right = right;

  for (guint j = 0; j < expected->len; j++)
    {
      const char *title = g_ptr_array_index (expected, j);
      /* A book found was a catalog book: held whatever a search by its title says. */
      gboolean in_catalog = matched[j] || held == NULL || held (title, held_data);

      if (in_catalog)
        outcome->held++;
      if (!matched[j])
        g_ptr_array_add (score->misses,
                         g_strdup_printf ("%s: %s%s", outcome->name, title,
                                          in_catalog ? "" : " (not in the catalog)"));
    }
  score->held += outcome->held;
}

double
bi_recognition_score_precision (const BiRecognitionScore *score)
{
  return score->reported > 0 ? (double) score->right / score->reported : 0.0;
}

double
bi_recognition_score_recall (const BiRecognitionScore *score)
{
  /* Each right report matched one ground-truth book, so right is also the books found. */
  return score->expected > 0 ? (double) score->right / score->expected : 0.0;
}

double
bi_recognition_score_held_recall (const BiRecognitionScore *score)
{
  return score->held > 0 ? (double) score->right / score->held : 0.0;
}

double
bi_recognition_score_f1 (const BiRecognitionScore *score)
{
  double precision = bi_recognition_score_precision (score);
  double recall = bi_recognition_score_recall (score);

  return precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0.0;
}

double
bi_recognition_median (GArray *seconds)
{
  g_autoptr(GArray) sorted = NULL;
  guint n = seconds->len;

  if (n == 0)
    return 0.0;
  sorted = g_array_copy (seconds);
  g_array_sort (sorted, bi_ocr_compare_doubles);
  if (n % 2 == 1)
    return g_array_index (sorted, double, n / 2);
  return (g_array_index (sorted, double, n / 2 - 1) + g_array_index (sorted, double, n / 2)) / 2;
}

double
bi_recognition_max (GArray *seconds)
{
  double largest = 0.0;

  for (guint i = 0; i < seconds->len; i++)
    largest = MAX (largest, g_array_index (seconds, double, i));
  return largest;
}
