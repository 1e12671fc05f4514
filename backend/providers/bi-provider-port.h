/* bi-provider-port.h — the BiCatalog search and ISBN lookup both online catalogs share
 *
 * Open Library and Google Books differ only in how a question becomes a request and how the
 * answer becomes books (their fetch function); what is asked and what is kept is the same: a
 * search sends the query's words (bi-provider-query.h), asks for a few more results than
 * wanted and ranks them by the local catalog's measure; an ISBN lookup asks only about a valid
 * ISBN-13, takes the first book and gives it the ISBN asked for, with a full score.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bi-ports.h"

G_BEGIN_DECLS

/* Asks the service behind @port for books matching @q (the words to send, or "isbn:…"), at
 * most @max_results of them; NULL with @error set when it failed. */
typedef GPtrArray *(*BiProviderFetchFunc) (BiCatalog   *port,
                                           const char  *q,
                                           guint        max_results,
                                           GError     **error);

/* BiCatalog.search for an online catalog: an empty list without a request when @query has
 * nothing to search for. */
GPtrArray *bi_provider_port_search      (BiCatalog            *port,
                                         BiProviderFetchFunc   fetch,
                                         const char           *query,
                                         guint                 limit,
                                         GError              **error);

/* BiCatalog.lookup_isbn for an online catalog: NULL without a request for an invalid ISBN,
 * NULL without an error when the service does not know it. */
BiBook    *bi_provider_port_lookup_isbn (BiCatalog            *port,
                                         BiProviderFetchFunc   fetch,
                                         const char           *isbn13,
                                         GError              **error);

G_END_DECLS
