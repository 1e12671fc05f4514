/* bi-titles-read.h — the "titles read" metric of docs/ocr.md, shared by the measuring tools
 *
 * A ground-truth title counts as read when one of its words of four letters or more appears
 * in the photo's OCR text. tests/ocr/ocr-photos.c and tests/matching/match-ocr-dump.c both
 * count it, and must count it the same way.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Whether a word of four letters or more of @folded_title is in @folded_text; both are
 * case-folded by the caller (g_utf8_casefold()). */
gboolean bi_title_is_read (const char *folded_title,
                           const char *folded_text);

G_END_DECLS
