/* bi-stage-common.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-stage-common"

#include "bi-stage-common.h"
#include "bi-job-id.h"
#include "bi-object-key.h"
#include "bi-protocol-messages.h"

#include <gio/gio.h>
#include <math.h>
#include <string.h>

G_DEFINE_QUARK (bi-stage-error-quark, bi_stage_error)

static gboolean
set_bad_member (GError     **error,
                const char  *name,
                const char  *expected)
{
  g_set_error (error, BI_STAGE_ERROR, BI_STAGE_ERROR_PERMANENT,
               "The message's “%s” is missing or is not %s; the sender must follow the "
               "stage contract in bi-stages.h.", name, expected);
  return FALSE;
}

JsonNode *
bi_stage_message_parse (const char  *message,
                        GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GError) local_error = NULL;
  JsonNode *root;
  gsize length;

  if (message == NULL)
    {
      g_set_error_literal (error, BI_STAGE_ERROR, BI_STAGE_ERROR_PERMANENT,
                           "The message is empty; a stage needs a JSON object.");
      return NULL;
    }

  length = strlen (message);
  if (length > BI_STAGE_MAX_MESSAGE_LENGTH)
    {
      g_set_error (error, BI_STAGE_ERROR, BI_STAGE_ERROR_PERMANENT,
                   "The message is %zu bytes long; at most %d are accepted.",
                   length, BI_STAGE_MAX_MESSAGE_LENGTH);
      return NULL;
    }

  if (!json_parser_load_from_data (parser, message, (gssize) length, &local_error))
    {
      g_set_error (error, BI_STAGE_ERROR, BI_STAGE_ERROR_PERMANENT,
                   "The message is not valid JSON (%s).", local_error->message);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error_literal (error, BI_STAGE_ERROR, BI_STAGE_ERROR_PERMANENT,
                           "The message is not a JSON object.");
      return NULL;
    }

  return json_node_ref (root);
}

const char *
bi_stage_member_string (JsonObject  *object,
                        const char  *name,
                        gboolean     allow_empty,
                        GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);
  const char *value;

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      set_bad_member (error, name, "a string");
      return NULL;
    }

  value = json_node_get_string (node);
  if (!allow_empty && value[0] == '\0')
    {
      set_bad_member (error, name, "a non-empty string");
      return NULL;
    }
  return value;
}

gboolean
bi_stage_member_int (JsonObject  *object,
                     const char  *name,
                     gint64       min,
                     gint64       max,
                     gint64      *value,
                     GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);
  gint64 number;

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    return set_bad_member (error, name, "a whole number");

  number = json_node_get_int (node);
  if (number < min || number > max)
    {
      g_set_error (error, BI_STAGE_ERROR, BI_STAGE_ERROR_PERMANENT,
                   "The message's “%s” is %" G_GINT64_FORMAT "; it must be between %"
                   G_GINT64_FORMAT " and %" G_GINT64_FORMAT ".", name, number, min, max);
      return FALSE;
    }

  *value = number;
  return TRUE;
}

static gboolean
member_is_absent (JsonObject *object,
                  const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node == NULL || JSON_NODE_HOLDS_NULL (node);
}

gboolean
bi_stage_member_int_or_default (JsonObject  *object,
                                const char  *name,
                                gint64       min,
                                gint64       max,
                                gint64      *value,
                                GError     **error)
{
  if (member_is_absent (object, name))
    return TRUE;
  return bi_stage_member_int (object, name, min, max, value, error);
}

gboolean
bi_stage_member_optional_string (JsonObject  *object,
                                 const char  *name,
                                 const char **value,
                                 GError     **error)
{
  *value = NULL;
  if (member_is_absent (object, name))
    return TRUE;
  *value = bi_stage_member_string (object, name, FALSE, error);
  return *value != NULL;
}

gboolean
bi_stage_member_double (JsonObject  *object,
                        const char  *name,
                        double       min,
                        double       max,
                        double      *value,
                        GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);
  GType type = node != NULL ? json_node_get_value_type (node) : G_TYPE_INVALID;
  double number;

  if (type != G_TYPE_DOUBLE && type != G_TYPE_INT64)
    return set_bad_member (error, name, "a number");

  number = json_node_get_double (node);
  if (!isfinite (number) || number < min || number > max)
    {
      g_set_error (error, BI_STAGE_ERROR, BI_STAGE_ERROR_PERMANENT,
                   "The message's “%s” is %g; it must be between %g and %g.",
                   name, number, min, max);
      return FALSE;
    }

  *value = number;
  return TRUE;
}

JsonObject *
bi_stage_member_object (JsonObject  *object,
                        const char  *name,
                        GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      set_bad_member (error, name, "an object");
      return NULL;
    }
  return json_node_get_object (node);
}

JsonArray *
bi_stage_member_array (JsonObject  *object,
                       const char  *name,
                       GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      set_bad_member (error, name, "an array");
      return NULL;
    }

  array = json_node_get_array (node);
  if (json_array_get_length (array) > BI_STAGE_MAX_ITEMS)
    {
      g_set_error (error, BI_STAGE_ERROR, BI_STAGE_ERROR_PERMANENT,
                   "The message's “%s” has %u elements; at most %d are accepted.",
                   name, json_array_get_length (array), BI_STAGE_MAX_ITEMS);
      return NULL;
    }
  return array;
}

JsonObject *
bi_stage_element_object (JsonArray   *array,
                         guint        index,
                         const char  *array_name,
                         GError     **error)
{
  JsonNode *node = json_array_get_element (array, index);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, BI_STAGE_ERROR, BI_STAGE_ERROR_PERMANENT,
                   "The message's “%s[%u]” is not an object.", array_name, index);
      return NULL;
    }
  return json_node_get_object (node);
}

gboolean
bi_stage_member_bbox (JsonObject  *object,
                      const char  *name,
                      int          bbox[4],
                      GError     **error)
{
  JsonNode *node = json_object_get_member (object, name);
  JsonArray *array = node != NULL && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node)
                                                                  : NULL;

  if (array == NULL || json_array_get_length (array) != 4)
    return set_bad_member (error, name, "an array [x, y, width, height]");

  for (guint i = 0; i < 4; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      gint64 value;

      if (json_node_get_value_type (element) != G_TYPE_INT64 ||
          (value = json_node_get_int (element)) < 0 || value > BI_STAGE_MAX_IMAGE_SIDE)
        return set_bad_member (error, name,
                               "four whole numbers of pixels [x, y, width, height] ≥ 0");
      bbox[i] = (int) value;
    }
  return TRUE;
}

gboolean
bi_stage_member_image (JsonObject  *object,
                       int         *width,
                       int         *height,
                       GError     **error)
{
  JsonObject *image = bi_stage_member_object (object, "image", error);
  gint64 value;

  if (image == NULL)
    return FALSE;
  if (!bi_stage_member_int (image, "width", 1, BI_STAGE_MAX_IMAGE_SIDE, &value, error))
    return FALSE;
  *width = (int) value;
  if (!bi_stage_member_int (image, "height", 1, BI_STAGE_MAX_IMAGE_SIDE, &value, error))
    return FALSE;
  *height = (int) value;
  return TRUE;
}

/* Validation errors of the protocol library become permanent stage errors. */
static void
make_permanent (GError **error)
{
  if (error != NULL && *error != NULL)
    {
      GError *permanent = g_error_new_literal (BI_STAGE_ERROR, BI_STAGE_ERROR_PERMANENT,
                                               (*error)->message);

      g_error_free (*error);
      *error = permanent;
    }
}

char *
bi_stage_member_job_id (JsonObject  *message,
                        GError     **error)
{
  const char *job_id = bi_stage_member_string (message, "jobId", FALSE, error);

  if (job_id == NULL)
    return NULL;
  if (!bi_job_id_validate (job_id, error))
    {
      make_permanent (error);
      return NULL;
    }
  return g_strdup (job_id);
}

char *
bi_stage_member_key (JsonObject  *message,
                     const char  *job_id,
                     GError     **error)
{
  const char *key = bi_stage_member_string (message, "key", FALSE, error);
  g_autofree char *key_job_id = NULL;

  if (key == NULL)
    return NULL;
  if (!bi_object_key_parse (key, &key_job_id, NULL, error))
    {
      make_permanent (error);
      return NULL;
    }
  if (strcmp (key_job_id, job_id) != 0)
    {
      g_set_error (error, BI_STAGE_ERROR, BI_STAGE_ERROR_PERMANENT,
                   "The message's “key” belongs to job %s, not to its “jobId” %s.",
                   key_job_id, job_id);
      return NULL;
    }
  return g_strdup (key);
}

/* A validated copy of the message's "timings". */
static JsonNode *
copy_timings (JsonObject  *object,
              GError     **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  JsonObject *timings = NULL;

  if (json_object_has_member (object, "timings"))
    {
      timings = bi_stage_member_object (object, "timings", error);
      if (timings == NULL)
        return NULL;
    }

  json_builder_begin_object (builder);
  if (timings != NULL)
    {
      g_autoptr(GList) members = json_object_get_members (timings);

      for (GList *l = members; l != NULL; l = l->next)
        {
          gint64 value;

          if (!bi_stage_member_int (timings, l->data, 0, G_MAXINT32, &value, error))
            {
              g_prefix_error (error, "In “timings”: ");
              return NULL;
            }
          json_builder_set_member_name (builder, l->data);
          json_builder_add_int_value (builder, value);
        }
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

gboolean
bi_stage_message_init (BiStageMessage  *message,
                       const char      *text,
                       const char      *timing_name,
                       GError         **error)
{
  memset (message, 0, sizeof *message);
  message->timing_name = timing_name;

  message->root = bi_stage_message_parse (text, error);
  if (message->root == NULL)
    return FALSE;
  message->object = json_node_get_object (message->root);

  message->job_id = bi_stage_member_job_id (message->object, error);
  if (message->job_id == NULL)
    return FALSE;
  message->key = bi_stage_member_key (message->object, message->job_id, error);
  if (message->key == NULL)
    return FALSE;
  message->timings = copy_timings (message->object, error);
  return message->timings != NULL;
}

void
bi_stage_message_clear (BiStageMessage *message)
{
  g_clear_pointer (&message->root, json_node_unref);
  message->object = NULL;
  g_clear_pointer (&message->job_id, g_free);
  g_clear_pointer (&message->key, g_free);
  g_clear_pointer (&message->timings, json_node_unref);
}

void
bi_stage_message_set_elapsed (BiStageMessage *message,
                              gint64          start_us)
{
  json_object_set_int_member (json_node_get_object (message->timings), message->timing_name,
                              (g_get_monotonic_time () - start_us) / 1000);
}

JsonBuilder *
bi_stage_output_begin (const BiStageMessage *message)
{
  JsonBuilder *builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "jobId");
  json_builder_add_string_value (builder, message->job_id);
  json_builder_set_member_name (builder, "key");
  json_builder_add_string_value (builder, message->key);
  return builder;
}

JsonNode *
bi_stage_output_end (JsonBuilder          *builder,
                     const BiStageMessage *message)
{
  json_builder_set_member_name (builder, "timings");
  json_builder_add_value (builder, json_node_copy (message->timings));
  json_builder_end_object (builder);
  return json_builder_get_root (builder);
}

/* The stored output of an earlier delivery, or NULL when there is none or it does not
 * belong to this message (then it is made again). */
static char *
load_output (BiStagePorts  *ports,
             const char    *results_key,
             const char    *job_id,
             const char    *key,
             GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GBytes) stored = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  JsonObject *object;
  gsize size;
  const char *data;

  stored = ports->blob_store->get (ports->blob_store, BI_BUCKET_RESULTS, results_key,
                                   &local_error);
  if (stored == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
        return NULL;
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  "Reading %s from the results bucket: ", results_key);
      return NULL;
    }

  data = g_bytes_get_data (stored, &size);
  text = g_strndup (data, size);
  root = bi_stage_message_parse (text, NULL);
  if (root == NULL)
    return NULL;

  object = json_node_get_object (root);
  if (g_strcmp0 (json_object_get_string_member_with_default (object, "jobId", NULL),
                 job_id) != 0 ||
      (key != NULL && json_object_has_member (object, "key") &&
       g_strcmp0 (json_object_get_string_member_with_default (object, "key", NULL),
                  key) != 0))
    return NULL;

  return g_steal_pointer (&text);
}

char *
bi_stage_output_get_or_make (BiStagePorts     *ports,
                             const char       *job_id,
                             const char       *key,
                             const char       *output_name,
                             BiStageWorkFunc   work,
                             gpointer          input,
                             GError          **error)
{
  g_autofree char *results_key = g_strdup_printf ("%s/%s", job_id, output_name);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) output = NULL;
  g_autoptr(GBytes) bytes = NULL;
  char *text;

  text = load_output (ports, results_key, job_id, key, &local_error);
  if (text != NULL)
    return text;
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }

  output = work (input, ports, error);
  if (output == NULL)
    return NULL;

  text = bi_json_to_string (output);
  bytes = g_bytes_new (text, strlen (text));
  if (!ports->blob_store->put (ports->blob_store, BI_BUCKET_RESULTS, results_key, bytes,
                               "application/json", &local_error))
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                  "Storing %s in the results bucket: ", results_key);
      g_free (text);
      return NULL;
    }

  return text;
}

GBytes *
bi_stage_get_photo (BiStagePorts  *ports,
                    const char    *key,
                    GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  GBytes *photo;

  photo = ports->blob_store->get (ports->blob_store, BI_BUCKET_UPLOADS, key, &local_error);
  if (photo != NULL)
    return photo;

  if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    g_set_error (error, BI_STAGE_ERROR, BI_STAGE_ERROR_PERMANENT,
                 "The photo %s is not in the uploads bucket (deleted after its upload?); "
                 "upload it again under a new job id.", key);
  else
    g_propagate_prefixed_error (error, g_steal_pointer (&local_error),
                                "Reading the photo %s: ", key);
  return NULL;
}

char *
bi_stage_timestamp_new (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *seconds = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S");

  return g_strdup_printf ("%s.%03dZ", seconds, g_date_time_get_microsecond (now) / 1000);
}

char *
bi_stage_text_sanitize (const char *text)
{
  char *valid = g_utf8_make_valid (text != NULL ? text : "", -1);

  if (strlen (valid) > BI_STAGE_MAX_TEXT_LENGTH)
    {
      /* Cut at the last character boundary that fits. */
      char *end = g_utf8_find_prev_char (valid, valid + BI_STAGE_MAX_TEXT_LENGTH + 1);

      *end = '\0';
    }
  return valid;
}

void
bi_stage_add_bbox (JsonBuilder *builder,
                   int          x,
                   int          y,
                   int          width,
                   int          height)
{
  json_builder_begin_array (builder);
  json_builder_add_int_value (builder, CLAMP (x, 0, BI_STAGE_MAX_IMAGE_SIDE));
  json_builder_add_int_value (builder, CLAMP (y, 0, BI_STAGE_MAX_IMAGE_SIDE));
  json_builder_add_int_value (builder, CLAMP (width, 0, BI_STAGE_MAX_IMAGE_SIDE));
  json_builder_add_int_value (builder, CLAMP (height, 0, BI_STAGE_MAX_IMAGE_SIDE));
  json_builder_end_array (builder);
}

double
bi_stage_clamp_confidence (double confidence)
{
  return isfinite (confidence) ? CLAMP (confidence, 0.0, 1.0) : 0.0;
}

double
bi_stage_clamp_angle (double angle)
{
  return isfinite (angle) ? fmod (angle, 360.0) : 0.0;
}

/* ---- bi-stages.h: helpers for hosts ------------------------------------------------------ */

/* The job id of the first record of an S3 event. */
static char *
event_job_id (JsonObject *event)
{
  JsonArray *records = bi_stage_member_array (event, "Records", NULL);
  JsonObject *record;
  JsonObject *s3;
  JsonObject *object;
  const char *event_key;
  g_autofree char *key = NULL;
  char *job_id = NULL;

  if (records == NULL || json_array_get_length (records) == 0 ||
      (record = bi_stage_element_object (records, 0, "Records", NULL)) == NULL ||
      (s3 = bi_stage_member_object (record, "s3", NULL)) == NULL ||
      (object = bi_stage_member_object (s3, "object", NULL)) == NULL ||
      (event_key = bi_stage_member_string (object, "key", FALSE, NULL)) == NULL ||
      (key = bi_object_key_decode (event_key, NULL)) == NULL ||
      !bi_object_key_parse (key, &job_id, NULL, NULL))
    return NULL;

  return job_id;
}

char *
bi_stage_message_job_id (const char *queue_name,
                         const char *message)
{
  g_autoptr(JsonNode) root = bi_stage_message_parse (message, NULL);

  if (root == NULL)
    return NULL;

  if (g_strcmp0 (queue_name, BI_QUEUE_UPLOAD_EVENTS) == 0)
    return event_job_id (json_node_get_object (root));
  return bi_stage_member_job_id (json_node_get_object (root), NULL);
}

char *
bi_stage_failure_new (const char *job_id,
                      const char *stage,
                      const char *code,
                      const char *error_message)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *timestamp = bi_stage_timestamp_new ();

  g_return_val_if_fail (job_id != NULL, NULL);
  g_return_val_if_fail (stage != NULL, NULL);
  g_return_val_if_fail (code != NULL, NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "jobId");
  json_builder_add_string_value (builder, job_id);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "failed");
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "stage");
  json_builder_add_string_value (builder, stage);
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code);
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, error_message != NULL ? error_message : "");
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "timestamp");
  json_builder_add_string_value (builder, timestamp);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return bi_json_to_string (root);
}
