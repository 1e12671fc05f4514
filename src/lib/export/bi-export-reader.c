/* bi-export-reader.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-export-reader"

#include "bi-export-reader.h"

#include "bi-export-error.h"

#include <string.h>

/* Bigger than any results file a scan writes (about 1 KiB per book), small enough to read. */
#define MAX_RESULTS_FILE_SIZE (64 * 1024 * 1024)

/* Where a bad member sits, for messages: "shelf.json: photo 2, book 3". */
typedef struct
{
  const char *origin;
  guint       document;  /* 1-based; 0 for a single document */
  guint       book;      /* 1-based; 0 outside "books" */
} Location;

G_GNUC_PRINTF (3, 4)
static gboolean
fail (GError        **error,
      const Location *at,
      const char     *format,
      ...)
{
  g_autofree char *what = NULL;
  GString *where = g_string_new (at->origin);
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);

  if (at->document > 0)
    g_string_append_printf (where, ", results %u", at->document);
  if (at->book > 0)
    g_string_append_printf (where, ", book %u", at->book);

  g_set_error (error, BI_EXPORT_ERROR, BI_EXPORT_ERROR_BAD_RESULTS,
               "%s: %s; give final results as written by \"bookimg-cli scan --format json\"",
               where->str, what);
  g_string_free (where, TRUE);
  return FALSE;
}

static gboolean
is_null_or_absent (JsonNode *node)
{
  return node == NULL || JSON_NODE_HOLDS_NULL (node);
}

static gboolean
holds_type (JsonNode *node,
            GType     type)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == type;
}

static gboolean
holds_number (JsonNode *node)
{
  return holds_type (node, G_TYPE_INT64) || holds_type (node, G_TYPE_DOUBLE);
}

/* A string member that may be absent or null (then ""); anything else is an error. */
static gboolean
read_optional_string (JsonObject     *object,
                      const char     *name,
                      const Location *at,
                      char          **value,
                      GError        **error)
{
  JsonNode *node = json_object_get_member (object, name);

  if (is_null_or_absent (node))
    {
      *value = g_strdup ("");
      return TRUE;
    }
  if (!holds_type (node, G_TYPE_STRING))
    return fail (error, at, "\"%s\" must be a string", name);
  if (!g_utf8_validate (json_node_get_string (node), -1, NULL))
    return fail (error, at, "\"%s\" is not valid UTF-8", name);

  *value = g_strstrip (g_strdup (json_node_get_string (node)));
  return TRUE;
}

gboolean
bi_export_isbn13_is_valid (const char *isbn)
{
  int sum = 0;

  if (isbn == NULL || strlen (isbn) != 13)
    return FALSE;

  for (guint i = 0; i < 13; i++)
    {
      if (!g_ascii_isdigit (isbn[i]))
        return FALSE;
      sum += (isbn[i] - '0') * (i % 2 == 0 ? 1 : 3);
    }

  return sum % 10 == 0;
}

static gboolean
read_authors (JsonObject     *book_object,
              const Location *at,
              char         ***authors,
              GError        **error)
{
  JsonNode *node = json_object_get_member (book_object, "authors");
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  JsonArray *array;

  if (is_null_or_absent (node))
    {
      *authors = g_new0 (char *, 1);
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_ARRAY (node))
    return fail (error, at, "\"authors\" must be an array of names");

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autofree char *name = NULL;

      if (!holds_type (element, G_TYPE_STRING)
          || !g_utf8_validate (json_node_get_string (element), -1, NULL))
        return fail (error, at, "author %u is not a UTF-8 string", i + 1);

      name = g_strstrip (g_strdup (json_node_get_string (element)));
      if (*name != '\0')
        g_strv_builder_add (names, name);
    }

  *authors = g_strv_builder_end (names);
  return TRUE;
}

static gboolean
read_year (JsonObject     *book_object,
           const Location *at,
           int            *year,
           GError        **error)
{
  JsonNode *node = json_object_get_member (book_object, "year");
  gint64 value;

  *year = 0;
  if (is_null_or_absent (node))
    return TRUE;
  if (!holds_type (node, G_TYPE_INT64))
    return fail (error, at, "\"year\" must be a whole number or null");

  value = json_node_get_int (node);
  if (value < 1 || value > 9999)
    return fail (error, at, "\"year\" %" G_GINT64_FORMAT " is not a year between 1 and 9999",
                 value);

  *year = (int) value;
  return TRUE;
}

static gboolean
read_isbn13 (JsonObject     *book_object,
             const Location *at,
             char          **isbn13,
             GError        **error)
{
  g_autofree char *text = NULL;
  GString *digits;

  *isbn13 = NULL;
  if (!read_optional_string (book_object, "isbn13", at, &text, error))
    return FALSE;
  if (*text == '\0')
    return TRUE;

  /* Hyphens and spaces group the digits for people ("978-0-441-17271-9"); they carry nothing. */
  digits = g_string_new (NULL);
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p != '-' && *p != ' ')
        g_string_append_c (digits, *p);
    }

  if (!bi_export_isbn13_is_valid (digits->str))
    {
      g_string_free (digits, TRUE);
      return fail (error, at, "\"isbn13\" \"%s\" is not an ISBN-13 (13 digits, valid check "
                   "digit); fix it or set it to null", text);
    }

  *isbn13 = g_string_free (digits, FALSE);
  return TRUE;
}

static gboolean
read_confidence (JsonObject     *object,
                 const Location *at,
                 double         *confidence,
                 GError        **error)
{
  JsonNode *node = json_object_get_member (object, "confidence");

  *confidence = 0.0;
  if (is_null_or_absent (node))
    return TRUE;
  if (!holds_number (node))
    return fail (error, at, "\"confidence\" must be a number from 0 to 1");

  *confidence = json_node_get_double (node);
  if (!(*confidence >= 0.0 && *confidence <= 1.0))
    return fail (error, at, "\"confidence\" %g is outside 0 to 1", *confidence);
  return TRUE;
}

/* "sourceId" is a string in our catalog, a number in some providers'. */
static gboolean
read_source_id (JsonObject     *book_object,
                const Location *at,
                char          **source_id,
                GError        **error)
{
  JsonNode *node = json_object_get_member (book_object, "sourceId");

  if (holds_type (node, G_TYPE_INT64))
    {
      *source_id = g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
      return TRUE;
    }
  return read_optional_string (book_object, "sourceId", at, source_id, error);
}

static gboolean
read_evidence (JsonObject     *book_object,
               const Location *at,
               gint64         *position,
               char          **text,
               GError        **error)
{
  JsonNode *node = json_object_get_member (book_object, "evidence");
  JsonObject *evidence;
  JsonNode *position_node;

  *position = -1;
  if (is_null_or_absent (node))
    {
      *text = g_strdup ("");
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, at, "\"evidence\" must be an object");

  evidence = json_node_get_object (node);
  position_node = json_object_get_member (evidence, "position");
  if (!is_null_or_absent (position_node))
    {
      if (!holds_type (position_node, G_TYPE_INT64) || json_node_get_int (position_node) < 0)
        return fail (error, at, "\"evidence.position\" must be a whole number from 0");
      *position = json_node_get_int (position_node);
    }

  return read_optional_string (evidence, "text", at, text, error);
}

static BiExportBook *
read_book (JsonNode        *node,
           const char      *photo,
           const Location  *at,
           GError         **error)
{
  JsonObject *object;
  g_autofree char *title = NULL;
  g_autofree char *ocr_text = NULL;
  g_autoptr(BiExportBook) book = NULL;
  gint64 position;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      fail (error, at, "a book must be an object");
      return NULL;
    }
  object = json_node_get_object (node);

  if (!read_optional_string (object, "title", at, &title, error))
    return NULL;
  if (*title == '\0')
    {
      fail (error, at, "\"title\" is missing or empty");
      return NULL;
    }

  book = bi_export_book_new (title);
  g_clear_pointer (&book->authors, g_strfreev);
  g_clear_pointer (&book->source, g_free);
  g_clear_pointer (&book->source_id, g_free);
  if (!read_authors (object, at, &book->authors, error)
      || !read_year (object, at, &book->year, error)
      || !read_isbn13 (object, at, &book->isbn13, error)
      || !read_confidence (object, at, &book->confidence, error)
      || !read_optional_string (object, "source", at, &book->source, error)
      || !read_source_id (object, at, &book->source_id, error)
      || !read_evidence (object, at, &position, &ocr_text, error))
    return NULL;

  bi_export_book_add_sighting (book, photo, position, ocr_text, book->confidence);
  return g_steal_pointer (&book);
}

/* The photo's file name, as `scan --format json` records it; else the job id; else the input. */
static gboolean
read_photo_name (JsonObject     *document,
                 const Location *at,
                 char          **photo,
                 GError        **error)
{
  if (!read_optional_string (document, "photo", at, photo, error))
    return FALSE;
  if (**photo != '\0')
    return TRUE;

  g_free (*photo);
  if (!read_optional_string (document, "jobId", at, photo, error))
    return FALSE;
  if (**photo == '\0')
    {
      g_free (*photo);
      *photo = g_path_get_basename (at->origin);
    }
  return TRUE;
}

static gboolean
read_document (JsonNode   *node,
               Location   *at,
               GPtrArray  *books,
               guint      *n_failed,
               GError    **error)
{
  JsonObject *document;
  g_autofree char *status = NULL;
  g_autofree char *photo = NULL;
  JsonNode *books_node;
  JsonArray *array;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return fail (error, at, "final results must be a JSON object");
  document = json_node_get_object (node);

  if (!read_optional_string (document, "status", at, &status, error))
    return FALSE;
  if (g_strcmp0 (status, "failed") == 0)
    {
      (*n_failed)++;
      return TRUE;
    }
  if (g_strcmp0 (status, "complete") != 0)
    return fail (error, at, "\"status\" is \"%s\", not \"complete\" or \"failed\"", status);

  if (!read_photo_name (document, at, &photo, error))
    return FALSE;

  books_node = json_object_get_member (document, "books");
  if (books_node == NULL || !JSON_NODE_HOLDS_ARRAY (books_node))
    return fail (error, at, "\"books\" is missing or not an array");

  array = json_node_get_array (books_node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      BiExportBook *book;

      at->book = i + 1;
      book = read_book (json_array_get_element (array, i), photo, at, error);
      if (book == NULL)
        return FALSE;
      g_ptr_array_add (books, book);
    }
  at->book = 0;

  return TRUE;
}

gboolean
bi_export_read_results (JsonNode    *root,
                        const char  *origin,
                        GPtrArray   *books,
                        guint       *n_failed,
                        GError     **error)
{
  g_autoptr(GPtrArray) read =
    g_ptr_array_new_with_free_func ((GDestroyNotify) bi_export_book_unref);
  Location at = { origin != NULL ? origin : "results", 0, 0 };
  guint failed = 0;

  g_return_val_if_fail (books != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (root == NULL)
    return fail (error, &at, "the input is empty");

  if (JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *array = json_node_get_array (root);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          at.document = i + 1;
          if (!read_document (json_array_get_element (array, i), &at, read, &failed, error))
            return FALSE;
        }
    }
  else if (!read_document (root, &at, read, &failed, error))
    {
      return FALSE;
    }

  /* Only now: a bad book later in the input must not leave half of it in @books. */
  for (guint i = 0; i < read->len; i++)
    g_ptr_array_add (books, bi_export_book_ref (g_ptr_array_index (read, i)));
  if (n_failed != NULL)
    *n_failed += failed;
  return TRUE;
}

gboolean
bi_export_read_results_file (const char  *path,
                             GPtrArray   *books,
                             guint       *n_failed,
                             GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  g_autofree char *contents = NULL;
  gsize length = 0;

  g_return_val_if_fail (path != NULL, FALSE);

  if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_autoptr(GFile) file = g_file_new_for_path (path);
      g_autoptr(GFileInfo) info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE,
                                                     G_FILE_QUERY_INFO_NONE, NULL, NULL);

      if (info != NULL && g_file_info_get_size (info) > MAX_RESULTS_FILE_SIZE)
        {
          g_set_error (error, BI_EXPORT_ERROR, BI_EXPORT_ERROR_BAD_RESULTS,
                       "%s: the file is larger than %d MiB; it is not a results file", path,
                       MAX_RESULTS_FILE_SIZE / (1024 * 1024));
          return FALSE;
        }
    }

  if (!g_file_get_contents (path, &contents, &length, error))
    return FALSE;

  if (!g_utf8_validate_len (contents, length, NULL))
    {
      g_set_error (error, BI_EXPORT_ERROR, BI_EXPORT_ERROR_BAD_RESULTS,
                   "%s: the file is not UTF-8 text; give the JSON written by "
                   "\"bookimg-cli scan --format json\"", path);
      return FALSE;
    }

  if (!json_parser_load_from_data (parser, contents, (gssize) length, &local_error))
    {
      g_set_error (error, BI_EXPORT_ERROR, BI_EXPORT_ERROR_BAD_RESULTS,
                   "%s: not JSON (%s); give the JSON written by \"bookimg-cli scan --format "
                   "json\"", path, local_error->message);
      return FALSE;
    }

  return bi_export_read_results (json_parser_get_root (parser), path, books, n_failed, error);
}
