/* bi-provider-query.h — what of a search leaves the machine, and how many results to ask for
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Longest query sent, in bytes: a spine's words, not a page of OCR noise. */
#define BI_PROVIDER_MAX_QUERY_BYTES 200

/* The words of @text as sent to a service: blanks collapsed, cut at a character boundary
 * within BI_PROVIDER_MAX_QUERY_BYTES. NULL when nothing would be searched for (the local
 * catalog's rule: no word of two letters or more). */
char  *bi_provider_query_text  (const char *text);

/* Results to ask a service for when @limit are wanted: a few more, as they are re-scored
 * locally and the service's order is not ours. */
guint  bi_provider_query_limit (guint       limit);

G_END_DECLS
