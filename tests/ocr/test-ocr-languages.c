/* test-ocr-languages.c — the OCR languages option: checked at start, with errors that help
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "bi-tesseract-engine.h"

static void
test_bad_strings (void)
{
  const char *invalid[] = { "", "eng+", "+spa", "eng spa", "eng,spa", "../eng", "eng+spa/x" };

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_autoptr (GError) error = NULL;

      g_assert_false (bi_tesseract_engine_check_languages (invalid[i], &error));
      g_assert_error (error, BI_TESSERACT_ENGINE_ERROR, BI_TESSERACT_ENGINE_ERROR_INVALID_LANGUAGES);
      /* The message shows what was given and what a good value looks like. */
      g_assert_nonnull (strstr (error->message, invalid[i]));
      g_assert_nonnull (strstr (error->message, "eng+deu"));
    }
}

static void
test_installed (void)
{
  const char *valid[] = { "eng", "eng+spa", "eng+spa+cat+deu+fra", NULL };

  for (guint i = 0; i < G_N_ELEMENTS (valid); i++)
    {
      g_autoptr (GError) error = NULL;

      g_assert_true (bi_tesseract_engine_check_languages (valid[i], &error));
      g_assert_no_error (error);
    }
}

/* A language without data names the Debian package to install. */
static void
test_missing (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (bi_tesseract_engine_check_languages ("eng+ita", &error));
  g_assert_error (error, BI_TESSERACT_ENGINE_ERROR, BI_TESSERACT_ENGINE_ERROR_MISSING_DATA);
  g_assert_nonnull (strstr (error->message, "tesseract-ocr-ita"));
}

static void
test_environment (void)
{
  g_unsetenv ("BOOKIMG_OCR_LANGUAGES");
  g_assert_null (bi_tesseract_engine_languages_from_environment ());
  g_setenv ("BOOKIMG_OCR_LANGUAGES", "", TRUE);
  g_assert_null (bi_tesseract_engine_languages_from_environment ());
  g_setenv ("BOOKIMG_OCR_LANGUAGES", "eng+spa", TRUE);
  g_assert_cmpstr (bi_tesseract_engine_languages_from_environment (), ==, "eng+spa");
  g_unsetenv ("BOOKIMG_OCR_LANGUAGES");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bookimg/ocr/languages/bad-strings", test_bad_strings);
  g_test_add_func ("/bookimg/ocr/languages/installed", test_installed);
  g_test_add_func ("/bookimg/ocr/languages/missing", test_missing);
  g_test_add_func ("/bookimg/ocr/languages/environment", test_environment);

  return g_test_run ();
}
