/* bi-test-images.c — synthetic shelf and cover photos for tests
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-test-images"

#include "bi-test-images.h"

#include <math.h>
#include <string.h>

#include <cairo.h>
#include <pango/pangocairo.h>

G_DEFINE_QUARK (bi-test-image-error-quark, bi_test_image_error)

#define SHELF_COLOUR      0x3b2a1a  /* dark wood between the spines */
#define COVER_BACKGROUND  0xf2ead8
#define COVER_FOREGROUND  0x1a1a40
#define FONT_FAMILY       "DejaVu Sans"
#define MIN_FONT_PIXELS   10.0
#define MAX_SIDE          8192

#define JPEG_QUALITY      90

G_DEFINE_AUTOPTR_CLEANUP_FUNC (cairo_t, cairo_destroy)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (cairo_surface_t, cairo_surface_destroy)

/* ---- drawing ---------------------------------------------------------------------------- */

static void
set_source_rgb (cairo_t *cr,
                guint32  rgb)
{
  cairo_set_source_rgb (cr,
                        ((rgb >> 16) & 0xff) / 255.0,
                        ((rgb >> 8) & 0xff) / 255.0,
                        (rgb & 0xff) / 255.0);
}

/* Lays out @text on one line in @font_pixels high DejaVu Sans, shrunk until it fits @max_width. */
static PangoLayout *
create_fitted_layout (cairo_t    *cr,
                      const char *text,
                      gboolean    bold,
                      double      font_pixels,
                      double      max_width)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  g_autoptr (PangoFontDescription) font = pango_font_description_new ();
  int text_width = 0;

  pango_font_description_set_family (font, FONT_FAMILY);
  pango_font_description_set_weight (font, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
  pango_layout_set_text (layout, text, -1);

  for (;;)
    {
      pango_font_description_set_absolute_size (font, font_pixels * PANGO_SCALE);
      pango_layout_set_font_description (layout, font);
      pango_layout_get_pixel_size (layout, &text_width, NULL);
      if (text_width <= max_width || font_pixels <= MIN_FONT_PIXELS)
        break;
      font_pixels = MAX (MIN_FONT_PIXELS, font_pixels * max_width / text_width);
    }

  return layout;
}

static void
show_layout_centred (cairo_t     *cr,
                     PangoLayout *layout,
                     double       centre_y)
{
  int text_width = 0, text_height = 0;

  pango_layout_get_pixel_size (layout, &text_width, &text_height);
  cairo_move_to (cr, -text_width / 2.0, centre_y - text_height / 2.0);
  pango_cairo_show_layout (cr, layout);
}

/* Draws the title (bold) and, below it, the author, centred on (@centre_x, @centre_y) and
 * turned @rotation degrees clockwise. @along is the room along the text's lines, @across the
 * room across them. */
static void
draw_title_and_author (cairo_t    *cr,
                       const char *title,
                       const char *author,
                       guint32     colour,
                       double      centre_x,
                       double      centre_y,
                       double      along,
                       double      across,
                       int         rotation)
{
  g_autoptr (PangoLayout) title_layout = NULL;
  g_autoptr (PangoLayout) author_layout = NULL;
  double title_pixels = across * (author != NULL ? 0.28 : 0.4);

  cairo_save (cr);
  cairo_translate (cr, centre_x, centre_y);
  cairo_rotate (cr, rotation * G_PI / 180.0);
  set_source_rgb (cr, colour);

  title_layout = create_fitted_layout (cr, title, TRUE, title_pixels, along * 0.9);
  if (author == NULL)
    {
      show_layout_centred (cr, title_layout, 0);
    }
  else
    {
      author_layout = create_fitted_layout (cr, author, FALSE, title_pixels * 0.7, along * 0.9);
      show_layout_centred (cr, title_layout, -across * 0.2);
      show_layout_centred (cr, author_layout, across * 0.22);
    }

  cairo_restore (cr);
}

/* Leptonica keeps 32 bpp pixels as 0xRRGGBBxx words; cairo's RGB24 as 0x00RRGGBB. */
static PIX *
pix_from_surface (cairo_surface_t *surface)
{
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  int stride = cairo_image_surface_get_stride (surface);
  const guint8 *data;
  PIX *pix;

  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  pix = pixCreate (width, height, 32);
  if (pix == NULL)
    return NULL;

  for (int y = 0; y < height; y++)
    {
      const guint32 *row = (const guint32 *) (data + (gsize) y * stride);
      l_uint32 *line = pixGetData (pix) + (gsize) y * pixGetWpl (pix);

      for (int x = 0; x < width; x++)
        composeRGBPixel ((row[x] >> 16) & 0xff, (row[x] >> 8) & 0xff, row[x] & 0xff, &line[x]);
    }

  return pix;
}

/* A @width × @height canvas painted @background, or NULL (with a warning) for a size that
 * makes no sense. The canvas's target surface holds the picture. */
static cairo_t *
create_canvas (int     width,
               int     height,
               guint32 background)
{
  g_autoptr (cairo_surface_t) surface = NULL;
  cairo_t *cr;

  if (width < 16 || height < 16 || width > MAX_SIDE || height > MAX_SIDE)
    {
      g_warning ("A test image of %d×%d cannot be drawn: each side must be 16–%d pixels",
                 width, height, MAX_SIDE);
      return NULL;
    }

  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, width, height);
  cr = cairo_create (surface);
  set_source_rgb (cr, background);
  cairo_paint (cr);
  return cr;
}

void
bi_test_image_spine_bounds (guint  n_spines,
                            guint  index,
                            int    width,
                            int    height,
                            int   *x,
                            int   *y,
                            int   *spine_width,
                            int   *spine_height)
{
  int slot_left, slot_right, margin_x, margin_y;

  g_return_if_fail (n_spines > 0 && index < n_spines);

  slot_left = (int) ((gint64) width * index / n_spines);
  slot_right = (int) ((gint64) width * (index + 1) / n_spines);
  margin_x = MAX (2, (slot_right - slot_left) / 25);
  margin_y = MAX (2, height / 40);

  *x = slot_left + margin_x;
  *y = margin_y;
  *spine_width = slot_right - slot_left - 2 * margin_x;
  *spine_height = height - 2 * margin_y;
}

PIX *
bi_test_image_draw_spines (const BiTestSpine *spines,
                           guint              n_spines,
                           int                width,
                           int                height)
{
  g_autoptr (cairo_t) cr = NULL;

  g_return_val_if_fail (spines != NULL && n_spines > 0, NULL);
  cr = create_canvas (width, height, SHELF_COLOUR);
  if (cr == NULL)
    return NULL;

  for (guint i = 0; i < n_spines; i++)
    {
      const BiTestSpine *spine = &spines[i];
      int x, y, spine_width, spine_height;
      gboolean sideways = spine->rotation == 90 || spine->rotation == 270;

      g_return_val_if_fail (spine->title != NULL, NULL);
      g_return_val_if_fail (spine->rotation == 0 || sideways, NULL);

      bi_test_image_spine_bounds (n_spines, i, width, height, &x, &y, &spine_width, &spine_height);
      set_source_rgb (cr, spine->background);
      cairo_rectangle (cr, x, y, spine_width, spine_height);
      cairo_fill (cr);

      /* Sideways text runs along the strip; upright text must fit across it. */
      draw_title_and_author (cr, spine->title, spine->author, spine->foreground,
                             x + spine_width / 2.0, y + spine_height / 2.0,
                             sideways ? spine_height : spine_width,
                             sideways ? spine_width : MIN (spine_width, spine_height / 3.0),
                             spine->rotation);
    }

  return pix_from_surface (cairo_get_target (cr));
}

PIX *
bi_test_image_draw_cover (const char *title,
                          const char *author,
                          int         width,
                          int         height)
{
  g_autoptr (cairo_t) cr = NULL;

  g_return_val_if_fail (title != NULL, NULL);
  cr = create_canvas (width, height, COVER_BACKGROUND);
  if (cr == NULL)
    return NULL;
  draw_title_and_author (cr, title, author, COVER_FOREGROUND,
                         width / 2.0, height * 0.4, width, MIN (width, height) * 0.45, 0);

  return pix_from_surface (cairo_get_target (cr));
}

/* ---- books on shelves -------------------------------------------------------------------- */

#define BOARD_COLOUR  0xb08850  /* light wood of the shelf boards */
#define WALL_COLOUR   0x1e1610  /* the dark back of the bookcase */

void
bi_test_image_book_bounds (const BiTestBook *book,
                           int              *x,
                           int              *y,
                           int              *width,
                           int              *height)
{
  double radians = book->tilt * G_PI / 180.0;
  double half_width = (fabs (cos (radians)) * book->across + fabs (sin (radians)) * book->along) / 2;
  double half_height = (fabs (sin (radians)) * book->across + fabs (cos (radians)) * book->along) / 2;

  *x = (int) lround (book->centre_x - half_width);
  *y = (int) lround (book->centre_y - half_height);
  *width = (int) lround (2 * half_width);
  *height = (int) lround (2 * half_height);
}

#define LABEL_COLOUR      0xf8f8f4  /* a library's call-number label */
#define LABEL_INK         0x181818
#define LABEL_FROM_BOTTOM 0.04      /* of the book's length, between its bottom and the label */

/* The white label of @label near the bottom of the straight strip @book drawn centred on the
 * canvas's origin, its text along the strip the way its title runs. */
static void
draw_label (cairo_t           *cr,
            const BiTestBook  *book,
            const BiTestLabel *label)
{
  g_autoptr (PangoLayout) layout = NULL;
  int text_width = 0, text_height = 0;
  double length, thickness;

  cairo_save (cr);
  layout = create_fitted_layout (cr, label->text, FALSE, label->font_pixels, book->along * 0.5);
  pango_layout_get_pixel_size (layout, &text_width, &text_height);
  length = text_width + label->font_pixels;
  thickness = MIN (book->across * 0.9, text_height * 1.4);
  cairo_translate (cr, 0, book->along / 2 - book->along * LABEL_FROM_BOTTOM - length / 2);
  cairo_rotate (cr, (book->spine.rotation == 270 ? 270 : 90) * G_PI / 180.0);
  set_source_rgb (cr, LABEL_COLOUR);
  cairo_rectangle (cr, -length / 2, -thickness / 2, length, thickness);
  cairo_fill (cr);
  set_source_rgb (cr, LABEL_INK);
  show_layout_centred (cr, layout, 0);
  cairo_restore (cr);
}

PIX *
bi_test_image_draw_books (const BiTestBook *books,
                          guint             n_books,
                          const int        *board_tops,
                          guint             n_boards,
                          int               board_height,
                          int               width,
                          int               height)
{
  return bi_test_image_draw_library_books (books, NULL, n_books, board_tops, n_boards,
                                           board_height, width, height);
}

PIX *
bi_test_image_draw_library_books (const BiTestBook  *books,
                                  const BiTestLabel *labels,
                                  guint              n_books,
                                  const int         *board_tops,
                                  guint              n_boards,
                                  int                board_height,
                                  int                width,
                                  int                height)
{
  g_autoptr (cairo_t) cr = NULL;

  g_return_val_if_fail (books != NULL && n_books > 0, NULL);
  g_return_val_if_fail (board_tops != NULL || n_boards == 0, NULL);
  cr = create_canvas (width, height, WALL_COLOUR);
  if (cr == NULL)
    return NULL;

  set_source_rgb (cr, BOARD_COLOUR);
  for (guint i = 0; i < n_boards; i++)
    {
      cairo_rectangle (cr, 0, board_tops[i], width, board_height);
      cairo_fill (cr);
    }

  for (guint i = 0; i < n_books; i++)
    {
      const BiTestBook *book = &books[i];
      gboolean sideways = book->spine.rotation == 90 || book->spine.rotation == 270;

      g_return_val_if_fail (book->spine.title != NULL, NULL);
      g_return_val_if_fail (book->spine.rotation == 0 || sideways, NULL);

      cairo_save (cr);
      cairo_translate (cr, book->centre_x, book->centre_y);
      /* Cairo turns clockwise for a positive angle (y points down): a strip whose top leans
       * left by @tilt is a straight one turned anticlockwise by @tilt. */
      cairo_rotate (cr, -book->tilt * G_PI / 180.0);
      set_source_rgb (cr, book->spine.background);
      cairo_rectangle (cr, -book->across / 2, -book->along / 2, book->across, book->along);
      cairo_fill (cr);
      draw_title_and_author (cr, book->spine.title, book->spine.author, book->spine.foreground,
                             0, 0, sideways ? book->along : book->across,
                             sideways ? book->across : MIN (book->across, book->along / 3.0),
                             book->spine.rotation);
      if (labels != NULL && labels[i].text != NULL)
        draw_label (cr, book, &labels[i]);
      cairo_restore (cr);
    }

  return pix_from_surface (cairo_get_target (cr));
}

/* ---- EAN-13 barcodes ---------------------------------------------------------------------- */

/* The 7-module patterns of each digit (1 = bar), from GS1's General Specifications 5.2.2.1:
 * set A ("L", odd parity), set B ("G", even parity) and set C ("R"). */
static const char *const ean_l[10] = {
  "0001101", "0011001", "0010011", "0111101", "0100011",
  "0110001", "0101111", "0111011", "0110111", "0001011",
};
static const char *const ean_g[10] = {
  "0100111", "0110011", "0011011", "0100001", "0011101",
  "0111001", "0000101", "0010001", "0001001", "0010111",
};
static const char *const ean_r[10] = {
  "1110010", "1100110", "1101100", "1000010", "1011100",
  "1001110", "1010000", "1000100", "1001000", "1110100",
};
/* The first digit is not drawn: it picks A or B for each of the left six. */
static const char *const ean_parity[10] = {
  "AAAAAA", "AABABB", "AABBAB", "AABBBA", "ABAABB",
  "ABBAAB", "ABBBAA", "ABABAB", "ABABBA", "ABBABA",
};

#define EAN_QUIET_MODULES 11
#define EAN_MODULES       95

gboolean
bi_test_image_draw_ean13 (PIX        *pix,
                          const char *digits,
                          int         x,
                          int         y,
                          int         module,
                          int         bar_height)
{
  g_autoptr (GString) modules = g_string_new ("101");
  int total_width = (EAN_MODULES + 2 * EAN_QUIET_MODULES) * module;
  int total_height = bar_height + 2 * EAN_QUIET_MODULES * module;
  g_autoptr (BOX) quiet = NULL;

  g_return_val_if_fail (pix != NULL && pixGetDepth (pix) == 32, FALSE);

  if (digits == NULL || strlen (digits) != 13 || strspn (digits, "0123456789") != 13 ||
      module < 1 || x < 0 || y < 0 || x + total_width > pixGetWidth (pix) ||
      y + total_height > pixGetHeight (pix))
    return FALSE;

  for (int i = 1; i <= 6; i++)
    {
      int digit = digits[i] - '0';

      g_string_append (modules, ean_parity[digits[0] - '0'][i - 1] == 'A' ? ean_l[digit]
                                                                          : ean_g[digit]);
    }
  g_string_append (modules, "01010");
  for (int i = 7; i <= 12; i++)
    g_string_append (modules, ean_r[digits[i] - '0']);
  g_string_append (modules, "101");
  g_assert (modules->len == EAN_MODULES);

  quiet = boxCreate (x, y, total_width, total_height);
  pixSetInRectArbitrary (pix, quiet, 0xffffff00);
  for (guint i = 0; i < modules->len; i++)
    if (modules->str[i] == '1')
      {
        g_autoptr (BOX) bar = boxCreate (x + (EAN_QUIET_MODULES + (int) i) * module,
                                         y + EAN_QUIET_MODULES * module, module, bar_height);

        pixSetInRectArbitrary (pix, bar, 0x00000000);
      }
  return TRUE;
}

/* ---- encoding ----------------------------------------------------------------------------- */

static void
free_leptonica_data (gpointer data)
{
  lept_free (data);
}

GBytes *
bi_test_image_encode (PIX         *pix,
                      const char  *format,
                      GError     **error)
{
  l_uint8 *data = NULL;
  size_t size = 0;
  l_ok failed;

  g_return_val_if_fail (pix != NULL, NULL);
  g_return_val_if_fail (format != NULL, NULL);

  if (g_str_equal (format, "png"))
    failed = pixWriteMem (&data, &size, pix, IFF_PNG);
  else if (g_str_equal (format, "jpeg"))
    failed = pixWriteMemJpeg (&data, &size, pix, JPEG_QUALITY, 0);
  else if (g_str_equal (format, "tiff"))
    failed = pixWriteMem (&data, &size, pix, IFF_TIFF_ZIP);
  else if (g_str_equal (format, "webp"))
    failed = pixWriteMemWebP (&data, &size, pix, 100, TRUE);
  else
    {
      g_set_error (error, BI_TEST_IMAGE_ERROR, BI_TEST_IMAGE_ERROR_INVALID,
                   "Unknown test image format “%s”: use png, jpeg, tiff or webp", format);
      return NULL;
    }

  if (failed || data == NULL)
    {
      lept_free (data);
      g_set_error (error, BI_TEST_IMAGE_ERROR, BI_TEST_IMAGE_ERROR_ENCODE,
                   "Leptonica could not encode a %d×%d test image as %s; check that it was "
                   "built with that format", pixGetWidth (pix), pixGetHeight (pix), format);
      return NULL;
    }

  return g_bytes_new_with_free_func (data, size, free_leptonica_data, data);
}

GBytes *
bi_test_image_render_spines (const BiTestSpine  *spines,
                             guint               n_spines,
                             int                 width,
                             int                 height,
                             const char         *format,
                             GError            **error)
{
  g_autoptr (PIX) pix = bi_test_image_draw_spines (spines, n_spines, width, height);

  if (pix == NULL)
    {
      g_set_error (error, BI_TEST_IMAGE_ERROR, BI_TEST_IMAGE_ERROR_INVALID,
                   "Cannot draw %u spines on a %d×%d test image", n_spines, width, height);
      return NULL;
    }
  return bi_test_image_encode (pix, format, error);
}

GBytes *
bi_test_image_render_cover (const char  *title,
                            const char  *author,
                            const char  *format,
                            GError     **error)
{
  g_autoptr (PIX) pix = bi_test_image_draw_cover (title, author, 480, 640);

  if (pix == NULL)
    {
      g_set_error (error, BI_TEST_IMAGE_ERROR, BI_TEST_IMAGE_ERROR_INVALID,
                   "Cannot draw a test cover");
      return NULL;
    }
  return bi_test_image_encode (pix, format, error);
}

/* ---- EXIF orientation --------------------------------------------------------------------- */

PIX *
bi_test_image_store_for_orientation (PIX *upright,
                                     int  orientation)
{
  int shown_width, shown_height, stored_width, stored_height;
  PIX *stored;

  g_return_val_if_fail (upright != NULL, NULL);
  g_return_val_if_fail (orientation >= 1 && orientation <= 8, NULL);

  shown_width = pixGetWidth (upright);
  shown_height = pixGetHeight (upright);
  stored_width = orientation >= 5 ? shown_height : shown_width;
  stored_height = orientation >= 5 ? shown_width : shown_height;
  stored = pixCreate (stored_width, stored_height, pixGetDepth (upright));
  if (stored == NULL)
    return NULL;
  pixCopyColormap (stored, upright);

  for (int y = 0; y < stored_height; y++)
    for (int x = 0; x < stored_width; x++)
      {
        /* Exif 2.3, tag 0x0112, read literally: where the stored 0th row and 0th column are
         * shown (1: top/left, 2: top/right, 3: bottom/right, 4: bottom/left, 5: left/top,
         * 6: right/top, 7: right/bottom, 8: left/bottom). */
        static const struct { gboolean swap, mirror_x, mirror_y; } placement[9] = {
          [1] = { FALSE, FALSE, FALSE }, [2] = { FALSE, TRUE, FALSE },
          [3] = { FALSE, TRUE, TRUE },   [4] = { FALSE, FALSE, TRUE },
          [5] = { TRUE, FALSE, FALSE },  [6] = { TRUE, TRUE, FALSE },
          [7] = { TRUE, TRUE, TRUE },    [8] = { TRUE, FALSE, TRUE },
        };
        int shown_x = placement[orientation].swap ? y : x;
        int shown_y = placement[orientation].swap ? x : y;
        l_uint32 value = 0;

        if (placement[orientation].mirror_x)
          shown_x = shown_width - 1 - shown_x;
        if (placement[orientation].mirror_y)
          shown_y = shown_height - 1 - shown_y;

        pixGetPixel (upright, shown_x, shown_y, &value);
        pixSetPixel (stored, x, y, value);
      }

  return stored;
}

static void
append_u16 (GByteArray *array,
            guint       value,
            gboolean    big_endian)
{
  guint8 bytes[2] = { value & 0xff, (value >> 8) & 0xff };

  if (big_endian)
    {
      bytes[0] = (value >> 8) & 0xff;
      bytes[1] = value & 0xff;
    }
  g_byte_array_append (array, bytes, 2);
}

static void
append_u32 (GByteArray *array,
            guint32     value,
            gboolean    big_endian)
{
  append_u16 (array, big_endian ? value >> 16 : value & 0xffff, big_endian);
  append_u16 (array, big_endian ? value & 0xffff : value >> 16, big_endian);
}

GByteArray *
bi_test_image_build_exif_payload (int      orientation,
                                  gboolean big_endian)
{
  GByteArray *payload = g_byte_array_new ();

  g_byte_array_append (payload, (const guint8 *) "Exif\0\0", 6);
  g_byte_array_append (payload, (const guint8 *) (big_endian ? "MM" : "II"), 2);
  append_u16 (payload, 42, big_endian);
  append_u32 (payload, 8, big_endian);           /* IFD0 right after the TIFF header */
  append_u16 (payload, 1, big_endian);           /* one entry: */
  append_u16 (payload, 0x0112, big_endian);      /*   Orientation */
  append_u16 (payload, 3, big_endian);           /*   SHORT */
  append_u32 (payload, 1, big_endian);           /*   count 1 */
  append_u16 (payload, (guint) orientation, big_endian);
  append_u16 (payload, 0, big_endian);           /*   value field padding */
  append_u32 (payload, 0, big_endian);           /* no IFD1 */
  return payload;
}

GBytes *
bi_test_image_insert_app1 (GBytes        *jpeg,
                           const guint8  *payload,
                           gsize          payload_length,
                           GError       **error)
{
  g_autoptr (GByteArray) result = NULL;
  const guint8 *data;
  gsize length;
  gsize insert_at = 2;
  guint8 header[4];

  g_return_val_if_fail (jpeg != NULL, NULL);

  data = g_bytes_get_data (jpeg, &length);
  if (length < 4 || data[0] != 0xff || data[1] != 0xd8)
    {
      g_set_error (error, BI_TEST_IMAGE_ERROR, BI_TEST_IMAGE_ERROR_INVALID,
                   "Cannot add an APP1 segment: the data does not start with a JPEG SOI marker");
      return NULL;
    }
  if (payload_length > 65533)
    {
      g_set_error (error, BI_TEST_IMAGE_ERROR, BI_TEST_IMAGE_ERROR_INVALID,
                   "An APP1 payload of %" G_GSIZE_FORMAT " bytes does not fit one JPEG segment",
                   payload_length);
      return NULL;
    }

  /* libjpeg writes a JFIF APP0 segment first; cameras put Exif right after SOI instead. Going
   * after APP0 makes the reader under test walk past a segment before it finds Exif. */
  if (data[2] == 0xff && data[3] == 0xe0 && length >= 6)
    insert_at = MIN (length, 4 + (gsize) (data[4] << 8 | data[5]));

  header[0] = 0xff;
  header[1] = 0xe1;
  header[2] = (payload_length + 2) >> 8;
  header[3] = (payload_length + 2) & 0xff;

  result = g_byte_array_sized_new (length + payload_length + 4);
  g_byte_array_append (result, data, insert_at);
  g_byte_array_append (result, header, sizeof header);
  g_byte_array_append (result, payload, payload_length);
  g_byte_array_append (result, data + insert_at, length - insert_at);
  return g_byte_array_free_to_bytes (g_steal_pointer (&result));
}

GBytes *
bi_test_image_add_exif_orientation_full (GBytes    *jpeg,
                                         int        orientation,
                                         gboolean   big_endian,
                                         GError   **error)
{
  g_autoptr (GByteArray) payload = bi_test_image_build_exif_payload (orientation, big_endian);

  return bi_test_image_insert_app1 (jpeg, payload->data, payload->len, error);
}

GBytes *
bi_test_image_add_exif_orientation (GBytes  *jpeg,
                                    int      orientation,
                                    GError **error)
{
  return bi_test_image_add_exif_orientation_full (jpeg, orientation, FALSE, error);
}

GBytes *
bi_test_image_encode_oriented_jpeg (PIX     *upright,
                                    int      orientation,
                                    GError **error)
{
  g_autoptr (PIX) stored = NULL;
  g_autoptr (GBytes) jpeg = NULL;

  g_return_val_if_fail (upright != NULL, NULL);

  if (orientation < 1 || orientation > 8)
    {
      g_set_error (error, BI_TEST_IMAGE_ERROR, BI_TEST_IMAGE_ERROR_INVALID,
                   "EXIF orientation %d does not exist: use 1–8", orientation);
      return NULL;
    }

  stored = bi_test_image_store_for_orientation (upright, orientation);
  if (stored == NULL)
    {
      g_set_error (error, BI_TEST_IMAGE_ERROR, BI_TEST_IMAGE_ERROR_ENCODE,
                   "Leptonica could not allocate a %d×%d test image",
                   pixGetHeight (upright), pixGetWidth (upright));
      return NULL;
    }
  jpeg = bi_test_image_encode (stored, "jpeg", error);
  if (jpeg == NULL)
    return NULL;
  return bi_test_image_add_exif_orientation (jpeg, orientation, error);
}
