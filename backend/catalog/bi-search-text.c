/* bi-search-text.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-search-text"

#include "bi-search-text.h"

#include <string.h>

static gboolean
is_mark (gunichar c)
{
  GUnicodeType type = g_unichar_type (c);

  return type == G_UNICODE_NON_SPACING_MARK ||
         type == G_UNICODE_SPACING_MARK ||
         type == G_UNICODE_ENCLOSING_MARK;
}

static gboolean
is_apostrophe (gunichar c)
{
  return c == '\'' || c == 0x2019 /* ’ */ || c == 0x02BC /* ʼ */ || c == '`';
}

/* Appends a lower-case letter or digit, in ASCII when it has an ASCII form. */
static void
append_folded (GString  *out,
               gunichar  c)
{
  char utf8[8];
  int length;
  g_autofree char *ascii = NULL;

  if (c < 0x80)
    {
      g_string_append_c (out, (char) c);
      return;
    }

  length = g_unichar_to_utf8 (c, utf8);
  utf8[length] = '\0';

  /* Letters that canonical decomposition leaves whole (ø, ß, æ, ł) are in GLib's
   * transliteration table; anything it cannot spell in ASCII comes back with '?'. */
  ascii = g_str_to_ascii (utf8, "C");
  if (ascii[0] != '\0' && strchr (ascii, '?') == NULL)
    {
      for (char *p = ascii; *p != '\0'; p++)
        if (g_ascii_isalnum (*p))
          g_string_append_c (out, g_ascii_tolower (*p));
    }
  else
    {
      g_string_append (out, utf8);
    }
}

/* The same normal form for text that is all ASCII, byte by byte: NFKD leaves ASCII as it is,
 * its letters and digits are the only alphanumeric characters, and no mark is ASCII. Most
 * catalog rows are ASCII, and the validation of one shelf photo normalises some hundred
 * thousand of them (each search scores every row of its pool); repairing and decomposing
 * each into new strings took about a third of the validation's time. */
static char *
normalize_ascii (const char *text,
                 gsize       length)
{
  GString *out = g_string_sized_new (length);
  gboolean separator = FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '\'' || *p == '`')
        continue;
      if (!g_ascii_isalnum (*p))
        {
          separator = TRUE;
          continue;
        }
      if (separator && out->len > 0)
        g_string_append_c (out, ' ');
      separator = FALSE;
      g_string_append_c (out, g_ascii_tolower (*p));
    }

  return g_string_free (out, FALSE);
}

char *
bi_search_text_normalize (const char *text)
{
  g_autofree char *valid = NULL;
  g_autofree char *decomposed = NULL;
  GString *out;
  gboolean separator = FALSE;
  const char *end;

  g_return_val_if_fail (text != NULL, NULL);

  for (end = text; *end != '\0' && (guchar) *end < 0x80; end++)
    ;
  if (*end == '\0')
    return normalize_ascii (text, (gsize) (end - text));

  valid = g_utf8_make_valid (text, -1);
  /* NFKD splits accented letters into base + mark and compatibility forms (ﬁ, ²) into
   * plain ones, so dropping marks folds accents. */
  decomposed = g_utf8_normalize (valid, -1, G_NORMALIZE_ALL);
  out = g_string_sized_new (strlen (decomposed));

  for (const char *p = decomposed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (is_mark (c) || is_apostrophe (c))
        continue;
      if (!g_unichar_isalnum (c))
        {
          separator = TRUE;
          continue;
        }
      if (separator && out->len > 0)
        g_string_append_c (out, ' ');
      separator = FALSE;
      append_folded (out, g_unichar_tolower (c));
    }

  return g_string_free (out, FALSE);
}
