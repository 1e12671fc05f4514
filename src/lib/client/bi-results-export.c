/* bi-results-export.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-results-export"

#include "bi-results-export.h"
#include "bi-export-csv-record.h"

#include "bi-scan-job.h"

#include <json-glib/json-glib.h>
#include <string.h>

/* Book rows: these columns, in this order; the table shows all but the last. */
enum
{
  BOOK_PHOTO,
  BOOK_POSITION,
  BOOK_TITLE,
  BOOK_AUTHORS,
  BOOK_YEAR,
  BOOK_ISBN13,
  BOOK_CONFIDENCE,
  BOOK_SOURCE,
  N_BOOK_COLUMNS
};

static const char *const book_csv_headers[N_BOOK_COLUMNS] = {
  "photo", "position", "title", "authors", "year", "isbn13", "confidence", "source",
};

typedef struct
{
  const char *header;
  guint       max_width;   /* longer cells are cut with "…" */
  gboolean    align_right;
} TableColumn;

static const TableColumn book_table_columns[] = {
  [BOOK_PHOTO] = { "PHOTO", 32, FALSE },
  [BOOK_POSITION] = { "POS", 4, TRUE },
  [BOOK_TITLE] = { "TITLE", 48, FALSE },
  [BOOK_AUTHORS] = { "AUTHORS", 36, FALSE },
  [BOOK_YEAR] = { "YEAR", 6, TRUE },
  [BOOK_ISBN13] = { "ISBN-13", 13, FALSE },
  [BOOK_CONFIDENCE] = { "CONFIDENCE", 10, TRUE },
};

enum
{
  SPINE_PHOTO,
  SPINE_POSITION,
  SPINE_TEXT,
  N_SPINE_COLUMNS
};

static const TableColumn spine_table_columns[] = {
  [SPINE_PHOTO] = { "PHOTO", 32, FALSE },
  [SPINE_POSITION] = { "POS", 4, TRUE },
  [SPINE_TEXT] = { "TEXT", 72, FALSE },
};

gboolean
bi_export_format_parse (const char     *name,
                        BiExportFormat *format)
{
  static const char *const names[] = { "table", "json", "csv" };

  g_return_val_if_fail (format != NULL, FALSE);

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      if (g_strcmp0 (name, names[i]) == 0)
        {
          *format = (BiExportFormat) i;
          return TRUE;
        }
    }

  return FALSE;
}

/* ---- reading the final results defensively: they come from the network ---- */

static JsonNode *
get_member (JsonObject *object,
            const char *name)
{
  return object != NULL ? json_object_get_member (object, name) : NULL;
}

static GType
value_type (JsonNode *node)
{
  return node != NULL && JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node)
                                                      : G_TYPE_INVALID;
}

static char *
string_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = get_member (object, name);

  return g_strdup (value_type (node) == G_TYPE_STRING ? json_node_get_string (node) : "");
}

/* Integers as digits; strings (a year such as "c. 1900") as they are; anything else empty. */
static char *
integer_member (JsonObject *object,
                const char *name)
{
  JsonNode *node = get_member (object, name);

  if (value_type (node) == G_TYPE_INT64)
    return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
  return string_member (object, name);
}

static char *
confidence_member (JsonObject *object)
{
  JsonNode *node = get_member (object, "confidence");
  char buffer[G_ASCII_DTOSTR_BUF_SIZE];

  if (value_type (node) != G_TYPE_DOUBLE && value_type (node) != G_TYPE_INT64)
    return g_strdup ("");

  /* g_ascii_formatd: a decimal point whatever the locale, so CSV stays machine-readable. */
  return g_strdup (g_ascii_formatd (buffer, sizeof buffer, "%.2f", json_node_get_double (node)));
}

static char *
authors_member (JsonObject *object)
{
  JsonNode *node = get_member (object, "authors");
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return string_member (object, "authors");

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (value_type (element) == G_TYPE_STRING)
        g_strv_builder_add (names, json_node_get_string (element));
    }

  strv = g_strv_builder_end (names);
  return g_strjoinv ("; ", strv);
}

static JsonObject *
object_member (JsonObject *object,
               const char *name)
{
  JsonNode *node = get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* The objects of the array member @name of @object (others skipped). */
static GPtrArray *
object_elements (JsonObject *object,
                 const char *name)
{
  JsonNode *node = get_member (object, name);
  GPtrArray *elements = g_ptr_array_new ();
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    return elements;

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_OBJECT (element))
        g_ptr_array_add (elements, json_node_get_object (element));
    }

  return elements;
}

static JsonObject *
job_results_object (BiScanJob *job)
{
  JsonNode *results = bi_scan_job_get_results (job);

  if (bi_scan_job_get_state (job) != BI_SCAN_JOB_STATE_COMPLETE || results == NULL
      || !JSON_NODE_HOLDS_OBJECT (results))
    return NULL;
  return json_node_get_object (results);
}

/* Rows are GStrv of N_BOOK_COLUMNS / N_SPINE_COLUMNS cells. */
static void
collect_rows (GListModel *jobs,
              GPtrArray  *books,
              GPtrArray  *spines)
{
  for (guint i = 0; i < g_list_model_get_n_items (jobs); i++)
    {
      g_autoptr(BiScanJob) job = g_list_model_get_item (jobs, i);
      JsonObject *results = job_results_object (job);
      g_autoptr(GPtrArray) book_objects = object_elements (results, "books");
      g_autoptr(GPtrArray) spine_objects = object_elements (results, "unresolved");

      for (guint b = 0; b < book_objects->len; b++)
        {
          JsonObject *book = g_ptr_array_index (book_objects, b);
          char **row = g_new0 (char *, N_BOOK_COLUMNS + 1);

          row[BOOK_PHOTO] = g_strdup (bi_scan_job_get_photo_name (job));
          row[BOOK_POSITION] = integer_member (object_member (book, "evidence"), "position");
          row[BOOK_TITLE] = string_member (book, "title");
          row[BOOK_AUTHORS] = authors_member (book);
          row[BOOK_YEAR] = integer_member (book, "year");
          row[BOOK_ISBN13] = string_member (book, "isbn13");
          row[BOOK_CONFIDENCE] = confidence_member (book);
          row[BOOK_SOURCE] = string_member (book, "source");
          g_ptr_array_add (books, row);
        }

      for (guint s = 0; s < spine_objects->len; s++)
        {
          JsonObject *spine = g_ptr_array_index (spine_objects, s);
          char **row = g_new0 (char *, N_SPINE_COLUMNS + 1);

          row[SPINE_PHOTO] = g_strdup (bi_scan_job_get_photo_name (job));
          row[SPINE_POSITION] = integer_member (spine, "position");
          row[SPINE_TEXT] = string_member (spine, "text");
          g_ptr_array_add (spines, row);
        }
    }
}

/* ---- table ---- */

static guint
char_width (gunichar c)
{
  if (g_unichar_iszerowidth (c))
    return 0;
  return g_unichar_iswide (c) ? 2 : 1;
}

/* @text for one table cell: control characters (line breaks, escape sequences) become spaces,
 * and text wider than @max_width columns is cut with "…". Sets @width to its display width. */
static char *
table_cell (const char *text,
            guint       max_width,
            guint      *width)
{
  g_autofree char *valid = g_utf8_make_valid (text, -1);
  GString *cell = g_string_new (NULL);
  guint total = 0;
  guint text_width = 0;

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    text_width += char_width (g_utf8_get_char (p));

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      guint w;

      if (g_unichar_iscntrl (c))
        c = ' ';
      w = char_width (c);
      /* Leave one column for the ellipsis when the text does not fit. */
      if (text_width > max_width && total + w > max_width - 1)
        {
          g_string_append (cell, "…");
          total++;
          break;
        }
      g_string_append_unichar (cell, c);
      total += w;
    }

  *width = total;
  return g_string_free (cell, FALSE);
}

static void
append_padding (GString *out,
                guint    count)
{
  for (guint i = 0; i < count; i++)
    g_string_append_c (out, ' ');
}

static void
append_table (GString           *out,
              const TableColumn *columns,
              guint              n_columns,
              GPtrArray         *rows)
{
  g_autofree guint *widths = g_new0 (guint, n_columns);
  g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GArray) cell_widths = g_array_new (FALSE, TRUE, sizeof (guint));

  /* Row 0 is the header. */
  for (guint r = 0; r <= rows->len; r++)
    {
      char **row = g_new0 (char *, n_columns + 1);

      for (guint c = 0; c < n_columns; c++)
        {
          const char *text = r == 0 ? columns[c].header
                                    : ((char **) g_ptr_array_index (rows, r - 1))[c];
          guint width;

          row[c] = table_cell (text, columns[c].max_width, &width);
          g_array_append_val (cell_widths, width);
          widths[c] = MAX (widths[c], width);
        }
      g_ptr_array_add (cells, row);
    }

  for (guint r = 0; r < cells->len; r++)
    {
      char **row = g_ptr_array_index (cells, r);
      gsize line_start = out->len;

      for (guint c = 0; c < n_columns; c++)
        {
          guint width = g_array_index (cell_widths, guint, r * n_columns + c);

          if (c > 0)
            g_string_append (out, "  ");
          if (columns[c].align_right)
            append_padding (out, widths[c] - width);
          g_string_append (out, row[c]);
          if (!columns[c].align_right)
            append_padding (out, widths[c] - width);
        }

      /* No trailing blanks. */
      while (out->len > line_start && out->str[out->len - 1] == ' ')
        g_string_truncate (out, out->len - 1);
      g_string_append_c (out, '\n');
    }
}

static char *
export_table (GPtrArray *books,
              GPtrArray *spines)
{
  GString *out = g_string_new (NULL);

  if (books->len > 0)
    append_table (out, book_table_columns, G_N_ELEMENTS (book_table_columns), books);
  else
    g_string_append (out, "No books found.\n");

  if (spines->len > 0)
    {
      g_string_append (out, "\nUnresolved spines:\n");
      append_table (out, spine_table_columns, G_N_ELEMENTS (spine_table_columns), spines);
    }

  return g_string_free (out, FALSE);
}

/* ---- CSV ---- */

static char *
export_csv (GPtrArray *books)
{
  GString *out = g_string_new (NULL);

  bi_export_csv_append_record (out, book_csv_headers, N_BOOK_COLUMNS);
  for (guint i = 0; i < books->len; i++)
    bi_export_csv_append_record (out, g_ptr_array_index (books, i), N_BOOK_COLUMNS);

  return g_string_free (out, FALSE);
}

/* ---- JSON ---- */

static JsonNode *
failed_job_node (BiScanJob *job)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const GError *error = bi_scan_job_get_error (job);
  const char *stage = bi_scan_job_get_failed_stage (job);
  const char *code = bi_scan_job_get_failure_code (job);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "jobId");
  json_builder_add_string_value (builder, bi_scan_job_get_job_id (job));
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "failed");
  json_builder_set_member_name (builder, "error");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "stage");
  json_builder_add_string_value (builder, stage != NULL ? stage : "unknown");
  json_builder_set_member_name (builder, "code");
  json_builder_add_string_value (builder, code != NULL ? code : "error");
  json_builder_set_member_name (builder, "message");
  json_builder_add_string_value (builder, error != NULL ? error->message : "");
  json_builder_end_object (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static char *
export_json (GListModel *jobs)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = json_node_new (JSON_NODE_ARRAY);
  g_autoptr(JsonArray) array = json_array_new ();
  g_autofree char *text = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (jobs); i++)
    {
      g_autoptr(BiScanJob) job = g_list_model_get_item (jobs, i);
      JsonObject *results = job_results_object (job);
      g_autoptr(JsonNode) node = NULL;

      if (results != NULL)
        node = json_node_copy (bi_scan_job_get_results (job));
      else if (bi_scan_job_get_state (job) == BI_SCAN_JOB_STATE_FAILED)
        node = failed_job_node (job);
      else
        continue;

      json_object_set_string_member (json_node_get_object (node), "photo",
                                     bi_scan_job_get_photo_name (job));
      json_array_add_element (array, g_steal_pointer (&node));
    }

  json_node_set_array (root, array);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  text = json_generator_to_data (generator, NULL);
  return g_strconcat (text, "\n", NULL);
}

char *
bi_results_export (GListModel     *jobs,
                   BiExportFormat  format)
{
  g_autoptr(GPtrArray) books = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GPtrArray) spines = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);

  g_return_val_if_fail (G_IS_LIST_MODEL (jobs), NULL);
  g_return_val_if_fail (format <= BI_EXPORT_FORMAT_CSV, NULL);

  /* JSON keeps the results whole; the other formats are rows. */
  if (format == BI_EXPORT_FORMAT_JSON)
    return export_json (jobs);

  collect_rows (jobs, books, spines);
  return format == BI_EXPORT_FORMAT_TABLE ? export_table (books, spines) : export_csv (books);
}
