/* bi-title-normalize.h — the form in which a spine's text and a catalog title are compared
 *
 * Built on the catalog's search text (bi-search-text.h: lower case, accents and apostrophes
 * folded, punctuation a separator), plus what only matters for titles: a series note at the
 * end ("(Discworld, #4)", "(Dune Chronicles #1)") is dropped, and so is a leading article of
 * English, Spanish, Catalan, German or French ("The", "La", "Els", "Die", "L'"), because
 * spines and catalogs disagree about both. The subtitle (after ":") is kept in the full form;
 * the main form without it is an alternative, because spines often show only the main title.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The full title normalised: "The Hunger Games (The Hunger Games, #1)" → "hunger games".
 * Returns a possibly empty string; @title may be any bytes. */
char *bi_title_normalize       (const char *title);

/* The main title normalised, without the subtitle after the first ":" — or NULL when the
 * title has no subtitle: "Remando como un solo hombre : la historia…" → "remando como un
 * solo hombre". */
char *bi_title_normalize_main  (const char *title);

/* Normalised text with the leading article kept: for spine texts, where a first word is
 * as likely an author's as an article. */
char *bi_title_normalize_text  (const char *text);

G_END_DECLS
