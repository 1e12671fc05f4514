/* bi-provider-error.h — the error domain of the online catalogs (Open Library, Google Books)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BI_PROVIDER_ERROR (bi_provider_error_quark ())

typedef enum
{
  BI_PROVIDER_ERROR_CONFIG,       /* an unknown provider name, a missing API key */
  BI_PROVIDER_ERROR_UNAVAILABLE,  /* no answer: refused, timed out, a server error */
  BI_PROVIDER_ERROR_RATE_LIMITED, /* still told to slow down (429/503) after our backoff */
  BI_PROVIDER_ERROR_QUOTA,        /* Google Books: the API key's quota is used up */
  BI_PROVIDER_ERROR_BAD_KEY,      /* Google Books: the API key is wrong or not allowed */
  BI_PROVIDER_ERROR_BAD_RESPONSE, /* an answer that is not the documented JSON */
  BI_PROVIDER_ERROR_CACHE,        /* the response cache cannot be opened */
} BiProviderError;

GQuark bi_provider_error_quark (void);

G_END_DECLS
