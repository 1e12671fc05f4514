/* bi-catalog-source.h — opens a catalog file and tells, from its content, how to read it
 *
 * The name of a file says nothing reliable (a download is "export.csv", "data.txt" or
 * "ol_dump_works_2024-01-31.txt.gz"), so the first bytes decide: gzip's magic number means
 * the content is decompressed as it is read (GZlibDecompressor, streamed); content whose first
 * line starts with "/type/" is an Open Library dump; anything else is read as a delimited file
 * and its header decides the format (bi-catalog-format.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef enum
{
  BI_CATALOG_SOURCE_DELIMITED,    /* CSV or TSV with a header */
  BI_CATALOG_SOURCE_OPEN_LIBRARY, /* lines of type, key, revision, last_modified, JSON */
} BiCatalogSourceKind;

typedef struct
{
  BiCatalogSourceKind  kind;
  gboolean             compressed; /* gzip */
  GInputStream        *content;    /* the (decompressed) content from its first byte */
  GFileInputStream    *file;       /* the file itself, for how far reading got */
  goffset              size;       /* of the file, in bytes */
} BiCatalogSource;

/* Errors: BI_CATALOG_ERROR_IO when @path cannot be read (or its gzip header is damaged). */
gboolean bi_catalog_source_open     (BiCatalogSource  *source,
                                     const char       *path,
                                     GError          **error);

/* Bytes of the file read so far (compressed bytes for a gzip file). */
goffset  bi_catalog_source_get_position (BiCatalogSource *source);

void     bi_catalog_source_clear    (BiCatalogSource  *source);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BiCatalogSource, bi_catalog_source_clear)

G_END_DECLS
