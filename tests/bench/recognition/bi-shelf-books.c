/* bi-shelf-books.c — the books a synthetic shelf is stocked with, read from catalog files
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-shelf-books"

#include "bi-shelf-books.h"

#include "bi-catalog-format.h"
#include "bi-delimited-reader.h"

#include <gio/gio.h>
#include <string.h>

/* Printed titles outside this length (in characters) do not fit a spine legibly. */
#define MIN_SPINE_TITLE 3
#define MAX_SPINE_TITLE 42

struct _BiShelfBookPool
{
  GPtrArray *books;  /* of BiShelfBook */
  GArray    *order;  /* of guint: a permutation of books, drawn front to back by pick() */
  guint      picked; /* how many of @order pick() has handed out */
};

static void
shelf_book_free (BiShelfBook *book)
{
  g_free (book->title);
  g_free (book->spine_title);
  g_free (book->author);
  g_free (book->isbn13);
  g_free (book);
}

/* The title as a spine shows it: the part before a subtitle (" : " in library records, ": "
 * in goodbooks) and without a goodbooks series note "(The Hunger Games, #1)". */
static char *
spine_title_from (const char *title)
{
  g_autofree char *spine = g_strdup (title);
  char *cut;

  if ((cut = strrchr (spine, '(')) != NULL && cut > spine && strchr (cut, '#') != NULL)
    *cut = '\0';
  /* After the series note, which may hold a colon of its own. */
  if ((cut = strchr (spine, ':')) != NULL)
    *cut = '\0';
  g_strstrip (spine);
  return g_steal_pointer (&spine);
}

static gboolean
is_printable (const char *spine_title)
{
  glong length = g_utf8_strlen (spine_title, -1);
  guint letters = 0;

  if (length < MIN_SPINE_TITLE || length > MAX_SPINE_TITLE)
    return FALSE;
  for (const char *p = spine_title; *p != '\0'; p = g_utf8_next_char (p))
    if (g_unichar_isalpha (g_utf8_get_char (p)))
      letters++;
  return letters >= 2;
}

BiShelfBookPool *
bi_shelf_book_pool_new (void)
{
  BiShelfBookPool *self = g_new0 (BiShelfBookPool, 1);

  self->books = g_ptr_array_new_with_free_func ((GDestroyNotify) shelf_book_free);
  self->order = g_array_new (FALSE, FALSE, sizeof (guint));
  return self;
}

void
bi_shelf_book_pool_free (BiShelfBookPool *self)
{
  if (self == NULL)
    return;
  g_ptr_array_unref (self->books);
  g_array_unref (self->order);
  g_free (self);
}

static void
add_record (BiShelfBookPool       *self,
            const BiCatalogRecord *record)
{
  g_autofree char *spine_title = spine_title_from (record->title);
  BiShelfBook *book;
  guint index;

  if (!is_printable (spine_title))
    return;

  book = g_new0 (BiShelfBook, 1);
  book->title = g_strdup (record->title);
  book->spine_title = g_steal_pointer (&spine_title);
  if (record->authors != NULL && record->authors[0] != NULL && *record->authors[0] != '\0')
    book->author = g_strdup (record->authors[0]);
  book->isbn13 = g_strdup (record->isbn13);

  index = self->books->len;
  g_ptr_array_add (self->books, book);
  g_array_append_val (self->order, index);
}

gboolean
bi_shelf_book_pool_add_catalog (BiShelfBookPool  *self,
                                const char       *path,
                                GError          **error)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) input = NULL;
  g_autoptr(BiDelimitedReader) reader = NULL;
  g_autoptr(GError) local_error = NULL;
  BiCatalogFormat format;
  GPtrArray *fields = NULL;
  const char *reason = NULL;

  g_return_val_if_fail (self != NULL && path != NULL, FALSE);

  input = g_file_read (file, NULL, &local_error);
  if (input == NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  "Could not read the catalog file %s: ", path);
      return FALSE;
    }

  reader = bi_delimited_reader_new (G_INPUT_STREAM (input));
  if (bi_delimited_reader_next (reader, &fields, &reason, &local_error) != BI_DELIMITED_RECORD
      || !bi_catalog_format_detect (fields, bi_delimited_reader_get_delimiter (reader), &format,
                                    &local_error))
    {
      if (local_error != NULL)
        g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                    "The catalog file %s has no usable header: ", path);
      else
        g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                     "The catalog file %s has no usable header line.", path);
      return FALSE;
    }

  for (;;)
    {
      g_auto(BiCatalogRecord) record = { 0 };
      g_autofree char *row_reason = NULL;

      switch (bi_delimited_reader_next (reader, &fields, &reason, &local_error))
        {
        case BI_DELIMITED_RECORD:
          /* A row that is not a book is not a book the catalog knows either: skip it. */
          if (bi_catalog_record_parse (&format, fields, &record, &row_reason))
            add_record (self, &record);
          break;
        case BI_DELIMITED_MALFORMED:
          break;
        case BI_DELIMITED_END:
          return TRUE;
        case BI_DELIMITED_ERROR:
        default:
          g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                      "Could not read the catalog file %s: ", path);
          return FALSE;
        }
    }
}

guint
bi_shelf_book_pool_get_size (BiShelfBookPool *self)
{
  g_return_val_if_fail (self != NULL, 0);
  return self->books->len;
}

const BiShelfBook *
bi_shelf_book_pool_get (BiShelfBookPool *self,
                        guint            index)
{
  g_return_val_if_fail (self != NULL && index < self->books->len, NULL);
  return g_ptr_array_index (self->books, index);
}

const BiShelfBook *
bi_shelf_book_pool_pick (BiShelfBookPool *self,
                         GRand           *rand)
{
  guint *order;
  guint chosen, swap;

  g_return_val_if_fail (self != NULL && rand != NULL, NULL);
  g_return_val_if_fail (self->books->len > 0, NULL);

  /* One step of a Fisher–Yates shuffle: the front of @order holds the books handed out. Once
   * every book was used, start over rather than fail. */
  if (self->picked == self->order->len)
    self->picked = 0;
  order = (guint *) (void *) self->order->data;
  chosen = (guint) g_rand_int_range (rand, (gint32) self->picked, (gint32) self->order->len);
  swap = order[self->picked];
  order[self->picked] = order[chosen];
  order[chosen] = swap;
  return g_ptr_array_index (self->books, order[self->picked++]);
}
