/* test-cli-scan.c — `bookimg-cli scan` end to end against a real bookimg-server
 *
 * A spine photo is drawn with the title of a book in a catalog the test writes; the CLI scans
 * it with --embedded (its own child server) and with --server (a server the test started),
 * and must print the book in every format and exit with the documented status.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-test-cli.h"
#include "bi-test-files.h"
#include "bi-test-images.h"
#include "bi-test-server.h"
#include "bi-test-store-utils.h"

#include <json-glib/json-glib.h>
#include <string.h>

/* The catalog title (what the CLI must print) and what the spine shows. */
#define BOOK_TITLE "The Hobbit"

static const char catalog_tsv[] =
  "book_id\tgoodreads_book_id\twork_id\ttitle\toriginal_title\tauthors\tyear\tisbn10\t"
  "isbn13\tisbn13_note\tlanguage_code\tratings_count\n"
  "7\t7\t7\tThe Hobbit\tThe Hobbit or There and Back Again\tJ.R.R. Tolkien\t1937\t"
  "0618260307\t9780618260300\t\teng\t1\n"
  "126\t126\t126\tDune (Dune Chronicles #1)\tDune\tFrank Herbert\t1965\t0441172717\t"
  "9780441172719\t\teng\t1\n";

static const BiTestSpine spine = { "THE HOBBIT", "TOLKIEN", 0x1f3a5f, 0xf5f0e1, 90 };

typedef struct
{
  char *dir;
  char *catalog;
  char *photo;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) photo = NULL;

  fixture->dir = bi_test_temp_dir_new ();
  fixture->catalog = bi_test_write_file (fixture->dir, "catalog.tsv", catalog_tsv, -1);
  photo = bi_test_image_render_spines (&spine, 1, 240, 800, "png", &error);
  g_assert_no_error (error);
  fixture->photo = bi_test_write_file (fixture->dir, "my shelf.png",
                                       g_bytes_get_data (photo, NULL),
                                       (gssize) g_bytes_get_size (photo));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  bi_test_temp_dir_remove (fixture->dir);
  g_free (fixture->dir);
  g_free (fixture->catalog);
  g_free (fixture->photo);
}


static void
assert_contains (const char *haystack,
                 const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("Expected \"%s\" in:\n%s", needle, haystack);
}

static void
test_scan_embedded_table (Fixture       *fixture,
                          gconstpointer  data)
{
  g_auto(BiTestCliRun) run = { 0 };

  bi_test_cli_run (&run, (const char *[]) { "scan", "--embedded", "--catalog", fixture->catalog,
                                    fixture->photo, NULL });

  g_assert_cmpint (run.exit_status, ==, 0);
  assert_contains (run.out, "PHOTO");
  assert_contains (run.out, "my shelf.png");
  assert_contains (run.out, BOOK_TITLE);
  assert_contains (run.out, "9780618260300");
  /* Progress went to stderr as plain lines (stderr is a pipe here). */
  assert_contains (run.err, "my shelf.png: complete");
  g_assert_null (strchr (run.err, '\033'));
}

static void
test_scan_server_json_and_csv (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(BiTestServer) server = bi_test_server_new ((const char *[]) {
    "--catalog", fixture->catalog, NULL });
  g_autofree char *output = g_build_filename (fixture->dir, "books.json", NULL);
  g_auto(BiTestCliRun) json_run = { 0 };
  g_auto(BiTestCliRun) csv_run = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *first;
  JsonArray *books;
  gboolean found = FALSE;

  bi_test_cli_run (&json_run, (const char *[]) { "scan", "--server", bi_test_server_get_url (server),
                                         "--format", "json", "--output", output, "--jobs", "2",
                                         fixture->photo, NULL });
  g_assert_cmpint (json_run.exit_status, ==, 0);
  g_assert_cmpstr (json_run.out, ==, "");

  g_file_get_contents (output, &contents, NULL, &error);
  g_assert_no_error (error);
  root = json_from_string (contents, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (root)), ==, 1);
  first = json_array_get_object_element (json_node_get_array (root), 0);
  g_assert_cmpstr (json_object_get_string_member (first, "photo"), ==, "my shelf.png");
  g_assert_cmpstr (json_object_get_string_member (first, "status"), ==, "complete");
  books = json_object_get_array_member (first, "books");
  for (guint i = 0; i < json_array_get_length (books); i++)
    found |= g_strcmp0 (json_object_get_string_member (json_array_get_object_element (books, i),
                                                       "title"), BOOK_TITLE) == 0;
  g_assert_true (found);

  bi_test_cli_run (&csv_run, (const char *[]) { "scan", "--server", bi_test_server_get_url (server),
                                        "--format", "csv", fixture->photo, NULL });
  g_assert_cmpint (csv_run.exit_status, ==, 0);
  g_assert_true (g_str_has_prefix (
    csv_run.out, "photo,position,title,authors,year,isbn13,confidence,source\r\n"));
  assert_contains (csv_run.out, "my shelf.png,");
  assert_contains (csv_run.out, "," BOOK_TITLE ",J.R.R. Tolkien,1937,9780618260300,");
}

static void
test_non_image (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(BiTestServer) server = bi_test_server_new (NULL);
  g_autofree char *text = bi_test_write_file (fixture->dir, "notes.txt", "a shopping list\n",
                                              -1);
  g_auto(BiTestCliRun) run = { 0 };

  bi_test_cli_run (&run, (const char *[]) { "scan", "--server", bi_test_server_get_url (server), text,
                                    NULL });

  g_assert_cmpint (run.exit_status, ==, 2);
  assert_contains (run.err, "notes.txt");
  assert_contains (run.err, "is not a JPEG, PNG, WebP or TIFF image");
  assert_contains (run.err, "1 of 1 photos could not be scanned");
  /* Table output still comes, saying there is nothing. */
  assert_contains (run.out, "No books found.");
}

/* A loopback port nobody listens on: bound, read and closed again. */
static char *
closed_port_url (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_strdup_printf ("http://127.0.0.1:%u",
                          g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
}

static void
test_no_server (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *url = closed_port_url ();
  g_auto(BiTestCliRun) run = { 0 };

  bi_test_cli_run (&run, (const char *[]) { "scan", "--server", url, fixture->photo, NULL });

  g_assert_cmpint (run.exit_status, ==, 1);
  assert_contains (run.err, url);
  assert_contains (run.err, "--embedded");
}

static void
test_usage_errors (Fixture       *fixture,
                   gconstpointer  data)
{
  struct
  {
    const char *args[8];
    const char *message;
  } cases[] = {
    { { "scan", NULL }, "no photos given" },
    { { "scan", "--jobs", "0", "x.jpg", NULL }, "--jobs: 0 is out of range" },
    { { "scan", "--jobs", "65", "x.jpg", NULL }, "use 1 to 64" },
    { { "scan", "--server", "ftp://example.org", "x.jpg", NULL }, "http:// or https://" },
    { { "scan", "--server", "http://127.0.0.1:1", "--embedded", "x.jpg", NULL }, "not both" },
    { { "scan", "--format", "xml", "x.jpg", NULL }, "use table, json or csv" },
    { { "scan", "--server", "http://127.0.0.1:1", "--catalog", "c.tsv", "x.jpg", NULL },
      "--catalog is for --embedded only" },
    { { "scan", "--catalog", "/nonexistent/c.tsv", "x.jpg", NULL }, "not a readable file" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(BiTestCliRun) run = { 0 };

      bi_test_cli_run (&run, cases[i].args);
      g_assert_cmpint (run.exit_status, ==, 1);
      assert_contains (run.err, cases[i].message);
    }
}

static void
test_help (Fixture       *fixture,
           gconstpointer  data)
{
  g_auto(BiTestCliRun) main_help = { 0 };
  g_auto(BiTestCliRun) scan_help = { 0 };
  g_auto(BiTestCliRun) unknown = { 0 };

  bi_test_cli_run (&main_help, (const char *[]) { "--help", NULL });
  g_assert_cmpint (main_help.exit_status, ==, 0);
  assert_contains (main_help.out, "scan");
  assert_contains (main_help.out, "Scan photos");

  bi_test_cli_run (&scan_help, (const char *[]) { "scan", "--help", NULL });
  g_assert_cmpint (scan_help.exit_status, ==, 0);
  for (guint i = 0; i < 7; i++)
    {
      const char *options[] = { "--server", "--embedded", "--catalog", "--format", "--output",
                                "--jobs", "--token" };

      assert_contains (scan_help.out, options[i]);
    }

  bi_test_cli_run (&unknown, (const char *[]) { "frobnicate", NULL });
  g_assert_cmpint (unknown.exit_status, ==, 1);
  assert_contains (unknown.err, "unknown command");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/bookimg/integration/cli/" path, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)
  ADD ("scan-embedded-table", test_scan_embedded_table);
  ADD ("scan-server-json-and-csv", test_scan_server_json_and_csv);
  ADD ("non-image", test_non_image);
  ADD ("no-server", test_no_server);
  ADD ("usage-errors", test_usage_errors);
  ADD ("help", test_help);
#undef ADD

  return g_test_run ();
}
