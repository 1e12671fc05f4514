/* bi-export.c — the format table and the entry points
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-export"

#include "bi-export.h"

#include "bi-export-error.h"
#include "bi-export-writers.h"

typedef struct
{
  const char     *extension;
  BiExportWriter  write;
} FormatInfo;

static const char *const format_names[BI_BOOK_N_FORMATS + 1] = {
  [BI_BOOK_FORMAT_GOODREADS] = "goodreads",
  [BI_BOOK_FORMAT_LIBIB] = "libib",
  [BI_BOOK_FORMAT_CSV] = "csv",
  [BI_BOOK_FORMAT_JSON] = "json",
  [BI_BOOK_FORMAT_BIBTEX] = "bibtex",
  [BI_BOOK_FORMAT_RIS] = "ris",
  [BI_BOOK_FORMAT_CSL_JSON] = "csl-json",
  [BI_BOOK_FORMAT_TELLICO] = "tellico",
  NULL,
};

static const FormatInfo formats[BI_BOOK_N_FORMATS] = {
  [BI_BOOK_FORMAT_GOODREADS] = { "csv", bi_export_write_goodreads },
  [BI_BOOK_FORMAT_LIBIB] = { "csv", bi_export_write_libib },
  [BI_BOOK_FORMAT_CSV] = { "csv", bi_export_write_csv },
  [BI_BOOK_FORMAT_JSON] = { "json", bi_export_write_json },
  [BI_BOOK_FORMAT_BIBTEX] = { "bib", bi_export_write_bibtex },
  [BI_BOOK_FORMAT_RIS] = { "ris", bi_export_write_ris },
  [BI_BOOK_FORMAT_CSL_JSON] = { "json", bi_export_write_csl_json },
  [BI_BOOK_FORMAT_TELLICO] = { "xml", bi_export_write_tellico },
};

void
bi_export_skip_free (BiExportSkip *skip)
{
  if (skip == NULL)
    return;

  g_clear_pointer (&skip->book, bi_export_book_unref);
  g_free (skip->reason);
  g_free (skip);
}

const char *const *
bi_book_format_names (void)
{
  return format_names;
}

const char *
bi_book_format_to_string (BiBookFormat format)
{
  g_return_val_if_fail (format < BI_BOOK_N_FORMATS, NULL);

  return format_names[format];
}

gboolean
bi_book_format_parse (const char      *name,
                        BiBookFormat  *format,
                        GError         **error)
{
  g_autofree char *known = NULL;

  g_return_val_if_fail (format != NULL, FALSE);

  for (guint i = 0; i < BI_BOOK_N_FORMATS; i++)
    {
      if (g_strcmp0 (name, format_names[i]) == 0)
        {
          *format = (BiBookFormat) i;
          return TRUE;
        }
    }

  known = g_strjoinv (", ", (char **) format_names);
  g_set_error (error, BI_EXPORT_ERROR, BI_EXPORT_ERROR_UNKNOWN_FORMAT,
               "\"%s\" is not an export format; use one of %s", name != NULL ? name : "",
               known);
  return FALSE;
}

const char *
bi_book_format_extension (BiBookFormat format)
{
  g_return_val_if_fail (format < BI_BOOK_N_FORMATS, NULL);

  return formats[format].extension;
}

guint
bi_export_write (BiBookFormat  format,
                 GPtrArray      *books,
                 GString        *out,
                 GPtrArray      *skipped)
{
  g_autoptr(GPtrArray) own_skipped = NULL;

  g_return_val_if_fail (format < BI_BOOK_N_FORMATS, 0);
  g_return_val_if_fail (books != NULL, 0);
  g_return_val_if_fail (out != NULL, 0);

  /* The writers always report; a caller that does not ask still gets nothing dropped from
   * the output, only from its knowledge. */
  if (skipped == NULL)
    skipped = own_skipped = g_ptr_array_new_with_free_func ((GDestroyNotify) bi_export_skip_free);

  return formats[format].write (books, out, skipped);
}

gboolean
bi_export_write_to_stream (BiBookFormat   format,
                           GPtrArray       *books,
                           GOutputStream   *stream,
                           GPtrArray       *skipped,
                           guint           *n_written,
                           GCancellable    *cancellable,
                           GError         **error)
{
  g_autoptr(GString) out = g_string_new (NULL);
  guint written;

  g_return_val_if_fail (G_IS_OUTPUT_STREAM (stream), FALSE);

  written = bi_export_write (format, books, out, skipped);
  if (!g_output_stream_write_all (stream, out->str, out->len, NULL, cancellable, error))
    return FALSE;

  if (n_written != NULL)
    *n_written = written;
  return TRUE;
}
