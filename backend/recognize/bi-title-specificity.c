/* bi-title-specificity.c — how few catalog titles share the words a spine has of a title
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-title-specificity"

#include "bi-title-specificity.h"
#include "bi-text-similarity.h"
#include "bi-title-normalize.h"

#include <math.h>
#include <string.h>

struct _BiTitleSpecificity
{
  BiCatalog  *catalog;  /* borrowed */
  GHashTable *answers;  /* shared words → double * specificity, both owned */
  GHashTable *titled;   /* word read → whether a catalog title holds it (a pointer, owned) */
};

BiTitleSpecificity *
bi_title_specificity_new (BiCatalog *catalog)
{
  BiTitleSpecificity *self;

  g_return_val_if_fail (catalog != NULL, NULL);

  self = g_new0 (BiTitleSpecificity, 1);
  self->catalog = catalog;
  self->answers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->titled = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  return self;
}

void
bi_title_specificity_free (BiTitleSpecificity *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->answers);
  g_hash_table_unref (self->titled);
  g_free (self);
}

/* Whether @word is one of the blank-separated words of @text. */
static gboolean
has_word (const char *text,
          const char *word)
{
  gsize length = strlen (word);

  for (const char *p = strstr (text, word); p != NULL; p = strstr (p + 1, word))
    if ((p == text || p[-1] == ' ') && (p[length] == '\0' || p[length] == ' '))
      return TRUE;
  return FALSE;
}

gboolean
bi_title_specificity_is_title_word (BiTitleSpecificity  *self,
                                    const char          *word,
                                    gboolean            *titled,
                                    GError             **error)
{
  gpointer known;
  g_autoptr(GPtrArray) books = NULL;

  g_return_val_if_fail (self != NULL && word != NULL && titled != NULL, FALSE);

  if (g_hash_table_lookup_extended (self->titled, word, NULL, &known))
    {
      *titled = GPOINTER_TO_INT (known);
      return TRUE;
    }
  /* The search ranks titles holding the word first; a word no title holds comes back
   * respelled. */
  books = self->catalog->search (self->catalog, word, 5, error);
  if (books == NULL)
    return FALSE;
  *titled = FALSE;
  for (guint i = 0; i < books->len && !*titled; i++)
    {
      const BiBook *book = g_ptr_array_index (books, i);
      g_autofree char *title = bi_title_normalize_text (book->title != NULL ? book->title
                                                                         : "");

      *titled = has_word (title, word);
    }
  g_hash_table_insert (self->titled, g_strdup (word), GINT_TO_POINTER (*titled));
  return TRUE;
}

/* Whether @text reads @word with a slip, as a word no catalog title holds. */
static gboolean
has_slipped_word (BiTitleSpecificity  *self,
                  char               **text_words,
                  const char          *word,
                  gboolean            *found,
                  GError             **error)
{
  *found = FALSE;
  if ((guint) g_utf8_strlen (word, -1) < BI_TITLE_SPECIFICITY_MIN_SLIP_LENGTH)
    return TRUE;
  for (guint i = 0; text_words[i] != NULL && !*found; i++)
    {
      gboolean titled;

      if (!bi_text_one_slip (text_words[i], word, BI_TITLE_SPECIFICITY_MIN_SLIP_LENGTH))
        continue;
      if (!bi_title_specificity_is_title_word (self, text_words[i], &titled, error))
        return FALSE;
      *found = !titled;
    }
  return TRUE;
}

char *
bi_title_specificity_shared_words (BiTitleSpecificity  *self,
                                   const char          *title,
                                   const char          *text,
                                   GError             **error)
{
  g_auto(GStrv) words = NULL;
  g_auto(GStrv) text_words = NULL;
  g_autoptr(GString) shared = g_string_new (NULL);

  g_return_val_if_fail (self != NULL && title != NULL && text != NULL, NULL);

  words = g_strsplit (title, " ", -1);
  text_words = g_strsplit (text, " ", -1);
  /* Words of three letters or more; two-letter ones ("of", "de", "oz") only when there is
   * no longer one, since they are in so many titles that they only narrow the count by
   * chance. Single letters are initials or specks; repeats say nothing more. */
  for (guint min_length = 3; min_length >= 2 && shared->len == 0; min_length--)
    for (guint i = 0; words[i] != NULL; i++)
      {
        gboolean read = FALSE;

        if ((guint) g_utf8_strlen (words[i], -1) < min_length || has_word (shared->str, words[i]))
          continue;
        read = has_word (text, words[i]);
        if (!read && !has_slipped_word (self, text_words, words[i], &read, error))
          return NULL;
        if (!read)
          continue;
        if (shared->len > 0)
          g_string_append_c (shared, ' ');
        g_string_append (shared, words[i]);
      }
  return g_string_free (g_steal_pointer (&shared), FALSE);
}

/* The number of @books whose title holds every one of @words. */
static guint
count_titles (GPtrArray  *books,
              char      **words)
{
  guint count = 0;

  for (guint i = 0; i < books->len; i++)
    {
      const BiBook *book = g_ptr_array_index (books, i);
      g_autofree char *title = bi_title_normalize_text (book->title != NULL ? book->title
                                                                         : "");
      gboolean all = TRUE;

      for (guint k = 0; all && words[k] != NULL; k++)
        all = has_word (title, words[k]);
      count += all ? 1 : 0;
    }
  return count;
}

gboolean
bi_title_specificity_get (BiTitleSpecificity  *self,
                          const char          *shared_words,
                          double              *specificity,
                          GError             **error)
{
  double *known;
  g_autoptr(GPtrArray) books = NULL;
  g_auto(GStrv) words = NULL;
  guint count;

  g_return_val_if_fail (self != NULL && shared_words != NULL && specificity != NULL, FALSE);

  *specificity = 0.0;
  if (shared_words[0] == '\0')
    return TRUE;
  known = g_hash_table_lookup (self->answers, shared_words);
  if (known != NULL)
    {
      *specificity = *known;
      return TRUE;
    }

  /* The catalog ranks titles holding all the words first (bm25, then its own score), so
   * the first answers are the ones to count. */
  books = self->catalog->search (self->catalog, shared_words,
                                 BI_TITLE_SPECIFICITY_MAX_TITLES, error);
  if (books == NULL)
    return FALSE;
  words = g_strsplit (shared_words, " ", -1);
  /* The hit's own title has the words, even when the catalog spells it another way. */
  count = MAX (count_titles (books, words), 1);
  *specificity = CLAMP (1.0 - log (count) / log (BI_TITLE_SPECIFICITY_MAX_TITLES), 0.0, 1.0);
  g_hash_table_insert (self->answers, g_strdup (shared_words),
                       g_memdup2 (specificity, sizeof *specificity));
  return TRUE;
}
