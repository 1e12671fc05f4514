/* bi-text-similarity.c — trigram and word overlap of normalised texts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-text-similarity"

#include "bi-text-similarity.h"

#include <string.h>

/* Words this long or longer may match with a misread letter or two. */
#define MIN_FUZZY_WORD_LENGTH 5
#define MIN_FUZZY_WORD_DICE   0.5

struct _BiTrigrams
{
  GHashTable *set; /* of char[4] strings, owned */
};

char *
bi_text_similarity_fold (const char *normalized)
{
  GString *folded;

  g_return_val_if_fail (normalized != NULL, NULL);

  folded = g_string_sized_new (strlen (normalized));
  for (const char *p = normalized; *p != '\0'; p++)
    {
      if ((p[0] == 'r' && p[1] == 'n') || (p[0] == 'v' && p[1] == 'v'))
        {
          g_string_append_c (folded, p[0] == 'r' ? 'm' : 'w');
          p++;
          continue;
        }
      switch (*p)
        {
        case '0':
          g_string_append_c (folded, 'o');
          break;
        case '1':
        case 'i':
        case '|':
          g_string_append_c (folded, 'l');
          break;
        case '5':
          g_string_append_c (folded, 's');
          break;
        default:
          g_string_append_c (folded, *p);
        }
    }
  return g_string_free (folded, FALSE);
}

BiTrigrams *
bi_trigrams_new (const char *normalized)
{
  BiTrigrams *self = g_new0 (BiTrigrams, 1);
  g_autofree char *folded = NULL;
  g_autofree char *padded = NULL;
  g_autofree gunichar *chars = NULL;
  glong n_chars = 0;

  g_return_val_if_fail (normalized != NULL, self);

  self->set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  folded = bi_text_similarity_fold (normalized);
  if (folded[0] == '\0')
    return self;

  /* Blanks around every word, so word starts and ends make trigrams of their own. */
  padded = g_strdup_printf (" %s ", folded);
  chars = g_utf8_to_ucs4_fast (padded, -1, &n_chars);
  for (glong i = 0; i + 2 < n_chars; i++)
    {
      char trigram[20];
      int length = 0;

      for (int k = 0; k < 3; k++)
        length += g_unichar_to_utf8 (chars[i + k], trigram + length);
      trigram[length] = '\0';
      g_hash_table_add (self->set, g_strdup (trigram));
    }
  return self;
}

void
bi_trigrams_free (BiTrigrams *self)
{
  if (self == NULL)
    return;
  g_hash_table_unref (self->set);
  g_free (self);
}

guint
bi_trigrams_count (const BiTrigrams *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return g_hash_table_size (self->set);
}

static guint
count_shared (const BiTrigrams *a,
              const BiTrigrams *b)
{
  GHashTableIter iter;
  gpointer key;
  guint shared = 0;

  g_hash_table_iter_init (&iter, a->set);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (g_hash_table_contains (b->set, key))
      shared++;
  return shared;
}

double
bi_trigrams_dice (const BiTrigrams *a,
                  const BiTrigrams *b)
{
  guint total;

  g_return_val_if_fail (a != NULL && b != NULL, 0.0);

  total = bi_trigrams_count (a) + bi_trigrams_count (b);
  return total == 0 ? 0.0 : 2.0 * count_shared (a, b) / total;
}

double
bi_trigrams_containment (const BiTrigrams *a,
                         const BiTrigrams *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, 0.0);

  return bi_trigrams_count (a) == 0 ? 0.0
                                    : (double) count_shared (a, b) / bi_trigrams_count (a);
}

static double
word_weight (const char *word)
{
  glong length = g_utf8_strlen (word, -1);

  return length < 2 ? 0.0 : length == 2 ? 0.3 : length == 3 ? 0.6 : 1.0;
}

static gboolean
word_found (const char  *word,
            char       **in_words,
            GPtrArray   *in_trigrams)
{
  g_autoptr(BiTrigrams) trigrams = NULL;

  for (guint i = 0; in_words[i] != NULL; i++)
    if (strcmp (word, in_words[i]) == 0)
      return TRUE;
  if (g_utf8_strlen (word, -1) < MIN_FUZZY_WORD_LENGTH)
    return FALSE;

  trigrams = bi_trigrams_new (word);
  for (guint i = 0; i < in_trigrams->len; i++)
    if (bi_trigrams_dice (trigrams, g_ptr_array_index (in_trigrams, i)) >= MIN_FUZZY_WORD_DICE)
      return TRUE;
  return FALSE;
}

double
bi_text_word_overlap (const char *words,
                      const char *in)
{
  g_auto(GStrv) word_list = NULL;
  g_auto(GStrv) in_list = NULL;
  g_autoptr(GPtrArray) in_trigrams = NULL;
  double total = 0.0;
  double found = 0.0;

  g_autofree char *words_folded = NULL;
  g_autofree char *in_folded = NULL;

  g_return_val_if_fail (words != NULL && in != NULL, 0.0);

  /* Folded, so a word OCR misread the usual way still counts as the same word. */
  words_folded = bi_text_similarity_fold (words);
  in_folded = bi_text_similarity_fold (in);
  word_list = g_strsplit (words_folded, " ", -1);
  in_list = g_strsplit (in_folded, " ", -1);
  in_trigrams = g_ptr_array_new_with_free_func ((GDestroyNotify) bi_trigrams_free);
  for (guint i = 0; in_list[i] != NULL; i++)
    g_ptr_array_add (in_trigrams,
                     g_utf8_strlen (in_list[i], -1) >= MIN_FUZZY_WORD_LENGTH - 1
                     ? bi_trigrams_new (in_list[i]) : bi_trigrams_new (""));

  for (guint i = 0; word_list[i] != NULL; i++)
    {
      double weight = word_weight (word_list[i]);

      total += weight;
      if (weight > 0.0 && word_found (word_list[i], in_list, in_trigrams))
        found += weight;
    }
  return total > 0.0 ? found / total : 0.0;
}

gboolean
bi_text_same_word (const char *read,
                   const char *word)
{
  g_return_val_if_fail (read != NULL && word != NULL, FALSE);

  return strcmp (read, word) == 0 ||
         (g_utf8_strlen (word, -1) >= 3 && bi_text_word_overlap (word, read) > 0.0);
}

gboolean
bi_text_one_slip (const char *read,
                  const char *word,
                  guint       min_length)
{
  g_autofree char *read_folded = NULL;
  g_autofree char *word_folded = NULL;
  g_autofree gunichar *a = NULL;
  g_autofree gunichar *b = NULL;
  glong length_a = 0;
  glong length_b = 0;
  glong start = 0;
  glong end_a;
  glong end_b;

  g_return_val_if_fail (read != NULL && word != NULL, FALSE);

  read_folded = bi_text_similarity_fold (read);
  word_folded = bi_text_similarity_fold (word);
  a = g_utf8_to_ucs4_fast (read_folded, -1, &length_a);
  b = g_utf8_to_ucs4_fast (word_folded, -1, &length_b);
  if (MIN (length_a, length_b) < (glong) min_length || ABS (length_a - length_b) > 1)
    return FALSE;

  /* Past the common start and the common end, at most one letter of each may be left. */
  while (start < length_a && start < length_b && a[start] == b[start])
    start++;
  end_a = length_a;
  end_b = length_b;
  while (end_a > start && end_b > start && a[end_a - 1] == b[end_b - 1])
    {
      end_a--;
      end_b--;
    }
  return end_a - start <= 1 && end_b - start <= 1;
}
