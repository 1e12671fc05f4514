/* bi-title-normalize.c — titles and spine texts in the one form they are compared in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-title-normalize"

#include "bi-title-normalize.h"
#include "bi-search-text.h"

#include <string.h>

/* Leading articles, already folded as bi_search_text_normalize() folds them. Elided ones
 * ("l'", "d'") are matched on the text before folding, which drops the apostrophe. */
static const char * const leading_articles[] = {
  "the", "a", "an",                         /* en */
  "el", "la", "los", "las", "un", "una",    /* es */
  "els", "les", "uns", "unes",              /* ca ("el", "la", "un", "una" as es) */
  "der", "die", "das", "ein", "eine",       /* de */
  "le", "une",                              /* fr ("la", "les", "un" as above) */
  NULL,
};

/* A final "( … )" that names a series: "(Discworld, #4)", "(Dune Chronicles #1)". Returns
 * where it starts, or the end of @title. */
static gsize
series_note_start (const char *title)
{
  gsize length = strlen (title);
  const char *open;

  while (length > 0 && g_ascii_isspace (title[length - 1]))
    length--;
  if (length == 0 || title[length - 1] != ')')
    return strlen (title);
  open = g_strrstr_len (title, (gssize) length, "(");
  if (open == NULL || memchr (open, '#', (gsize) (title + length - open)) == NULL)
    return strlen (title);
  return (gsize) (open - title);
}

/* "l'", "L’", "d'" at the start: an elided article. */
static gsize
elided_article_length (const char *text)
{
  const char *p = text;

  while (g_ascii_isspace (*p))
    p++;
  if (strchr ("lLdD", p[0]) == NULL || p[0] == '\0')
    return 0;
  if (p[1] == '\'')
    return (gsize) (p + 2 - text);
  if (g_str_has_prefix (p + 1, "\xe2\x80\x99")) /* ’ */
    return (gsize) (p + 4 - text);
  return 0;
}

static char *
normalize (const char *text,
           gsize       length,
           gboolean    drop_article)
{
  g_autofree char *valid = g_utf8_make_valid (text, (gssize) length);
  const char *start = valid;
  g_autofree char *folded = NULL;
  const char *space;

  if (drop_article)
    start += elided_article_length (valid);
  folded = bi_search_text_normalize (start);
  if (!drop_article || (space = strchr (folded, ' ')) == NULL)
    return g_steal_pointer (&folded);

  /* Keep a title that is nothing but an article-like word ("La", "Un") whole. */
  {
    g_autofree char *first = g_strndup (folded, (gsize) (space - folded));

    if (g_strv_contains (leading_articles, first))
      return g_strdup (space + 1);
  }
  return g_steal_pointer (&folded);
}

char *
bi_title_normalize (const char *title)
{
  g_return_val_if_fail (title != NULL, NULL);

  return normalize (title, series_note_start (title), TRUE);
}

char *
bi_title_normalize_main (const char *title)
{
  gsize length;
  const char *colon;

  g_return_val_if_fail (title != NULL, NULL);

  length = series_note_start (title);
  colon = memchr (title, ':', length);
  if (colon == NULL)
    return NULL;
  return normalize (title, (gsize) (colon - title), TRUE);
}

char *
bi_title_normalize_text (const char *text)
{
  g_return_val_if_fail (text != NULL, NULL);

  return normalize (text, strlen (text), FALSE);
}
