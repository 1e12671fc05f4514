/* bi-job-id.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-job-id"

#include "bi-job-id.h"
#include "bi-protocol-error.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

static const char job_id_alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";

/* getrandom(2) is the kernel's CSPRNG; GLib's g_random_* is not cryptographic. */
static void
fill_random (guint8 *buffer,
             gsize   length)
{
  gsize filled = 0;

  while (filled < length)
    {
      ssize_t n = getrandom (buffer + filled, length - filled, 0);

      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          g_error ("getrandom failed: %s", g_strerror (errno));
        }
      filled += (gsize) n;
    }
}

char *
bi_job_id_new (void)
{
  char random_part[BI_JOB_ID_RANDOM_LENGTH + 1];
  guint8 bytes[BI_JOB_ID_RANDOM_LENGTH];
  gsize i = 0;

  while (i < BI_JOB_ID_RANDOM_LENGTH)
    {
      fill_random (bytes, sizeof bytes);
      for (gsize j = 0; j < sizeof bytes && i < BI_JOB_ID_RANDOM_LENGTH; j++)
        {
          /* Reject bytes above the largest multiple of 36 so every character is equally likely. */
          if (bytes[j] >= 252)
            continue;
          random_part[i++] = job_id_alphabet[bytes[j] % 36];
        }
    }
  random_part[BI_JOB_ID_RANDOM_LENGTH] = '\0';

  return g_strdup_printf ("job-%" G_GINT64_FORMAT "-%s",
                          g_get_real_time () / 1000, random_part);
}

/* ^job-[0-9]{10,16}-[a-z0-9]{6,64}$, checked by hand so the error can say which part is wrong. */
gboolean
bi_job_id_validate (const char  *job_id,
                    GError     **error)
{
  const char *p;
  gsize digits = 0;
  gsize random_length = 0;

  if (job_id == NULL || job_id[0] == '\0')
    {
      g_set_error_literal (error, BI_PROTOCOL_ERROR, BI_PROTOCOL_ERROR_BAD_JOB_ID,
                           "The job id is empty; it must look like job-<unix-ms>-<random>.");
      return FALSE;
    }

  if (strlen (job_id) > BI_JOB_ID_MAX_LENGTH)
    {
      g_set_error (error, BI_PROTOCOL_ERROR, BI_PROTOCOL_ERROR_BAD_JOB_ID,
                   "The job id is longer than %d characters.", BI_JOB_ID_MAX_LENGTH);
      return FALSE;
    }

  if (!g_str_has_prefix (job_id, "job-"))
    goto bad_shape;

  for (p = job_id + 4; g_ascii_isdigit (*p); p++)
    digits++;
  if (digits < 10 || digits > 16 || *p != '-')
    goto bad_shape;

  for (p++; *p != '\0'; p++)
    {
      if (!(g_ascii_islower (*p) || g_ascii_isdigit (*p)))
        goto bad_shape;
      random_length++;
    }
  if (random_length < 6 || random_length > 64)
    goto bad_shape;

  return TRUE;

bad_shape:
  g_set_error_literal (error, BI_PROTOCOL_ERROR, BI_PROTOCOL_ERROR_BAD_JOB_ID,
                       "The job id must look like job-<unix-ms>-<random>: 10 to 16 digits, "
                       "then 6 to 64 lower-case letters or digits.");
  return FALSE;
}
