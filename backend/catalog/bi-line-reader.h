/* bi-line-reader.h — reads a stream line by line in bounded memory
 *
 * Catalog files can be gigabytes with lines of any length (or no line breaks at all): a
 * line longer than the limit is consumed and reported as too long instead of being kept.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _BiLineReader BiLineReader;

/* Lines longer than @max_length bytes are reported as too long. */
BiLineReader *bi_line_reader_new             (GInputStream  *stream,
                                              gsize          max_length);
void          bi_line_reader_free            (BiLineReader  *self);

/* The next line, without its line break (LF or CRLF), owned by the reader and valid until the
 * next call; the caller may change it. NULL at the end of the input (error unset) or when
 * reading failed. @too_long is set for a line over the limit (then the returned line is
 * empty). */
GString      *bi_line_reader_next            (BiLineReader  *self,
                                              gboolean      *too_long,
                                              GError       **error);

/* Lines returned so far (the number of the last one, 1-based). */
guint64       bi_line_reader_get_line_number (BiLineReader  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiLineReader, bi_line_reader_free)

G_END_DECLS
