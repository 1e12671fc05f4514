/* bi-open-library-catalog.h — Open Library's search API as a BiCatalog port
 *
 * `GET /search.json?q=…&fields=key,title,author_name,first_publish_year,isbn&limit=N`
 * (https://openlibrary.org/dev/docs/api/search), and `q=isbn:…` for an ISBN. Open Library
 * asks for the fields to be listed, a User-Agent naming the application and a contact, and
 * at most 3 requests a second with it; all three are kept. Books come back with source
 * "openlibrary" and the work key ("/works/OL…W") as source id. Thread-safe.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bi-ports.h"
#include "bi-provider-client.h"

G_BEGIN_DECLS

#define BI_OPEN_LIBRARY_URL                 "https://openlibrary.org"
#define BI_OPEN_LIBRARY_REQUESTS_PER_SECOND 3.0

typedef struct _BiOpenLibraryCatalog BiOpenLibraryCatalog;

/* @config may be NULL (the public service, no cache). */
BiOpenLibraryCatalog *bi_open_library_catalog_new     (const BiProviderConfig *config);
void                  bi_open_library_catalog_free    (BiOpenLibraryCatalog   *self);

/* The port; valid as long as @self. Errors: BI_PROVIDER_ERROR. */
BiCatalog            *bi_open_library_catalog_as_port (BiOpenLibraryCatalog   *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiOpenLibraryCatalog, bi_open_library_catalog_free)

G_END_DECLS
