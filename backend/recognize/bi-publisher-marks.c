/* bi-publisher-marks.c — stripping publishers' names from spine texts
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-publisher-marks"

#include "bi-publisher-marks.h"
#include "bi-search-text.h"

#include <string.h>

/* In the normal form of bi-search-text.h. Longer names first where one starts another, so
 * "penguin books" goes whole. Very short or very common words ("tor", "points") are left
 * out: stripped from a title's end they would do more harm than good. */
static const char * const publishers[] = {
  /* en */
  "penguin modern classics", "penguin classics", "penguin books", "penguin",
  "vintage classics", "vintage books", "vintage", "harpercollins publishers", "harpercollins",
  "harper collins", "harper perennial", "random house", "bantam books", "bantam",
  "ballantine books", "ballantine", "del rey", "picador", "faber and faber",
  "bloomsbury", "scholastic", "anchor books", "simon schuster", "little brown", "hachette",
  "pan books", "pan macmillan", "macmillan", "hodder", "puffin books", "puffin", "norton",
  "w w norton", "oxford university press", "penguin random house", "signet classics",
  "signet", "wordsworth classics", "everyman s library", "everymans library",
  /* es */
  "anagrama", "compactos anagrama", "alfaguara", "editorial planeta", "planeta", "destino",
  "ediciones destino", "tusquets editores", "tusquets", "salamandra", "debolsillo",
  "de bolsillo", "booket", "austral", "catedra", "seix barral", "ediciones b", "plaza janes",
  "rba", "siruela", "acantilado", "edhasa", "lumen", "grijalbo", "mondadori",
  "random house mondadori", "reservoir books", "umbriel", "minotauro", "paidotribo",
  "blackie books", "alianza editorial", "alianza", "espasa", "ediciones sm", "edebe",
  /* ca */
  "edicions 62", "columna", "empuries", "proa", "la magrana", "labutxaca", "club editor",
  "bromera", "la galera", "cruilla", "estrella polar", "ara llibres", "angle editorial",
  "edicions de 1984", "quaderns crema", "viena edicions",
  /* fr */
  "gallimard", "folio", "le livre de poche", "livre de poche", "flammarion", "seuil",
  "editions du seuil", "albin michel", "actes sud", "j ai lu", "jai lu", "pocket",
  /* de */
  "suhrkamp taschenbuch", "suhrkamp", "dtv", "fischer taschenbuch", "fischer", "rowohlt",
  "rororo", "heyne", "btb", "goldmann", "knaur", "piper", "diogenes", "reclam",
  "kiepenheuer witsch", "hanser",
  NULL,
};

/* How many words of @words, from @start going by @step, make a publisher's name: 0 if none. */
static guint
publisher_words_at (char  **words,
                    guint   n_words,
                    guint   start,
                    int     step)
{
  for (guint p = 0; publishers[p] != NULL; p++)
    {
      g_auto(GStrv) name = g_strsplit (publishers[p], " ", -1);
      guint n_name = g_strv_length (name);
      gboolean match = n_name <= n_words;

      for (guint k = 0; match && k < n_name; k++)
        {
          /* Going backwards the name is matched from its last word. */
          guint index = step > 0 ? start + k : start - k;
          const char *expected = step > 0 ? name[k] : name[n_name - 1 - k];

          match = strcmp (words[index], expected) == 0;
        }
      if (match)
        return n_name;
    }
  return 0;
}

/* Normalises each word on its own, so a kept range maps back to the text's words. */
static char **
normalize_words (char **words)
{
  guint n_words = g_strv_length (words);
  char **normalized = g_new0 (char *, n_words + 1);

  for (guint i = 0; i < n_words; i++)
    {
      normalized[i] = bi_search_text_normalize (words[i]);
      /* "62", "J'ai" and "Harper-Collins" stay one word each. */
      g_strdelimit (normalized[i], " ", '\0');
    }
  return normalized;
}

static void
kept_range (char  **normalized,
            guint   n_words,
            guint  *first,
            guint  *end)
{
  guint n;

  *first = 0;
  *end = n_words;
  while (*first < *end &&
         (n = publisher_words_at (normalized + *first, *end - *first, 0, 1)) > 0)
    *first += n;
  while (*first < *end &&
         (n = publisher_words_at (normalized + *first, *end - *first, *end - *first - 1,
                                  -1)) > 0)
    *end -= n;
}

char *
bi_publisher_marks_strip (const char *text)
{
  g_auto(GStrv) words = NULL;
  g_auto(GStrv) normalized = NULL;
  g_autoptr(GString) kept = g_string_new (NULL);
  guint first;
  guint end;

  g_return_val_if_fail (text != NULL, NULL);

  words = g_strsplit (text, " ", -1);
  normalized = normalize_words (words);
  kept_range (normalized, g_strv_length (words), &first, &end);
  for (guint i = first; i < end; i++)
    {
      if (kept->len > 0)
        g_string_append_c (kept, ' ');
      g_string_append (kept, words[i]);
    }
  return g_string_free (g_steal_pointer (&kept), FALSE);
}

gboolean
bi_publisher_marks_is_only (const char *text)
{
  g_autofree char *stripped = NULL;

  g_return_val_if_fail (text != NULL, FALSE);

  stripped = bi_publisher_marks_strip (text);
  return text[0] != '\0' && stripped[0] == '\0';
}
