/* bi-shelf-mark.c — a library's call numbers, as catalogued and as OCR reads them on a label
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-shelf-mark"

#include "bi-shelf-mark.h"

#include <string.h>

/* Lower case ASCII, accents folded ("Pàm" → "pam"); g_str_to_ascii's "C" locale keeps it
 * independent of the user's. */
static char *
fold (const char *text)
{
  g_autofree char *ascii = g_str_to_ascii (text, "C");

  return g_ascii_strdown (ascii, -1);
}

/* @normal's text, or NULL when it is empty (a mark of blanks or punctuation only). */
static char *
free_unless_empty (GString *normal)
{
  if (normal->len == 0)
    {
      g_string_free (normal, TRUE);
      return NULL;
    }
  return g_string_free (normal, FALSE);
}

char *
bi_shelf_mark_normalize_class (const char *class_number)
{
  g_autofree char *folded = NULL;
  GString *normal;

  if (class_number == NULL)
    return NULL;

  folded = fold (class_number);
  normal = g_string_sized_new (strlen (folded));
  for (const char *p = folded; *p != '\0'; p++)
    {
      if (!g_ascii_isspace (*p))
        {
          g_string_append_c (normal, *p);
          continue;
        }
      while (g_ascii_isspace (p[1]))
        p++;
      if (normal->len == 0 || p[1] == '\0')
        continue;
      /* Labels print "796.342" on two lines or with the dot too faint to read: a blank
       * between digits is that dot, never two class numbers. */
      g_string_append_c (normal, g_ascii_isdigit (normal->str[normal->len - 1]) &&
                                 g_ascii_isdigit (p[1]) ? '.' : ' ');
    }
  return free_unless_empty (normal);
}

char *
bi_shelf_mark_normalize_code (const char *author_code)
{
  g_autofree char *folded = NULL;
  GString *normal;

  if (author_code == NULL)
    return NULL;

  folded = fold (author_code);
  normal = g_string_sized_new (strlen (folded));
  for (const char *p = folded; *p != '\0'; p++)
    if (g_ascii_isalpha (*p))
      g_string_append_c (normal, *p);
  return free_unless_empty (normal);
}

gboolean
bi_shelf_mark_split (const char  *shelf_mark,
                     char       **class_number,
                     char       **author_code)
{
  g_autofree char *trimmed = NULL;
  const char *last;

  g_return_val_if_fail (class_number != NULL && author_code != NULL, FALSE);

  *class_number = NULL;
  *author_code = NULL;
  if (shelf_mark == NULL)
    return FALSE;

  trimmed = g_strstrip (g_strdup (shelf_mark));
  last = strrchr (trimmed, ' ');
  if (last == NULL)
    return FALSE;
  last++;
  /* The code is a word of letters ("Cas", "Pàm", "OCo"); "1(Ant)" or "Shelf 2" has none. */
  for (const char *p = last; *p != '\0'; p = g_utf8_next_char (p))
    if (!g_unichar_isalpha (g_utf8_get_char (p)))
      return FALSE;

  *author_code = bi_shelf_mark_normalize_code (last);
  {
    g_autofree char *head = g_strndup (trimmed, (gsize) (last - trimmed));

    *class_number = bi_shelf_mark_normalize_class (head);
  }
  if (*author_code == NULL || *class_number == NULL)
    {
      g_clear_pointer (author_code, g_free);
      g_clear_pointer (class_number, g_free);
      return FALSE;
    }
  return TRUE;
}

static guint
count_digits (const char *text)
{
  guint digits = 0;

  for (const char *p = text; *p != '\0'; p++)
    digits += g_ascii_isdigit (*p) ? 1 : 0;
  return digits;
}

/* Digits at the start of @text. */
static gsize
leading_digits (const char *text)
{
  gsize n = 0;

  while (g_ascii_isdigit (text[n]))
    n++;
  return n;
}

/* Whether @read is @catalogued with one digit more in its leading number, which then runs to
 * 4 digits or more ("7196" for "796": the stem of a typewriter 7 read as a 1 of its own). No
 * Dewey or CDU class prints 4 digits before its first dot, so such a number is misread; a digit
 * more after the dot would be another class of the same tree ("796.422" beside "796.42"). */
static gboolean
has_one_digit_more (const char *read,
                    const char *catalogued)
{
  gsize run = leading_digits (read), i = 0;

  if (run < 4 || leading_digits (catalogued) + 1 != run)
    return FALSE;
  while (i < run - 1 && read[i] == catalogued[i])
    i++;
  return strcmp (read + i + 1, catalogued + i) == 0;
}

/* One digit read for another ("196.4" for "796.4": a 7 whose bar is faint reads as 1), one
 * digit more in the leading number ("7196" for "796"), or the leading digits lost at the
 * label's edge ("325" for "796.325", "6.41" for "796.41"). */
static gboolean
is_class_slip (const char *read,
               const char *catalogued)
{
  gsize read_length = strlen (read);
  gsize length = strlen (catalogued);

  if (read_length == length)
    {
      guint differences = 0;

      for (gsize i = 0; i < length; i++)
        if (read[i] != catalogued[i])
          {
            if (!g_ascii_isdigit (read[i]) || !g_ascii_isdigit (catalogued[i]))
              return FALSE;
            differences++;
          }
      return differences == 1;
    }
  if (read_length == length + 1)
    return has_one_digit_more (read, catalogued);
  return read_length < length && g_ascii_isdigit (read[0]) &&
         count_digits (read) >= BI_SHELF_MARK_MIN_SUFFIX_DIGITS &&
         strcmp (catalogued + (length - read_length), read) == 0;
}

/* One letter read for another ("rpp" for "app"), or the last letter lost ("al" for "ali");
 * never a code of one letter. */
static gboolean
is_code_slip (const char *read,
              const char *catalogued)
{
  gsize read_length = strlen (read);
  gsize length = strlen (catalogued);

  if (read_length == length)
    {
      guint differences = 0;

      for (gsize i = 0; i < length; i++)
        differences += read[i] != catalogued[i] ? 1 : 0;
      return length >= 2 && differences == 1;
    }
  return read_length >= 2 && read_length + 1 == length &&
         strncmp (read, catalogued, read_length) == 0;
}

/* Whether @read[@i] is @catalogued[@i] as OCR sees it on a label: the same character; a dash
 * for a dot between digits ("796-42" for "796.42": a label's dot is a speck, and a speck
 * smudged sideways reads as a dash); or the class's first digit read 1 for 7 ("196.422" for
 * "796.422": a 7 of the labels' typewriter face whose bar is faint is a 1's stem — 4 of the
 * 29 labels read on the real one-shelf photo begin so, none with another digit). The
 * read class is kept as read, so a class catalogued with a dash ("821.134.2-31") still
 * matches itself; no llabres class holds a dash between digits. */
static gboolean
is_same_class_char (const char *read,
                    const char *catalogued,
                    gsize       i,
                    gsize       length)
{
  if (read[i] == catalogued[i])
    return TRUE;
  if (read[i] == '-' && catalogued[i] == '.')
    return i > 0 && i + 1 < length && g_ascii_isdigit (read[i - 1]) &&
           g_ascii_isdigit (read[i + 1]);
  return i == 0 && read[i] == '1' && catalogued[i] == '7';
}

/* The same class number, as is_same_class_char() reads each of its characters. */
static gboolean
is_same_class (const char *read,
               const char *catalogued)
{
  gsize length = strlen (catalogued);

  if (strlen (read) != length)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    if (!is_same_class_char (read, catalogued, i, length))
      return FALSE;
  return TRUE;
}

gboolean
bi_shelf_mark_compare (const char       *read_class,
                       const char       *read_code,
                       const char       *class_number,
                       const char       *author_code,
                       BiShelfMarkMatch *match)
{
  gboolean class_exact;
  gboolean code_exact;

  g_return_val_if_fail (match != NULL, FALSE);

  if (read_class == NULL || read_code == NULL || class_number == NULL || author_code == NULL)
    return FALSE;

  class_exact = is_same_class (read_class, class_number);
  code_exact = strcmp (read_code, author_code) == 0;
  if (class_exact && code_exact)
    *match = BI_SHELF_MARK_EXACT;
  else if ((code_exact && is_class_slip (read_class, class_number)) ||
           (class_exact && is_code_slip (read_code, author_code)))
    *match = BI_SHELF_MARK_SLIP;
  else
    return FALSE;
  return TRUE;
}
