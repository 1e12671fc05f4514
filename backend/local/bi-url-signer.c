/* bi-url-signer.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-url-signer"

#include "bi-url-signer.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

struct _BiUrlSigner
{
  GBytes          *secret;     /* BI_URL_SIGNER_SECRET_LENGTH bytes, the HMAC key */
  BiUnixClockFunc  clock;      /* seconds since the epoch; real time unless a test set one */
  gpointer         clock_data;
};

G_DEFINE_QUARK (bi-url-signer-error-quark, bi_url_signer_error)

/* The longest decimal gint64 has 19 digits; anything longer is not an expiry we made. */
#define MAX_EXPIRES_DIGITS 19

static gint64
real_clock (gpointer user_data)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

BiUrlSigner *
bi_url_signer_new (GBytes *secret)
{
  BiUrlSigner *self;

  g_return_val_if_fail (secret != NULL, NULL);
  g_return_val_if_fail (g_bytes_get_size (secret) == BI_URL_SIGNER_SECRET_LENGTH, NULL);

  self = g_new0 (BiUrlSigner, 1);
  self->secret = g_bytes_ref (secret);
  self->clock = real_clock;
  return self;
}

void
bi_url_signer_free (BiUrlSigner *self)
{
  if (self == NULL)
    return;

  g_bytes_unref (self->secret);
  g_free (self);
}

void
bi_url_signer_set_clock (BiUrlSigner     *self,
                         BiUnixClockFunc  clock,
                         gpointer         user_data)
{
  g_return_if_fail (self != NULL);

  self->clock = clock != NULL ? clock : real_clock;
  self->clock_data = user_data;
}

/* Creates the secret file with O_EXCL so two servers started on one data dir at once cannot
 * both write one; the loser reads the winner's. */
static gboolean
create_secret_file (const char  *path,
                    GError     **error)
{
  guint8 secret[BI_URL_SIGNER_SECRET_LENGTH];
  int fd;
  gboolean ok;

  /* getrandom(2) never returns short for requests of at most 256 bytes. */
  if (getrandom (secret, sizeof secret, 0) != (ssize_t) sizeof secret)
    {
      int saved_errno = errno;

      g_set_error (error, BI_URL_SIGNER_ERROR, BI_URL_SIGNER_ERROR_SECRET,
                   "Could not get random bytes for the URL signing secret: %s",
                   g_strerror (saved_errno));
      return FALSE;
    }

  fd = open (path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved_errno = errno;

      if (saved_errno == EEXIST)
        return TRUE;
      g_set_error (error, BI_URL_SIGNER_ERROR, BI_URL_SIGNER_ERROR_SECRET,
                   "Could not create the URL signing secret %s: %s; check that the data dir "
                   "is writable.", path, g_strerror (saved_errno));
      return FALSE;
    }

  ok = write (fd, secret, sizeof secret) == (ssize_t) sizeof secret && fsync (fd) == 0;
  if (!ok)
    {
      int saved_errno = errno;

      g_set_error (error, BI_URL_SIGNER_ERROR, BI_URL_SIGNER_ERROR_SECRET,
                   "Could not write the URL signing secret %s: %s", path,
                   g_strerror (saved_errno));
      g_unlink (path);
    }
  close (fd);
  memset (secret, 0, sizeof secret);
  return ok;
}

BiUrlSigner *
bi_url_signer_new_for_data_dir (const char  *data_dir,
                                GError     **error)
{
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GBytes) secret = NULL;
  gsize length = 0;
  GStatBuf info;

  g_return_val_if_fail (data_dir != NULL, NULL);

  path = g_build_filename (data_dir, BI_URL_SIGNER_SECRET_FILE, NULL);
  if (!create_secret_file (path, error))
    return NULL;

  if (g_stat (path, &info) == 0 && (info.st_mode & 0077) != 0)
    {
      g_set_error (error, BI_URL_SIGNER_ERROR, BI_URL_SIGNER_ERROR_SECRET,
                   "The URL signing secret %s is readable by other users; run "
                   "`chmod 600` on it (or delete it to make a new one).", path);
      return NULL;
    }

  if (!g_file_get_contents (path, &contents, &length, error))
    return NULL;
  if (length != BI_URL_SIGNER_SECRET_LENGTH)
    {
      g_set_error (error, BI_URL_SIGNER_ERROR, BI_URL_SIGNER_ERROR_SECRET,
                   "The URL signing secret %s has %zu bytes instead of %d; delete it and "
                   "restart to make a new one (signed URLs given out before stop working).",
                   path, length, BI_URL_SIGNER_SECRET_LENGTH);
      return NULL;
    }

  secret = g_bytes_new_take (g_steal_pointer (&contents), length);
  return bi_url_signer_new (secret);
}

/* The signed text has one field per line, so no field may contain a newline: otherwise
 * ("a\nb", "c") and ("a", "b\nc") would sign alike. Keys and content types are validated by
 * the caller; this keeps the signer safe on its own. */
static gboolean
field_is_signable (const char *field)
{
  return field != NULL && strchr (field, '\n') == NULL;
}

char *
bi_url_signer_signature (BiUrlSigner *self,
                         const char  *key,
                         const char  *content_type,
                         gint64       expires)
{
  g_autoptr(GHmac) hmac = NULL;
  g_autofree char *text = NULL;
  gsize secret_length = 0;
  const guint8 *secret;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (field_is_signable (key), NULL);
  g_return_val_if_fail (field_is_signable (content_type), NULL);

  secret = g_bytes_get_data (self->secret, &secret_length);
  hmac = g_hmac_new (G_CHECKSUM_SHA256, secret, secret_length);
  text = g_strdup_printf ("PUT\n%s\n%s\n%" G_GINT64_FORMAT, key, content_type, expires);
  g_hmac_update (hmac, (const guchar *) text, -1);
  return g_strdup (g_hmac_get_string (hmac));
}

char *
bi_url_signer_sign_upload (BiUrlSigner *self,
                           const char  *base_url,
                           const char  *key,
                           const char  *content_type)
{
  g_autofree char *signature = NULL;
  g_autofree char *escaped_key = NULL;
  g_autofree char *escaped_type = NULL;
  gint64 expires;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (base_url != NULL, NULL);
  g_return_val_if_fail (field_is_signable (key), NULL);
  g_return_val_if_fail (field_is_signable (content_type), NULL);

  expires = self->clock (self->clock_data) + BI_UPLOAD_URL_LIFETIME_SECONDS;
  signature = bi_url_signer_signature (self, key, content_type, expires);
  /* The '/' between job id and file name stays literal, as in an S3 URL; everything else
   * that is not unreserved is escaped. */
  escaped_key = g_uri_escape_string (key, "/", FALSE);
  escaped_type = g_uri_escape_string (content_type, NULL, FALSE);

  return g_strdup_printf ("%s/upload/%s?contentType=%s&expires=%" G_GINT64_FORMAT
                          "&signature=%s", base_url, escaped_key, escaped_type, expires,
                          signature);
}

gboolean
bi_constant_time_equal (const char *a,
                        const char *b)
{
  gsize length_a;
  gsize length_b;
  guint8 difference = 0;

  g_return_val_if_fail (a != NULL && b != NULL, FALSE);

  length_a = strlen (a);
  length_b = strlen (b);
  /* Leaks only the lengths, which are public (a hex digest, a token's length). */
  if (length_a != length_b)
    return FALSE;

  for (gsize i = 0; i < length_a; i++)
    difference |= (guint8) (a[i] ^ b[i]);

  return difference == 0;
}

/* Strict decimal: digits only, no sign, no spaces, at most 19 digits. */
static gboolean
parse_expires (const char *text,
               gint64     *expires)
{
  guint64 value = 0;
  gsize length;

  if (text == NULL)
    return FALSE;
  length = strlen (text);
  if (length == 0 || length > MAX_EXPIRES_DIGITS)
    return FALSE;

  for (const char *p = text; *p != '\0'; p++)
    {
      if (!g_ascii_isdigit (*p))
        return FALSE;
      value = value * 10 + (guint64) (*p - '0');
    }
  if (value > G_MAXINT64)
    return FALSE;

  *expires = (gint64) value;
  return TRUE;
}

gboolean
bi_url_signer_verify_upload (BiUrlSigner  *self,
                             const char   *key,
                             const char   *content_type,
                             const char   *expires,
                             const char   *signature,
                             GError      **error)
{
  g_autofree char *expected = NULL;
  g_autofree char *canonical_expires = NULL;
  gint64 expires_value = 0;

  g_return_val_if_fail (self != NULL, FALSE);

  if (!field_is_signable (key) || !field_is_signable (content_type) || signature == NULL)
    {
      g_set_error_literal (error, BI_URL_SIGNER_ERROR, BI_URL_SIGNER_ERROR_MALFORMED,
                           "The upload URL lacks its contentType or signature parameter; "
                           "ask GET /upload-url for a new one.");
      return FALSE;
    }

  if (!parse_expires (expires, &expires_value))
    {
      g_set_error_literal (error, BI_URL_SIGNER_ERROR, BI_URL_SIGNER_ERROR_MALFORMED,
                           "The upload URL's expires parameter is missing or not a Unix time; "
                           "ask GET /upload-url for a new one.");
      return FALSE;
    }

  /* An expiry with leading zeros signs differently from the one we made: it fails below,
   * as any other altered URL does. */
  canonical_expires = g_strdup_printf ("%" G_GINT64_FORMAT, expires_value);
  expected = bi_url_signer_signature (self, key, content_type, expires_value);
  if (!bi_constant_time_equal (expected, signature) || strcmp (canonical_expires, expires) != 0)
    {
      g_set_error_literal (error, BI_URL_SIGNER_ERROR, BI_URL_SIGNER_ERROR_BAD_SIGNATURE,
                           "The upload URL's signature does not match; it was altered or "
                           "signed by another server. Ask GET /upload-url for a new one.");
      return FALSE;
    }

  if (self->clock (self->clock_data) > expires_value)
    {
      g_set_error (error, BI_URL_SIGNER_ERROR, BI_URL_SIGNER_ERROR_EXPIRED,
                   "The upload URL has expired (they are valid for %d minutes); ask "
                   "GET /upload-url for a new one.", BI_UPLOAD_URL_LIFETIME_SECONDS / 60);
      return FALSE;
    }

  return TRUE;
}
