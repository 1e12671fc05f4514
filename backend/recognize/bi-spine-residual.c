/* bi-spine-residual.c — what is left of a spine's text once one book explains part of it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-spine-residual"

#include "bi-spine-residual.h"
#include "bi-text-similarity.h"
#include "bi-title-normalize.h"

#include <string.h>

/* A word left over must be this long for the rest to be worth a query. */
#define MIN_NAMING_WORD_LENGTH 4

/* The normal words of @book's title and authors, one entry per occurrence. */
static GPtrArray *
book_words (const BiBook *book)
{
  GPtrArray *words = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) all = g_string_new (book->title);

  for (guint a = 0; book->authors != NULL && book->authors[a] != NULL; a++)
    g_string_append_printf (all, " %s", book->authors[a]);
  {
    g_autofree char *normal = bi_title_normalize_text (all->str);
    g_auto(GStrv) split = g_strsplit (normal, " ", -1);

    for (guint i = 0; split[i] != NULL; i++)
      if (split[i][0] != '\0')
        g_ptr_array_add (words, g_strdup (split[i]));
  }
  return words;
}

char *
bi_spine_residual (const char   *text,
                   const BiBook *book)
{
  g_autoptr(GPtrArray) words = NULL;
  g_autoptr(GPtrArray) taken = NULL;
  g_autofree char *title_normal = NULL;
  g_auto(GStrv) title_words = NULL;
  g_auto(GStrv) read = NULL;
  g_autoptr(GString) left = g_string_new (NULL);
  gboolean naming = FALSE;

  g_return_val_if_fail (text != NULL && book != NULL, NULL);

  words = book_words (book);
  title_normal = bi_title_normalize_text (book->title != NULL ? book->title : "");
  title_words = g_strsplit (title_normal, " ", -1);
  taken = g_ptr_array_new_with_free_func (g_free);
  read = g_strsplit (text, " ", -1);
  for (guint i = 0; read[i] != NULL; i++)
    {
      g_autofree char *normal = bi_title_normalize_text (read[i]);
      gboolean explained = normal[0] == '\0';

      for (guint k = 0; !explained && k < words->len; k++)
        if (bi_text_same_word (normal, g_ptr_array_index (words, k)))
          {
            g_autofree char *word = g_ptr_array_steal_index (words, k);

            if (g_strv_contains ((const char * const *) title_words, word))
              g_ptr_array_add (taken, g_steal_pointer (&word));
            explained = TRUE;
          }
      /* A naming word of the title read again is the same spine read twice (two passes of
       * the OCR kept one line each: "ATLANTIDA Jaume Copons ATLANTIDA"), not a second book
       * with the same word: left over, it named "Atlántida : entre el mito y la
       * historia". An author's name read again is the author's next book (a library
       * shelves them side by side: "SERGI PAMIES SERGI PAMIES A SENSE FER … LA BICICLETA
       * ESTATICA"). */
      for (guint k = 0; !explained && k < taken->len; k++)
        explained = g_utf8_strlen (normal, -1) >= MIN_NAMING_WORD_LENGTH &&
                    bi_text_same_word (normal, g_ptr_array_index (taken, k));
      if (explained)
        continue;
      if (left->len > 0)
        g_string_append_c (left, ' ');
      g_string_append (left, read[i]);
      naming |= g_utf8_strlen (normal, -1) >= MIN_NAMING_WORD_LENGTH;
    }
  return naming ? g_string_free (g_steal_pointer (&left), FALSE) : NULL;
}
