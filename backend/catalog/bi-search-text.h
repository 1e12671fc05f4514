/* bi-search-text.h — the one normal form that catalog rows and OCR queries are compared in
 *
 * Lower case, accents folded (é → e, ß → ss, ø → o), apostrophes dropped (so "Sorcerer's"
 * and "Sorcerers" agree), every other non-alphanumeric character a separator, single spaces
 * between words. Letters of scripts without an ASCII form are kept as they are.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @text may be any bytes: invalid UTF-8 is repaired first. */
char *bi_search_text_normalize (const char *text);

G_END_DECLS
