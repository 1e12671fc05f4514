/* test-preferences.c — the Preferences window and switching backends, under Xvfb
 *
 * The address is validated before it is stored; the access token goes to a 0600 file under
 * the config dir (never into GSettings); a scanner switched to another backend and back
 * reconnects. Screenshots under meson-logs/screenshots/ (BOOKIMG_SCREENSHOT_DIR).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <sys/stat.h>

#include "bi-access-token.h"
#include "bi-library.h"
#include "bi-preferences-window.h"
#include "bi-scanner.h"
#include "bi-settings.h"
#include "bi-test-display.h"
#include "bi-test-store-utils.h"

#define START_TIMEOUT_S 30

/* ---- helpers ---- */

static GtkWidget *
child (BiPreferencesWindow *window,
       const char          *name)
{
  GtkWidget *widget = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                                 BI_TYPE_PREFERENCES_WINDOW,
                                                                 name));

  g_assert_nonnull (widget);
  return widget;
}

static gboolean
token_file_exists (gpointer data)
{
  return g_file_test (data, G_FILE_TEST_IS_REGULAR);
}

/* ---- tests ---- */

static void
test_preferences_settings (void)
{
  g_autoptr(GSettings) settings = bi_settings_new ();
  BiPreferencesWindow *window;
  GtkWidget *url_row;
  GtkWidget *token_row;
  g_autofree char *token_path = bi_access_token_get_path ();
  g_autofree char *stored = NULL;
  g_autofree char *url = NULL;
  GStatBuf info;

  g_assert_nonnull (settings);
  g_assert_false (bi_preferences_is_valid_server_url ("example.org"));
  g_assert_false (bi_preferences_is_valid_server_url ("ftp://example.org"));
  g_assert_false (bi_preferences_is_valid_server_url ("https://"));
  g_assert_true (bi_preferences_is_valid_server_url ("https://books.example.org/prod"));
  g_assert_true (bi_preferences_is_valid_server_url ("http://127.0.0.1:8080"));

  window = bi_preferences_window_new (NULL);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (bi_test_iterate_until ((BiTestCondition) gtk_widget_get_mapped, window, 10));

  /* the remote rows follow the backend choice */
  url_row = child (window, "server_url_row");
  token_row = child (window, "token_row");
  g_assert_false (gtk_widget_get_sensitive (url_row));
  adw_combo_row_set_selected (ADW_COMBO_ROW (child (window, "backend_row")), 1);
  url = g_settings_get_string (settings, "backend");
  g_assert_cmpstr (url, ==, "remote");
  g_clear_pointer (&url, g_free);
  g_assert_true (gtk_widget_get_sensitive (url_row));

  /* a bad address is refused and marked */
  gtk_editable_set_text (GTK_EDITABLE (url_row), "books.example.org");
  g_signal_emit_by_name (url_row, "apply");
  url = g_settings_get_string (settings, "server-url");
  g_assert_cmpstr (url, ==, "");
  g_clear_pointer (&url, g_free);
  g_assert_true (gtk_widget_has_css_class (url_row, "error"));
  bi_test_display_save_screenshot (GTK_WIDGET (window), "preferences-bad-address.png");

  gtk_editable_set_text (GTK_EDITABLE (url_row), "https://books.example.org/prod");
  g_assert_false (gtk_widget_has_css_class (url_row, "error"));
  g_signal_emit_by_name (url_row, "apply");
  url = g_settings_get_string (settings, "server-url");
  g_assert_cmpstr (url, ==, "https://books.example.org/prod");

  /* the token goes to a file only the user can read */
  gtk_editable_set_text (GTK_EDITABLE (token_row), "s3cret-token");
  g_signal_emit_by_name (token_row, "apply");
  g_assert_true (bi_test_iterate_until (token_file_exists, token_path, 10));
  g_assert_cmpint (g_stat (token_path, &info), ==, 0);
  g_assert_cmpint (info.st_mode & 0777, ==, 0600);
  stored = bi_access_token_load ();
  g_assert_cmpstr (stored, ==, "s3cret-token");
  bi_test_display_save_screenshot (GTK_WIDGET (window), "preferences.png");

  gtk_window_destroy (GTK_WINDOW (window));
  g_settings_reset (settings, "backend");
  g_settings_reset (settings, "server-url");
}

/* The online catalogs: off by default, switched on one by one, the key kept in GSettings. */
static void
test_preferences_online_catalogs (void)
{
  g_autoptr(GSettings) settings = bi_settings_new ();
  BiPreferencesWindow *window;
  GtkWidget *open_library;
  GtkWidget *google_books;
  GtkWidget *key_row;
  g_auto(GStrv) providers = NULL;
  g_autofree char *key = NULL;

  g_assert_nonnull (settings);
  providers = g_settings_get_strv (settings, "online-providers");
  g_assert_cmpuint (g_strv_length (providers), ==, 0);
  g_clear_pointer (&providers, g_strfreev);

  window = bi_preferences_window_new (NULL);
  gtk_window_present (GTK_WINDOW (window));
  g_assert_true (bi_test_iterate_until ((BiTestCondition) gtk_widget_get_mapped, window, 10));
  open_library = child (window, "open_library_switch");
  google_books = child (window, "google_books_switch");
  key_row = child (window, "google_books_key_row");
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (open_library)));
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (google_books)));

  gtk_switch_set_active (GTK_SWITCH (open_library), TRUE);
  providers = g_settings_get_strv (settings, "online-providers");
  g_assert_cmpstrv (providers, ((const char *[]) { "openlibrary", NULL }));
  g_clear_pointer (&providers, g_strfreev);

  gtk_editable_set_text (GTK_EDITABLE (key_row), "  AIza-test_key  ");
  g_signal_emit_by_name (key_row, "apply");
  key = g_settings_get_string (settings, "google-books-key");
  g_assert_cmpstr (key, ==, "AIza-test_key");
  gtk_switch_set_active (GTK_SWITCH (google_books), TRUE);
  gtk_switch_set_active (GTK_SWITCH (open_library), FALSE);
  providers = g_settings_get_strv (settings, "online-providers");
  g_assert_cmpstrv (providers, ((const char *[]) { "googlebooks", NULL }));
  bi_test_display_save_screenshot (GTK_WIDGET (window), "preferences-online-catalogs.png");
  gtk_window_destroy (GTK_WINDOW (window));

  /* a new window shows what is stored */
  window = bi_preferences_window_new (NULL);
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (child (window, "open_library_switch"))));
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (child (window, "google_books_switch"))));
  gtk_window_destroy (GTK_WINDOW (window));

  g_settings_reset (settings, "online-providers");
  g_settings_reset (settings, "google-books-key");
}

static void
test_preferences_switch_backend (void)
{
  g_autofree char *dir = bi_test_temp_dir_new ();
  g_autofree char *library_path = g_build_filename (dir, "library.sqlite3", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BiLibrary) library = bi_library_open (library_path, &error);
  BiScannerOptions embedded = { TRUE, NULL, NULL, NULL, 2, NULL, NULL };
  BiScannerOptions remote = { FALSE, "", NULL, NULL, 2, NULL, NULL };
  g_autoptr(BiScanner) scanner = NULL;

  g_assert_no_error (error);
  scanner = bi_scanner_new (library, &embedded);
  bi_scanner_start (scanner);
  g_assert_true (bi_test_iterate_until (bi_test_scanner_is_settled, scanner, START_TIMEOUT_S));
  g_assert_cmpint (bi_scanner_get_status (scanner), ==, BI_SCANNER_STATUS_READY);

  /* remote without an address: offline, and it says why */
  bi_scanner_reconfigure (scanner, &remote);
  g_assert_true (bi_test_iterate_until (bi_test_scanner_is_settled, scanner, START_TIMEOUT_S));
  g_assert_cmpint (bi_scanner_get_status (scanner), ==, BI_SCANNER_STATUS_OFFLINE);
  g_assert_cmpstr (bi_scanner_get_status_message (scanner), !=, "");

  /* back on this computer: a new embedded server */
  bi_scanner_reconfigure (scanner, &embedded);
  g_assert_true (bi_test_iterate_until (bi_test_scanner_is_settled, scanner, START_TIMEOUT_S));
  g_assert_cmpint (bi_scanner_get_status (scanner), ==, BI_SCANNER_STATUS_READY);

  bi_test_scanner_stop (scanner);
  g_clear_object (&scanner);
  g_clear_object (&library);
  bi_test_temp_dir_remove (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *home = bi_test_temp_dir_new ();
  g_autofree char *data_home = g_build_filename (home, "data", NULL);
  g_autofree char *config_home = g_build_filename (home, "config", NULL);
  g_autofree char *cache_home = g_build_filename (home, "cache", NULL);
  int status;

  /* Never the user's own folders: set before anything reads them. */
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("XDG_CONFIG_HOME", config_home, TRUE);
  g_setenv ("XDG_CACHE_HOME", cache_home, TRUE);

  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add_func ("/bookimg/preferences/settings", test_preferences_settings);
  g_test_add_func ("/bookimg/preferences/online-catalogs", test_preferences_online_catalogs);
  g_test_add_func ("/bookimg/preferences/switch-backend", test_preferences_switch_backend);
  status = g_test_run ();
  bi_test_temp_dir_remove (home);
  return status;
}
