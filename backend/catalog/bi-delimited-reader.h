/* bi-delimited-reader.h — streams the records of a CSV or TSV file (RFC 4180 quoting)
 *
 * Reads one record at a time in constant memory: a field may be quoted ("…", with "" for a
 * quote) and then contain the delimiter or line breaks. The delimiter is told from the first
 * line (a tab if it has one, else a comma). A record that cannot be parsed is reported as
 * malformed with a reason, and reading goes on with the next one.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Longest line and longest record accepted; longer ones are malformed, not loaded. */
#define BI_DELIMITED_MAX_LINE   (64 * 1024)
#define BI_DELIMITED_MAX_FIELDS 256

typedef enum
{
  BI_DELIMITED_RECORD,    /* a record was read */
  BI_DELIMITED_MALFORMED, /* a record was skipped; the reason says why */
  BI_DELIMITED_END,       /* no more records */
  BI_DELIMITED_ERROR,     /* reading failed */
} BiDelimitedStatus;

typedef struct _BiDelimitedReader BiDelimitedReader;

BiDelimitedReader *bi_delimited_reader_new             (GInputStream       *stream);
void               bi_delimited_reader_free            (BiDelimitedReader  *self);

/* @fields (of char *) and @reason belong to the reader and are valid until the next call. */
BiDelimitedStatus  bi_delimited_reader_next            (BiDelimitedReader  *self,
                                                        GPtrArray         **fields,
                                                        const char        **reason,
                                                        GError            **error);

/* The line (1-based) the last record started on. */
guint64            bi_delimited_reader_get_line_number (BiDelimitedReader  *self);

/* '\t' or ','; 0 before the first record is read. */
char               bi_delimited_reader_get_delimiter   (BiDelimitedReader  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiDelimitedReader, bi_delimited_reader_free)

G_END_DECLS
