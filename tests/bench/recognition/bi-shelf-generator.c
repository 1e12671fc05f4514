/* bi-shelf-generator.c — synthetic shelf and cover photos with their ground truth
 *
 * A photo is drawn in two steps. The *scene* (wall, shelf boards, books) is drawn upright
 * with cairo and Pango at the photo's size; the *camera* then maps it into the photo with one
 * projective transform (roll, a little zoom-out and perspective), darkens one side, blurs and
 * adds sensor noise, and saves a JPEG. The ground-truth boxes go through the same transform,
 * so they say where each book is in the photo as stored.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-shelf-generator"

#include "bi-shelf-generator.h"

#include "bi-ean13.h"

#include <cairo.h>
#include <gio/gio.h>
#include <leptonica/allheaders.h>
#include <math.h>
#include <pango/pangocairo.h>
#include <string.h>

G_DEFINE_AUTOPTR_CLEANUP_FUNC (cairo_t, cairo_destroy)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (cairo_surface_t, cairo_surface_destroy)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (cairo_pattern_t, cairo_pattern_destroy)

/* Smallest text drawn: below this Tesseract has no chance, and neither would a person. */
#define MIN_TEXT_PIXELS 12.0
#define MAX_ROLL        8.0   /* camera roll, degrees either way */
#define MAX_LEAN        1.5   /* a standing book's own lean, degrees either way */
#define MAX_COVER_TURN  5.0   /* a cover lying on the table, degrees either way */
#define MAX_PERSPECTIVE 0.04  /* how far a corner of the scene may move in, fraction of a side */

typedef struct
{
  double x, y, width, height;
} Rect;

typedef enum
{
  ITEM_SPINE, /* a standing or lying book seen from its spine */
  ITEM_COVER, /* a front cover */
} ItemKind;

typedef struct
{
  const BiShelfBook *book;
  ItemKind           kind;
  double             cx, cy;        /* centre of the face in the scene */
  double             width, height; /* of the face before it is turned */
  double             turn;          /* degrees clockwise the face is turned about its centre */
  int                text_rotation; /* 0 (across), 90 (top to bottom) or 270 (bottom to top) */
  guint32            background;    /* 0xRRGGBB */
  guint32            foreground;
  char              *family;        /* font family */
  gboolean           bold;
  gboolean           italic;
  gboolean           upper;         /* title in capitals */
  double             title_share;   /* of the font size the room across the text allows */
} Item;

struct _BiShelfPhoto
{
  char    *name;
  int      width, height;
  guint32  wall;          /* behind the books, or the table under the covers */
  guint32  board;         /* the shelf boards */
  GArray  *boards;        /* of Rect */
  GArray  *items;         /* of Item, in shelf order */
  double   roll;          /* camera roll, degrees */
  double   scale;         /* zoom-out that keeps the rolled scene inside the photo */
  double   corners[8];    /* the scene's corners in the photo (x, y)×4, clockwise from top left */
  double   light_angle;   /* direction the light falls off towards, radians */
  double   light_depth;   /* how dark the far side gets, 0–1 */
  int      blur;          /* half-size of the box blur, 0 for none */
  double   noise;         /* amplitude of the sensor noise, grey levels */
  int      jpeg_quality;
  guint32  noise_seed;
};

struct _BiShelfGenerator
{
  BiShelfBookPool *pool;
  GRand           *rand;
  GPtrArray       *families; /* of char *: the font families installed, sorted */
  guint            next;     /* index of the next photo */
  int              width;    /* size of every photo, or 0 for the usual mix */
  int              height;
};

/* ---- small helpers ---------------------------------------------------------------------- */

static double
uniform (GRand  *rand,
         double  low,
         double  high)
{
  return g_rand_double_range (rand, low, high);
}

static gboolean
chance (GRand  *rand,
        double  probability)
{
  return g_rand_double (rand) < probability;
}

static guint32
hsv_to_rgb (double hue,
            double saturation,
            double value)
{
  double h = fmod (hue, 360.0) / 60.0;
  double c = value * saturation;
  double x = c * (1.0 - fabs (fmod (h, 2.0) - 1.0));
  double m = value - c;
  double r = 0, g = 0, b = 0;

  switch ((int) h)
    {
    case 0: r = c; g = x; break;
    case 1: r = x; g = c; break;
    case 2: g = c; b = x; break;
    case 3: g = x; b = c; break;
    case 4: r = x; b = c; break;
    default: r = c; b = x; break;
    }
  return ((guint32) lround ((r + m) * 255) << 16) | ((guint32) lround ((g + m) * 255) << 8)
         | (guint32) lround ((b + m) * 255);
}

static double
luminance (guint32 rgb)
{
  return (0.299 * ((rgb >> 16) & 0xff) + 0.587 * ((rgb >> 8) & 0xff) + 0.114 * (rgb & 0xff))
         / 255.0;
}

static void
set_source_rgb (cairo_t *cr,
                guint32  rgb)
{
  cairo_set_source_rgb (cr, ((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0,
                        (rgb & 0xff) / 255.0);
}

/* A book's colours: any hue, and text that stands out from it as printed text does (dark on
 * light, light on dark), though not always black on white. */
static void
pick_book_colours (GRand   *rand,
                   guint32 *background,
                   guint32 *foreground)
{
  double hue = uniform (rand, 0, 360);

  *background = hsv_to_rgb (hue, uniform (rand, 0.1, 0.9), uniform (rand, 0.15, 0.95));
  if (luminance (*background) > 0.55)
    *foreground = hsv_to_rgb (uniform (rand, 0, 360), uniform (rand, 0, 0.8),
                              uniform (rand, 0.0, 0.25));
  else
    *foreground = hsv_to_rgb (uniform (rand, 30, 60), uniform (rand, 0, 0.5),
                              uniform (rand, 0.85, 1.0));
}

/* ---- fonts ------------------------------------------------------------------------------ */

/* The font families the photos are drawn in: those of the font packages that
 * build-aux/install-deps installs (fonts-dejavu, fonts-liberation2, fonts-freefont-ttf,
 * fonts-urw-base35), sorted. A fixed list, not whatever fontconfig offers: a seed must draw
 * the same photos on every machine, and a package that brings one more font (ImageMagick
 * brings Noto Mono and Droid Sans Fallback) changed every photo of the benchmark, and its
 * figures with them. Symbol, dingbat and formula fonts (URW's D050000L draws a title as stars
 * and arrows) have no letters to read and are not in it. */
static const char *const shelf_font_families[] = {
  "C059", "DejaVu Sans", "DejaVu Sans Mono", "DejaVu Serif", "FreeMono", "FreeSans",
  "FreeSerif", "Liberation Mono", "Liberation Sans", "Liberation Serif", "Nimbus Mono PS",
  "Nimbus Roman", "Nimbus Sans", "Nimbus Sans Narrow", "P052", "URW Bookman", "URW Gothic",
  "Z003",
};

/* shelf_font_families, each checked to be installed: a missing one would be replaced by
 * fontconfig's nearest, silently drawing other photos. */
static GPtrArray *
list_font_families (GError **error)
{
  PangoFontMap *map = pango_cairo_font_map_get_default ();
  PangoFontFamily **families = NULL;
  int n_families = 0;
  g_autoptr(GHashTable) installed = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) missing = g_string_new (NULL);

  pango_font_map_list_families (map, &families, &n_families);
  for (int i = 0; i < n_families; i++)
    g_hash_table_add (installed, (gpointer) pango_font_family_get_name (families[i]));
  for (guint i = 0; i < G_N_ELEMENTS (shelf_font_families); i++)
    {
      if (g_hash_table_contains (installed, shelf_font_families[i]))
        g_ptr_array_add (names, g_strdup (shelf_font_families[i]));
      else
        g_string_append_printf (missing, "%s“%s”", missing->len > 0 ? ", " : "",
                                shelf_font_families[i]);
    }
  g_free (families);

  if (missing->len > 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "The font families %s are not installed, so the photos would differ from "
                   "every other machine's; run build-aux/install-deps.", missing->str);
      return NULL;
    }
  return g_steal_pointer (&names);
}

/* ---- planning --------------------------------------------------------------------------- */

static void
item_clear (Item *item)
{
  g_free (item->family);
}

static Item *
add_item (BiShelfGenerator *self,
          BiShelfPhoto     *photo,
          ItemKind          kind)
{
  GRand *rand = self->rand;
  Item item = { 0 };

  item.book = bi_shelf_book_pool_pick (self->pool, rand);
  item.kind = kind;
  pick_book_colours (rand, &item.background, &item.foreground);
  item.family = g_strdup (g_ptr_array_index (self->families,
                                             g_rand_int_range (rand, 0,
                                                               (gint32) self->families->len)));
  item.bold = chance (rand, 0.5);
  item.italic = chance (rand, 0.15);
  item.upper = chance (rand, 0.4);
  item.title_share = uniform (rand, 0.38, 0.55);
  g_array_append_val (photo->items, item);
  return &g_array_index (photo->items, Item, photo->items->len - 1);
}

/* A stack of books lying flat on the board, spines to the camera, at @x_right's left. */
static void
plan_stack (BiShelfGenerator *self,
            BiShelfPhoto     *photo,
            double            x_right,
            double            stack_width,
            double            board_y,
            double            row_height)
{
  GRand *rand = self->rand;
  int n_books = g_rand_int_range (rand, 2, 4);
  double y = board_y;

  for (int i = 0; i < n_books; i++)
    {
      Item *item = add_item (self, photo, ITEM_SPINE);

      item->width = stack_width * uniform (rand, 0.85, 1.0);
      item->height = row_height * uniform (rand, 0.08, 0.12);
      item->cx = x_right - stack_width / 2 + uniform (rand, -0.03, 0.03) * stack_width;
      item->cy = y - item->height / 2;
      item->turn = uniform (rand, -MAX_LEAN, MAX_LEAN) / 2;
      item->text_rotation = 0;
      y -= item->height + 1;
    }
}

static void
plan_shelf (BiShelfGenerator *self,
            BiShelfPhoto     *photo)
{
  GRand *rand = self->rand;
  int n_rows = photo->height >= 2400 ? 2 : 1;
  double row_height = (double) photo->height / n_rows;

  photo->wall = hsv_to_rgb (uniform (rand, 15, 40), uniform (rand, 0.2, 0.6),
                            uniform (rand, 0.1, 0.35));
  photo->board = hsv_to_rgb (uniform (rand, 20, 40), uniform (rand, 0.4, 0.7),
                             uniform (rand, 0.35, 0.6));

  for (int row = 0; row < n_rows; row++)
    {
      double board_height = row_height * 0.05;
      double board_y = row * row_height + row_height - board_height;
      double x = photo->width * uniform (rand, 0.01, 0.05);
      double right = photo->width * uniform (rand, 0.95, 0.99);
      double stack_width = 0;
      int max_books = g_rand_int_range (rand, 10, 25);
      Rect board = { 0, board_y, photo->width, board_height };

      g_array_append_val (photo->boards, board);
      if (chance (rand, 0.35))
        {
          stack_width = row_height * uniform (rand, 0.45, 0.6);
          right -= stack_width + photo->width * 0.01;
        }

      for (int n = 0; n < max_books; n++)
        {
          double width = row_height * uniform (rand, 0.075, 0.14);
          double height = (board_y - row * row_height) * uniform (rand, 0.68, 0.92);
          Item *item;

          if (x + width > right)
            break;
          item = add_item (self, photo, ITEM_SPINE);
          item->width = width;
          item->height = height;
          item->cx = x + width / 2;
          item->cy = board_y - height / 2;
          item->turn = uniform (rand, -MAX_LEAN, MAX_LEAN);
          /* Most English spines read top to bottom; many continental ones bottom to top. */
          item->text_rotation = chance (rand, 0.65) ? 90 : 270;
          x += width + width * uniform (rand, 0.0, 0.08);
        }

      if (stack_width > 0)
        plan_stack (self, photo, right + stack_width + photo->width * 0.01, stack_width,
                    board_y, row_height);
    }
}

static void
plan_covers (BiShelfGenerator *self,
             BiShelfPhoto     *photo)
{
  GRand *rand = self->rand;
  int n_covers = g_rand_int_range (rand, 1, 4);
  double height = photo->height * uniform (rand, 0.6, 0.78);
  double width = height / 1.5;
  double slot;

  photo->wall = hsv_to_rgb (uniform (rand, 0, 360), uniform (rand, 0.0, 0.3),
                            uniform (rand, 0.3, 0.8));
  photo->board = photo->wall;
  while (n_covers > 1 && n_covers * width * 1.15 > photo->width * 0.95)
    n_covers--;
  slot = (double) photo->width / n_covers;

  for (int i = 0; i < n_covers; i++)
    {
      Item *item = add_item (self, photo, ITEM_COVER);

      item->width = width;
      item->height = height;
      item->cx = slot * (i + 0.5) + uniform (rand, -0.04, 0.04) * slot;
      item->cy = photo->height / 2.0 + uniform (rand, -0.05, 0.05) * photo->height;
      item->turn = uniform (rand, -MAX_COVER_TURN, MAX_COVER_TURN);
      item->text_rotation = 0;
      item->title_share = uniform (rand, 0.08, 0.11);
    }
}

/* Roll, zoom-out and perspective: where the scene's corners land in the photo. The zoom-out
 * is the largest that keeps the rolled scene inside the photo; perspective then only moves
 * corners inwards, so no book is cut off. */
static void
plan_camera (GRand        *rand,
             BiShelfPhoto *photo)
{
  double w = photo->width, h = photo->height;
  double roll = chance (rand, 0.5) ? uniform (rand, -2, 2) : uniform (rand, -MAX_ROLL, MAX_ROLL);
  double c = cos (fabs (roll) * G_PI / 180), s = sin (fabs (roll) * G_PI / 180);
  double scale = MIN (1.0 / (c + h / w * s), 1.0 / (c + w / h * s)) * 0.98;
  const double unit[4][2] = { { -1, -1 }, { 1, -1 }, { 1, 1 }, { -1, 1 } };
  double perspective = uniform (rand, 0, MAX_PERSPECTIVE);
  double sr = sin (roll * G_PI / 180), cr = cos (roll * G_PI / 180);

  photo->roll = roll;
  photo->scale = scale;
  for (int i = 0; i < 4; i++)
    {
      double dx = unit[i][0] * w / 2 * scale, dy = unit[i][1] * h / 2 * scale;
      /* Each corner moves in by its own share of @perspective: a keystone, not a zoom. */
      double inwards = perspective * uniform (rand, 0.0, 1.0);

      dx *= 1.0 - inwards;
      dy *= 1.0 - inwards;
      photo->corners[2 * i] = w / 2 + dx * cr - dy * sr;
      photo->corners[2 * i + 1] = h / 2 + dx * sr + dy * cr;
    }

  photo->light_angle = uniform (rand, 0, 2 * G_PI);
  photo->light_depth = uniform (rand, 0.0, 0.55);
  photo->blur = g_rand_int_range (rand, 0, photo->width >= 3000 ? 3 : 2);
  photo->noise = uniform (rand, 0, 14);
  photo->jpeg_quality = g_rand_int_range (rand, 55, 93);
  photo->noise_seed = g_rand_int (rand);
}

BiShelfGenerator *
bi_shelf_generator_new (BiShelfBookPool  *pool,
                        guint32           seed,
                        GError          **error)
{
  BiShelfGenerator *self;
  GPtrArray *families;

  g_return_val_if_fail (pool != NULL && bi_shelf_book_pool_get_size (pool) > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  families = list_font_families (error);
  if (families == NULL)
    return NULL;
  self = g_new0 (BiShelfGenerator, 1);
  self->pool = pool;
  self->rand = g_rand_new_with_seed (seed);
  self->families = families;
  return self;
}

void
bi_shelf_generator_free (BiShelfGenerator *self)
{
  if (self == NULL)
    return;
  g_rand_free (self->rand);
  g_ptr_array_unref (self->families);
  g_free (self);
}

void
bi_shelf_generator_set_photo_size (BiShelfGenerator *self,
                                   int               width,
                                   int               height)
{
  g_return_if_fail (self != NULL && width >= 800 && height >= 600);

  self->width = width;
  self->height = height;
}

BiShelfPhoto *
bi_shelf_generator_next (BiShelfGenerator *self)
{
  static const int sizes[3][2] = { { 4000, 3000 }, { 2400, 1800 }, { 1600, 1200 } };
  guint index = self->next++;
  BiShelfPhoto *photo = g_new0 (BiShelfPhoto, 1);

  photo->name = g_strdup_printf ("photo-%02u.jpg", index + 1);
  photo->width = self->width > 0 ? self->width : sizes[index % 3][0];
  photo->height = self->height > 0 ? self->height : sizes[index % 3][1];
  photo->boards = g_array_new (FALSE, FALSE, sizeof (Rect));
  photo->items = g_array_new (FALSE, TRUE, sizeof (Item));
  g_array_set_clear_func (photo->items, (GDestroyNotify) item_clear);

  if (index % 5 == 4)
    plan_covers (self, photo);
  else
    plan_shelf (self, photo);
  plan_camera (self->rand, photo);
  return photo;
}

void
bi_shelf_photo_free (BiShelfPhoto *photo)
{
  if (photo == NULL)
    return;
  g_free (photo->name);
  g_array_unref (photo->boards);
  g_array_unref (photo->items);
  g_free (photo);
}

const char *
bi_shelf_photo_get_name (BiShelfPhoto *photo)
{
  return photo->name;
}

guint
bi_shelf_photo_get_n_books (BiShelfPhoto *photo)
{
  return photo->items->len;
}

void
bi_shelf_photo_get_size (BiShelfPhoto *photo,
                         int          *width,
                         int          *height)
{
  *width = photo->width;
  *height = photo->height;
}

/* ---- drawing the scene ------------------------------------------------------------------ */

static PangoLayout *
create_layout (cairo_t    *cr,
               const Item *item,
               const char *text,
               gboolean    title,
               double      pixels)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  g_autoptr(PangoFontDescription) font = pango_font_description_new ();
  g_autofree char *shown = item->upper && title ? g_utf8_strup (text, -1) : g_strdup (text);

  pango_font_description_set_family (font, item->family);
  pango_font_description_set_weight (font, title && item->bold ? PANGO_WEIGHT_BOLD
                                                               : PANGO_WEIGHT_NORMAL);
  pango_font_description_set_style (font, item->italic ? PANGO_STYLE_ITALIC
                                                       : PANGO_STYLE_NORMAL);
  pango_font_description_set_absolute_size (font, pixels * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, shown, -1);
  return layout;
}

/* One line of text, @pixels high but shrunk to fit @along, centred on (@along_offset, 0). */
static void
show_fitted_line (cairo_t    *cr,
                  const Item *item,
                  const char *text,
                  gboolean    title,
                  double      pixels,
                  double      along,
                  double      along_offset)
{
  g_autoptr(PangoLayout) layout = create_layout (cr, item, text, title, pixels);
  int width = 0, height = 0;

  pango_layout_get_pixel_size (layout, &width, &height);
  if (width > along && pixels > MIN_TEXT_PIXELS)
    {
      g_clear_object (&layout);
      pixels = MAX (MIN_TEXT_PIXELS, pixels * along / width);
      layout = create_layout (cr, item, text, title, pixels);
      pango_layout_get_pixel_size (layout, &width, &height);
    }
  cairo_move_to (cr, along_offset - width / 2.0, -height / 2.0);
  pango_cairo_show_layout (cr, layout);
}

/* A spine: title towards its start, author towards its end, along the text direction. */
static void
draw_spine_text (cairo_t    *cr,
                 const Item *item)
{
  gboolean along_height = item->text_rotation != 0;
  double along = along_height ? item->height : item->width;
  double across = along_height ? item->width : item->height;
  double pixels = across * item->title_share;
  const BiShelfBook *book = item->book;

  cairo_rotate (cr, item->text_rotation * G_PI / 180);
  set_source_rgb (cr, item->foreground);
  if (book->author == NULL)
    {
      show_fitted_line (cr, item, book->spine_title, TRUE, pixels, along * 0.85, 0);
      return;
    }
  show_fitted_line (cr, item, book->spine_title, TRUE, pixels, along * 0.6, -along * 0.17);
  show_fitted_line (cr, item, book->author, FALSE, pixels * 0.7, along * 0.27, along * 0.34);
}

/* A cover: the title wrapped across its upper half, the author below, the barcode label in
 * the bottom right corner. */
static gboolean
draw_cover_text (cairo_t     *cr,
                 const Item  *item,
                 GError     **error)
{
  const BiShelfBook *book = item->book;
  double pixels = item->width * item->title_share;
  g_autoptr(PangoLayout) title = create_layout (cr, item, book->spine_title, TRUE, pixels);

  set_source_rgb (cr, item->foreground);
  pango_layout_set_width (title, (int) (item->width * 0.8 * PANGO_SCALE));
  pango_layout_set_wrap (title, PANGO_WRAP_WORD);
  pango_layout_set_alignment (title, PANGO_ALIGN_CENTER);
  cairo_move_to (cr, -item->width * 0.4, -item->height * 0.3);
  pango_cairo_show_layout (cr, title);

  if (book->author != NULL)
    show_fitted_line (cr, item, book->author, FALSE, pixels * 0.6, item->width * 0.8, 0);
  cairo_translate (cr, 0, item->height * 0.12);

  if (book->isbn13 != NULL)
    {
      double label_width = item->width * 0.4;

      if (!bi_ean13_draw (cr, book->isbn13, item->width * 0.05, item->height * 0.2,
                          label_width, label_width * 0.5, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
draw_item (cairo_t     *cr,
           const Item  *item,
           GError     **error)
{
  gboolean ok = TRUE;

  cairo_save (cr);
  cairo_translate (cr, item->cx, item->cy);
  cairo_rotate (cr, item->turn * G_PI / 180);

  set_source_rgb (cr, item->background);
  cairo_rectangle (cr, -item->width / 2, -item->height / 2, item->width, item->height);
  cairo_fill_preserve (cr);
  /* A darker edge: where one book ends and the next begins. */
  cairo_set_source_rgba (cr, 0, 0, 0, 0.35);
  cairo_set_line_width (cr, MAX (2.0, item->width * 0.012));
  cairo_stroke (cr);

  if (item->kind == ITEM_SPINE)
    draw_spine_text (cr, item);
  else
    ok = draw_cover_text (cr, item, error);
  cairo_restore (cr);
  return ok;
}

/* Light falling off towards one side, as under a lamp or beside a window. */
static void
draw_lighting (cairo_t            *cr,
               const BiShelfPhoto *photo)
{
  double cx = photo->width / 2.0, cy = photo->height / 2.0;
  double reach = MAX (photo->width, photo->height) / 2.0;
  double dx = cos (photo->light_angle) * reach, dy = sin (photo->light_angle) * reach;
  g_autoptr(cairo_pattern_t) gradient = cairo_pattern_create_linear (cx - dx, cy - dy,
                                                                      cx + dx, cy + dy);

  cairo_pattern_add_color_stop_rgba (gradient, 0, 1, 1, 0.95, photo->light_depth * 0.2);
  cairo_pattern_add_color_stop_rgba (gradient, 1, 0, 0, 0.02, photo->light_depth);
  cairo_set_source (cr, gradient);
  cairo_paint (cr);
}

static cairo_surface_t *
draw_scene (const BiShelfPhoto  *photo,
            GError             **error)
{
  g_autoptr(cairo_surface_t) surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24,
                                                                   photo->width,
                                                                   photo->height);
  g_autoptr(cairo_t) cr = NULL;

  if (cairo_surface_status (surface) != CAIRO_STATUS_SUCCESS)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NO_SPACE,
                   "Could not make a %d × %d picture for %s: %s", photo->width, photo->height,
                   photo->name, cairo_status_to_string (cairo_surface_status (surface)));
      return NULL;
    }

  cr = cairo_create (surface);
  set_source_rgb (cr, photo->wall);
  cairo_paint (cr);
  set_source_rgb (cr, photo->board);
  for (guint i = 0; i < photo->boards->len; i++)
    {
      const Rect *board = &g_array_index (photo->boards, Rect, i);

      cairo_rectangle (cr, board->x, board->y, board->width, board->height);
    }
  cairo_fill (cr);

  for (guint i = 0; i < photo->items->len; i++)
    if (!draw_item (cr, &g_array_index (photo->items, Item, i), error))
      {
        g_prefix_error (error, "Could not draw %s: ", photo->name);
        return NULL;
      }

  draw_lighting (cr, photo);
  cairo_surface_flush (surface);
  return g_steal_pointer (&surface);
}

/* ---- the camera ------------------------------------------------------------------------- */

static PTA *
corners_pta (const double *xy)
{
  PTA *pta = ptaCreate (4);

  for (int i = 0; i < 4; i++)
    ptaAddPt (pta, (float) xy[2 * i], (float) xy[2 * i + 1]);
  return pta;
}

static void
scene_corners (const BiShelfPhoto *photo,
               double             *xy)
{
  const double corners[8] = { 0, 0, photo->width, 0, photo->width, photo->height,
                              0, photo->height };

  memcpy (xy, corners, sizeof corners);
}

/* Leptonica keeps 32 bpp pixels as 0xRRGGBBxx words; cairo's RGB24 as 0x00RRGGBB. */
static PIX *
pix_from_surface (cairo_surface_t *surface)
{
  int width = cairo_image_surface_get_width (surface);
  int height = cairo_image_surface_get_height (surface);
  int stride = cairo_image_surface_get_stride (surface);
  const guint8 *data = cairo_image_surface_get_data (surface);
  PIX *pix = pixCreate (width, height, 32);

  if (pix == NULL)
    return NULL;
  for (int y = 0; y < height; y++)
    {
      const guint32 *row = (const guint32 *) (const void *) (data + (gsize) y * stride);
      l_uint32 *line = pixGetData (pix) + (gsize) y * pixGetWpl (pix);

      for (int x = 0; x < width; x++)
        line[x] = row[x] << 8;
    }
  return pix;
}

/* Sensor noise: the same offset on the three channels (luminance noise, the kind that shows),
 * triangular between −@amplitude and +@amplitude. */
static void
add_noise (PIX     *pix,
           double   amplitude,
           guint32  seed)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  int width = pixGetWidth (pix), height = pixGetHeight (pix);

  if (amplitude < 0.5)
    return;
  for (int y = 0; y < height; y++)
    {
      l_uint32 *line = pixGetData (pix) + (gsize) y * pixGetWpl (pix);

      for (int x = 0; x < width; x++)
        {
          guint32 r = g_rand_int (rand);
          int offset = (int) (((int) (r & 0xff) + (int) ((r >> 8) & 0xff) - 255)
                              * amplitude / 255.0);
          l_uint32 pixel = line[x];
          int channels[3] = { (pixel >> 24) & 0xff, (pixel >> 16) & 0xff, (pixel >> 8) & 0xff };

          for (int c = 0; c < 3; c++)
            channels[c] = CLAMP (channels[c] + offset, 0, 255);
          line[x] = ((l_uint32) channels[0] << 24) | ((l_uint32) channels[1] << 16)
                    | ((l_uint32) channels[2] << 8);
        }
    }
}

/* Where @item's face is in the photo: the box around its four corners after the camera's
 * transform @coefficients (scene → photo), clipped to the photo. */
static void
item_photo_box (const BiShelfPhoto *photo,
                const Item         *item,
                const float        *coefficients,
                BiShelfTruth       *truth)
{
  double turn = item->turn * G_PI / 180;
  double min_x = G_MAXDOUBLE, min_y = G_MAXDOUBLE, max_x = -G_MAXDOUBLE, max_y = -G_MAXDOUBLE;
  const double unit[4][2] = { { -1, -1 }, { 1, -1 }, { 1, 1 }, { -1, 1 } };

  for (int i = 0; i < 4; i++)
    {
      double dx = unit[i][0] * item->width / 2, dy = unit[i][1] * item->height / 2;
      double x = item->cx + dx * cos (turn) - dy * sin (turn);
      double y = item->cy + dx * sin (turn) + dy * cos (turn);
      const float *c = coefficients;
      double denominator = c[6] * x + c[7] * y + 1.0;
      double px = (c[0] * x + c[1] * y + c[2]) / denominator;
      double py = (c[3] * x + c[4] * y + c[5]) / denominator;

      min_x = MIN (min_x, px);
      min_y = MIN (min_y, py);
      max_x = MAX (max_x, px);
      max_y = MAX (max_y, py);
    }

  min_x = CLAMP (min_x, 0, photo->width);
  max_x = CLAMP (max_x, 0, photo->width);
  min_y = CLAMP (min_y, 0, photo->height);
  max_y = CLAMP (max_y, 0, photo->height);
  truth->x = (int) floor (min_x);
  truth->y = (int) floor (min_y);
  truth->width = (int) ceil (max_x) - truth->x;
  truth->height = (int) ceil (max_y) - truth->y;
}

static GPtrArray *
truth_new (const BiShelfPhoto *photo,
           const float        *coefficients)
{
  GPtrArray *truth = g_ptr_array_new_with_free_func ((GDestroyNotify) bi_shelf_truth_free);

  for (guint i = 0; i < photo->items->len; i++)
    {
      const Item *item = &g_array_index (photo->items, Item, i);
      BiShelfTruth *row = g_new0 (BiShelfTruth, 1);

      row->title = g_strdup (item->book->title);
      row->author = g_strdup (item->book->author);
      row->isbn13 = g_strdup (item->book->isbn13);
      item_photo_box (photo, item, coefficients, row);
      g_ptr_array_add (truth, row);
    }
  return truth;
}

static void
free_leptonica (gpointer data)
{
  lept_free (data);
}

GBytes *
bi_shelf_photo_render (BiShelfPhoto  *photo,
                       GPtrArray    **truth,
                       GError       **error)
{
  g_autoptr(cairo_surface_t) scene = NULL;
  double source_xy[8];
  PTA *source = NULL, *target = NULL;
  PIX *pix = NULL, *warped = NULL;
  float *coefficients = NULL;
  l_uint8 *jpeg = NULL;
  size_t jpeg_size = 0;
  GBytes *bytes = NULL;

  g_return_val_if_fail (photo != NULL, NULL);

  scene = draw_scene (photo, error);
  if (scene == NULL)
    return NULL;

  scene_corners (photo, source_xy);
  source = corners_pta (source_xy);
  target = corners_pta (photo->corners);
  pix = pix_from_surface (scene);
  g_clear_pointer (&scene, cairo_surface_destroy);
  if (pix == NULL
      || getProjectiveXformCoeffs (source, target, &coefficients) != 0
      || (warped = pixProjectivePtaColor (pix, target, source, photo->wall << 8)) == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "Leptonica could not apply the camera's transform to %s.", photo->name);
      goto out;
    }
  pixDestroy (&pix);

  if (photo->blur > 0)
    {
      pix = pixBlockconv (warped, photo->blur, photo->blur);
      if (pix == NULL)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                       "Leptonica could not blur %s.", photo->name);
          goto out;
        }
      pixDestroy (&warped);
      warped = g_steal_pointer (&pix);
    }
  add_noise (warped, photo->noise, photo->noise_seed);

  if (pixWriteMemJpeg (&jpeg, &jpeg_size, warped, photo->jpeg_quality, 0) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "Leptonica could not encode %s as a JPEG.", photo->name);
      goto out;
    }
  bytes = g_bytes_new_with_free_func (jpeg, jpeg_size, free_leptonica, jpeg);
  if (truth != NULL)
    *truth = truth_new (photo, coefficients);

out:
  ptaDestroy (&source);
  ptaDestroy (&target);
  pixDestroy (&pix);
  pixDestroy (&warped);
  lept_free (coefficients);
  return bytes;
}

/* ---- ground truth ----------------------------------------------------------------------- */

void
bi_shelf_truth_free (BiShelfTruth *truth)
{
  if (truth == NULL)
    return;
  g_free (truth->title);
  g_free (truth->author);
  g_free (truth->isbn13);
  g_free (truth);
}

const char *
bi_shelf_truth_tsv_header (void)
{
  return "file\tn\ttitle\tauthor\tisbn13\tbbox\n";
}

/* A field on one TSV line: tabs and line breaks would start another column or row. */
static char *
tsv_field (const char *text)
{
  char *field = g_strdup (text != NULL ? text : "");

  g_strdelimit (field, "\t\r\n", ' ');
  return field;
}

char *
bi_shelf_truth_to_tsv_line (const BiShelfTruth *truth,
                            const char         *file,
                            guint               n)
{
  g_autofree char *title = tsv_field (truth->title);
  g_autofree char *author = tsv_field (truth->author);

  return g_strdup_printf ("%s\t%u\t%s\t%s\t%s\t%d,%d,%d,%d\n", file, n, title, author,
                          truth->isbn13 != NULL ? truth->isbn13 : "", truth->x, truth->y,
                          truth->width, truth->height);
}
