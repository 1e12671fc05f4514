/* bi-titles-read.c — the "titles read" metric of docs/ocr.md, shared by the measuring tools
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-titles-read"

#include "bi-titles-read.h"

#include <string.h>

gboolean
bi_title_is_read (const char *folded_title,
                  const char *folded_text)
{
  g_autoptr(GString) word = g_string_new (NULL);

  for (const char *p = folded_title;; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c != 0 && g_unichar_isalpha (c))
        {
          g_string_append_unichar (word, c);
          continue;
        }
      if (g_utf8_strlen (word->str, -1) >= 4 && strstr (folded_text, word->str) != NULL)
        return TRUE;
      g_string_truncate (word, 0);
      if (c == 0)
        return FALSE;
    }
}
