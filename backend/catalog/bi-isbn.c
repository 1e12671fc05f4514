/* bi-isbn.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-isbn"

#include "bi-isbn.h"

#include <string.h>

/* The ISBN-13 check digit of the first 12 digits (weights 1, 3, 1, 3, …). */
static int
isbn13_check_digit (const char *digits)
{
  int sum = 0;

  for (int i = 0; i < 12; i++)
    sum += (digits[i] - '0') * (i % 2 == 0 ? 1 : 3);
  return (10 - sum % 10) % 10;
}

static gboolean
all_digits (const char *text,
            gsize       length)
{
  for (gsize i = 0; i < length; i++)
    if (!g_ascii_isdigit (text[i]))
      return FALSE;
  return TRUE;
}

gboolean
bi_isbn13_is_valid (const char *isbn13)
{
  if (isbn13 == NULL || strlen (isbn13) != 13 || !all_digits (isbn13, 13))
    return FALSE;

  return isbn13_check_digit (isbn13) == isbn13[12] - '0';
}

gboolean
bi_isbn10_is_valid (const char *isbn10)
{
  int sum = 0;

  if (isbn10 == NULL || strlen (isbn10) != 10 || !all_digits (isbn10, 9))
    return FALSE;
  if (!g_ascii_isdigit (isbn10[9]) && isbn10[9] != 'X' && isbn10[9] != 'x')
    return FALSE;

  /* Weights 10 down to 1; the sum must be a multiple of 11 ("X" is 10). */
  for (int i = 0; i < 10; i++)
    {
      int value = g_ascii_isdigit (isbn10[i]) ? isbn10[i] - '0' : 10;

      sum += value * (10 - i);
    }
  return sum % 11 == 0;
}

char *
bi_isbn_to_isbn13 (const char *text)
{
  char compact[16];
  gsize length = 0;
  const char *p;

  if (text == NULL)
    return NULL;

  /* Collect the leading run of digits, hyphens and X; anything after it is a note. */
  for (p = text; g_ascii_isspace (*p); p++)
    ;
  for (; *p != '\0' && (g_ascii_isdigit (*p) || *p == '-' || *p == 'X' || *p == 'x'); p++)
    {
      if (*p == '-')
        continue;
      if (length == sizeof compact - 1)
        return NULL;
      compact[length++] = *p;
    }
  compact[length] = '\0';

  if (bi_isbn13_is_valid (compact))
    return g_strdup (compact);

  if (bi_isbn10_is_valid (compact))
    {
      char isbn13[14];

      memcpy (isbn13, "978", 3);
      memcpy (isbn13 + 3, compact, 9);
      isbn13[12] = (char) ('0' + isbn13_check_digit (isbn13));
      isbn13[13] = '\0';
      return g_strdup (isbn13);
    }

  return NULL;
}
