/* bi-test-export-books.h — books whose titles test every export format's escaping
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bi-export-book.h"

G_BEGIN_DECLS

/* NULL-terminated: quotes, commas, braces, ampersands, %, #, _, $, backslashes, non-Latin
 * scripts. Book i of bi_test_export_books_new() has title i. */
extern const char *const bi_test_export_titles[];

/* One book per title, each with an author, most with a year, every other one with an
 * ISBN-13, seen on "shelf.jpg" at position i. */
GPtrArray *bi_test_export_books_new (void);

/* Same as @title with typographic quotes made straight: CSL processors (pandoc's citeproc)
 * turn straight quotes into typographic ones by the CSL rules; the text is otherwise kept. */
char      *bi_test_export_straight_quotes (const char *title);

G_END_DECLS
