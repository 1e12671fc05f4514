/* bi-textract-engine.c — Textract LINE blocks → BiOcrResult; the BiOcrEngine adapter
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-textract-engine"

#include "bi-textract-engine.h"

#include <math.h>

#include "bi-aws-protocols.h"
#include "bi-image-header.h"
#include "bi-stages.h"

struct _BiTextractEngine
{
  BiOcrEngine  port;   /* first: the port is the adapter */
  BiAwsClient *client; /* borrowed */
};

JsonNode *
bi_textract_detect_document_text (BiAwsClient  *client,
                                  GBytes       *image,
                                  GError      **error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) request = NULL;
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (image, &size);
  g_autofree char *encoded = g_base64_encode (data, size);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "Document");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "Bytes");
  json_builder_add_string_value (builder, encoded);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  request = json_builder_get_root (builder);
  return bi_aws_json_call (client, BI_AWS_SERVICE_TEXTRACT, "1.1", "Textract",
                           "DetectDocumentText", request, error);
}

static double
member_double (JsonObject *object,
               const char *name)
{
  JsonNode *node = object != NULL ? json_object_get_member (object, name) : NULL;

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_double (node) : 0.0;
}

/* A point of Textract's (fractions of the grid it was sent: the stored one) in pixels of the
 * photo as shown. */
static void
oriented_point (double             x,
                double             y,
                const BiImageHeader *header,
                double            *px,
                double            *py)
{
  int width, height;

  bi_image_header_oriented_size (header, &width, &height);
  bi_image_orient_point (header->orientation, &x, &y);
  *px = x * width;
  *py = y * height;
}

/* Reading direction of the polygon's top edge (first → second point), to a quarter turn. */
static double
line_angle (JsonObject          *geometry,
            const BiImageHeader *header)
{
  JsonArray *polygon;
  JsonObject *first;
  JsonObject *second;
  double x1, y1, x2, y2, degrees;

  if (!json_object_has_member (geometry, "Polygon"))
    return 0.0;
  polygon = json_object_get_array_member (geometry, "Polygon");
  if (polygon == NULL || json_array_get_length (polygon) < 2)
    return 0.0;
  first = json_array_get_object_element (polygon, 0);
  second = json_array_get_object_element (polygon, 1);
  oriented_point (member_double (first, "X"), member_double (first, "Y"), header, &x1, &y1);
  oriented_point (member_double (second, "X"), member_double (second, "Y"), header, &x2, &y2);
  degrees = atan2 (y2 - y1, x2 - x1) * 180.0 / G_PI;
  degrees = fmod (round (degrees / 90.0) * 90.0 + 360.0, 360.0);
  return degrees;
}

static int
clamp_pixel (double value,
             int    size)
{
  return (int) CLAMP (lround (value), 0, size);
}

/* The BoundingBox (axis-aligned in the stored grid, so also after quarter turns and mirrors)
 * as x, y, width, height in pixels of the photo as shown. */
static void
oriented_box (JsonObject          *box,
              const BiImageHeader *header,
              int                  rect[4])
{
  double left = member_double (box, "Left"), top = member_double (box, "Top");
  double right = left + member_double (box, "Width"), bottom = top + member_double (box, "Height");
  double x1, y1, x2, y2;
  int width, height;

  bi_image_header_oriented_size (header, &width, &height);
  oriented_point (left, top, header, &x1, &y1);
  oriented_point (right, bottom, header, &x2, &y2);
  rect[0] = clamp_pixel (MIN (x1, x2), width);
  rect[1] = clamp_pixel (MIN (y1, y2), height);
  rect[2] = clamp_pixel (MAX (x1, x2), width) - rect[0];
  rect[3] = clamp_pixel (MAX (y1, y2), height) - rect[1];
}

BiOcrResult *
bi_textract_result_from_answer (JsonNode            *answer,
                                const BiImageHeader *header)
{
  JsonObject *object = JSON_NODE_HOLDS_OBJECT (answer) ? json_node_get_object (answer) : NULL;
  JsonArray *blocks = NULL;
  BiOcrResult *result;
  int width, height;

  bi_image_header_oriented_size (header, &width, &height);
  result = bi_ocr_result_new (width, height);
  if (object != NULL && json_object_has_member (object, "Blocks")
      && JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "Blocks")))
    blocks = json_object_get_array_member (object, "Blocks");

  for (guint i = 0; blocks != NULL && i < json_array_get_length (blocks); i++)
    {
      JsonNode *block_node = json_array_get_element (blocks, i);
      JsonObject *block;
      JsonObject *geometry = NULL;
      JsonObject *box = NULL;
      const char *text;
      int rect[4];
      BiOcrLine *line;

      if (!JSON_NODE_HOLDS_OBJECT (block_node))
        continue;
      block = json_node_get_object (block_node);
      if (g_strcmp0 (json_object_get_string_member_with_default (block, "BlockType", ""),
                     "LINE") != 0)
        continue;
      text = json_object_get_string_member_with_default (block, "Text", NULL);
      if (text == NULL || text[0] == '\0')
        continue;
      if (json_object_has_member (block, "Geometry"))
        geometry = json_object_get_object_member (block, "Geometry");
      if (geometry != NULL && json_object_has_member (geometry, "BoundingBox"))
        box = json_object_get_object_member (geometry, "BoundingBox");

      oriented_box (box, header, rect);
      line = bi_ocr_line_new (text, CLAMP (member_double (block, "Confidence") / 100.0, 0.0, 1.0),
                              rect[0], rect[1], rect[2], rect[3],
                              geometry != NULL ? line_angle (geometry, header) : 0.0);
      g_ptr_array_add (result->lines, line);
    }
  return result;
}

static gboolean
code_is_permanent (const char *code)
{
  static const char * const permanent[] = {
    "InvalidParameterException", "UnsupportedDocumentException", "BadDocumentException",
    "DocumentTooLargeException", NULL
  };

  return code != NULL && g_strv_contains (permanent, code);
}

static BiOcrResult *
engine_recognize (BiOcrEngine  *port,
                  GBytes       *image,
                  GError      **error)
{
  BiTextractEngine *self = (BiTextractEngine *) port;
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GBytes) sent = NULL;
  gsize size = 0;
  const guint8 *data = g_bytes_get_data (image, &size);
  BiImageHeader header;

  if (!bi_image_header_read (data, size, &header))
    {
      g_set_error_literal (error, BI_STAGE_ERROR, BI_STAGE_ERROR_PERMANENT,
                           "Textract reads JPEG and PNG photos; this one is neither (or its "
                           "header is damaged). Upload a JPEG or PNG.");
      return NULL;
    }
  if (size > BI_TEXTRACT_MAX_DOCUMENT_BYTES)
    {
      g_set_error (error, BI_STAGE_ERROR, BI_STAGE_ERROR_PERMANENT,
                   "The photo is %" G_GSIZE_FORMAT " bytes; Textract takes at most 10 MB. "
                   "Upload a smaller photo.", size);
      return NULL;
    }

  /* Textract documents its boxes as fractions of the input image's pixels and says nothing
   * of EXIF orientation: it is sent the stored grid with the tag neutralised, so its answer
   * means one thing, and the boxes are turned into the shown photo's pixels here. */
  sent = bi_image_without_orientation (image, &header);
  answer = bi_textract_detect_document_text (self->client, sent, &local_error);
  if (answer == NULL)
    {
      g_autofree char *code = bi_aws_error_get_code (local_error);

      g_set_error (error, BI_STAGE_ERROR,
                   code_is_permanent (code) ? BI_STAGE_ERROR_PERMANENT
                                            : BI_STAGE_ERROR_TRANSIENT,
                   "%s", local_error->message);
      return NULL;
    }
  return bi_textract_result_from_answer (answer, &header);
}

BiTextractEngine *
bi_textract_engine_new (BiAwsClient *client)
{
  BiTextractEngine *self;

  g_return_val_if_fail (client != NULL, NULL);

  self = g_new0 (BiTextractEngine, 1);
  self->port.recognize = engine_recognize;
  self->client = client;
  return self;
}

void
bi_textract_engine_free (BiTextractEngine *self)
{
  g_free (self);
}

BiOcrEngine *
bi_textract_engine_as_port (BiTextractEngine *self)
{
  return &self->port;
}
