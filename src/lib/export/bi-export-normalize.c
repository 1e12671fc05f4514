/* bi-export-normalize.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-export-normalize"

#include "bi-export-normalize.h"

#include <string.h>

/* Articles that start titles in the languages of our catalogs (English, Spanish, Catalan,
 * French, German, Italian), after bi_export_normalize_text() (so "L'" is "l"). */
static const char *const leading_articles[] = {
  "the", "a", "an",
  "el", "la", "los", "las", "lo", "un", "una", "unos", "unas", "els", "les", "l",
  "le", "une", "des",
  "der", "die", "das", "ein", "eine",
  "il", "gli", "i", "uno",
  NULL,
};

char *
bi_export_normalize_text (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text != NULL ? text : "", -1);
  /* Decomposed, so an accent is a separate mark that we can drop: "é" → "e" + U+0301;
   * composed again at the end so that kept marks compare equal however they were typed. */
  g_autofree char *decomposed = g_utf8_normalize (valid, -1, G_NORMALIZE_NFKD);
  g_autofree char *folded = g_utf8_casefold (decomposed, -1);
  g_autoptr(GString) key = g_string_new (NULL);
  gboolean pending_space = FALSE;
  gboolean base_is_latin = FALSE;

  for (const char *p = folded; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      GUnicodeType type = g_unichar_type (c);

      /* Accents on Latin letters are spelling variants ("Misérables", "Miserables"); marks
       * in other scripts make other letters ("й" is not "и", "が" is not "か"): kept. */
      if (type == G_UNICODE_NON_SPACING_MARK || type == G_UNICODE_SPACING_MARK
          || type == G_UNICODE_ENCLOSING_MARK)
        {
          if (!base_is_latin)
            g_string_append_unichar (key, c);
          continue;
        }
      base_is_latin = g_unichar_get_script (c) == G_UNICODE_SCRIPT_LATIN;
      if (!g_unichar_isalnum (c))
        {
          pending_space = key->len > 0;
          continue;
        }
      if (pending_space)
        g_string_append_c (key, ' ');
      pending_space = FALSE;
      g_string_append_unichar (key, c);
    }

  return g_utf8_normalize (key->str, -1, G_NORMALIZE_NFC);
}

/* A trailing "(…)" or "[…]" holding a number: a series and its volume, not the title. */
static gsize
length_without_series (const char *title)
{
  gsize length = strlen (title);
  const char *open;
  char close;

  while (length > 0 && g_ascii_isspace (title[length - 1]))
    length--;
  if (length == 0)
    return 0;

  close = title[length - 1];
  if (close != ')' && close != ']')
    return length;

  open = g_strrstr_len (title, (gssize) length, close == ')' ? "(" : "[");
  if (open == NULL || open == title)
    return length;

  for (const char *p = open; p < title + length; p++)
    {
      if (g_ascii_isdigit (*p) || *p == '#')
        return (gsize) (open - title);
    }
  return length;
}

char *
bi_export_normalize_title (const char *title)
{
  g_autofree char *without_series = NULL;
  g_autofree char *key = NULL;
  const char *space;

  g_return_val_if_fail (title != NULL, NULL);

  without_series = g_strndup (title, length_without_series (title));
  key = bi_export_normalize_text (without_series);

  /* Drop one leading article, unless it is the whole title ("A" is a title). */
  space = strchr (key, ' ');
  if (space != NULL)
    {
      g_autofree char *first_word = g_strndup (key, (gsize) (space - key));

      if (g_strv_contains (leading_articles, first_word))
        return g_strdup (space + 1);
    }

  return g_steal_pointer (&key);
}

void
bi_export_split_name (const char  *name,
                      char       **family,
                      char       **given)
{
  /* One space between words, none at the ends: then words split cleanly. */
  g_autofree char *trimmed = bi_export_text_one_line (name);
  const char *comma = strchr (trimmed, ',');
  g_auto(GStrv) words = NULL;
  guint n_words;
  guint first_family;

  g_return_if_fail (family != NULL && given != NULL);

  /* "Family, Given" is how catalogs and BibTeX write names when the order matters. */
  if (comma != NULL)
    {
      *family = g_strstrip (g_strndup (trimmed, (gsize) (comma - trimmed)));
      *given = g_strstrip (g_strdup (comma + 1));
      return;
    }

  words = g_strsplit (trimmed, " ", -1);
  n_words = g_strv_length (words);
  if (n_words <= 1)
    {
      *family = g_steal_pointer (&trimmed);
      *given = g_strdup ("");
      return;
    }

  /* The family name is the last word, and the lower-case particles before it ("Simone de
   * Beauvoir" → "de Beauvoir"); the first word is always a given name. */
  first_family = n_words - 1;
  for (guint i = 1; i < n_words - 1; i++)
    {
      if (g_unichar_islower (g_utf8_get_char (words[i])))
        {
          first_family = i;
          break;
        }
    }

  *family = g_strjoinv (" ", words + first_family);
  g_free (words[first_family]);
  words[first_family] = NULL;
  *given = g_strjoinv (" ", words);
  /* Put back a string so g_strfreev() frees every word. */
  words[first_family] = g_strdup ("");
}

char *
bi_export_normalize_surname (const char *name)
{
  g_autofree char *family = NULL;
  g_autofree char *given = NULL;

  bi_export_split_name (name, &family, &given);
  return bi_export_normalize_text (family);
}

char *
bi_export_text_one_line (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text != NULL ? text : "", -1);
  GString *line = g_string_new (NULL);
  gboolean pending_space = FALSE;

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c) || g_unichar_isspace (c))
        {
          pending_space = line->len > 0;
          continue;
        }
      if (pending_space)
        g_string_append_c (line, ' ');
      pending_space = FALSE;
      g_string_append_unichar (line, c);
    }

  return g_string_free (line, FALSE);
}
