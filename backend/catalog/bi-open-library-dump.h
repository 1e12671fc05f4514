/* bi-open-library-dump.h — one line of an Open Library dump, as the catalog needs it
 *
 * The dumps (https://openlibrary.org/developers/dumps: ol_dump_authors_*.txt.gz,
 * ol_dump_works_*.txt.gz, ol_dump_editions_*.txt.gz, or ol_dump_*.txt.gz with all types) are
 * gzip files of tab-separated lines: type, key, revision, last_modified, JSON record. Only
 * what a catalog book needs is kept: an author's name; a work's title, author keys and year
 * (from first_publish_date); an edition's work and first valid ISBN-13 (or ISBN-10, converted).
 * A line of another type (redirects, deletes, …), with bad JSON or without what its type
 * needs is reported with a reason and skipped.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Longest dump line read; Open Library's longest records (long descriptions, many links) stay
 * well under it. */
#define BI_OPEN_LIBRARY_MAX_LINE (1024 * 1024)

typedef enum
{
  BI_OPEN_LIBRARY_AUTHOR,
  BI_OPEN_LIBRARY_WORK,
  BI_OPEN_LIBRARY_EDITION,
} BiOpenLibraryType;

typedef struct
{
  BiOpenLibraryType   type;
  char               *key;         /* "/authors/OL1A", "/works/OL1W", "/books/OL1M" */
  char               *name;        /* author */
  char               *title;       /* work */
  char              **author_keys; /* work: NULL-terminated, may be empty */
  int                 year;        /* work: 0 when unknown */
  char               *work_key;    /* edition */
  char               *isbn13;      /* edition: a valid ISBN-13 */
} BiOpenLibraryRecord;

/* Parses @line (@length bytes, no line break) with @parser (reused between lines).
 * FALSE, with the reason in @reason, for a line that gives nothing to the catalog. */
gboolean bi_open_library_record_parse (JsonParser           *parser,
                                       const char           *line,
                                       gsize                 length,
                                       BiOpenLibraryRecord  *record,
                                       char                **reason);
void     bi_open_library_record_clear (BiOpenLibraryRecord  *record);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BiOpenLibraryRecord, bi_open_library_record_clear)

G_END_DECLS
