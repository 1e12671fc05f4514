/* bi-provider-books.h — reading book records out of an online catalog's JSON, strictly
 *
 * The services' JSON is read by its documented shape only: a member of the wrong type counts
 * as missing, so an odd record is skipped rather than trusted (or crashed on). Online results
 * are scored by the local catalog's own measure (bi-catalog-query.h) against the query, so the
 * validator weighs a book from Open Library exactly as one from the local catalog.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "bi-ports.h"
#include "bi-protocol-messages.h"

G_BEGIN_DECLS

/* The member's array elements that are non-empty strings (others skipped), as a new
 * NULL-terminated array; empty when the member is missing or not an array. */
char       **bi_provider_json_strings   (JsonObject          *object,
                                         const char          *member);
/* The first of @isbns (ISBN-13 or ISBN-10, hyphens allowed) with a correct check digit, as an
 * ISBN-13; NULL when none has. */
char        *bi_provider_pick_isbn13    (const char * const  *isbns);
/* Reads a book from one element of a service's result list; NULL to skip the element. */
typedef BiBook *(*BiProviderBookFunc) (JsonNode *element);
/* The books @read_book makes of @array's elements, in order; those it skips are logged (at
 * debug level) as "Skipped @element_name N: no string @id_member and title". */
GPtrArray   *bi_provider_read_books     (JsonArray           *array,
                                         BiProviderBookFunc   read_book,
                                         const char          *element_name,
                                         const char          *id_member);
/* Scores @books (of BiBook) against @query, drops those that do not match at all, sorts them
 * best first and keeps at most @limit. */
void         bi_provider_rank_books     (GPtrArray           *books,
                                         const char          *query,
                                         guint                limit);

G_END_DECLS
