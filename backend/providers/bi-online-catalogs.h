/* bi-online-catalogs.h — the online catalogs a server was asked for, over its local catalog
 *
 * Turns `--online-catalogs openlibrary,googlebooks` and the Google Books key into providers
 * that share one response cache in the data dir, layered behind the local catalog
 * (bi-layered-catalog.h). With no names, the port is the local catalog itself.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bi-ports.h"
#include "bi-provider-error.h"

G_BEGIN_DECLS

#define BI_ONLINE_CATALOG_OPEN_LIBRARY "openlibrary"
#define BI_ONLINE_CATALOG_GOOGLE_BOOKS "googlebooks"
/* The response cache, in the server's data dir. */
#define BI_ONLINE_CATALOGS_CACHE_FILE  "online-catalogs.sqlite3"

typedef struct
{
  const char * const *names;            /* from bi_online_catalogs_parse_names() */
  const char         *google_books_key; /* required with googlebooks; never logged */
  const char         *data_dir;         /* where the cache lives; NULL: no cache */
  const char         *open_library_url; /* NULL: the public service (tests: a local one) */
  const char         *google_books_url; /* NULL: the public service */
} BiOnlineCatalogsConfig;

typedef struct _BiOnlineCatalogs BiOnlineCatalogs;

/* "openlibrary,googlebooks" → its names, in order, once each. NULL, "" and "none": none.
 * Errors: BI_PROVIDER_ERROR_CONFIG naming the unknown provider and the known ones. */
GStrv             bi_online_catalogs_parse_names (const char                    *list,
                                                  GError                       **error);
/* Checks what the names need: googlebooks needs a key. Errors: BI_PROVIDER_ERROR_CONFIG. */
gboolean          bi_online_catalogs_check       (const char * const            *names,
                                                  const char                    *google_books_key,
                                                  GError                       **error);

/* @local is borrowed. Errors: BI_PROVIDER_ERROR_CONFIG, BI_PROVIDER_ERROR_CACHE. */
BiOnlineCatalogs *bi_online_catalogs_new         (BiCatalog                     *local,
                                                  const BiOnlineCatalogsConfig  *config,
                                                  GError                       **error);
void              bi_online_catalogs_free        (BiOnlineCatalogs              *self);

/* The catalog the validator uses; valid as long as @self. */
BiCatalog        *bi_online_catalogs_as_port     (BiOnlineCatalogs              *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiOnlineCatalogs, bi_online_catalogs_free)

G_END_DECLS
