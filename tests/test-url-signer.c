/* test-url-signer.c — signed upload URLs: signing, verification, tampering, expiry, secret file
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-url-signer.h"

#include <glib/gstdio.h>
#include <sys/stat.h>

#define KEY "job-1700000000000-abcdef123456/shelf one.jpg"
#define NOW 1700000000

typedef struct
{
  BiUrlSigner *signer;
  gint64       now; /* what the injected clock says */
} Fixture;

static gint64
fixture_clock (gpointer user_data)
{
  Fixture *fixture = user_data;

  return fixture->now;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  guint8 secret[BI_URL_SIGNER_SECRET_LENGTH];
  g_autoptr(GBytes) bytes = NULL;

  for (guint i = 0; i < sizeof secret; i++)
    secret[i] = (guint8) i;
  bytes = g_bytes_new (secret, sizeof secret);
  fixture->signer = bi_url_signer_new (bytes);
  fixture->now = NOW;
  bi_url_signer_set_clock (fixture->signer, fixture_clock, fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->signer, bi_url_signer_free);
}

/* The parameters of a signed URL, as a server would read them. */
typedef struct
{
  char *key;
  char *content_type;
  char *expires;
  char *signature;
} SignedParams;

static void
signed_params_clear (SignedParams *params)
{
  g_free (params->key);
  g_free (params->content_type);
  g_free (params->expires);
  g_free (params->signature);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SignedParams, signed_params_clear)

static void
parse_signed_url (const char   *url,
                  SignedParams *params)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, &error);
  g_autoptr(GHashTable) query = NULL;
  g_autofree char *path = NULL;

  g_assert_no_error (error);
  path = g_uri_unescape_string (g_uri_get_path (uri), NULL);
  g_assert_true (g_str_has_prefix (path, "/upload/"));
  query = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, &error);
  g_assert_no_error (error);

  params->key = g_strdup (path + strlen ("/upload/"));
  params->content_type = g_strdup (g_hash_table_lookup (query, "contentType"));
  params->expires = g_strdup (g_hash_table_lookup (query, "expires"));
  params->signature = g_strdup (g_hash_table_lookup (query, "signature"));
}

static void
test_known_vector (Fixture       *fixture,
                   gconstpointer  data)
{
  /* python3: hmac.new(bytes(range(32)), b"PUT\n" KEY b"\nimage/jpeg\n1700000900",
   *                   hashlib.sha256).hexdigest() */
  g_autofree char *signature = bi_url_signer_signature (fixture->signer, KEY, "image/jpeg",
                                                        NOW + 900);

  g_assert_cmpstr (signature, ==,
                   "54681a85acef79a51d375dfa8fb89abd00a8f81a16146c9a4c3d7f115f507808");
}

static void
test_sign_and_verify (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = bi_url_signer_sign_upload (fixture->signer, "http://127.0.0.1:8080",
                                                    KEY, "image/jpeg");
  g_auto(SignedParams) params = { 0 };

  g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:8080/upload/"
                                   "job-1700000000000-abcdef123456/shelf%20one.jpg?"
                                   "contentType=image%2Fjpeg&expires=1700000900&signature="));
  parse_signed_url (url, &params);
  g_assert_cmpstr (params.key, ==, KEY);
  g_assert_cmpstr (params.content_type, ==, "image/jpeg");
  g_assert_cmpstr (params.expires, ==, "1700000900");

  g_assert_true (bi_url_signer_verify_upload (fixture->signer, params.key, params.content_type,
                                              params.expires, params.signature, &error));
  g_assert_no_error (error);
}

static void
assert_rejected (Fixture    *fixture,
                 const char *key,
                 const char *content_type,
                 const char *expires,
                 const char *signature,
                 int         code)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (bi_url_signer_verify_upload (fixture->signer, key, content_type, expires,
                                               signature, &error));
  g_assert_error (error, BI_URL_SIGNER_ERROR, code);
}

static void
test_tampering_is_detected (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *url = bi_url_signer_sign_upload (fixture->signer, "http://h", KEY,
                                                    "image/jpeg");
  g_auto(SignedParams) params = { 0 };
  g_autofree char *flipped = NULL;
  g_autofree char *upper = NULL;
  g_autofree char *later = NULL;
  g_autofree char *padded = NULL;

  parse_signed_url (url, &params);
  flipped = g_strdup (params.signature);
  flipped[10] = flipped[10] == '0' ? '1' : '0';
  upper = g_ascii_strup (params.signature, -1);
  later = g_strdup_printf ("%" G_GINT64_FORMAT, g_ascii_strtoll (params.expires, NULL, 10) + 3600);
  padded = g_strconcat ("0", params.expires, NULL);

  assert_rejected (fixture, "job-1700000000000-abcdef123456/other.jpg", params.content_type,
                   params.expires, params.signature, BI_URL_SIGNER_ERROR_BAD_SIGNATURE);
  assert_rejected (fixture, "job-1700000000000-zzzzzz123456/shelf one.jpg",
                   params.content_type, params.expires, params.signature,
                   BI_URL_SIGNER_ERROR_BAD_SIGNATURE);
  assert_rejected (fixture, params.key, "image/png", params.expires, params.signature,
                   BI_URL_SIGNER_ERROR_BAD_SIGNATURE);
  /* A later expiry, e.g. to stretch a URL's life, is an altered URL, not a valid one. */
  assert_rejected (fixture, params.key, params.content_type, later, params.signature,
                   BI_URL_SIGNER_ERROR_BAD_SIGNATURE);
  assert_rejected (fixture, params.key, params.content_type, padded, params.signature,
                   BI_URL_SIGNER_ERROR_BAD_SIGNATURE);
  assert_rejected (fixture, params.key, params.content_type, params.expires, flipped,
                   BI_URL_SIGNER_ERROR_BAD_SIGNATURE);
  /* Case matters: the digest we make is lower-case hex. */
  assert_rejected (fixture, params.key, params.content_type, params.expires, upper,
                   BI_URL_SIGNER_ERROR_BAD_SIGNATURE);
  assert_rejected (fixture, params.key, params.content_type, params.expires, "",
                   BI_URL_SIGNER_ERROR_BAD_SIGNATURE);
  assert_rejected (fixture, params.key, params.content_type, params.expires, "abc",
                   BI_URL_SIGNER_ERROR_BAD_SIGNATURE);
}

static void
test_expiry (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *url = bi_url_signer_sign_upload (fixture->signer, "http://h", KEY,
                                                    "image/png");
  g_auto(SignedParams) params = { 0 };

  parse_signed_url (url, &params);

  /* Valid up to and including the last second. */
  fixture->now = NOW + BI_UPLOAD_URL_LIFETIME_SECONDS;
  g_assert_true (bi_url_signer_verify_upload (fixture->signer, params.key, params.content_type,
                                              params.expires, params.signature, &error));
  g_assert_no_error (error);

  fixture->now = NOW + BI_UPLOAD_URL_LIFETIME_SECONDS + 1;
  assert_rejected (fixture, params.key, params.content_type, params.expires, params.signature,
                   BI_URL_SIGNER_ERROR_EXPIRED);
}

static void
test_malformed_parameters (Fixture       *fixture,
                           gconstpointer  data)
{
  const char *bad_expires[] = { NULL, "", "abc", "-5", "+5", " 5", "17e8",
                                "99999999999999999999", "9999999999999999999" };

  for (guint i = 0; i < G_N_ELEMENTS (bad_expires); i++)
    assert_rejected (fixture, KEY, "image/jpeg", bad_expires[i], "00",
                     BI_URL_SIGNER_ERROR_MALFORMED);

  assert_rejected (fixture, KEY, "image/jpeg", "1700000900", NULL, BI_URL_SIGNER_ERROR_MALFORMED);
  assert_rejected (fixture, KEY, NULL, "1700000900", "00", BI_URL_SIGNER_ERROR_MALFORMED);
  assert_rejected (fixture, NULL, "image/jpeg", "1700000900", "00",
                   BI_URL_SIGNER_ERROR_MALFORMED);
  /* Newlines would let two different field lists sign the same text. */
  assert_rejected (fixture, KEY, "image/jpeg\n1700000900", "1700000900", "00",
                   BI_URL_SIGNER_ERROR_MALFORMED);
}

static void
test_constant_time_equal (void)
{
  g_assert_true (bi_constant_time_equal ("", ""));
  g_assert_true (bi_constant_time_equal ("secret", "secret"));
  g_assert_false (bi_constant_time_equal ("secret", "secreT"));
  g_assert_false (bi_constant_time_equal ("secret", "secret2"));
  g_assert_false (bi_constant_time_equal ("", "x"));
}

static BiUrlSigner *
signer_for_dir (const char *dir)
{
  g_autoptr(GError) error = NULL;
  BiUrlSigner *signer = bi_url_signer_new_for_data_dir (dir, &error);

  g_assert_no_error (error);
  g_assert_nonnull (signer);
  return signer;
}

static void
assert_secret_refused (const char *dir)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BiUrlSigner) signer = bi_url_signer_new_for_data_dir (dir, &error);

  g_assert_null (signer);
  g_assert_error (error, BI_URL_SIGNER_ERROR, BI_URL_SIGNER_ERROR_SECRET);
}

static void
remove_dir (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, BI_URL_SIGNER_SECRET_FILE, NULL);

  g_unlink (path);
  g_assert_cmpint (g_rmdir (dir), ==, 0);
}

static void
test_secret_file (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir_a = g_dir_make_tmp ("bi-url-signer-XXXXXX", &error);
  g_autofree char *dir_b = g_dir_make_tmp ("bi-url-signer-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *first = NULL;
  g_autofree char *again = NULL;
  g_autofree char *other = NULL;
  GStatBuf info;

  g_assert_no_error (error);
  path = g_build_filename (dir_a, BI_URL_SIGNER_SECRET_FILE, NULL);

  {
    g_autoptr(BiUrlSigner) signer = signer_for_dir (dir_a);

    first = bi_url_signer_signature (signer, KEY, "image/jpeg", NOW);
  }
  g_assert_cmpint (g_stat (path, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0600);
  g_assert_cmpint (info.st_size, ==, BI_URL_SIGNER_SECRET_LENGTH);

  /* A restart reads the same secret: URLs handed out before keep working. */
  {
    g_autoptr(BiUrlSigner) signer = signer_for_dir (dir_a);

    again = bi_url_signer_signature (signer, KEY, "image/jpeg", NOW);
  }
  g_assert_cmpstr (first, ==, again);

  /* Another data dir gets its own random secret. */
  {
    g_autoptr(BiUrlSigner) signer = signer_for_dir (dir_b);

    other = bi_url_signer_signature (signer, KEY, "image/jpeg", NOW);
  }
  g_assert_cmpstr (first, !=, other);

  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  assert_secret_refused (dir_a);

  g_assert_true (g_file_set_contents_full (path, "short", -1, G_FILE_SET_CONTENTS_NONE, 0600,
                                           &error));
  g_assert_no_error (error);
  assert_secret_refused (dir_a);

  remove_dir (dir_a);
  remove_dir (dir_b);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/bookimg/url-signer/known-vector", Fixture, NULL, fixture_set_up,
              test_known_vector, fixture_tear_down);
  g_test_add ("/bookimg/url-signer/sign-and-verify", Fixture, NULL, fixture_set_up,
              test_sign_and_verify, fixture_tear_down);
  g_test_add ("/bookimg/url-signer/tampering", Fixture, NULL, fixture_set_up,
              test_tampering_is_detected, fixture_tear_down);
  g_test_add ("/bookimg/url-signer/expiry", Fixture, NULL, fixture_set_up, test_expiry,
              fixture_tear_down);
  g_test_add ("/bookimg/url-signer/malformed", Fixture, NULL, fixture_set_up,
              test_malformed_parameters, fixture_tear_down);
  g_test_add_func ("/bookimg/url-signer/constant-time-equal", test_constant_time_equal);
  g_test_add_func ("/bookimg/url-signer/secret-file", test_secret_file);

  return g_test_run ();
}
