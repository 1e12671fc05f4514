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

#include "bi-spine-contrast.h"

G_BEGIN_DECLS

/* The number of blots of @strip's ink (8 bpp, a standing spine cut out and straightened, its
 * text running along its height) whose size is a letter's, measured against the strip's width:
 * the tail of levels farther from its background, split from it halfway, on the rows that lie
 * on the book and away from its sides. 0 when it holds too little contrast to be text. */
guint bi_spine_letters_count (PIX *strip);

/* The same, counting the blots of the tail @ink (BI_SPINE_INK_FARTHER: as
 * bi_spine_letters_count). */
guint bi_spine_letters_count_towards (PIX        *strip,
                                      BiSpineInk  ink);

/* Which tail of @strip's levels is its text: the one whose blots the size of a letter clearly
 * outnumber the other's (BI_SPINE_INK_DARK or BI_SPINE_INK_LIGHT), else BI_SPINE_INK_FARTHER.
 * A spine's farther tail is not always its text: a dark gap or a neighbour's dark edge beside
 * white letters on a mid-grey spine lies farther from its background than the letters do.
 * BI_SPINE_INK_BOTH when that tail is the nearer one and the farther one makes some letters
 * too: a title printed in two colours. @letters (nullable) is set to the number of blots of
 * the tail that makes the letters, or of the farther one. */
BiSpineInk bi_spine_letters_ink (PIX   *strip,
                                 guint *letters);

G_END_DECLS
