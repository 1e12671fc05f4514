/* test-aws-s3.c — the S3 client and BiBlobStore adapter against s3rver, a real S3 emulator
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "test-aws-s3"

#include "bi-aws-test-utils.h"
#include "bi-s3-client.h"

#include <string.h>

#define UPLOADS "bookimg-uploads"
#define RESULTS "bookimg-results"

typedef struct
{
  BiAwsTestEmulator *emulator;
  BiAwsClient       *client;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const char *buckets[] = { UPLOADS, RESULTS, NULL };

  fixture->emulator = bi_aws_test_emulator_start ("s3rver", buckets);
  fixture->client = bi_aws_test_client_new (BI_AWS_SERVICE_S3,
                                            bi_aws_test_emulator_get_url (fixture->emulator),
                                            NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  bi_aws_client_free (fixture->client);
  bi_aws_test_emulator_free (fixture->emulator);
}

/* Keys as uploads name them: a job id, a file name with spaces and non-ASCII letters. */
static void
test_put_get (Fixture       *fixture,
              gconstpointer  data)
{
  const char *key = "job-1714566645000-abcdefghijklmnopqrstuv/estantería 1+2.jpg";
  g_autoptr(GBytes) photo = g_bytes_new_static ("\xff\xd8\xff\xe0 photo bytes", 17);
  g_autoptr(GBytes) read_back = NULL;
  g_autoptr(GError) error = NULL;

  bi_s3_put_object (fixture->client, UPLOADS, key, photo, "image/jpeg", &error);
  g_assert_no_error (error);
  read_back = bi_s3_get_object (fixture->client, UPLOADS, key, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (read_back, photo));
}

static void
test_missing (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) bucket_error = NULL;
  g_autoptr(GBytes) nothing = bi_s3_get_object (fixture->client, UPLOADS, "no/such.jpg", &error);
  g_autoptr(GBytes) no_bucket = bi_s3_get_object (fixture->client, "no-such-bucket", "a",
                                                  &bucket_error);
  g_autofree char *code = bi_aws_error_get_code (error);
  g_autofree char *bucket_code = bi_aws_error_get_code (bucket_error);

  g_assert_null (nothing);
  g_assert_error (error, BI_AWS_ERROR, BI_AWS_ERROR_NOT_FOUND);
  g_assert_cmpstr (code, ==, "NoSuchKey");
  g_assert_null (no_bucket);
  g_assert_error (bucket_error, BI_AWS_ERROR, BI_AWS_ERROR_NOT_FOUND);
  g_assert_cmpstr (bucket_code, ==, "NoSuchBucket");
}

/* The port over the two buckets, with the port's own error for a missing object. */
static void
test_blob_store_port (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(BiS3BlobStore) store = bi_s3_blob_store_new (fixture->client, UPLOADS, RESULTS);
  BiBlobStore *port = bi_s3_blob_store_as_port (store);
  const char *json = "{\"jobId\":\"job-1\"}";
  g_autoptr(GBytes) results = g_bytes_new_static (json, strlen (json));
  g_autoptr(GBytes) read_back = NULL;
  g_autoptr(GBytes) in_uploads = NULL;
  g_autoptr(GBytes) missing = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) missing_error = NULL;

  g_assert_true (port->put (port, BI_BUCKET_RESULTS, "job-1/final-results.json", results,
                            "application/json", &error));
  g_assert_no_error (error);
  read_back = port->get (port, BI_BUCKET_RESULTS, "job-1/final-results.json", &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (read_back, results));

  /* It went to the results bucket, not the uploads one. */
  in_uploads = bi_s3_get_object (fixture->client, UPLOADS, "job-1/final-results.json", NULL);
  g_assert_null (in_uploads);
  missing = port->get (port, BI_BUCKET_UPLOADS, "job-1/none.jpg", &missing_error);
  g_assert_null (missing);
  g_assert_error (missing_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

/* A presigned PUT URL is all an uploader needs: no credentials, the signed content type. */
static void
test_presigned_put (Fixture       *fixture,
                    gconstpointer  data)
{
  const char *key = "job-1714566645000-abcdefghijklmnopqrstuv/shelf photo.png";
  g_autoptr(GError) error = NULL;
  g_autofree char *url = bi_s3_presign_put_url (fixture->client, UPLOADS, key, "image/png", 900,
                                                &error);
  const char *headers[] = { "Content-Type: image/png", NULL };
  g_autoptr(GBytes) photo = g_bytes_new_static ("\x89PNG\r\n\x1a\n", 8);
  BiHttpRequest put = { "PUT", url, headers, photo, 10000, 0 };
  g_autoptr(BiHttpResponse) response = NULL;
  g_autoptr(GBytes) stored = NULL;

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (url, bi_aws_test_emulator_get_url (fixture->emulator)));
  g_assert_nonnull (strstr (url, "/" UPLOADS "/job-1714566645000-abcdefghijklmnopqrstuv/"
                                 "shelf%20photo.png?"));
  g_assert_nonnull (strstr (url, "X-Amz-SignedHeaders=content-type%3Bhost"));
  g_assert_nonnull (strstr (url, "X-Amz-Security-Token=example-session-token"));
  g_assert_nonnull (strstr (url, "X-Amz-Expires=900"));

  response = bi_http_request_send (&put, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (response->status, ==, 200);
  stored = bi_s3_get_object (fixture->client, UPLOADS, key, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (stored, photo));
}

/* s3rver checks the access key id (not the signature: the vector tests do that); an
 * unknown key is refused with S3's own code. */
static void
test_unknown_key_refused (Fixture       *fixture,
                          gconstpointer  data)
{
  BiAwsCredentials credentials = { "AKIDUNKNOWN", "S3RVER", NULL };
  g_autoptr(BiAwsClient) client = bi_aws_client_new (&credentials, "eu-west-1", NULL);
  g_autoptr(GBytes) photo = g_bytes_new_static ("x", 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *code = NULL;

  bi_aws_client_set_endpoint (client, BI_AWS_SERVICE_S3,
                              bi_aws_test_emulator_get_url (fixture->emulator), NULL);
  g_assert_false (bi_s3_put_object (client, UPLOADS, "a.jpg", photo, "image/jpeg", &error));
  g_assert_error (error, BI_AWS_ERROR, BI_AWS_ERROR_SERVICE);
  code = bi_aws_error_get_code (error);
  g_assert_cmpstr (code, ==, "InvalidAccessKeyId");
}

/* Against AWS itself buckets are virtual hosts. */
static void
test_default_endpoint_addressing (void)
{
  g_autoptr(BiAwsClient) client = bi_aws_test_client_new (BI_AWS_SERVICE_S3, NULL, NULL);
  g_autofree char *url = bi_s3_presign_put_url (client, UPLOADS, "job-1/a.jpg", NULL, 60, NULL);

  g_assert_true (g_str_has_prefix (url, "https://" UPLOADS ".s3.eu-west-1.amazonaws.com/"
                                        "job-1/a.jpg?X-Amz-Algorithm=AWS4-HMAC-SHA256&"));
  g_assert_nonnull (strstr (url, "X-Amz-SignedHeaders=host&"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/bookimg/aws/s3/put-get", Fixture, NULL, fixture_set_up, test_put_get,
              fixture_tear_down);
  g_test_add ("/bookimg/aws/s3/missing", Fixture, NULL, fixture_set_up, test_missing,
              fixture_tear_down);
  g_test_add ("/bookimg/aws/s3/blob-store-port", Fixture, NULL, fixture_set_up,
              test_blob_store_port, fixture_tear_down);
  g_test_add ("/bookimg/aws/s3/presigned-put", Fixture, NULL, fixture_set_up,
              test_presigned_put, fixture_tear_down);
  g_test_add ("/bookimg/aws/s3/unknown-key-refused", Fixture, NULL, fixture_set_up,
              test_unknown_key_refused, fixture_tear_down);
  g_test_add_func ("/bookimg/aws/s3/default-endpoint-addressing",
                   test_default_endpoint_addressing);
  return g_test_run ();
}
