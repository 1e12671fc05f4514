/* bi-aws-request.h — an HTTP request to an AWS service, as the signer and the sender see it
 *
 * The path is the *wire* path: already percent-encoded the way it goes on the wire (an S3
 * key's segments encoded once, an API Gateway connection id's `=` as `%3D`). The signer
 * encodes it once more for every service but S3, as AWS's SigV4 requires. Query parameters
 * and headers are kept as given (decoded values, header names as written); both may repeat.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct
{
  char *name;
  char *value;
} BiAwsParam;

typedef struct
{
  char      *method;
  char      *path;    /* wire path, starts with '/' */
  GPtrArray *query;   /* of BiAwsParam, decoded, in the order added */
  GPtrArray *headers; /* of BiAwsParam, in the order added */
  GBytes    *body;    /* or NULL */
} BiAwsRequest;

BiAwsRequest *bi_aws_request_new         (const char   *method,
                                          const char   *wire_path);
/* @target is "PATH[?QUERY]" as on a request line; the query is split on & and = and
 * percent-decoded ('+' stays '+'). Returns NULL when a percent escape is malformed. */
BiAwsRequest *bi_aws_request_new_from_target (const char *method,
                                              const char *target);
void          bi_aws_request_free        (BiAwsRequest *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiAwsRequest, bi_aws_request_free)

void          bi_aws_request_add_query   (BiAwsRequest *self,
                                          const char   *name,
                                          const char   *value);
/* Appends a header (a repeated name is kept as another value). */
void          bi_aws_request_add_header  (BiAwsRequest *self,
                                          const char   *name,
                                          const char   *value);
/* Replaces every header of this (case-insensitive) name by one. */
void          bi_aws_request_set_header  (BiAwsRequest *self,
                                          const char   *name,
                                          const char   *value);
/* The first value of the (case-insensitive) header @name, or NULL. */
const char   *bi_aws_request_get_header  (const BiAwsRequest *self,
                                          const char         *name);
void          bi_aws_request_set_body    (BiAwsRequest *self,
                                          GBytes       *body);

/* "PATH" or "PATH?a=b&c=d" with RFC 3986 encoding of the query, in the order added. */
char         *bi_aws_request_dup_target  (const BiAwsRequest *self);

/* RFC 3986 percent-encoding: everything but A–Z a–z 0–9 - . _ ~ (and '/' when @keep_slash)
 * becomes %XX with upper-case hex. */
char         *bi_aws_uri_encode          (const char *text,
                                          gboolean    keep_slash);

/* The hex SHA-256 of @data (of nothing when NULL). */
char         *bi_aws_sha256_hex          (GBytes     *data);

G_END_DECLS
