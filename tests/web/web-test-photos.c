/* web-test-photos.c — writes the shelf photos and the catalog the browser test uploads
 *
 * Usage: web-test-photos DIR
 * Writes DIR/shelf-1.png, DIR/shelf-2.png, DIR/shelf-3.png and DIR/catalog.tsv (goodbooks
 * format). The spines are those of test-server-pipeline.c, which Tesseract reads here; the
 * second photo repeats two books of the first (for the de-duplicated table) and adds a spine
 * that is in no catalog (an unresolved spine).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib.h>
#include <glib/gstdio.h>

#include "bi-test-images.h"

#define SHELF_WIDTH  600
#define SHELF_HEIGHT 800

static const BiTestSpine shelf_1[] = {
  { "THE HOBBIT", "TOLKIEN", 0x1f3a5f, 0xf5f0e1, 90 },
  { "DUNE", "FRANK HERBERT", 0xe8c872, 0x202020, 270 },
  { "EMMA", "JANE AUSTEN", 0x7a1f2b, 0xffffff, 90 },
};

static const BiTestSpine shelf_2[] = {
  { "EMMA", "JANE AUSTEN", 0x2d5a27, 0xffffff, 90 },
  { "QUIZZICAL WOMBATS", "XAVERIA PLONK", 0x444444, 0xffffff, 90 },
  { "DUNE", "FRANK HERBERT", 0xe8c872, 0x202020, 270 },
};

static const BiTestSpine shelf_3[] = {
  { "THE HOBBIT", "TOLKIEN", 0x5f1f3a, 0xf5f0e1, 90 },
  { "EMMA", "JANE AUSTEN", 0x1f5f3a, 0xffffff, 90 },
};

static const char catalog[] =
  "book_id\ttitle\toriginal_title\tauthors\tyear\tisbn10\tisbn13\n"
  "1\tThe Hobbit\tThe Hobbit\tJ.R.R. Tolkien\t1937\t0618260307\t9780618260300\n"
  "2\tDune\tDune\tFrank Herbert\t1965\t0441172717\t9780441172719\n"
  "3\tEmma\tEmma\tJane Austen\t1815\t0141439580\t9780141439587\n"
  "4\tThe Hunger Games\tThe Hunger Games\tSuzanne Collins\t2008\t0439023483\t9780439023481\n";

static gboolean
write_photo (const char        *dir,
             const char        *name,
             const BiTestSpine *spines,
             guint              n_spines,
             GError           **error)
{
  g_autoptr(GBytes) photo = NULL;
  g_autofree char *path = g_build_filename (dir, name, NULL);
  gsize size = 0;
  const char *data;

  photo = bi_test_image_render_spines (spines, n_spines, SHELF_WIDTH, SHELF_HEIGHT, "png", error);
  if (photo == NULL)
    return FALSE;
  data = g_bytes_get_data (photo, &size);
  return g_file_set_contents (path, data, size, error);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *catalog_path = NULL;

  if (argc != 2)
    {
      g_printerr ("Usage: %s DIR\n", argv[0]);
      return 2;
    }

  catalog_path = g_build_filename (argv[1], "catalog.tsv", NULL);
  if (g_mkdir_with_parents (argv[1], 0700) != 0
      || !write_photo (argv[1], "shelf-1.png", shelf_1, G_N_ELEMENTS (shelf_1), &error)
      || !write_photo (argv[1], "shelf-2.png", shelf_2, G_N_ELEMENTS (shelf_2), &error)
      || !write_photo (argv[1], "shelf-3.png", shelf_3, G_N_ELEMENTS (shelf_3), &error)
      || !g_file_set_contents (catalog_path, catalog, -1, &error))
    {
      g_printerr ("Could not write the test photos in %s: %s\n", argv[1],
                  error != NULL ? error->message : "could not create the directory");
      return 1;
    }
  return 0;
}
