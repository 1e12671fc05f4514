/* bi-shelf-books.h — the books a synthetic shelf is stocked with, read from catalog files
 *
 * The generated photos show books the real catalog holds, so that the benchmark measures the
 * pipeline against what it will meet: the pool is read with the catalog's own reader and
 * parser (bi-delimited-reader.h, bi-catalog-format.h), never with a parser of its own.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char *title;       /* as the catalog has it: what the ground truth names */
  char *spine_title; /* what is printed: the title without its subtitle or series */
  char *author;      /* the first author as printed ("Name Surname"), or NULL */
  char *isbn13;      /* a valid ISBN-13, or NULL */
} BiShelfBook;

typedef struct _BiShelfBookPool BiShelfBookPool;

BiShelfBookPool   *bi_shelf_book_pool_new          (void);
void               bi_shelf_book_pool_free         (BiShelfBookPool  *self);

/* Adds the printable books of a goodbooks TSV or llabres CSV file, in file order. A book
 * whose printed title would be too short or too long for a spine is left out. */
gboolean           bi_shelf_book_pool_add_catalog  (BiShelfBookPool  *self,
                                                    const char       *path,
                                                    GError          **error);

guint              bi_shelf_book_pool_get_size     (BiShelfBookPool  *self);
const BiShelfBook *bi_shelf_book_pool_get          (BiShelfBookPool  *self,
                                                    guint             index);

/* A book drawn at random that no earlier call returned while unused ones remain, so a run's
 * photos do not repeat a book. */
const BiShelfBook *bi_shelf_book_pool_pick         (BiShelfBookPool  *self,
                                                    GRand            *rand);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiShelfBookPool, bi_shelf_book_pool_free)

G_END_DECLS
