/* bi-image-size.c — JPEG (SOFn) and PNG (IHDR) header sizes, and the JPEG EXIF orientation
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-image-size"

#include "bi-image-size.h"

#include <string.h>

static guint
read16 (const guint8 *p,
        gboolean      big_endian)
{
  return big_endian ? (guint) (p[0] << 8 | p[1]) : (guint) (p[1] << 8 | p[0]);
}

static guint32
read32 (const guint8 *p,
        gboolean      big_endian)
{
  return big_endian ? ((guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3])
                    : ((guint32) p[3] << 24 | (guint32) p[2] << 16 | (guint32) p[1] << 8 | p[0]);
}

/* The orientation tag (0x0112) of an APP1 "Exif\0\0" segment's first IFD; 1 when absent.
 * @value_offset: where its 16-bit value is within @segment (0 when absent), in the TIFF
 * header's byte order (@value_big_endian). */
static int
exif_orientation (const guint8 *segment,
                  gsize         length,
                  gsize        *value_offset,
                  gboolean     *value_big_endian)
{
  const guint8 *tiff;
  gsize tiff_length;
  gboolean big_endian;
  guint32 ifd;
  guint entries;

  *value_offset = 0;
  if (length < 14 || memcmp (segment, "Exif\0\0", 6) != 0)
    return 1;
  tiff = segment + 6;
  tiff_length = length - 6;
  if (memcmp (tiff, "MM", 2) == 0)
    big_endian = TRUE;
  else if (memcmp (tiff, "II", 2) == 0)
    big_endian = FALSE;
  else
    return 1;
  ifd = read32 (tiff + 4, big_endian);
  if (ifd > tiff_length - 2)
    return 1;
  entries = read16 (tiff + ifd, big_endian);
  for (guint i = 0; i < entries; i++)
    {
      gsize entry = ifd + 2 + (gsize) i * 12;

      if (entry + 12 > tiff_length)
        return 1;
      if (read16 (tiff + entry, big_endian) == 0x0112)
        {
          guint value = read16 (tiff + entry + 8, big_endian);

          if (value < 1 || value > 8)
            return 1;
          *value_offset = 6 + entry + 8;
          *value_big_endian = big_endian;
          return (int) value;
        }
    }
  return 1;
}

static gboolean
read_jpeg (const guint8  *data,
           gsize          length,
           BiImageHeader *header)
{
  gsize offset = 2;

  while (offset + 4 <= length)
    {
      guint8 marker;
      guint segment_length;

      if (data[offset] != 0xff)
        return FALSE;
      marker = data[offset + 1];
      if (marker == 0xff)
        {
          offset++;
          continue;
        }
      segment_length = read16 (data + offset + 2, TRUE);
      if (segment_length < 2 || offset + 2 + segment_length > length)
        return FALSE;
      if (marker == 0xe1 && header->orientation_offset == 0)
        {
          gsize value_offset = 0;

          header->orientation = exif_orientation (data + offset + 4, segment_length - 2,
                                                  &value_offset,
                                                  &header->orientation_big_endian);
          if (value_offset != 0)
            header->orientation_offset = offset + 4 + value_offset;
        }
      /* SOF0–SOF15 but DHT (C4), JPG (C8) and DAC (CC) carry the frame size. */
      if (marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8
          && marker != 0xcc)
        {
          if (segment_length < 7)
            return FALSE;
          header->stored_height = (int) read16 (data + offset + 5, TRUE);
          header->stored_width = (int) read16 (data + offset + 7, TRUE);
          return header->stored_width > 0 && header->stored_height > 0;
        }
      offset += 2 + segment_length;
    }
  return FALSE;
}

gboolean
bi_image_header_read (const guint8  *data,
                      gsize          length,
                      BiImageHeader *header)
{
  g_return_val_if_fail (header != NULL, FALSE);

  *header = (BiImageHeader) { 0, 0, 1, 0, FALSE };
  if (data == NULL)
    return FALSE;
  if (length >= 24 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0
      && memcmp (data + 12, "IHDR", 4) == 0)
    {
      header->stored_width = (int) read32 (data + 16, TRUE);
      header->stored_height = (int) read32 (data + 20, TRUE);
      return header->stored_width > 0 && header->stored_height > 0;
    }
  if (length >= 4 && data[0] == 0xff && data[1] == 0xd8)
    return read_jpeg (data, length, header);
  return FALSE;
}

GBytes *
bi_image_without_orientation (GBytes              *image,
                              const BiImageHeader *header)
{
  gsize length = 0;
  const guint8 *data = g_bytes_get_data (image, &length);
  guint8 *copy;

  if (header->orientation_offset == 0 || header->orientation == 1)
    return g_bytes_ref (image);

  g_assert (header->orientation_offset + 2 <= length);
  copy = g_memdup2 (data, length);
  copy[header->orientation_offset] = header->orientation_big_endian ? 0 : 1;
  copy[header->orientation_offset + 1] = header->orientation_big_endian ? 1 : 0;
  return g_bytes_new_take (copy, length);
}

void
bi_image_orient_point (int     orientation,
                       double *x,
                       double *y)
{
  double u = *x, v = *y;

  switch (orientation)
    {
    case 2: *x = 1.0 - u; *y = v; break;        /* mirrored left-right */
    case 3: *x = 1.0 - u; *y = 1.0 - v; break;  /* turned 180° */
    case 4: *x = u; *y = 1.0 - v; break;        /* mirrored top-bottom */
    case 5: *x = v; *y = u; break;              /* transposed */
    case 6: *x = 1.0 - v; *y = u; break;        /* to be turned 90° clockwise */
    case 7: *x = 1.0 - v; *y = 1.0 - u; break;  /* transversed */
    case 8: *x = v; *y = 1.0 - u; break;        /* to be turned 90° anticlockwise */
    default: break;
    }
}

gboolean
bi_image_size_read (const guint8 *data,
                    gsize         length,
                    int          *width,
                    int          *height)
{
  BiImageHeader header;

  g_return_val_if_fail (width != NULL && height != NULL, FALSE);

  if (!bi_image_header_read (data, length, &header))
    return FALSE;
  bi_image_header_oriented_size (&header, width, height);
  return TRUE;
}

void
bi_image_header_oriented_size (const BiImageHeader *header,
                               int                 *width,
                               int                 *height)
{
  gboolean turned = header->orientation >= 5;

  *width = turned ? header->stored_height : header->stored_width;
  *height = turned ? header->stored_width : header->stored_height;
}
