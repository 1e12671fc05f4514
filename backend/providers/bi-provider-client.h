/* bi-provider-client.h — the requests of one online catalog: cache, rate, retries, errors
 *
 * What Open Library and Google Books have in common: a GET on our blocking libcurl client
 * (bi-http-client.h) with a User-Agent that names BookImg and how to reach its authors; a
 * fresh cached answer first (no request at all); at most N requests a second across threads;
 * 429 and 503 answered by waiting (Retry-After, else 1 s then 2 s) and trying again, at most
 * three tries and never a wait over 30 s; the answer parsed by the provider, and cached only
 * when it parsed. The API key (Google's) is cut out of every message.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "bi-clock.h"
#include "bi-http-client.h"
#include "bi-provider-error.h"
#include "bi-response-cache.h"

G_BEGIN_DECLS

/* How a provider is set up; every field may be left 0/NULL for the default. */
typedef struct
{
  const char      *base_url;            /* the service's address (tests: a local server) */
  const char      *api_key;             /* Google Books */
  BiResponseCache *cache;               /* borrowed; NULL: no caching */
  const BiClock   *clock;               /* NULL: the system clock */
  double           requests_per_second; /* 0: the provider's own limit */
  guint            timeout_ms;          /* of one request; 0: 10 s */
} BiProviderConfig;

/* Sets @error and returns TRUE for a status the provider documents (Google's 403 quota),
 * FALSE to leave it to the generic message. */
typedef gboolean (*BiProviderStatusFunc) (const char            *display_name,
                                          const BiHttpResponse  *response,
                                          GError               **error);

/* Turns a provider's JSON answer into a GPtrArray of BiBook; NULL with
 * BI_PROVIDER_ERROR_BAD_RESPONSE when the answer is not the documented shape. */
typedef GPtrArray *(*BiProviderParseFunc) (JsonNode     *root,
                                           gpointer      user_data,
                                           GError      **error);

typedef struct
{
  const char           *name;                /* "openlibrary": cache key, logs */
  const char           *display_name;        /* "Open Library": messages */
  const char           *default_base_url;
  double                requests_per_second; /* the service's published limit */
  BiProviderStatusFunc  describe_status;     /* or NULL */
} BiProviderInfo;

typedef struct _BiProviderClient BiProviderClient;

/* @info is static. */
BiProviderClient *bi_provider_client_new              (const BiProviderInfo    *info,
                                                       const BiProviderConfig  *config);
void              bi_provider_client_free             (BiProviderClient        *self);

const char       *bi_provider_client_get_display_name (BiProviderClient        *self);

/* "BookImg/<version> (<project address>)": who is asking, and where to complain. */
const char       *bi_provider_client_get_user_agent   (BiProviderClient        *self);

/* GETs the base URL + @path_and_query (escaped already) unless the cache holds a fresh answer
 * for @request (the query without secrets), and parses it with @parse. */
GPtrArray        *bi_provider_client_fetch_books      (BiProviderClient        *self,
                                                       const char              *path_and_query,
                                                       const char              *request,
                                                       BiProviderParseFunc      parse,
                                                       gpointer                 user_data,
                                                       GError                 **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiProviderClient, bi_provider_client_free)

G_END_DECLS
