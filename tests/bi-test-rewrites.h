/* bi-test-rewrites.h — table-driven checks of a function that rewrites a string
 *
 * Many of the recognition's pieces take a text and give another (OCR clean-up, publisher
 * marks, printed ISBNs); their tests are tables of { given, expected } pairs. Header only:
 * each test program that includes it gets its own copy.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

typedef char *(*BiTestRewrite) (const char *text);

/* Asserts that @rewrite turns each cases[i][0] into cases[i][1] (NULL for "nothing"), naming
 * the case in the test log first, so a failure says which one. */
static inline void
bi_test_assert_rewrites (const char       *cases[][2],
                         gsize             n_cases,
                         BiTestRewrite     rewrite)
{
  for (gsize i = 0; i < n_cases; i++)
    {
      g_autofree char *rewritten = rewrite (cases[i][0]);
      /* a case of bytes that are not UTF-8 is named escaped: the TAP log must stay UTF-8 */
      g_autofree char *named = g_utf8_validate (cases[i][0], -1, NULL)
                                 ? g_strdup (cases[i][0]) : g_strescape (cases[i][0], NULL);

      g_test_message ("“%s”", named);
      g_assert_cmpstr (rewritten, ==, cases[i][1]);
    }
}
