/* bi-ocr-text.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-ocr-text"

#include "bi-ocr-text.h"

#include <string.h>

/* Punctuation that belongs in titles and names; every other symbol is OCR noise. */
static const char title_punctuation[] = ".,:;!?'\"()-&/";

/* Words that are common in titles and never part of a person's name. */
static const char * const title_words[] = {
  "the", "of", "and", "a", "an", "to", "in", "on", "for", "with", "from", "how", "what",
  "el", "la", "los", "las", "un", "una", "por", "para", "con",
  "les", "des", "et", "der", "die", "das", "und", "il",
  NULL,
};

/* Lower-case words allowed inside a name ("Ludwig van Beethoven", "Estivill i Rius"). */
static const char * const name_particles[] = {
  "de", "del", "della", "da", "di", "du", "van", "von", "der", "den", "le", "i", "y", "bin",
  NULL,
};

static gboolean
is_kept_char (gunichar c)
{
  GUnicodeType type = g_unichar_type (c);

  if (g_unichar_isalnum (c) || type == G_UNICODE_NON_SPACING_MARK ||
      type == G_UNICODE_SPACING_MARK)
    return TRUE;
  if (c == 0x2019 || c == 0x00A1 || c == 0x00BF) /* ’ ¡ ¿ */
    return TRUE;
  return c < 0x80 && strchr (title_punctuation, (int) c) != NULL;
}

static gboolean
has_alnum (const char *word)
{
  for (const char *p = word; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_isalnum (g_utf8_get_char (p)))
      return TRUE;
  return FALSE;
}

/* Strips punctuation that cannot start or end a word; a final '.' (initials), '!', '?'
 * and closing brackets or quotes stay. */
static void
trim_word (GString *word)
{
  while (word->len > 0 && strchr (".,:;!?-&/)", word->str[0]) != NULL)
    g_string_erase (word, 0, 1);
  while (word->len > 0 && strchr (",:;-&/(", word->str[word->len - 1]) != NULL)
    g_string_truncate (word, word->len - 1);
}

char *
bi_ocr_text_clean (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text != NULL ? text : "", -1);
  GString *clean = g_string_sized_new (strlen (valid));
  g_autoptr(GString) word = g_string_new (NULL);
  const char *p = valid;

  for (;;)
    {
      gunichar c = g_utf8_get_char (p);

      if (c == 0 || g_unichar_isspace (c))
        {
          trim_word (word);
          if (has_alnum (word->str))
            {
              if (clean->len > 0)
                g_string_append_c (clean, ' ');
              g_string_append_len (clean, word->str, (gssize) word->len);
            }
          g_string_truncate (word, 0);
          if (c == 0)
            break;
        }
      else if (is_kept_char (c))
        {
          g_string_append_unichar (word, c);
        }
      p = g_utf8_next_char (p);
    }

  return g_string_free (clean, FALSE);
}

guint
bi_ocr_text_count_letters (const char *text)
{
  guint letters = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_isalpha (g_utf8_get_char (p)))
      letters++;
  return letters;
}

/* "J.", "J.R.R.", "K": letters each followed by a dot, or one capital alone. */
static gboolean
is_initials (const char *word)
{
  gsize length = strlen (word);

  if (length == 1)
    return g_ascii_isupper (word[0]);
  if (length < 2 || word[length - 1] != '.')
    return FALSE;
  for (gsize i = 0; i < length; i += 2)
    if (!g_ascii_isalpha (word[i]) || i + 1 >= length || word[i + 1] != '.')
      return FALSE;
  return TRUE;
}

/* A capitalised word of letters, hyphens and apostrophes ("López-Borrull", "O'Brien"). */
static gboolean
is_name_word (const char *word)
{
  if (!g_unichar_isupper (g_utf8_get_char (word)))
    return FALSE;
  for (const char *p = word; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_isalpha (c) && c != '-' && c != '\'' && c != 0x2019)
        return FALSE;
    }
  return g_utf8_strlen (word, -1) >= 2;
}

int
bi_ocr_text_name_score (const char *text)
{
  g_auto(GStrv) words = g_strsplit (text, " ", -1);
  guint n_words = g_strv_length (words);
  guint names = 0;
  guint initials = 0;

  if (n_words < 2 || n_words > 5)
    return 0;

  for (guint i = 0; i < n_words; i++)
    {
      g_autofree char *lower = g_utf8_strdown (words[i], -1);
      const char *word = words[i];

      if (g_strv_contains (title_words, lower))
        return 0;
      if (is_initials (word))
        initials++;
      else if (is_name_word (word))
        names++;
      else if (!(i > 0 && i + 1 < n_words && g_strv_contains (name_particles, word)))
        return 0;
    }

  if (names == 0 || names > 3)
    return 0;
  return initials > 0 ? 2 : 1;
}
