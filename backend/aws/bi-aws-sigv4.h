/* bi-aws-sigv4.h — AWS Signature Version 4: signed requests and S3 presigned URLs
 *
 * Our own signer (GLib's GHmac and GChecksum) because libcurl's CURLOPT_AWS_SIGV4 cannot
 * presign URLs, does not sort the query and does not add x-amz-content-sha256. Tested against
 * AWS's published SigV4 test suite and, for every service we call, against botocore.
 *
 * Canonical URI: S3 signs the wire path as it is (keys are encoded once); every other service
 * signs the wire path normalised (no "." / ".." segments, no empty ones) and encoded again —
 * so an API Gateway connection id "ab=" is "ab%3D" on the wire and "ab%253D" in the signature.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "bi-aws-request.h"

G_BEGIN_DECLS

typedef struct
{
  const char *access_key_id;
  const char *secret_access_key;
  const char *session_token;     /* NULL for long-term keys */
} BiAwsCredentials;

typedef struct
{
  const BiAwsCredentials *credentials;
  const char             *region;  /* "eu-west-1" */
  const char             *service; /* signing name: "s3", "sqs", "execute-api", "bedrock", … */
  gboolean                s3;      /* S3 rules: path as sent, x-amz-content-sha256 header */
} BiAwsSigningParams;

/* What a signature was made of, for tests and for debugging a rejected signature (none of
 * these holds the secret key; the string to sign is safe to show). */
typedef struct
{
  char *canonical_request;
  char *string_to_sign;
  char *signed_headers;
  char *signature;     /* 64 hex digits */
} BiAwsSignature;

void      bi_aws_signature_clear (BiAwsSignature *signature);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BiAwsSignature, bi_aws_signature_clear)

/* Signs @request in place at @time (UTC): sets x-amz-date, x-amz-security-token when the
 * credentials have a session token, x-amz-content-sha256 for S3 (unless already set, e.g.
 * to UNSIGNED-PAYLOAD), then Authorization. Every header of @request is signed, so the
 * request must already carry Host and any Content-Type. @out may be NULL. */
void      bi_aws_sigv4_sign      (BiAwsRequest             *request,
                                  const BiAwsSigningParams *params,
                                  GDateTime                *time,
                                  BiAwsSignature           *out);

/* Presigns @request (query authentication, payload UNSIGNED-PAYLOAD, valid @expires_seconds
 * from @time, 1–604800): adds the X-Amz-* query parameters, signature last, and returns the
 * target ("PATH?QUERY") to put after scheme://host. The request's headers (Host, and
 * Content-Type when the uploader must send that exact type) are the signed headers. */
char     *bi_aws_sigv4_presign   (BiAwsRequest             *request,
                                  const BiAwsSigningParams *params,
                                  GDateTime                *time,
                                  guint                     expires_seconds,
                                  BiAwsSignature           *out);

G_END_DECLS
