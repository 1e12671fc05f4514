/* test-tesseract-engine.c — the Tesseract OCR port reads rendered spines and covers
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>
#include <unistd.h>

#include <glib/gstdio.h>
#include <tesseract/capi.h>

#include "bi-stages.h"
#include "bi-tesseract-engine.h"
#include "bi-test-images.h"

#define SHELF_WIDTH  600
#define SHELF_HEIGHT 800

/* Tesseract takes a while to load its models: one engine serves every test of this process. */
static BiTesseractEngine *engine;

static const BiTestSpine shelf[] = {
  { "THE HOBBIT", "TOLKIEN", 0x1f3a5f, 0xf5f0e1, 90 },
  { "DUNE", "FRANK HERBERT", 0xe8c872, 0x202020, 270 },
  { "EMMA", "JANE AUSTEN", 0x7a1f2b, 0xffffff, 90 },
};

static BiOcrResult *
recognize_through_port (GBytes *photo)
{
  g_autoptr (GError) error = NULL;
  BiOcrEngine *port = bi_tesseract_engine_as_port (engine);
  gint64 start = g_get_monotonic_time ();
  BiOcrResult *result = port->recognize (port, photo, &error);

  g_assert_no_error (error);
  g_assert_nonnull (result);
  g_test_message ("read %u lines in %.2f s", result->lines->len,
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
  for (guint i = 0; i < result->lines->len; i++)
    {
      const BiOcrLine *line = g_ptr_array_index (result->lines, i);

      g_test_message ("  “%s” %.2f [%d,%d,%d,%d] %g°", line->text, line->confidence,
                      line->x, line->y, line->width, line->height, line->angle);
    }
  return result;
}

static void
assert_lines_valid (const BiOcrResult *result)
{
  for (guint i = 0; i < result->lines->len; i++)
    {
      const BiOcrLine *line = g_ptr_array_index (result->lines, i);

      g_assert_true (g_utf8_validate (line->text, -1, NULL));
      g_assert_cmpstr (line->text, !=, "");
      g_assert_false (g_ascii_isspace (line->text[0]));
      g_assert_false (g_ascii_isspace (line->text[strlen (line->text) - 1]));
      g_assert_null (strchr (line->text, '\n'));
      g_assert_cmpfloat (line->confidence, >=, 0.0);
      g_assert_cmpfloat (line->confidence, <=, 1.0);
      g_assert_cmpint (line->x, >=, 0);
      g_assert_cmpint (line->y, >=, 0);
      g_assert_cmpint (line->width, >, 0);
      g_assert_cmpint (line->height, >, 0);
      g_assert_cmpint (line->x + line->width, <=, result->width);
      g_assert_cmpint (line->y + line->height, <=, result->height);
      g_assert_true (line->angle == 0 || line->angle == 90 || line->angle == 180 || line->angle == 270);
    }
}

/* The line that contains @word (case-insensitive, as a whole word), or NULL. */
static const BiOcrLine *
find_word (const BiOcrResult *result,
           const char        *word)
{
  g_autofree char *wanted = g_utf8_casefold (word, -1);

  for (guint i = 0; i < result->lines->len; i++)
    {
      const BiOcrLine *line = g_ptr_array_index (result->lines, i);
      g_autofree char *folded = g_utf8_casefold (line->text, -1);
      g_auto (GStrv) words = g_strsplit_set (folded, " .,:;-", -1);

      if (g_strv_contains ((const char * const *) words, wanted))
        return line;
    }
  return NULL;
}

static gboolean
centre_is_inside (const BiOcrLine *line,
                  int              x,
                  int              y,
                  int              width,
                  int              height)
{
  int centre_x = line->x + line->width / 2;
  int centre_y = line->y + line->height / 2;

  return centre_x >= x && centre_x < x + width && centre_y >= y && centre_y < y + height;
}

/* Every word of every title is read, inside the spine it is printed on, at the turn that makes
 * that spine upright, on a @shelf_width × @shelf_height photo of the shelf. */
static void
assert_shelf_of_size_read (const BiOcrResult *result,
                           int                shelf_width,
                           int                shelf_height)
{
  assert_lines_valid (result);
  g_assert_cmpint (result->width, ==, shelf_width);
  g_assert_cmpint (result->height, ==, shelf_height);

  for (guint i = 0; i < G_N_ELEMENTS (shelf); i++)
    {
      g_auto (GStrv) words = g_strsplit (shelf[i].title, " ", -1);
      int x, y, width, height;

      bi_test_image_spine_bounds (G_N_ELEMENTS (shelf), i, shelf_width, shelf_height, &x, &y, &width, &height);
      for (guint j = 0; words[j] != NULL; j++)
        {
          const BiOcrLine *line = find_word (result, words[j]);

          g_test_message ("looking for “%s” in spine %u", words[j], i);
          g_assert_nonnull (line);
          g_assert_true (centre_is_inside (line, x, y, width, height));
          g_assert_cmpfloat (line->angle, ==, (360 - shelf[i].rotation) % 360);
        }
    }
}

static void
assert_shelf_read (const BiOcrResult *result)
{
  assert_shelf_of_size_read (result, SHELF_WIDTH, SHELF_HEIGHT);
}

static void
test_spines (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) photo = bi_test_image_render_spines (shelf, G_N_ELEMENTS (shelf), SHELF_WIDTH, SHELF_HEIGHT, "png", &error);
  g_autoptr (BiOcrResult) result = NULL;

  g_assert_no_error (error);
  result = recognize_through_port (photo);
  assert_shelf_read (result);
}

/* A shelf larger than the sideways passes read (2048 px), 1650 × 2200: both sideways
 * directions are read from one reduction of the photo (read_whole_photo), the other
 * direction's on a copy with the main direction's words painted over, and every line still
 * lands on its spine. (Drawn at 1500 × 2000, read unreduced, or at 1800 × 2400, Tesseract
 * reads no "DUNE" there, with or without the shared reduction.) */
static void
test_spines_reduced (void)
{
  const int width = SHELF_WIDTH * 11 / 4, height = SHELF_HEIGHT * 11 / 4;
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) photo = bi_test_image_render_spines (shelf, G_N_ELEMENTS (shelf), width, height, "png", &error);
  g_autoptr (BiOcrResult) result = NULL;

  g_assert_no_error (error);
  result = recognize_through_port (photo);
  assert_shelf_of_size_read (result, width, height);
}

/* The region the line holding @word was filed under (the line must exist). */
static int
region_of_word (const BiOcrResult *result,
                const char        *word)
{
  const BiOcrLine *line = find_word (result, word);

  g_test_message ("looking for the region of “%s”", word);
  g_assert_nonnull (line);
  return line->region;
}

/* One book filling the photo, its title and author in two columns of sideways text: one spine
 * region (the candidates stage makes one book of it), not two, and not a cover. */
static void
test_spine_filling_photo (void)
{
  static const BiTestSpine hobbit = { "THE HOBBIT", "TOLKIEN", 0x1f3a5f, 0xf5f0e1, 90 };
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) photo = bi_test_image_render_spines (&hobbit, 1, 240, 800, "png", &error);
  g_autoptr (BiOcrResult) result = NULL;

  g_assert_no_error (error);
  result = recognize_through_port (photo);
  assert_lines_valid (result);
  g_assert_cmpuint (result->regions->len, ==, 1);
  g_assert_cmpint (g_array_index (result->regions, BiOcrRegion, 0).kind, ==, BI_OCR_REGION_SPINE);
  g_assert_cmpint (region_of_word (result, "HOBBIT"), ==, 0);
  g_assert_cmpint (region_of_word (result, "TOLKIEN"), ==, 0);
}

/* Two books filling the photo, each as wide as a cover's third of the height: two spine
 * regions, each with its own title and author. */
static void
test_two_spines_filling_photo (void)
{
  static const BiTestSpine pair[] = {
    { "THE HOBBIT", "TOLKIEN", 0x5f1f3a, 0xf5f0e1, 90 },
    { "EMMA", "JANE AUSTEN", 0x1f5f3a, 0xffffff, 90 },
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) photo = bi_test_image_render_spines (pair, 2, 600, 800, "png", &error);
  g_autoptr (BiOcrResult) result = NULL;

  g_assert_no_error (error);
  result = recognize_through_port (photo);
  assert_lines_valid (result);
  g_assert_cmpuint (result->regions->len, ==, 2);
  for (guint i = 0; i < result->regions->len; i++)
    g_assert_cmpint (g_array_index (result->regions, BiOcrRegion, i).kind, ==,
                     BI_OCR_REGION_SPINE);
  g_assert_cmpint (region_of_word (result, "HOBBIT"), ==, 0);
  g_assert_cmpint (region_of_word (result, "TOLKIEN"), ==, 0);
  g_assert_cmpint (region_of_word (result, "EMMA"), ==, 1);
  g_assert_cmpint (region_of_word (result, "AUSTEN"), ==, 1);
}

/* Three spines of test_spines: one region each, every line under its own spine's. */
static void
test_spines_grouped (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) photo = bi_test_image_render_spines (shelf, G_N_ELEMENTS (shelf), SHELF_WIDTH, SHELF_HEIGHT, "png", &error);
  g_autoptr (BiOcrResult) result = NULL;
  const char *authors[] = { "TOLKIEN", "HERBERT", "AUSTEN" };

  g_assert_no_error (error);
  result = recognize_through_port (photo);
  g_assert_cmpuint (result->regions->len, ==, G_N_ELEMENTS (shelf));
  for (guint i = 0; i < G_N_ELEMENTS (shelf); i++)
    {
      g_auto (GStrv) words = g_strsplit (shelf[i].title, " ", -1);

      g_assert_cmpint (g_array_index (result->regions, BiOcrRegion, i).kind, ==,
                       BI_OCR_REGION_SPINE);
      for (guint j = 0; words[j] != NULL; j++)
        g_assert_cmpint (region_of_word (result, words[j]), ==, (int) i);
      g_assert_cmpint (region_of_word (result, authors[i]), ==, (int) i);
    }
}

/* The real one-shelf photo (../shared/data/photos): floors under what the engine reaches
 * today (docs/ocr.md), so that a change that loses books fails here before the benchmark. */
#define REAL_SHELF_MIN_REGIONS      28
#define REAL_SHELF_MIN_LINES        60
#define REAL_SHELF_MIN_IN_REGIONS   0.75

/* The real photo @name of the shared data's photos. */
static GBytes *
load_real_photo (const char *name)
{
  const char *shared = g_getenv ("BOOKIMG_SHARED_DATA");
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr (GError) error = NULL;
  gsize length = 0;

  g_assert_nonnull (shared);
  path = g_build_filename (shared, "photos", name, NULL);
  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (g_steal_pointer (&contents), length);
}

/* Whether a line of @result holds @word. */
static gboolean
reads_word (const BiOcrResult *result,
            const char        *word)
{
  for (guint i = 0; i < result->lines->len; i++)
    if (strstr (((const BiOcrLine *) g_ptr_array_index (result->lines, i))->text, word) != NULL)
      return TRUE;
  return FALSE;
}

static void
test_real_shelf (void)
{
  g_autoptr (GBytes) photo = load_real_photo ("llabres_one_shelf_example.jpg");
  g_autoptr (BiOcrResult) result = NULL;
  guint in_regions = 0;

  result = recognize_through_port (photo);
  assert_lines_valid (result);
  g_test_message ("%u regions", result->regions->len);
  g_assert_cmpuint (result->regions->len, >=, REAL_SHELF_MIN_REGIONS);
  for (guint i = 0; i < result->regions->len; i++)
    g_assert_cmpint (g_array_index (result->regions, BiOcrRegion, i).kind, ==, BI_OCR_REGION_SPINE);
  for (guint i = 0; i < result->lines->len; i++)
    {
      const BiOcrLine *line = g_ptr_array_index (result->lines, i);

      g_assert_cmpint (line->region, <, (int) result->regions->len);
      in_regions += line->region >= 0;
    }
  g_assert_cmpuint (result->lines->len, >=, REAL_SHELF_MIN_LINES);
  g_assert_cmpuint (in_regions, >=, REAL_SHELF_MIN_IN_REGIONS * result->lines->len);
  /* A light label on a dark spine, which the label band does not read: read alone. */
  g_assert_true (reads_word (result, "796(09) Bro"));
}

/* A home shelf whose spines the sideways passes read in pieces or doubtfully: "HAAVE NEW
 * WORLD" (0.91 on its words' mean, "HAAVE" 0.79) for "BRAVE NEW WORLD" in letter-spaced
 * capitals, "… Functional Histology …" (0.61) beside "LIVINGSTONE" in small type, below its
 * authors stacked across the spine. Read again at the size of their text, the spines holding
 * such readings read them whole. A hardcover's title stacked across its
 * spine, "THE RISE AND FALL OF THE THIRD REICH", read as garbage sideways, is read as it
 * stands (docs/ocr.md, rounds 14 and 15). */
static void
test_home_shelf (void)
{
  g_autoptr (GBytes) photo = load_real_photo ("jhrcook_bookshelf_1-crop.jpeg");
  g_autoptr (BiOcrResult) result = recognize_through_port (photo);

  assert_lines_valid (result);
  g_assert_true (reads_word (result, "BRAVE"));
  g_assert_true (reads_word (result, "LIVINGSTONE"));
  g_assert_true (reads_word (result, "REICH"));
}

/* The library shelves' second photo: two thin spines by one author, touching with no edge
 * between them, each read on its own ("LA BICICLETA ESTATICA" was covered by its neighbour's
 * title); a title in light orange type beside its author in black, read along the author's
 * line ("Els àngels em miren"). docs/ocr.md, round 17. */
static void
test_two_shelves (void)
{
  g_autoptr (GBytes) photo = load_real_photo ("llabres_two_shelves_example.jpg");
  g_autoptr (BiOcrResult) result = recognize_through_port (photo);

  assert_lines_valid (result);
  g_assert_true (reads_word (result, "BICICLETA"));
  g_assert_true (reads_word (result, "ngels em mir"));
}

static void
test_cover (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) photo = bi_test_image_render_cover ("Pride and Prejudice", "Jane Austen", "jpeg", &error);
  g_autoptr (BiOcrResult) result = NULL;
  const char *words[] = { "Pride", "Prejudice", "Jane", "Austen" };

  g_assert_no_error (error);
  result = recognize_through_port (photo);
  assert_lines_valid (result);
  g_assert_cmpint (result->width, ==, 480);
  g_assert_cmpint (result->height, ==, 640);

  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    {
      const BiOcrLine *line = find_word (result, words[i]);

      g_assert_nonnull (line);
      g_assert_cmpfloat (line->angle, ==, 0);
    }
  /* A cover: one region of that kind, holding every line. */
  g_assert_cmpuint (result->regions->len, ==, 1);
  g_assert_cmpint (g_array_index (result->regions, BiOcrRegion, 0).kind, ==, BI_OCR_REGION_COVER);
  for (guint i = 0; i < G_N_ELEMENTS (words); i++)
    g_assert_cmpint (region_of_word (result, words[i]), ==, 0);
  /* The title is drawn above the author. */
  g_assert_cmpint (find_word (result, "Pride")->y, <, find_word (result, "Austen")->y);
}

/* A phone held sideways stores the shelf turned and says so in EXIF: the lines, their boxes
 * and their angles must be those of the upright photo. */
static void
test_exif_rotated (void)
{
  g_autoptr (PIX) upright = bi_test_image_draw_spines (shelf, G_N_ELEMENTS (shelf), SHELF_WIDTH, SHELF_HEIGHT);
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) sideways = bi_test_image_encode_oriented_jpeg (upright, 6, &error);
  g_autoptr (GBytes) straight = NULL;
  g_autoptr (BiOcrResult) sideways_result = NULL;
  g_autoptr (BiOcrResult) straight_result = NULL;

  g_assert_no_error (error);
  straight = bi_test_image_encode (upright, "jpeg", &error);
  g_assert_no_error (error);

  sideways_result = recognize_through_port (sideways);
  straight_result = recognize_through_port (straight);
  assert_shelf_read (sideways_result);
  assert_shelf_read (straight_result);

  for (guint i = 0; i < G_N_ELEMENTS (shelf); i++)
    {
      g_auto (GStrv) words = g_strsplit (shelf[i].title, " ", -1);

      for (guint j = 0; words[j] != NULL; j++)
        {
          const BiOcrLine *a = find_word (sideways_result, words[j]);
          const BiOcrLine *b = find_word (straight_result, words[j]);

          g_assert_cmpint (ABS (a->x - b->x), <=, 4);
          g_assert_cmpint (ABS (a->y - b->y), <=, 4);
          g_assert_cmpint (ABS (a->width - b->width), <=, 8);
          g_assert_cmpint (ABS (a->height - b->height), <=, 8);
        }
    }
}

/* A photo taken upside down, with no EXIF to say so: the 270° turn reads it as a top-to-bottom
 * column (no orientation detection). */
static void
test_upside_down (void)
{
  g_autoptr (PIX) cover = bi_test_image_draw_cover ("Pride and Prejudice", "Jane Austen", 480, 640);
  g_autoptr (PIX) turned = pixRotateOrth (cover, 2);
  g_autoptr (GBytes) photo = bi_test_image_encode (turned, "png", NULL);
  g_autoptr (BiOcrResult) result = recognize_through_port (photo);
  const BiOcrLine *title = find_word (result, "Prejudice");

  assert_lines_valid (result);
  g_assert_nonnull (title);
  g_assert_cmpfloat (title->angle, ==, 180);
  /* Drawn at 40 % of the height, so shown at 60 % upside down. */
  g_assert_cmpint (title->y + title->height / 2, >, 640 / 2);
}

static void
test_blank_photo (void)
{
  g_autoptr (PIX) blank = pixCreate (200, 300, 8);
  g_autoptr (GBytes) photo = NULL;
  g_autoptr (BiOcrResult) result = NULL;

  pixSetAll (blank);
  photo = bi_test_image_encode (blank, "png", NULL);
  result = recognize_through_port (photo);
  g_assert_cmpuint (result->lines->len, ==, 0);
  g_assert_cmpint (result->width, ==, 200);
}

static void
test_undecodable_is_permanent (void)
{
  g_autoptr (GBytes) photo = g_bytes_new_static ("\xff\xd8\xff\xe0 this is not really a JPEG", 30);
  g_autoptr (GError) error = NULL;
  BiOcrEngine *port = bi_tesseract_engine_as_port (engine);
  g_autoptr (BiOcrResult) result = port->recognize (port, photo, &error);

  g_assert_null (result);
  g_assert_error (error, BI_STAGE_ERROR, BI_STAGE_ERROR_PERMANENT);
}

static void
test_languages_checked (void)
{
  const char *invalid[] = { "", "../eng", "eng+", "+eng", "eng deu", "eng/../../etc" };

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (BiTesseractEngine) bad = bi_tesseract_engine_new (invalid[i], &error);

      g_assert_null (bad);
      g_assert_error (error, BI_TESSERACT_ENGINE_ERROR, BI_TESSERACT_ENGINE_ERROR_INVALID_LANGUAGES);
    }
}

/* A language without data names the package to install, and says nothing on stderr. */
static void
test_missing_language (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (BiTesseractEngine) missing = bi_tesseract_engine_new ("eng+zz_qq", &error);

      g_assert_null (missing);
      g_assert_error (error, BI_TESSERACT_ENGINE_ERROR, BI_TESSERACT_ENGINE_ERROR_MISSING_DATA);
      g_assert_nonnull (strstr (error->message, "tesseract-ocr-zz-qq"));
      g_assert_null (strstr (error->message, "tesseract-ocr-eng"));
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("");
}

/* The folder Tesseract reads its data from, asked of Tesseract itself. */
static char *
get_system_tessdata (void)
{
  TessBaseAPI *api = TessBaseAPICreate ();
  char *path = NULL;

  if (TessBaseAPIInit3 (api, NULL, "osd") == 0)
    path = g_strdup (TessBaseAPIGetDatapath (api));
  TessBaseAPIDelete (api);
  return path;
}

/* Without osd.traineddata the engine refuses to start, naming the package to install. */
static void
test_missing_orientation_data (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *system_tessdata = get_system_tessdata ();
      g_autofree char *folder = g_dir_make_tmp ("bookimg-tessdata-XXXXXX", NULL);
      g_autofree char *source = g_build_filename (system_tessdata, "eng.traineddata", NULL);
      g_autofree char *link = g_build_filename (folder, "eng.traineddata", NULL);
      g_autoptr (GError) error = NULL;
      g_autoptr (BiTesseractEngine) without_osd = NULL;

      g_assert_nonnull (system_tessdata);
      g_assert_nonnull (folder);
      g_assert_cmpint (symlink (source, link), ==, 0);
      g_setenv ("TESSDATA_PREFIX", folder, TRUE);

      without_osd = bi_tesseract_engine_new ("eng", &error);
      g_unlink (link);
      g_rmdir (folder);

      g_assert_null (without_osd);
      g_assert_error (error, BI_TESSERACT_ENGINE_ERROR, BI_TESSERACT_ENGINE_ERROR_MISSING_DATA);
      g_assert_nonnull (strstr (error->message, "tesseract-ocr-osd"));
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr (GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bookimg/ocr/tesseract/spines", test_spines);
  g_test_add_func ("/bookimg/ocr/tesseract/spines-reduced", test_spines_reduced);
  g_test_add_func ("/bookimg/ocr/tesseract/spines-grouped", test_spines_grouped);
  g_test_add_func ("/bookimg/ocr/tesseract/spine-filling-photo", test_spine_filling_photo);
  g_test_add_func ("/bookimg/ocr/tesseract/two-spines-filling-photo", test_two_spines_filling_photo);
  g_test_add_func ("/bookimg/ocr/tesseract/real-shelf", test_real_shelf);
  g_test_add_func ("/bookimg/ocr/tesseract/home-shelf", test_home_shelf);
  g_test_add_func ("/bookimg/ocr/tesseract/two-shelves", test_two_shelves);
  g_test_add_func ("/bookimg/ocr/tesseract/cover", test_cover);
  g_test_add_func ("/bookimg/ocr/tesseract/exif-rotated", test_exif_rotated);
  g_test_add_func ("/bookimg/ocr/tesseract/upside-down", test_upside_down);
  g_test_add_func ("/bookimg/ocr/tesseract/blank", test_blank_photo);
  g_test_add_func ("/bookimg/ocr/tesseract/undecodable", test_undecodable_is_permanent);
  g_test_add_func ("/bookimg/ocr/tesseract/languages-checked", test_languages_checked);
  g_test_add_func ("/bookimg/ocr/tesseract/missing-language", test_missing_language);
  g_test_add_func ("/bookimg/ocr/tesseract/missing-orientation-data", test_missing_orientation_data);

  /* Subprocesses run one test each and create their own engines when they need one. */
  if (!g_test_subprocess ())
    {
      engine = bi_tesseract_engine_new ("eng", &error);
      g_assert_no_error (error);
    }

  status = g_test_run ();
  g_clear_pointer (&engine, bi_tesseract_engine_free);
  return status;
}
