/* bi-catalog-search-params.h — GET /catalog/search's parameters and answer, shared by the
 * embedded server and the http-api Lambda
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Longest catalog query, in bytes. */
#define BI_CATALOG_SEARCH_MAX_QUERY_BYTES 256
#define BI_CATALOG_SEARCH_DEFAULT_LIMIT   10
#define BI_CATALOG_SEARCH_MAX_LIMIT       50

/* Checks q (trimmed: 1–256 bytes of UTF-8) and limit (1–50, default 10). On FALSE, @code and
 * @message are the 400 answer's (static strings). */
gboolean  bi_catalog_search_params_parse    (const char  *q,
                                             const char  *limit_text,
                                             char       **text,
                                             guint       *limit,
                                             const char **code,
                                             const char **message);

/* The answer: a JSON array of the BiBook's records. */
JsonNode *bi_catalog_search_results_to_json (GPtrArray   *books);

G_END_DECLS
