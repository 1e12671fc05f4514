/* bi-export-merge.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-export-merge"

#include "bi-export-merge.h"

#include "bi-export-normalize.h"

/* The title-and-author key; NULL when the title normalises to nothing (then only the ISBN-13
 * can match, since noise such as "!!!" must not merge unrelated spines). */
static char *
title_author_key (BiExportBook *book)
{
  g_autofree char *title = bi_export_normalize_title (book->title);
  g_autofree char *surname = bi_export_normalize_surname (bi_export_book_get_first_author (book));

  if (*title == '\0')
    return NULL;
  return g_strconcat (title, "\n", surname, NULL);
}

static BiExportBook *
copy_book (BiExportBook *source)
{
  BiExportBook *copy = bi_export_book_new (source->title);

  g_strfreev (copy->authors);
  copy->authors = g_strdupv (source->authors);
  copy->year = source->year;
  copy->isbn13 = g_strdup (source->isbn13);
  copy->confidence = source->confidence;
  g_free (copy->source);
  copy->source = g_strdup (source->source);
  g_free (copy->source_id);
  copy->source_id = g_strdup (source->source_id);

  return copy;
}

static void
add_sightings (BiExportBook *target,
               BiExportBook *source)
{
  for (guint i = 0; i < source->sightings->len; i++)
    {
      BiExportSighting *sighting = g_ptr_array_index (source->sightings, i);

      bi_export_book_add_sighting (target, sighting->photo, sighting->position,
                                   sighting->ocr_text, sighting->confidence);
    }
}

static gboolean
shares_a_photo (BiExportBook *a,
                BiExportBook *b)
{
  for (guint i = 0; i < a->sightings->len; i++)
    {
      BiExportSighting *sa = g_ptr_array_index (a->sightings, i);

      for (guint j = 0; j < b->sightings->len; j++)
        {
          BiExportSighting *sb = g_ptr_array_index (b->sightings, j);

          if (g_strcmp0 (sa->photo, sb->photo) == 0)
            return TRUE;
        }
    }
  return FALSE;
}

static void
merge_into (BiExportBook *target,
            BiExportBook *source)
{
  if (target->isbn13 == NULL)
    target->isbn13 = g_strdup (source->isbn13);
  if (target->year == 0)
    target->year = source->year;
  if (target->authors[0] == NULL && source->authors[0] != NULL)
    {
      g_strfreev (target->authors);
      target->authors = g_strdupv (source->authors);
    }
  target->confidence = MAX (target->confidence, source->confidence);
  add_sightings (target, source);
}

/* The merged book @book belongs to, or NULL. */
static BiExportBook *
find_match (BiExportBook *book,
            GHashTable   *by_isbn,
            GHashTable   *by_title,
            const char   *key)
{
  BiExportBook *match = NULL;

  if (book->isbn13 != NULL)
    match = g_hash_table_lookup (by_isbn, book->isbn13);
  if (match == NULL && key != NULL)
    {
      match = g_hash_table_lookup (by_title, key);
      /* Same title, different ISBN-13: two editions, two books. */
      if (match != NULL && match->isbn13 != NULL && book->isbn13 != NULL)
        match = NULL;
    }

  if (match != NULL && shares_a_photo (match, book))
    return NULL;
  return match;
}

GPtrArray *
bi_export_merge (GPtrArray *books)
{
  g_autoptr(GPtrArray) merged = NULL;
  g_autoptr(GHashTable) by_isbn = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) by_title = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_return_val_if_fail (books != NULL, NULL);

  merged = g_ptr_array_new_with_free_func ((GDestroyNotify) bi_export_book_unref);

  for (guint i = 0; i < books->len; i++)
    {
      BiExportBook *book = g_ptr_array_index (books, i);
      g_autofree char *key = title_author_key (book);
      BiExportBook *target = find_match (book, by_isbn, by_title, key);

      if (target == NULL)
        {
          target = copy_book (book);
          add_sightings (target, book);
          g_ptr_array_add (merged, target);
        }
      else
        {
          merge_into (target, book);
        }

      /* The first book with a key keeps it: later ones merge into that one. */
      if (target->isbn13 != NULL && !g_hash_table_contains (by_isbn, target->isbn13))
        g_hash_table_insert (by_isbn, target->isbn13, target);
      if (key != NULL && !g_hash_table_contains (by_title, key))
        g_hash_table_insert (by_title, g_steal_pointer (&key), target);
    }

  return g_steal_pointer (&merged);
}
