/* bookimg-shelfgen.c — writes synthetic shelf and cover photos with their ground truth
 *
 *   bookimg-shelfgen --seed N --count K --out DIR [--catalog FILE…] [--size WxH]
 *
 * Writes DIR/photo-01.jpg … and DIR/ground-truth.tsv (file, n, title, author, isbn13, bbox).
 * The books come from the catalog files given, by default both catalogs of the shared test
 * data ($BOOKIMG_SHARED_DATA/catalog/). The same seed and catalogs give the same photos.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bookimg-shelfgen"

#include "bi-recognition-data.h"
#include "bi-shelf-generator.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>

static gboolean
write_photos (BiShelfBookPool  *pool,
              guint32           seed,
              int               count,
              int               width,
              int               height,
              const char       *out_dir,
              GError          **error)
{
  g_autoptr(BiShelfGenerator) generator = bi_shelf_generator_new (pool, seed, error);
  g_autoptr(GString) truth_tsv = g_string_new (bi_shelf_truth_tsv_header ());
  g_autofree char *truth_path = g_build_filename (out_dir, "ground-truth.tsv", NULL);
  guint n_books = 0;

  if (generator == NULL)
    return FALSE;
  if (width > 0)
    bi_shelf_generator_set_photo_size (generator, width, height);
  for (int i = 0; i < count; i++)
    {
      g_autoptr(BiShelfPhoto) photo = bi_shelf_generator_next (generator);
      g_autoptr(GPtrArray) truth = NULL;
      g_autoptr(GBytes) jpeg = bi_shelf_photo_render (photo, &truth, error);
      const char *name = bi_shelf_photo_get_name (photo);
      g_autofree char *path = g_build_filename (out_dir, name, NULL);
      int photo_width, photo_height;

      if (jpeg == NULL
          || !g_file_set_contents (path, g_bytes_get_data (jpeg, NULL),
                                   (gssize) g_bytes_get_size (jpeg), error))
        return FALSE;
      for (guint n = 0; n < truth->len; n++)
        {
          g_autofree char *line = bi_shelf_truth_to_tsv_line (g_ptr_array_index (truth, n),
                                                              name, n + 1);

          g_string_append (truth_tsv, line);
        }
      n_books += truth->len;
      bi_shelf_photo_get_size (photo, &photo_width, &photo_height);
      g_print ("%s  %d×%d  %u books  %.1f MB\n", path, photo_width, photo_height, truth->len,
               g_bytes_get_size (jpeg) / 1e6);
    }

  if (!g_file_set_contents (truth_path, truth_tsv->str, (gssize) truth_tsv->len, error))
    return FALSE;
  g_print ("%s  %u books on %d photos\n", truth_path, n_books, count);
  return TRUE;
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BiShelfBookPool) pool = bi_shelf_book_pool_new ();
  g_auto(GStrv) catalogs = NULL;
  g_autofree char *out_dir = NULL;
  g_autofree char *size = NULL;
  gint64 seed = 1;
  int count = 20;
  int width = 0, height = 0;
  GOptionEntry entries[] = {
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Seed of the photos (default 1)", "N" },
    { "count", 0, 0, G_OPTION_ARG_INT, &count, "Number of photos (default 20)", "K" },
    { "out", 0, 0, G_OPTION_ARG_FILENAME, &out_dir, "Directory to write them to (created)",
      "DIR" },
    { "catalog", 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &catalogs,
      "Catalog file to take books from (goodbooks TSV or llabres CSV; repeatable; default "
      "both catalogs in $BOOKIMG_SHARED_DATA/catalog)", "FILE" },
    { "size", 0, 0, G_OPTION_ARG_STRING, &size, "Make every photo this size (at least "
      "800x600) instead of the usual mix; the floor test uses 1600x1200", "WxH" },
    { NULL }
  };

  setlocale (LC_ALL, "");
  context = g_option_context_new ("— synthetic shelf photos with ground truth");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  if (out_dir == NULL || count < 1 || seed < 0 || seed > G_MAXUINT32)
    {
      g_printerr ("Give --out DIR, a --count of at least 1 and a --seed of 0–%u.\n",
                  G_MAXUINT32);
      return EXIT_FAILURE;
    }
  if (size != NULL
      && (sscanf (size, "%dx%d", &width, &height) != 2 || width < 800 || height < 600))
    {
      g_printerr ("--size takes WIDTHxHEIGHT of at least 800x600, not “%s”.\n", size);
      return EXIT_FAILURE;
    }
  if (catalogs == NULL && (catalogs = bi_recognition_catalog_files (&error)) == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  for (guint i = 0; catalogs[i] != NULL; i++)
    if (!bi_shelf_book_pool_add_catalog (pool, catalogs[i], &error))
      {
        g_printerr ("%s\n", error->message);
        return EXIT_FAILURE;
      }
  if (bi_shelf_book_pool_get_size (pool) == 0)
    {
      g_printerr ("The catalog files hold no book whose title fits on a spine.\n");
      return EXIT_FAILURE;
    }
  if (g_mkdir_with_parents (out_dir, 0755) != 0)
    {
      g_printerr ("Could not create %s: %s\n", out_dir, g_strerror (errno));
      return EXIT_FAILURE;
    }

  if (!write_photos (pool, (guint32) seed, count, width, height, out_dir, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  return EXIT_SUCCESS;
}
