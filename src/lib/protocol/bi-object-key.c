/* bi-object-key.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-object-key"

#include "bi-object-key.h"
#include "bi-job-id.h"
#include "bi-protocol-error.h"

#include <string.h>

char *
bi_object_key_decode (const char  *event_key,
                      GError     **error)
{
  g_autoptr(GString) decoded = NULL;

  g_return_val_if_fail (event_key != NULL, NULL);

  decoded = g_string_sized_new (strlen (event_key));
  for (const char *p = event_key; *p != '\0'; p++)
    {
      if (*p == '+')
        {
          g_string_append_c (decoded, ' ');
        }
      else if (*p == '%')
        {
          int high = g_ascii_xdigit_value (p[1]);
          int low = high < 0 ? -1 : g_ascii_xdigit_value (p[2]);

          if (high < 0 || low < 0)
            {
              g_set_error (error, BI_PROTOCOL_ERROR, BI_PROTOCOL_ERROR_BAD_FILE_NAME,
                           "The object key has an invalid %%-escape at byte %d.",
                           (int) (p - event_key));
              return NULL;
            }
          if (high == 0 && low == 0)
            {
              g_set_error_literal (error, BI_PROTOCOL_ERROR, BI_PROTOCOL_ERROR_BAD_FILE_NAME,
                                   "The object key contains a NUL byte (%00).");
              return NULL;
            }
          g_string_append_c (decoded, (char) (high * 16 + low));
          p += 2;
        }
      else
        {
          g_string_append_c (decoded, *p);
        }
    }

  return g_string_free (g_steal_pointer (&decoded), FALSE);
}

char *
bi_object_key_encode (const char *key)
{
  g_autoptr(GString) encoded = NULL;

  g_return_val_if_fail (key != NULL, NULL);

  encoded = g_string_sized_new (strlen (key) * 3);
  for (const guchar *p = (const guchar *) key; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p) || strchr ("-_.~/", *p) != NULL)
        g_string_append_c (encoded, (char) *p);
      else if (*p == ' ')
        g_string_append_c (encoded, '+');
      else
        g_string_append_printf (encoded, "%%%02X", *p);
    }

  return g_string_free (g_steal_pointer (&encoded), FALSE);
}

gboolean
bi_file_name_validate (const char  *file_name,
                       GError     **error)
{
  gsize length;

  if (file_name == NULL || file_name[0] == '\0')
    {
      g_set_error_literal (error, BI_PROTOCOL_ERROR, BI_PROTOCOL_ERROR_BAD_FILE_NAME,
                           "The file name is empty; name the photo, e.g. shelf.jpg.");
      return FALSE;
    }

  length = strlen (file_name);
  if (length > BI_FILE_NAME_MAX_LENGTH)
    {
      g_set_error (error, BI_PROTOCOL_ERROR, BI_PROTOCOL_ERROR_BAD_FILE_NAME,
                   "The file name is %zu bytes long; at most %d are allowed.",
                   length, BI_FILE_NAME_MAX_LENGTH);
      return FALSE;
    }

  if (!g_utf8_validate (file_name, (gssize) length, NULL))
    {
      g_set_error_literal (error, BI_PROTOCOL_ERROR, BI_PROTOCOL_ERROR_BAD_FILE_NAME,
                           "The file name is not valid UTF-8.");
      return FALSE;
    }

  if (strcmp (file_name, ".") == 0 || strcmp (file_name, "..") == 0)
    {
      g_set_error_literal (error, BI_PROTOCOL_ERROR, BI_PROTOCOL_ERROR_BAD_FILE_NAME,
                           "The file name may not be \".\" or \"..\".");
      return FALSE;
    }

  for (const guchar *p = (const guchar *) file_name; *p != '\0'; p++)
    {
      if (*p == '/' || *p == '\\' || *p < 0x20 || *p == 0x7f)
        {
          g_set_error_literal (error, BI_PROTOCOL_ERROR, BI_PROTOCOL_ERROR_BAD_FILE_NAME,
                               "The file name may not contain slashes, backslashes or "
                               "control characters.");
          return FALSE;
        }
    }

  return TRUE;
}

gboolean
bi_object_key_parse (const char  *key,
                     char       **job_id,
                     char       **file_name,
                     GError     **error)
{
  const char *slash;
  g_autofree char *parsed_job_id = NULL;

  g_return_val_if_fail (key != NULL, FALSE);

  slash = strchr (key, '/');
  if (slash == NULL)
    {
      g_set_error_literal (error, BI_PROTOCOL_ERROR, BI_PROTOCOL_ERROR_BAD_FILE_NAME,
                           "The object key must be <jobId>/<file name>.");
      return FALSE;
    }

  parsed_job_id = g_strndup (key, (gsize) (slash - key));
  if (!bi_job_id_validate (parsed_job_id, error))
    return FALSE;
  if (!bi_file_name_validate (slash + 1, error))
    return FALSE;

  if (job_id != NULL)
    *job_id = g_steal_pointer (&parsed_job_id);
  if (file_name != NULL)
    *file_name = g_strdup (slash + 1);

  return TRUE;
}
