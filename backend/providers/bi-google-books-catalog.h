/* bi-google-books-catalog.h — the Google Books API (volumes list) as a BiCatalog port
 *
 * `GET /books/v1/volumes?q=…&maxResults=N&fields=items(id,volumeInfo(title,authors,
 * publishedDate,industryIdentifiers))&key=…` (https://developers.google.com/books/docs/v1/
 * using), and `q=isbn:…` for an ISBN. The user's API key is required; its quota errors (403
 * or 429 with dailyLimitExceeded, rateLimitExceeded, …) come back as BI_PROVIDER_ERROR_QUOTA
 * and a wrong key (400 keyInvalid, 403 accessNotConfigured, …) as BI_PROVIDER_ERROR_BAD_KEY,
 * with messages that say so. Books have source "googlebooks" and the volume id as source id.
 * Thread-safe.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bi-ports.h"
#include "bi-provider-client.h"

G_BEGIN_DECLS

#define BI_GOOGLE_BOOKS_URL "https://www.googleapis.com"
/* Google counts a per-minute quota per user; a steady pace stays well inside it. */
#define BI_GOOGLE_BOOKS_REQUESTS_PER_SECOND 5.0

typedef struct _BiGoogleBooksCatalog BiGoogleBooksCatalog;

/* @config->api_key is required. */
BiGoogleBooksCatalog *bi_google_books_catalog_new     (const BiProviderConfig *config);
void                  bi_google_books_catalog_free    (BiGoogleBooksCatalog   *self);

/* The port; valid as long as @self. Errors: BI_PROVIDER_ERROR. */
BiCatalog            *bi_google_books_catalog_as_port (BiGoogleBooksCatalog   *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiGoogleBooksCatalog, bi_google_books_catalog_free)

G_END_DECLS
