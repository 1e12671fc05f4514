/* bi-export-citation-key.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-export-citation-key"

#include "bi-export-citation-key.h"

#include "bi-export-normalize.h"

/* The ASCII letters and digits of @text after its accents are gone ("Ça" → "ca"), of its
 * first word only or of all its words. */
static void
append_ascii (GString    *key,
              const char *text,
              gboolean    first_word_only)
{
  g_autofree char *normalized = bi_export_normalize_text (text);

  for (const char *p = normalized; *p != '\0'; p++)
    {
      if (*p == ' ' && first_word_only)
        break;
      if (g_ascii_isalnum (*p))
        g_string_append_c (key, *p);
    }
}

static char *
base_key (BiExportBook *book)
{
  g_autofree char *surname = bi_export_normalize_surname (bi_export_book_get_first_author (book));
  g_autofree char *title = bi_export_normalize_title (book->title);
  GString *key = g_string_new (NULL);

  append_ascii (key, surname, FALSE);  /* "le guin" → "leguin" */
  if (book->year > 0)
    g_string_append_printf (key, "%d", book->year);
  append_ascii (key, title, TRUE);

  /* A key must start with a letter for some BibTeX styles, and must not be empty. */
  if (key->len == 0 || !g_ascii_isalpha (key->str[0]))
    g_string_prepend (key, "book");
  return g_string_free (key, FALSE);
}

GStrv
bi_export_citation_keys (GPtrArray *books)
{
  g_autoptr(GHashTable) used = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GStrvBuilder) keys = g_strv_builder_new ();

  g_return_val_if_fail (books != NULL, NULL);

  for (guint i = 0; i < books->len; i++)
    {
      g_autofree char *base = base_key (g_ptr_array_index (books, i));
      char *key = g_strdup (base);

      for (guint n = 0; g_hash_table_contains (used, key); n++)
        {
          g_free (key);
          key = n < 26 ? g_strdup_printf ("%s%c", base, 'a' + n)
                       : g_strdup_printf ("%s-%u", base, n - 24);
        }

      g_strv_builder_add (keys, key);
      g_hash_table_add (used, key);
    }

  return g_strv_builder_end (keys);
}
