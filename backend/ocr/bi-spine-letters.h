/* bi-spine-letters.h — whether a spine's picture shows letters
 *
 * A spine whose letters the page threshold separated can still read nothing: small or light
 * type on a dark spine, a thin serif title, read at the sideways passes' scale. Reading every
 * such spine again doubled the time of the re-reads; counting the blots of ink the size of a
 * letter on it tells a spine with a title from a plain one or a sliver of wall, for far less.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <leptonica/allheaders.h>

G_BEGIN_DECLS

/* The number of blots of @strip's ink (8 bpp, a standing spine cut out and straightened, its
 * text running along its height) whose size is a letter's, measured against the strip's width:
 * the tail of levels farther from its background, split from it halfway, on the rows that lie
 * on the book and away from its sides. 0 when it holds too little contrast to be text. */
guint bi_spine_letters_count (PIX *strip);

G_END_DECLS
