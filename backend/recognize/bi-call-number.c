/* bi-call-number.c — library call-number labels read along with a spine's title
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-call-number"

#include "bi-call-number.h"
#include "bi-title-normalize.h"

#include <string.h>

/* Collection letters and class numbers before an author code, at most ("P 833 Sal"). */
#define MAX_LABEL_PREFIXES 3
/* Words this short after a code at the end of the text are OCR specks of the label's
 * edge ("Par il"), not title words. */
#define MAX_SPECK_LENGTH 2

/* Letters of the collections a Spanish or Catalan public library marks ("N" novel, "JN"
 * young readers' novel, "I**" children's, "P" poetry, "T" theatre, "NE"/"NF" languages):
 * written with these only. */
static const char collection_letters[] = "CDEFIJNPT";
/* The letters that make a collection alone. A lone "I" or "C" is a word of English titles
 * ("I Saw Her", "I Was Told") more often than a label; the shared library's tags have
 * neither. */
static const char lone_collection_letters[] = "NPT";

/* "Sal", "Pam", "Gri": a capital and two small letters. */
static gboolean
is_author_code (const char *word)
{
  gunichar chars[3];
  const char *p = word;

  for (guint i = 0; i < 3; i++, p = g_utf8_next_char (p))
    {
      if (*p == '\0')
        return FALSE;
      chars[i] = g_utf8_get_char (p);
    }
  return *p == '\0' && g_unichar_isupper (chars[0]) && g_unichar_islower (chars[1]) &&
         g_unichar_islower (chars[2]);
}

/* "N", "JN", "I**": one to three collection letters, perhaps starred. */
static gboolean
is_collection (const char *word,
               gsize       length)
{
  gsize letters = 0;

  while (letters < length && word[letters] != '\0' &&
         strchr (collection_letters, word[letters]) != NULL)
    letters++;
  if (letters == 0 || letters > 3)
    return FALSE;
  if (letters == 1 && length == 1 && strchr (lone_collection_letters, word[0]) == NULL)
    return FALSE;
  for (gsize i = letters; i < length; i++)
    if (word[i] != '*')
      return FALSE;
  return TRUE;
}

/* "796", "613.2", "9(46)", "82-31", "I59": digits and the punctuation of class numbers. */
static gboolean
is_class_number (const char *word)
{
  const char *p = word;

  if (*p == 'I' || *p == 'J')
    p++;
  if (!g_ascii_isdigit (*p))
    return FALSE;
  for (; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p) && strchr (".()/,-", *p) == NULL)
      return FALSE;
  return TRUE;
}

/* A class number no title prints: two or three digits, then a decimal point or CDU
 * punctuation and a digit ("796.4", "82-31", "9(46)" is too short to tell). Years
 * ("1936-1939") and "Web 2.0" have other lengths. */
static gboolean
is_decimal_class (const char *word)
{
  gsize digits = strspn (word, "0123456789");

  /* strchr also finds the terminating NUL: "42" must stop there, not read past its end */
  return is_class_number (word) && (digits == 2 || digits == 3) && word[digits] != '\0' &&
         strchr (".(/-", word[digits]) != NULL && g_ascii_isdigit (word[digits + 1]);
}

static gboolean
is_label_prefix (const char *word)
{
  return is_collection (word, strlen (word)) || is_class_number (word);
}

/* "Al" for "Ali" (its last letter lost at the label's edge), "RpP" for "App", "vel" for
 * "Vel" (a letter or its case misread): two or three letters, a capital among them or
 * three letters (a small two-letter word is a title's "de", "la"). Taken for a code only
 * after a class number no title prints (loose_code_allowed); the catalog then decides
 * whether any book has such a label. */
static gboolean
is_misread_code (const char *word)
{
  gsize length = strlen (word);
  gboolean upper = FALSE;

  if (length < 2 || length > 3)
    return FALSE;
  for (gsize i = 0; i < length; i++)
    {
      if (!g_ascii_isalpha (word[i]))
        return FALSE;
      upper |= g_ascii_isupper (word[i]);
    }
  return upper || length == 3;
}

/* Whether the prefixes @words[@start, @end) make a class number plain enough for a misread
 * code: a decimal class ("796.422 Al") or two numbers ("796 342 RpP", a dot read as a
 * blank). "1984 Al" or "7196 La" stay title words. */
static gboolean
loose_code_allowed (char  **words,
                    guint   start,
                    guint   end)
{
  guint numbers = 0;

  for (guint i = start; i < end; i++)
    {
      if (is_decimal_class (words[i]))
        return TRUE;
      numbers += g_ascii_isdigit (words[i][0]) ? 1 : 0;
    }
  return numbers >= 2;
}

/* "NPam", "JNPar": collection letters and a code read without the blank between them; the
 * code's start, or NULL. */
static const char *
glued_code (const char *word)
{
  gsize length = strlen (word);

  for (gsize split = 1; split <= 3 && split < length; split++)
    if (is_collection (word, split) && is_author_code (word + split))
      return word + split;
  return NULL;
}

static char *
fold_code (const char *code)
{
  return bi_title_normalize_text (code);
}

void
bi_call_number_free (BiCallNumber *label)
{
  if (label == NULL)
    return;
  g_free (label->class_number);
  g_free (label->author_code);
  g_free (label);
}

static BiCallNumber *
call_number_new (char       **words,
                 guint        start,
                 guint        end,
                 const char  *code)
{
  BiCallNumber *label = g_new0 (BiCallNumber, 1);

  if (end > start)
    {
      g_autofree char **prefixes = NULL;
      guint decimal = end;

      /* A speck read as a digit before the class number ("4 796.325 Ken") is no part of
       * it: numbers before a decimal class number are dropped, collection letters kept. */
      for (guint i = start + 1; i < end; i++)
        if (is_decimal_class (words[i]))
          decimal = i;
      while (decimal < end && start < decimal && g_ascii_isdigit (words[start][0]))
        start++;
      prefixes = g_new0 (char *, end - start + 1);

      memcpy (prefixes, words + start, (end - start) * sizeof (char *));
      label->class_number = g_strjoinv (" ", prefixes);
    }
  else
    {
      /* Glued: "NPam" is collection "N", code "Pam". */
      label->class_number = g_strndup (words[start], (gsize) (code - words[start]));
    }
  label->author_code = g_strdup (code);
  return label;
}

/* Splits @text into the words kept (borrowed from @words) and its labels (@labels,
 * nullable); the author code of the first label, else a code ending the text, folded. */
static char *
scan_labels (char      **words,
             GPtrArray  *kept,
             GPtrArray  *labels)
{
  g_autofree char *code = NULL;
  guint n_words = g_strv_length (words);

  for (guint i = 0; i < n_words;)
    {
      const char *word = words[i];
      const char *label_code = NULL;
      guint end = i;

      while (end < n_words && end - i < MAX_LABEL_PREFIXES && is_label_prefix (words[end]))
        end++;
      if (end > i && end < n_words &&
          (is_author_code (words[end]) ||
           (is_misread_code (words[end]) && loose_code_allowed (words, i, end))))
        label_code = words[end];
      else if ((label_code = glued_code (word)) != NULL)
        end = i;

      /* "Par N" ending the text: a label ("N Par") read as two lines, its letter last. A
       * spine's title runs one way and its label, stuck on upright, may run the other: a
       * label read in two pieces is then put together in the wrong order. */
      if (label_code == NULL && i + 2 == n_words && is_author_code (word) &&
          bi_call_number_is_lone_collection (words[i + 1]))
        {
          if (code == NULL)
            code = fold_code (word);
          if (labels != NULL)
            g_ptr_array_add (labels, call_number_new (words, i + 1, i + 2, word));
          break;
        }
      if (label_code == NULL)
        {
          if (word[0] != '\0' && !is_decimal_class (word))
            g_ptr_array_add (kept, (gpointer) word);
          i++;
          continue;
        }
      /* A label: its prefixes, its code and the code read twice ("833 Par Par"). */
      if (code == NULL)
        code = fold_code (label_code);
      if (labels != NULL)
        g_ptr_array_add (labels, call_number_new (words, i, end, label_code));
      for (i = end + 1; i < n_words && strcmp (words[i], label_code) == 0; i++)
        ;
    }

  /* No label, but a code may end the text, after the title: kept as evidence only. */
  if (code == NULL)
    {
      guint last = kept->len;

      while (last > 0 && g_utf8_strlen (g_ptr_array_index (kept, last - 1), -1) <=
                         MAX_SPECK_LENGTH)
        last--;
      if (last > 1 && is_author_code (g_ptr_array_index (kept, last - 1)))
        code = fold_code (g_ptr_array_index (kept, last - 1));
    }
  return g_steal_pointer (&code);
}

char *
bi_call_number_strip (const char  *text,
                      char       **author_code)
{
  g_auto(GStrv) words = NULL;
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();
  g_autofree char *code = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  words = g_strsplit (text, " ", -1);
  code = scan_labels (words, kept, NULL);
  if (author_code != NULL)
    *author_code = g_steal_pointer (&code);
  g_ptr_array_add (kept, NULL);
  return g_strjoinv (" ", (char **) kept->pdata);
}

GPtrArray *
bi_call_number_read (const char *text)
{
  g_auto(GStrv) words = NULL;
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();
  g_autofree char *code = NULL;
  GPtrArray *labels = g_ptr_array_new_with_free_func ((GDestroyNotify) bi_call_number_free);

  g_return_val_if_fail (text != NULL, labels);

  words = g_strsplit (text, " ", -1);
  code = scan_labels (words, kept, labels);
  return labels;
}

gboolean
bi_call_number_code_matches (const char         *author_code,
                             const char         *title,
                             const char * const *authors)
{
  g_autofree char *name = NULL;
  g_auto(GStrv) words = NULL;
  guint n_words;

  if (author_code == NULL || author_code[0] == '\0')
    return FALSE;
  /* A book without an author is labelled by its title, article left out ("Gritos y
   * escalofríos": "I*** Gri"). */
  if (authors == NULL || authors[0] == NULL || authors[0][0] == '\0')
    {
      g_autofree char *normal = bi_title_normalize (title != NULL ? title : "");

      return g_str_has_prefix (normal, author_code);
    }

  name = bi_title_normalize_text (authors[0]);
  words = g_strsplit (name, " ", -1);
  n_words = g_strv_length (words);
  /* Any word but the given name that leads a "Given Surname" name: Spanish authors have
   * two surnames, catalogs put dates among them ("Teresa 1919-2012 Pàmies"). */
  for (guint i = n_words > 1 ? 1 : 0; i < n_words; i++)
    if (g_utf8_strlen (words[i], -1) >= 3 && !g_ascii_isdigit (words[i][0]) &&
        g_str_has_prefix (words[i], author_code))
      return TRUE;
  return FALSE;
}

gboolean
bi_call_number_is_lone_collection (const char *word)
{
  g_return_val_if_fail (word != NULL, FALSE);

  return strlen (word) == 1 && is_collection (word, 1);
}
