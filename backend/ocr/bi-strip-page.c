/* bi-strip-page.c — straightened, scaled and turned regions stacked on one page
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-strip-page"

#include "bi-strip-page.h"

#include <math.h>

#include "bi-leptonica-autoptr.h"
#include "bi-spine-contrast.h"

/* White space around every strip on the page: several text lines' height, so Tesseract never
 * joins the text of two books into one line or block. */
#define STRIP_GAP        48

/* Tesseract refuses pictures with a side over 32767 pixels. */
#define MAX_PAGE_HEIGHT  32000

typedef struct
{
  PIX        *pix;      /* the strip as laid on the page */
  int         index;    /* the caller's region index */
  int         page_y;   /* top on the page */
  /* the way back to the grey picture: */
  BiPixelBox  source;   /* the region's bounding box in the grey picture */
  double      scale;    /* strip pixels per grey pixel */
  double      angle;    /* degrees it was turned clockwise to stand straight */
  int         clip_x;   /* the straight strip's place in the scaled, turned bounding box */
  int         clip_y;
  int         turned_width; /* size of the strip before its quarter turns */
  int         turned_height;
  int         box_width;    /* size of the scaled bounding box */
  int         box_height;
  gboolean    binary;   /* mapped to black and white only */
} Strip;

struct _BiStripPage
{
  int           quarter_turns;
  BiSpineTones  tones;
  gboolean      clear_ends;
  double        reach;   /* a flat strip's extra length at each end, in its thicknesses */
  GArray       *strips;  /* of Strip */
  PIX       *page;    /* rendered, or NULL */
};

static void
strip_clear (gpointer data)
{
  Strip *strip = data;

  pixDestroy (&strip->pix);
}

BiStripPage *
bi_strip_page_new (int          quarter_turns,
                   BiSpineTones tones)
{
  BiStripPage *page = g_new0 (BiStripPage, 1);

  g_return_val_if_fail (quarter_turns >= 0 && quarter_turns < 4, page);

  page->quarter_turns = quarter_turns;
  page->tones = tones;
  page->strips = g_array_new (FALSE, TRUE, sizeof (Strip));
  g_array_set_clear_func (page->strips, strip_clear);
  return page;
}

void
bi_strip_page_free (BiStripPage *page)
{
  if (page == NULL)
    return;

  g_array_unref (page->strips);
  pixDestroy (&page->page);
  g_free (page);
}

void
bi_strip_page_set_clear_ends (BiStripPage *page,
                              gboolean     clear_ends)
{
  g_return_if_fail (page != NULL);

  page->clear_ends = clear_ends;
}

void
bi_strip_page_set_reach (BiStripPage *page,
                         double       reach)
{
  g_return_if_fail (page != NULL && reach >= 0);

  page->reach = reach;
}

int
bi_strip_page_get_quarter_turns (const BiStripPage *page)
{
  g_return_val_if_fail (page != NULL, 0);

  return page->quarter_turns;
}

guint
bi_strip_page_get_n_strips (const BiStripPage *page)
{
  g_return_val_if_fail (page != NULL, 0);

  return page->strips->len;
}

/* @region cut out of @grey, scaled by @scale and turned straight; NULL when it holds no pixels.
 * @strip (nullable) gets the way back to @grey. */
static PIX *
cut_straight (PIX               *grey,
              const BiOcrRegion *region,
              double             scale,
              Strip             *strip)
{
  g_autoptr (BOX) clip = NULL;
  g_autoptr (PIX) cut = NULL;
  g_autoptr (PIX) scaled = NULL;
  g_autoptr (PIX) straight = NULL;
  g_autoptr (BOX) middle = NULL;
  gboolean flat = region->angle > 45 || region->angle < -45;
  double angle = flat ? 0 : region->angle;
  int box_width, box_height, across;

  clip = boxCreate (region->x, region->y, region->width, region->height);
  cut = pixClipRectangle (grey, clip, NULL);
  if (cut == NULL)
    return NULL;
  scaled = scale < 1.0 ? pixScaleAreaMap (cut, scale, scale)
                       : scale > 1.0 ? pixScale (cut, scale, scale) : pixClone (cut);
  if (scaled == NULL)
    return NULL;
  box_width = pixGetWidth (scaled);
  box_height = pixGetHeight (scaled);
  if (strip != NULL)
    {
      strip->source = (BiPixelBox) { region->x, region->y, pixGetWidth (cut), pixGetHeight (cut) };
      strip->scale = (double) box_width / pixGetWidth (cut);
      strip->angle = angle;
      strip->box_width = box_width;
      strip->box_height = box_height;
    }
  if (angle == 0)
    return pixCopy (NULL, scaled);

  /* A spine leaning at @angle stands straight after a clockwise turn by @angle; the turn keeps
   * the box's size, and the straight spine is the middle of it. */
  straight = pixRotate (scaled, angle * G_PI / 180.0, L_ROTATE_AREA_MAP, L_BRING_IN_WHITE, 0, 0);
  if (straight == NULL)
    return NULL;
  across = (int) lround (bi_strip_width_across (box_width, box_height, angle));
  across = CLAMP (across, 1, box_width);
  if (strip != NULL)
    {
      strip->clip_x = (box_width - across) / 2;
      strip->clip_y = 0;
    }
  middle = boxCreate ((box_width - across) / 2, 0, across, box_height);
  return pixClipRectangle (straight, middle, NULL);
}

PIX *
bi_strip_cut_straight (PIX               *grey,
                       const BiOcrRegion *region,
                       double             scale)
{
  g_return_val_if_fail (grey != NULL && region != NULL, NULL);
  g_return_val_if_fail (scale > 0, NULL);

  return cut_straight (grey, region, scale, NULL);
}

/* Makes white the rows of @strip before @first and from @last on. */
static void
clear_ends (PIX *strip,
            int  first,
            int  last)
{
  int width = pixGetWidth (strip), height = pixGetHeight (strip);
  g_autoptr (BOX) above = first > 0 ? boxCreate (0, 0, width, first) : NULL;
  g_autoptr (BOX) below = last < height ? boxCreate (0, last, width, height - last) : NULL;

  if (above != NULL)
    pixSetInRectArbitrary (strip, above, 255);
  if (below != NULL)
    pixSetInRectArbitrary (strip, below, 255);
}

gboolean
bi_strip_page_add (BiStripPage       *page,
                   PIX               *grey,
                   const BiOcrRegion *region,
                   int                index,
                   double             scale,
                   BiSpineInk         ink)
{
  g_autoptr (PIX) narrow = NULL;
  g_autoptr (PIX) book = NULL;
  Strip strip = { 0 };
  gboolean ends_found, mapped;
  int book_first = 0, book_last = 0;
  BiOcrRegion cut;
  int margin = 0;

  g_return_val_if_fail (page != NULL && grey != NULL && region != NULL, FALSE);
  g_return_val_if_fail (scale > 0, FALSE);

  /* A book lying flat may reach past its region's ends (bi_strip_page_set_reach); a standing
   * spine's ends are the book's top and bottom already. */
  cut = *region;
  if (page->reach > 0 && (region->angle > 45 || region->angle < -45))
    {
      int right = MIN ((int) pixGetWidth (grey), region->x + region->width +
                                                   (int) (region->height * page->reach));

      cut.x = MAX (0, region->x - (int) (region->height * page->reach));
      cut.width = MAX (0, right - cut.x);
      margin = region->x - cut.x;
    }
  strip.index = index;
  narrow = cut_straight (grey, &cut, scale, &strip);
  if (narrow == NULL)
    return FALSE;
  /* The book's own part of a longer cut, for its levels. */
  if (cut.width > region->width)
    {
      g_autoptr (BOX) own = boxCreate ((int) lround (margin * strip.scale), 0,
                                       (int) lround (region->width * strip.scale),
                                       pixGetHeight (narrow));

      book = pixClipRectangle (narrow, own, NULL);
    }
  if (book == NULL)
    book = pixClone (narrow);

  /* Found on the grey levels: mapped, the rows off the book are black or white like the rest. */
  ends_found = page->clear_ends && bi_spine_contrast_book_rows (narrow, &book_first, &book_last);
  mapped = bi_spine_contrast_map_by (narrow, book, ink, page->tones);
  if (mapped && ends_found)
    clear_ends (narrow, book_first, book_last);
  strip.binary = mapped && page->tones == BI_SPINE_TONES_BINARY;
  strip.turned_width = pixGetWidth (narrow);
  strip.turned_height = pixGetHeight (narrow);
  strip.pix = bi_pix_turn (narrow, page->quarter_turns);
  if (strip.pix == NULL)
    return FALSE;

  g_array_append_val (page->strips, strip);
  pixDestroy (&page->page);
  return TRUE;
}

gboolean
bi_strip_page_add_last_of (BiStripPage       *page,
                           const BiStripPage *from)
{
  Strip strip;

  g_return_val_if_fail (page != NULL && from != NULL, FALSE);
  g_return_val_if_fail (page->tones == from->tones && page->clear_ends == from->clear_ends &&
                        page->reach == from->reach, FALSE);

  if (from->strips->len == 0)
    return FALSE;
  strip = g_array_index (from->strips, Strip, from->strips->len - 1);
  /* Quarter turns compose exactly: the pixels are those of the strip turned from straight. */
  strip.pix = bi_pix_turn (strip.pix, page->quarter_turns - from->quarter_turns);
  if (strip.pix == NULL)
    return FALSE;

  g_array_append_val (page->strips, strip);
  pixDestroy (&page->page);
  return TRUE;
}

/* Makes @page's black-and-white picture 1 bpp when it is mostly white. Tesseract thresholds
 * an 8 bpp page with Otsu's threshold, three passes over every pixel (to binarise it, and again
 * for the thresholds and grey picture it keeps), up to 60–70 ms of CPU per 12 MP photo on
 * these mostly white pages; a 1 bpp page it takes as it is. Otsu's threshold of a page of 0s and
 * 255s splits them, and takes the 0s for the text when they are under half of the page (else
 * the 255s: OtsuThreshold in Tesseract's otsuthr.cpp); the lines Tesseract then reads are cut
 * from the 1 bpp page made 8 bpp again, 0 for black and 255 for white: the same pixels. */
static void
to_binary (BiStripPage *page)
{
  g_autoptr (PIX) binary = pixConvertTo1 (page->page, 128);
  l_int32 black = 0;

  if (binary == NULL || pixCountPixels (binary, &black, NULL) != 0 ||
      2 * (gint64) black >= (gint64) pixGetWidth (binary) * pixGetHeight (binary))
    return;
  pixCopyResolution (binary, page->page);
  pixDestroy (&page->page);
  page->page = g_steal_pointer (&binary);
}

PIX *
bi_strip_page_render (BiStripPage *page)
{
  int width = 0, height = STRIP_GAP;
  gboolean binary = TRUE;

  g_return_val_if_fail (page != NULL, NULL);

  if (page->page != NULL || page->strips->len == 0)
    return page->page;

  for (guint i = 0; i < page->strips->len; i++)
    {
      Strip *strip = &g_array_index (page->strips, Strip, i);

      width = MAX (width, pixGetWidth (strip->pix));
      strip->page_y = height;
      height += pixGetHeight (strip->pix) + STRIP_GAP;
    }
  if (height > MAX_PAGE_HEIGHT)
    {
      g_warning ("%u strips make a page %d pixels high, more than Tesseract reads; the "
                 "caller must split them over several pages", page->strips->len, height);
      return NULL;
    }

  page->page = pixCreate (width + 2 * STRIP_GAP, height, 8);
  if (page->page == NULL)
    return NULL;
  pixSetAll (page->page);
  for (guint i = 0; i < page->strips->len; i++)
    {
      const Strip *strip = &g_array_index (page->strips, Strip, i);

      pixRasterop (page->page, STRIP_GAP, strip->page_y, pixGetWidth (strip->pix),
                   pixGetHeight (strip->pix), PIX_SRC, strip->pix, 0, 0);
      binary = binary && strip->binary;
    }
  if (binary)
    to_binary (page);
  return page->page;
}

/* Turns the point (@x, @y) by @degrees counter-clockwise about (@centre_x, @centre_y). */
static void
turn_back (double  x,
           double  y,
           double  centre_x,
           double  centre_y,
           double  degrees,
           double *out_x,
           double *out_y)
{
  double c = cos (degrees * G_PI / 180.0), s = sin (degrees * G_PI / 180.0);
  double dx = x - centre_x, dy = y - centre_y;

  *out_x = centre_x + dx * c + dy * s;
  *out_y = centre_y - dx * s + dy * c;
}

int
bi_strip_page_map_box (const BiStripPage *page,
                       BiPixelBox         box,
                       BiPixelBox        *mapped)
{
  g_return_val_if_fail (page != NULL && mapped != NULL, -1);

  for (guint i = 0; i < page->strips->len; i++)
    {
      const Strip *strip = &g_array_index (page->strips, Strip, i);
      int strip_width = pixGetWidth (strip->pix), strip_height = pixGetHeight (strip->pix);
      BiPixelBox local = { box.x - STRIP_GAP, box.y - strip->page_y, box.width, box.height };
      double left = G_MAXDOUBLE, top = G_MAXDOUBLE, right = -G_MAXDOUBLE, bottom = -G_MAXDOUBLE;
      int corner_x[2], corner_y[2];

      if (local.y + local.height <= 0 || local.y >= strip_height)
        continue;
      /* Tesseract's boxes may reach a pixel or two into the gap, never across it. */
      if (local.y < -STRIP_GAP / 2 || local.y + local.height > strip_height + STRIP_GAP / 2)
        return -1;
      local.x = CLAMP (local.x, 0, strip_width);
      local.y = CLAMP (local.y, 0, strip_height);
      local.width = CLAMP (local.width, 0, strip_width - local.x);
      local.height = CLAMP (local.height, 0, strip_height - local.y);

      local = bi_pixel_box_unturn (local, page->quarter_turns, strip->turned_width,
                                   strip->turned_height);
      corner_x[0] = local.x + strip->clip_x;
      corner_x[1] = corner_x[0] + local.width;
      corner_y[0] = local.y + strip->clip_y;
      corner_y[1] = corner_y[0] + local.height;
      for (int cx = 0; cx < 2; cx++)
        for (int cy = 0; cy < 2; cy++)
          {
            double x, y;

            turn_back (corner_x[cx], corner_y[cy], strip->box_width / 2.0,
                       strip->box_height / 2.0, strip->angle, &x, &y);
            left = MIN (left, x);
            right = MAX (right, x);
            top = MIN (top, y);
            bottom = MAX (bottom, y);
          }

      left = CLAMP (left / strip->scale, 0, strip->source.width);
      right = CLAMP (right / strip->scale, left, strip->source.width);
      top = CLAMP (top / strip->scale, 0, strip->source.height);
      bottom = CLAMP (bottom / strip->scale, top, strip->source.height);
      *mapped = (BiPixelBox) { strip->source.x + (int) left, strip->source.y + (int) top,
                               (int) ceil (right) - (int) left,
                               (int) ceil (bottom) - (int) top };
      return strip->index;
    }
  return -1;
}
