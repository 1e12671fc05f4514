/* bench-catalog-import.c — a million-work Open Library dump imported in bounded memory
 *
 * Writes a gzip works dump of N works (default 1,000,000; argument 1) and an authors dump
 * (one author per ten works) to a temporary folder, imports the authors, then the works, into
 * a new catalog database, and prints rows per second and the peak resident set size (VmHWM)
 * before and after each import. Figures only: it never fails on time (docs/benchmarks.md).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bench-catalog-import"

#include "bi-sqlite-catalog.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The peak resident set size of this process, in KiB, from /proc/self/status. */
static guint64
peak_rss_kib (void)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return 0;
  line = strstr (status, "VmHWM:");
  return line != NULL ? g_ascii_strtoull (line + strlen ("VmHWM:"), NULL, 10) : 0;
}

/* Streams lines made by @make_line (0 … @count - 1) into a gzip file at @path. */
static void
write_dump (const char *path,
            guint       count,
            void      (*make_line) (GString *line,
                                    guint    index))
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileOutputStream) output = g_file_replace (file, NULL, FALSE,
                                                        G_FILE_CREATE_NONE, NULL, &error);
  g_autoptr(GZlibCompressor) compressor = NULL;
  g_autoptr(GOutputStream) gzip = NULL;
  g_autoptr(GString) line = g_string_sized_new (512);

  g_assert_no_error (error);
  /* Level 1: the benchmark measures the import, not how long the dump takes to write. */
  compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, 1);
  gzip = g_converter_output_stream_new (G_OUTPUT_STREAM (output), G_CONVERTER (compressor));
  for (guint i = 0; i < count; i++)
    {
      g_string_truncate (line, 0);
      make_line (line, i);
      g_output_stream_write_all (gzip, line->str, line->len, NULL, NULL, &error);
      g_assert_no_error (error);
    }
  g_output_stream_close (gzip, NULL, &error);
  g_assert_no_error (error);
}

static const char *const words[] = {
  "shadow", "river", "winter", "garden", "silent", "empire", "glass", "letters", "north",
  "harbour", "orchard", "machine", "saint", "voyage", "mirror", "lantern", "desert", "crown",
};

static void
make_author (GString *line,
             guint    index)
{
  g_string_append_printf (line, "/type/author\t/authors/OL%uA\t3\t2023-05-01T10:00:00.0\t"
                          "{\"name\": \"Author %s %u\", \"key\": \"/authors/OL%uA\", "
                          "\"type\": {\"key\": \"/type/author\"}, \"revision\": 3}\n",
                          index, words[index % G_N_ELEMENTS (words)], index, index);
}

/* Works shaped like Open Library's: title, authors with roles, a date, subjects. */
static void
make_work (GString *line,
           guint    index)
{
  guint n = G_N_ELEMENTS (words);

  g_string_append_printf (line, "/type/work\t/works/OL%uW\t5\t2023-05-01T10:00:00.0\t"
                          "{\"title\": \"The %s of the %s %u\", \"key\": \"/works/OL%uW\", "
                          "\"authors\": [{\"type\": {\"key\": \"/type/author_role\"}, "
                          "\"author\": {\"key\": \"/authors/OL%uA\"}}], "
                          "\"first_publish_date\": \"%u\", \"subjects\": [\"Fiction\", "
                          "\"%s\"], \"type\": {\"key\": \"/type/work\"}, \"revision\": 5}\n",
                          index, words[index % n], words[(index / n) % n], index, index,
                          index / 10,
                          1800 + index % 220, words[(index / 7) % n]);
}

static void
run_import (BiSqliteCatalog *catalog,
            const char      *path,
            const char      *what)
{
  g_auto(BiCatalogImportStats) stats = { 0 };
  g_autoptr(GError) error = NULL;
  guint64 before = peak_rss_kib ();
  gint64 start = g_get_monotonic_time ();
  double seconds;

  bi_sqlite_catalog_import_file (catalog, path, &stats, &error);
  g_assert_no_error (error);
  seconds = (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC;
  printf ("%-8s %9u rows in %6.1f s = %8.0f rows/s; skipped %u; peak RSS %6.1f MiB before, "
          "%6.1f MiB after\n", what, stats.imported, seconds, stats.imported / seconds,
          stats.skipped, before / 1024.0, peak_rss_kib () / 1024.0);
  fflush (stdout);
}

int
main (int    argc,
      char **argv)
{
  guint works = argc > 1 ? (guint) strtoul (argv[1], NULL, 10) : 1000000;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bench-catalog-XXXXXX", &error);
  g_autofree char *authors_path = NULL;
  g_autofree char *works_path = NULL;
  g_autofree char *database = NULL;
  BiSqliteCatalog *catalog;
  GStatBuf info;
  gint64 start;

  g_assert_no_error (error);
  authors_path = g_build_filename (dir, "ol_dump_authors_bench.txt.gz", NULL);
  works_path = g_build_filename (dir, "ol_dump_works_bench.txt.gz", NULL);
  database = g_build_filename (dir, "catalog.sqlite3", NULL);

  start = g_get_monotonic_time ();
  write_dump (authors_path, works / 10 + 1, make_author);
  write_dump (works_path, works, make_work);
  g_stat (works_path, &info);
  printf ("wrote %u works (%.1f MiB gzip) and %u authors in %.1f s; peak RSS %.1f MiB\n",
          works, info.st_size / 1048576.0, works / 10 + 1,
          (double) (g_get_monotonic_time () - start) / G_USEC_PER_SEC, peak_rss_kib () / 1024.0);
  fflush (stdout);

  catalog = bi_sqlite_catalog_open (database, &error);
  g_assert_no_error (error);
  run_import (catalog, authors_path, "authors");
  run_import (catalog, works_path, "works");
  g_assert_cmpint (bi_sqlite_catalog_count (catalog, NULL), ==, works);
  bi_sqlite_catalog_free (catalog);

  g_stat (database, &info);
  printf ("catalog database %.1f MiB\n", info.st_size / 1048576.0);

  g_remove (authors_path);
  g_remove (works_path);
  g_remove (database);
  for (const char *suffix = "-wal"; suffix != NULL; suffix = g_str_equal (suffix, "-wal")
                                                              ? "-shm" : NULL)
    {
      g_autofree char *path = g_strconcat (database, suffix, NULL);

      g_remove (path);
    }
  g_rmdir (dir);
  return 0;
}
