/* test-spine-detector.c — the spine detector finds the books drawn on generated shelves
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <math.h>

#include "bi-image-loader.h"
#include "bi-spine-detector.h"
#include "bi-test-images.h"

#define PHOTO_WIDTH   1200
#define PHOTO_HEIGHT  900
#define BOARD_HEIGHT  30

/* A found region overlaps its drawn book at least this much (intersection over union), for
 * at least this share of the books. */
#define MIN_IOU        0.7
#define MIN_FOUND      0.9

static const guint32 backgrounds[] = { 0xf2ead8, 0x1f3a5f, 0xe8c872, 0x7a1f2b, 0x2e6b3a,
                                       0xd0d0d0, 0x402060, 0xc86432 };

static const char *titles[] = { "THE HOBBIT", "DUNE", "EMMA", "ULYSSES", "MIDDLEMARCH",
                                "WALDEN", "BELOVED", "REBECCA" };

/* A spine of book @i: light text on dark covers and dark text on light ones, both ways. */
static BiTestSpine
spine_for (guint i)
{
  guint32 background = backgrounds[i % G_N_ELEMENTS (backgrounds)];
  guint brightness = ((background >> 16) & 0xff) + ((background >> 8) & 0xff) + (background & 0xff);

  return (BiTestSpine) { titles[i % G_N_ELEMENTS (titles)], NULL, background,
                         brightness > 3 * 128 ? 0x202020 : 0xf5f0e1, i % 2 ? 90 : 270 };
}

/* @n standing books side by side on the board whose top is at @board_top, all leaning @tilt
 * like books that have fallen against each other. Returns @n. */
static guint
place_row (BiTestBook *books,
           guint       first,
           guint       n,
           int         board_top,
           double      tilt)
{
  double radians = tilt * G_PI / 180.0;
  /* Where the long axis of the next book meets the board. */
  double axis_x = 40 + 330 * sin (fabs (radians)) + 60;

  for (guint i = 0; i < n; i++)
    {
      BiTestBook *book = &books[first + i];
      double height;

      book->spine = spine_for (first + i);
      book->across = 48 + 37 * ((first + i) % 3);
      book->along = 330 - 25 * ((first + i) % 3);
      book->tilt = tilt;
      height = book->across * sin (fabs (radians)) + book->along * cos (radians);
      book->centre_y = board_top - height / 2;
      /* Up the axis, a book leaning left (positive tilt) moves left. */
      book->centre_x = axis_x - (board_top - book->centre_y) * tan (radians);
      if (i + 1 < n)
        axis_x += (book->across + 48 + 37 * ((first + i + 1) % 3)) / (2 * cos (radians)) + 3;
    }
  return n;
}

/* @n upright books standing on the board whose top is at @board_top, from @left, @across[i]
 * wide and @gap apart, coloured as spine_for (@first + i) says. Returns the right side of the
 * last one. */
static double
place_upright (BiTestBook   *books,
               guint         first,
               guint         n,
               const double *across,
               int           board_top,
               double        left,
               double        gap)
{
  for (guint i = 0; i < n; i++)
    {
      BiTestBook *book = &books[first + i];

      book->spine = spine_for (first + i);
      book->across = across[i];
      book->along = 330 - 25 * ((first + i) % 3);
      book->tilt = 0;
      book->centre_x = left + across[i] / 2;
      book->centre_y = board_top - book->along / 2;
      left += across[i] + gap;
    }
  return left - gap;
}

static double
intersection_over_union (int ax, int ay, int aw, int ah,
                         int bx, int by, int bw, int bh)
{
  double overlap_w = MAX (0, MIN (ax + aw, bx + bw) - MAX (ax, bx));
  double overlap_h = MAX (0, MIN (ay + ah, by + bh) - MAX (ay, by));
  double overlap = overlap_w * overlap_h;

  return overlap / ((double) aw * ah + (double) bw * bh - overlap);
}

/* The regions found on @pix once it has gone through the loader, as in production, with
 * @lines (nullable) as the text read from it. */
static GArray *
detect_with_lines (PIX             *pix,
                   const GPtrArray *lines)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GBytes) png = bi_test_image_encode (pix, "png", &error);
  g_autoptr (BiLoadedImage) image = NULL;
  GArray *regions;

  g_assert_no_error (error);
  image = bi_image_loader_load (png, 0, &error);
  g_assert_no_error (error);
  regions = bi_spine_detector_find (image->grey, lines);
  for (guint i = 0; i < regions->len; i++)
    {
      const BiOcrRegion *region = &g_array_index (regions, BiOcrRegion, i);

      g_test_message ("region %u: [%d,%d %d×%d] %.1f° %s", i, region->x, region->y,
                      region->width, region->height, region->angle,
                      region->kind == BI_OCR_REGION_COVER ? "cover" : "spine");
    }
  return regions;
}

/* The region overlapping @book most, and by how much. */
static double
best_overlap (const BiTestBook   *book,
              GArray             *regions,
              const BiOcrRegion **match)
{
  int x, y, width, height;
  double best = 0;

  *match = NULL;
  bi_test_image_book_bounds (book, &x, &y, &width, &height);
  for (guint j = 0; j < regions->len; j++)
    {
      const BiOcrRegion *region = &g_array_index (regions, BiOcrRegion, j);
      double iou = intersection_over_union (x, y, width, height, region->x, region->y,
                                            region->width, region->height);

      if (iou > best)
        {
          best = iou;
          *match = region;
        }
    }
  return best;
}

static GArray *
detect (PIX *pix)
{
  return detect_with_lines (pix, NULL);
}

/* A confident line of sideways text for each of @books' titles, where it is drawn: along the
 * middle of the spine, over most of its length. */
static GPtrArray *
read_titles (const BiTestBook *books,
             guint             n_books)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func ((GDestroyNotify) bi_ocr_line_free);

  for (guint i = 0; i < n_books; i++)
    {
      const BiTestBook *book = &books[i];

      g_ptr_array_add (lines, bi_ocr_line_new (book->spine.title, 0.95,
                                               (int) (book->centre_x - 0.25 * book->across),
                                               (int) (book->centre_y - 0.35 * book->along),
                                               (int) (0.5 * book->across),
                                               (int) (0.7 * book->along),
                                               book->spine.rotation));
    }
  return lines;
}

/* Books @first to @last of @books each have a region of their own among @regions (overlapping
 * them by MIN_IOU); @what says which books they are in the test's log. */
static void
assert_own_regions (const BiTestBook *books,
                    guint             first,
                    guint             last,
                    GArray           *regions,
                    const char       *what)
{
  for (guint i = first; i <= last; i++)
    {
      const BiOcrRegion *match = NULL;
      double overlap = best_overlap (&books[i], regions, &match);

      g_test_message ("book %u %s: best IoU %.2f", i, what, overlap);
      g_assert_cmpfloat (overlap, >=, MIN_IOU);
    }
}

/* Draws @books (a row on the board whose top is @board, in a picture the size of the detector's
 * working copy), reads their titles, finds the regions, and checks that books @first to
 * @last each have one of their own (assert_own_regions). */
static void
assert_row_splits (const BiTestBook *books,
                   guint             n,
                   int               board,
                   guint             first,
                   guint             last,
                   const char       *what)
{
  g_autoptr (PIX) pix = bi_test_image_draw_books (books, n, &board, 1, BOARD_HEIGHT, 1024, 768);
  g_autoptr (GPtrArray) lines = read_titles (books, n);
  g_autoptr (GArray) regions = detect_with_lines (pix, lines);

  assert_own_regions (books, first, last, regions, what);
}

/* At least MIN_FOUND of @books have a region of @kind overlapping them by MIN_IOU, at about
 * their tilt; regions come in shelf order. */
static void
assert_books_found (const BiTestBook *books,
                    guint             n_books,
                    GArray           *regions,
                    BiOcrRegionKind   kind)
{
  guint found = 0;

  for (guint i = 0; i < n_books; i++)
    {
      int x, y, width, height;
      const BiOcrRegion *match = NULL;
      double best = best_overlap (&books[i], regions, &match);

      bi_test_image_book_bounds (&books[i], &x, &y, &width, &height);
      g_test_message ("book %u [%d,%d %d×%d] %.1f°: best IoU %.2f", i, x, y, width, height,
                      books[i].tilt, best);
      if (best >= MIN_IOU && match->kind == kind && fabs (match->angle - books[i].tilt) <= 3.0)
        found++;
    }
  g_test_message ("%u of %u books found", found, n_books);
  g_assert_cmpuint (found, >=, (guint) ceil (MIN_FOUND * n_books));
}

static void
assert_shelf_order (GArray *regions)
{
  for (guint i = 1; i < regions->len; i++)
    {
      const BiOcrRegion *previous = &g_array_index (regions, BiOcrRegion, i - 1);
      const BiOcrRegion *region = &g_array_index (regions, BiOcrRegion, i);

      /* Left to right within a row (or down a stack); a new row starts lower. */
      g_assert_true (region->x >= previous->x || region->y > previous->y + previous->height / 2 ||
                     region->y >= previous->y + previous->height - 2);
    }
}

static void
test_standing (void)
{
  BiTestBook books[24];
  int boards[] = { 420, 840 };
  guint n = 0;
  g_autoptr (PIX) pix = NULL;
  g_autoptr (GArray) regions = NULL;

  n += place_row (books, n, 12, boards[0], 0);
  n += place_row (books, n, 12, boards[1], 0);
  pix = bi_test_image_draw_books (books, n, boards, 2, BOARD_HEIGHT, PHOTO_WIDTH, PHOTO_HEIGHT);
  regions = detect (pix);
  assert_books_found (books, n, regions, BI_OCR_REGION_SPINE);
  assert_shelf_order (regions);
}

static void
test_tilted (void)
{
  BiTestBook books[20];
  int boards[] = { 420, 840 };
  guint n = 0;
  g_autoptr (PIX) pix = NULL;
  g_autoptr (GArray) regions = NULL;

  n += place_row (books, n, 10, boards[0], 10);
  n += place_row (books, n, 10, boards[1], -12.5);
  pix = bi_test_image_draw_books (books, n, boards, 2, BOARD_HEIGHT, PHOTO_WIDTH, PHOTO_HEIGHT);
  regions = detect (pix);
  assert_books_found (books, n, regions, BI_OCR_REGION_SPINE);
}

/* Four books lying flat beside eight standing ones. */
static void
test_stacked (void)
{
  BiTestBook books[12];
  int boards[] = { 840 };
  guint n = place_row (books, 0, 8, boards[0], 0);
  g_autoptr (PIX) pix = NULL;
  g_autoptr (GArray) regions = NULL;

  for (guint i = 0; i < 4; i++)
    {
      BiTestBook *book = &books[n + i];
      double thickness = 50 + 10 * (i % 2);

      book->spine = spine_for (i + 3);
      book->spine.rotation = 0;
      book->across = thickness;
      book->along = 300;
      book->tilt = 90;
      book->centre_x = 1000;
      book->centre_y = boards[0] - 20 - thickness / 2 - (i * 60);
    }
  /* Lying flat, the books' text runs across them, upright. */
  pix = bi_test_image_draw_books (books, n + 4, boards, 1, BOARD_HEIGHT, PHOTO_WIDTH, PHOTO_HEIGHT);
  regions = detect (pix);
  assert_books_found (books, n, regions, BI_OCR_REGION_SPINE);
  assert_books_found (books + n, 4, regions, BI_OCR_REGION_SPINE);
}

/* A stack of three books, none quite level, at the far end of a row, with empty shelf between
 * it and the standing books: its sides are too short to be boundaries across the row, so the
 * strip they leave holds the stack and the empty shelf, whose layers cross only part of it. */
static void
test_stack_beside_empty_shelf (void)
{
  static const double across[] = { 48, 85, 122, 48, 85, 60 };
  BiTestBook books[G_N_ELEMENTS (across) + 3];
  int boards[] = { 840 };
  guint n = G_N_ELEMENTS (across);
  g_autoptr (PIX) pix = NULL;
  g_autoptr (GArray) regions = NULL;

  place_upright (books, 0, n, across, boards[0], 60, 3);
  for (guint i = 0; i < 3; i++)
    {
      BiTestBook *book = &books[n + i];

      book->spine = spine_for (i + 4);
      book->spine.rotation = 0;
      book->across = 36;
      book->along = 260 - 10 * i;
      book->tilt = i == 1 ? 91.5 : 89;
      book->centre_x = 1010;
      book->centre_y = boards[0] - 20 - i * 38;
    }
  pix = bi_test_image_draw_books (books, n + 3, boards, 1, BOARD_HEIGHT, PHOTO_WIDTH, PHOTO_HEIGHT);
  regions = detect (pix);
  assert_books_found (books, n, regions, BI_OCR_REGION_SPINE);
  for (guint i = 0; i < 3; i++)
    {
      const BiOcrRegion *match = NULL;
      double overlap = best_overlap (&books[n + i], regions, &match);

      g_test_message ("flat book %u: best IoU %.2f", i, overlap);
      g_assert_cmpfloat (overlap, >=, MIN_IOU);
    }
}

/* Two spines of one colour side by side with only a short shadow between them, in a row of
 * others, and the title of one of them not read: the edge is too weak to split one column of
 * text from nothing, but a strip twice as wide as the row's spines is split at it. */
#define SHADOW_SHARE 0.42

static void
test_spines_of_one_colour (void)
{
  static const double across[] = { 85, 60, 85, 85, 60, 85, 60, 85 };
  BiTestBook books[G_N_ELEMENTS (across)];
  int boards[] = { 840 };
  guint n = G_N_ELEMENTS (across);
  guint pair = 2;
  double seam;
  g_autoptr (PIX) pix = NULL;
  g_autoptr (GArray) regions = NULL;
  g_autoptr (BOX) shadow = NULL;
  g_autoptr (GPtrArray) lines = NULL;

  place_upright (books, 0, n, across, boards[0], 60, 3);
  /* The two touch, of one colour, with a shadow down the top of the join. */
  books[pair + 1].spine = books[pair].spine;
  books[pair + 1].spine.title = "EMMA";
  books[pair + 1].along = books[pair].along;
  books[pair + 1].centre_y = books[pair].centre_y;
  books[pair + 1].centre_x = books[pair].centre_x + across[pair] / 2 + across[pair + 1] / 2;
  seam = books[pair].centre_x + across[pair] / 2;
  pix = bi_test_image_draw_books (books, n, boards, 1, BOARD_HEIGHT, PHOTO_WIDTH, PHOTO_HEIGHT);
  shadow = boxCreate ((int) seam - 1, (int) (boards[0] - books[pair].along), 3,
                      (int) (books[pair].along * SHADOW_SHARE));
  pixSetInRectArbitrary (pix, shadow, 0x20202000);
  /* Only with the text read is a weak edge taken for a boundary: without it, the strongest
   * edge inside a wide spine is its title's. */
  lines = read_titles (books, n);
  g_ptr_array_remove_index (lines, pair + 1);
  regions = detect_with_lines (pix, lines);
  assert_own_regions (books, pair, pair + 1, regions, "of one colour");
}

/* Two touching spines of different tones whose join fades from one to the other (no edge a
 * boundary could follow), each with its title read, the titles too close for two books by
 * their distance alone: the grounds the titles are printed on say they are two. */
static void
test_spines_on_two_grounds (void)
{
  static const double across[] = { 60, 85, 60, 85, 85, 60, 85, 60 };
  BiTestBook books[G_N_ELEMENTS (across)];
  int boards[] = { 840 };
  guint n = G_N_ELEMENTS (across);
  guint pair = 3;
  int seam, top;
  g_autoptr (PIX) pix = NULL;
  g_autoptr (GArray) regions = NULL;
  g_autoptr (GPtrArray) lines = NULL;

  place_upright (books, 0, n, across, boards[0], 60, 3);
  /* Dark green and navy (greys about 83 and 54), light titles, touching. */
  books[pair].spine.background = 0x2e6b3a;
  books[pair].spine.foreground = 0xf5f0e1;
  books[pair + 1].spine.background = 0x1f3a5f;
  books[pair + 1].spine.foreground = 0xf5f0e1;
  books[pair + 1].along = books[pair].along;
  books[pair + 1].centre_y = books[pair].centre_y;
  books[pair + 1].centre_x = books[pair].centre_x + across[pair] / 2 + across[pair + 1] / 2;
  pix = bi_test_image_draw_books (books, n, boards, 1, BOARD_HEIGHT, PHOTO_WIDTH, PHOTO_HEIGHT);
  /* The join fades over 16 pixels, a step of 2 levels at most between neighbours. */
  seam = (int) (books[pair].centre_x + across[pair] / 2);
  top = (int) (boards[0] - books[pair].along);
  for (int i = 0; i < 16; i++)
    {
      double share = (i + 0.5) / 16;
      guint32 colour = 0;
      g_autoptr (BOX) column = boxCreate (seam - 8 + i, top, 1, (int) books[pair].along);

      for (int shift = 0; shift <= 16; shift += 8)
        {
          double from = (books[pair].spine.background >> shift) & 0xff;
          double to = (books[pair + 1].spine.background >> shift) & 0xff;

          colour |= (guint32) lround (from + share * (to - from)) << (shift + 8);
        }
      pixSetInRectArbitrary (pix, column, colour);
    }
  lines = read_titles (books, n);
  regions = detect_with_lines (pix, lines);
  assert_own_regions (books, pair, pair + 1, regions, "on its own ground");
}

/* A spine just the narrowest spine wide (in the working copy, which this photo's size is),
 * dark between a light one and another dark one, each with its title read: the sides of the
 * thin spine are two boundaries a minimum spine apart, and the weaker used to be hidden by the
 * stronger one beside it. */
static void
test_thin_spine (void)
{
  static const double across[] = { 60, 48, 60, 12, 60, 48, 60, 48 };
  BiTestBook books[G_N_ELEMENTS (across)];
  int boards[] = { 700 };
  guint n = G_N_ELEMENTS (across);
  guint thin = 3;

  place_upright (books, 0, n, across, boards[0], 60, 3);
  /* Touching its neighbours: a dark spine, the thin darker one, a light one. */
  books[thin - 1].spine.background = 0x2e6b3a;
  books[thin - 1].spine.foreground = 0xf5f0e1;
  books[thin].spine.background = 0x1f1f1f;
  books[thin].spine.foreground = 0xf5f0e1;
  books[thin + 1].spine.background = 0xf2ead8;
  books[thin + 1].spine.foreground = 0x202020;
  books[thin].centre_x = books[thin - 1].centre_x + across[thin - 1] / 2 + across[thin] / 2;
  books[thin + 1].centre_x = books[thin].centre_x + across[thin] / 2 + across[thin + 1] / 2;
  assert_row_splits (books, n, boards[0], thin - 1, thin + 1, "beside the thin spine");
}

/* Two spines thinner than the narrowest spine, of one colour and touching with no edge between
 * them, each with its author's name read: one name read twice side by side is two books by
 * one author, shelved together as libraries do (llabres_two's "SERGI PÀMIES"). */
static void
test_same_name_twice (void)
{
  static const double across[] = { 60, 48, 60, 11, 11, 60, 48, 60 };
  BiTestBook books[G_N_ELEMENTS (across)];
  int boards[] = { 700 };
  guint n = G_N_ELEMENTS (across);
  guint pair = 3;

  place_upright (books, 0, n, across, boards[0], 60, 3);
  books[pair - 1].spine.background = 0x1f3a5f;
  books[pair - 1].spine.foreground = 0xf5f0e1;
  for (guint i = pair; i <= pair + 1; i++)
    books[i].spine = (BiTestSpine) { "SERGI PAMIES", NULL, 0xf2ead8, 0x202020, 90 };
  books[pair + 2].spine.background = 0x7a1f2b;
  books[pair + 2].spine.foreground = 0xf5f0e1;
  books[pair + 1].centre_x = books[pair].centre_x + across[pair];
  assert_row_splits (books, n, boards[0], pair, pair + 1, "of the pair");
}

/* A spine with a band of another colour down one side, narrower than the row's other spines:
 * the band's edge is a boundary, but the two slivers are one spine. */
static void
test_banded_spine (void)
{
  static const double across[] = { 64, 56, 64, 60, 64, 56, 64, 56, 64 };
  BiTestBook books[G_N_ELEMENTS (across)];
  int boards[] = { 840 };
  guint n = G_N_ELEMENTS (across);
  guint banded = 3;
  const BiOcrRegion *match = NULL;
  double overlap;
  g_autoptr (PIX) pix = NULL;
  g_autoptr (GArray) regions = NULL;
  g_autoptr (BOX) band = NULL;

  place_upright (books, 0, n, across, boards[0], 60, 3);
  pix = bi_test_image_draw_books (books, n, boards, 1, BOARD_HEIGHT, PHOTO_WIDTH, PHOTO_HEIGHT);
  band = boxCreate ((int) (books[banded].centre_x + across[banded] * 0.1),
                    (int) (boards[0] - books[banded].along),
                    (int) (across[banded] * 0.4), (int) books[banded].along);
  pixSetInRectArbitrary (pix, band, 0xc8643200);
  regions = detect (pix);
  overlap = best_overlap (&books[banded], regions, &match);
  g_test_message ("banded book: best IoU %.2f", overlap);
  g_assert_cmpfloat (overlap, >=, MIN_IOU);
  assert_books_found (books, n, regions, BI_OCR_REGION_SPINE);
}

/* A cover on a dark table: one region, of kind cover, around it. */
static void
test_cover (void)
{
  BiTestBook cover = { { "Pride and Prejudice", "Jane Austen", 0xf2ead8, 0x1a1a40, 0 },
                       400, 450, 480, 640, 0 };
  g_autoptr (PIX) pix = bi_test_image_draw_books (&cover, 1, NULL, 0, 0, 800, 900);
  g_autoptr (GArray) regions = detect (pix);

  g_assert_cmpuint (regions->len, ==, 1);
  assert_books_found (&cover, 1, regions, BI_OCR_REGION_COVER);
}

/* The real one-shelf photo: a floor under what the detector finds today (see docs/ocr.md). */
#define REAL_PHOTO_MIN_REGIONS 15

static void
test_real_photo (void)
{
  const char *shared = g_getenv ("BOOKIMG_SHARED_DATA");
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr (GBytes) data = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (BiLoadedImage) image = NULL;
  g_autoptr (GArray) regions = NULL;
  gsize length = 0;

  g_assert_nonnull (shared);
  path = g_build_filename (shared, "photos", "llabres_one_shelf_example.jpg", NULL);
  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);
  data = g_bytes_new_take (g_steal_pointer (&contents), length);
  image = bi_image_loader_load (data, 0, &error);
  g_assert_no_error (error);

  regions = bi_spine_detector_find (image->grey, NULL);
  g_test_message ("%u regions", regions->len);
  g_assert_cmpuint (regions->len, >=, REAL_PHOTO_MIN_REGIONS);
  for (guint i = 0; i < regions->len; i++)
    g_assert_cmpint (g_array_index (regions, BiOcrRegion, i).kind, ==, BI_OCR_REGION_SPINE);
}

static void
test_blank (void)
{
  g_autoptr (PIX) blank = pixCreate (400, 300, 8);
  g_autoptr (GArray) regions = NULL;

  pixSetAll (blank);
  regions = bi_spine_detector_find (blank, NULL);
  g_assert_cmpuint (regions->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bookimg/ocr/spines/standing", test_standing);
  g_test_add_func ("/bookimg/ocr/spines/tilted", test_tilted);
  g_test_add_func ("/bookimg/ocr/spines/stacked", test_stacked);
  g_test_add_func ("/bookimg/ocr/spines/stack-beside-empty-shelf",
                   test_stack_beside_empty_shelf);
  g_test_add_func ("/bookimg/ocr/spines/one-colour", test_spines_of_one_colour);
  g_test_add_func ("/bookimg/ocr/spines/two-grounds", test_spines_on_two_grounds);
  g_test_add_func ("/bookimg/ocr/spines/banded", test_banded_spine);
  g_test_add_func ("/bookimg/ocr/spines/thin", test_thin_spine);
  g_test_add_func ("/bookimg/ocr/spines/same-name-twice", test_same_name_twice);
  g_test_add_func ("/bookimg/ocr/spines/cover", test_cover);
  g_test_add_func ("/bookimg/ocr/spines/real-photo", test_real_photo);
  g_test_add_func ("/bookimg/ocr/spines/blank", test_blank);

  return g_test_run ();
}
