/* bi-image-type.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-image-type"

#include "bi-image-type.h"

#include <string.h>

static const char *const supported_types[] = {
  "image/jpeg", "image/png", "image/webp", "image/tiff", NULL,
};

const char *
bi_image_type_sniff (const guint8 *data,
                     gsize         length)
{
  if (data == NULL)
    return NULL;

  if (length >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF)
    return "image/jpeg";
  if (length >= 8 && memcmp (data, "\x89PNG\r\n\x1a\n", 8) == 0)
    return "image/png";
  if (length >= 12 && memcmp (data, "RIFF", 4) == 0 && memcmp (data + 8, "WEBP", 4) == 0)
    return "image/webp";
  if (length >= 4 && (memcmp (data, "II*\0", 4) == 0 || memcmp (data, "MM\0*", 4) == 0))
    return "image/tiff";

  return NULL;
}

gboolean
bi_image_type_is_supported (const char *content_type)
{
  if (content_type == NULL)
    return FALSE;

  for (guint i = 0; supported_types[i] != NULL; i++)
    {
      if (g_ascii_strcasecmp (content_type, supported_types[i]) == 0)
        return TRUE;
    }

  return FALSE;
}

const char *
bi_image_type_from_file_name (const char *file_name)
{
  const char *dot;

  g_return_val_if_fail (file_name != NULL, NULL);

  dot = strrchr (file_name, '.');
  if (dot == NULL)
    return NULL;
  if (g_ascii_strcasecmp (dot, ".jpg") == 0 || g_ascii_strcasecmp (dot, ".jpeg") == 0)
    return "image/jpeg";
  if (g_ascii_strcasecmp (dot, ".png") == 0)
    return "image/png";
  if (g_ascii_strcasecmp (dot, ".webp") == 0)
    return "image/webp";
  if (g_ascii_strcasecmp (dot, ".tif") == 0 || g_ascii_strcasecmp (dot, ".tiff") == 0)
    return "image/tiff";

  return NULL;
}
