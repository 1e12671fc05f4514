/* bi-lambda-test-shelf.c — the shelf photo of the AWS-mode tests and Textract's stand-in
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-lambda-test-shelf"

#include "bi-lambda-test-shelf.h"

#include "bi-test-images.h"

#include <json-glib/json-glib.h>

#define PHOTO_WIDTH  600
#define PHOTO_HEIGHT 800

/* The photo's spines: drawn on the photo, and the lines Textract's stand-in reads there. */
static const BiTestSpine shelf[] = {
  { "THE HOBBIT", "TOLKIEN", 0x1f3a5f, 0xf5f0e1, 90 },
  { "DUNE", "FRANK HERBERT", 0xe8c872, 0x202020, 270 },
  { "EMMA", "JANE AUSTEN", 0x7a1f2b, 0xffffff, 90 },
};

/* Rendered once, kept for the test program's life. */
static GBytes *shelf_photo;

static void
add_point (JsonBuilder *builder,
           double       x,
           double       y)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "X");
  json_builder_add_double_value (builder, x / PHOTO_WIDTH);
  json_builder_set_member_name (builder, "Y");
  json_builder_add_double_value (builder, y / PHOTO_HEIGHT);
  json_builder_end_object (builder);
}

/* A LINE block of @text running along a spine turned @rotation, centred on (@centre_x,
 * @centre_y) in pixels. Textract's Polygon starts at the text's own top left and goes round
 * clockwise in the text's frame: for text read downwards (90) that is the box's top right
 * corner, for text read upwards (270) its bottom left. */
static void
add_line (JsonBuilder *builder,
          const char  *id,
          const char  *text,
          int          rotation,
          double       centre_x,
          double       centre_y,
          double       across,
          double       along)
{
  double left = centre_x - across / 2, right = centre_x + across / 2;
  double top = centre_y - along / 2, bottom = centre_y + along / 2;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "BlockType");
  json_builder_add_string_value (builder, "LINE");
  json_builder_set_member_name (builder, "Id");
  json_builder_add_string_value (builder, id);
  json_builder_set_member_name (builder, "Confidence");
  json_builder_add_double_value (builder, 99.2);
  json_builder_set_member_name (builder, "Text");
  json_builder_add_string_value (builder, text);
  json_builder_set_member_name (builder, "Geometry");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "BoundingBox");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "Width");
  json_builder_add_double_value (builder, across / PHOTO_WIDTH);
  json_builder_set_member_name (builder, "Height");
  json_builder_add_double_value (builder, along / PHOTO_HEIGHT);
  json_builder_set_member_name (builder, "Left");
  json_builder_add_double_value (builder, left / PHOTO_WIDTH);
  json_builder_set_member_name (builder, "Top");
  json_builder_add_double_value (builder, top / PHOTO_HEIGHT);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "Polygon");
  json_builder_begin_array (builder);
  if (rotation == 90)
    {
      add_point (builder, right, top);
      add_point (builder, right, bottom);
      add_point (builder, left, bottom);
      add_point (builder, left, top);
    }
  else
    {
      add_point (builder, left, bottom);
      add_point (builder, left, top);
      add_point (builder, right, top);
      add_point (builder, right, bottom);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
}

/* DetectDocumentText's answer for the photo: a PAGE, then per spine its title and, beside it
 * (below it in the text's frame, as bi-test-images draws it), its author. */
static char *
textract_answer (void)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "DocumentMetadata");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "Pages");
  json_builder_add_int_value (builder, 1);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "Blocks");
  json_builder_begin_array (builder);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "BlockType");
  json_builder_add_string_value (builder, "PAGE");
  json_builder_set_member_name (builder, "Id");
  json_builder_add_string_value (builder, "page");
  json_builder_end_object (builder);
  for (guint i = 0; i < G_N_ELEMENTS (shelf); i++)
    {
      int x, y, width, height;
      /* Towards the text's top: right when read downwards, left when read upwards. */
      double up = shelf[i].rotation == 90 ? 1.0 : -1.0;
      g_autofree char *title_id = g_strdup_printf ("title-%u", i);
      g_autofree char *author_id = g_strdup_printf ("author-%u", i);

      bi_test_image_spine_bounds (G_N_ELEMENTS (shelf), i, PHOTO_WIDTH, PHOTO_HEIGHT, &x, &y,
                                  &width, &height);
      add_line (builder, title_id, shelf[i].title, shelf[i].rotation,
                x + width / 2.0 + up * 0.05 * width, y + height / 2.0, 0.28 * width,
                0.6 * height);
      add_line (builder, author_id, shelf[i].author, shelf[i].rotation,
                x + width / 2.0 - up * 0.22 * width, y + height / 2.0, 0.18 * width,
                0.45 * height);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

GBytes *
bi_lambda_test_shelf_photo (void)
{
  g_autoptr(GError) error = NULL;

  if (shelf_photo == NULL)
    shelf_photo = bi_test_image_render_spines (shelf, G_N_ELEMENTS (shelf), PHOTO_WIDTH,
                                               PHOTO_HEIGHT, "png", &error);
  g_assert_no_error (error);
  return shelf_photo;
}

BiAwsTestAnswer
bi_lambda_test_shelf_textract_cb (const BiAwsTestRequest *request,
                                  guint                   index,
                                  gpointer                user_data)
{
  const char *target = g_hash_table_lookup (request->headers, "x-amz-target");
  g_autofree char *body = g_strndup (g_bytes_get_data (request->body, NULL),
                                     g_bytes_get_size (request->body));
  g_autoptr(JsonNode) root = json_from_string (body, NULL);
  GBytes *photo = bi_lambda_test_shelf_photo ();
  g_autofree char *expected = g_base64_encode (g_bytes_get_data (photo, NULL),
                                               g_bytes_get_size (photo));
  g_autofree char *answer = NULL;
  JsonObject *document;

  if (g_strcmp0 (target, "Textract.DetectDocumentText") != 0 || root == NULL
      || !JSON_NODE_HOLDS_OBJECT (root))
    return bi_aws_test_answer (400, "application/x-amz-json-1.1",
                               "{\"__type\":\"InvalidParameterException\"}");
  /* Only the photo that was uploaded is known here: anything else is a bug upstream. */
  document = json_object_get_object_member (json_node_get_object (root), "Document");
  if (g_strcmp0 (json_object_get_string_member (document, "Bytes"), expected) != 0)
    return bi_aws_test_answer (400, "application/x-amz-json-1.1",
                               "{\"__type\":\"BadDocumentException\"}");
  answer = textract_answer ();
  return bi_aws_test_answer (200, "application/x-amz-json-1.1", answer);
}

char *
bi_lambda_test_shelf_titles (JsonNode *results)
{
  JsonArray *books = json_object_get_array_member (json_node_get_object (results), "books");
  GString *titles = g_string_new (NULL);

  for (guint i = 0; i < json_array_get_length (books); i++)
    g_string_append_printf (titles, "%s%s", i > 0 ? ";" : "",
                            json_object_get_string_member (json_array_get_object_element (books,
                                                                                          i),
                                                           "title"));
  return g_string_free (titles, FALSE);
}
