/* bi-tesseract-engine.c — the OCR engine port on Tesseract's C API
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-tesseract-engine"

#include "bi-tesseract-engine.h"

#include <math.h>
#include <string.h>

#include <tesseract/capi.h>

#include "bi-barcode-reader.h"
#include "bi-image-loader.h"
#include "bi-label-band.h"
#include "bi-reading-place.h"
#include "bi-spine-contrast.h"
#include "bi-spine-label.h"
#include "bi-spine-letters.h"
#include "bi-spine-text.h"
#include "bi-spine-detector.h"
#include "bi-stages.h"
#include "bi-ocr-geometry.h"
#include "bi-ocr-order.h"
#include "bi-strip-page.h"
#include "bi-text-mask.h"

G_DEFINE_QUARK (bi-tesseract-engine-error-quark, bi_tesseract_engine_error)

#define DEFAULT_LANGUAGES     "eng"
#define MAX_LANGUAGES_LENGTH  128

/* Tesseract assumes 70 dpi (and warns) for a picture without a resolution; photos have none
 * that means anything, and 300 is what its text-size heuristics are tuned for. */
#define SOURCE_RESOLUTION     300

/* Lines read below this confidence are mostly Tesseract's attempts at the sideways text of the
 * other quarter turns, shelf edges and wood grain. */
#define MIN_LINE_CONFIDENCE   0.40

/* Longest side the upright pass reads: on a shelf it finds labels, books lying flat and which
 * way the spines run; on a cover its title. All of them are large. */
#define UPRIGHT_SIDE          1200

/* Longest side the sideways passes start at: a 12 MP photo at about half its size. */
#define SIDEWAYS_SIDE         2048

/* Median thickness, in pixels, of the sideways lines below which the main pass is read again
 * larger, and the thickness it is then read at: the thinner half of the lines was missing
 * letters (measured on llabres_two_shelves_example.jpg, docs/ocr.md). */
#define READABLE_THICKNESS    15.0
#define REREAD_THICKNESS      21.0

/* The lines that count for these measures: confident readings of a word, and enough of them. */
#define MEASURE_MIN_CONFIDENCE 0.70
#define MEASURE_MIN_CHARACTERS 4
#define MEASURE_MIN_LINES      5

/* Confident top-to-bottom columns in the upright pass that make it the main direction. */
#define MIN_TOP_TO_BOTTOM_LINES 4

/* A spine left without a confident word by the whole-photo reading is cut out, straightened,
 * stretched by its own contrast and read again, scaled to this many pixels across (its title
 * then stands about 30–40 px high; 100 read one title more in 90 on four generated photos and
 * cost 25 % more time, 70 one title less; in round 6, with a merged region scaled as a
 * typical spine, 64 and 100 both read fewer titles than 80), by at most these factors. */
#define REREAD_ACROSS         80.0
#define REREAD_MIN_SCALE      0.25
#define REREAD_MAX_SCALE      2.0

/* A book lying flat in a stack is read again scaled to this many pixels across, and not when
 * it is thicker than this many of the photo's typical spines (a book lies as thick as it
 * stands wide). A region may hold two thin books: at 80 photo 13's "Tres mujeres"
 * (italic) was read at 0.34, at 120 at 0.58; the wall above that stack (4.6 spines) cost
 * 0.13 s for nothing (docs/ocr.md, round 8). */
#define REREAD_LYING_ACROSS   120.0
#define MAX_LYING_ACROSS      2.5

/* A book lying flat is cut out this many of its own thicknesses longer at each end than its
 * region: a stacked book often reaches past the stack's sides (bi_strip_page_set_reach). At
 * 1.0 the title of photo 15's cover (a region laid flat across it) was lost among the pieces
 * of its neighbours; 0.5 kept it and still read "Qui mana aquí?" (docs/ocr.md, "Books past
 * their stack's sides"). */
#define LYING_REACH 0.5

/* A spine's ink must lie this many grey levels beyond the photo's threshold, on the other side
 * from its background, for the whole-photo reading to have seen its letters whole. */
#define THRESHOLD_MARGIN      24

/* …and its background at least this many from the threshold: a mid-grey spine whose
 * background lies at the threshold is binarised into noise, letters and all (photo 19 of the
 * benchmark: 4 titles more, docs/ocr.md). */
#define BACKGROUND_MARGIN     8

/* …and a spine whose farther tail the threshold did separate is read again for its nearer
 * tail when that one lies this far from its background (light letters on a mid-grey spine
 * beside a dark gap). On the seven 12 MP generated shelves 48 and 64 read 187 titles against
 * 188 and cost up to 0.8 s more CPU on the real photos; 100 read 186 (docs/ocr.md,
 * round 6). */
#define INK_CONTRAST          80

/* A standing spine that no pass read a confident word of, whose letters the page threshold
 * did separate, is read once more, last, when its ink (the tail whose blots are letters, else
 * the farther one) makes at least this many blots the size of a letter (bi-spine-letters.c): a
 * title in small, light or thin type on a dark
 * spine, which the sideways passes' scale lost (photo 13 of the benchmark, "La Delicadesa"
 * with 28, "Guia numismàtica" with 16; plain spines and wall show 0–3, spines with a picture
 * or a band up to 11). At 12 the 20 generated photos read 3 titles more, the held-out ones 7
 * and the real ones 1, for about 3 % more CPU; 8 and 16 read the same generated titles
 * (docs/ocr.md, round 13). */
#define MIN_UNREAD_LETTERS    12

/* …and when it was glimpsed (GLIMPSED_MIN_CHARACTERS), which had it read at REREAD_ACROSS for
 * nothing already, it is read this much larger: "Even Now" (photo 01 of the benchmark), its
 * author in small serif, read "EVEN NOW «cesinetun" at 0.36 at 80 px across, under the
 * whole-photo reading's "N NOW «oe" at 0.43. 1.5 read 1 title more on the generated photos,
 * the same on the held-out and the real ones; taking the glimpsed spines at the same scale
 * read none more, and 1.5 for every spine of the pass lost "This Side of Paradise" on jhrcook
 * (docs/ocr.md, round 13). */
#define LETTERED_GLIMPSED_LARGER 1.5

/* Confident sideways words that make a photo a shelf of spines, with no barcode to look for. */
#define MIN_SHELF_WORDS       10

/* A standing spine whose confident words cover less than this share of its length (their
 * boxes' long sides over the region's height, which spans the shelf row) is read again too,
 * for the title beside an author that the whole-photo reading read alone (photo 13 of the
 * benchmark: "Amatka", "La Noia", "GOLD"; the titles gained had shares of 0.15–0.18). 0.2,
 * 0.3 and 0.4 read the same titles, 4 more on the 20 generated photos and 1 more on the real
 * ones; read at both quarter turns, their pages cost 0.3, 0.5 and 0.7 s of CPU on the
 * generated photos (of 28 s), and 2.0, 2.7 and 3.5 s on the real ones (of 10 s); at 0.2 and
 * one turn (find_hidden_spines), 0.4 s and 1.1 s. Since then the spines left so hold their
 * author at a share of 0.21–0.25 ("Soleá" beside "Jean-Claude Izzo", photo 19): at 0.25 the
 * benchmark's photos read 2 books more, the held-out ones 1 more and the real ones 1 more. 0.3
 * read 4 more held-out books but narrowed the label band of test-label-band.c, which then
 * missed a label: labels read small on the spines it added shortened the median label length
 * the band is widened by (docs/ocr.md, "Titles beside a longer author (round 11)"). */
#define PARTLY_READ_SHARE     0.25

/* A standing spine with no confident word but a line of at least this many letters or digits
 * (any confidence the whole-photo reading kept) is read again too, whatever the threshold did:
 * its text is there, read at the wrong turn or blurred by the photo's binarisation (photo 02
 * of the generated shelves: "AMIGURUMI EN LOS CUENTOS CLÁSICOS", white on dark grey, read
 * upside down as "SOOISYTO SOLNAND" at 0.43). 4 letters picked 12 spines on the 20 generated
 * photos and 14 on the real ones, and read 5 titles more there (283 / 328) and 4 more on the
 * real ones (88 / 114, all on jhrcook, which now reads "NEW WORLD", "THE ELEMENTS OF STYLE",
 * "AN INSIDE WORLD", "Functional Histology", "EEP LEARNING"), for about 1.2 s more CPU on
 * each set (of 29 s and of 11.6 s, runs alternated with the code before, which vary by
 * 0.5 s); any line (1 letter) picked 20 and 28 spines and read 1 title more on each set for
 * 1 s more than 4 letters on the real photos; 6 letters picked 12 and 12 and read 1 title
 * fewer on the real ones; asking their lines to cover a share of the length as well (0.1,
 * 0.2, 0.3) read the same titles or 2 fewer on the real photos. */
#define GLIMPSED_MIN_CHARACTERS 4

/* Lines the sideways passes read below MIN_LINE_CONFIDENCE but at least at this one, with
 * GLIMPSED_MIN_CHARACTERS letters or digits, are kept aside as faint: not a reading, but a sign
 * that text stands on that spine, which is then read again as a glimpsed one
 * (find_hidden_spines). White titles on dark grey spines that the threshold separates were read
 * so and never again ("DERECHO NATURAL", 0.34, on photo 16 of the benchmark). At 0.25 the 20
 * generated photos read 285 titles of 328 instead of 283 for 1 % more CPU, the real ones the
 * same 88 for 5 % more; at 0.20 the same titles for 6 % and 14 % more; at 0.30 285 and 87
 * (docs/ocr.md, "Spines seen faintly"). */
#define FAINT_MIN_CONFIDENCE  0.25

/* A line read sideways on a standing spine below this confidence may be its title read upside
 * down: capitals turned half round read as other capitals ("MISSING YOU" as "AOA DNISSIN",
 * 0.82, on photo 08 of the benchmark), and the passes after the one that read it painted it
 * over, so no pass saw it the right way up. Such a reading is read again at both quarter
 * turns (reread_doubtful_readings), scaled to DOUBTFUL_THICKNESS pixels across. */
#define DOUBTFUL_CONFIDENCE   0.85
#define DOUBTFUL_THICKNESS    40.0

/* A doubtful reading read again at its own turn is replaced only by a reading at least this
 * share of its length, and sure (DOUBTFUL_CONFIDENCE) or this much more confident than it:
 * "Bs Buenos Niyjos Kosa nwas" (0.49) read again "ins Buenos hijos Rosa Ribas |" (0.63) on
 * photo 08 of the benchmark. */
#define SAME_TURN_LENGTH_SHARE 0.8
#define SAME_TURN_GAIN        0.10

/* A standing spine holding a reading of its text (is_spine_reading) under DOUBTFUL_CONFIDENCE
 * is read once more, last, at the turn its text reads at, scaled so that its lines stand this
 * many pixels thick (bi-spine-text.h): the sideways passes read a small title on a wide spine
 * in pieces ("OR WHO", "M THE", "TOLLS" for "FOR WHOM THE BELL TOLLS", "HAAVE NEW WORLD" for
 * "BRAVE NEW WORLD" on jhrcook), and the passes after them scale a spine by its width. At 30
 * (binarised) the real photos read 4 books more, the held-out shelves 1 more, the 20 generated
 * ones the same; at 24 and 36, 1 and 3 more on the real photos (docs/ocr.md, round 14). */
#define DOUBTFUL_SPINE_THICKNESS 30.0

/* A standing spine whose confident words cover less than PARTLY_READ_SHARE of its length is
 * read last along its longest confident line (not a call number), in a band this many times that line's thickness
 * across: a spine prints its author and title in one line as often as not, and what the
 * passes before missed of it is there ("Marc Pastor" read, "Els àngels em miren" in light
 * orange type beside it not). The band holds that line alone, its words read painted over,
 * and is stretched tile by tile (BI_SPINE_TONES_LOCAL), at DOUBTFUL_SPINE_THICKNESS. */
#define ALONG_LINE_THICKNESSES 2.0

/* …and so is one holding a line sure on its words' mean but for one word under
 * DOUBTFUL_CONFIDENCE (BiOcrLine.weakest_word: "HAAVE NEW WORLD", 0.91, "HAAVE" 0.79), when it
 * is read at least this many times larger than the main sideways pass read it. Taking every
 * such spine added 4–6 spines to the pass on the 12 MP generated photos (0.1–0.4 s of CPU per
 * photo), whose large type it reads no larger (docs/ocr.md, round 15). */
#define DOUBTFUL_WORD_LARGER 2.0

/* Confident words read across a spine, cut out and read as it stands, that say its text runs
 * across it: its readings along it under MEASURE_MIN_CONFIDENCE are those words read at the
 * wrong turn (read_spines_upright). One word could be a publisher's name across a spine whose
 * title runs along it. */
#define MIN_UPRIGHT_WORDS 2

/* …but a line of more letters or digits than this is a text of its own along the spine, kept:
 * the Third Reich's words read along were pieces of 1–5 ("| OR: zg", "tH AS", "2D"), while
 * "Stevens Lowe Heath" stacked across the top of a histology textbook (jhrcook) has its title
 * and publisher along it ("… Functional Histology A Text …", 0.61; "LIVINGSTONE", 0.70), which
 * the doubtful spines' pass then reads whole (docs/ocr.md, round 15). */
#define UPRIGHT_PIECE_MAX_CHARACTERS 9

/* Characters of a reading below which its confidence counts for less (reading_evidence). */
#define READING_WORD_CHARACTERS 4

struct _BiTesseractEngine
{
  BiOcrEngine  port;      /* first: the port is a cast of the engine */
  TessBaseAPI *api;       /* owned; used by one thread at a time */
  int          max_side;  /* passed to the image loader */
  gboolean     find_regions; /* cut spines and covers out and read them one by one */
  guint        n_label_bands; /* label bands read in the last photo, for the tests */
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
 * list of installed languages needs an initialised engine, so a probe starts on "osd", the
 * smallest data file, which Debian installs with Tesseract itself. */
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

const char *
bi_tesseract_engine_languages_from_environment (void)
{
  const char *languages = g_getenv ("BOOKIMG_OCR_LANGUAGES");

  return languages != NULL && *languages != '\0' ? languages : NULL;
}

gboolean
bi_tesseract_engine_check_languages (const char  *languages,
                                     GError     **error)
{
  g_autoptr (GMutexLocker) locker = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (languages == NULL)
    languages = DEFAULT_LANGUAGES;
  if (!languages_are_valid (languages))
    {
      g_set_error (error, BI_TESSERACT_ENGINE_ERROR, BI_TESSERACT_ENGINE_ERROR_INVALID_LANGUAGES,
                   "“%s” is not a list of Tesseract language codes: use codes such as “eng” "
                   "joined by “+”, e.g. “eng+deu”", languages);
      return FALSE;
    }

  locker = g_mutex_locker_new (&creation_lock);
  return check_language_data (languages, error);
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
  if (!bi_tesseract_engine_check_languages (languages, error))
    return NULL;

  locker = g_mutex_locker_new (&creation_lock);
  self = g_new0 (BiTesseractEngine, 1);
  self->port.recognize = recognize_port;
  self->find_regions = TRUE;
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

void
bi_tesseract_engine_set_find_regions (BiTesseractEngine *self,
                                      gboolean           find_regions)
{
  g_return_if_fail (self != NULL);

  self->find_regions = find_regions;
}

guint
bi_tesseract_engine_get_n_label_bands (BiTesseractEngine *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->n_label_bands;
}

/* ---- reading ------------------------------------------------------------------------------ */

/* An empty list of BiOcrLine that owns them. */
static GPtrArray *
lines_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) bi_ocr_line_free);
}

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

/* From the reduced grey picture to the photo as shown, kept inside it. */
static BiPixelBox
box_to_photo (BiPixelBox           box,
              const BiLoadedImage *image)
{
  int left = CLAMP ((int) (box.x / image->scale), 0, image->width);
  int top = CLAMP ((int) (box.y / image->scale), 0, image->height);
  int right = CLAMP ((int) ((box.x + box.width) / image->scale + 0.5), left, image->width);
  int bottom = CLAMP ((int) ((box.y + box.height) / image->scale + 0.5), top, image->height);

  return (BiPixelBox) { left, top, right - left, bottom - top };
}

/* @region (the photo's pixels) in the reduced grey picture's, covering it whole. */
static BiOcrRegion
region_in_grey (const BiOcrRegion   *region,
                const BiLoadedImage *image)
{
  return (BiOcrRegion) { (int) (region->x * image->scale), (int) (region->y * image->scale),
                         (int) ceil (region->width * image->scale),
                         (int) ceil (region->height * image->scale), region->angle,
                         region->kind };
}

/* Tesseract's line text, valid UTF-8, on one line, trimmed; NULL when nothing readable is left
 * (no letter or digit at all: rules, shelf edges, "|||"). */
/* Moves @lines[@index], read on a picture of the photo, into @candidates: its box becomes
 * @grey_box (where it stands in the grey picture) in the photo's pixels, its angle turns by
 * the @quarter_turns the picture was turned, and its region is @region. A box that comes out
 * empty is left behind. */
static void
move_line_to_photo (GPtrArray           *lines,
                    guint                index,
                    BiPixelBox           grey_box,
                    const BiLoadedImage *image,
                    int                  quarter_turns,
                    int                  region,
                    GPtrArray           *candidates)
{
  BiOcrLine *line = g_ptr_array_index (lines, index);
  BiPixelBox box = box_to_photo (grey_box, image);

  if (box.width == 0 || box.height == 0)
    return;
  line->x = box.x;
  line->y = box.y;
  line->width = box.width;
  line->height = box.height;
  line->angle = (int) (line->angle + quarter_turns * 90) % 360;
  line->region = region;
  g_ptr_array_add (candidates, g_steal_pointer (&lines->pdata[index]));
}

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

/* The confidence of the least sure word of GLIMPSED_MIN_CHARACTERS letters or digits or more
 * of the line @iterator stands at, from 0 to 1; @line_confidence when it has none. Tesseract's
 * line confidence is its words' mean: "HAAVE NEW WORLD" read at 0.91 holds a garbled word. */
static double
weakest_word_confidence (const TessResultIterator *iterator,
                         double                    line_confidence)
{
  TessResultIterator *word = TessResultIteratorCopy (iterator);
  double weakest = line_confidence;

  do
    {
      char *raw = TessResultIteratorGetUTF8Text (word, RIL_WORD);

      if (raw != NULL && bi_ocr_count_characters (raw) >= GLIMPSED_MIN_CHARACTERS)
        weakest = MIN (weakest, TessResultIteratorConfidence (word, RIL_WORD) / 100.0);
      TessDeleteText (raw);
    }
  while (!TessPageIteratorIsAtFinalElement (TessResultIteratorGetPageIteratorConst (word),
                                            RIL_TEXTLINE, RIL_WORD) &&
         TessResultIteratorNext (word, RIL_WORD));
  TessResultIteratorDelete (word);
  return CLAMP (weakest, 0.0, 1.0);
}

/* Reads @page and adds its lines to @lines with boxes in @page's pixels; each line's angle is
 * the further turn, beyond the page's own, that makes it upright (0, 180 or 270). With @faint
 * (nullable), the lines too faint for @lines that hold GLIMPSED_MIN_CHARACTERS letters or digits
 * go there. */
static gboolean
read_page (BiTesseractEngine  *self,
           PIX                *page,
           TessPageSegMode     mode,
           GPtrArray          *lines,
           GPtrArray          *faint,
           GError            **error)
{
  TessResultIterator *iterator;
  gboolean ok = TRUE;

  TessBaseAPISetPageSegMode (self->api, mode);
  TessBaseAPISetImage2 (self->api, page);
  TessBaseAPISetSourceResolution (self->api, SOURCE_RESOLUTION);
  if (TessBaseAPIRecognize (self->api, NULL) != 0)
    {
      g_set_error (error, BI_STAGE_ERROR, BI_STAGE_ERROR_TRANSIENT,
                   "Tesseract failed to read a %d×%d picture of the photo",
                   pixGetWidth (page), pixGetHeight (page));
      ok = FALSE;
    }

  iterator = ok ? TessBaseAPIGetIterator (self->api) : NULL;
  if (iterator != NULL)
    {
      do
        {
          const TessPageIterator *layout = TessResultIteratorGetPageIteratorConst (iterator);
          char *raw = TessResultIteratorGetUTF8Text (iterator, RIL_TEXTLINE);
          g_autofree char *text = NULL;
          double confidence = TessResultIteratorConfidence (iterator, RIL_TEXTLINE) / 100.0;
          TessOrientation orientation = ORIENTATION_PAGE_UP;
          BiOcrLine *line;
          TessWritingDirection direction;
          TessTextlineOrder order;
          float deskew;
          int left, top, right, bottom;
          int angle = 0;

          if (raw == NULL)
            continue;
          /* Tesseract allocates with new[]: its text goes back through TessDeleteText. */
          text = clean_line_text (raw);
          TessDeleteText (raw);
          if (!TessPageIteratorBoundingBox (layout, RIL_TEXTLINE, &left, &top, &right, &bottom))
            continue;
          TessPageIteratorOrientation ((TessPageIterator *) layout, &orientation, &direction,
                                       &order, &deskew);
          g_debug ("“%s” %.2f [%d,%d %d×%d] orientation %d", text != NULL ? text : "",
                   confidence, left, top, right - left, bottom - top, orientation);
          if (text == NULL || confidence < FAINT_MIN_CONFIDENCE)
            continue;
          if (confidence < MIN_LINE_CONFIDENCE &&
              (faint == NULL || bi_ocr_count_characters (text) < GLIMPSED_MIN_CHARACTERS))
            continue;

          if (is_vertical_reading (text, right - left, bottom - top))
            angle = 270;
          else if (orientation == ORIENTATION_PAGE_DOWN)
            angle = 180;
          line = bi_ocr_line_new (text, CLAMP (confidence, 0.0, 1.0), left, top, right - left,
                                  bottom - top, angle);
          line->weakest_word = weakest_word_confidence (iterator, line->confidence);
          if (line->weakest_word < line->confidence)
            g_debug ("  its least sure word %.2f", line->weakest_word);
          g_ptr_array_add (confidence < MIN_LINE_CONFIDENCE ? faint : lines, line);
        }
      while (TessResultIteratorNext (iterator, RIL_TEXTLINE));
      TessResultIteratorDelete (iterator);
    }

  /* Tesseract keeps a reference to the picture until it is cleared. */
  TessBaseAPIClear (self->api);
  return ok;
}

static int
compare_by_confidence (gconstpointer a,
                       gconstpointer b)
{
  const BiOcrLine *first = *(const BiOcrLine * const *) a;
  const BiOcrLine *second = *(const BiOcrLine * const *) b;

  return (first->confidence < second->confidence) - (first->confidence > second->confidence);
}

/* Regions in shelf order, lines within a region left to right then top to bottom; lines
 * outside every region last. */
static int
compare_by_position (gconstpointer a,
                     gconstpointer b)
{
  const BiOcrLine *first = *(const BiOcrLine * const *) a;
  const BiOcrLine *second = *(const BiOcrLine * const *) b;
  guint first_region = (guint) first->region, second_region = (guint) second->region;

  if (first_region != second_region)
    return first_region < second_region ? -1 : 1;
  if (first->x != second->x)
    return first->x < second->x ? -1 : 1;
  return (first->y > second->y) - (first->y < second->y);
}

/* Moves into @result, first in @order, every line whose place no line before it already
 * took (bi_reading_place_taken: a line running past the region of the line in its place, read
 * on another spine, or reading more than the lines in its place takes a place of its own). */
static void
keep_readings_in_order (GPtrArray    *candidates,
                        BiOcrResult  *result,
                        GCompareFunc  order)
{
  g_ptr_array_sort (candidates, order);

  for (guint i = 0; i < candidates->len; i++)
    {
      BiOcrLine *candidate = g_ptr_array_index (candidates, i);

      if (!bi_reading_place_taken (result, candidate))
        {
          g_ptr_array_add (result->lines, candidate);
          candidates->pdata[i] = NULL; /* now owned by @result */
        }
    }
}

/* How much a reading tells: its confidence, discounted for a reading of fewer characters
 * than a word (READING_WORD_CHARACTERS). A letter or two read with high confidence in a
 * corner of a line ("g", 0.89, in "LOS REYES DEL JACO") is a worse reading of that place than
 * the whole line read at 0.69 (photo 12 of the benchmark, docs/ocr.md). */
static double
reading_evidence (const BiOcrLine *line)
{
  glong characters = g_utf8_strlen (line->text, -1);

  return line->confidence * MIN (characters, READING_WORD_CHARACTERS)
         / (double) READING_WORD_CHARACTERS;
}

/* Best first (reading_evidence); of two as good, the one whose least sure word is surer: the
 * same title read again whole ("BRAVE NEW WORLD", 0.91) and as first read ("HAAVE NEW WORLD",
 * 0.91, "HAAVE" at 0.79). */
static int
compare_by_evidence (gconstpointer a,
                     gconstpointer b)
{
  const BiOcrLine *first = *(const BiOcrLine * const *) a;
  const BiOcrLine *second = *(const BiOcrLine * const *) b;
  double first_evidence = reading_evidence (first), second_evidence = reading_evidence (second);

  if (first_evidence != second_evidence)
    return (first_evidence < second_evidence) - (first_evidence > second_evidence);
  return (first->weakest_word < second->weakest_word) -
         (first->weakest_word > second->weakest_word);
}

/* Moves into @result, best first (reading_evidence), every line whose place no better line
 * already took: the reading of a spine at its right turn beats the garbage read from the
 * same pixels at the wrong one. */
static void
keep_best_readings (GPtrArray   *candidates,
                    BiOcrResult *result)
{
  keep_readings_in_order (candidates, result, compare_by_evidence);
}

static gboolean
is_confident_word (const BiOcrLine *line)
{
  return line->confidence >= MEASURE_MIN_CONFIDENCE &&
         g_utf8_strlen (line->text, -1) >= MEASURE_MIN_CHARACTERS;
}

/* Whether @line is a confident word (is_confident_word) but for a word of it read under
 * DOUBTFUL_CONFIDENCE, its line sure on its words' mean: "HAAVE NEW WORLD" at 0.91, "HAAVE" at
 * 0.79 (jhrcook). */
static gboolean
is_doubtful_by_a_word (const BiOcrLine *line)
{
  return is_confident_word (line) && line->confidence >= DOUBTFUL_CONFIDENCE &&
         line->weakest_word < DOUBTFUL_CONFIDENCE;
}

static void
set_turn_error (GError             **error,
                const BiLoadedImage *image)
{
  g_set_error (error, BI_STAGE_ERROR, BI_STAGE_ERROR_TRANSIENT,
               "Not enough memory to turn a %d×%d photo for reading",
               pixGetWidth (image->grey), pixGetHeight (image->grey));
}

/* Moves @lines, read on the grey picture reduced to @width × @height (@scale) and turned
 * @quarter_turns, into @candidates in the photo's pixels. */
static void
move_turned_lines_to_photo (GPtrArray           *lines,
                            const BiLoadedImage *image,
                            int                  quarter_turns,
                            double               scale,
                            int                  width,
                            int                  height,
                            GPtrArray           *candidates)
{
  for (guint j = 0; j < lines->len; j++)
    {
      BiOcrLine *line = g_ptr_array_index (lines, j);
      BiPixelBox box = bi_pixel_box_unturn ((BiPixelBox) { line->x, line->y, line->width,
                                                           line->height },
                                            quarter_turns, width, height);

      move_line_to_photo (lines, j, (BiPixelBox) { (int) (box.x / scale), (int) (box.y / scale),
                                                   (int) ceil (box.width / scale),
                                                   (int) ceil (box.height / scale) },
                          image, quarter_turns, -1, candidates);
    }
}

/* The grey picture as the last reduced pass read it, before any painting. The main sideways
 * pass and the other direction's pass read the photo at one scale: reducing a 12 MP photo to
 * 2048 px again cost 25–35 ms of CPU (docs/ocr.md, "Speed outside Tesseract"). */
typedef struct
{
  double  scale;   /* of @reduced; 0 before the first reduction */
  PIX    *reduced; /* owned; nullable */
} Reduction;

static void
reduction_clear (Reduction *reduction)
{
  pixDestroy (&reduction->reduced);
  reduction->scale = 0;
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Reduction, reduction_clear)

/* @image->grey reduced by @scale (< 1), from @reduction when it holds that scale; a picture
 * of its own when @paint, to be painted on. NULL when out of memory. */
static PIX *
reduce_grey (const BiLoadedImage *image,
             double               scale,
             gboolean             paint,
             Reduction           *reduction)
{
  if (reduction->reduced == NULL || reduction->scale != scale)
    {
      reduction_clear (reduction);
      reduction->reduced = pixScaleAreaMap (image->grey, scale, scale);
      reduction->scale = scale;
    }
  if (reduction->reduced == NULL)
    return NULL;
  return paint ? pixCopy (NULL, reduction->reduced) : pixClone (reduction->reduced);
}

/* Reads @image->grey reduced by @scale and turned @quarter_turns × 90° clockwise with @mode,
 * and adds its lines to @candidates in the photo's pixels, its faint ones (read_page) to @faint
 * (nullable). The confident words among @read_before (nullable; in the photo's pixels) are
 * painted over first: read again at another turn they only cost time (bi-text-mask.h).
 * @reduction keeps the reduced picture for the next pass. */
static gboolean
read_turned (BiTesseractEngine    *self,
             const BiLoadedImage  *image,
             int                   quarter_turns,
             double                scale,
             TessPageSegMode       mode,
             const GPtrArray      *read_before,
             Reduction            *reduction,
             GPtrArray            *candidates,
             GPtrArray            *faint,
             GError              **error)
{
  /* Painting needs a picture of its own; the grey one is shared by every pass. */
  g_autoptr (PIX) reduced = scale < 1.0 ? reduce_grey (image, scale, read_before != NULL,
                                                       reduction)
                            : read_before != NULL ? pixCopy (NULL, image->grey)
                                                  : pixClone (image->grey);
  g_autoptr (PIX) turned = NULL;
  g_autoptr (GPtrArray) lines = lines_new ();
  g_autoptr (GPtrArray) faint_lines = lines_new ();
  gint64 start = g_get_monotonic_time ();
  int width, height;
  guint n_painted = 0;

  if (reduced != NULL && read_before != NULL)
    n_painted = bi_text_mask_paint (reduced,
                                   image->scale * pixGetWidth (reduced) / pixGetWidth (image->grey),
                                   read_before, is_confident_word);
  if (reduced != NULL)
    turned = bi_pix_turn (reduced, quarter_turns);
  if (turned == NULL)
    {
      set_turn_error (error, image);
      return FALSE;
    }
  width = pixGetWidth (reduced);
  height = pixGetHeight (reduced);
  scale = (double) width / pixGetWidth (image->grey);

  if (!read_page (self, turned, mode, lines, faint != NULL ? faint_lines : NULL, error))
    return FALSE;

  move_turned_lines_to_photo (lines, image, quarter_turns, scale, width, height, candidates);
  if (faint != NULL)
    move_turned_lines_to_photo (faint_lines, image, quarter_turns, scale, width, height, faint);
  g_debug ("read the photo turned %d° at %.2f× (%d×%d, %u lines painted over) with mode %d in %"
           G_GINT64_FORMAT " ms", quarter_turns * 90, scale, width, height, n_painted, mode,
           (g_get_monotonic_time () - start) / 1000);
  return TRUE;
}

/* The median thickness, in pixels of a picture @scale times the grey one, of the confident
 * sideways lines among @lines (whichever pass read them); 0 when there are too few to tell. */
static double
median_thickness (GPtrArray           *lines,
                  const BiLoadedImage *image,
                  double               scale)
{
  g_autoptr (GArray) thickness = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; i < lines->len; i++)
    {
      const BiOcrLine *line = g_ptr_array_index (lines, i);
      double across = MIN (line->width, line->height) * image->scale * scale;

      if ((line->angle == 90 || line->angle == 270) && is_confident_word (line))
        g_array_append_val (thickness, across);
    }
  if (thickness->len < MEASURE_MIN_LINES)
    return 0;
  return bi_ocr_median_double (thickness);
}

/* Whether the upright pass read enough top-to-bottom columns (Tesseract reads those as they
 * stand, see is_vertical_reading) for them to be the shelf's main direction. */
static gboolean
reads_top_to_bottom (GPtrArray *lines)
{
  guint n = 0;

  for (guint i = 0; i < lines->len; i++)
    {
      const BiOcrLine *line = g_ptr_array_index (lines, i);

      n += line->angle == 270 && is_confident_word (line);
    }
  return n >= MIN_TOP_TO_BOTTOM_LINES;
}

static double
scale_to_side (const BiLoadedImage *image,
               int                  side)
{
  return MIN (1.0, (double) side / MAX (pixGetWidth (image->grey), pixGetHeight (image->grey)));
}

/* The whole photo as one page, upright and a quarter turn each way (spines read top to
 * bottom and bottom to top), with the costs measured in docs/ocr.md:
 *
 * - Large photos are reduced first. Tesseract's time grows with the pixels, not with the size
 *   of the letters, and spine titles on a 12 MP photo are several times the height it needs.
 *   The first sideways pass measures the text (the median thickness of its lines); text too
 *   thin at that scale is read again at the scale that makes it readable.
 * - Spines of one shelf mostly run one way (English top to bottom, Spanish and Catalan bottom
 *   to top). The upright pass says which; that direction is read first, with
 *   PSM_SPARSE_TEXT (it finds many more short titles than PSM_AUTO's column layout), and the
 *   other direction, which holds a few books at most, with the cheaper PSM_AUTO. Sparse text
 *   is not a superset of PSM_AUTO: on a light spine between dark ones it read nothing where
 *   PSM_AUTO read the title (the synthetic shelf of test-tesseract-engine.c).
 * - Tesseract's time follows the text it finds: the passes after the main one first paint over
 *   the confident words already read, which halves the other direction's pass on a shelf.
 *
 * The sideways passes' faint lines (read_page) go to @faint. */
static gboolean
read_whole_photo (BiTesseractEngine    *self,
                  const BiLoadedImage  *image,
                  BiOcrResult          *result,
                  GPtrArray            *faint,
                  GError              **error)
{
  g_autoptr (GPtrArray) candidates = lines_new ();
  double scale = scale_to_side (image, SIDEWAYS_SIDE);
  g_auto (Reduction) reduction = { 0 };
  double thickness;
  int main_turn;

  /* No orientation detection (PSM_AUTO_OSD): the quarter turns read a turned or upside-down
   * page anyway (see is_vertical_reading), and on a generated 12 MP shelf it cost 0.3–0.4 s
   * of 2–3 s for no title (docs/ocr.md, "Speed and recall"). */
  if (!read_turned (self, image, 0, scale_to_side (image, UPRIGHT_SIDE), PSM_AUTO, NULL,
                    &reduction, candidates, NULL, error))
    return FALSE;
  main_turn = reads_top_to_bottom (candidates) ? 3 : 1;

  if (!read_turned (self, image, main_turn, scale, PSM_SPARSE_TEXT, NULL, &reduction,
                    candidates, faint, error))
    return FALSE;
  thickness = median_thickness (candidates, image, scale);
  g_debug ("sideways text %.0f px thick at %.2f×", thickness, scale);
  if (thickness > 0 && thickness < READABLE_THICKNESS && scale < 1.0)
    {
      scale = MIN (1.0, scale * REREAD_THICKNESS / thickness);
      if (!read_turned (self, image, main_turn, scale, PSM_SPARSE_TEXT, candidates, &reduction,
                        candidates, faint, error))
        return FALSE;
    }
  if (!read_turned (self, image, 4 - main_turn, scale, PSM_AUTO, candidates, &reduction,
                    candidates, faint, error))
    return FALSE;

  keep_best_readings (candidates, result);
  return TRUE;
}

/* The detector's evidence: @lines in the grey picture's pixels (copies). */
static GPtrArray *
lines_in_grey (const GPtrArray     *lines,
               const BiLoadedImage *image)
{
  GPtrArray *grey_lines = lines_new ();

  for (guint i = 0; i < lines->len; i++)
    {
      const BiOcrLine *line = g_ptr_array_index ((GPtrArray *) lines, i);

      g_ptr_array_add (grey_lines,
                       bi_ocr_line_new (line->text, line->confidence,
                                        (int) (line->x * image->scale),
                                        (int) (line->y * image->scale),
                                        (int) ceil (line->width * image->scale),
                                        (int) ceil (line->height * image->scale), line->angle));
    }
  return grey_lines;
}

/* How far the point (@x, @y) lies from @region's long axis, as a share of its half width
 * across: below 1 inside the strip. A leaning strip's bounding box also holds corners of its
 * neighbours; its axis does not. */
static double
distance_from_axis (const BiOcrRegion *region,
                    double             x,
                    double             y)
{
  gboolean flat = region->angle > 45 || region->angle < -45;
  double centre_x = region->x + region->width / 2.0, centre_y = region->y + region->height / 2.0;
  double slope, across;

  if (x < region->x || x >= region->x + region->width || y < region->y ||
      y >= region->y + region->height)
    return G_MAXDOUBLE;
  if (flat || region->kind == BI_OCR_REGION_COVER)
    return MAX (fabs (x - centre_x) / (region->width / 2.0),
                fabs (y - centre_y) / (region->height / 2.0));
  /* Its top leans left for a positive angle: up the axis, x decreases. */
  slope = tan (region->angle * G_PI / 180.0);
  across = bi_strip_width_across (region->width, region->height, region->angle);
  return fabs (x - (centre_x + (y - centre_y) * slope)) * cos (region->angle * G_PI / 180.0)
         / MAX (across / 2.0, 1.0);
}

/* The region whose strip holds the point (@x, @y) (the nearest axis when two leaning strips
 * overlap there), or -1. */
static int
region_at (const BiOcrResult *result,
           double             x,
           double             y)
{
  double best = 1.0;
  int found = -1;

  for (guint i = 0; i < result->regions->len; i++)
    {
      double distance = distance_from_axis (&g_array_index (result->regions, BiOcrRegion, i), x, y);

      if (distance < best)
        {
          best = distance;
          found = (int) i;
        }
    }
  return found;
}

/* Each line goes to the region that holds its middle; a line on no book stays outside (-1). */
static void
assign_lines_to_regions (BiOcrResult *result)
{
  for (guint i = 0; i < result->lines->len; i++)
    {
      BiOcrLine *line = g_ptr_array_index (result->lines, i);

      line->region = region_at (result, line->x + line->width / 2.0,
                                line->y + line->height / 2.0);
    }
}

/* Puts a later pass's @candidates and the lines @result holds back in competition, keeps the
 * best reading of each place in @order, and files the lines kept under their regions again. */
static void
reconsider_readings (BiOcrResult  *result,
                     GPtrArray    *candidates,
                     GCompareFunc  order)
{
  for (guint i = 0; i < result->lines->len; i++)
    g_ptr_array_add (candidates, g_steal_pointer (&result->lines->pdata[i]));
  g_ptr_array_set_size (result->lines, 0);
  keep_readings_in_order (candidates, result, order);
  assign_lines_to_regions (result);
}

/* The spines and covers of the photo, found with the help of the text read from it, with each
 * line filed under the one it lies on. */
static void
find_regions (const BiLoadedImage *image,
              BiOcrResult         *result)
{
  g_autoptr (GPtrArray) evidence = lines_in_grey (result->lines, image);
  g_autoptr (GArray) regions = bi_spine_detector_find (image->grey, evidence);

  for (guint i = 0; i < regions->len; i++)
    {
      const BiOcrRegion *region = &g_array_index (regions, BiOcrRegion, i);
      BiPixelBox box = box_to_photo ((BiPixelBox) { region->x, region->y, region->width,
                                                    region->height }, image);
      BiOcrRegion shown = { box.x, box.y, box.width, box.height, region->angle, region->kind };

      g_array_append_val (result->regions, shown);
    }
  assign_lines_to_regions (result);
}

/* Whether a confident word lies in region @index. */
static gboolean
region_has_confident_word (const BiOcrResult *result,
                           guint              index)
{
  for (guint i = 0; i < result->lines->len; i++)
    {
      const BiOcrLine *line = g_ptr_array_index (result->lines, i);

      if (line->region == (int) index && is_confident_word (line))
        return TRUE;
    }
  return FALSE;
}

/* The share of region @index's length that its confident words cover: the sum of their lengths
 * (their boxes' longer sides) over the region's height. */
static double
confident_share_of_length (const BiOcrResult *result,
                           guint              index)
{
  const BiOcrRegion *region = &g_array_index (result->regions, BiOcrRegion, index);
  double covered = 0;

  for (guint i = 0; i < result->lines->len; i++)
    {
      const BiOcrLine *line = g_ptr_array_index (result->lines, i);

      if (line->region == (int) index && is_confident_word (line))
        covered += MAX (line->width, line->height);
    }
  return region->height > 0 ? covered / region->height : 1.0;
}

/* Whether region @index holds a line of text of at least GLIMPSED_MIN_CHARACTERS letters or
 * digits, whatever its confidence, among its lines or the @faint ones (nullable; in the
 * photo's pixels). */
static gboolean
region_has_glimpsed_text (const BiOcrResult *result,
                          const GPtrArray   *faint,
                          guint              index)
{
  for (guint i = 0; i < result->lines->len; i++)
    {
      const BiOcrLine *line = g_ptr_array_index (result->lines, i);

      if (line->region == (int) index && line->kind == BI_OCR_LINE_TEXT &&
          bi_ocr_count_characters (line->text) >= GLIMPSED_MIN_CHARACTERS)
        return TRUE;
    }
  for (guint i = 0; faint != NULL && i < faint->len; i++)
    {
      const BiOcrLine *line = g_ptr_array_index ((GPtrArray *) faint, i);

      if (region_at (result, line->x + line->width / 2.0, line->y + line->height / 2.0)
          == (int) index)
        return TRUE;
    }
  return FALSE;
}

/* The quarter turn clockwise that stands the text of region @index upright, as its confident
 * words read sideways mostly do; 0 when they do not tell. */
static int
confident_quarter_turns (const BiOcrResult *result,
                         guint              index)
{
  return bi_spine_text_quarter_turns (result, index, is_confident_word);
}

/* Whether @line reads some of a spine's text: GLIMPSED_MIN_CHARACTERS letters or digits, at any
 * confidence kept. */
static gboolean
is_spine_reading (const BiOcrLine *line)
{
  return line->kind == BI_OCR_LINE_TEXT &&
         bi_ocr_count_characters (line->text) >= GLIMPSED_MIN_CHARACTERS;
}

static gboolean
is_standing_spine (const BiOcrRegion *region)
{
  return region->kind == BI_OCR_REGION_SPINE && region->angle <= 45 && region->angle >= -45;
}

/* A book of a stack: the detector's spine regions at about 90°, whose text runs across the
 * photo as it stands. */
static gboolean
is_lying_book (const BiOcrRegion *region)
{
  return region->kind == BI_OCR_REGION_SPINE && (region->angle > 45 || region->angle < -45);
}

/* The median width across of the photo's standing spines, in the grey picture's pixels;
 * with @read_only, of those that hold a confident word (books, not wall cut into strips). */
static double
typical_spine_across (const BiLoadedImage *image,
                      const BiOcrResult   *result,
                      gboolean             read_only)
{
  g_autoptr (GArray) widths = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; i < result->regions->len; i++)
    {
      const BiOcrRegion *region = &g_array_index (result->regions, BiOcrRegion, i);
      double across;

      if (!is_standing_spine (region) || (read_only && !region_has_confident_word (result, i)))
        continue;
      across = bi_strip_width_across ((int) (region->width * image->scale),
                                      (int) (region->height * image->scale), region->angle);
      g_array_append_val (widths, across);
    }
  if (widths->len == 0)
    return G_MAXDOUBLE;
  return bi_ocr_median_double (widths);
}

/* Whether @threshold lies between a tail of levels, @ink, and @background, far enough from
 * the ink for the whole-photo reading to have seen its letters whole. */
static gboolean
tail_separated (int ink,
                int background,
                int threshold)
{
  if (background >= threshold)
    return ink < threshold - THRESHOLD_MARGIN;
  return ink > threshold + THRESHOLD_MARGIN;
}

/* Whether Tesseract's one threshold for the whole photo, @threshold, hid text in @region (in
 * the grey picture's pixels), and which tail of its levels, @ink, is that text, measured on
 * @cut (nullable), the region cut out straight as it is read: a leaning strip's bounding box
 * also holds its neighbours' corners. The text is hidden when its background lies close to
 * the threshold (speckle), or when a tail of levels that stands out from the background as
 * ink does lies on the same side of the threshold as the background, or not far enough beyond
 * it. Both tails are looked at: light letters on a mid-grey spine beside a dark gap have a
 * dark tail farther from the background than their own, which the threshold does separate
 * (photo 01 of the benchmark, "The Reversal": docs/ocr.md). A region without text to speak of
 * hides nothing.
 *
 * @lettered is the tail whose blots are letters (bi_spine_letters_ink), or
 * BI_SPINE_INK_FARTHER when they do not tell: when it does tell, that tail alone says whether
 * the text is hidden, and a dark gap beside light letters is not taken for hidden dark ink
 * (llabres_one's "CUANDO ÉRAMOS LOS MEJORES", round 14 of docs/ocr.md). @ink is also set when
 * the text is not hidden, to the tail to read it by if it is read again for another reason. */
static gboolean
threshold_hides_text (PIX               *cut,
                      const BiOcrRegion *region,
                      int                threshold,
                      BiSpineInk         lettered,
                      BiSpineInk        *ink)
{
  int dark, background, light, nearer;
  gboolean light_farther;

  *ink = BI_SPINE_INK_FARTHER;
  if (cut == NULL || !bi_spine_contrast_tails (cut, &dark, &background, &light))
    return FALSE;
  g_debug ("spine [%d,%d %d×%d] levels %d / %d / %d, threshold %d, letters %s", region->x,
           region->y, region->width, region->height, dark, background, light, threshold,
           lettered == BI_SPINE_INK_DARK ? "dark" : lettered == BI_SPINE_INK_LIGHT ? "light"
           : lettered == BI_SPINE_INK_BOTH ? "both" : "either");
  light_farther = light - background > background - dark;
  nearer = light_farther ? dark : light;
  /* A tail that makes letters is the text, however near the background it lies; with both
   * tails, the nearer one made them. */
  *ink = lettered;
  /* A background this close to the threshold comes out as speckle, whatever the ink. */
  if (ABS (background - threshold) < BACKGROUND_MARGIN)
    return TRUE;
  if (lettered != BI_SPINE_INK_FARTHER)
    return !tail_separated (lettered == BI_SPINE_INK_LIGHT ? light
                            : lettered == BI_SPINE_INK_DARK ? dark : nearer,
                            background, threshold);
  if (!tail_separated (light_farther ? light : dark, background, threshold))
    return TRUE;
  /* The nearer tail counts only when it stands out as letters do. */
  if (ABS (nearer - background) < INK_CONTRAST || tail_separated (nearer, background, threshold))
    return FALSE;
  *ink = light_farther ? BI_SPINE_INK_DARK : BI_SPINE_INK_LIGHT;
  return TRUE;
}

/* Reads @page (strips turned @quarter_turns) with @mode and adds its lines to @candidates, in
 * the photo's pixels. */
static gboolean
read_strip_page (BiTesseractEngine    *self,
                 const BiLoadedImage  *image,
                 BiStripPage          *page,
                 TessPageSegMode       mode,
                 GPtrArray            *candidates,
                 GError              **error)
{
  g_autoptr (GPtrArray) lines = lines_new ();
  PIX *pix = bi_strip_page_render (page);

  if (pix == NULL)
    return TRUE;
  if (!read_page (self, pix, mode, lines, NULL, error))
    return FALSE;

  for (guint j = 0; j < lines->len; j++)
    {
      BiOcrLine *line = g_ptr_array_index (lines, j);
      BiPixelBox mapped;
      int index = bi_strip_page_map_box (page, (BiPixelBox) { line->x, line->y, line->width,
                                                              line->height }, &mapped);

      if (index >= 0)
        move_line_to_photo (lines, j, mapped, image, bi_strip_page_get_quarter_turns (page),
                            index, candidates);
    }
  return TRUE;
}

/* The longest confident word's line of region @index of @result, read sideways, that is no
 * call number: a library label stands on the spine's axis whatever its title does, and the
 * band along it read 4 spines more on each llabres photo for nothing (0.1–0.25 s); NULL when
 * there is none. */
static const BiOcrLine *
longest_confident_line (const BiOcrResult *result,
                        guint              index)
{
  const BiOcrLine *longest = NULL;

  for (guint i = 0; i < result->lines->len; i++)
    {
      const BiOcrLine *line = g_ptr_array_index (result->lines, i);
      int angle = ((int) line->angle % 360 + 360) % 360;

      if (line->region == (int) index && is_confident_word (line) &&
          (angle == 90 || angle == 270) &&
          bi_label_band_call_number_length (line->text) == 0 &&
          (longest == NULL || line->height > longest->height))
        longest = line;
    }
  return longest;
}

/* Whether a line of @result reading some of a spine's text holds @candidate's place. */
static gboolean
place_holds_reading (const BiOcrResult *result,
                     const BiOcrLine   *candidate)
{
  for (guint i = 0; i < result->lines->len; i++)
    {
      const BiOcrLine *line = g_ptr_array_index (result->lines, i);

      if (is_spine_reading (line) && bi_reading_place_overlaps (line, candidate))
        return TRUE;
    }
  return FALSE;
}

/* A spine to read again: where it is, how large, and which of its tails is the text. */
typedef struct
{
  BiOcrRegion in_grey; /* the region in the grey picture's pixels */
  int         index;   /* in the result's regions */
  double      scale;   /* strip pixels per grey pixel */
  BiSpineInk  ink;
  gboolean    lying;   /* a book of a stack, its text already running left to right */
  gboolean    partly_read; /* standing, with confident words on less than PARTLY_READ_SHARE */
  gboolean    glimpsed; /* standing, no confident word, a line of GLIMPSED_MIN_CHARACTERS */
  int         quarter_turns; /* the one turn its text reads at (partly read), or 0 for both */
  gboolean    for_a_word; /* read for a doubtful word in a sure line only (DOUBTFUL_WORD_LARGER) */
} HiddenSpine;

/* Which spines a re-reading pass takes. */
typedef enum
{
  REREAD_HIDDEN,   /* those whose text the threshold hid, and the books lying flat */
  REREAD_SEEN,     /* those, and those whose text was read in part or glimpsed */
  REREAD_LETTERED, /* only those the threshold did not hide, still unread, that show letters */
  REREAD_DOUBTFUL, /* only the standing ones holding a doubtful reading, at their text's size */
  REREAD_ALONG,    /* the partly read standing ones, along their longest sure line */
} RereadSelection;

/* The standing spines of @result with no confident word whose text the page threshold hid
 * (threshold_hides_text), its books lying flat with no confident word, and, with REREAD_SEEN,
 * its standing spines whose confident words cover less than PARTLY_READ_SHARE of their length
 * and those with no confident word but a line of GLIMPSED_MIN_CHARACTERS letters, read or among
 * the @faint ones (nullable), cut from @painted. With REREAD_LETTERED, only its standing spines
 * still with no confident word, whose text the threshold did not hide, that show
 * MIN_UNREAD_LETTERS blots the size of a letter, the glimpsed ones scaled
 * LETTERED_GLIMPSED_LARGER larger. With REREAD_DOUBTFUL, only its standing spines holding a
 * reading under DOUBTFUL_CONFIDENCE, scaled so that their lines stand DOUBTFUL_SPINE_THICKNESS
 * thick, each at the turn its text reads at. With REREAD_ALONG, the band along the longest
 * confident line (ALONG_LINE_THICKNESSES of their thickness across) of each of its standing
 * spines whose confident words cover less than PARTLY_READ_SHARE of its length, so scaled,
 * at the turn its confident words read at. */
static GArray *
find_hidden_spines (const BiLoadedImage *image,
                    const BiOcrResult   *result,
                    const GPtrArray     *faint,
                    PIX                 *painted,
                    RereadSelection      selection)
{
  gboolean with_seen_text = selection == REREAD_SEEN;
  GArray *hidden = g_array_new (FALSE, FALSE, sizeof (HiddenSpine));
  int threshold = bi_spine_contrast_page_threshold (image->grey);
  double typical_across = typical_spine_across (image, result, FALSE);
  /* Measured on the books read: slivers of wall beside a stack (photo 12 of the benchmark)
   * made the typical spine so thin that a lying book passed for wall. */
  double typical_book_across = typical_spine_across (image, result, TRUE);
  double sideways_scale = scale_to_side (image, SIDEWAYS_SIDE);

  for (guint i = 0; i < result->regions->len; i++)
    {
      const BiOcrRegion *region = &g_array_index (result->regions, BiOcrRegion, i);
      HiddenSpine spine = { region_in_grey (region, image), (int) i, 1.0, BI_SPINE_INK_FARTHER,
                            is_lying_book (region), FALSE, FALSE, 0 };
      g_autoptr (PIX) cut = NULL;
      BiSpineInk lettered_ink = BI_SPINE_INK_FARTHER;
      guint letters = 0;
      double across;

      if (!is_standing_spine (region) && !spine.lying)
        continue;
      /* The passes before read the others, or saw their text. */
      if (selection == REREAD_LETTERED && (spine.lying || region_has_confident_word (result, i)))
        continue;
      if (selection == REREAD_ALONG)
        {
          const BiOcrLine *sure = longest_confident_line (result, i);
          double thickness = bi_spine_text_thickness (result, i, is_confident_word) * image->scale;

          if (spine.lying || sure == NULL || thickness <= 0 ||
              confident_share_of_length (result, i) >= PARTLY_READ_SHARE)
            continue;
          spine.in_grey = bi_leaning_strip_rows ((sure->x + sure->width / 2.0) * image->scale,
                                                 (sure->y + sure->height / 2.0) * image->scale,
                                                 spine.in_grey.angle,
                                                 ALONG_LINE_THICKNESSES * thickness,
                                                 spine.in_grey.y,
                                                 spine.in_grey.y + spine.in_grey.height);
          spine.partly_read = TRUE;
          spine.quarter_turns = confident_quarter_turns (result, i);
          spine.scale = CLAMP (DOUBTFUL_SPINE_THICKNESS / thickness, REREAD_MIN_SCALE,
                               REREAD_MAX_SCALE);
          g_array_append_val (hidden, spine);
          continue;
        }
      if (selection == REREAD_DOUBTFUL)
        {
          double thickness = bi_spine_text_thickness (result, i, is_spine_reading) * image->scale;
          double scale = thickness > 0 ? DOUBTFUL_SPINE_THICKNESS / thickness : 0;

          if (spine.lying || thickness <= 0)
            continue;
          /* A word doubted in a sure line gains from a much larger reading only. */
          if (!bi_spine_text_has_doubt (result, i, is_spine_reading, DOUBTFUL_CONFIDENCE) &&
              !(scale >= DOUBTFUL_WORD_LARGER * sideways_scale &&
                bi_spine_text_has_doubtful_word (result, i, is_spine_reading,
                                                 DOUBTFUL_CONFIDENCE)))
            continue;
          /* Read on the partly read spines' page: its own, sparse text, the ends of its strip
           * cleared, at the one turn its confident words read at, else its other readings. */
          spine.partly_read = TRUE;
          spine.for_a_word = !bi_spine_text_has_doubt (result, i, is_spine_reading,
                                                       DOUBTFUL_CONFIDENCE);
          spine.quarter_turns = confident_quarter_turns (result, i);
          if (spine.quarter_turns == 0)
            spine.quarter_turns = bi_spine_text_quarter_turns (result, i, is_spine_reading);
          spine.scale = CLAMP (scale, REREAD_MIN_SCALE, REREAD_MAX_SCALE);
          g_array_append_val (hidden, spine);
          continue;
        }
      if (region_has_confident_word (result, i))
        {
          if (spine.lying || !with_seen_text ||
              confident_share_of_length (result, i) >= PARTLY_READ_SHARE)
            continue;
          spine.partly_read = TRUE;
          /* A spine's title runs the way its author does: read at that turn only, it cost
           * half as much (1.1 s of CPU instead of 2.3 s on the real photos) for the same
           * titles. */
          spine.quarter_turns = confident_quarter_turns (result, i);
        }
      /* A region wider than most spines of the photo is mostly two books: scaled by its
       * width, their letters would come out too small to read. A book lying flat is cut out
       * level (bi_strip_cut_straight), its height across. */
      across = spine.lying ? spine.in_grey.height
                           : bi_strip_width_across (spine.in_grey.width, spine.in_grey.height,
                                                    spine.in_grey.angle);
      /* A book lies as thick as it stands wide: a thicker "book" is shelf or wall. */
      if (spine.lying && across > MAX_LYING_ACROSS * (typical_book_across < G_MAXDOUBLE
                                                      ? typical_book_across : typical_across))
        continue;
      across = MIN (across, typical_across);
      spine.scale = CLAMP ((spine.lying ? REREAD_LYING_ACROSS : REREAD_ACROSS) / across,
                           REREAD_MIN_SCALE, REREAD_MAX_SCALE);
      /* A glimpsed spine was read at that scale already, by the first binarised pass. */
      if (selection == REREAD_LETTERED && region_has_glimpsed_text (result, faint, i))
        spine.scale *= LETTERED_GLIMPSED_LARGER;
      /* Measured as it is read, cut out straight: a leaning strip's bounding box also holds
       * its neighbours' corners. */
      if (!spine.partly_read)
        {
          cut = bi_strip_cut_straight (painted, &spine.in_grey, spine.scale);
          /* A lying book's cut runs across its text: its letters are not counted. */
          if (cut != NULL && !spine.lying)
            lettered_ink = bi_spine_letters_ink (cut, &letters);
        }
      if (spine.partly_read)
        {
          /* Its confident words show the threshold did not hide all of its text; what is left
           * may be any of its tails. */
          spine.ink = BI_SPINE_INK_FARTHER;
          g_array_append_val (hidden, spine);
        }
      else if (threshold_hides_text (cut, &spine.in_grey, threshold, lettered_ink, &spine.ink))
        {
          /* Read by the passes before, binarised and stretched. */
          if (selection != REREAD_LETTERED)
            g_array_append_val (hidden, spine);
        }
      else if (selection == REREAD_LETTERED)
        {
          /* Its letters lie apart from its background, as the threshold saw them, and no word
           * was read of them: small, light or thin type. */
          g_debug ("spine [%d,%d %d×%d] shows %u letters", spine.in_grey.x, spine.in_grey.y,
                   spine.in_grey.width, spine.in_grey.height, letters);
          if (letters < MIN_UNREAD_LETTERS)
            continue;
          spine.glimpsed = TRUE;
          g_array_append_val (hidden, spine);
        }
      else if (!spine.lying && with_seen_text && region_has_glimpsed_text (result, faint, i))
        {
          /* The threshold separated its letters, yet they were not read well: the tail that
           * makes letters is the ink (threshold_hides_text), else the farther one, as the
           * threshold saw it. */
          spine.glimpsed = TRUE;
          g_array_append_val (hidden, spine);
        }
      else if (spine.lying)
        {
          /* The whole-photo reading missed a lying book's title for its size, not for the
           * threshold: only the upright pass reads across, at UPRIGHT_SIDE. */
          spine.ink = BI_SPINE_INK_FARTHER;
          g_array_append_val (hidden, spine);
        }
    }
  return hidden;
}

/* The pages of reread_unread_spines() at one turn: the lying books' a quarter turn back. */
typedef struct
{
  BiStripPage *standing;
  BiStripPage *lying;
  BiStripPage *partly_read;
  BiStripPage *glimpsed;
} SpinePages;

static void
spine_pages_init (SpinePages   *pages,
                  int           quarter_turns,
                  BiSpineTones  tones)
{
  pages->standing = bi_strip_page_new (quarter_turns, tones);
  pages->lying = bi_strip_page_new (quarter_turns - 1, tones);
  pages->partly_read = bi_strip_page_new (quarter_turns, tones);
  pages->glimpsed = bi_strip_page_new (quarter_turns, tones);
  bi_strip_page_set_clear_ends (pages->partly_read, TRUE);
  bi_strip_page_set_reach (pages->lying, LYING_REACH);
}

static void
spine_pages_clear (SpinePages *pages)
{
  g_clear_pointer (&pages->standing, bi_strip_page_free);
  g_clear_pointer (&pages->lying, bi_strip_page_free);
  g_clear_pointer (&pages->partly_read, bi_strip_page_free);
  g_clear_pointer (&pages->glimpsed, bi_strip_page_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SpinePages, spine_pages_clear)

static BiStripPage *
spine_pages_pick (const SpinePages  *pages,
                  const HiddenSpine *spine)
{
  return spine->lying ? pages->lying : spine->partly_read ? pages->partly_read
       : spine->glimpsed ? pages->glimpsed : pages->standing;
}

/* Reads @hidden's standing spines, cut from @painted, on a sparse-text page as they stand, and
 * adds its confident words to @candidates: a hardcover stacks its title's words across its
 * spine ("THE RISE AND FALL OF THE THIRD REICH" on jhrcook), which only the upright pass read,
 * at UPRIGHT_SIDE, too small. On a spine where it reads MIN_UPRIGHT_WORDS of them, the lines
 * of @result and @candidates read sideways under MEASURE_MIN_CONFIDENCE are dropped: those
 * words read at the wrong turn ("| OR: zg", "tH AS"), which the words, lying across them, do
 * not take the place of (bi_reading_place_taken measures a line along its length). */
static gboolean
read_spines_upright (BiTesseractEngine    *self,
                     const BiLoadedImage  *image,
                     GArray               *hidden,
                     PIX                  *painted,
                     BiSpineTones          tones,
                     BiOcrResult          *result,
                     GPtrArray            *candidates,
                     GError              **error)
{
  g_autoptr (BiStripPage) page = bi_strip_page_new (0, tones);
  g_autoptr (GPtrArray) lines = lines_new ();
  g_autofree guint *words = g_new0 (guint, result->regions->len);

  for (guint i = 0; i < hidden->len; i++)
    {
      const HiddenSpine *spine = &g_array_index (hidden, HiddenSpine, i);

      if (!spine->lying)
        bi_strip_page_add (page, painted, &spine->in_grey, spine->index, spine->scale,
                           spine->ink);
    }
  if (!read_strip_page (self, image, page, PSM_SPARSE_TEXT, lines, error))
    return FALSE;

  for (guint i = 0; i < lines->len; i++)
    {
      BiOcrLine *line = g_ptr_array_index (lines, i);

      /* A column read as it stands (angle 270) is the sideways passes' to read. */
      if (line->angle != 0 || !is_confident_word (line))
        continue;
      words[line->region]++;
      g_ptr_array_add (candidates, g_steal_pointer (&lines->pdata[i]));
    }
  for (guint i = 0; i < result->regions->len; i++)
    if (words[i] >= MIN_UPRIGHT_WORDS)
      {
        bi_spine_text_drop_sideways (result->lines, (int) i, MEASURE_MIN_CONFIDENCE,
                                     UPRIGHT_PIECE_MAX_CHARACTERS);
        bi_spine_text_drop_sideways (candidates, (int) i, MEASURE_MIN_CONFIDENCE,
                                     UPRIGHT_PIECE_MAX_CHARACTERS);
      }
  return TRUE;
}

/* Paints over, in @painted (the grey picture), the confident words of @result, but for a
 * line doubtful by a word (is_doubtful_by_a_word) on a spine of @hidden (nullable) read for
 * that word: painted over, the line would leave that spine only its blank ground to read, and
 * would keep its place. */
static void
paint_read_words (PIX                 *painted,
                  const BiLoadedImage *image,
                  const BiOcrResult   *result,
                  const GArray        *hidden)
{
  g_autoptr (GPtrArray) read = g_ptr_array_new ();

  for (guint i = 0; i < result->lines->len; i++)
    {
      BiOcrLine *line = g_ptr_array_index (result->lines, i);
      gboolean for_this_word = FALSE;

      for (guint j = 0; hidden != NULL && j < hidden->len && is_doubtful_by_a_word (line); j++)
        {
          const HiddenSpine *spine = &g_array_index (hidden, HiddenSpine, j);

          for_this_word = for_this_word || (spine->for_a_word && spine->index == line->region);
        }
      if (!for_this_word)
        g_ptr_array_add (read, line);
    }
  bi_text_mask_paint (painted, image->scale, read, is_confident_word);
}

/* Tesseract binarises the whole photo with one threshold, which turns a spine whose ink and
 * background both lie on one side of it (white text on a mid-grey spine) into a solid slab.
 * Each standing spine that holds no confident word and lies so is read again on its own: cut
 * out, straightened, mapped by its own contrast towards the ink the threshold hid (in
 * @tones), at both quarter turns (its text may run either way), all of them on two pages.
 * Spines the threshold did separate are not, unless the whole-photo reading saw some of their
 * text (below): all of them gained nothing on the real photos and doubled the time
 * (docs/ocr.md, before the pages were binarised). Every book lying flat in a stack without a
 * confident word is read again too, cut out level, upright and upside down, on two pages of
 * their own: the whole-photo reading reads text across the photo only in its small upright
 * pass. Laid on the spines' pages, they changed how Tesseract read the spines (photo 01 of the
 * benchmark: 2 titles less).
 *
 * With REREAD_LETTERED, only the standing spines whose text the threshold did not hide, still
 * without a confident word, that show letters (MIN_UNREAD_LETTERS) are read, binarised, on
 * sparse-text pages of their own at both quarter turns; the glimpsed ones, read at this scale
 * before, LETTERED_GLIMPSED_LARGER larger. They are read as they stand too, for words across
 * them (read_spines_upright).
 *
 * With REREAD_DOUBTFUL, only the standing spines holding a doubtful reading are read, on the
 * partly read spines' pages, at the size of their text; only the confident words read there
 * compete.
 *
 * With REREAD_SEEN, the standing spines whose confident words cover little of them
 * (PARTLY_READ_SHARE) are read again as well, whatever the threshold did: an author read
 * confidently beside a title that was not. They lie on pages of their own, each at the turn
 * its confident words read at, for the same reason as the lying books (laid on the spines'
 * pages, the 20 generated photos read 1 title fewer in all, against 1 more on pages of their
 * own), with the ends of their strips cleared (bi_strip_page_set_clear_ends: 1 title more on
 * photo 13), and read as sparse text (PSM_AUTO read 1 title fewer there, and 1 fewer on the
 * real photos). So are the standing spines with no confident word whose threshold separated
 * their text but which hold a line of GLIMPSED_MIN_CHARACTERS letters all the same, at both
 * quarter turns (their line may have been read at the wrong one), on pages of their own read
 * as sparse text; a line too faint to keep (FAINT_MIN_CONFIDENCE) counts as glimpsed too. On
 * the standing spines' pages, read with PSM_AUTO, the same 4 letters read 283 titles of 328 on
 * the generated photos and 83 of 114 on the real ones (jhrcook: 1 fewer); on their own pages
 * with PSM_AUTO 282 and 87; as sparse text 283 and 88; with the ends of their strips cleared
 * too, the same titles; on the partly read spines' pages, 283 and 87. */
static gboolean
reread_unread_spines (BiTesseractEngine    *self,
                      const BiLoadedImage  *image,
                      BiSpineTones          tones,
                      RereadSelection       selection,
                      const GPtrArray      *faint,
                      BiOcrResult          *result,
                      GError              **error)
{
  g_autoptr (GPtrArray) candidates = lines_new ();
  g_autoptr (GArray) hidden = NULL;
  guint n_lying = 0, n_partly_read = 0, n_glimpsed = 0;
  gint64 start = g_get_monotonic_time ();
  /* The words already read are painted over, so that a neighbour's title caught in the corner
   * of a leaning strip does not pass for its ink (on jhrcook, 2 titles more). */
  g_autoptr (PIX) painted = pixCopy (NULL, image->grey);
  g_auto (SpinePages) at_one_turn = { 0 };
  g_auto (SpinePages) at_three_turns = { 0 };
  SpinePages *pages[2] = { &at_one_turn, &at_three_turns };

  if (painted == NULL)
    {
      set_turn_error (error, image);
      return FALSE;
    }
  /* The doubtful spines are chosen by their readings alone, and the lines they were chosen
   * for are left to read again. */
  if (selection == REREAD_DOUBTFUL)
    hidden = find_hidden_spines (image, result, faint, painted, selection);
  paint_read_words (painted, image, result, hidden);
  if (hidden == NULL)
    hidden = find_hidden_spines (image, result, faint, painted, selection);
  if (hidden->len == 0)
    return TRUE;
  for (guint i = 0; i < hidden->len; i++)
    {
      n_lying += g_array_index (hidden, HiddenSpine, i).lying;
      n_partly_read += g_array_index (hidden, HiddenSpine, i).partly_read;
      n_glimpsed += g_array_index (hidden, HiddenSpine, i).glimpsed;
    }

  for (int t = 0; t < 2; t++)
    spine_pages_init (pages[t], 1 + 2 * t, tones);
  /* A spine read at both turns is cut, straightened and mapped once, for the first. */
  for (guint i = 0; i < hidden->len; i++)
    {
      const HiddenSpine *spine = &g_array_index (hidden, HiddenSpine, i);
      BiStripPage *first = spine->quarter_turns != 3 ? spine_pages_pick (pages[0], spine)
                                                     : NULL;
      BiStripPage *second = spine->quarter_turns != 1 ? spine_pages_pick (pages[1], spine)
                                                      : NULL;

      if (first == NULL)
        bi_strip_page_add (second, painted, &spine->in_grey, spine->index, spine->scale,
                           spine->ink);
      else if (bi_strip_page_add (first, painted, &spine->in_grey, spine->index, spine->scale,
                                  spine->ink) && second != NULL)
        bi_strip_page_add_last_of (second, first);
    }
  for (int t = 0; t < 2; t++)
    {
      const SpinePages *turn = pages[t];

      /* PSM_AUTO on the standing spines: the strips lie apart on white, so its column layout
       * has nothing to join, and it cost 20 % less than sparse text for the same titles. The
       * lying books are read both ways, and the readings compete for their places: cut
       * reaching past a book's ends (LYING_REACH), a piece of a standing neighbour touching a
       * title made the auto layout take it for a picture ("I Am Number Four", photo 12 of the
       * benchmark: nothing read), while sparse text joined a title to a garbled author and
       * read the line at 0.11 ("Souricette", photo 07 of the held-out seed 2, 0.56 auto). */
      if (!read_strip_page (self, image, turn->standing, PSM_AUTO, candidates, error) ||
          !read_strip_page (self, image, turn->lying, PSM_AUTO, candidates, error) ||
          !read_strip_page (self, image, turn->lying, PSM_SPARSE_TEXT, candidates, error) ||
          !read_strip_page (self, image, turn->partly_read, PSM_SPARSE_TEXT, candidates,
                            error) ||
          !read_strip_page (self, image, turn->glimpsed, PSM_SPARSE_TEXT, candidates, error))
        return FALSE;
    }
  /* Their words may stand across them too. */
  if (selection == REREAD_LETTERED &&
      !read_spines_upright (self, image, hidden, painted, tones, result, candidates, error))
    return FALSE;
  /* A spine read again for a doubtful reading holds readings already; what its page reads
   * below a confident word only adds noise to them ("s" and "rm og" beside "BRAVE NEW WORLD"
   * on jhrcook, which then did not resolve). */
  for (guint i = 0; (selection == REREAD_DOUBTFUL || selection == REREAD_ALONG) &&
                   i < candidates->len; i++)
    if (!is_confident_word (g_ptr_array_index (candidates, i)))
      g_ptr_array_remove_index_fast (candidates, i--);
  /* Nor what a line left unpainted for a doubtful word holds already (paint_read_words). */
  if (selection == REREAD_DOUBTFUL)
    bi_spine_text_drop_repeated (candidates, result->lines);
  /* Read along a sure line, a spine adds only what no reading holds yet: the band is a line's
   * width, and a line stacked beside it on a leaning spine shares its place ("MANUEL TOMÁS",
   * read 0.56, and "FREDERIC PORTA" on "Barça inèdit"). */
  for (guint i = 0; selection == REREAD_ALONG && i < candidates->len; i++)
    if (place_holds_reading (result, g_ptr_array_index (candidates, i)))
      g_ptr_array_remove_index_fast (candidates, i--);

  reconsider_readings (result, candidates, compare_by_evidence);
  g_debug ("read %u unread spines again (%u of them lying, %u partly read, %u glimpsed) in %"
           G_GINT64_FORMAT " ms", hidden->len, n_lying, n_partly_read, n_glimpsed,
           (g_get_monotonic_time () - start) / 1000);
  return TRUE;
}

/* Whether a confident word with DOUBTFUL_CONFIDENCE or more was read on @line's spine, at its
 * turn and beside it along the spine (their boxes side by side across it): a spine's text runs
 * one way, and a title read well at that turn says the spine stands that way. The library
 * label "N Pam" below a title read at 0.96, turned round, read "Weg N" at 0.85 and took the
 * label's place (test-label-band.c). Only beside it: a region holding two books may hold
 * another book's title at that turn (photo 07 of the benchmark: "Poemes de l'alquimista"
 * beside "EL SILENCIO DE LOS CLAUSTROS" read upside down). */
static gboolean
spine_reads_surely_beside (const BiOcrResult *result,
                           const BiOcrLine   *line)
{
  for (guint i = 0; i < result->lines->len; i++)
    {
      const BiOcrLine *other = g_ptr_array_index (result->lines, i);

      if (other != line && other->region == line->region && other->angle == line->angle &&
          is_confident_word (other) && other->confidence >= DOUBTFUL_CONFIDENCE &&
          MIN (other->x + other->width, line->x + line->width) > MAX (other->x, line->x))
        return TRUE;
    }
  return FALSE;
}

/* Whether @line is a reading that may be its text upside down: a confident word
 * (is_confident_word), or a line of GLIMPSED_MIN_CHARACTERS letters or digits read under
 * MEASURE_MIN_CONFIDENCE, sideways on a standing spine, under DOUBTFUL_CONFIDENCE, with no
 * sure reading beside it at its turn (spine_reads_surely_beside). The lines under
 * MEASURE_MIN_CONFIDENCE are few (19 on the 20 generated photos) and hold upside-down titles
 * too ("LNOdILNd- OdI", 0.50, for "I DO -- BUT I DON'T" on photo 13; its spine, holding no
 * confident word, had been read again at both turns, and nothing better came of it). */
static gboolean
is_doubtful_reading (const BiOcrResult *result,
                     const BiOcrLine   *line)
{
  return line->kind == BI_OCR_LINE_TEXT && (line->angle == 90 || line->angle == 270) &&
         line->region >= 0 && (guint) line->region < result->regions->len &&
         is_standing_spine (&g_array_index (result->regions, BiOcrRegion, line->region)) &&
         (is_confident_word (line) ||
          bi_ocr_count_characters (line->text) >= GLIMPSED_MIN_CHARACTERS) &&
         line->confidence < DOUBTFUL_CONFIDENCE &&
         !spine_reads_surely_beside (result, line);
}

/* A capital turned half round is often another capital (N, S, O, I, Z, and M for W), so a
 * title read upside down can pass for a word at 0.75–0.82, above the garbage a turned page
 * usually gives; it is then painted over before the other sideways pass, which would have read
 * it the right way up. Each doubtful reading (is_doubtful_reading) is cut out of the photo,
 * binarised by its own levels and read again at both quarter turns, all of them on one page
 * per turn; the readings compete with the others for their places (keep_best_readings), so the
 * turn that reads better wins. Read again at its own turn, a line garbled by the photo's one
 * threshold comes out whole ("EQRTIIAIV", 0.77, is "FORTUNY", 0.92, on photo 02), which
 * costs nothing more than a strip on a page read anyway. */
static gboolean
reread_doubtful_readings (BiTesseractEngine    *self,
                          const BiLoadedImage  *image,
                          BiOcrResult          *result,
                          GError              **error)
{
  g_autoptr (GPtrArray) candidates = lines_new ();
  gint64 start = g_get_monotonic_time ();
  guint n_doubtful = 0;

  g_autoptr (BiStripPage) page = bi_strip_page_new (1, BI_SPINE_TONES_BINARY);
  g_autoptr (BiStripPage) turned_page = bi_strip_page_new (3, BI_SPINE_TONES_BINARY);

  for (guint i = 0; i < result->lines->len; i++)
    {
      const BiOcrLine *line = g_ptr_array_index (result->lines, i);
      double across, margin;
      BiOcrRegion box;

      if (!is_doubtful_reading (result, line))
        continue;
      across = MIN (line->width, line->height) * image->scale;
      /* Tesseract's box hugs the letters it read; the turned reading may find more. */
      margin = across / 4.0;
      box = (BiOcrRegion) { (int) MAX (0, line->x * image->scale - margin),
                            (int) MAX (0, line->y * image->scale - margin),
                            (int) ceil (line->width * image->scale + 2 * margin),
                            (int) ceil (line->height * image->scale + 2 * margin), 0,
                            BI_OCR_REGION_SPINE };
      /* Each strip is known by its line's index here, not its region's (below). Cut,
       * straightened and binarised once for both turns. */
      if (bi_strip_page_add (page, image->grey, &box, (int) i,
                             CLAMP (DOUBTFUL_THICKNESS / MAX (across, 1.0), REREAD_MIN_SCALE,
                                    REREAD_MAX_SCALE),
                             BI_SPINE_INK_FARTHER) &&
          bi_strip_page_add_last_of (turned_page, page))
        n_doubtful += 2;
    }
  if (!read_strip_page (self, image, page, PSM_SPARSE_TEXT, candidates, error) ||
      !read_strip_page (self, image, turned_page, PSM_SPARSE_TEXT, candidates, error))
    return FALSE;
  if (n_doubtful == 0)
    return TRUE;

  /* A line read under MEASURE_MIN_CONFIDENCE loses to the garbage of its right turn read
   * turned round as often as it is garbage itself ("Running with Scissors — Avsusten
   * Burroughs", 0.68, to "sybnouing vaysnbny", 0.79, on the held-out shelves): its turned
   * reading counts only when it is sure. A reading at its own turn reads the same text as
   * well or as badly ("i LOS CUENTOS DE LUCA a", 0.76, lost to "Bowe DELUCA", 0.77, on photo
   * 04): it counts when it is sure or clearly more confident (SAME_TURN_GAIN), and only when
   * it reads most of the line: the author of "COM UN LLEBRER Roddy Doyle" (0.83), read alone
   * at 0.92, took the whole line's place. */
  for (guint i = 0; i < candidates->len; i++)
    {
      BiOcrLine *turned = g_ptr_array_index (candidates, i);
      const BiOcrLine *line = g_ptr_array_index (result->lines, turned->region);

      gboolean same_turn = turned->angle == line->angle;
      gboolean sure = turned->confidence >= DOUBTFUL_CONFIDENCE ||
                      (same_turn && turned->confidence >= line->confidence + SAME_TURN_GAIN);

      if ((!sure && (line->confidence < MEASURE_MIN_CONFIDENCE || same_turn)) ||
          (same_turn && MAX (turned->width, turned->height) <
                        SAME_TURN_LENGTH_SHARE * MAX (line->width, line->height)))
        g_ptr_array_remove_index_fast (candidates, i--);
      else
        turned->region = line->region;
    }
  reconsider_readings (result, candidates, compare_by_evidence);
  g_debug ("read %u doubtful readings turned half round in %" G_GINT64_FORMAT " ms",
           n_doubtful, (g_get_monotonic_time () - start) / 1000);
  return TRUE;
}

/* Readings of a label first, the longer call number first ("4: 796.325 Ken", 0.69, holds more
 * of the label than "325 Ken", 0.93, read at half size), then by confidence. */
static int
compare_as_labels (gconstpointer a,
                   gconstpointer b)
{
  const BiOcrLine *first = *(const BiOcrLine * const *) a;
  const BiOcrLine *second = *(const BiOcrLine * const *) b;
  gsize first_length = bi_label_band_call_number_length (first->text);
  gsize second_length = bi_label_band_call_number_length (second->text);

  if (first_length != second_length)
    return first_length > second_length ? -1 : 1;
  return compare_by_confidence (a, b);
}

/* Is @line a confident word that cannot be part of a label, having no digit and not ending in
 * an author code ("Pam", "NPam")? Those are painted over before the label bands are read:
 * titles crossing the band only cost time, while a label read in part at half size may be
 * read whole at full size ("6 Git" → "796 Gif", "96.422 Pul" → "796.422 Pul", "NPam" →
 * "N Pam"). */
static gboolean
is_confident_non_label (const BiOcrLine *line)
{
  gsize length = strlen (line->text);
  const char *end = line->text + length;

  if (!is_confident_word (line))
    return FALSE;
  for (const char *p = line->text; *p != '\0'; p++)
    if (g_ascii_isdigit (*p))
      return FALSE;
  return length < 3 || !g_ascii_isupper (end[-3]) || !g_ascii_islower (end[-2]) ||
         !g_ascii_islower (end[-1]) || (length > 3 && g_ascii_islower (end[-4]));
}

/* The scale of the label bands' second reading at their main turn, with a local threshold:
 * read at full size it found 3 labels fewer on llabres_one, and cost 25 % more. */
#define LABEL_LOCAL_SCALE     0.7

/* Reads @band (in the photo's pixels) of @painted (the grey picture, painted over) scaled by
 * @scale and turned @quarter_turns × 90° clockwise, binarised by Tesseract's one threshold
 * (Otsu) or, with @local_threshold, by Sauvola's threshold of each pixel's neighbourhood, and
 * adds its lines to @candidates in the photo's pixels. */
static gboolean
read_band (BiTesseractEngine    *self,
           const BiLoadedImage  *image,
           PIX                  *painted,
           BiPixelBox            band,
           int                   quarter_turns,
           double                scale,
           gboolean              local_threshold,
           TessPageSegMode       mode,
           GPtrArray            *candidates,
           GError              **error)
{
  int left = (int) (band.x * image->scale), top = (int) (band.y * image->scale);
  g_autoptr (BOX) box = boxCreate (left, top, (int) ceil (band.width * image->scale),
                                   (int) ceil (band.height * image->scale));
  g_autoptr (PIX) cut = pixClipRectangle (painted, box, NULL);
  g_autoptr (PIX) scaled = NULL;
  g_autoptr (PIX) turned = NULL;
  g_autoptr (GPtrArray) lines = lines_new ();
  gboolean ok;

  /* A band inside the photo always has pixels; one that does not has nothing to read. */
  if (cut == NULL)
    return TRUE;
  scaled = scale == 1.0 ? pixClone (cut) : pixScale (cut, (float) scale, (float) scale);
  turned = scaled != NULL ? bi_pix_turn (scaled, quarter_turns) : NULL;
  if (turned == NULL)
    {
      set_turn_error (error, image);
      return FALSE;
    }
  /* Tesseract 5's thresholding_method: 0 Otsu (every other pass), 2 Sauvola. */
  if (local_threshold && !TessBaseAPISetVariable (self->api, "thresholding_method", "2"))
    g_debug ("this Tesseract has no Sauvola threshold: the band is read with Otsu's");
  ok = read_page (self, turned, mode, lines, NULL, error);
  if (local_threshold)
    TessBaseAPISetVariable (self->api, "thresholding_method", "0");
  if (!ok)
    return FALSE;

  for (guint j = 0; j < lines->len; j++)
    {
      BiOcrLine *line = g_ptr_array_index (lines, j);
      BiPixelBox mapped = bi_pixel_box_unturn ((BiPixelBox) { line->x, line->y, line->width,
                                                              line->height },
                                               quarter_turns, pixGetWidth (scaled),
                                               pixGetHeight (scaled));

      mapped = (BiPixelBox) { left + (int) (mapped.x / scale), top + (int) (mapped.y / scale),
                              (int) ceil (mapped.width / scale),
                              (int) ceil (mapped.height / scale) };
      move_line_to_photo (lines, j, mapped, image, quarter_turns, -1, candidates);
    }
  return TRUE;
}

/* A label read on its own is scaled so that it stands this many pixels across: its text,
 * about a third of that, as large as Tesseract reads best ("796(09) Bro" 0.87 so). At most
 * this many labels go on one page (each under 1,000 pixels long there: a page stays well
 * under Tesseract's 32,767). */
#define LABEL_ALONE_ACROSS    120.0
#define LABEL_ALONE_MAX_SCALE 4.0
#define LABELS_PER_PAGE       24

/* Whether a line of @result reading as a call number covers @box (the photo's pixels), or a
 * label of @taken (BiPixelBox, the photo's pixels) does: that label is read already. */
static gboolean
label_read_already (const BiOcrResult *result,
                    GArray            *taken,
                    BiPixelBox         box)
{
  for (guint i = 0; i < result->lines->len; i++)
    {
      const BiOcrLine *line = g_ptr_array_index (result->lines, i);

      BiPixelBox read = { line->x, line->y, line->width, line->height };

      if (bi_label_band_call_number_length (line->text) > 0 &&
          bi_pixel_box_overlaps (box, read, BI_READING_PLACE_OVERLAP))
        return TRUE;
    }
  for (guint i = 0; i < taken->len; i++)
    if (bi_pixel_box_overlaps (box, g_array_index (taken, BiPixelBox, i),
                               BI_READING_PLACE_OVERLAP))
      return TRUE;
  return FALSE;
}

/* Reads one by one, cut out tight (bi-spine-label.h), the labels of the standing spines in
 * @bands (BiPixelBox, the photo's) that no call number read covers, at @quarter_turns; the
 * call numbers read compete for their places as the bands' did. A region of several spines
 * may hold several labels. */
static gboolean
read_labels_alone (BiTesseractEngine    *self,
                   const BiLoadedImage  *image,
                   GArray               *bands,
                   int                   quarter_turns,
                   BiOcrResult          *result,
                   GError              **error)
{
  g_autoptr (GPtrArray) candidates = lines_new ();
  g_autoptr (BiStripPage) page = NULL;
  g_autoptr (GArray) taken = g_array_new (FALSE, FALSE, sizeof (BiPixelBox));
  double typical_across = typical_spine_across (image, result, TRUE);
  gint64 start = g_get_monotonic_time ();

  for (guint i = 0; i < result->regions->len; i++)
    {
      const BiOcrRegion *region = &g_array_index (result->regions, BiOcrRegion, i);
      BiOcrRegion in_grey = region_in_grey (region, image);

      if (!is_standing_spine (region))
        continue;
      for (guint b = 0; b < bands->len; b++)
        {
          const BiPixelBox *band = &g_array_index (bands, BiPixelBox, b);
          g_autoptr (GArray) labels = NULL;
          BiOcrRegion part;

          if (region->x + region->width / 2 < band->x ||
              region->x + region->width / 2 >= band->x + band->width ||
              !bi_spine_label_rows_of (&in_grey, (int) (band->y * image->scale),
                                       (int) ceil ((band->y + band->height) * image->scale),
                                       &part))
            continue;
          labels = bi_spine_label_find_all (image->grey, &part,
                                            typical_across < G_MAXDOUBLE ? typical_across : 0);
          for (guint l = 0; l < labels->len; l++)
            {
              const BiOcrRegion *label = &g_array_index (labels, BiOcrRegion, l);
              BiPixelBox in_photo = box_to_photo ((BiPixelBox) { label->x, label->y,
                                                                 label->width, label->height },
                                                  image);
              double across = bi_strip_width_across (label->width, label->height, label->angle);

              if (label_read_already (result, taken, in_photo))
                continue;
              g_debug ("label alone on spine %u: [%d,%d %d×%d]", i, in_photo.x, in_photo.y,
                       in_photo.width, in_photo.height);
              if (page == NULL)
                {
                  page = bi_strip_page_new (quarter_turns, BI_SPINE_TONES_STRETCHED);
                  /* The spine's dark rows left at the label's ends. */
                  bi_strip_page_set_clear_ends (page, TRUE);
                }
              if (bi_strip_page_add (page, image->grey, label, (int) i,
                                     CLAMP (LABEL_ALONE_ACROSS / across, 1.0,
                                            LABEL_ALONE_MAX_SCALE),
                                     BI_SPINE_INK_DARK))
                g_array_append_val (taken, in_photo);
              if (bi_strip_page_get_n_strips (page) == LABELS_PER_PAGE)
                {
                  if (!read_strip_page (self, image, page, PSM_SPARSE_TEXT, candidates, error))
                    return FALSE;
                  g_clear_pointer (&page, bi_strip_page_free);
                }
            }
        }
    }
  if (page != NULL && !read_strip_page (self, image, page, PSM_SPARSE_TEXT, candidates, error))
    return FALSE;
  /* A label holds its call number and nothing else worth a place. */
  for (guint i = 0; i < candidates->len; i++)
    {
      const BiOcrLine *line = g_ptr_array_index (candidates, i);

      if (bi_label_band_call_number_length (line->text) == 0)
        g_ptr_array_remove_index_fast (candidates, i--);
    }
  reconsider_readings (result, candidates, compare_as_labels);
  g_debug ("read %u labels alone in %" G_GINT64_FORMAT " ms", taken->len,
           (g_get_monotonic_time () - start) / 1000);
  return TRUE;
}

/* A library shelf's call-number labels are ~15 px thick at the scale the whole photo is read
 * at, and most are lost; read again at the grey picture's full size in the band of each shelf
 * row where they stand (bi-label-band.h), they mostly come out whole. Each band is read at the
 * labels' main turn with sparse text twice, at full size with the page's one threshold and at
 * LABEL_LOCAL_SCALE with a local one: each gets other labels right (17 whole on llabres_one
 * against 12 with the first alone, for 0.23 s). Then, with what the first read painted over,
 * it is read at the other turn (a few labels run the other way) with PSM_AUTO, which read one
 * label more there than sparse text in the same time (docs/ocr.md). The readings of a label
 * win its place over the whole photo's: the call number read longest, then the most
 * confident. A photo where fewer than two call numbers were read costs nothing here. */
static gboolean
read_label_bands (BiTesseractEngine    *self,
                  const BiLoadedImage  *image,
                  BiOcrResult          *result,
                  GArray              **read_bands,
                  int                  *read_turn,
                  GError              **error)
{
  g_autoptr (GArray) bands = bi_label_band_find (result);
  g_autoptr (GPtrArray) candidates = NULL;
  g_autoptr (GPtrArray) locally_read = NULL;
  g_autoptr (PIX) painted = NULL;
  gint64 start = g_get_monotonic_time ();
  int main_turn;

  self->n_label_bands = bands->len;
  if (bands->len == 0)
    return TRUE;

  main_turn = bi_label_band_main_turn (result);
  candidates = lines_new ();
  locally_read = lines_new ();
  painted = pixCopy (NULL, image->grey);
  if (painted == NULL)
    {
      set_turn_error (error, image);
      return FALSE;
    }
  bi_text_mask_paint (painted, image->scale, result->lines, is_confident_non_label);

  for (guint b = 0; b < bands->len; b++)
    {
      BiPixelBox band = g_array_index (bands, BiPixelBox, b);

      g_debug ("label band [%d,%d %d×%d]", band.x, band.y, band.width, band.height);
      if (!read_band (self, image, painted, band, main_turn, 1.0, FALSE, PSM_SPARSE_TEXT,
                      candidates, error) ||
          !read_band (self, image, painted, band, main_turn, LABEL_LOCAL_SCALE, TRUE,
                      PSM_SPARSE_TEXT, locally_read, error))
        return FALSE;
    }
  /* Not what the local threshold read: it reads labels running the other way upside down,
   * confidently enough to be painted over ("210 (?0)96L" for "796(03) Dic" on the drawn
   * shelf of test-label-band.c in a lighter shadow), and the other turn would miss them. */
  bi_text_mask_paint (painted, image->scale, candidates, is_confident_word);
  g_ptr_array_extend_and_steal (candidates, g_steal_pointer (&locally_read));
  for (guint b = 0; b < bands->len; b++)
    {
      BiPixelBox band = g_array_index (bands, BiPixelBox, b);

      if (!read_band (self, image, painted, band, 4 - main_turn, 1.0, FALSE, PSM_AUTO,
                      candidates, error))
        return FALSE;
    }

  reconsider_readings (result, candidates, compare_as_labels);
  g_debug ("read %u label bands in %" G_GINT64_FORMAT " ms", bands->len,
           (g_get_monotonic_time () - start) / 1000);
  *read_bands = g_steal_pointer (&bands);
  *read_turn = main_turn;
  return TRUE;
}

/* Whether the photo may show an ISBN barcode. The barcode is on a book's back cover, never on
 * its spine, and a photo of covers holds few confident sideways words (the generated cover
 * photos fewer than MIN_SHELF_WORDS; every 12 MP generated shelf and the three real ones more).
 * A photo with more is a shelf of spines and is not scanned, which saves 50–160 ms on a 12 MP
 * photo. The detector's regions cannot tell: it cuts a photo of two covers into dozens of
 * strips. */
static gboolean
may_show_barcode (const BiOcrResult *result)
{
  guint sideways = 0;

  for (guint i = 0; i < result->lines->len; i++)
    {
      const BiOcrLine *line = g_ptr_array_index (result->lines, i);

      sideways += (line->angle == 90 || line->angle == 270) && is_confident_word (line);
    }
  return sideways < MIN_SHELF_WORDS;
}

/* Barcodes on the photo, in its pixels, each in the region that holds its middle. */
static void
add_barcodes (const BiLoadedImage *image,
              BiOcrResult         *result)
{
  g_autoptr (GPtrArray) barcodes = bi_barcode_reader_read (image->grey);

  for (guint i = 0; i < barcodes->len; i++)
    {
      BiOcrLine *line = g_ptr_array_index (barcodes, i);
      BiPixelBox box = box_to_photo ((BiPixelBox) { line->x, line->y, line->width, line->height },
                                     image);
      int middle_x = box.x + box.width / 2, middle_y = box.y + box.height / 2;

      line->x = box.x;
      line->y = box.y;
      line->width = box.width;
      line->height = box.height;
      line->region = region_at (result, middle_x, middle_y);
      g_ptr_array_add (result->lines, g_steal_pointer (&barcodes->pdata[i]));
    }
}

BiOcrResult *
bi_tesseract_engine_recognize (BiTesseractEngine  *self,
                               GBytes             *image_data,
                               GError            **error)
{
  g_autoptr (BiLoadedImage) image = NULL;
  g_autoptr (BiOcrResult) result = NULL;
  /* Lines the whole-photo reading saw but could not read (read_page). */
  g_autoptr (GPtrArray) faint = lines_new ();
  /* A library shelf's label bands (BiPixelBox), and the turn its labels read at. */
  g_autoptr (GArray) label_bands = NULL;
  int label_turn = 1;
  gint64 start = g_get_monotonic_time ();

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (image_data != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self->n_label_bands = 0;
  image = bi_image_loader_load (image_data, self->max_side, error);
  if (image == NULL)
    return NULL;
  g_debug ("loaded a %d×%d %s (EXIF orientation %d) as %d×%d grey in %" G_GINT64_FORMAT " ms",
           image->width, image->height, image->content_type, image->orientation,
           pixGetWidth (image->grey), pixGetHeight (image->grey),
           (g_get_monotonic_time () - start) / 1000);

  result = bi_ocr_result_new (image->width, image->height);
  if (!read_whole_photo (self, image, result, faint, error))
    return NULL;

  if (self->find_regions)
    {
      start = g_get_monotonic_time ();
      find_regions (image, result);
      g_debug ("found %u regions in %" G_GINT64_FORMAT " ms", result->regions->len,
               (g_get_monotonic_time () - start) / 1000);
      /* Binarised, a noisy spine's speckle and grey edges are gone, which Tesseract's layout
       * took for pictures; but a spine whose background darkens along it loses letters to
       * the one threshold halfway. The spines that read nothing binarised are read again
       * stretched (docs/ocr.md, round 9). The spines whose text was seen but not read (in
       * part, or glimpsed) are read binarised only: the ones read in part, read stretched too,
       * doubled their cost on the real photos (7.1 s more CPU instead of 3.5 s, in a first
       * trial at a share of 0.4) for 1 title more on 20 generated. */
      if (!reread_unread_spines (self, image, BI_SPINE_TONES_BINARY, REREAD_SEEN, faint,
                                 result, error) ||
          !reread_unread_spines (self, image, BI_SPINE_TONES_STRETCHED, REREAD_HIDDEN, NULL,
                                 result, error))
        return NULL;
      /* After the re-reads, whose pages may read a title upside down too. */
      if (!reread_doubtful_readings (self, image, result, error))
        return NULL;
      if (!read_label_bands (self, image, result, &label_bands, &label_turn, error))
        return NULL;
      /* Last, so that the passes before see the lines they saw without it: the labels a
       * re-read spine shows moved a library shelf's label band and changed how Tesseract read
       * it (4 labels fewer on llabres_one_shelf_example.jpg, 2 more at another setting), and
       * the spines added to the doubtful readings' page changed how it read one of them
       * (docs/ocr.md, round 13). */
      if (!reread_unread_spines (self, image, BI_SPINE_TONES_BINARY, REREAD_LETTERED, faint,
                                 result, error))
        return NULL;
      /* Last of all for the same reason: it reads the spines every pass before read, in part
       * or doubtfully, again at the size of their text. Stretched, not binarised: the thin
       * strokes of light serif type, which such spines often hold, break at a threshold
       * ("DANIFI", 0.61, for "DANIEL", 0.96 stretched, on jhrcook); the real photos read 1 book
       * more so, the generated and held-out ones the same (docs/ocr.md, round 14). */
      if (!reread_unread_spines (self, image, BI_SPINE_TONES_STRETCHED, REREAD_DOUBTFUL, NULL,
                                 result, error))
        return NULL;
      /* Then along the sure line of each spine still read in part: a title beside its author
       * (ALONG_LINE_THICKNESSES). After the doubtful spines, whose passes it would otherwise
       * change: it adds words only where no reading stands. The real photos read 1 book
       * more (and 1 their ground truth lacks), the generated ones 1 (docs/ocr.md, round 17). */
      if (!reread_unread_spines (self, image, BI_SPINE_TONES_LOCAL, REREAD_ALONG, NULL,
                                 result, error))
        return NULL;
      /* After every pass that reads titles: a label read confidently here made the doubtful
       * spines' pass leave a spine whose doubtful label had sent it there, and with it its
       * title ("Córrer per ser feliç", docs/ocr.md, round 17). */
      if (label_bands != NULL &&
          !read_labels_alone (self, image, label_bands, label_turn, result, error))
        return NULL;
    }

  if (may_show_barcode (result))
    {
      start = g_get_monotonic_time ();
      add_barcodes (image, result);
      g_debug ("looked for barcodes in %" G_GINT64_FORMAT " ms",
               (g_get_monotonic_time () - start) / 1000);
    }

  g_ptr_array_sort (result->lines, compare_by_position);
  return g_steal_pointer (&result);
}
