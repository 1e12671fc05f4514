/* bi-ocr-text.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-ocr-text"

#include "bi-ocr-text.h"

#include <string.h>

/* One- and two-capital words in a row that make a letter-spaced word, and how many of its
 * two-letter pieces must be no word (join_spaced_letters). */
#define SPACED_MIN_PIECES      4
#define SPACED_MIN_NON_WORDS   2

/* Two-letter words of the catalogs' languages, which a run of short capitals may be made of
 * ("DE LA A A LA Z"). */
static const char * const two_letter_words[] = {
  "of", "an", "to", "in", "on", "by", "at", "is", "it", "as", "or", "my", "me", "we", "he",
  "be", "do", "so", "no", "up", "us", "if",
  "el", "la", "lo", "de", "en", "un", "al", "es", "se", "ya", "mi", "tu", "su", "yo",
  "ja", "hi", "ho", "em", "et", "li",
  "le", "du", "il", "ou",
  NULL,
};

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

gboolean
bi_ocr_text_is_byline (const char *text)
{
  g_autofree char *lower = NULL;

  if (bi_ocr_text_name_score (text) > 0)
    return TRUE;
  /* One word: a surname alone ("TOLKIEN"), as spines often print it. */
  if (strchr (text, ' ') != NULL || !is_name_word (text) || g_utf8_strlen (text, -1) < 3)
    return FALSE;
  lower = g_utf8_strdown (text, -1);
  return !g_strv_contains (title_words, lower);
}

/* The letter a digit stands for in a word of letters; 0 when the digit is no such slip. */
static char
letter_for_digit (char     digit,
                  gboolean upper)
{
  switch (digit)
    {
    case '0':
      return upper ? 'O' : 'o';
    case '1':
    case '|':
      return upper ? 'I' : 'l';
    case '5':
      return upper ? 'S' : 's';
    default:
      return 0;
    }
}

/* Fixes OCR's letter slips inside one word: digits among letters ("H0BBIT", "Co11ins"),
 * "l" among capitals ("HOBBlT") and "I" among small letters ("CoIlins"). A word with a digit
 * that is no slip ("Catch-22", "BDA3") or with no letters ("1984") is left alone. */
static void
repair_word (GString *word)
{
  guint letters = 0;
  guint upper = 0;
  guint lower = 0;
  gboolean slips_only = TRUE;

  for (gsize i = 0; i < word->len; i++)
    {
      char c = word->str[i];

      if (g_ascii_isdigit (c) || c == '|')
        slips_only &= letter_for_digit (c, FALSE) != 0;
      else if (g_ascii_isalpha (c))
        {
          letters++;
          upper += g_ascii_isupper (c) ? 1 : 0;
          lower += g_ascii_islower (c) ? 1 : 0;
        }
    }
  if (letters < 2)
    return;

  for (gsize i = 0; i < word->len; i++)
    {
      char c = word->str[i];
      /* Case of the letters around: capitals when the word is written in capitals. */
      gboolean in_capitals = upper > lower || (upper == lower && i > 0 &&
                                               g_ascii_isupper (word->str[i - 1]));

      if (slips_only && (g_ascii_isdigit (c) || c == '|'))
        word->str[i] = letter_for_digit (c, in_capitals);
      else if (c == 'l' && lower == 1 && upper >= 2)
        word->str[i] = 'I';
      else if (c == 'I' && i > 1 && upper == 2 && g_ascii_isupper (word->str[0]) &&
               g_ascii_islower (word->str[i - 1]) && g_ascii_islower (word->str[i + 1]) &&
               !(i == 2 && word->str[1] == 'c')) /* "McIntosh" */
        word->str[i] = 'l';
    }
}

/* A king's or a volume's number, after the name it follows, read with its last stroke as a T
 * ("RICHARD IIT", benchmark photo 16): a serif capital I has the T's top bar. Only two or
 * three I's and a T, so "IT" stays, and only after another word, so an acronym starting a
 * text ("IIT Madras") stays too. */
static void
repair_roman_numeral (GString *word)
{
  gsize strokes = 0;

  while (strokes < word->len && word->str[strokes] == 'I')
    strokes++;
  if (strokes >= 2 && strokes <= 3 && word->len == strokes + 1 && word->str[strokes] == 'T')
    word->str[strokes] = 'I';
}

/* "Hob- bit" → "Hobbit": a word broken at the end of a printed line. */
static char *
join_broken_words (const char *text)
{
  GString *joined = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '-' && p > text && g_ascii_isalpha (p[-1]))
        {
          const char *next = p + 1;

          while (*next == ' ')
            next++;
          if (next > p + 1 && g_ascii_islower (*next))
            {
              p = next - 1;
              continue;
            }
        }
      g_string_append_c (joined, *p);
    }
  return g_string_free (joined, FALSE);
}

/* Whether @word is a piece of a letter-spaced word as OCR splits one: one or two capitals. */
static gboolean
is_spaced_piece (const char *word)
{
  glong length = g_utf8_strlen (word, -1);

  if (length < 1 || length > 2)
    return FALSE;
  for (const char *p = word; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isupper (g_utf8_get_char (p)))
      return FALSE;
  return TRUE;
}

/* "SO PH IA LO R E N" → "SOPHIALOREN": a title set with wide letter spacing, which OCR reads
 * as a run of one- and two-letter words. Only runs of SPACED_MIN_PIECES capitals of which
 * SPACED_MIN_NON_WORDS two-letter pieces are no word are joined: others are words ("Y A LA
 * DE", "DE LA A A LA Z"). The words of @words are rewritten in place; a joined run leaves
 * empty strings behind. */
static void
join_spaced_letters (char **words)
{
  for (guint i = 0; words[i] != NULL;)
    {
      guint end = i;
      guint non_words = 0;

      for (; words[end] != NULL && is_spaced_piece (words[end]); end++)
        {
          g_autofree char *lower = g_utf8_strdown (words[end], -1);

          non_words += g_utf8_strlen (lower, -1) == 2 &&
                       !g_strv_contains (two_letter_words, lower);
        }
      if (end - i >= SPACED_MIN_PIECES && non_words >= SPACED_MIN_NON_WORDS)
        {
          GString *joined = g_string_new (NULL);

          for (guint j = i; j < end; j++)
            {
              g_string_append (joined, words[j]);
              words[j][0] = '\0';
            }
          g_free (words[i]);
          words[i] = g_string_free (joined, FALSE);
        }
      i = end > i ? end : i + 1;
    }
}

char *
bi_ocr_text_repair (const char *text)
{
  g_autofree char *joined = NULL;
  g_autofree char *clean = NULL;
  g_auto(GStrv) words = NULL;
  GString *repaired;

  joined = join_broken_words (text != NULL ? text : "");
  clean = bi_ocr_text_clean (joined);
  words = g_strsplit (clean, " ", -1);
  join_spaced_letters (words);
  repaired = g_string_sized_new (strlen (clean));
  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autoptr(GString) word = g_string_new (words[i]);

      if (word->len == 0)
        continue;
      repair_word (word);
      if (repaired->len > 0)
        repair_roman_numeral (word);
      if (repaired->len > 0)
        g_string_append_c (repaired, ' ');
      g_string_append_len (repaired, word->str, (gssize) word->len);
    }
  return g_string_free (repaired, FALSE);
}
