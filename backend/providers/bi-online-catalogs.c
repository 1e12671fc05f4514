/* bi-online-catalogs.c — building the online catalogs of a server's options
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-online-catalogs"

#include "bi-online-catalogs.h"
#include "bi-google-books-catalog.h"
#include "bi-layered-catalog.h"
#include "bi-open-library-catalog.h"
#include "bi-response-cache.h"

#include <string.h>

struct _BiOnlineCatalogs
{
  BiCatalog            *local;        /* borrowed */
  BiResponseCache      *cache;        /* or NULL */
  BiOpenLibraryCatalog *open_library; /* or NULL */
  BiGoogleBooksCatalog *google_books; /* or NULL */
  BiLayeredCatalog     *layered;      /* NULL when no online catalog is on */
};

static const char *const known_names[] = {
  BI_ONLINE_CATALOG_OPEN_LIBRARY, BI_ONLINE_CATALOG_GOOGLE_BOOKS, NULL
};

GStrv
bi_online_catalogs_parse_names (const char  *list,
                                GError     **error)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GPtrArray) seen = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) parts = NULL;

  if (list == NULL || g_strcmp0 (list, "none") == 0)
    return g_strv_builder_end (builder);

  parts = g_strsplit (list, ",", -1);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *name = g_strstrip (parts[i]);

      if (name[0] == '\0')
        continue;
      if (!g_strv_contains (known_names, name))
        {
          g_set_error (error, BI_PROVIDER_ERROR, BI_PROVIDER_ERROR_CONFIG,
                       "Unknown online catalog \"%s\"; the known ones are openlibrary and "
                       "googlebooks (comma-separated), or none.", name);
          return NULL;
        }
      if (g_ptr_array_find_with_equal_func (seen, name, g_str_equal, NULL))
        continue;
      g_ptr_array_add (seen, g_strdup (name));
      g_strv_builder_add (builder, name);
    }
  return g_strv_builder_end (builder);
}

gboolean
bi_online_catalogs_check (const char * const  *names,
                          const char          *google_books_key,
                          GError             **error)
{
  if (names == NULL || !g_strv_contains (names, BI_ONLINE_CATALOG_GOOGLE_BOOKS))
    return TRUE;
  if (google_books_key == NULL || google_books_key[0] == '\0')
    {
      g_set_error_literal (error, BI_PROVIDER_ERROR, BI_PROVIDER_ERROR_CONFIG,
                           "The googlebooks online catalog needs an API key: pass "
                           "--google-books-key KEY or set BOOKIMG_GOOGLE_BOOKS_KEY (make one "
                           "for the Books API in the Google Cloud console).");
      return FALSE;
    }
  for (const char *p = google_books_key; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      {
        g_set_error_literal (error, BI_PROVIDER_ERROR, BI_PROVIDER_ERROR_CONFIG,
                             "The Google Books API key may only hold letters, digits, “-” and "
                             "“_”; check that it was copied whole.");
        return FALSE;
      }
  return TRUE;
}

BiOnlineCatalogs *
bi_online_catalogs_new (BiCatalog                    *local,
                        const BiOnlineCatalogsConfig *config,
                        GError                      **error)
{
  g_autoptr(BiOnlineCatalogs) self = NULL;
  BiProviderConfig provider_config = { 0 };

  g_return_val_if_fail (local != NULL && config != NULL, NULL);

  if (!bi_online_catalogs_check (config->names, config->google_books_key, error))
    return NULL;

  self = g_new0 (BiOnlineCatalogs, 1);
  self->local = local;
  if (config->names == NULL || config->names[0] == NULL)
    return g_steal_pointer (&self);

  if (config->data_dir != NULL)
    {
      g_autofree char *path = g_build_filename (config->data_dir, BI_ONLINE_CATALOGS_CACHE_FILE,
                                                NULL);

      self->cache = bi_response_cache_open (path, BI_RESPONSE_CACHE_DEFAULT_TTL_SECONDS, NULL,
                                            error);
      if (self->cache == NULL)
        return NULL;
    }
  provider_config.cache = self->cache;

  self->layered = bi_layered_catalog_new (local);
  for (guint i = 0; config->names[i] != NULL; i++)
    {
      if (strcmp (config->names[i], BI_ONLINE_CATALOG_OPEN_LIBRARY) == 0
          && self->open_library == NULL)
        {
          provider_config.base_url = config->open_library_url;
          provider_config.api_key = NULL;
          self->open_library = bi_open_library_catalog_new (&provider_config);
          bi_layered_catalog_add_online (self->layered, "Open Library",
                                         bi_open_library_catalog_as_port (self->open_library));
        }
      else if (strcmp (config->names[i], BI_ONLINE_CATALOG_GOOGLE_BOOKS) == 0
               && self->google_books == NULL)
        {
          provider_config.base_url = config->google_books_url;
          provider_config.api_key = config->google_books_key;
          self->google_books = bi_google_books_catalog_new (&provider_config);
          bi_layered_catalog_add_online (self->layered, "Google Books",
                                         bi_google_books_catalog_as_port (self->google_books));
        }
    }
  return g_steal_pointer (&self);
}

void
bi_online_catalogs_free (BiOnlineCatalogs *self)
{
  if (self == NULL)
    return;

  /* The layered catalog borrows the providers, and they the cache. */
  g_clear_pointer (&self->layered, bi_layered_catalog_free);
  g_clear_pointer (&self->open_library, bi_open_library_catalog_free);
  g_clear_pointer (&self->google_books, bi_google_books_catalog_free);
  g_clear_pointer (&self->cache, bi_response_cache_free);
  g_free (self);
}

BiCatalog *
bi_online_catalogs_as_port (BiOnlineCatalogs *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->layered != NULL ? bi_layered_catalog_as_port (self->layered) : self->local;
}
