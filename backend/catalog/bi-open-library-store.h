/* bi-open-library-store.h — Open Library dump records staged in the catalog database
 *
 * The three dumps refer to each other by key (a work to its authors, an edition to its work)
 * and may be given in any order, each file alone, and far too large to hold in memory. So
 * each record goes to a staging table as it is read (authors: key → name; works: title, year,
 * author keys; editions: the work's ISBN-13, the first one seen), and one SQL statement then
 * resolves the staged works into catalog books ("openlibrary:/works/OL1W"), joining what the
 * database holds so far: giving the authors later updates the books' authors.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bi-open-library-dump.h"

#include <sqlite3.h>

G_BEGIN_DECLS

/* The staging tables, for the catalog's schema (IF NOT EXISTS) and for dropping them. */
extern const char bi_open_library_store_schema_sql[];
extern const char bi_open_library_store_drop_sql[];

typedef struct _BiOpenLibraryStore BiOpenLibraryStore;

/* Statements over @db, which must outlive the store and hold the schema.
 * Errors: BI_CATALOG_ERROR_DATABASE. */
BiOpenLibraryStore *bi_open_library_store_new         (sqlite3                    *db,
                                                       GError                    **error);
void                bi_open_library_store_free        (BiOpenLibraryStore         *self);

/* Stages @record, read from the file @file_key. */
gboolean            bi_open_library_store_add         (BiOpenLibraryStore         *self,
                                                       const BiOpenLibraryRecord  *record,
                                                       const char                 *file_key,
                                                       GError                    **error);

/* Drops what an earlier import of @file_key staged. */
gboolean            bi_open_library_store_forget_file (BiOpenLibraryStore         *self,
                                                       const char                 *file_key,
                                                       GError                    **error);

/* Writes every staged work into `books` (inserting, or updating what changed). Needs the SQL
 * function bi_search_text (text) → normalised search text. */
gboolean            bi_open_library_store_resolve     (BiOpenLibraryStore         *self,
                                                       GError                    **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiOpenLibraryStore, bi_open_library_store_free)

G_END_DECLS
