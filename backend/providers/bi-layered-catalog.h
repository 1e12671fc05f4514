/* bi-layered-catalog.h — the local catalog first, online catalogs only when it falls short
 *
 * A BiCatalog over the local one and a list of online ones. The rule: a search whose best
 * local hit scores at least BI_LAYERED_CATALOG_GOOD_SCORE is answered by the local catalog
 * alone (no request leaves the machine); otherwise the online catalogs are asked in their
 * order, until one of them has a hit that good, and every hit is merged (one book once, by
 * ISBN-13 or by title and first author), best first. An ISBN is looked up locally, then
 * online in order. An online catalog's failure never fails the search: the local result
 * stands, and the failure is logged once per burst (again when it lasts 10 minutes, and a
 * note when the catalog answers again). The local catalog's own errors are returned.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bi-ports.h"

G_BEGIN_DECLS

/* A hit this good is the book: the validator accepts it even with middling OCR confidence. */
#define BI_LAYERED_CATALOG_GOOD_SCORE 0.8

typedef struct _BiLayeredCatalog BiLayeredCatalog;

/* @local is borrowed and must outlive the layered catalog. */
BiLayeredCatalog *bi_layered_catalog_new        (BiCatalog        *local);
void              bi_layered_catalog_free       (BiLayeredCatalog *self);

/* Appends an online catalog (borrowed), named in logs by @display_name. Call before the
 * first search. */
void              bi_layered_catalog_add_online (BiLayeredCatalog *self,
                                                 const char       *display_name,
                                                 BiCatalog        *online);

/* The port; valid as long as @self. Thread-safe when the layers are. */
BiCatalog        *bi_layered_catalog_as_port    (BiLayeredCatalog *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiLayeredCatalog, bi_layered_catalog_free)

G_END_DECLS
