/* bi-printed-isbn.c — ISBNs in OCR text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-printed-isbn"

#include "bi-printed-isbn.h"
#include "bi-isbn.h"

#include <string.h>

/* The digit @c stands for, or -1: after "ISBN", OCR's usual letter-for-digit slips too. */
static int
digit_value (char     c,
             gboolean after_isbn_word)
{
  if (g_ascii_isdigit (c))
    return c;
  if (after_isbn_word && (c == 'O' || c == 'o'))
    return '0';
  if (after_isbn_word && (c == 'l' || c == 'I'))
    return '1';
  return -1;
}

/* The ISBN-13 of the run of digits starting at @p: its 13 digits, or its 10 when the run
 * is that long (an ISBN-10, whose check "digit" may be X). */
static char *
isbn_at (const char *p,
         gboolean    after_isbn_word)
{
  char compact[15];
  gsize length = 0;

  for (; *p != '\0' && length < 14; p++)
    {
      int digit = digit_value (*p, after_isbn_word);

      if (digit >= 0)
        compact[length++] = (char) digit;
      else if ((*p == 'X' || *p == 'x') && length == 9)
        compact[length++] = 'X';
      else if (*p != '-' && *p != ' ')
        break;
      else if (length > 0 && compact[length - 1] == 'X')
        break;
    }
  compact[length] = '\0';

  if (length == 13 && bi_isbn13_is_valid (compact))
    return g_strdup (compact);
  if (length == 10 && bi_isbn10_is_valid (compact))
    return bi_isbn_to_isbn13 (compact);
  return NULL;
}

char *
bi_printed_isbn_find (const char *text)
{
  g_autofree char *upper = NULL;
  const char *isbn_word = NULL;

  if (text == NULL)
    return NULL;

  upper = g_ascii_strup (text, -1);
  isbn_word = strstr (upper, "ISBN");

  for (const char *p = text; *p != '\0'; p++)
    {
      gboolean after_isbn_word = isbn_word != NULL && p >= text + (isbn_word - upper) + 4;
      char *isbn;

      /* A run starts at a digit that does not continue another run. */
      if (digit_value (*p, after_isbn_word) < 0 ||
          (p > text && digit_value (p[-1], after_isbn_word) >= 0))
        continue;
      isbn = isbn_at (p, after_isbn_word);
      if (isbn != NULL)
        return isbn;
    }
  return NULL;
}
