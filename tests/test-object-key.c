/* test-object-key.c — S3 event key decoding and `<jobId>/<name>` parsing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-object-key.h"
#include "bi-protocol-error.h"

static void
test_decode_like_s3_events (void)
{
  struct { const char *encoded; const char *decoded; } cases[] = {
    { "job-1234567890-abcdef/my+shelf.jpg", "job-1234567890-abcdef/my shelf.jpg" },
    { "job-1234567890-abcdef/a%2Bb.jpg", "job-1234567890-abcdef/a+b.jpg" },
    { "job-1234567890-abcdef%2Fx.png", "job-1234567890-abcdef/x.png" },
    { "job-1234567890-abcdef/caf%C3%A9.jpg", "job-1234567890-abcdef/caf\xc3\xa9.jpg" },
    { "plain", "plain" },
    { "", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *decoded = bi_object_key_decode (cases[i].encoded, &error);
      g_autofree char *encoded = NULL;
      g_autofree char *round_trip = NULL;

      g_assert_no_error (error);
      g_assert_cmpstr (decoded, ==, cases[i].decoded);

      encoded = bi_object_key_encode (decoded);
      round_trip = bi_object_key_decode (encoded, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (round_trip, ==, decoded);
    }
}

static void
test_decode_rejects_bad_escapes (void)
{
  const char *bad[] = { "abc%", "abc%2", "abc%zz", "abc%00def", "%g1" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *decoded = bi_object_key_decode (bad[i], &error);

      g_assert_null (decoded);
      g_assert_error (error, BI_PROTOCOL_ERROR, BI_PROTOCOL_ERROR_BAD_FILE_NAME);
    }
}

static void
test_parse_splits_and_validates (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *job_id = NULL;
  g_autofree char *name = NULL;

  g_assert_true (bi_object_key_parse ("job-1234567890-abcdef/shelf 1.jpg", &job_id, &name,
                                      &error));
  g_assert_no_error (error);
  g_assert_cmpstr (job_id, ==, "job-1234567890-abcdef");
  g_assert_cmpstr (name, ==, "shelf 1.jpg");
}

static void
test_parse_rejects_escapes_and_bad_names (void)
{
  struct { const char *key; int code; } bad[] = {
    { "job-1234567890-abcdef/../secret", BI_PROTOCOL_ERROR_BAD_FILE_NAME },
    { "job-1234567890-abcdef/a/b.jpg", BI_PROTOCOL_ERROR_BAD_FILE_NAME },
    { "job-1234567890-abcdef/..", BI_PROTOCOL_ERROR_BAD_FILE_NAME },
    { "job-1234567890-abcdef/", BI_PROTOCOL_ERROR_BAD_FILE_NAME },
    { "job-1234567890-abcdef/a\\b", BI_PROTOCOL_ERROR_BAD_FILE_NAME },
    { "job-1234567890-abcdef/a\nb", BI_PROTOCOL_ERROR_BAD_FILE_NAME },
    { "job-1234567890-abcdef/\xff\xfe.jpg", BI_PROTOCOL_ERROR_BAD_FILE_NAME },
    { "job-1234567890-abcdef", BI_PROTOCOL_ERROR_BAD_FILE_NAME },
    { "../job-1234567890-abcdef/x.jpg", BI_PROTOCOL_ERROR_BAD_JOB_ID },
    { "/x.jpg", BI_PROTOCOL_ERROR_BAD_JOB_ID },
    { "job-1/x.jpg", BI_PROTOCOL_ERROR_BAD_JOB_ID },
  };
  g_autofree char *long_name = g_strnfill (256, 'a');
  g_autofree char *long_key = g_strconcat ("job-1234567890-abcdef/", long_name, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_false (bi_object_key_parse (bad[i].key, NULL, NULL, &error));
      g_assert_error (error, BI_PROTOCOL_ERROR, bad[i].code);
    }

  {
    g_autoptr(GError) error = NULL;

    g_assert_false (bi_object_key_parse (long_key, NULL, NULL, &error));
    g_assert_error (error, BI_PROTOCOL_ERROR, BI_PROTOCOL_ERROR_BAD_FILE_NAME);
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/bookimg/object-key/decode-like-s3-events", test_decode_like_s3_events);
  g_test_add_func ("/bookimg/object-key/decode-rejects-bad-escapes", test_decode_rejects_bad_escapes);
  g_test_add_func ("/bookimg/object-key/parse-splits-and-validates", test_parse_splits_and_validates);
  g_test_add_func ("/bookimg/object-key/parse-rejects-escapes-and-bad-names",
                   test_parse_rejects_escapes_and_bad_names);
  return g_test_run ();
}
