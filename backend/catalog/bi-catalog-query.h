/* bi-catalog-query.h — a catalog search made from arbitrary (OCR) text
 *
 * The text is normalised (bi-search-text.h) and cut into words; those words become an FTS5
 * MATCH expression in which every word is a quoted string, so no input can inject FTS5
 * syntax (AND, OR, NEAR, *, column filters). SQLite's bm25 finds the rows that share rare
 * words with the query; bi_catalog_query_score() then decides how well each row matches.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Words kept from a query: OCR text of a spine rarely has more that matter. */
#define BI_CATALOG_QUERY_MAX_WORDS 24

typedef struct _BiCatalogQuery BiCatalogQuery;

BiCatalogQuery *bi_catalog_query_new            (const char            *text);
void            bi_catalog_query_free           (BiCatalogQuery        *self);

/* TRUE when the text had no word to search for (empty, punctuation, single letters). */
gboolean        bi_catalog_query_is_empty       (const BiCatalogQuery  *self);

/* `"word1" OR "word2" …`; NULL when the query is empty. */
char           *bi_catalog_query_to_fts_match   (const BiCatalogQuery  *self);

/* How well a book matches, 0.0–1.0: mostly the F-measure of "the query's words are in the
 * book" (precision) and "the book's main title is in the query" (recall: the title without
 * its subtitle or series note, or — counting a little less — the original title), so a
 * query naming the title and author scores 1.0 and one sharing only a common word scores
 * low. Short and very common words weigh less than long ones, and a match that rests on a
 * single meaningful word scores lower. */
double          bi_catalog_query_score          (const BiCatalogQuery  *self,
                                                 const char            *title,
                                                 const char            *original_title,
                                                 const char * const    *authors);

/* Sorts @books (of BiBook) best score first. The sort is stable: books that score the same
 * keep their order, so callers can rely on the order they added them in. */
void            bi_catalog_sort_books_by_score  (GPtrArray             *books);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiCatalogQuery, bi_catalog_query_free)

G_END_DECLS
