/* test-job-id.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-job-id.h"
#include "bi-protocol-error.h"

#include <string.h>

static void
test_new_has_the_contract_shape (void)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < 1000; i++)
    {
      g_autofree char *id = bi_job_id_new ();
      g_autoptr(GError) error = NULL;
      const char *random_part = strrchr (id, '-') + 1;

      g_assert_true (g_regex_match_simple ("^job-[0-9]{13}-[a-z0-9]{24}$", id, 0, 0));
      g_assert_true (bi_job_id_validate (id, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (strlen (random_part), >=, 22);
      /* 24 characters of 36 symbols: a collision in 1000 ids means the source is broken. */
      g_assert_true (g_hash_table_add (seen, g_strdup (random_part)));
    }
}

static void
test_validate_rejects_bad_ids (void)
{
  const char *bad[] = {
    "", "job", "job-", "job-123-abcdef", "job-12345678901234567-abcdef", "job-1234567890-abc",
    "job-1234567890-ABCDEF", "job-1234567890-abc/../x", "../etc/passwd", "job-1234567890-abcdef ",
    "Job-1234567890-abcdef", "job-1234567890_abcdef", "job-12345678x0-abcdef",
    "job-1234567890-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "job-1234567890-abc\xc3\xa9" "def",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("rejecting \"%s\"", bad[i]);
      g_assert_false (bi_job_id_validate (bad[i], &error));
      g_assert_error (error, BI_PROTOCOL_ERROR, BI_PROTOCOL_ERROR_BAD_JOB_ID);
      g_assert_nonnull (strstr (error->message, "job"));
    }

  g_assert_false (bi_job_id_validate (NULL, NULL));
}

static void
test_validate_accepts_the_range (void)
{
  const char *good[] = {
    "job-1234567890-abcdef",
    "job-1234567890123456-0123456789abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqr",
    "job-1700000000000-k3j4h5g6f7d8s9a0q1w2e3r4",
  };

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (bi_job_id_validate (good[i], &error));
      g_assert_no_error (error);
    }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/bookimg/job-id/new-has-the-contract-shape", test_new_has_the_contract_shape);
  g_test_add_func ("/bookimg/job-id/validate-rejects-bad-ids", test_validate_rejects_bad_ids);
  g_test_add_func ("/bookimg/job-id/validate-accepts-the-range", test_validate_accepts_the_range);
  return g_test_run ();
}
