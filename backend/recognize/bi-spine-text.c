/* bi-spine-text.c — title and author of one spine's text
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-spine-text"

#include "bi-spine-text.h"
#include "bi-ocr-text.h"

#include <string.h>

#define MAX_NAME_WORDS 4

/* Common given names of the five languages' authors, lower case: when both ends of a text
 * look like names, the one starting with a given name is the author. */
static const char * const given_names[] = {
  "adam", "alan", "albert", "alberto", "alejandro", "alexander", "alice", "amos", "ana",
  "andrew", "angela", "anna", "anne", "anthony", "antonio", "arcadi", "barbara", "ben",
  "carlos", "carme", "charles", "chris", "christian", "christopher", "claire", "clive",
  "daniel", "david", "donna", "edward", "elena", "elizabeth", "emily", "emma", "enric",
  "ernest", "eva", "francesc", "francisco", "frank", "george", "gabriel", "gemma", "george",
  "hans", "harper", "helen", "henry", "isabel", "jack", "james", "jane", "javier", "jean",
  "jennifer", "joan", "joe", "john", "jordan", "jordi", "jorge", "josep", "jose", "juan",
  "julia", "karl", "katherine", "laura", "leonardo", "lucia", "manel", "manuel", "marc",
  "margaret", "maria", "mario", "mark", "marta", "martin", "mary", "maria", "michael",
  "miguel", "miquel", "montserrat", "nathaniel", "neil", "nicholas", "orhan", "pablo",
  "patrick", "paul", "pedro", "pere", "peter", "philip", "pierre", "rachel", "ramon",
  "richard", "robert", "roger", "rosa", "ruth", "sara", "sarah", "scott", "sergi", "silvia",
  "stephen", "steven", "susan", "suzanne", "teresa", "thomas", "toni", "victor", "william",
  "xavier",
  NULL,
};

static gboolean
is_all_caps (const char *text)
{
  gboolean any_upper = FALSE;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_islower (c))
        return FALSE;
      any_upper |= g_unichar_isupper (c);
    }
  return any_upper;
}

static char *
join_words (char  **words,
            guint   first,
            guint   end)
{
  g_autoptr(GString) joined = g_string_new (NULL);

  for (guint i = first; i < end; i++)
    {
      if (joined->len > 0)
        g_string_append_c (joined, ' ');
      g_string_append (joined, words[i]);
    }
  return g_string_free (g_steal_pointer (&joined), FALSE);
}

/* A word that lengthens a name in capitals: initials ("K.", "J.R.R.") or a particle. */
static gboolean
extends_caps_name (const char *word)
{
  g_autofree char *lower = g_utf8_strdown (word, -1);
  gsize length = strlen (word);

  if (length >= 2 && word[length - 1] == '.')
    return TRUE;
  return g_strv_contains ((const char * const[]) { "de", "la", "del", "van", "von", "le",
                                                   "da", "di", "du", NULL }, lower);
}

/* Number of words of the name at the start (@from_end FALSE) or end of @words; 0 if none. */
static guint
name_length (char     **words,
             guint      n_words,
             gboolean   from_end,
             gboolean   caps)
{
  guint best = 0;

  /* Leave at least one word for the title. */
  for (guint k = 2; k <= MIN (MAX_NAME_WORDS, n_words - 1); k++)
    {
      guint first = from_end ? n_words - k : 0;
      g_autofree char *segment = join_words (words, first, first + k);
      const char *added = words[from_end ? first : k - 1];

      /* A particle ("Le" of "Ursula K. Le Guin") is a name only with the surname after it. */
      if (bi_ocr_text_name_score (segment) == 0)
        {
          if (extends_caps_name (added))
            continue;
          break;
        }
      /* A title starts with a capital too: at the start, and in capitals, a name is two
       * words and what initials and particles add. */
      if ((caps || !from_end) && k > 2 && !extends_caps_name (added) &&
          (from_end || !extends_caps_name (words[k - 2])))
        break;
      best = k;
    }
  return best;
}

static gboolean
starts_with_given_name (char **words)
{
  g_autofree char *lower = g_utf8_strdown (words[0], -1);

  return g_strv_contains (given_names, lower);
}

char *
bi_spine_text_reorder_surname (const char *text)
{
  const char *comma;
  g_autofree char *surname = NULL;
  g_autofree char *name = NULL;
  g_autofree char *whole = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  comma = strchr (text, ',');
  if (comma == NULL || strchr (comma + 1, ',') != NULL)
    return NULL;
  surname = g_strstrip (g_strndup (text, (gsize) (comma - text)));
  name = g_strstrip (g_strdup (comma + 1));
  if (surname[0] == '\0' || name[0] == '\0')
    return NULL;

  /* Both sides together must read as a name ("Thinking, Fast and Slow" does not). */
  whole = g_strdup_printf ("%s %s", name, surname);
  if (bi_ocr_text_name_score (whole) == 0)
    return NULL;
  return g_steal_pointer (&whole);
}

void
bi_spine_text_split (const char  *text,
                     char       **title,
                     char       **author)
{
  g_auto(GStrv) words = NULL;
  guint n_words;
  gboolean caps;
  guint at_start;
  guint at_end;
  char *reordered;

  g_return_if_fail (text != NULL && title != NULL && author != NULL);

  *title = NULL;
  *author = NULL;

  reordered = bi_spine_text_reorder_surname (text);
  if (reordered != NULL)
    {
      *title = g_strdup ("");
      *author = reordered;
      return;
    }

  words = g_strsplit (text, " ", -1);
  n_words = g_strv_length (words);
  caps = is_all_caps (text);
  at_start = n_words >= 3 ? name_length (words, n_words, FALSE, caps) : 0;
  at_end = n_words >= 3 ? name_length (words, n_words, TRUE, caps) : 0;

  if (at_start > 0 && (at_end == 0 || (starts_with_given_name (words) &&
                                       !starts_with_given_name (words + n_words - at_end))))
    {
      *author = join_words (words, 0, at_start);
      *title = join_words (words, at_start, n_words);
    }
  else if (at_end > 0)
    {
      *author = join_words (words, n_words - at_end, n_words);
      *title = join_words (words, 0, n_words - at_end);
    }
  else
    {
      *title = g_strdup (text);
    }
}
