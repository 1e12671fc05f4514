/* bi-ean13.h — EAN-13 barcodes (the ISBN-13 on a book's back cover), encoded and drawn
 *
 * Written from the symbology (ISO/IEC 15420): a start guard, six digits in L or G code as the
 * first digit chooses, a centre guard, six digits in R code, an end guard; 95 modules in all.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <cairo.h>
#include <glib.h>

G_BEGIN_DECLS

#define BI_EAN13_MODULES       95
/* Quiet zones the symbology asks for on each side, in modules. */
#define BI_EAN13_QUIET_LEFT    11
#define BI_EAN13_QUIET_RIGHT   7

/* The 95 modules of @digits as a string of '1' (bar) and '0' (space), or NULL with an error
 * (G_IO_ERROR_INVALID_ARGUMENT) unless @digits is 13 digits with a correct check digit. */
char     *bi_ean13_encode (const char  *digits,
                           GError     **error);

/* Draws the symbol of @digits, with its quiet zones on white and the digits printed under
 * the bars, in the rectangle (@x, @y, @width, @height) of @cr's user space. FALSE with an
 * error, drawing nothing, for digits that are not an EAN-13. */
gboolean  bi_ean13_draw   (cairo_t     *cr,
                           const char  *digits,
                           double       x,
                           double       y,
                           double       width,
                           double       height,
                           GError     **error);

G_END_DECLS
