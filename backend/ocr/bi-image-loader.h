/* bi-image-loader.h — a photo as uploaded → the grey, upright, contrast-normalised picture OCR reads
 *
 * Photos arrive as JPEG, PNG, WebP or TIFF bytes straight from a phone. Before Tesseract sees
 * them they are decoded, turned the way the camera's EXIF orientation says (bounding boxes are
 * reported in that orientation), reduced to 8-bit grey, contrast-normalised tile by tile, and scaled
 * down only when they are too large to hold comfortably in memory.
 *
 * Nearly every failure here is a property of the photo itself, so errors are
 * BI_STAGE_ERROR_PERMANENT: retrying the same bytes cannot help. Running out of memory is the
 * exception (BI_STAGE_ERROR_TRANSIENT).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>
#include <leptonica/allheaders.h>

#include "bi-leptonica-autoptr.h"

G_BEGIN_DECLS

/* Longest side, in pixels, a photo is decoded at by default. 4096 keeps a 12-megapixel phone
 * photo at full resolution while a 50-megapixel one is reduced (text on a shelf photo that
 * large is still far above the ~20 px line height Tesseract needs). */
#define BI_IMAGE_LOADER_DEFAULT_MAX_SIDE 4096

/* Smallest @max_side accepted: below this, spine text would be too small to read. */
#define BI_IMAGE_LOADER_MIN_MAX_SIDE 256

/* Decoded pixels a photo may have before any reduction (a guard against "decompression bombs":
 * small files that claim enormous dimensions). JPEGs are decoded at a reduced scale first, so
 * this bounds the other formats in practice. */
#define BI_IMAGE_LOADER_MAX_PIXELS (100 * 1000 * 1000)

typedef struct
{
  PIX    *grey;        /* 8 bpp, no colormap, upright, contrast-normalised, at most max_side */
  int     width;       /* of the photo after its EXIF orientation is applied, full resolution */
  int     height;
  double  scale;       /* grey pixels per photo pixel: 1.0 unless the photo was reduced */
  int     orientation; /* the EXIF orientation that was applied, 1–8 (1 when there was none) */
  const char *content_type; /* "image/jpeg", "image/png", "image/webp" or "image/tiff" */
} BiLoadedImage;

void           bi_loaded_image_free                   (BiLoadedImage  *image);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiLoadedImage, bi_loaded_image_free)

/* Decodes @data (JPEG, PNG, WebP or TIFF). @max_side: 0 for BI_IMAGE_LOADER_DEFAULT_MAX_SIDE,
 * otherwise at least BI_IMAGE_LOADER_MIN_MAX_SIDE. Returns NULL with BI_STAGE_ERROR_PERMANENT
 * for data that is not one of those formats, is truncated or corrupt, or is too large. Only a
 * JPEG's EXIF orientation is read (Leptonica applies a TIFF's; WebP's is not read). */
BiLoadedImage *bi_image_loader_load                   (GBytes         *data,
                                                       int             max_side,
                                                       GError        **error);

/* Stretches each @tile-square tile of @grey (8 bpp) to the full grey range in place, as the
 * loader does to every photo with tiles of 1/32 of its longer side (at least 16 px); a tile
 * whose levels span under 40 takes its neighbours' stretch instead of amplifying noise. FALSE,
 * leaving it as it was, when it is too small for two tiles each way. */
gboolean       bi_image_normalise_contrast            (PIX            *grey,
                                                       int             tile);

/* A new picture: @pix turned as EXIF @orientation (1–8) says it must be shown. */
PIX           *bi_image_loader_apply_orientation      (PIX            *pix,
                                                       int             orientation);

G_END_DECLS
