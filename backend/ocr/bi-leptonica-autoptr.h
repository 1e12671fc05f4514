/* bi-leptonica-autoptr.h — g_autoptr for Leptonica's pictures and boxes
 *
 * Leptonica's pixDestroy (and boxDestroy) takes a PIX ** (BOX **), while g_autoptr and g_clear_pointer call a function on
 * a PIX *. Shared by the OCR library and the test images, which both hand pictures out.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <leptonica/allheaders.h>

G_BEGIN_DECLS

static inline void
bi_pix_destroy (PIX *pix)
{
  pixDestroy (&pix);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PIX, bi_pix_destroy)

static inline void
bi_box_destroy (BOX *box)
{
  boxDestroy (&box);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BOX, bi_box_destroy)

static inline void
bi_boxa_destroy (BOXA *boxa)
{
  boxaDestroy (&boxa);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BOXA, bi_boxa_destroy)

G_END_DECLS
