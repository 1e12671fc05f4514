/* ocr-photos.c — reads the real shelf photos and prints time, regions, lines and titles read
 *
 * A measuring driver, not a test: it never fails on its figures. Usage:
 *
 *   BOOKIMG_SHARED_DATA=../shared/data OMP_THREAD_LIMIT=1 \
 *     _build-ocr/tests/ocr/ocr-photos [--languages eng+spa] [--whole-photo] [--draw DIR]
 *     [--max-side PIXELS] [--verbose]
 *
 * "Titles read" is the metric of docs/ocr.md: a ground-truth title counts as read when one of
 * its words of 4 or more letters appears (case-folded) in the photo's OCR text. "Merged" counts
 * the regions whose lines hold words of two or more titles (words no other title of the photo
 * has), "split" the titles whose words turn up in two or more regions.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ocr-photos"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <math.h>

#include "bi-image-loader.h"
#include "bi-strip-page.h"
#include "bi-tesseract-engine.h"

/* CPU seconds of this thread: on a machine shared with builds, wall time alone measures the
 * neighbours as much as the code (OMP_THREAD_LIMIT=1 keeps Tesseract on this thread). */
static double
thread_cpu_seconds (void)
{
  struct timespec now = { 0 };

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now);
  return now.tv_sec + now.tv_nsec / 1e9;
}

/* The titles of @file in ground-truth.tsv (columns: file, n, title, author, source). */
static GPtrArray *
read_titles (const char *tsv,
             const char *file)
{
  g_auto (GStrv) rows = g_strsplit (tsv, "\n", -1);
  GPtrArray *titles = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 1; rows[i] != NULL; i++)
    {
      g_auto (GStrv) columns = g_strsplit (rows[i], "\t", -1);

      if (g_strv_length (columns) >= 3 && g_str_equal (columns[0], file))
        g_ptr_array_add (titles, g_utf8_casefold (columns[2], -1));
    }
  return titles;
}

static gboolean
title_is_read (const char *title,
               const char *text)
{
  g_autoptr (GString) word = g_string_new (NULL);

  for (const char *p = title;; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != 0 && g_unichar_isalpha (c))
        {
          g_string_append_unichar (word, c);
          continue;
        }
      if (g_utf8_strlen (word->str, -1) >= 4 && strstr (text, word->str) != NULL)
        return TRUE;
      g_string_truncate (word, 0);
      if (c == 0)
        return FALSE;
    }
}

/* The words of ≥ 4 letters of @title (case-folded) that no other title of the photo has: a
 * region holding one of them holds that book. */
static GPtrArray *
distinctive_words (GPtrArray *titles,
                   guint      index)
{
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);
  const char *title = g_ptr_array_index (titles, index);
  g_autoptr (GString) word = g_string_new (NULL);

  for (const char *p = title;; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gboolean shared = FALSE;

      if (c != 0 && g_unichar_isalpha (c))
        {
          g_string_append_unichar (word, c);
          continue;
        }
      for (guint j = 0; j < titles->len && g_utf8_strlen (word->str, -1) >= 4; j++)
        shared = shared || (j != index && strstr (g_ptr_array_index (titles, j), word->str));
      if (g_utf8_strlen (word->str, -1) >= 4 && !shared)
        g_ptr_array_add (words, g_strdup (word->str));
      g_string_truncate (word, 0);
      if (c == 0)
        return words;
    }
}

/* Grouping: regions whose text holds words of two or more titles (books merged), and titles
 * whose words are found in two or more regions (a book split). */
static void
count_grouping (const BiOcrResult *result,
                GPtrArray         *titles,
                guint             *merged,
                guint             *split)
{
  g_autofree guint *regions_per_title = g_new0 (guint, titles->len);

  *merged = *split = 0;
  for (guint r = 0; r < result->regions->len; r++)
    {
      g_autoptr (GString) text = g_string_new (NULL);
      g_autofree char *folded = NULL;
      guint n_titles = 0;

      for (guint j = 0; j < result->lines->len; j++)
        {
          const BiOcrLine *line = g_ptr_array_index (result->lines, j);

          if (line->region == (int) r)
            g_string_append_printf (text, "%s\n", line->text);
        }
      folded = g_utf8_casefold (text->str, -1);
      for (guint t = 0; t < titles->len; t++)
        {
          g_autoptr (GPtrArray) words = distinctive_words (titles, t);
          gboolean found = FALSE;

          for (guint w = 0; w < words->len && !found; w++)
            found = strstr (folded, g_ptr_array_index (words, w)) != NULL;
          n_titles += found;
          regions_per_title[t] += found;
        }
      *merged += n_titles >= 2;
    }
  for (guint t = 0; t < titles->len; t++)
    *split += regions_per_title[t] >= 2;
}

/* A small grey copy of the photo as shown, with the regions outlined (spines red and orange,
 * covers blue) and the lines in green: to look at what the detector found. */
static void
draw_regions (GBytes            *data,
              const BiOcrResult *result,
              const char        *folder,
              const char        *name)
{
  g_autoptr (BiLoadedImage) image = bi_image_loader_load (data, 1600, NULL);
  g_autoptr (PIX) small = NULL;
  g_autofree char *out = g_strdup_printf ("%s/%s.regions.png", folder, name);
  double scale;

  if (image == NULL)
    return;
  small = pixConvertTo32 (image->grey);
  scale = image->scale;
  for (guint i = 0; i < result->regions->len; i++)
    {
      const BiOcrRegion *region = &g_array_index (result->regions, BiOcrRegion, i);
      g_autoptr (BOX) box = boxCreate (region->x * scale, region->y * scale,
                                       region->width * scale, region->height * scale);
      gboolean flat = region->angle > 45 || region->angle < -45;

      if (region->kind == BI_OCR_REGION_COVER)
        pixRenderBoxArb (small, box, 3, 0, 0, 255);
      else if (flat || region->angle == 0)
        pixRenderBoxArb (small, box, 2, 255, (i % 2) * 160, 0);
      else
        {
          /* A leaning spine: its two long sides, through the box's top and bottom. */
          double across = bi_strip_width_across (region->width, region->height, region->angle)
                          / cos (region->angle * G_PI / 180.0) * scale;
          double slope = tan (region->angle * G_PI / 180.0);
          double centre_x = (region->x + region->width / 2.0) * scale;
          double top = region->y * scale, bottom = (region->y + region->height) * scale;
          double half = (bottom - top) / 2;

          for (int side = -1; side <= 1; side += 2)
            pixRenderLineArb (small, centre_x - half * slope + side * across / 2, top,
                              centre_x + half * slope + side * across / 2, bottom, 2,
                              255, (i % 2) * 160, 0);
        }
    }
  for (guint i = 0; i < result->lines->len; i++)
    {
      const BiOcrLine *line = g_ptr_array_index (result->lines, i);
      g_autoptr (BOX) box = boxCreate (line->x * scale, line->y * scale,
                                       line->width * scale, line->height * scale);

      pixRenderBoxArb (small, box, 1, 0, 160, 0);
    }
  pixWrite (out, small, IFF_PNG);
}

int
main (int   argc,
      char *argv[])
{
  static const char *photos[] = {
    "jhrcook_bookshelf_1-crop.jpeg",
    "llabres_one_shelf_example.jpg",
    "llabres_two_shelves_example.jpg",
  };
  g_autofree char *languages = NULL;
  g_autofree char *draw_folder = NULL;
  gboolean whole_photo = FALSE;
  gboolean verbose = FALSE;
  int max_side = 0;
  GOptionEntry entries[] = {
    { "languages", 0, 0, G_OPTION_ARG_STRING, &languages, "Tesseract languages", "LANGS" },
    { "whole-photo", 0, 0, G_OPTION_ARG_NONE, &whole_photo, "Do not group lines into regions",
      NULL },
    { "draw", 0, 0, G_OPTION_ARG_FILENAME, &draw_folder, "Write pictures of the regions", "DIR" },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, "Print every line", NULL },
    { "max-side", 0, 0, G_OPTION_ARG_INT, &max_side, "Reduce photos to this longest side",
      "PIXELS" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("— OCR figures on the shelf photos");
  g_autoptr (GError) error = NULL;
  g_autoptr (BiTesseractEngine) engine = NULL;
  g_autofree char *tsv = NULL;
  g_autofree char *tsv_path = NULL;
  const char *shared = g_getenv ("BOOKIMG_SHARED_DATA");
  gint64 start;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (shared == NULL)
    {
      g_printerr ("Set BOOKIMG_SHARED_DATA to the shared data folder (it holds photos/)\n");
      return 2;
    }

  tsv_path = g_build_filename (shared, "photos", "ground-truth.tsv", NULL);
  if (!g_file_get_contents (tsv_path, &tsv, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  start = g_get_monotonic_time ();
  engine = bi_tesseract_engine_new (languages, &error);
  if (engine == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  bi_tesseract_engine_set_find_regions (engine, !whole_photo);
  if (max_side > 0)
    bi_tesseract_engine_set_max_side (engine, max_side);
  printf ("languages %s, engine created in %.2f s, %s\n", languages != NULL ? languages : "(default)",
          (g_get_monotonic_time () - start) / 1e6, whole_photo ? "no regions" : "regions");

  for (guint i = 0; i < G_N_ELEMENTS (photos); i++)
    {
      g_autofree char *path = g_build_filename (shared, "photos", photos[i], NULL);
      g_autoptr (GBytes) data = NULL;
      g_autoptr (BiOcrResult) result = NULL;
      g_autoptr (GPtrArray) titles = read_titles (tsv, photos[i]);
      g_autoptr (GString) text = g_string_new (NULL);
      g_autofree char *folded = NULL;
      g_autofree char *contents = NULL;
      gsize length = 0;
      guint read = 0;
      guint in_regions = 0;
      guint merged = 0, split = 0;
      double seconds, cpu;

      if (!g_file_get_contents (path, &contents, &length, &error))
        {
          g_printerr ("%s\n", error->message);
          return 2;
        }
      data = g_bytes_new_take (g_steal_pointer (&contents), length);

      start = g_get_monotonic_time ();
      cpu = thread_cpu_seconds ();
      result = bi_tesseract_engine_recognize (engine, data, &error);
      seconds = (g_get_monotonic_time () - start) / 1e6;
      cpu = thread_cpu_seconds () - cpu;
      if (result == NULL)
        {
          g_printerr ("%s: %s\n", photos[i], error->message);
          return 1;
        }

      for (guint j = 0; j < result->lines->len; j++)
        {
          const BiOcrLine *line = g_ptr_array_index (result->lines, j);

          g_string_append_printf (text, "%s\n", line->text);
          in_regions += line->region >= 0;
          if (verbose)
            printf ("  [%d] %s%.2f %g° “%s”\n", line->region,
                    line->kind == BI_OCR_LINE_BARCODE ? "barcode " : "", line->confidence,
                    line->angle, line->text);
        }
      folded = g_utf8_casefold (text->str, -1);
      for (guint j = 0; j < titles->len; j++)
        read += title_is_read (g_ptr_array_index (titles, j), folded);

      count_grouping (result, titles, &merged, &split);
      printf ("%-34s %.2f s (cpu %.2f s)  regions %3u  lines %3u (%u in regions)  titles read %2u / %2u"
              "  merged %u  split %u\n",
              photos[i], seconds, cpu, result->regions->len, result->lines->len, in_regions, read,
              titles->len, merged, split);
      if (draw_folder != NULL)
        draw_regions (data, result, draw_folder, photos[i]);
    }

  return 0;
}
