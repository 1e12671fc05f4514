/* bi-aws-request.c — an HTTP request to an AWS service, and RFC 3986 encoding
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-aws-request"

#include "bi-aws-request.h"

#include <string.h>

static void
param_free (gpointer data)
{
  BiAwsParam *param = data;

  g_free (param->name);
  g_free (param->value);
  g_free (param);
}

static BiAwsParam *
param_new (const char *name,
           const char *value)
{
  BiAwsParam *param = g_new0 (BiAwsParam, 1);

  param->name = g_strdup (name);
  param->value = g_strdup (value != NULL ? value : "");
  return param;
}

BiAwsRequest *
bi_aws_request_new (const char *method,
                    const char *wire_path)
{
  BiAwsRequest *self;

  g_return_val_if_fail (method != NULL, NULL);
  g_return_val_if_fail (wire_path != NULL && wire_path[0] == '/', NULL);

  self = g_new0 (BiAwsRequest, 1);
  self->method = g_strdup (method);
  self->path = g_strdup (wire_path);
  self->query = g_ptr_array_new_with_free_func (param_free);
  self->headers = g_ptr_array_new_with_free_func (param_free);
  return self;
}

BiAwsRequest *
bi_aws_request_new_from_target (const char *method,
                                const char *target)
{
  g_autoptr(BiAwsRequest) self = NULL;
  const char *question = strchr (target, '?');
  g_autofree char *path = question != NULL ? g_strndup (target, question - target)
                                           : g_strdup (target);
  g_auto(GStrv) pairs = NULL;

  self = bi_aws_request_new (method, path);
  if (question == NULL || question[1] == '\0')
    return g_steal_pointer (&self);

  pairs = g_strsplit (question + 1, "&", -1);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      char *equals = strchr (pairs[i], '=');
      g_autofree char *name = NULL;
      g_autofree char *value = NULL;

      if (pairs[i][0] == '\0')
        continue;
      if (equals != NULL)
        *equals = '\0';
      name = g_uri_unescape_string (pairs[i], NULL);
      value = g_uri_unescape_string (equals != NULL ? equals + 1 : "", NULL);
      if (name == NULL || value == NULL)
        return NULL;
      bi_aws_request_add_query (self, name, value);
    }
  return g_steal_pointer (&self);
}

void
bi_aws_request_free (BiAwsRequest *self)
{
  if (self == NULL)
    return;

  g_free (self->method);
  g_free (self->path);
  g_ptr_array_unref (self->query);
  g_ptr_array_unref (self->headers);
  g_clear_pointer (&self->body, g_bytes_unref);
  g_free (self);
}

void
bi_aws_request_add_query (BiAwsRequest *self,
                          const char   *name,
                          const char   *value)
{
  g_ptr_array_add (self->query, param_new (name, value));
}

void
bi_aws_request_add_header (BiAwsRequest *self,
                           const char   *name,
                           const char   *value)
{
  g_ptr_array_add (self->headers, param_new (name, value));
}

void
bi_aws_request_set_header (BiAwsRequest *self,
                           const char   *name,
                           const char   *value)
{
  for (guint i = self->headers->len; i > 0; i--)
    {
      BiAwsParam *header = g_ptr_array_index (self->headers, i - 1);

      if (g_ascii_strcasecmp (header->name, name) == 0)
        g_ptr_array_remove_index (self->headers, i - 1);
    }
  bi_aws_request_add_header (self, name, value);
}

const char *
bi_aws_request_get_header (const BiAwsRequest *self,
                           const char         *name)
{
  for (guint i = 0; i < self->headers->len; i++)
    {
      BiAwsParam *header = g_ptr_array_index (self->headers, i);

      if (g_ascii_strcasecmp (header->name, name) == 0)
        return header->value;
    }
  return NULL;
}

void
bi_aws_request_set_body (BiAwsRequest *self,
                         GBytes       *body)
{
  g_clear_pointer (&self->body, g_bytes_unref);
  if (body != NULL)
    self->body = g_bytes_ref (body);
}

char *
bi_aws_request_dup_target (const BiAwsRequest *self)
{
  GString *target = g_string_new (self->path);

  for (guint i = 0; i < self->query->len; i++)
    {
      BiAwsParam *param = g_ptr_array_index (self->query, i);
      g_autofree char *name = bi_aws_uri_encode (param->name, FALSE);
      g_autofree char *value = bi_aws_uri_encode (param->value, FALSE);

      g_string_append_printf (target, "%c%s=%s", i == 0 ? '?' : '&', name, value);
    }
  return g_string_free (target, FALSE);
}

char *
bi_aws_uri_encode (const char *text,
                   gboolean    keep_slash)
{
  GString *encoded = g_string_sized_new (strlen (text) + 16);

  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      if (g_ascii_isalnum (*p) || *p == '-' || *p == '.' || *p == '_' || *p == '~'
          || (keep_slash && *p == '/'))
        g_string_append_c (encoded, (char) *p);
      else
        g_string_append_printf (encoded, "%%%02X", *p);
    }
  return g_string_free (encoded, FALSE);
}

char *
bi_aws_sha256_hex (GBytes *data)
{
  gsize size = 0;
  const guchar *bytes = data != NULL ? g_bytes_get_data (data, &size) : NULL;

  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, bytes != NULL ? bytes : (const guchar *) "",
                                      size);
}
