/* bi-ean13.c — EAN-13 barcodes, encoded and drawn
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-ean13"

#include "bi-ean13.h"

#include <gio/gio.h>
#include <pango/pangocairo.h>
#include <string.h>

/* L code of each digit; R is its complement, G its R code read backwards. */
static const char *const l_codes[10] = {
  "0001101", "0011001", "0010011", "0111101", "0100011",
  "0110001", "0101111", "0111011", "0110111", "0001011",
};

/* Which of digits 2–7 are in G code, chosen by the first digit (which has no bars of its
 * own: it is read from this pattern). */
static const char *const parities[10] = {
  "LLLLLL", "LLGLGG", "LLGGLG", "LLGGGL", "LGLLGG",
  "LGGLLG", "LGGGLL", "LGLGLG", "LGLGGL", "LGGLGL",
};

static gboolean
is_valid_ean13 (const char *digits)
{
  int sum = 0;

  if (digits == NULL || strlen (digits) != 13)
    return FALSE;
  for (int i = 0; i < 13; i++)
    if (!g_ascii_isdigit (digits[i]))
      return FALSE;
  for (int i = 0; i < 12; i++)
    sum += (digits[i] - '0') * (i % 2 == 0 ? 1 : 3);
  return (10 - sum % 10) % 10 == digits[12] - '0';
}

static void
append_digit (GString *modules,
              int      digit,
              char     code)
{
  const char *l = l_codes[digit];
  char coded[8] = { 0 };

  for (int i = 0; i < 7; i++)
    {
      char r = l[i] == '1' ? '0' : '1';

      if (code == 'L')
        coded[i] = l[i];
      else if (code == 'R')
        coded[i] = r;
      else /* G: the R code reversed */
        coded[6 - i] = r;
    }
  g_string_append (modules, coded);
}

char *
bi_ean13_encode (const char  *digits,
                 GError     **error)
{
  GString *modules;
  const char *parity;

  if (!is_valid_ean13 (digits))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   "“%s” is not an EAN-13: it needs 13 digits with a correct check digit.",
                   digits != NULL ? digits : "(null)");
      return NULL;
    }

  modules = g_string_sized_new (BI_EAN13_MODULES + 1);
  parity = parities[digits[0] - '0'];
  g_string_append (modules, "101");
  for (int i = 1; i <= 6; i++)
    append_digit (modules, digits[i] - '0', parity[i - 1]);
  g_string_append (modules, "01010");
  for (int i = 7; i <= 12; i++)
    append_digit (modules, digits[i] - '0', 'R');
  g_string_append (modules, "101");

  g_assert (modules->len == BI_EAN13_MODULES);
  return g_string_free (modules, FALSE);
}

/* @text in monospace, @pixels high, its top left corner at (@x, @y). */
static void
show_digits (cairo_t    *cr,
             const char *text,
             double      x,
             double      y,
             double      pixels)
{
  g_autoptr(PangoLayout) layout = pango_cairo_create_layout (cr);
  g_autoptr(PangoFontDescription) font = pango_font_description_from_string ("DejaVu Sans Mono");

  pango_font_description_set_absolute_size (font, pixels * PANGO_SCALE);
  pango_layout_set_font_description (layout, font);
  pango_layout_set_text (layout, text, -1);
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

gboolean
bi_ean13_draw (cairo_t     *cr,
               const char  *digits,
               double       x,
               double       y,
               double       width,
               double       height,
               GError     **error)
{
  g_autofree char *modules = bi_ean13_encode (digits, error);
  int total = BI_EAN13_QUIET_LEFT + BI_EAN13_MODULES + BI_EAN13_QUIET_RIGHT;
  double module, bars_top, bars_height, text_pixels, left;
  char half[7] = { 0 };

  if (modules == NULL)
    return FALSE;

  module = width / total;
  text_pixels = MIN (module * 9.0, height * 0.2);
  bars_top = y + height * 0.04;
  bars_height = height * 0.96 - text_pixels * 1.2;
  left = x + BI_EAN13_QUIET_LEFT * module;

  cairo_save (cr);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, x, y, width, height);
  cairo_fill (cr);

  cairo_set_source_rgb (cr, 0, 0, 0);
  for (int i = 0; i < BI_EAN13_MODULES; i++)
    {
      /* Guard bars reach down between the digits, as printed symbols have them. */
      gboolean guard = i < 3 || (i >= 45 && i < 50) || i >= 92;

      if (modules[i] != '1')
        continue;
      cairo_rectangle (cr, left + i * module, bars_top, module,
                       bars_height + (guard ? text_pixels * 0.6 : 0));
    }
  cairo_fill (cr);

  half[0] = digits[0];
  show_digits (cr, half, x + module * 2, bars_top + bars_height, text_pixels);
  memcpy (half, digits + 1, 6);
  show_digits (cr, half, left + module * 7, bars_top + bars_height, text_pixels);
  memcpy (half, digits + 7, 6);
  show_digits (cr, half, left + module * 52, bars_top + bars_height, text_pixels);
  cairo_restore (cr);
  return TRUE;
}
