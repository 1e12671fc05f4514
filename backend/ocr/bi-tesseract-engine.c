/* bi-tesseract-engine.c — the OCR engine port on Tesseract's C API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-tesseract-engine"

#include "bi-tesseract-engine.h"

#include <string.h>

#include <tesseract/capi.h>

#include "bi-image-loader.h"
#include "bi-stages.h"

G_DEFINE_QUARK (bi-tesseract-engine-error-quark, bi_tesseract_engine_error)

#define DEFAULT_LANGUAGES     "eng"
#define MAX_LANGUAGES_LENGTH  128

/* Tesseract assumes 70 dpi (and warns) for a picture without a resolution; photos have none
 * that means anything, and 300 is what its text-size heuristics are tuned for. */
#define SOURCE_RESOLUTION     300

/* Lines read below this confidence are mostly Tesseract's attempts at the sideways text of the
 * other quarter turns, shelf edges and wood grain. */
#define MIN_LINE_CONFIDENCE   0.40

/* Two readings are of the same place when this share of the smaller box is covered by both. */
#define SAME_PLACE_OVERLAP    0.40

struct _BiTesseractEngine
{
  BiOcrEngine  port;      /* first: the port is a cast of the engine */
  TessBaseAPI *api;       /* owned; used by one thread at a time */
  int          max_side;  /* passed to the image loader */
};

/* Tesseract's variables behind SetVariable are partly process-wide; engines are created by
 * several workers at once, so creation is serialised. */
static GMutex creation_lock;

/* Tesseract reports small pictures, empty pages and missing files on stderr, line by line; the
 * stage's results and errors say everything a log reader needs. debug_file is one of the
 * process-wide variables, which other engines' threads read while they recognise: it is
 * written once, before the first engine exists. Called with creation_lock held. */
static void
silence_tesseract (TessBaseAPI *api)
{
  static gboolean silenced = FALSE;

  if (!silenced)
    TessBaseAPISetVariable (api, "debug_file", "/dev/null");
  silenced = TRUE;
}

/* ---- creation ----------------------------------------------------------------------------- */

static gboolean
languages_are_valid (const char *languages)
{
  g_auto (GStrv) codes = NULL;

  if (*languages == '\0' || strlen (languages) > MAX_LANGUAGES_LENGTH)
    return FALSE;

  codes = g_strsplit (languages, "+", -1);
  for (guint i = 0; codes[i] != NULL; i++)
    {
      if (*codes[i] == '\0')
        return FALSE;
      /* Codes name files in the tessdata folder: no path separators, no dots. */
      for (const char *c = codes[i]; *c != '\0'; c++)
        if (!g_ascii_isalnum (*c) && *c != '_')
          return FALSE;
    }
  return TRUE;
}

/* "chi_sim" → "tesseract-ocr-chi-sim", Debian's name for the package that holds it. */
static char *
package_for_language (const char *code)
{
  g_autofree char *lower = g_ascii_strdown (code, -1);

  g_strdelimit (lower, "_", '-');
  return g_strconcat ("tesseract-ocr-", lower, NULL);
}

static gboolean
strv_contains_string (char       **strv,
                      const char  *string)
{
  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    if (g_str_equal (strv[i], string))
      return TRUE;
  return FALSE;
}

/* Tesseract's own message for missing data is a line on stderr; ours names the package. The
 * list of installed languages needs an initialised engine, so a probe starts on "osd", which
 * every engine needs anyway for orientation detection. */
static gboolean
check_language_data (const char  *languages,
                     GError     **error)
{
  TessBaseAPI *probe = TessBaseAPICreate ();
  g_auto (GStrv) codes = g_strsplit (languages, "+", -1);
  g_autoptr (GPtrArray) missing = g_ptr_array_new_with_free_func (g_free);
  char **available = NULL;
  gboolean ok = TRUE;

  silence_tesseract (probe);
  if (TessBaseAPIInit3 (probe, NULL, "osd") != 0)
    {
      g_set_error (error, BI_TESSERACT_ENGINE_ERROR, BI_TESSERACT_ENGINE_ERROR_MISSING_DATA,
                   "Tesseract's orientation data (osd.traineddata) is not installed: install the "
                   "package tesseract-ocr-osd, or set TESSDATA_PREFIX to a folder that holds it");
      TessBaseAPIDelete (probe);
      return FALSE;
    }

  available = TessBaseAPIGetAvailableLanguagesAsVector (probe);
  for (guint i = 0; codes[i] != NULL; i++)
    if (!strv_contains_string (available, codes[i]))
      g_ptr_array_add (missing, package_for_language (codes[i]));

  if (missing->len > 0)
    {
      g_autofree char *packages = NULL;

      g_ptr_array_add (missing, NULL);
      packages = g_strjoinv (" ", (char **) missing->pdata);
      g_set_error (error, BI_TESSERACT_ENGINE_ERROR, BI_TESSERACT_ENGINE_ERROR_MISSING_DATA,
                   "Tesseract has no data for the language(s) “%s” in %s: install %s, or set "
                   "TESSDATA_PREFIX to a folder holding the .traineddata files",
                   languages, TessBaseAPIGetDatapath (probe), packages);
      ok = FALSE;
    }

  TessDeleteTextArray (available);
  TessBaseAPIDelete (probe);
  return ok;
}

static BiOcrResult *
recognize_port (BiOcrEngine  *port,
                GBytes       *image,
                GError      **error)
{
  return bi_tesseract_engine_recognize ((BiTesseractEngine *) port, image, error);
}

BiTesseractEngine *
bi_tesseract_engine_new (const char  *languages,
                         GError     **error)
{
  g_autoptr (GMutexLocker) locker = NULL;
  g_autoptr (BiTesseractEngine) self = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (languages == NULL)
    languages = DEFAULT_LANGUAGES;
  if (!languages_are_valid (languages))
    {
      g_set_error (error, BI_TESSERACT_ENGINE_ERROR, BI_TESSERACT_ENGINE_ERROR_INVALID_LANGUAGES,
                   "“%s” is not a list of Tesseract language codes: use codes such as “eng” "
                   "joined by “+”, e.g. “eng+deu”", languages);
      return NULL;
    }

  locker = g_mutex_locker_new (&creation_lock);
  if (!check_language_data (languages, error))
    return NULL;

  self = g_new0 (BiTesseractEngine, 1);
  self->port.recognize = recognize_port;
  self->api = TessBaseAPICreate ();
  if (TessBaseAPIInit3 (self->api, NULL, languages) != 0)
    {
      g_set_error (error, BI_TESSERACT_ENGINE_ERROR, BI_TESSERACT_ENGINE_ERROR_INIT,
                   "Tesseract could not start with the language(s) “%s”: its data files may be "
                   "damaged; reinstall the tesseract-ocr packages", languages);
      return NULL;
    }
  return g_steal_pointer (&self);
}

void
bi_tesseract_engine_free (BiTesseractEngine *self)
{
  if (self == NULL)
    return;

  if (self->api != NULL)
    {
      TessBaseAPIEnd (self->api);
      TessBaseAPIDelete (self->api);
    }
  g_free (self);
}

BiOcrEngine *
bi_tesseract_engine_as_port (BiTesseractEngine *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return &self->port;
}

void
bi_tesseract_engine_set_max_side (BiTesseractEngine *self,
                                  int                max_side)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (max_side == 0 || max_side >= BI_IMAGE_LOADER_MIN_MAX_SIDE);

  self->max_side = max_side;
}

/* ---- reading ------------------------------------------------------------------------------ */

typedef struct
{
  int x, y, width, height;
} Box;

/* Tesseract reads a column of top-to-bottom text as it stands, without turning the picture,
 * and reports it upright (measured with 5.3; bottom-to-top columns come out as garbage). Such a
 * reading — a box taller than wide with more than one character — is of text that must be
 * turned a further 270° clockwise to stand upright. */
static gboolean
is_vertical_reading (const char *text,
                     int         width,
                     int         height)
{
  guint characters = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    characters += !g_unichar_isspace (g_utf8_get_char (p));
  return height > width && characters > 1;
}

/* A box in a picture turned @quarter_turns × 90° clockwise → the same box in the unturned
 * @width × @height picture. */
static Box
unturn_box (Box box,
            int quarter_turns,
            int width,
            int height)
{
  Box unturned = box;

  switch (quarter_turns)
    {
    case 1:
      unturned = (Box) { box.y, height - box.x - box.width, box.height, box.width };
      break;
    case 2:
      unturned = (Box) { width - box.x - box.width, height - box.y - box.height, box.width, box.height };
      break;
    case 3:
      unturned = (Box) { width - box.y - box.height, box.x, box.height, box.width };
      break;
    default:
      break;
    }
  return unturned;
}

/* From the reduced grey picture to the photo as shown, kept inside it. */
static Box
box_to_photo (Box                  box,
              const BiLoadedImage *image)
{
  int left = CLAMP ((int) (box.x / image->scale), 0, image->width);
  int top = CLAMP ((int) (box.y / image->scale), 0, image->height);
  int right = CLAMP ((int) ((box.x + box.width) / image->scale + 0.5), left, image->width);
  int bottom = CLAMP ((int) ((box.y + box.height) / image->scale + 0.5), top, image->height);

  return (Box) { left, top, right - left, bottom - top };
}

/* Tesseract's line text, valid UTF-8, on one line, trimmed; NULL when nothing readable is left
 * (no letter or digit at all: rules, shelf edges, "|||"). */
static char *
clean_line_text (const char *raw)
{
  g_autofree char *valid = g_utf8_make_valid (raw, -1);
  g_autoptr (GString) text = g_string_new (NULL);
  gboolean has_alnum = FALSE;
  gboolean pending_space = FALSE;

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isspace (c))
        {
          pending_space = text->len > 0;
          continue;
        }
      if (pending_space)
        g_string_append_c (text, ' ');
      pending_space = FALSE;
      g_string_append_unichar (text, c);
      has_alnum = has_alnum || g_unichar_isalnum (c);
    }

  return has_alnum ? g_string_free (g_steal_pointer (&text), FALSE) : NULL;
}

/* Reads @turned (the grey picture turned @quarter_turns × 90° clockwise) and adds its lines,
 * in photo coordinates, to @lines. */
static gboolean
read_turned (BiTesseractEngine    *self,
             PIX                  *turned,
             int                   quarter_turns,
             const BiLoadedImage  *image,
             GPtrArray            *lines,
             GError              **error)
{
  TessResultIterator *iterator;

  /* Orientation detection turns the whole page to its dominant direction, which on a turned
   * photo only undoes the turn (measured: the three turns then read the same lines). It runs
   * on the upright pass, where it can still catch a page that is upside down or sideways. */
  TessBaseAPISetPageSegMode (self->api, quarter_turns == 0 ? PSM_AUTO_OSD : PSM_AUTO);
  TessBaseAPISetImage2 (self->api, turned);
  TessBaseAPISetSourceResolution (self->api, SOURCE_RESOLUTION);
  if (TessBaseAPIRecognize (self->api, NULL) != 0)
    {
      g_set_error (error, BI_STAGE_ERROR, BI_STAGE_ERROR_TRANSIENT,
                   "Tesseract failed to read a %d×%d photo turned %d°",
                   pixGetWidth (turned), pixGetHeight (turned), quarter_turns * 90);
      return FALSE;
    }

  iterator = TessBaseAPIGetIterator (self->api);
  if (iterator == NULL)
    return TRUE; /* nothing on the page */

  do
    {
      const TessPageIterator *page = TessResultIteratorGetPageIteratorConst (iterator);
      char *raw = TessResultIteratorGetUTF8Text (iterator, RIL_TEXTLINE);
      g_autofree char *text = NULL;
      double confidence = TessResultIteratorConfidence (iterator, RIL_TEXTLINE) / 100.0;
      TessOrientation orientation = ORIENTATION_PAGE_UP;
      TessWritingDirection direction;
      TessTextlineOrder order;
      float deskew;
      int left, top, right, bottom;
      int angle;
      Box box;

      if (raw == NULL)
        continue;
      /* Tesseract allocates with new[]: its text goes back through TessDeleteText. */
      text = clean_line_text (raw);
      TessDeleteText (raw);
      if (!TessPageIteratorBoundingBox (page, RIL_TEXTLINE, &left, &top, &right, &bottom))
        continue;
      TessPageIteratorOrientation ((TessPageIterator *) page, &orientation, &direction, &order, &deskew);
      g_debug ("turn %d°: “%s” %.2f [%d,%d %d×%d] orientation %d", quarter_turns * 90,
               text != NULL ? text : "", confidence, left, top, right - left, bottom - top, orientation);
      if (text == NULL || confidence < MIN_LINE_CONFIDENCE)
        continue;

      box = unturn_box ((Box) { left, top, right - left, bottom - top }, quarter_turns,
                        pixGetWidth (image->grey), pixGetHeight (image->grey));
      box = box_to_photo (box, image);
      if (box.width == 0 || box.height == 0)
        continue;

      angle = quarter_turns * 90;
      if (is_vertical_reading (text, right - left, bottom - top))
        angle += 270;
      else if (orientation == ORIENTATION_PAGE_DOWN)
        angle += 180;
      g_ptr_array_add (lines, bi_ocr_line_new (text, CLAMP (confidence, 0.0, 1.0),
                                               box.x, box.y, box.width, box.height, angle % 360));
    }
  while (TessResultIteratorNext (iterator, RIL_TEXTLINE));

  TessResultIteratorDelete (iterator);
  return TRUE;
}

static int
compare_by_confidence (gconstpointer a,
                       gconstpointer b)
{
  const BiOcrLine *first = *(const BiOcrLine * const *) a;
  const BiOcrLine *second = *(const BiOcrLine * const *) b;

  return (first->confidence < second->confidence) - (first->confidence > second->confidence);
}

static int
compare_by_position (gconstpointer a,
                     gconstpointer b)
{
  const BiOcrLine *first = *(const BiOcrLine * const *) a;
  const BiOcrLine *second = *(const BiOcrLine * const *) b;

  if (first->x != second->x)
    return first->x < second->x ? -1 : 1;
  return (first->y > second->y) - (first->y < second->y);
}

static gboolean
same_place (const BiOcrLine *a,
            const BiOcrLine *b)
{
  gint64 overlap_width = MIN (a->x + a->width, b->x + b->width) - MAX (a->x, b->x);
  gint64 overlap_height = MIN (a->y + a->height, b->y + b->height) - MAX (a->y, b->y);
  gint64 smaller_area = MIN ((gint64) a->width * a->height, (gint64) b->width * b->height);

  if (overlap_width <= 0 || overlap_height <= 0 || smaller_area <= 0)
    return FALSE;
  return overlap_width * overlap_height >= SAME_PLACE_OVERLAP * smaller_area;
}

/* Moves into @result, most confident first, every line whose place no more confident line
 * already took: the reading of a spine at its right turn beats the garbage read from the
 * same pixels at the wrong one. */
static void
keep_best_readings (GPtrArray   *candidates,
                    BiOcrResult *result)
{
  g_ptr_array_sort (candidates, compare_by_confidence);

  for (guint i = 0; i < candidates->len; i++)
    {
      BiOcrLine *candidate = g_ptr_array_index (candidates, i);
      gboolean taken = FALSE;

      for (guint j = 0; j < result->lines->len && !taken; j++)
        taken = same_place (candidate, g_ptr_array_index (result->lines, j));

      if (!taken)
        {
          g_ptr_array_add (result->lines, candidate);
          candidates->pdata[i] = NULL; /* now owned by @result */
        }
    }

  g_ptr_array_sort (result->lines, compare_by_position);
}

BiOcrResult *
bi_tesseract_engine_recognize (BiTesseractEngine  *self,
                               GBytes             *image_data,
                               GError            **error)
{
  /* Upright, then a quarter turn each way: spines read top to bottom and bottom to top. */
  static const int quarter_turns[] = { 0, 1, 3 };
  g_autoptr (BiLoadedImage) image = NULL;
  g_autoptr (BiOcrResult) result = NULL;
  g_autoptr (GPtrArray) candidates = NULL;
  gint64 start = g_get_monotonic_time ();

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (image_data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  image = bi_image_loader_load (image_data, self->max_side, error);
  if (image == NULL)
    return NULL;
  g_debug ("loaded a %d×%d %s (EXIF orientation %d) as %d×%d grey in %" G_GINT64_FORMAT " ms",
           image->width, image->height, image->content_type, image->orientation,
           pixGetWidth (image->grey), pixGetHeight (image->grey),
           (g_get_monotonic_time () - start) / 1000);

  candidates = g_ptr_array_new_with_free_func ((GDestroyNotify) bi_ocr_line_free);
  for (guint i = 0; i < G_N_ELEMENTS (quarter_turns); i++)
    {
      g_autoptr (PIX) turned = quarter_turns[i] == 0 ? pixClone (image->grey)
                                                     : pixRotateOrth (image->grey, quarter_turns[i]);
      gboolean ok;

      if (turned == NULL)
        {
          g_set_error (error, BI_STAGE_ERROR, BI_STAGE_ERROR_TRANSIENT,
                       "Not enough memory to turn a %d×%d photo for reading",
                       pixGetWidth (image->grey), pixGetHeight (image->grey));
          return NULL;
        }

      start = g_get_monotonic_time ();
      ok = read_turned (self, turned, quarter_turns[i], image, candidates, error);
      /* Tesseract keeps a reference to the picture until it is cleared. */
      TessBaseAPIClear (self->api);
      if (!ok)
        return NULL;
      g_debug ("read the photo turned %d° in %" G_GINT64_FORMAT " ms", quarter_turns[i] * 90,
               (g_get_monotonic_time () - start) / 1000);
    }

  result = bi_ocr_result_new (image->width, image->height);
  keep_best_readings (candidates, result);
  return g_steal_pointer (&result);
}
