/* ocr-photos.c — reads the real shelf photos and prints time, regions, lines and titles read
 *
 * A measuring driver, not a test: it never fails on its figures. Usage:
 *
 *   BOOKIMG_SHARED_DATA=../shared/data OMP_THREAD_LIMIT=1 \
 *     _build-ocr/tests/ocr/ocr-photos [--languages eng+spa] [--whole-photo] [--draw DIR]
 *     [--max-side PIXELS] [--labels-catalog llabres-library.csv] [--verbose]
 *
 * "Titles read" is the metric of docs/ocr.md: a ground-truth title counts as read when one of
 * its words of 4 or more letters appears (case-folded) in the photo's OCR text. "Merged" counts
 * the regions whose lines hold words of two or more titles (words no other title of the photo
 * has), "split" the titles whose words turn up in two or more regions.
 *
 * With --labels-catalog, each ground-truth title is looked up (case-folded, trimmed) in the
 * library catalog's "tag" column, its call numbers: "labels read" counts the books one of
 * whose call numbers appears whole in the photo's text ("796.34 cas"; case-folded, spaces
 * collapsed), "labels near" those with one line holding the call number's author code after
 * the last two characters (or one) of the word before it ("34 cas", "n pam": what is left when the
 * class number's first digits are lost or read 7 → 1). Several books may share a call number
 * ("N Pam"): one label read counts for all of them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "ocr-photos"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include <math.h>

#include "bi-image-loader.h"
#include "bi-ocr-geometry.h"
#include "bi-tesseract-engine.h"
#include "bi-titles-read.h"

/* CPU seconds of this thread: on a machine shared with builds, wall time alone measures the
 * neighbours as much as the code (OMP_THREAD_LIMIT=1 keeps Tesseract on this thread). */
static double
thread_cpu_seconds (void)
{
  struct timespec now = { 0 };

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now);
  return now.tv_sec + now.tv_nsec / 1e9;
}

/* A book of the ground truth: its title, case-folded, and where it stands when the file says
 * (the generator's ground truth has a "bbox" column, x,y,width,height in the photo's pixels). */
typedef struct
{
  char      *title;
  gboolean   has_box;
  BiPixelBox box;
} TruthBook;

static void
truth_book_free (TruthBook *book)
{
  g_free (book->title);
  g_free (book);
}

static int
column_index (char       **header,
              const char  *name)
{
  for (int i = 0; header[i] != NULL; i++)
    if (g_str_equal (g_strstrip (header[i]), name))
      return i;
  return -1;
}

/* The books of @file in a ground-truth TSV whose header names the columns "file" and "title"
 * (and optionally "bbox"): the shared photos' and bookimg-shelfgen's alike. */
static GPtrArray *
read_truth (const char *tsv,
            const char *file)
{
  g_auto (GStrv) rows = g_strsplit (tsv, "\n", -1);
  g_auto (GStrv) header = g_strsplit (rows[0] != NULL ? rows[0] : "", "\t", -1);
  int file_column = column_index (header, "file"), title_column = column_index (header, "title");
  int box_column = column_index (header, "bbox");
  GPtrArray *books = g_ptr_array_new_with_free_func ((GDestroyNotify) truth_book_free);

  for (guint i = 1; rows[0] != NULL && rows[i] != NULL && file_column >= 0 && title_column >= 0;
       i++)
    {
      g_auto (GStrv) columns = g_strsplit (rows[i], "\t", -1);
      int n = (int) g_strv_length (columns);
      TruthBook *book;

      if (n <= MAX (file_column, title_column) || !g_str_equal (columns[file_column], file))
        continue;
      book = g_new0 (TruthBook, 1);
      book->title = g_utf8_casefold (columns[title_column], -1);
      book->has_box = box_column >= 0 && box_column < n &&
                      sscanf (columns[box_column], "%d,%d,%d,%d", &book->box.x, &book->box.y,
                              &book->box.width, &book->box.height) == 4;
      g_ptr_array_add (books, book);
    }
  return books;
}

/* The fields of one line of a CSV file: commas outside double quotes part them, "" inside
 * quotes is a quote. */
static GPtrArray *
split_csv_line (const char *line)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GString) field = g_string_new (NULL);
  gboolean quoted = FALSE;

  for (const char *p = line;; p++)
    {
      if (*p == '\0' || *p == '\r' || (*p == ',' && !quoted))
        {
          g_ptr_array_add (fields, g_strdup (field->str));
          g_string_truncate (field, 0);
          if (*p != ',')
            return fields;
        }
      else if (*p == '"' && quoted && p[1] == '"')
        g_string_append_c (field, *p++);
      else if (*p == '"')
        quoted = !quoted;
      else
        g_string_append_c (field, *p);
    }
}

/* @text case-folded, trimmed, with every run of spaces one space. */
static char *
fold_collapsed (const char *text)
{
  g_autofree char *folded = g_utf8_casefold (text, -1);
  g_autoptr (GString) collapsed = g_string_new (NULL);

  for (const char *p = g_strstrip (folded); *p != '\0'; p++)
    if (*p != ' ' || (collapsed->len > 0 && collapsed->str[collapsed->len - 1] != ' '))
      g_string_append_c (collapsed, *p == '\t' ? ' ' : *p);
  return g_string_free (g_steal_pointer (&collapsed), FALSE);
}

/* The call numbers of the library catalog @path (columns "title" and "tag"), by title
 * case-folded and trimmed: a GPtrArray of them each, folded and collapsed. */
static GHashTable *
read_labels_catalog (const char  *path,
                     GError     **error)
{
  g_autofree char *csv = NULL;
  g_auto (GStrv) rows = NULL;
  g_autoptr (GPtrArray) header = NULL;
  g_autoptr (GHashTable) tags = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                       (GDestroyNotify) g_ptr_array_unref);
  int title_column = -1, tag_column = -1;

  if (!g_file_get_contents (path, &csv, NULL, error))
    return NULL;
  rows = g_strsplit (csv, "\n", -1);
  header = split_csv_line (rows[0] != NULL ? rows[0] : "");
  for (guint i = 0; i < header->len; i++)
    {
      const char *name = g_ptr_array_index (header, i);

      title_column = g_str_equal (name, "title") ? (int) i : title_column;
      tag_column = g_str_equal (name, "tag") ? (int) i : tag_column;
    }
  if (title_column < 0 || tag_column < 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   "%s has no “title” and “tag” columns", path);
      return NULL;
    }

  for (guint i = 1; rows[i] != NULL; i++)
    {
      g_autoptr (GPtrArray) fields = split_csv_line (rows[i]);
      g_autofree char *title = NULL;
      GPtrArray *book_tags;

      if ((int) fields->len <= MAX (title_column, tag_column))
        continue;
      title = g_utf8_casefold (g_strstrip ((char *) g_ptr_array_index (fields, title_column)), -1);
      book_tags = g_hash_table_lookup (tags, title);
      if (book_tags == NULL)
        {
          book_tags = g_ptr_array_new_with_free_func (g_free);
          g_hash_table_insert (tags, g_steal_pointer (&title), book_tags);
        }
      g_ptr_array_add (book_tags, fold_collapsed (g_ptr_array_index (fields, tag_column)));
    }
  return g_steal_pointer (&tags);
}

/* Whether one line of @lines (folded and collapsed, one a line) holds the author code of
 * @tag (folded, collapsed) after the last two characters (or one) of the word before it. */
static gboolean
label_is_near (const char *tag,
               const char *lines)
{
  const char *code = strrchr (tag, ' ');
  g_autofree char *near = NULL;
  g_auto (GStrv) each = NULL;

  if (code == NULL || code == tag)
    return FALSE;
  near = g_strdup (code - MIN (code - tag, 2));
  each = g_strsplit (lines, "\n", -1);
  for (guint i = 0; each[i] != NULL; i++)
    if (strstr (each[i], near) != NULL)
      return TRUE;
  return FALSE;
}

/* Counts the books of @books whose call number is read whole (@whole) or near (@near). */
static void
count_labels (const BiOcrResult *result,
              GPtrArray         *books,
              GHashTable        *catalog,
              guint             *whole,
              guint             *near,
              guint             *known)
{
  g_autoptr (GString) text = g_string_new (NULL);

  *whole = *near = *known = 0;
  for (guint j = 0; j < result->lines->len; j++)
    {
      g_autofree char *line = fold_collapsed (((BiOcrLine *) g_ptr_array_index (result->lines,
                                                                                j))->text);

      g_string_append_printf (text, "%s\n", line);
    }
  for (guint t = 0; t < books->len; t++)
    {
      g_autofree char *title = g_strstrip (g_strdup (((TruthBook *) g_ptr_array_index (books,
                                                                                      t))->title));
      GPtrArray *tags = g_hash_table_lookup (catalog, title);
      gboolean is_whole = FALSE, is_near = FALSE;

      for (guint i = 0; tags != NULL && i < tags->len; i++)
        {
          is_whole = is_whole || strstr (text->str, g_ptr_array_index (tags, i)) != NULL;
          is_near = is_near || label_is_near (g_ptr_array_index (tags, i), text->str);
        }
      *known += tags != NULL;
      *whole += is_whole;
      *near += is_near;
    }
}

/* The words of ≥ 4 letters of book @index's title that no other title of the photo has: a
 * region holding one of them holds that book. */
static GPtrArray *
distinctive_words (GPtrArray *books,
                   guint      index)
{
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);
  const TruthBook *book = g_ptr_array_index (books, index);
  g_autoptr (GString) word = g_string_new (NULL);

  for (const char *p = book->title;; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      gboolean shared = FALSE;

      if (c != 0 && g_unichar_isalpha (c))
        {
          g_string_append_unichar (word, c);
          continue;
        }
      for (guint j = 0; j < books->len && g_utf8_strlen (word->str, -1) >= 4; j++)
        shared = shared || (j != index &&
                            strstr (((TruthBook *) g_ptr_array_index (books, j))->title,
                                    word->str));
      if (g_utf8_strlen (word->str, -1) >= 4 && !shared)
        g_ptr_array_add (words, g_strdup (word->str));
      g_string_truncate (word, 0);
      if (c == 0)
        return words;
    }
}

/* The case-folded text of the lines for which @keep says yes, one line each. */
static char *
folded_text (const BiOcrResult *result,
             gboolean         (*keep) (const BiOcrLine *line, gconstpointer data),
             gconstpointer      data)
{
  g_autoptr (GString) text = g_string_new (NULL);

  for (guint j = 0; j < result->lines->len; j++)
    {
      const BiOcrLine *line = g_ptr_array_index (result->lines, j);

      if (keep == NULL || keep (line, data))
        g_string_append_printf (text, "%s\n", line->text);
    }
  return g_utf8_casefold (text->str, -1);
}

static gboolean
line_in_region (const BiOcrLine *line,
                gconstpointer    data)
{
  return line->region == GPOINTER_TO_INT (data);
}

/* Grouping: regions whose text holds words of two or more titles (books merged), and titles
 * whose words are found in two or more regions (a book split). */
static void
count_grouping (const BiOcrResult *result,
                GPtrArray         *books,
                guint             *merged,
                guint             *split)
{
  g_autofree guint *regions_per_title = g_new0 (guint, MAX (books->len, 1));

  *merged = *split = 0;
  for (guint r = 0; r < result->regions->len; r++)
    {
      g_autofree char *folded = folded_text (result, line_in_region, GINT_TO_POINTER (r));
      guint n_titles = 0;

      for (guint t = 0; t < books->len; t++)
        {
          g_autoptr (GPtrArray) words = distinctive_words (books, t);
          gboolean found = FALSE;

          for (guint w = 0; w < words->len && !found; w++)
            found = strstr (folded, g_ptr_array_index (words, w)) != NULL;
          n_titles += found;
          regions_per_title[t] += found;
        }
      *merged += n_titles >= 2;
    }
  for (guint t = 0; t < books->len; t++)
    *split += regions_per_title[t] >= 2;
}

static gboolean
box_holds_middle (const BiPixelBox *box,
                  int               x,
                  int               y,
                  int               width,
                  int               height)
{
  int middle_x = x + width / 2, middle_y = y + height / 2;

  return middle_x >= box->x && middle_x < box->x + box->width && middle_y >= box->y &&
         middle_y < box->y + box->height;
}

static gboolean
line_on_book (const BiOcrLine *line,
              gconstpointer    data)
{
  return box_holds_middle (data, line->x, line->y, line->width, line->height);
}

/* For a ground truth with boxes: one line per book whose title was not read, saying what was
 * read where it stands (nothing, or other text) and how many regions hold its middle. */
static void
print_unread_books (const BiOcrResult *result,
                    GPtrArray         *books,
                    const char        *photo)
{
  for (guint t = 0; t < books->len; t++)
    {
      const TruthBook *book = g_ptr_array_index (books, t);
      g_autofree char *text = NULL;
      guint regions = 0;

      if (!book->has_box)
        continue;
      text = folded_text (result, line_on_book, &book->box);
      if (bi_title_is_read (book->title, text))
        continue;
      for (guint r = 0; r < result->regions->len; r++)
        {
          const BiOcrRegion *region = &g_array_index (result->regions, BiOcrRegion, r);

          regions += box_holds_middle (&book->box, region->x, region->y, region->width,
                                       region->height);
        }
      g_strdelimit (text, "\n", '|');
      printf ("  unread %s [%d,%d %d×%d] regions %u: “%s” — read “%s”\n", photo, book->box.x,
              book->box.y, book->box.width, book->box.height, regions, book->title, text);
    }
}

/* A small grey copy of the photo as shown, with the regions outlined (spines red and orange,
 * covers blue), the lines in green and the ground truth's boxes, if any, in magenta: to look
 * at what the detector found. */
static void
draw_regions (GBytes            *data,
              const BiOcrResult *result,
              GPtrArray         *books,
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
  for (guint i = 0; i < books->len; i++)
    {
      const TruthBook *book = g_ptr_array_index (books, i);
      g_autoptr (BOX) box = NULL;

      if (!book->has_box)
        continue;
      box = boxCreate (book->box.x * scale, book->box.y * scale, book->box.width * scale,
                       book->box.height * scale);
      pixRenderBoxArb (small, box, 1, 200, 0, 200);
    }
  pixWrite (out, small, IFF_PNG);
}

typedef struct
{
  gboolean whole_photo;
  gboolean verbose;
  gboolean books;
  char    *draw_folder;
  GHashTable *labels_catalog; /* nullable: call numbers by title (read_labels_catalog) */
} Report;

/* Reads one photo and prints its line of figures; FALSE when it cannot be read. */
static gboolean
measure_photo (BiTesseractEngine *engine,
               const char        *path,
               const char        *truth_tsv,
               const Report      *report)
{
  g_autofree char *name = g_path_get_basename (path);
  g_autoptr (GPtrArray) books = read_truth (truth_tsv, name);
  g_autofree char *contents = NULL, *folded = NULL;
  g_autoptr (GBytes) data = NULL;
  g_autoptr (BiOcrResult) result = NULL;
  g_autoptr (GError) error = NULL;
  gsize length = 0;
  guint read = 0, in_regions = 0, merged = 0, split = 0;
  gint64 start;
  double seconds, cpu;

  if (!g_file_get_contents (path, &contents, &length, &error))
    {
      g_printerr ("%s\n", error->message);
      return FALSE;
    }
  data = g_bytes_new_take (g_steal_pointer (&contents), length);

  start = g_get_monotonic_time ();
  cpu = thread_cpu_seconds ();
  result = bi_tesseract_engine_recognize (engine, data, &error);
  seconds = (g_get_monotonic_time () - start) / 1e6;
  cpu = thread_cpu_seconds () - cpu;
  if (result == NULL)
    {
      g_printerr ("%s: %s\n", name, error->message);
      return FALSE;
    }

  for (guint j = 0; j < result->lines->len; j++)
    {
      const BiOcrLine *line = g_ptr_array_index (result->lines, j);

      in_regions += line->region >= 0;
      if (report->verbose)
        printf ("  [%d] %s%.2f %g° [%d,%d %d×%d] “%s”\n", line->region,
                line->kind == BI_OCR_LINE_BARCODE ? "barcode " : "", line->confidence,
                line->angle, line->x, line->y, line->width, line->height, line->text);
    }
  folded = folded_text (result, NULL, NULL);
  for (guint j = 0; j < books->len; j++)
    read += bi_title_is_read (((TruthBook *) g_ptr_array_index (books, j))->title, folded);

  count_grouping (result, books, &merged, &split);
  printf ("%-34s %.2f s (cpu %.2f s)  regions %3u  lines %3u (%u in regions)  titles read %2u / %2u"
          "  merged %u  split %u",
          name, seconds, cpu, result->regions->len, result->lines->len, in_regions, read,
          books->len, merged, split);
  if (report->labels_catalog != NULL)
    {
      guint whole = 0, near = 0, known = 0;

      count_labels (result, books, report->labels_catalog, &whole, &near, &known);
      printf ("  labels read %2u near %2u / %2u  bands %u", whole, near, known,
              bi_tesseract_engine_get_n_label_bands (engine));
    }
  printf ("\n");
  if (report->books)
    print_unread_books (result, books, name);
  if (report->draw_folder != NULL)
    draw_regions (data, result, books, report->draw_folder, name);
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  static const char *shared_photos[] = {
    "jhrcook_bookshelf_1-crop.jpeg",
    "llabres_one_shelf_example.jpg",
    "llabres_two_shelves_example.jpg",
  };
  g_autofree char *languages = NULL;
  g_autofree char *truth_path = NULL;
  g_autofree char *labels_catalog_path = NULL;
  Report report = { 0 };
  int max_side = 0;
  GOptionEntry entries[] = {
    { "languages", 0, 0, G_OPTION_ARG_STRING, &languages, "Tesseract languages", "LANGS" },
    { "whole-photo", 0, 0, G_OPTION_ARG_NONE, &report.whole_photo,
      "Do not group lines into regions", NULL },
    { "draw", 0, 0, G_OPTION_ARG_FILENAME, &report.draw_folder, "Write pictures of the regions",
      "DIR" },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &report.verbose, "Print every line", NULL },
    { "books", 0, 0, G_OPTION_ARG_NONE, &report.books,
      "Print every book whose title was not read where it stands (a ground truth with boxes)",
      NULL },
    { "truth", 0, 0, G_OPTION_ARG_FILENAME, &truth_path, "Ground truth of the photos given "
      "(default: the shared photos' ground-truth.tsv)", "TSV" },
    { "max-side", 0, 0, G_OPTION_ARG_INT, &max_side, "Reduce photos to this longest side",
      "PIXELS" },
    { "labels-catalog", 0, 0, G_OPTION_ARG_FILENAME, &labels_catalog_path,
      "Count the call-number labels read, from this library catalog (llabres-library.csv)",
      "CSV" },
    { NULL },
  };
  g_autoptr (GOptionContext) context = g_option_context_new ("[PHOTO…] — OCR figures on shelf "
                                                             "photos (default: the shared ones)");
  g_autoptr (GError) error = NULL;
  g_autoptr (BiTesseractEngine) engine = NULL;
  g_autoptr (GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *tsv = NULL;
  const char *shared = g_getenv ("BOOKIMG_SHARED_DATA");
  gint64 start;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (shared == NULL && (argc < 2 || truth_path == NULL))
    {
      g_printerr ("Set BOOKIMG_SHARED_DATA to the shared data folder (it holds photos/), or "
                  "give photos and --truth\n");
      return 2;
    }

  for (int i = 1; i < argc; i++)
    g_ptr_array_add (paths, g_strdup (argv[i]));
  for (guint i = 0; argc < 2 && i < G_N_ELEMENTS (shared_photos); i++)
    g_ptr_array_add (paths, g_build_filename (shared, "photos", shared_photos[i], NULL));
  if (truth_path == NULL)
    truth_path = g_build_filename (shared, "photos", "ground-truth.tsv", NULL);
  if (!g_file_get_contents (truth_path, &tsv, NULL, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  if (labels_catalog_path != NULL)
    {
      report.labels_catalog = read_labels_catalog (labels_catalog_path, &error);
      if (report.labels_catalog == NULL)
        {
          g_printerr ("%s\n", error->message);
          return 2;
        }
    }

  start = g_get_monotonic_time ();
  engine = bi_tesseract_engine_new (languages, &error);
  if (engine == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  bi_tesseract_engine_set_find_regions (engine, !report.whole_photo);
  if (max_side > 0)
    bi_tesseract_engine_set_max_side (engine, max_side);
  printf ("languages %s, engine created in %.2f s, %s\n", languages != NULL ? languages : "(default)",
          (g_get_monotonic_time () - start) / 1e6, report.whole_photo ? "no regions" : "regions");

  for (guint i = 0; i < paths->len; i++)
    if (!measure_photo (engine, g_ptr_array_index (paths, i), tsv, &report))
      return 1;
  g_free (report.draw_folder);
  g_clear_pointer (&report.labels_catalog, g_hash_table_unref);
  return 0;
}
