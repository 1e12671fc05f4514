/* test-aws-sigv4.c — our SigV4 against AWS's published test suite and the S3 documentation
 *
 * Each case of tests/aws/sigv4-suite/ (AWS's suite, see its SOURCE.md) is signed from its
 * .req and must give exactly its .creq, .sts and .authz. The S3 cases are the examples of
 * the S3 API reference (header auth and a presigned URL). botocore is compared separately
 * (check-botocore-sigv4.py).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-aws-sigv4"

#include <string.h>

#include "bi-aws-sigv4.h"

#define SUITE_SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
/* The S3 documentation's examples use a different example secret. */
#define S3_DOC_SECRET "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"

static char *
read_case_file (const char *name,
                const char *extension)
{
  g_autofree char *file = g_strdup_printf ("%s.%s", name, extension);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "aws", "sigv4-suite", name, file,
                                                 NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

/* "METHOD TARGET HTTP/1.1", "Name:value" lines, a blank line, the body. */
static BiAwsRequest *
parse_req (const char *text)
{
  const char *blank = strstr (text, "\n\n");
  g_autofree char *head = blank != NULL ? g_strndup (text, blank - text) : g_strdup (text);
  g_auto(GStrv) lines = g_strsplit (head, "\n", -1);
  g_auto(GStrv) request_line = g_strsplit (lines[0], " ", -1);
  guint words = g_strv_length (request_line);
  g_autofree char *target = NULL;
  BiAwsRequest *request;

  /* The target may hold spaces ("get-space"): everything between the method and HTTP/1.1. */
  g_assert_cmpuint (words, >=, 3);
  g_free (request_line[words - 1]);
  request_line[words - 1] = NULL;
  target = g_strjoinv (" ", request_line + 1);
  request = bi_aws_request_new_from_target (request_line[0], target);
  g_assert_nonnull (request);

  for (guint i = 1; lines[i] != NULL; i++)
    {
      char *colon = strchr (lines[i], ':');

      g_assert_nonnull (colon);
      *colon = '\0';
      bi_aws_request_add_header (request, lines[i], colon + 1);
    }
  if (blank != NULL)
    request->body = g_bytes_new (blank + 2, strlen (blank + 2));
  return request;
}

static void
test_suite_case (gconstpointer data)
{
  const char *name = data;
  g_autofree char *req = read_case_file (name, "req");
  g_autofree char *creq = read_case_file (name, "creq");
  g_autofree char *sts = read_case_file (name, "sts");
  g_autofree char *authz = read_case_file (name, "authz");
  g_autoptr(BiAwsRequest) request = parse_req (req);
  g_autoptr(GDateTime) time = g_date_time_new_utc (2015, 8, 30, 12, 36, 0);
  BiAwsCredentials credentials = { "AKIDEXAMPLE", SUITE_SECRET, NULL };
  BiAwsSigningParams params = { &credentials, "us-east-1", "service", FALSE };
  g_auto(BiAwsSignature) signature = { 0 };

  bi_aws_sigv4_sign (request, &params, time, &signature);
  g_assert_cmpstr (signature.canonical_request, ==, creq);
  g_assert_cmpstr (signature.string_to_sign, ==, sts);
  g_assert_cmpstr (bi_aws_request_get_header (request, "Authorization"), ==, authz);
}

/* S3 API reference, "Signature calculations for the Authorization header": GET Object. */
static void
test_s3_get_object_example (void)
{
  g_autoptr(BiAwsRequest) request = bi_aws_request_new ("GET", "/test.txt");
  g_autoptr(GDateTime) time = g_date_time_new_utc (2013, 5, 24, 0, 0, 0);
  BiAwsCredentials credentials = { "AKIAIOSFODNN7EXAMPLE", S3_DOC_SECRET, NULL };
  BiAwsSigningParams params = { &credentials, "us-east-1", "s3", TRUE };
  g_auto(BiAwsSignature) signature = { 0 };

  bi_aws_request_add_header (request, "Host", "examplebucket.s3.amazonaws.com");
  bi_aws_request_add_header (request, "Range", "bytes=0-9");
  bi_aws_sigv4_sign (request, &params, time, &signature);

  /* The body is empty, so S3's x-amz-content-sha256 is the hash of nothing, and signed. */
  g_assert_cmpstr (bi_aws_request_get_header (request, "x-amz-content-sha256"), ==,
                   "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  g_assert_cmpstr (signature.signed_headers, ==,
                   "host;range;x-amz-content-sha256;x-amz-date");
  g_assert_cmpstr (signature.signature, ==,
                   "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
}

/* S3 API reference, "Authenticating requests: using query parameters": the presigned GET. */
static void
test_s3_presigned_example (void)
{
  g_autoptr(BiAwsRequest) request = bi_aws_request_new ("GET", "/test.txt");
  g_autoptr(GDateTime) time = g_date_time_new_utc (2013, 5, 24, 0, 0, 0);
  BiAwsCredentials credentials = { "AKIAIOSFODNN7EXAMPLE", S3_DOC_SECRET, NULL };
  BiAwsSigningParams params = { &credentials, "us-east-1", "s3", TRUE };
  g_auto(BiAwsSignature) signature = { 0 };
  g_autofree char *target = NULL;

  bi_aws_request_add_header (request, "Host", "examplebucket.s3.amazonaws.com");
  target = bi_aws_sigv4_presign (request, &params, time, 86400, &signature);

  g_assert_cmpstr (signature.signature, ==,
                   "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
  g_assert_cmpstr (target, ==,
                   "/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256"
                   "&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2F"
                   "aws4_request&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400"
                   "&X-Amz-SignedHeaders=host"
                   "&X-Amz-Signature="
                   "aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404");
}

/* A session token is signed: in the headers, or in the query of a presigned URL. */
static void
test_session_token (void)
{
  g_autoptr(BiAwsRequest) request = bi_aws_request_new ("PUT", "/key");
  g_autoptr(BiAwsRequest) presigned = bi_aws_request_new ("PUT", "/key");
  g_autoptr(GDateTime) time = g_date_time_new_utc (2024, 5, 1, 0, 0, 0);
  BiAwsCredentials credentials = { "AKIDEXAMPLE", SUITE_SECRET, "token/with+chars=" };
  BiAwsSigningParams params = { &credentials, "eu-west-1", "s3", TRUE };
  g_auto(BiAwsSignature) signature = { 0 };
  g_autofree char *target = NULL;

  bi_aws_request_add_header (request, "Host", "bucket.s3.eu-west-1.amazonaws.com");
  bi_aws_sigv4_sign (request, &params, time, &signature);
  g_assert_cmpstr (bi_aws_request_get_header (request, "X-Amz-Security-Token"), ==,
                   "token/with+chars=");
  g_assert_cmpstr (signature.signed_headers, ==,
                   "host;x-amz-content-sha256;x-amz-date;x-amz-security-token");

  bi_aws_request_add_header (presigned, "Host", "bucket.s3.eu-west-1.amazonaws.com");
  bi_aws_request_add_header (presigned, "Content-Type", "image/jpeg");
  target = bi_aws_sigv4_presign (presigned, &params, time, 900, NULL);
  g_assert_nonnull (strstr (target, "&X-Amz-SignedHeaders=content-type%3Bhost&"));
  g_assert_nonnull (strstr (target, "&X-Amz-Security-Token=token%2Fwith%2Bchars%3D&"));
}

/* S3 keeps the wire path; other services encode it again, after normalising it. */
static void
test_uri_encoding_per_service (void)
{
  g_autoptr(GDateTime) time = g_date_time_new_utc (2024, 5, 1, 0, 0, 0);
  BiAwsCredentials credentials = { "AKIDEXAMPLE", SUITE_SECRET, NULL };
  BiAwsSigningParams s3 = { &credentials, "eu-west-1", "s3", TRUE };
  BiAwsSigningParams api = { &credentials, "eu-west-1", "execute-api", FALSE };
  g_autoptr(BiAwsRequest) object = bi_aws_request_new ("GET", "/bucket/a%20b/./c");
  g_autoptr(BiAwsRequest) connection = bi_aws_request_new ("POST",
                                                           "/prod/%40connections/ab%3D");
  g_auto(BiAwsSignature) object_signature = { 0 };
  g_auto(BiAwsSignature) connection_signature = { 0 };

  bi_aws_request_add_header (object, "Host", "s3.example");
  bi_aws_request_add_header (connection, "Host", "api.example");
  bi_aws_sigv4_sign (object, &s3, time, &object_signature);
  bi_aws_sigv4_sign (connection, &api, time, &connection_signature);
  g_assert_true (g_str_has_prefix (object_signature.canonical_request,
                                   "GET\n/bucket/a%20b/./c\n"));
  g_assert_true (g_str_has_prefix (connection_signature.canonical_request,
                                   "POST\n/prod/%2540connections/ab%253D\n"));
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *suite_dir = NULL;
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *entry;

  g_test_init (&argc, &argv, NULL);

  suite_dir = g_test_build_filename (G_TEST_DIST, "aws", "sigv4-suite", NULL);
  dir = g_dir_open (suite_dir, 0, NULL);
  g_assert_nonnull (dir);
  while ((entry = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (suite_dir, entry, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        g_ptr_array_add (names, g_strdup (entry));
    }
  /* A suite that went missing must not pass as "nothing to check". */
  g_assert_cmpuint (names->len, >=, 20);
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      g_autofree char *test_path = g_strdup_printf ("/bookimg/aws/sigv4/suite/%s", name);

      g_test_add_data_func (test_path, name, test_suite_case);
    }

  g_test_add_func ("/bookimg/aws/sigv4/s3-get-object-example", test_s3_get_object_example);
  g_test_add_func ("/bookimg/aws/sigv4/s3-presigned-example", test_s3_presigned_example);
  g_test_add_func ("/bookimg/aws/sigv4/session-token", test_session_token);
  g_test_add_func ("/bookimg/aws/sigv4/uri-encoding-per-service", test_uri_encoding_per_service);
  return g_test_run ();
}
