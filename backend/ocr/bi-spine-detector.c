/* bi-spine-detector.c — shelf rows, spines, stacks and covers from edge projections
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-spine-detector"

#include "bi-spine-detector.h"

#include <math.h>

#include "bi-leptonica-autoptr.h"
#include "bi-ocr-order.h"

/* Longest side of the working copy. Spines on a 12 MP shelf photo are 1.5–5 % of its width,
 * so they stay 15 px or wider here, and every projection below takes milliseconds. */
#define WORK_SIDE             1024

/* Book boundaries are searched along lines tilted this far each way from vertical. */
#define MAX_TILT_DEGREES      15.0
#define TILT_STEP_DEGREES     2.5

/* A grey step this large between a pixel's neighbours is an edge (the picture is
 * contrast-normalised, so this holds on dark and light shelves alike). */
#define EDGE_STEP             24

/* A shelf row fills at least this share of the picture's height; a band of edges thinner
 * than that is a label, a text line on a cover, or books far behind. */
#define MIN_ROW_SHARE         0.10

/* Rows whose edge density is below this share of the busiest rows' are shelf boards, walls
 * or the dark space above the books. */
#define ROW_DENSITY_SHARE     0.45

/* A row extends up and down while its lines still have this share of the threshold's edges:
 * the sides of the books above and below their text. */
#define ROW_EDGE_SHARE        0.15

/* Narrowest spine, as a share of the working width (and never under MIN_SPINE_PIXELS). */
#define MIN_SPINE_SHARE       0.012
#define MIN_SPINE_PIXELS      6

/* A book boundary crosses an edge of one sign along at least this share of its row; text
 * turned on its side along half of it at most, with both signs. */
#define MIN_BOUNDARY_SHARE    0.55

/* With the photo's text at hand the letters' own edges are known, and a weaker boundary is
 * enough (lower, neighbouring spines of one brightness are missed; measured in docs/ocr.md). */
#define MIN_TEXT_BOUNDARY_SHARE 0.40

/* Between two columns of sideways text, a boundary this strong is enough: the text says there
 * are two things side by side, the edge says where one ends. */
#define MIN_TEXT_GAP_SHARE    0.25

/* Lines of text taken as evidence of where books are: confident, with a few characters, so
 * that Tesseract's attempts at wood grain do not count. */
#define MIN_EVIDENCE_CONFIDENCE 0.50
#define MIN_EVIDENCE_CHARACTERS 2

/* Two columns of sideways text further apart than this many times their thickness are on two
 * books even where no edge shows between them (dark spines on a dark shelf, after contrast
 * normalisation): one spine's title and author stand a line or so apart. */
#define MAX_TEXT_GAP_LINES    1.8

/* Two neighbouring columns of sideways text printed on grounds this many levels apart (the
 * median grey of each line's box) stand on two books, however close: one spine's title and
 * author share its ground, and where two books touch, their sides may make too faint an edge.
 * Only lines of a few characters count, so that the median of a box is its ground, not a
 * letter's. One spine's title and author, touching, differed by up to 22 levels on the real
 * photos (a box tight on bold letters); two books side by side by 5 to 208. */
#define MIN_GROUND_CHARACTERS 4
#define MIN_GROUND_STEP       40

/* A smaller step is enough between columns this share of their thickness apart, as two books'
 * titles stand: one spine's title and author touch or nearly (0 to 0.33 measured). */
#define MIN_APART_GROUND_STEP 20
#define MIN_APART_GAP_LINES   0.5

/* Two books side by side make a strip at least this many times as wide as the row's median
 * spine (the real shelf's merged pair: 1.3); a wide spine with its title and author side by
 * side, one (the synthetic shelf, whose contrast normalisation leaves one spine's grounds
 * 70–250 levels apart). */
#define MIN_GROUND_SPLIT_WIDTHS 1.2

/* Two columns side by side reading the same letters, this many or more, are one name printed
 * on two books: "SERGI PÀMIES" is 11. */
#define MIN_SAME_LETTERS      8

/* A boundary this close (working pixels) to the side of a line of sideways text is that
 * line's own edge: its letters stand on a straight baseline, which is an edge of one sign. */
#define TEXT_EDGE_MARGIN      2.0

/* A strip with fewer edge pixels than this share of its area is empty shelf or wall. */
#define MIN_CONTENT_SHARE     0.01

/* A book lying flat has an edge across the whole width of its stack: along at least this
 * share of it, the brightness steps the same way. */
#define MIN_STACK_EDGE_SHARE  0.75

/* A book lying flat in a stack is seldom quite level: its edges are searched along lines
 * tilted this far each way (degrees). */
#define MAX_STACK_TILT_DEGREES  3.0
#define STACK_TILT_STEP_DEGREES 1.0

/* A strip at least this wide for its height may be a stack of books lying flat, or a cover. */
#define WIDE_STRIP_RATIO      0.30

/* Rows (or columns) next to a boundary that its own edge still reaches. */
#define EDGE_ROWS             2

/* A weaker peak within a minimum spine of a stronger one is a boundary of its own when the
 * profile between them falls below this share of it. */
#define PEAK_DIP_SHARE        0.70

/* The spines of a row are of a few widths. A strip this many times wider than the row's
 * median spine holds more than one thing: two spines of one brightness, whose boundary is too
 * weak for the rules above, or books and the empty shelf beside them. */
#define MAX_SPINE_WIDTHS      1.7

/* Inside such a strip, the strongest edge that runs through no text is a boundary if it is at
 * least this strong, and leaves a piece of at least this share of the median spine each side. */
#define MIN_SPACING_SHARE     0.30
#define MIN_PIECE_WIDTHS      0.6

/* A column (along the strip's tilt) with fewer edge pixels than this share of its height is
 * empty: shelf, wall, or a plain stretch of a spine. A run of empty columns as wide as the
 * row's median spine is empty shelf, which no book spans. */
#define EMPTY_COLUMN_SHARE    0.03

/* Two neighbouring strips each narrower than this share of the row's median spine, together
 * no wider than MAX_JOINED_WIDTHS of it, are one spine cut along an edge of its own (a band
 * of colour, a line of large letters that was not read), unless each holds a line of text. */
#define MAX_SLIVER_WIDTHS     0.75
#define MAX_JOINED_WIDTHS     1.3

/* A photo with fewer standing spines than this is one of covers, not of a shelf. */
#define MIN_SPINES_FOR_SHELF  3

/* A line of text read from the photo, in the working copy's pixels. */
typedef struct
{
  double   left, top, right, bottom;
  gboolean sideways;   /* read at a quarter turn: it runs along a standing spine */
  guint    characters;
  guint    letters;    /* hash of its letters, case folded (same_letters) */
  guint    n_letters;
} TextBox;

typedef struct
{
  int     width;
  int     height;
  guint8 *pixels; /* the working copy, row by row */
  gint16 *dx;     /* horizontal central difference: strong at near-vertical edges */
  gint16 *dy;     /* vertical central difference: strong at near-horizontal edges */
  GArray *text;   /* of TextBox; NULL when the caller read no text */
} Work;

typedef struct
{
  int top, bottom; /* rows [top, bottom) */
} Band;

/* A book boundary: the line x = x + (y - middle) · tan(angle) across a band. */
typedef struct
{
  double x;
  double angle; /* degrees, clockwise lean of the line's top from vertical */
  gboolean beside_stronger; /* within a minimum spine of a stronger edge: left out of the
                             * row's median spine */
  gboolean between_names;   /* between two columns reading the same name: the strips beside
                             * it may be thinner than a minimum spine (split_text_grounds) */
} Boundary;

static void
work_clear (Work *work)
{
  g_free (work->pixels);
  g_free (work->dx);
  g_free (work->dy);
  g_clear_pointer (&work->text, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Work, work_clear)

static gboolean
work_init (Work *work,
           PIX  *grey)
{
  double scale = (double) WORK_SIDE / MAX (pixGetWidth (grey), pixGetHeight (grey));
  g_autoptr (PIX) small = scale < 1.0 ? pixScaleAreaMap (grey, scale, scale) : pixClone (grey);
  int w, h;

  if (small == NULL)
    return FALSE;
  w = work->width = pixGetWidth (small);
  h = work->height = pixGetHeight (small);
  work->pixels = g_new (guint8, (gsize) w * h);
  work->dx = g_new0 (gint16, (gsize) w * h);
  work->dy = g_new0 (gint16, (gsize) w * h);

  for (int y = 0; y < h; y++)
    {
      const l_uint32 *line = pixGetData (small) + (gsize) y * pixGetWpl (small);

      for (int x = 0; x < w; x++)
        work->pixels[(gsize) y * w + x] = GET_DATA_BYTE (line, x);
    }
  for (int y = 1; y < h - 1; y++)
    for (int x = 1; x < w - 1; x++)
      {
        const guint8 *p = work->pixels + (gsize) y * w + x;

        work->dx[(gsize) y * w + x] = (gint16) p[1] - p[-1];
        work->dy[(gsize) y * w + x] = (gint16) p[w] - p[-w];
      }
  return TRUE;
}

/* A hash of @text's letters, upper case, without the rest ("SERGI PÀMIES" and "Sergi Pàmies."
 * hash alike), and their number in @n_letters. */
static guint
hash_letters (const char *text,
              guint      *n_letters)
{
  guint hash = 5381;

  *n_letters = 0;
  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_isalpha (c))
        continue;
      hash = hash * 33 + g_unichar_toupper (c);
      (*n_letters)++;
    }
  return hash;
}

/* The confident lines of @lines (in the picture's pixels) in the working copy's pixels. */
static void
work_add_text (Work            *work,
               const GPtrArray *lines,
               double           scale_x,
               double           scale_y)
{
  work->text = g_array_new (FALSE, FALSE, sizeof (TextBox));
  for (guint i = 0; i < lines->len; i++)
    {
      const BiOcrLine *line = g_ptr_array_index ((GPtrArray *) lines, i);
      int angle = ((int) line->angle % 360 + 360) % 360;
      TextBox box;

      if (line->kind != BI_OCR_LINE_TEXT || line->confidence < MIN_EVIDENCE_CONFIDENCE)
        continue;
      box.characters = bi_ocr_count_characters (line->text);
      if (box.characters < MIN_EVIDENCE_CHARACTERS)
        continue;
      box.left = line->x / scale_x;
      box.right = (line->x + line->width) / scale_x;
      box.top = line->y / scale_y;
      box.bottom = (line->y + line->height) / scale_y;
      box.sideways = angle == 90 || angle == 270;
      box.letters = hash_letters (line->text, &box.n_letters);
      g_array_append_val (work->text, box);
    }
}

/* The value below which @share of @values lie (@values is sorted in place). */
static double
quantile (double *values,
          int     n,
          double  share)
{
  if (n == 0)
    return 0;
  qsort (values, n, sizeof *values, bi_ocr_compare_doubles);
  return values[CLAMP ((int) (share * (n - 1)), 0, n - 1)];
}

/* ---- shelf rows --------------------------------------------------------------------------- */

/* Books are dense with near-vertical edges (their sides and their text); shelf boards, the
 * wall and the dark space above the books are not. Rows are the runs of dense lines. */
static GArray *
find_rows (const Work *work)
{
  g_autofree double *density = g_new0 (double, work->height);
  g_autofree double *smooth = g_new0 (double, work->height);
  g_autofree double *sorted = NULL;
  GArray *rows = g_array_new (FALSE, FALSE, sizeof (Band));
  int radius = MAX (1, work->height / 100);
  int min_gap = work->height / 25;
  double threshold;
  int start = -1;

  for (int y = 0; y < work->height; y++)
    {
      int edges = 0;

      for (int x = 0; x < work->width; x++)
        edges += ABS (work->dx[(gsize) y * work->width + x]) > EDGE_STEP;
      density[y] = (double) edges / work->width;
    }
  for (int y = 0; y < work->height; y++)
    {
      int from = MAX (0, y - radius), to = MIN (work->height - 1, y + radius);
      double sum = 0;

      for (int i = from; i <= to; i++)
        sum += density[i];
      smooth[y] = sum / (to - from + 1);
    }

  sorted = g_memdup2 (smooth, sizeof (double) * work->height);
  threshold = ROW_DENSITY_SHARE * quantile (sorted, work->height, 0.9);

  for (int y = 0; y <= work->height; y++)
    {
      gboolean dense = y < work->height && smooth[y] >= threshold && threshold > 0;

      if (dense && start < 0)
        {
          /* A short break (a label strip, a book's coloured band) does not end a row. */
          if (rows->len > 0 && y - g_array_index (rows, Band, rows->len - 1).bottom < min_gap)
            {
              start = g_array_index (rows, Band, rows->len - 1).top;
              g_array_remove_index (rows, rows->len - 1);
            }
          else
            start = y;
        }
      else if (!dense && start >= 0)
        {
          Band band = { start, y };

          g_array_append_val (rows, band);
          start = -1;
        }
    }

  for (guint i = rows->len; i-- > 0;)
    {
      Band *band = &g_array_index (rows, Band, i);
      int floor_top = i > 0 ? g_array_index (rows, Band, i - 1).bottom : 0;
      int floor_bottom = i + 1 < rows->len ? g_array_index (rows, Band, i + 1).top : work->height;

      /* The busiest lines are those with text; the books reach on to where the sides of
       * the spines stop too. */
      while (band->top > floor_top && smooth[band->top - 1] >= ROW_EDGE_SHARE * threshold)
        band->top--;
      while (band->bottom < floor_bottom && smooth[band->bottom] >= ROW_EDGE_SHARE * threshold)
        band->bottom++;
      if (band->bottom - band->top < MIN_ROW_SHARE * work->height)
        g_array_remove_index (rows, i);
    }
  return rows;
}

/* ---- boundaries between books ------------------------------------------------------------- */

static int
min_spine_width (const Work *work)
{
  return MAX (MIN_SPINE_PIXELS, (int) (MIN_SPINE_SHARE * work->width));
}

/* For every column where a line crosses the band's middle, the strongest tilt of a book
 * boundary through it: the share of the band's rows where the line crosses an edge that
 * steps the same way. The side of a book is such an edge all along; a line of spine text
 * turned on its side makes one only where its letters touch the line, about half of it. */
static void
project_boundaries (const Work *work,
                    Band        band,
                    double     *strength,
                    double     *angle)
{
  int height = band.bottom - band.top;
  double middle = (band.top + band.bottom) / 2.0;
  g_autofree int *offsets = g_new (int, height);

  for (int x = 0; x < work->width; x++)
    strength[x] = 0;

  for (double degrees = -MAX_TILT_DEGREES; degrees <= MAX_TILT_DEGREES + 1e-9;
       degrees += TILT_STEP_DEGREES)
    {
      double slope = tan (degrees * G_PI / 180.0);

      for (int i = 0; i < height; i++)
        offsets[i] = (int) lround ((band.top + i - middle) * slope);

      for (int x = 0; x < work->width; x++)
        {
          int rising = 0, falling = 0;
          double share;

          for (int i = 0; i < height; i++)
            {
              int column = x + offsets[i];
              int step;

              if (column <= 0 || column >= work->width - 1)
                continue;
              step = work->dx[(gsize) (band.top + i) * work->width + column];
              rising += step > EDGE_STEP;
              falling += step < -EDGE_STEP;
            }
          /* Divided by the whole height: a line that leaves the picture saw less of a book. */
          share = (double) MAX (rising, falling) / height;
          if (share > strength[x])
            {
              strength[x] = share;
              angle[x] = degrees;
            }
        }
    }
}

/* Orders indices into a profile by falling value, then left to right. */
static int
compare_peak_strength (gconstpointer a,
                       gconstpointer b,
                       gpointer      user_data)
{
  const double *profile = user_data;
  int first = *(const int *) a, second = *(const int *) b;

  if (profile[first] != profile[second])
    return profile[first] < profile[second] ? 1 : -1;
  return (first > second) - (first < second);
}

/* Whether @profile at @i is a peak of its own: the highest within @spacing each way, or, when
 * @may_dip, the highest within EDGE_ROWS from which the profile dips below PEAK_DIP_SHARE of it
 * on the way to every higher value within @spacing. A thin spine's two sides stand about a
 * minimum spine apart, and the stronger one hid the weaker. */
static gboolean
is_own_peak (const double *profile,
             int           length,
             int           spacing,
             gboolean      may_dip,
             int           i)
{
  for (int j = MAX (0, i - EDGE_ROWS); j <= MIN (length - 1, i + EDGE_ROWS); j++)
    if (profile[j] > profile[i] || (profile[j] == profile[i] && j < i))
      return FALSE;
  for (int j = MAX (0, i - spacing); j <= MIN (length - 1, i + spacing); j++)
    {
      double lowest = profile[i];

      if (profile[j] < profile[i] || (profile[j] == profile[i] && j >= i))
        continue;
      for (int k = MIN (i, j) + 1; k < MAX (i, j); k++)
        lowest = MIN (lowest, profile[k]);
      if (!may_dip || lowest >= PEAK_DIP_SHARE * profile[i])
        return FALSE;
    }
  return TRUE;
}

/* Peaks of @profile above @threshold, at least @spacing apart, left to right: the strongest
 * first, then each next strongest that no peak already taken stands closer to than @spacing.
 * Peaks of @min_dipped or more may stand beside a higher value (is_own_peak); G_MAXDOUBLE
 * keeps the plain rule. */
static GArray *
find_peaks (const double *profile,
            int           length,
            int           spacing,
            double        threshold,
            double        min_dipped)
{
  g_autoptr (GArray) candidates = g_array_new (FALSE, FALSE, sizeof (int));
  GArray *peaks = g_array_new (FALSE, FALSE, sizeof (int));

  for (int i = 0; i < length; i++)
    if (profile[i] >= threshold &&
        is_own_peak (profile, length, spacing, profile[i] >= min_dipped, i))
      g_array_append_val (candidates, i);
  g_array_sort_with_data (candidates, compare_peak_strength, (gpointer) profile);
  for (guint c = 0; c < candidates->len; c++)
    {
      int i = g_array_index (candidates, int, c);
      gboolean apart = TRUE;

      for (guint p = 0; p < peaks->len && apart; p++)
        apart = abs (g_array_index (peaks, int, p) - i) >= spacing;
      if (apart)
        g_array_append_val (peaks, i);
    }
  g_array_sort (peaks, bi_ocr_compare_ints);
  return peaks;
}

/* Whether the boundary line through (@x, band middle) at @angle, crossing an edge in
 * @strength of @band's rows, runs through or along the side of a line of sideways text long
 * enough to make that edge: then the edge is the text's, not a book's. */
static gboolean
cuts_text (const Work *work,
           Band        band,
           double      x,
           double      angle,
           double      strength)
{
  double middle = (band.top + band.bottom) / 2.0;
  double slope = tan (angle * G_PI / 180.0);

  for (guint i = 0; work->text != NULL && i < work->text->len; i++)
    {
      const TextBox *text = &g_array_index (work->text, TextBox, i);
      double centre_x = (text->left + text->right) / 2, centre_y = (text->top + text->bottom) / 2;
      double boundary_x = x + (centre_y - middle) * slope;
      /* A line on a leaning spine has a wider box than the line is thick. */
      double half_thickness = MAX ((text->right - text->left) / 4,
                                   ((text->right - text->left)
                                    - (text->bottom - text->top) * fabs (slope)) / 2);
      /* Its baseline is an edge along its length, no further. */
      double length = MIN (text->bottom, band.bottom) - MAX (text->top, band.top);

      if (!text->sideways || centre_y < band.top || centre_y >= band.bottom ||
          length < strength * (band.bottom - band.top))
        continue;
      if (fabs (boundary_x - centre_x) <= half_thickness + TEXT_EDGE_MARGIN)
        return TRUE;
    }
  return FALSE;
}

/* Whether @band holds a line of sideways text whose middle lies between @left and @right. */
static gboolean
has_text_between (const Work *work,
                  Band        band,
                  double      left,
                  double      right)
{
  for (guint i = 0; work->text != NULL && i < work->text->len; i++)
    {
      const TextBox *text = &g_array_index (work->text, TextBox, i);
      double centre_x = (text->left + text->right) / 2, centre_y = (text->top + text->bottom) / 2;

      if (text->sideways && centre_y >= band.top && centre_y < band.bottom &&
          centre_x > left && centre_x < right)
        return TRUE;
    }
  return FALSE;
}

static int
compare_text_left (gconstpointer a,
                   gconstpointer b)
{
  const TextBox *first = a, *second = b;

  return (first->left > second->left) - (first->left < second->left);
}

static int
compare_boundary_x (gconstpointer a,
                    gconstpointer b)
{
  const Boundary *first = a, *second = b;

  return (first->x > second->x) - (first->x < second->x);
}

/* Whether one of @boundaries lies between @left and @right. */
static gboolean
has_boundary_between (GArray *boundaries,
                      double  left,
                      double  right)
{
  for (guint i = 0; i < boundaries->len; i++)
    {
      double x = g_array_index (boundaries, Boundary, i).x;

      if (x > left && x < right)
        return TRUE;
    }
  return FALSE;
}

/* The columns of sideways text in @band (their middles in it) of at least @min_characters,
 * left to right. */
static GArray *
band_text_columns (const Work *work,
                   Band        band,
                   guint       min_characters)
{
  GArray *columns = g_array_new (FALSE, FALSE, sizeof (TextBox));

  for (guint i = 0; work->text != NULL && i < work->text->len; i++)
    {
      const TextBox *text = &g_array_index (work->text, TextBox, i);
      double centre_y = (text->top + text->bottom) / 2;

      if (text->sideways && centre_y >= band.top && centre_y < band.bottom
          && text->characters >= min_characters)
        g_array_append_val (columns, *text);
    }
  g_array_sort (columns, compare_text_left);
  return columns;
}

/* Adds a boundary, at the strongest edge between them, between neighbouring columns of
 * sideways text in @band that stand too far apart to be one book's and have none yet. */
static void
split_text_gaps (const Work   *work,
                 Band          band,
                 const double *strength,
                 const double *angle,
                 GArray       *boundaries)
{
  g_autoptr (GArray) columns = band_text_columns (work, band, 0);

  for (guint i = 0; i + 1 < columns->len; i++)
    {
      const TextBox *left = &g_array_index (columns, TextBox, i);
      const TextBox *right = &g_array_index (columns, TextBox, i + 1);
      double thickness = MAX (left->right - left->left, right->right - right->left);
      int from = (int) ceil (left->right + TEXT_EDGE_MARGIN);
      int to = (int) floor (right->left - TEXT_EDGE_MARGIN);
      Boundary boundary = { (from + to) / 2.0, 0 };

      /* Overlapping columns are one column (a title above its author): the next one starts
       * after the further right of the two. */
      if (right->left <= left->right && right->right < left->right)
        {
          g_array_index (columns, TextBox, i + 1) = *left;
          continue;
        }
      if (right->left - left->right <= MAX_TEXT_GAP_LINES * thickness || to <= from ||
          has_boundary_between (boundaries, left->right, right->left))
        continue;
      for (int x = from; x <= to; x++)
        if (strength[x] > strength[(int) boundary.x])
          boundary = (Boundary) { x, angle[x] };
      g_debug ("boundary at %.0f between text columns %.0f px apart", boundary.x,
               right->left - left->right);
      g_array_append_val (boundaries, boundary);
    }
  g_array_sort (boundaries, compare_boundary_x);
}

/* The nearest of @boundaries and @added left of @left and right of @right. */
static void
neighbours_around (GArray *boundaries,
                   GArray *added,
                   double  left,
                   double  right,
                   double *before,
                   double *after)
{
  GArray *all[] = { boundaries, added };

  *before = -G_MAXDOUBLE;
  *after = G_MAXDOUBLE;
  for (guint a = 0; a < G_N_ELEMENTS (all); a++)
    for (guint i = 0; i < all[a]->len; i++)
      {
        double x = g_array_index (all[a], Boundary, i).x;

        if (x <= left)
          *before = MAX (*before, x);
        if (x >= right)
          *after = MIN (*after, x);
      }
}

/* The tilt of the boundary nearest @x: neighbouring books lean alike. */
static double
nearest_angle (GArray *boundaries,
               double  x)
{
  double angle = 0, distance = G_MAXDOUBLE;

  for (guint i = 0; i < boundaries->len; i++)
    {
      const Boundary *boundary = &g_array_index (boundaries, Boundary, i);

      if (fabs (boundary->x - x) < distance)
        {
          distance = fabs (boundary->x - x);
          angle = boundary->angle;
        }
    }
  return angle;
}

/* The median grey of @text's box: the ground it is printed on, which its letters cover less
 * than half of. */
static double
text_ground (const Work    *work,
             const TextBox *text)
{
  guint histogram[256] = { 0 };
  int left = CLAMP ((int) text->left, 0, work->width - 1);
  int right = CLAMP ((int) ceil (text->right), left + 1, work->width);
  int top = CLAMP ((int) text->top, 0, work->height - 1);
  int bottom = CLAMP ((int) ceil (text->bottom), top + 1, work->height);
  gsize count = (gsize) (right - left) * (bottom - top), seen = 0;

  for (int y = top; y < bottom; y++)
    for (int x = left; x < right; x++)
      histogram[work->pixels[(gsize) y * work->width + x]]++;
  for (int level = 0; level < 256; level++)
    {
      seen += histogram[level];
      if (2 * seen >= count)
        return level;
    }
  return 255;
}

/* What the splits between columns of sideways text in one shelf row work on. */
typedef struct
{
  const Work   *work;
  Band          band;
  const double *strength;   /* each column's strongest boundary line (find_boundaries) */
  const double *angle;
  double        median;     /* the row's median spine width */
  GArray       *boundaries; /* Boundary: those found before the splits */
  GArray       *columns;    /* TextBox: the band's columns of sideways text, left to right */
  GArray       *added;      /* Boundary: those the splits add */
} ColumnSplit;

/* The boundary between the columns of sideways text @left and @right of @split's band (side
 * by side, @left first) when they stand on two books: none of its boundaries, found or added,
 * lies between their middles, the strip holding them is at least @min_widths of the row's
 * median spine wide, and each side of the boundary at least @min_piece pixels. The books' side lies in the gap
 * between the two lines, or a little inside a leaning line's box, which is wider than its
 * letters: the strongest edge there that is not a line's own, else the middle of the gap at
 * the tilt of the nearest boundary. FALSE when there is no room for it. */
static gboolean
boundary_between_columns (const ColumnSplit *split,
                          const TextBox     *left,
                          const TextBox     *right,
                          double             min_widths,
                          int                min_piece,
                          Boundary          *boundary)
{
  const Work *work = split->work;
  const double *strength = split->strength, *angle = split->angle;
  double thickness = MAX (left->right - left->left, right->right - right->left);
  double middle_left = (left->left + left->right) / 2;
  double middle_right = (right->left + right->right) / 2;
  double best = MIN_TEXT_GAP_SHARE, before, after;
  int from, to;

  if (has_boundary_between (split->boundaries, middle_left, middle_right) ||
      has_boundary_between (split->added, middle_left, middle_right))
    return FALSE;
  /* Two books make a strip wider than the row's typical spine; one wide spine's title and
   * author side by side sit in a strip of its width. */
  neighbours_around (split->boundaries, split->added, middle_left, middle_right, &before,
                     &after);
  if (after - before < min_widths * split->median)
    return FALSE;
  from = (int) floor (left->right - thickness / 4);
  to = (int) ceil (right->left + thickness / 4);
  /* Each side must stay wide enough for a spine, or add_strip drops it with its text. */
  from = MAX (from, (int) ceil (before + min_piece + 1));
  to = MIN (to, (int) floor (after - min_piece - 1));
  if (from > to)
    return FALSE;
  boundary->x = CLAMP ((left->right + right->left) / 2, from, to);
  boundary->angle = nearest_angle (split->boundaries, boundary->x);
  boundary->beside_stronger = FALSE;
  for (int x = MAX (from, 0); x <= MIN (to, work->width - 1); x++)
    if (strength[x] >= best && !cuts_text (work, split->band, x, angle[x], strength[x]))
      {
        best = strength[x];
        *boundary = (Boundary) { x, angle[x], FALSE };
      }
  boundary->between_names = min_piece < min_spine_width (work);
  return TRUE;
}

/* Adds to @split a boundary between neighbouring columns of sideways text that have none
 * between them and are printed on grounds of different greys (MIN_GROUND_STEP): two books each
 * with its own title, touching with too faint an edge between them. */
static void
split_text_grounds (ColumnSplit *split)
{
  for (guint i = 0; i + 1 < split->columns->len; i++)
    {
      const TextBox *left = &g_array_index (split->columns, TextBox, i);
      const TextBox *right = &g_array_index (split->columns, TextBox, i + 1);
      double thickness = MAX (left->right - left->left, right->right - right->left);
      double left_ground, right_ground;
      Boundary boundary;

      /* Side by side, not one above the other in one column. */
      if (right->left < left->right)
        continue;
      left_ground = text_ground (split->work, left);
      right_ground = text_ground (split->work, right);
      /* One spine's title and author touch, or nearly; two books' stand apart. */
      if (fabs (left_ground - right_ground) < MIN_GROUND_STEP &&
          !(fabs (left_ground - right_ground) >= MIN_APART_GROUND_STEP &&
            right->left - left->right >= MIN_APART_GAP_LINES * thickness))
        continue;
      if (!boundary_between_columns (split, left, right, MIN_GROUND_SPLIT_WIDTHS,
                                     min_spine_width (split->work), &boundary))
        continue;
      g_debug ("boundary at %.0f between text columns on grounds %.0f and %.0f", boundary.x,
               left_ground, right_ground);
      g_array_append_val (split->added, boundary);
    }
}

/* Adds to @split a boundary between two columns of sideways text side by side that read the
 * same name (MIN_SAME_LETTERS letters or more) and have none between them, however thin the
 * strips beside it: a spine prints its author once, and a library shelves an author's books
 * together ("SERGI PÀMIES" on two thin white spines touching, llabres_two). */
static void
split_same_names (ColumnSplit *split)
{
  for (guint i = 0; i < split->columns->len; i++)
    for (guint j = i + 1; j < split->columns->len; j++)
      {
        const TextBox *left = &g_array_index (split->columns, TextBox, i);
        const TextBox *right = &g_array_index (split->columns, TextBox, j);
        Boundary boundary;

        if (left->n_letters < MIN_SAME_LETTERS || right->n_letters != left->n_letters ||
            right->letters != left->letters || right->left < left->right ||
            !boundary_between_columns (split, left, right, 0, MIN_SPINE_PIXELS, &boundary))
          continue;
        g_debug ("boundary at %.0f between two columns reading the same name", boundary.x);
        g_array_append_val (split->added, boundary);
      }
}

/* Adds to @boundaries (those across @band, found from its edges) the ones between columns of
 * sideways text that stand on two books (split_text_grounds, split_same_names); @strength and
 * @angle as find_boundaries filled them, @median the row's median spine width. */
static void
split_text_columns (const Work   *work,
                    Band          band,
                    const double *strength,
                    const double *angle,
                    double        median,
                    GArray       *boundaries)
{
  g_autoptr (GArray) columns = band_text_columns (work, band, MIN_GROUND_CHARACTERS);
  g_autoptr (GArray) added = g_array_new (FALSE, FALSE, sizeof (Boundary));
  ColumnSplit split = { work, band, strength, angle, median, boundaries, columns, added };

  split_text_grounds (&split);
  split_same_names (&split);
  g_array_append_vals (boundaries, added->data, added->len);
  g_array_sort (boundaries, compare_boundary_x);
}

/* The boundaries across @band, the picture's sides first and last; @strength and @angle
 * (work->width each) are filled with each column's strongest boundary line. */
static GArray *
find_boundaries (const Work *work,
                 Band        band,
                 double     *strength,
                 double     *angle)
{
  g_autoptr (GArray) peaks = NULL;
  g_autoptr (GArray) candidates = g_array_new (FALSE, FALSE, sizeof (int));
  GArray *boundaries = g_array_new (FALSE, FALSE, sizeof (Boundary));
  Boundary left = { 0, 0 }, right = { work->width - 1, 0 };

  project_boundaries (work, band, strength, angle);
  /* An edge within a minimum spine of a stronger one is a peak too when it is as strong as
   * a boundary between text needs and the profile dips between them (see is_own_peak). */
  peaks = find_peaks (strength, work->width, min_spine_width (work),
                      work->text != NULL ? MIN_TEXT_GAP_SHARE : MIN_BOUNDARY_SHARE,
                      work->text != NULL ? MIN_TEXT_BOUNDARY_SHARE : G_MAXDOUBLE);
  for (guint i = 0; i < peaks->len; i++)
    {
      int x = g_array_index (peaks, int, i);
      gboolean along_text = cuts_text (work, band, x, angle[x], strength[x]);

      g_debug ("boundary at %d: %.2f at %.1f°%s", x, strength[x], angle[x],
               along_text ? ", along text" : "");
      if (!along_text)
        g_array_append_val (candidates, x);
    }

  /* The picture's sides close the first and the last strip. */
  g_array_append_val (boundaries, left);
  for (guint i = 0; i < candidates->len; i++)
    {
      int x = g_array_index (candidates, int, i);
      int before = i > 0 ? g_array_index (candidates, int, i - 1) : 0;
      int after = i + 1 < candidates->len ? g_array_index (candidates, int, i + 1) : work->width;
      int spacing = min_spine_width (work);
      Boundary boundary = { x, angle[x], FALSE };

      /* Not the highest within a minimum spine, ties going to the left as in is_own_peak
       * (a barcode's bars are many equal edges). */
      for (int j = MAX (0, x - spacing); j <= MIN (work->width - 1, x + spacing); j++)
        boundary.beside_stronger |= strength[j] > strength[x] ||
                                    (strength[j] == strength[x] && j < x);
      /* A weaker edge, or one beside a stronger edge (a thin spine's other side, or a line of
       * its own inside a spine), splits only two columns of text, one on each side of it. */
      if ((strength[x] < MIN_TEXT_BOUNDARY_SHARE || boundary.beside_stronger) &&
          !(has_text_between (work, band, before, x) && has_text_between (work, band, x, after)))
        continue;
      g_array_append_val (boundaries, boundary);
    }
  g_array_append_val (boundaries, right);
  split_text_gaps (work, band, strength, angle, boundaries);
  return boundaries;
}

/* ---- strips ------------------------------------------------------------------------------- */

typedef struct
{
  int    left, top, right, bottom; /* bounding box in the working copy, [left, right) */
  double width;                    /* across the strip, at its middle */
  double angle;
} Strip;

static double
content_share (const Work *work,
               int         left,
               int         top,
               int         right,
               int         bottom)
{
  gsize edges = 0, area = 0;

  for (int y = MAX (top, 1); y < MIN (bottom, work->height - 1); y++)
    for (int x = MAX (left, 1); x < MIN (right, work->width - 1); x++)
      {
        gsize at = (gsize) y * work->width + x;

        edges += ABS (work->dx[at]) > EDGE_STEP || ABS (work->dy[at]) > EDGE_STEP;
        area++;
      }
  return area > 0 ? (double) edges / area : 0;
}

static Strip
strip_between (const Work     *work,
               Band            band,
               const Boundary *left,
               const Boundary *right)
{
  double half = (band.bottom - band.top) / 2.0;
  double left_slope = tan (left->angle * G_PI / 180.0);
  double right_slope = tan (right->angle * G_PI / 180.0);
  double left_x = MIN (left->x - half * left_slope, left->x + half * left_slope);
  double right_x = MAX (right->x - half * right_slope, right->x + half * right_slope);
  Strip strip;

  strip.left = CLAMP ((int) floor (left_x), 0, work->width);
  strip.right = CLAMP ((int) ceil (right_x) + 1, strip.left, work->width);
  strip.top = band.top;
  strip.bottom = band.bottom;
  strip.angle = (left->angle + right->angle) / 2.0;
  strip.width = (right->x - left->x) * cos (strip.angle * G_PI / 180.0);
  return strip;
}

/* The inner part of @strip, between its two boundary lines, for measuring what it holds. */
static double
strip_content_share (const Work  *work,
                     const Strip *strip)
{
  int middle = (strip->left + strip->right) / 2;
  int half = MAX (1, (int) (strip->width / 2) - EDGE_ROWS);

  return content_share (work, middle - half, strip->top, middle + half, strip->bottom);
}

/* The largest share of @strip's width, along a line through row @y at its middle tilted up to
 * MAX_STACK_TILT_DEGREES, where the brightness steps the same way by more than EDGE_STEP. A
 * book's edge crosses the whole strip; a line of text, with gaps between its letters and
 * words, crosses half of it at most. */
static double
row_boundary_share (const Work  *work,
                    const Strip *strip,
                    int          y)
{
  double centre = (strip->left + strip->right) / 2.0;
  double best = 0;

  if (y <= 0 || y >= work->height - 1)
    return 0;
  for (double degrees = -MAX_STACK_TILT_DEGREES; degrees <= MAX_STACK_TILT_DEGREES + 1e-9;
       degrees += STACK_TILT_STEP_DEGREES)
    {
      double slope = tan (degrees * G_PI / 180.0);
      int positive = 0, negative = 0;

      for (int x = strip->left + 1; x < strip->right - 1; x++)
        {
          int row = y + (int) lround ((x - centre) * slope);
          int step;

          if (row <= 0 || row >= work->height - 1)
            continue;
          step = work->dy[(gsize) row * work->width + x];
          positive += step > EDGE_STEP;
          negative += step < -EDGE_STEP;
        }
      best = MAX (best, (double) MAX (positive, negative) /
                          MAX (1, strip->right - strip->left - 2));
    }
  return best;
}

/* Books lying flat: horizontal boundaries across the strip, each the full strip wide. Appends
 * the books to @strips top to bottom and returns TRUE. Otherwise returns FALSE, with @strip
 * shrunk to the one book it holds when the space above or below it is empty. */
static gboolean
split_stack (const Work *work,
             Strip      *strip,
             GArray     *strips)
{
  int left = strip->left + 1, right = strip->right - 1;
  int height = strip->bottom - strip->top;
  g_autofree double *strength = g_new0 (double, height);
  g_autoptr (GArray) peaks = NULL;
  g_autoptr (GArray) books = g_array_new (FALSE, FALSE, sizeof (Strip));
  int min_width = min_spine_width (work);
  int previous;

  if (right - left < min_width)
    return FALSE;
  for (int i = 0; i < height; i++)
    strength[i] = row_boundary_share (work, strip, strip->top + i);
  peaks = find_peaks (strength, height, (min_width * 2) / 3, MIN_STACK_EDGE_SHARE, G_MAXDOUBLE);

  previous = strip->top;
  for (guint i = 0; i <= peaks->len; i++)
    {
      int next = i < peaks->len ? strip->top + g_array_index (peaks, int, i) : strip->bottom;
      Strip book = { strip->left, previous, strip->right, next, next - previous, 90.0 };

      /* The rows of the edges themselves are not what the piece holds. */
      if (next - previous >= min_width &&
          content_share (work, left, previous + EDGE_ROWS, right, next - EDGE_ROWS)
            >= MIN_CONTENT_SHARE)
        g_array_append_val (books, book);
      previous = next;
    }

  /* One flat book is a standing one seen from the front: a cover, not a stack. */
  if (books->len == 1)
    {
      strip->top = g_array_index (books, Strip, 0).top;
      strip->bottom = g_array_index (books, Strip, 0).bottom;
    }
  if (books->len < 2)
    return FALSE;
  g_array_append_vals (strips, books->data, books->len);
  return TRUE;
}

static void
add_region (GArray          *regions,
            const Strip     *strip,
            BiOcrRegionKind  kind,
            double           scale_x,
            double           scale_y)
{
  BiOcrRegion region = { 0 };
  int right = (int) ceil (strip->right * scale_x);
  int bottom = (int) ceil (strip->bottom * scale_y);

  region.x = (int) (strip->left * scale_x);
  region.y = (int) (strip->top * scale_y);
  region.width = right - region.x;
  region.height = bottom - region.y;
  region.angle = strip->angle;
  region.kind = kind;
  g_array_append_val (regions, region);
}

/* The share of the rows of @strip where column @x, tilted as the strip, crosses an edge,
 * averaged over a few columns so that one column between two letters does not count. */
static double
column_content (const Work  *work,
                const Strip *strip,
                int          x)
{
  double slope = tan (strip->angle * G_PI / 180.0);
  double middle = (strip->top + strip->bottom) / 2.0;
  gsize edges = 0, area = 0;

  for (int y = MAX (strip->top, 1); y < MIN (strip->bottom, work->height - 1); y++)
    {
      int column = x + (int) lround ((y - middle) * slope);

      for (int c = column - 1; c <= column + 2; c++)
        {
          gsize at = (gsize) y * work->width + c;

          if (c <= 0 || c >= work->width - 1)
            continue;
          edges += ABS (work->dx[at]) > EDGE_STEP || ABS (work->dy[at]) > EDGE_STEP;
          area++;
        }
    }
  return area > 0 ? (double) edges / area : 0;
}

static double
median_spine_width (GArray *pieces)
{
  g_autofree double *widths = g_new (double, MAX (1, pieces->len));
  int n = 0;

  for (guint i = 0; i < pieces->len; i++)
    {
      const Strip *strip = &g_array_index (pieces, Strip, i);

      if (strip->width < WIDE_STRIP_RATIO * (strip->bottom - strip->top))
        widths[n++] = strip->width;
    }
  /* Too few spines to tell what a row's spines are like. */
  return n >= MIN_SPINES_FOR_SHELF ? quantile (widths, n, 0.5) : 0;
}

/* One band's strips being added: its edges (strength and angle per column), the width of its
 * typical spine (0 when unknown) and where the strips go. */
typedef struct
{
  const Work   *work;
  Band          band;
  const double *strength;
  const double *angle;
  double        median;
  GArray       *strips;
  guint        *n_standing;
} RowStrips;

static void add_strip (const RowStrips *row,
                       const Boundary  *left,
                       const Boundary  *right);

/* Splits a strip wider than MAX_SPINE_WIDTHS spines at its runs of empty columns, each at
 * least a spine wide (the empty shelf beside the last books of a row, or beside a stack),
 * adding the pieces without the runs. Returns FALSE when it finds none. */
static gboolean
split_empty_shelf (const RowStrips *row,
                   const Boundary  *left,
                   const Boundary  *right,
                   const Strip     *strip)
{
  const Work *work = row->work;
  double median = row->median;
  int from = (int) ceil (left->x), to = (int) floor (right->x);
  int run_start = -1;
  Boundary piece_left = *left;
  gboolean split = FALSE;

  for (int x = from; x <= to; x++)
    {
      gboolean empty = x < to && column_content (work, strip, x) < EMPTY_COLUMN_SHARE;

      if (empty && run_start < 0)
        run_start = x;
      else if (!empty && run_start >= 0)
        {
          if (x - run_start >= median)
            {
              Boundary start = { run_start, strip->angle }, end = { x, strip->angle };

              g_debug ("empty shelf [%d–%d] in strip [%.0f–%.0f]", run_start, x, left->x,
                       right->x);
              if (start.x > piece_left.x)
                add_strip (row, &piece_left, &start);
              piece_left = end;
              split = TRUE;
            }
          run_start = -1;
        }
    }
  if (split && right->x > piece_left.x)
    add_strip (row, &piece_left, right);
  return split;
}

/* Splits a strip wider than MAX_SPINE_WIDTHS spines at its strongest edge that runs through
 * no text and leaves a good part of a spine each side: two or three spines of one brightness
 * whose boundaries were too weak for find_boundaries. Returns FALSE when there is none, and
 * always without the photo's text: then the strongest edge inside a wide spine is the side of
 * its own title. */
static gboolean
split_at_spacing (const RowStrips *row,
                  const Boundary  *left,
                  const Boundary  *right)
{
  const Work *work = row->work;
  Band band = row->band;
  const double *strength = row->strength;
  const double *angle = row->angle;
  double median = row->median;
  int best = -1;
  Boundary middle;

  if (work->text == NULL)
    return FALSE;
  for (int x = (int) ceil (left->x + MIN_PIECE_WIDTHS * median);
       x <= (int) floor (right->x - MIN_PIECE_WIDTHS * median); x++)
    {
      double threshold;

      /* Only an edge that could win is worth the scans of the text below. */
      if (strength[x] < MIN (MIN_TEXT_GAP_SHARE, MIN_SPACING_SHARE) ||
          (best >= 0 && strength[x] <= strength[best]))
        continue;
      /* As in find_boundaries, a column of text each side lets a weaker edge split. */
      threshold = has_text_between (work, band, left->x, x) &&
                      has_text_between (work, band, x, right->x)
                    ? MIN_TEXT_GAP_SHARE
                    : MIN_SPACING_SHARE;
      if (strength[x] >= threshold && !cuts_text (work, band, x, angle[x], strength[x]))
        best = x;
    }
  if (best < 0)
    return FALSE;
  g_debug ("boundary at %d (%.2f) splits a strip %.0f wide, median spine %.0f", best,
           strength[best], right->x - left->x, median);
  middle = (Boundary) { best, angle[best] };
  add_strip (row, left, &middle);
  add_strip (row, &middle, right);
  return TRUE;
}

/* Adds the strip between @left and @right, if it holds something: a standing spine, the books
 * of a stack, a cover, or the pieces of a strip too wide for the row's spines (@median: the
 * row's median spine width, 0 when unknown). */
static void
add_strip (const RowStrips *row,
           const Boundary  *left,
           const Boundary  *right)
{
  const Work *work = row->work;
  double median = row->median;
  Strip strip = strip_between (work, row->band, left, right);
  gboolean too_wide;
  double content;

  /* Measured as the peaks are: a strip between two peaks a minimum spine apart is kept; a
   * thinner one beside a side found between two names holds one of them. */
  if (right->x - left->x < (left->between_names || right->between_names ? MIN_SPINE_PIXELS
                                                                        : min_spine_width (work)))
    return;
  content = strip_content_share (work, &strip);
  g_debug ("strip [%d–%d]×[%d–%d] width %.0f angle %.1f content %.3f", strip.left, strip.right,
           strip.top, strip.bottom, strip.width, strip.angle, content);
  if (content < MIN_CONTENT_SHARE)
    return;
  too_wide = median > 0 && strip.width > MAX_SPINE_WIDTHS * median;
  if (too_wide && split_empty_shelf (row, left, right, &strip))
    return;
  if (strip.width >= WIDE_STRIP_RATIO * (strip.bottom - strip.top))
    {
      Strip stack = strip;

      /* A stack's layers cross the books, not the empty columns at its sides. */
      while (median > 0 && stack.right - stack.left > min_spine_width (work) &&
             column_content (work, &stack, stack.left + 1) < EMPTY_COLUMN_SHARE)
        stack.left++;
      while (median > 0 && stack.right - stack.left > min_spine_width (work) &&
             column_content (work, &stack, stack.right - 2) < EMPTY_COLUMN_SHARE)
        stack.right--;
      if (split_stack (work, &stack, row->strips))
        return;
      /* Three spines of one brightness make a strip as wide as a stack. */
      if (too_wide && split_at_spacing (row, left, right))
        return;
      /* One book lying flat, or a cover: split_stack shrank it to that book. */
      strip.top = stack.top;
      strip.bottom = stack.bottom;
    }
  else if (too_wide && split_at_spacing (row, left, right))
    return;
  else
    (*row->n_standing)++;
  g_array_append_val (row->strips, strip);
}

/* The strips of one band, left to right (a stack's books top to bottom). */
static void
find_strips (const Work *work,
             Band        band,
             gboolean    by_spacing,
             GArray     *strips,
             guint      *n_standing)
{
  g_autofree double *strength = g_new0 (double, work->width);
  g_autofree double *angle = g_new0 (double, work->width);
  g_autoptr (GArray) boundaries = find_boundaries (work, band, strength, angle);
  g_autoptr (GArray) pieces = g_array_new (FALSE, FALSE, sizeof (Strip));
  double median = 0;
  RowStrips row;

  /* The row's spines as the edges found them, for the width of its typical spine. */
  for (guint i = 0, next = 1; by_spacing && next < boundaries->len; i = next++)
    {
      Strip strip;

      /* Without the boundaries beside a stronger one: they split spines thinner than the
       * row's others, and the row's typical spine is measured as before them. */
      while (next + 1 < boundaries->len &&
             g_array_index (boundaries, Boundary, next).beside_stronger)
        next++;
      strip = strip_between (work, band, &g_array_index (boundaries, Boundary, i),
                             &g_array_index (boundaries, Boundary, next));
      if (g_array_index (boundaries, Boundary, next).x - g_array_index (boundaries, Boundary, i).x
          >= min_spine_width (work) &&
          strip_content_share (work, &strip) >= MIN_CONTENT_SHARE)
        g_array_append_val (pieces, strip);
    }
  if (by_spacing)
    median = median_spine_width (pieces);
  /* Only on a shelf's row, where the typical spine is known: a cover's text is printed on its
   * picture, whose greys say nothing of books. */
  if (median > 0)
    split_text_columns (work, band, strength, angle, median, boundaries);
  /* Not at the picture's sides, where a sliver is the part of a book that the photo shows. */
  for (guint i = 2; median > 0 && i + 2 < boundaries->len; i++)
    {
      const Boundary *before = &g_array_index (boundaries, Boundary, i - 1);
      const Boundary *at = &g_array_index (boundaries, Boundary, i);
      const Boundary *after = &g_array_index (boundaries, Boundary, i + 1);

      if (at->x - before->x < MAX_SLIVER_WIDTHS * median &&
          after->x - at->x < MAX_SLIVER_WIDTHS * median &&
          after->x - before->x <= MAX_JOINED_WIDTHS * median &&
          !(has_text_between (work, band, before->x, at->x) &&
            has_text_between (work, band, at->x, after->x)))
        {
          g_debug ("strips [%.0f–%.0f] and [%.0f–%.0f] are one spine", before->x, at->x, at->x,
                   after->x);
          g_array_remove_index (boundaries, i);
        }
    }
  row = (RowStrips) { work, band, strength, angle, median, strips, n_standing };
  for (guint i = 0; i + 1 < boundaries->len; i++)
    add_strip (&row, &g_array_index (boundaries, Boundary, i),
               &g_array_index (boundaries, Boundary, i + 1));
}

/* Characters of sideways and of upright text whose middle lies in the working copy's box. */
static void
count_text (const Work *work,
            double      left,
            double      top,
            double      right,
            double      bottom,
            guint      *sideways,
            guint      *upright)
{
  *sideways = *upright = 0;
  for (guint i = 0; work->text != NULL && i < work->text->len; i++)
    {
      const TextBox *text = &g_array_index (work->text, TextBox, i);
      double centre_x = (text->left + text->right) / 2, centre_y = (text->top + text->bottom) / 2;

      if (centre_x < left || centre_x >= right || centre_y < top || centre_y >= bottom)
        continue;
      if (text->sideways)
        *sideways += text->characters;
      else
        *upright += text->characters;
    }
}

GArray *
bi_spine_detector_find (PIX             *grey,
                        const GPtrArray *lines)
{
  g_auto (Work) work = { 0 };
  g_autoptr (GArray) rows = NULL;
  g_autoptr (GArray) strips = g_array_new (FALSE, FALSE, sizeof (Strip));
  GArray *regions = g_array_new (FALSE, TRUE, sizeof (BiOcrRegion));
  guint n_standing = 0;
  guint sideways = 0, upright = 0;
  double scale_x, scale_y;
  Band whole;

  g_return_val_if_fail (grey != NULL && pixGetDepth (grey) == 8, regions);

  if (!work_init (&work, grey) || work.width < 3 * MIN_SPINE_PIXELS ||
      work.height < 3 * MIN_SPINE_PIXELS)
    return regions;
  scale_x = (double) pixGetWidth (grey) / work.width;
  scale_y = (double) pixGetHeight (grey) / work.height;
  if (lines != NULL)
    work_add_text (&work, lines, scale_x, scale_y);
  count_text (&work, 0, 0, work.width, work.height, &sideways, &upright);

  rows = find_rows (&work);
  for (guint i = 0; i < rows->len; i++)
    find_strips (&work, g_array_index (rows, Band, i), TRUE, strips, &n_standing);

  /* Mostly sideways text is spines: one or two books filling the picture are wide strips,
   * but a cover's text runs across it. */
  if (n_standing >= MIN_SPINES_FOR_SHELF || (sideways > upright && strips->len > 0))
    {
      for (guint i = 0; i < strips->len; i++)
        add_region (regions, &g_array_index (strips, Strip, i), BI_OCR_REGION_SPINE,
                    scale_x, scale_y);
      return regions;
    }

  /* Not a shelf: covers side by side fill the picture's height, whatever rows their lines of
   * text made. Each wide strip with something on it is a cover. */
  g_array_set_size (strips, 0);
  n_standing = 0;
  whole = (Band) { 0, work.height };
  find_strips (&work, whole, FALSE, strips, &n_standing);
  for (guint i = 0; i < strips->len; i++)
    {
      const Strip *strip = &g_array_index (strips, Strip, i);
      guint strip_sideways = 0, strip_upright = 0;

      count_text (&work, strip->left, strip->top, strip->right, strip->bottom,
                  &strip_sideways, &strip_upright);
      /* A strip whose text runs along it is a spine however wide: covers need upright text. */
      if (strip->angle == 90.0 || strip_sideways > strip_upright)
        add_region (regions, strip, BI_OCR_REGION_SPINE, scale_x, scale_y);
      else if (strip->width >= WIDE_STRIP_RATIO * (strip->bottom - strip->top))
        add_region (regions, strip, BI_OCR_REGION_COVER, scale_x, scale_y);
    }
  return regions;
}
