/* bi-catalog-memo.h — a catalog port that answers a repeated search from memory
 *
 * The matcher asks the same questions many times over one photo: several spines read the
 * same title, a residual's queries are runs its spine asked already, and the title
 * specificity asks about the same shared words. A memo wraps the catalog for one photo so
 * each distinct search reaches the catalog once. The catalog must not change while the memo
 * is in use (the answers it remembers would be stale).
 *
 * The arrays its search returns are shared with the memo: read them, do not change them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bi-ports.h"

G_BEGIN_DECLS

typedef struct _BiCatalogMemo BiCatalogMemo;

BiCatalogMemo *bi_catalog_memo_new      (BiCatalog     *catalog);
void           bi_catalog_memo_free     (BiCatalogMemo *self);
BiCatalog     *bi_catalog_memo_as_port  (BiCatalogMemo *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiCatalogMemo, bi_catalog_memo_free)

G_END_DECLS
