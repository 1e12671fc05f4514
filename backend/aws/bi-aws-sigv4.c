/* bi-aws-sigv4.c — AWS Signature Version 4
 *
 * The steps are AWS's: canonical request → string to sign → signing key (HMAC chain over
 * date, region, service, "aws4_request") → signature.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-aws-sigv4"

#include "bi-aws-sigv4.h"

#include <string.h>

#define ALGORITHM "AWS4-HMAC-SHA256"
#define UNSIGNED_PAYLOAD "UNSIGNED-PAYLOAD"

void
bi_aws_signature_clear (BiAwsSignature *signature)
{
  g_clear_pointer (&signature->canonical_request, g_free);
  g_clear_pointer (&signature->string_to_sign, g_free);
  g_clear_pointer (&signature->signed_headers, g_free);
  g_clear_pointer (&signature->signature, g_free);
}

/* ---- canonical request ------------------------------------------------------------------- */

/* RFC 3986 remove_dot_segments plus dropping empty segments, as the suite's normalize cases
 * expect; a trailing slash survives. */
static char *
normalize_path (const char *path)
{
  g_auto(GStrv) segments = g_strsplit (path, "/", -1);
  g_autoptr(GPtrArray) kept = g_ptr_array_new ();
  GString *normalized = g_string_new (NULL);
  gboolean trailing_slash = g_str_has_suffix (path, "/")
                            || g_str_has_suffix (path, "/.") || g_str_has_suffix (path, "/..");

  for (guint i = 0; segments[i] != NULL; i++)
    {
      if (segments[i][0] == '\0' || g_str_equal (segments[i], "."))
        continue;
      if (g_str_equal (segments[i], ".."))
        {
          if (kept->len > 0)
            g_ptr_array_remove_index (kept, kept->len - 1);
          continue;
        }
      g_ptr_array_add (kept, segments[i]);
    }

  for (guint i = 0; i < kept->len; i++)
    g_string_append_printf (normalized, "/%s", (const char *) g_ptr_array_index (kept, i));
  if (kept->len == 0 || trailing_slash)
    g_string_append_c (normalized, '/');
  return g_string_free (normalized, FALSE);
}

static char *
canonical_uri (const BiAwsRequest       *request,
               const BiAwsSigningParams *params)
{
  g_autofree char *normalized = NULL;

  if (params->s3)
    return g_strdup (request->path);
  normalized = normalize_path (request->path);
  return bi_aws_uri_encode (normalized, TRUE);
}

typedef struct
{
  char *name;  /* encoded */
  char *value; /* encoded */
} EncodedPair;

static int
compare_pairs (gconstpointer a,
               gconstpointer b)
{
  const EncodedPair *pa = a;
  const EncodedPair *pb = b;
  int by_name = strcmp (pa->name, pb->name);

  return by_name != 0 ? by_name : strcmp (pa->value, pb->value);
}

static char *
canonical_query (const BiAwsRequest *request)
{
  g_autoptr(GArray) pairs = g_array_sized_new (FALSE, FALSE, sizeof (EncodedPair),
                                               request->query->len);
  GString *query = g_string_new (NULL);

  for (guint i = 0; i < request->query->len; i++)
    {
      BiAwsParam *param = g_ptr_array_index (request->query, i);
      EncodedPair pair = { bi_aws_uri_encode (param->name, FALSE),
                           bi_aws_uri_encode (param->value, FALSE) };

      g_array_append_val (pairs, pair);
    }
  /* Sorted by encoded name, then value: byte order, as AWS specifies. */
  g_array_sort (pairs, compare_pairs);
  for (guint i = 0; i < pairs->len; i++)
    {
      EncodedPair *pair = &g_array_index (pairs, EncodedPair, i);

      g_string_append_printf (query, "%s%s=%s", i > 0 ? "&" : "", pair->name, pair->value);
      g_free (pair->name);
      g_free (pair->value);
    }
  return g_string_free (query, FALSE);
}

/* Trimmed, with runs of spaces and tabs made one space. */
static void
append_header_value (GString    *out,
                     const char *value)
{
  gboolean in_space = FALSE;
  gsize start = out->len;

  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
        {
          in_space = TRUE;
          continue;
        }
      if (in_space && out->len > start)
        g_string_append_c (out, ' ');
      in_space = FALSE;
      g_string_append_c (out, *p);
    }
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Appends "name:v1,v2\n" lines (names lower-cased and sorted, values of a repeated name in
 * the order sent) to @out and returns the signed headers list "a;b;c". */
static char *
canonical_headers (const BiAwsRequest *request,
                   GString            *out)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GString *signed_headers = g_string_new (NULL);

  for (guint i = 0; i < request->headers->len; i++)
    {
      BiAwsParam *header = g_ptr_array_index (request->headers, i);
      g_autofree char *name = g_ascii_strdown (header->name, -1);

      if (g_str_equal (name, "authorization"))
        continue;
      if (!g_ptr_array_find_with_equal_func (names, name, g_str_equal, NULL))
        g_ptr_array_add (names, g_steal_pointer (&name));
    }
  g_ptr_array_sort (names, compare_strings);

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      gboolean first = TRUE;

      g_string_append_printf (out, "%s:", name);
      for (guint j = 0; j < request->headers->len; j++)
        {
          BiAwsParam *header = g_ptr_array_index (request->headers, j);

          if (g_ascii_strcasecmp (header->name, name) != 0)
            continue;
          if (!first)
            g_string_append_c (out, ',');
          append_header_value (out, header->value);
          first = FALSE;
        }
      g_string_append_c (out, '\n');
      g_string_append_printf (signed_headers, "%s%s", i > 0 ? ";" : "", name);
    }
  return g_string_free (signed_headers, FALSE);
}

static char *
canonical_request (const BiAwsRequest       *request,
                   const BiAwsSigningParams *params,
                   const char               *payload_hash,
                   char                    **signed_headers)
{
  GString *text = g_string_new (NULL);
  g_autofree char *uri = canonical_uri (request, params);
  g_autofree char *query = canonical_query (request);

  g_string_append_printf (text, "%s\n%s\n%s\n", request->method, uri, query);
  *signed_headers = canonical_headers (request, text);
  g_string_append_printf (text, "\n%s\n%s", *signed_headers, payload_hash);
  return g_string_free (text, FALSE);
}

/* ---- signature --------------------------------------------------------------------------- */

static GBytes *
hmac (GBytes     *key,
      const char *data)
{
  gsize key_size;
  const guchar *key_data = g_bytes_get_data (key, &key_size);
  g_autoptr(GHmac) mac = g_hmac_new (G_CHECKSUM_SHA256, key_data, key_size);
  guint8 digest[32];
  gsize digest_size = sizeof digest;

  g_hmac_update (mac, (const guchar *) data, -1);
  g_hmac_get_digest (mac, digest, &digest_size);
  return g_bytes_new (digest, digest_size);
}

static char *
signature_hex (const BiAwsSigningParams *params,
               const char               *date,
               const char               *string_to_sign)
{
  g_autofree char *secret = g_strconcat ("AWS4", params->credentials->secret_access_key, NULL);
  g_autoptr(GBytes) key = g_bytes_new_take (g_steal_pointer (&secret),
                                            strlen ("AWS4")
                                            + strlen (params->credentials->secret_access_key));
  g_autoptr(GBytes) date_key = hmac (key, date);
  g_autoptr(GBytes) region_key = hmac (date_key, params->region);
  g_autoptr(GBytes) service_key = hmac (region_key, params->service);
  g_autoptr(GBytes) signing_key = hmac (service_key, "aws4_request");
  g_autoptr(GBytes) signature = hmac (signing_key, string_to_sign);
  gsize size;
  const guint8 *bytes = g_bytes_get_data (signature, &size);
  GString *hex = g_string_sized_new (64);

  for (gsize i = 0; i < size; i++)
    g_string_append_printf (hex, "%02x", bytes[i]);
  return g_string_free (hex, FALSE);
}

/* Canonical request, string to sign and signature of @request as it now is. */
static void
compute (const BiAwsRequest       *request,
         const BiAwsSigningParams *params,
         const char               *timestamp,
         const char               *scope,
         const char               *payload_hash,
         BiAwsSignature           *result)
{
  g_autofree char *request_hash = NULL;
  g_autofree char *date = g_strndup (scope, strcspn (scope, "/"));

  result->canonical_request = canonical_request (request, params, payload_hash,
                                                 &result->signed_headers);
  request_hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256,
                                                result->canonical_request, -1);
  result->string_to_sign = g_strdup_printf (ALGORITHM "\n%s\n%s\n%s", timestamp, scope,
                                            request_hash);
  result->signature = signature_hex (params, date, result->string_to_sign);
}

static void
format_time (GDateTime  *time,
             char      **timestamp,
             char      **date)
{
  g_autoptr(GDateTime) utc = g_date_time_to_utc (time);

  *timestamp = g_date_time_format (utc, "%Y%m%dT%H%M%SZ");
  *date = g_date_time_format (utc, "%Y%m%d");
}

static void
hand_over (BiAwsSignature *result,
           BiAwsSignature *out)
{
  if (out != NULL)
    *out = *result;
  else
    bi_aws_signature_clear (result);
}

void
bi_aws_sigv4_sign (BiAwsRequest             *request,
                   const BiAwsSigningParams *params,
                   GDateTime                *time,
                   BiAwsSignature           *out)
{
  g_autofree char *timestamp = NULL;
  g_autofree char *date = NULL;
  g_autofree char *scope = NULL;
  g_autofree char *payload_hash = NULL;
  g_autofree char *authorization = NULL;
  BiAwsSignature result = { 0 };
  const char *given_hash;

  g_return_if_fail (request != NULL && params != NULL && params->credentials != NULL);
  g_return_if_fail (time != NULL);

  format_time (time, &timestamp, &date);
  scope = g_strdup_printf ("%s/%s/%s/aws4_request", date, params->region, params->service);

  for (guint i = request->headers->len; i > 0; i--)
    {
      BiAwsParam *header = g_ptr_array_index (request->headers, i - 1);

      if (g_ascii_strcasecmp (header->name, "authorization") == 0)
        g_ptr_array_remove_index (request->headers, i - 1);
    }
  bi_aws_request_set_header (request, "X-Amz-Date", timestamp);
  if (params->credentials->session_token != NULL)
    bi_aws_request_set_header (request, "X-Amz-Security-Token",
                               params->credentials->session_token);

  given_hash = bi_aws_request_get_header (request, "x-amz-content-sha256");
  payload_hash = given_hash != NULL ? g_strdup (given_hash) : bi_aws_sha256_hex (request->body);
  if (params->s3 && given_hash == NULL)
    bi_aws_request_set_header (request, "X-Amz-Content-SHA256", payload_hash);

  compute (request, params, timestamp, scope, payload_hash, &result);
  authorization = g_strdup_printf (ALGORITHM " Credential=%s/%s, SignedHeaders=%s, "
                                   "Signature=%s", params->credentials->access_key_id, scope,
                                   result.signed_headers, result.signature);
  bi_aws_request_add_header (request, "Authorization", authorization);
  hand_over (&result, out);
}

char *
bi_aws_sigv4_presign (BiAwsRequest             *request,
                      const BiAwsSigningParams *params,
                      GDateTime                *time,
                      guint                     expires_seconds,
                      BiAwsSignature           *out)
{
  g_autofree char *timestamp = NULL;
  g_autofree char *date = NULL;
  g_autofree char *scope = NULL;
  g_autofree char *credential = NULL;
  g_autofree char *expires = g_strdup_printf ("%u", expires_seconds);
  g_autoptr(GString) signed_headers = g_string_new (NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  BiAwsSignature result = { 0 };
  char *target;

  g_return_val_if_fail (request != NULL && params != NULL && params->credentials != NULL, NULL);
  g_return_val_if_fail (expires_seconds >= 1 && expires_seconds <= 604800, NULL);

  format_time (time, &timestamp, &date);
  scope = g_strdup_printf ("%s/%s/%s/aws4_request", date, params->region, params->service);
  credential = g_strdup_printf ("%s/%s", params->credentials->access_key_id, scope);

  /* The signed headers go in the query before signing; the canonical request repeats them. */
  for (guint i = 0; i < request->headers->len; i++)
    {
      BiAwsParam *header = g_ptr_array_index (request->headers, i);
      char *name = g_ascii_strdown (header->name, -1);

      if (g_ptr_array_find_with_equal_func (names, name, g_str_equal, NULL))
        g_free (name);
      else
        g_ptr_array_add (names, name);
    }
  g_ptr_array_sort (names, compare_strings);
  for (guint i = 0; i < names->len; i++)
    g_string_append_printf (signed_headers, "%s%s", i > 0 ? ";" : "",
                            (const char *) g_ptr_array_index (names, i));

  bi_aws_request_add_query (request, "X-Amz-Algorithm", ALGORITHM);
  bi_aws_request_add_query (request, "X-Amz-Credential", credential);
  bi_aws_request_add_query (request, "X-Amz-Date", timestamp);
  bi_aws_request_add_query (request, "X-Amz-Expires", expires);
  bi_aws_request_add_query (request, "X-Amz-SignedHeaders", signed_headers->str);
  if (params->credentials->session_token != NULL)
    bi_aws_request_add_query (request, "X-Amz-Security-Token",
                              params->credentials->session_token);

  compute (request, params, timestamp, scope, UNSIGNED_PAYLOAD, &result);
  bi_aws_request_add_query (request, "X-Amz-Signature", result.signature);
  target = bi_aws_request_dup_target (request);
  hand_over (&result, out);
  return target;
}
