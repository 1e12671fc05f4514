/* test-image-type.c — photo types by magic bytes, not by what the client claims
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-image-type.h"

static void
test_sniff (void)
{
  const guint8 jpeg[] = { 0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10, 'J', 'F', 'I', 'F', 0, 1 };
  const guint8 png[] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13 };
  const guint8 webp[] = { 'R', 'I', 'F', 'F', 1, 2, 3, 4, 'W', 'E', 'B', 'P' };
  const guint8 tiff_le[] = { 'I', 'I', '*', 0 };
  const guint8 tiff_be[] = { 'M', 'M', 0, '*' };
  const guint8 gif[] = { 'G', 'I', 'F', '8', '9', 'a' };
  const guint8 riff_wav[] = { 'R', 'I', 'F', 'F', 1, 2, 3, 4, 'W', 'A', 'V', 'E' };

  g_assert_cmpstr (bi_image_type_sniff (jpeg, sizeof jpeg), ==, "image/jpeg");
  g_assert_cmpstr (bi_image_type_sniff (png, sizeof png), ==, "image/png");
  g_assert_cmpstr (bi_image_type_sniff (webp, sizeof webp), ==, "image/webp");
  g_assert_cmpstr (bi_image_type_sniff (tiff_le, sizeof tiff_le), ==, "image/tiff");
  g_assert_cmpstr (bi_image_type_sniff (tiff_be, sizeof tiff_be), ==, "image/tiff");
  g_assert_null (bi_image_type_sniff (gif, sizeof gif));
  g_assert_null (bi_image_type_sniff (riff_wav, sizeof riff_wav));
  g_assert_null (bi_image_type_sniff (png, 4));
  g_assert_null (bi_image_type_sniff (jpeg, 2));
  g_assert_null (bi_image_type_sniff (NULL, 0));
}

static void
test_supported_types (void)
{
  g_assert_true (bi_image_type_is_supported ("image/jpeg"));
  g_assert_true (bi_image_type_is_supported ("IMAGE/PNG"));
  g_assert_true (bi_image_type_is_supported ("image/webp"));
  g_assert_true (bi_image_type_is_supported ("image/tiff"));
  g_assert_false (bi_image_type_is_supported ("image/gif"));
  g_assert_false (bi_image_type_is_supported ("text/html"));
  g_assert_false (bi_image_type_is_supported ("image/jpeg; charset=utf-8"));
  g_assert_false (bi_image_type_is_supported (""));
  g_assert_false (bi_image_type_is_supported (NULL));

  g_assert_cmpstr (bi_image_type_from_file_name ("a/B.JPG"), ==, "image/jpeg");
  g_assert_cmpstr (bi_image_type_from_file_name ("x.tif"), ==, "image/tiff");
  g_assert_null (bi_image_type_from_file_name ("x.gif"));
  g_assert_null (bi_image_type_from_file_name ("noext"));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/bookimg/image-type/sniff", test_sniff);
  g_test_add_func ("/bookimg/image-type/supported-types", test_supported_types);
  return g_test_run ();
}
