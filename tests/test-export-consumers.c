/* test-export-consumers.c — real readers take our files: pandoc reads the BibTeX and the
 * CSL-JSON with every title intact, xmllint validates the Tellico file against Tellico's DTD
 *
 * The programs come from build-aux/install-deps (pandoc, libxml2-utils, tellico-data); a
 * missing one fails the test, since a skipped check would pass without checking anything.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-export.h"
#include "bi-test-export-books.h"
#include "bi-test-files.h"
#include "bi-test-store-utils.h"

#include <json-glib/json-glib.h>

typedef struct
{
  char      *dir;
  GPtrArray *books;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->dir = bi_test_temp_dir_new ();
  fixture->books = bi_test_export_books_new ();
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  bi_test_temp_dir_remove (fixture->dir);
  g_free (fixture->dir);
  g_ptr_array_unref (fixture->books);
}

static char *
find_program (const char *name,
              const char *package)
{
  char *path = g_find_program_in_path (name);

  if (path == NULL)
    g_error ("%s is not installed; run build-aux/install-deps (Debian package %s)", name,
             package);
  return path;
}

static char *
write_export (Fixture      *fixture,
              BiBookFormat  format,
              const char   *name)
{
  g_autoptr(GString) text = g_string_new (NULL);

  bi_export_write (format, fixture->books, text, NULL);
  return bi_test_write_file (fixture->dir, name, text->str, (gssize) text->len);
}

/* Runs @argv; fails the test unless it exits 0. Returns its standard output. */
static char *
run (const char *const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  char *out = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, &error))
    g_test_message ("%s failed; stderr:\n%s", argv[0], err);
  g_assert_no_error (error);
  return out;
}

/* pandoc's CSL-JSON on standard output: its titles must be ours, in order. */
static void
assert_titles (const char *csl_json)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = json_from_string (csl_json, &error);
  JsonArray *items;

  g_assert_no_error (error);
  items = json_node_get_array (root);
  g_assert_cmpuint (json_array_get_length (items), ==,
                    g_strv_length ((char **) bi_test_export_titles));
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      g_autofree char *title = bi_test_export_straight_quotes (
        json_object_get_string_member (item, "title"));

      g_assert_cmpstr (title, ==, bi_test_export_titles[i]);
    }
}

static void
test_pandoc_bibtex (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autofree char *pandoc = find_program ("pandoc", "pandoc");
  g_autofree char *path = write_export (fixture, BI_BOOK_FORMAT_BIBTEX, "books.bib");
  g_autofree char *out = run ((const char *[]) { pandoc, "-f", "bibtex", "-t", "csljson", path,
                                                 NULL });

  assert_titles (out);
}

static void
test_pandoc_csl_json (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *pandoc = find_program ("pandoc", "pandoc");
  g_autofree char *path = write_export (fixture, BI_BOOK_FORMAT_CSL_JSON, "books.json");
  g_autofree char *out = run ((const char *[]) { pandoc, "-f", "csljson", "-t", "csljson", path,
                                                 NULL });

  assert_titles (out);
}

/* Tellico's DTD where tellico-data installs it, found through the XDG data dirs. */
static char *
find_tellico_dtd (void)
{
  const char *const *dirs = g_get_system_data_dirs ();

  for (guint i = 0; dirs[i] != NULL; i++)
    {
      char *path = g_build_filename (dirs[i], "tellico", "tellico.dtd", NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return path;
      g_free (path);
    }

  g_error ("tellico.dtd is not installed; run build-aux/install-deps (Debian package "
           "tellico-data)");
  return NULL;
}

static void
test_xmllint_tellico (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *xmllint = find_program ("xmllint", "libxml2-utils");
  g_autofree char *dtd = find_tellico_dtd ();
  g_autofree char *path = write_export (fixture, BI_BOOK_FORMAT_TELLICO, "books.xml");
  /* --nonet: the DOCTYPE names the DTD's web address; the test must not go online. */
  g_autofree char *out = run ((const char *[]) { xmllint, "--noout", "--nonet", "--dtdvalid",
                                                 dtd, path, NULL });
  g_autofree char *broken_path = NULL;
  g_autofree char *text = NULL;
  g_autofree char *broken = NULL;
  g_auto(GStrv) parts = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  /* The check has teeth: the same file with an element the DTD does not know is refused. */
  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  parts = g_strsplit (text, "</entry>", 2);
  g_assert_cmpuint (g_strv_length (parts), ==, 2);
  broken = g_strjoinv ("<nonsense/></entry>", parts);
  broken_path = bi_test_write_file (fixture->dir, "broken.xml", broken, -1);

  g_spawn_sync (NULL, (char **) (const char *[]) { xmllint, "--noout", "--nonet", "--dtdvalid",
                                                   dtd, broken_path, NULL },
                NULL, G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, NULL,
                NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_false (g_spawn_check_wait_status (status, NULL));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add ("/bookimg/export/consumers/pandoc-bibtex", Fixture, NULL, fixture_set_up,
              test_pandoc_bibtex, fixture_tear_down);
  g_test_add ("/bookimg/export/consumers/pandoc-csl-json", Fixture, NULL, fixture_set_up,
              test_pandoc_csl_json, fixture_tear_down);
  g_test_add ("/bookimg/export/consumers/xmllint-tellico", Fixture, NULL, fixture_set_up,
              test_xmllint_tellico, fixture_tear_down);

  return g_test_run ();
}
