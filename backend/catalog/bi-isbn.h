/* bi-isbn.h — ISBN checksums, and the ISBN-13 of what catalogs write in an ISBN column
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* TRUE when @isbn13 is exactly 13 digits with a correct check digit. */
gboolean  bi_isbn13_is_valid  (const char *isbn13);

/* TRUE when @isbn10 is exactly 9 digits and a check digit (0–9 or X) that is correct. */
gboolean  bi_isbn10_is_valid  (const char *isbn10);

/* The valid ISBN-13 that @text starts with, or NULL. @text may be an ISBN-13 or ISBN-10
 * (converted to its 978 ISBN-13), with hyphens, surrounded by blanks and followed by a note
 * such as "9788460843535 (o. c.)". A wrong check digit gives NULL: a catalog row with a
 * mistyped ISBN is still a book, but its ISBN must not be trusted. */
char     *bi_isbn_to_isbn13   (const char *text);

G_END_DECLS
