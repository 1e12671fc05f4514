/* bi-url-signer.h — HMAC-signed upload URLs, the embedded equivalent of S3 presigned PUT URLs
 *
 * A signed URL lets whoever holds it PUT one object with one content type until it expires,
 * without the access token: `/upload/<escaped key>?contentType=…&expires=<unix s>&signature=…`.
 * The signature is hex HMAC-SHA256 over "PUT\n<key>\n<content-type>\n<expires>" with a secret
 * kept in the data dir, so URLs survive a server restart but not a new data dir.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BI_URL_SIGNER_ERROR (bi_url_signer_error_quark ())

typedef enum
{
  BI_URL_SIGNER_ERROR_MALFORMED,     /* a parameter is missing or not in its expected form */
  BI_URL_SIGNER_ERROR_BAD_SIGNATURE, /* the URL was altered or signed by another server */
  BI_URL_SIGNER_ERROR_EXPIRED,       /* authentic, but too late */
  BI_URL_SIGNER_ERROR_SECRET,        /* the secret file cannot be read or created */
} BiUrlSignerError;

/* Length of the signing secret in bytes. */
#define BI_URL_SIGNER_SECRET_LENGTH 32
/* How long a signed URL stays valid, like an S3 presigned URL made by the original design. */
#define BI_UPLOAD_URL_LIFETIME_SECONDS (15 * 60)
/* File name of the secret inside the data dir. */
#define BI_URL_SIGNER_SECRET_FILE "url-signing.key"

/* Returns the current time in seconds since the Unix epoch (replaceable by tests). */
typedef gint64 (*BiUnixClockFunc) (gpointer user_data);

typedef struct _BiUrlSigner BiUrlSigner;

GQuark       bi_url_signer_error_quark      (void);

/* @secret must be BI_URL_SIGNER_SECRET_LENGTH bytes. */
BiUrlSigner *bi_url_signer_new              (GBytes          *secret);
/* Reads `<data_dir>/url-signing.key`, creating it (0600, random) when absent. */
BiUrlSigner *bi_url_signer_new_for_data_dir (const char      *data_dir,
                                             GError         **error);
void         bi_url_signer_free             (BiUrlSigner     *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiUrlSigner, bi_url_signer_free)

void         bi_url_signer_set_clock        (BiUrlSigner     *self,
                                             BiUnixClockFunc  clock,
                                             gpointer         user_data);

/* Hex HMAC-SHA256 of "PUT\n<key>\n<content_type>\n<expires>". */
char        *bi_url_signer_signature        (BiUrlSigner     *self,
                                             const char      *key,
                                             const char      *content_type,
                                             gint64           expires);

/* `<base_url>/upload/<escaped key>?contentType=…&expires=…&signature=…`, valid for
 * BI_UPLOAD_URL_LIFETIME_SECONDS. @base_url is e.g. "http://127.0.0.1:8080" (no trailing /). */
char        *bi_url_signer_sign_upload      (BiUrlSigner     *self,
                                             const char      *base_url,
                                             const char      *key,
                                             const char      *content_type);

/* Checks the parameters of a signed URL as received (@expires and @signature unparsed, any of
 * them may be NULL). The signature is compared in constant time before the expiry is looked
 * at, so an altered expiry is reported as a bad signature, not as expired. */
gboolean     bi_url_signer_verify_upload    (BiUrlSigner     *self,
                                             const char      *key,
                                             const char      *content_type,
                                             const char      *expires,
                                             const char      *signature,
                                             GError         **error);

/* Compares two strings in time that depends only on their lengths. */
gboolean     bi_constant_time_equal         (const char      *a,
                                             const char      *b);

G_END_DECLS
