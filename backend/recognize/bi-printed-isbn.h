/* bi-printed-isbn.h — an ISBN printed on a spine or cover, found in its OCR text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The first checksum-valid ISBN in @text, as an ISBN-13 (an ISBN-10 is converted), or NULL.
 * Digits may be grouped by hyphens or blanks ("ISBN 978-84-339-7123-4", "84 339 7123 X").
 * After the word "ISBN" the letters OCR reads for digits (O for 0, l and I for 1) count as
 * digits too. A run with a wrong check digit is no ISBN: OCR misread a digit. */
char *bi_printed_isbn_find (const char *text);

G_END_DECLS
