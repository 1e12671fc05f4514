/* bi-response-cache.h — answers of the online catalogs, kept in SQLite for a while
 *
 * The same spine is looked up again and again (a shelf photographed twice, a job retried), and
 * the online services ask their users not to repeat requests. A fresh cached answer is used
 * without a request. Keyed by provider and request (never the API key); entries older than
 * the TTL are ignored, and deleted when the cache is opened. Thread-safe (one connection, a
 * lock). A failing cache never fails a lookup: it is logged and the request made instead.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bi-clock.h"
#include "bi-provider-error.h"

G_BEGIN_DECLS

/* 30 days: book records hardly change, and a month bounds what is kept about past scans. */
#define BI_RESPONSE_CACHE_DEFAULT_TTL_SECONDS (30 * 24 * 3600)

typedef struct _BiResponseCache BiResponseCache;

/* @path is a database file (created if missing) or ":memory:". @clock NULL: the system clock.
 * Errors: BI_PROVIDER_ERROR_CACHE. */
BiResponseCache *bi_response_cache_open   (const char       *path,
                                           gint64            ttl_seconds,
                                           const BiClock    *clock,
                                           GError          **error);
void             bi_response_cache_free   (BiResponseCache  *self);

/* The body stored for (@provider, @request) within the TTL, or NULL. */
char            *bi_response_cache_lookup (BiResponseCache  *self,
                                           const char       *provider,
                                           const char       *request);
/* Stores (or replaces) the body; failures are logged. */
void             bi_response_cache_store  (BiResponseCache  *self,
                                           const char       *provider,
                                           const char       *request,
                                           const char       *body);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiResponseCache, bi_response_cache_free)

G_END_DECLS
