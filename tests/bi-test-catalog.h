/* bi-test-catalog.h — the catalog tests' fixture: a temporary dir and a SQLite catalog
 *
 * For g_test_add() with BiTestCatalog as the fixture type (tests/test-sqlite-catalog.c and
 * tests/catalog/): the files a test writes go in @dir and are imported into @catalog; every
 * step asserts its own success, so a test states only what it checks.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bi-sqlite-catalog.h"

G_BEGIN_DECLS

/* Set-up data for a catalog in memory rather than in the fixture's dir. */
#define BI_TEST_CATALOG_IN_MEMORY ":memory:"

typedef struct
{
  char            *dir;     /* temporary directory of the files the test writes */
  BiSqliteCatalog *catalog; /* in @dir as catalog.sqlite3, or in memory */
} BiTestCatalog;

/* @data: NULL, or BI_TEST_CATALOG_IN_MEMORY. */
void    bi_test_catalog_set_up      (BiTestCatalog        *fixture,
                                     gconstpointer         data);
/* Frees the catalog (unless the test did and set it to NULL) and removes the dir. */
void    bi_test_catalog_tear_down   (BiTestCatalog        *fixture,
                                     gconstpointer         data);

/* Imports the file at @path; @stats may be NULL. */
void    bi_test_catalog_import_path (BiTestCatalog        *fixture,
                                     const char           *path,
                                     BiCatalogImportStats *stats);
/* Writes @contents as @name in the dir and imports it. */
void    bi_test_catalog_import_text (BiTestCatalog        *fixture,
                                     const char           *name,
                                     const char           *contents,
                                     BiCatalogImportStats *stats);
/* Writes @length bytes of @contents gzip-compressed as @name in the dir; returns its path. */
char   *bi_test_catalog_write_gzip  (BiTestCatalog        *fixture,
                                     const char           *name,
                                     const char           *contents,
                                     gsize                 length);

/* Asserts the summary of an import: @format ("Libib CSV"), rows imported and rows skipped. */
void    bi_test_catalog_assert_stats (const BiCatalogImportStats *stats,
                                      const char                 *format,
                                      guint                       imported,
                                      guint                       skipped);

/* The catalog's book with @isbn13; the test fails without one. */
BiBook *bi_test_catalog_lookup_isbn (BiTestCatalog        *fixture,
                                     const char           *isbn13);

G_END_DECLS
