/* bi-image-loader.c — decode, orient, grey, normalise and (if needed) reduce an uploaded photo
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-image-loader"

#include "bi-image-loader.h"

#include <string.h>

#include "bi-image-header.h"
#include "bi-image-type.h"
#include "bi-stages.h"


static void
log_leptonica_message (const char *message)
{
  g_autofree char *line = g_strchomp (g_strdup (message));

  g_debug ("Leptonica: %s", line);
}

/* Leptonica reports every problem of a bad file on stderr; a server fed hostile uploads would
 * fill its log with them. The errors that matter come back to us as NULL results instead, and
 * the rest is kept for G_MESSAGES_DEBUG. */
static void
silence_leptonica (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      setMsgSeverity (L_SEVERITY_NONE);
      leptSetStderrHandler (log_leptonica_message);
      g_once_init_leave (&once, 1);
    }
}

void
bi_loaded_image_free (BiLoadedImage *image)
{
  if (image == NULL)
    return;

  pixDestroy (&image->grey);
  g_free (image);
}

/* A PNG length field: big-endian. */
static guint32
read_be32 (const guint8 *p)
{
  return (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3];
}

/* ---- completeness ------------------------------------------------------------------------- */

/* libjpeg and libpng report a truncated file on stderr, themselves, before Leptonica can keep
 * them quiet; checking that the file ends the way its format says spares the log, and turns a
 * half-uploaded photo into a clear error instead of a picture that is grey below the cut. */

/* A JPEG is whole when an EOI marker follows the start of its compressed data (0xff 0xd9
 * cannot occur inside compressed data, where 0xff is always followed by 0x00 or a RST). An
 * EOI inside an Exif thumbnail comes before SOS and does not count. */
static gboolean
jpeg_is_complete (const guint8 *data,
                  gsize         length)
{
  BiJpegScanner scanner;
  guint8 marker;
  const guint8 *payload;
  gsize payload_length;

  if (!bi_jpeg_scanner_init (&scanner, data, length))
    return FALSE;
  while (bi_jpeg_scanner_next (&scanner, &marker, &payload, &payload_length))
    ;
  if (!scanner.at_scan)
    return FALSE;

  for (gsize i = scanner.position + 2; i + 1 < length; i++)
    if (data[i] == 0xff && data[i + 1] == BI_JPEG_MARKER_EOI)
      return TRUE;
  return FALSE;
}

/* A PNG is whole when its chunks, each inside the data, lead to an IEND chunk. */
static gboolean
png_is_complete (const guint8 *data,
                 gsize         length)
{
  gsize position = 8; /* after the signature, which the type sniffing checked */

  while (length - position >= 12)
    {
      guint32 chunk_length = read_be32 (data + position);

      if (chunk_length > length - position - 12)
        return FALSE;
      if (memcmp (data + position + 4, "IEND", 4) == 0)
        return TRUE;
      position += 12 + (gsize) chunk_length;
    }
  return FALSE;
}

static gboolean
is_complete (const char   *content_type,
             const guint8 *data,
             gsize         length)
{
  if (g_str_equal (content_type, "image/jpeg"))
    return jpeg_is_complete (data, length);
  if (g_str_equal (content_type, "image/png"))
    return png_is_complete (data, length);
  /* WebP's decoder is quiet and checks its RIFF size itself; TIFF's messages go through
   * Leptonica's stderr handler. */
  return TRUE;
}

PIX *
bi_image_loader_apply_orientation (PIX *pix,
                                   int  orientation)
{
  g_autoptr (PIX) rotated = NULL;

  g_return_val_if_fail (pix != NULL, NULL);
  g_return_val_if_fail (orientation >= 1 && orientation <= 8, NULL);

  /* Exif 2.3, tag 0x0112: where the stored 0th row and 0th column belong when shown.
   * 5–8 swap width and height: a quarter turn clockwise, then a mirror for 5 and 7. */
  switch (orientation)
    {
    case 1:
      return pixCopy (NULL, pix);
    case 2:
      return pixFlipLR (NULL, pix);
    case 3:
      return pixRotateOrth (pix, 2);
    case 4:
      return pixFlipTB (NULL, pix);
    case 5:
      rotated = pixRotateOrth (pix, 1);
      return rotated != NULL ? pixFlipLR (NULL, rotated) : NULL;
    case 6:
      return pixRotateOrth (pix, 1);
    case 7:
      rotated = pixRotateOrth (pix, 1);
      return rotated != NULL ? pixFlipTB (NULL, rotated) : NULL;
    case 8:
      return pixRotateOrth (pix, 3);
    default:
      g_assert_not_reached ();
    }
}

/* ---- decoding ----------------------------------------------------------------------------- */

static gboolean
set_permanent_error (GError     **error,
                     const char  *format,
                     ...) G_GNUC_PRINTF (2, 3);

static gboolean
set_permanent_error (GError     **error,
                     const char  *format,
                     ...)
{
  va_list args;

  va_start (args, format);
  g_propagate_error (error, g_error_new_valist (BI_STAGE_ERROR, BI_STAGE_ERROR_PERMANENT, format, args));
  va_end (args);
  return FALSE;
}

/* The factor (1, 2, 4 or 8) libjpeg can shrink a JPEG by while decoding it, so that a very large
 * photo is never held in memory at full size: the largest that keeps it at least @max_side. */
static int
choose_jpeg_reduction (int width,
                       int height,
                       int max_side)
{
  int longest = MAX (width, height);
  int reduction = 1;

  while (reduction < 8 && longest / (reduction * 2) >= max_side)
    reduction *= 2;
  return reduction;
}

/* @pix in 8-bit grey: itself (a clone) when it is already, as a JPEG decoded to luminance
 * is; copying a 12 MP picture cost 9 ms. */
static PIX *
convert_to_grey (PIX *pix)
{
  g_autoptr (PIX) opaque = NULL;

  if (pixGetDepth (pix) == 8 && pixGetColormap (pix) == NULL)
    return pixClone (pix);

  /* Transparent areas would otherwise turn black (their colour channels are often 0). */
  if (pixGetDepth (pix) == 32 && pixGetSpp (pix) == 4)
    {
      opaque = pixRemoveAlpha (pix);
      if (opaque == NULL)
        return NULL;
      pix = opaque;
    }

  return pixConvertTo8 (pix, FALSE);
}

static PIX *
reduce_to_max_side (PIX *grey,
                    int  max_side)
{
  int longest = MAX (pixGetWidth (grey), pixGetHeight (grey));
  float factor;

  if (longest <= max_side)
    return pixClone (grey);

  /* Area mapping averages the pixels it merges, which keeps thin strokes of small text. */
  factor = (float) max_side / (float) longest;
  return pixScaleAreaMap (grey, factor, factor);
}

/* Local contrast normalisation: each tile of the picture is stretched to the full grey range,
 * so that dark text on a dark spine and light text on a light one both reach Tesseract with
 * strong contrast, whatever the lighting across the shelf. Tiles are 1/32 of the longer side
 * (about a spine's width); tiles whose range is below CONTRAST_MIN_RANGE are flat and take
 * their neighbours' mapping instead of amplifying noise. On the three shelf photos of the
 * test data this read a word of 55–68 of 114 titles depending on the tile size (59 at 1/32),
 * against 58 without normalisation and 49 with one global histogram stretch (docs/ocr.md). */
#define CONTRAST_TILES_PER_SIDE 32
#define CONTRAST_MIN_TILE       16
#define CONTRAST_MIN_RANGE      40
#define CONTRAST_SMOOTHING      2

gboolean
bi_image_normalise_contrast (PIX *grey,
                             int  tile)
{
  g_return_val_if_fail (grey != NULL && pixGetDepth (grey) == 8, FALSE);

  tile = MAX (CONTRAST_MIN_TILE, tile);
  /* In place. Leptonica refuses pictures too small for a couple of tiles. */
  if (pixGetWidth (grey) < 2 * tile || pixGetHeight (grey) < 2 * tile)
    return FALSE;
  pixContrastNorm (grey, grey, tile, tile, CONTRAST_MIN_RANGE, CONTRAST_SMOOTHING,
                   CONTRAST_SMOOTHING);
  return TRUE;
}

/* A photo too small for a couple of tiles stays as it is, which costs nothing: such a picture
 * holds a word at most. */
static void
normalise_contrast (PIX *grey)
{
  int longest = MAX (pixGetWidth (grey), pixGetHeight (grey));

  bi_image_normalise_contrast (grey, longest / CONTRAST_TILES_PER_SIDE);
}

BiLoadedImage *
bi_image_loader_load (GBytes  *data,
                      int      max_side,
                      GError **error)
{
  g_autoptr (BiLoadedImage) image = NULL;
  g_autoptr (PIX) decoded = NULL;
  g_autoptr (PIX) grey = NULL;
  g_autoptr (PIX) reduced = NULL;
  const guint8 *bytes;
  gsize length;
  const char *content_type;
  l_int32 format = 0, width = 0, height = 0, bits_per_sample = 0, samples_per_pixel = 0;
  l_int32 has_colormap = 0;
  gboolean is_jpeg;
  int reduction;
  int orientation = 1;

  g_return_val_if_fail (data != NULL, NULL);
  g_return_val_if_fail (max_side == 0 || max_side >= BI_IMAGE_LOADER_MIN_MAX_SIDE, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  silence_leptonica ();
  if (max_side == 0)
    max_side = BI_IMAGE_LOADER_DEFAULT_MAX_SIDE;

  bytes = g_bytes_get_data (data, &length);
  content_type = bytes != NULL ? bi_image_type_sniff (bytes, length) : NULL;
  if (content_type == NULL)
    {
      set_permanent_error (error, "The photo is not a JPEG, PNG, WebP or TIFF image (%" G_GSIZE_FORMAT " bytes); "
                           "upload a photo in one of those formats", length);
      return NULL;
    }

  if (!is_complete (content_type, bytes, length))
    {
      set_permanent_error (error, "The %s photo is truncated (%" G_GSIZE_FORMAT " bytes): its end "
                           "is missing; upload the photo again", content_type, length);
      return NULL;
    }

  /* Check the dimensions the header claims before anything is allocated for them. */
  if (pixReadHeaderMem (bytes, length, &format, &width, &height, &bits_per_sample,
                        &samples_per_pixel, &has_colormap) != 0 || width <= 0 || height <= 0)
    {
      set_permanent_error (error, "The %s photo's header cannot be read: the file is truncated or "
                           "corrupt; upload the photo again", content_type);
      return NULL;
    }

  is_jpeg = g_str_equal (content_type, "image/jpeg");
  reduction = is_jpeg ? choose_jpeg_reduction (width, height, max_side) : 1;
  if ((guint64) (width / reduction) * (guint64) (height / reduction) > BI_IMAGE_LOADER_MAX_PIXELS)
    {
      set_permanent_error (error, "The %s photo is %d×%d pixels, more than the %d megapixels "
                           "BookImg decodes; upload a smaller photo",
                           content_type, width, height, BI_IMAGE_LOADER_MAX_PIXELS / 1000000);
      return NULL;
    }

  if (is_jpeg)
    {
      /* Straight to grey (libjpeg skips the chroma). Without L_JPEG_CONTINUE_WITH_BAD_DATA a
       * truncated or corrupt JPEG yields NULL, not a picture whose lower part is grey. */
      decoded = pixReadMemJpeg (bytes, length, 0, reduction, NULL, L_JPEG_READ_LUMINANCE);
      orientation = bi_image_exif_orientation (bytes, length);
    }
  else
    {
      decoded = pixReadMem (bytes, length);
    }

  if (decoded == NULL)
    {
      set_permanent_error (error, "The %s photo cannot be decoded: the file is truncated or corrupt; "
                           "upload the photo again", content_type);
      return NULL;
    }

  /* A JPEG may have been decoded reduced, so its size is its header's. The other formats are
   * decoded at full size, and as shown (Leptonica applies a TIFF's own orientation tag). */
  if (!is_jpeg)
    {
      width = pixGetWidth (decoded);
      height = pixGetHeight (decoded);
    }

  grey = convert_to_grey (decoded);
  g_clear_pointer (&decoded, bi_pix_destroy);
  if (grey != NULL)
    reduced = reduce_to_max_side (grey, max_side);
  g_clear_pointer (&grey, bi_pix_destroy);
  if (reduced == NULL)
    {
      set_permanent_error (error, "The %s photo (%d×%d) cannot be converted to grey; upload it as a "
                           "JPEG or PNG instead", content_type, width, height);
      return NULL;
    }

  image = g_new0 (BiLoadedImage, 1);
  /* Upright and held nowhere else (the clones above are gone), the picture can be normalised
   * in place as it is: a copy cost 4–9 ms on a 12 MP photo. */
  image->grey = orientation == 1 && pixGetRefcount (reduced) == 1
                ? g_steal_pointer (&reduced)
                : bi_image_loader_apply_orientation (reduced, orientation);
  if (image->grey == NULL)
    {
      /* Turning only copies pixels: nothing about the photo can make it fail, memory can. */
      g_set_error (error, BI_STAGE_ERROR, BI_STAGE_ERROR_TRANSIENT,
                   "Not enough memory to turn a %d×%d photo to its EXIF orientation %d",
                   width, height, orientation);
      return NULL;
    }
  normalise_contrast (image->grey);

  /* Orientations 5–8 are quarter turns: the photo as shown is height × width. */
  image->width = orientation >= 5 ? height : width;
  image->height = orientation >= 5 ? width : height;
  image->scale = (double) pixGetWidth (image->grey) / image->width;
  image->orientation = orientation;
  image->content_type = content_type;
  return g_steal_pointer (&image);
}
