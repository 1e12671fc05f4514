/* bi-image-header.c — JPEG segments, stored sizes and the EXIF orientation, from the header
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-image-header"

#include "bi-image-header.h"

#include <string.h>

/* JPEG markers the scan needs (ITU T.81, B.1.1.3 and the Exif 2.3 specification). */
#define JPEG_MARKER_SOI  0xd8
#define JPEG_MARKER_EOI  BI_JPEG_MARKER_EOI
#define JPEG_MARKER_SOS  0xda
#define JPEG_MARKER_APP1 0xe1
#define JPEG_MARKER_TEM  0x01
#define JPEG_MARKER_RST0 0xd0
#define JPEG_MARKER_RST7 0xd7

#define EXIF_TAG_ORIENTATION 0x0112
#define EXIF_TYPE_SHORT      3
#define EXIF_IFD_ENTRY_SIZE  12

/* ---- EXIF orientation ------------------------------------------------------------------- */

static guint
read_u16 (const guint8 *p,
          gboolean      big_endian)
{
  return big_endian ? (guint) (p[0] << 8 | p[1]) : (guint) (p[1] << 8 | p[0]);
}

static guint32
read_u32 (const guint8 *p,
          gboolean      big_endian)
{
  return big_endian
           ? ((guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3])
           : ((guint32) p[3] << 24 | (guint32) p[2] << 16 | (guint32) p[1] << 8 | p[0]);
}

/* The orientation in an Exif APP1 payload (after the marker and length), or 1; @value_offset
 * is set to where its 16-bit value is in @payload (left alone when there is none). Only IFD0 is
 * read — orientation lives there — so offset chains between IFDs, and loops in them, are never
 * followed. Every offset is checked against @length before it is used. */
static int
parse_exif_payload (const guint8 *payload,
                    gsize         length,
                    gsize        *value_offset,
                    gboolean     *value_big_endian)
{
  static const guint8 exif_header[6] = { 'E', 'x', 'i', 'f', 0, 0 };
  const guint8 *tiff;
  gsize tiff_length;
  gboolean big_endian;
  guint32 ifd_offset;
  guint n_entries;

  if (length < sizeof exif_header || memcmp (payload, exif_header, sizeof exif_header) != 0)
    return 1;

  tiff = payload + sizeof exif_header;
  tiff_length = length - sizeof exif_header;
  if (tiff_length < 8)
    return 1;

  if (tiff[0] == 'I' && tiff[1] == 'I')
    big_endian = FALSE;
  else if (tiff[0] == 'M' && tiff[1] == 'M')
    big_endian = TRUE;
  else
    return 1;

  if (read_u16 (tiff + 2, big_endian) != 42)
    return 1;

  ifd_offset = read_u32 (tiff + 4, big_endian);
  if (ifd_offset < 8 || ifd_offset > tiff_length - 2)
    return 1;

  n_entries = read_u16 (tiff + ifd_offset, big_endian);
  for (guint i = 0; i < n_entries; i++)
    {
      gsize entry_offset = ifd_offset + 2 + (gsize) i * EXIF_IFD_ENTRY_SIZE;
      const guint8 *entry;
      guint value;

      if (entry_offset > tiff_length - EXIF_IFD_ENTRY_SIZE)
        return 1;

      entry = tiff + entry_offset;
      if (read_u16 (entry, big_endian) != EXIF_TAG_ORIENTATION)
        continue;

      /* A SHORT with a count of 1 sits in the first two bytes of the value field. */
      if (read_u16 (entry + 2, big_endian) != EXIF_TYPE_SHORT || read_u32 (entry + 4, big_endian) != 1)
        return 1;

      value = read_u16 (entry + 8, big_endian);
      if (value < 1 || value > 8)
        return 1;
      *value_offset = sizeof exif_header + entry_offset + 8;
      *value_big_endian = big_endian;
      return (int) value;
    }

  return 1;
}

/* ---- JPEG segments ----------------------------------------------------------------------- */

/* Every length is checked against the data before it is used, and every step moves forward. */
gboolean
bi_jpeg_scanner_init (BiJpegScanner *scanner,
                      const guint8  *data,
                      gsize          length)
{
  *scanner = (BiJpegScanner) { data, length, 2, FALSE };
  return length >= 4 && data[0] == 0xff && data[1] == JPEG_MARKER_SOI;
}

gboolean
bi_jpeg_scanner_next (BiJpegScanner  *scanner,
                      guint8         *marker,
                      const guint8  **payload,
                      gsize          *payload_length)
{
  const guint8 *data = scanner->data;

  while (scanner->position + 4 <= scanner->length)
    {
      gsize position = scanner->position;
      gsize segment_length;

      if (data[position] != 0xff)
        return FALSE;

      *marker = data[position + 1];
      if (*marker == 0xff)
        {
          /* Fill byte: markers may be preceded by any number of 0xff. */
          scanner->position++;
          continue;
        }
      if (*marker == JPEG_MARKER_TEM || (*marker >= JPEG_MARKER_RST0 && *marker <= JPEG_MARKER_RST7))
        {
          scanner->position += 2; /* markers without a length */
          continue;
        }
      if (*marker == JPEG_MARKER_SOS)
        {
          scanner->at_scan = TRUE;
          return FALSE;
        }
      if (*marker == JPEG_MARKER_EOI || *marker == JPEG_MARKER_SOI)
        return FALSE;

      /* The length counts its own two bytes; less than that would not move the walk forward. */
      segment_length = (gsize) data[position + 2] << 8 | data[position + 3];
      if (segment_length < 2 || segment_length > scanner->length - position - 2)
        return FALSE;

      *payload = data + position + 4;
      *payload_length = segment_length - 2;
      scanner->position += 2 + segment_length;
      return TRUE;
    }

  return FALSE;
}

/* The Exif APP1 segment's orientation; other APP1 segments (XMP) may come first. */
static int
read_jpeg_orientation (BiJpegScanner *scanner,
                       const guint8  *payload,
                       gsize          payload_length,
                       BiImageHeader *header)
{
  gsize value_offset = 0;

  header->orientation = parse_exif_payload (payload, payload_length, &value_offset,
                                            &header->orientation_big_endian);
  if (value_offset != 0)
    header->orientation_offset = (gsize) (payload - scanner->data) + value_offset;
  return header->orientation;
}

static gboolean
is_exif_segment (guint8        marker,
                 const guint8 *payload,
                 gsize         payload_length)
{
  return marker == JPEG_MARKER_APP1 && payload_length >= 4 && memcmp (payload, "Exif", 4) == 0;
}

int
bi_image_exif_orientation (const guint8 *data,
                           gsize         length)
{
  BiJpegScanner scanner;
  BiImageHeader header = { 0, 0, 1, 0, FALSE };
  guint8 marker;
  const guint8 *payload;
  gsize payload_length;

  g_return_val_if_fail (data != NULL || length == 0, 1);

  if (!bi_jpeg_scanner_init (&scanner, data, length))
    return 1;
  while (bi_jpeg_scanner_next (&scanner, &marker, &payload, &payload_length))
    if (is_exif_segment (marker, payload, payload_length))
      return read_jpeg_orientation (&scanner, payload, payload_length, &header);
  return 1;
}

/* ---- sizes --------------------------------------------------------------------------------- */

/* SOF0–SOF15 but DHT (C4), JPG (C8) and DAC (CC) carry the frame size. */
static gboolean
is_frame_marker (guint8 marker)
{
  return marker >= 0xc0 && marker <= 0xcf && marker != 0xc4 && marker != 0xc8 && marker != 0xcc;
}

static gboolean
read_jpeg (const guint8  *data,
           gsize          length,
           BiImageHeader *header)
{
  BiJpegScanner scanner;
  guint8 marker;
  const guint8 *payload;
  gsize payload_length;

  if (!bi_jpeg_scanner_init (&scanner, data, length))
    return FALSE;
  while (bi_jpeg_scanner_next (&scanner, &marker, &payload, &payload_length))
    {
      if (is_exif_segment (marker, payload, payload_length) && header->orientation_offset == 0)
        read_jpeg_orientation (&scanner, payload, payload_length, header);
      if (is_frame_marker (marker))
        {
          if (payload_length < 5)
            return FALSE;
          header->stored_height = (int) read_u16 (payload + 1, TRUE);
          header->stored_width = (int) read_u16 (payload + 3, TRUE);
          return header->stored_width > 0 && header->stored_height > 0;
        }
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
      header->stored_width = (int) read_u32 (data + 16, TRUE);
      header->stored_height = (int) read_u32 (data + 20, TRUE);
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
