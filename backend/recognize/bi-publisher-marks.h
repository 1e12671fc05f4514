/* bi-publisher-marks.h — publishers' and imprints' names printed on spines
 *
 * A spine's foot carries the publisher ("PENGUIN", "Anagrama", "Edicions 62", "dtv"); read
 * with the title it turns "Dune" into a search for "Dune Penguin". A list of common
 * publishers and imprints of English, Spanish, Catalan, German and French books.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @text (cleaned OCR text, words separated by single blanks) without the publisher names at
 * its start and end, repeatedly ("Vintage Classics Dune Penguin Books" → "Dune"). Names
 * inside the text stay: "The Penguin Lessons" is a title. Returns a possibly empty string. */
char     *bi_publisher_marks_strip     (const char *text);

/* TRUE when @text is nothing but publisher names. */
gboolean  bi_publisher_marks_is_only   (const char *text);

G_END_DECLS
