/* bi-application.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-application"

#include "config.h"

#include "bi-application.h"

#include <glib/gi18n.h>

#include "bi-access-token.h"
#include "bi-preferences-window.h"
#include "bi-settings.h"
#include "bi-window.h"

/* How long quitting waits for the embedded server to stop (it is killed after its own grace
 * period; this only bounds a hang). */
#define STOP_TIMEOUT_US (10 * G_USEC_PER_SEC)

struct _BiApplication
{
  AdwApplication  parent_instance;

  GSettings      *settings;  /* NULL when the schema is not installed */
  BiLibrary      *library;
  BiScanner      *scanner;
  gboolean        stopped;   /* the scanner's stop has completed */
  guint           reconnect_source; /* coalesces the settings changes of one moment */
};

G_DEFINE_FINAL_TYPE (BiApplication, bi_application, ADW_TYPE_APPLICATION)

/* ---- helpers ---- */

/* The strings the options point to. */
typedef struct
{
  char *server_url;
  char *access_token;
  char *catalog_path;
  char *server_data_dir;
  GStrv server_arguments;
  GStrv server_environment;
} OptionStrings;

static void
option_strings_clear (OptionStrings *strings)
{
  g_free (strings->server_url);
  g_free (strings->access_token);
  g_free (strings->catalog_path);
  g_free (strings->server_data_dir);
  g_strfreev (strings->server_arguments);
  g_strfreev (strings->server_environment);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (OptionStrings, option_strings_clear)

/* bookimg-server's arguments for the online catalogs chosen in Preferences, and the Google
 * Books key for its environment (never its command line, which other users can read). Google
 * Books without a key is left out: the server would refuse to start. */
static GStrv
online_catalog_arguments (GSettings  *settings,
                          GStrv      *environment)
{
  g_autoptr(GStrvBuilder) arguments = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();
  g_auto(GStrv) providers = g_settings_get_strv (settings, "online-providers");
  g_autofree char *key = g_strstrip (g_settings_get_string (settings, "google-books-key"));
  g_auto(GStrv) chosen = NULL;
  g_autofree char *list = NULL;

  if (g_strv_contains ((const char * const *) providers, "openlibrary"))
    g_strv_builder_add (names, "openlibrary");
  if (g_strv_contains ((const char * const *) providers, "googlebooks") && key[0] != '\0')
    g_strv_builder_add (names, "googlebooks");
  chosen = g_strv_builder_end (names);
  if (chosen[0] == NULL)
    return g_strv_builder_end (arguments);

  list = g_strjoinv (",", chosen);
  g_strv_builder_add_many (arguments, "--online-catalogs", list, NULL);
  if (g_strv_contains ((const char * const *) chosen, "googlebooks"))
    {
      g_autofree char *variable = g_strconcat ("BOOKIMG_GOOGLE_BOOKS_KEY=", key, NULL);
      const char *variables[] = { variable, NULL };

      *environment = g_strdupv ((char **) variables);
    }
  return g_strv_builder_end (arguments);
}

/* The backend the settings ask for. */
static void
read_options (BiApplication    *self,
              BiScannerOptions *options,
              OptionStrings    *strings)
{
  g_autofree char *backend = NULL;

  *options = (BiScannerOptions) { TRUE, NULL, NULL, NULL, 4, NULL, NULL };
  if (self->settings != NULL)
    {
      backend = g_settings_get_string (self->settings, "backend");
      strings->server_url = g_settings_get_string (self->settings, "server-url");
      options->embedded = g_strcmp0 (backend, "remote") != 0;
      options->parallel_jobs = (guint) g_settings_get_int (self->settings, "parallel-uploads");
      strings->server_arguments = online_catalog_arguments (self->settings,
                                                            &strings->server_environment);
      options->server_arguments = (const char * const *) strings->server_arguments;
      options->server_environment = (const char * const *) strings->server_environment;
    }
  /* A catalog imported in Preferences; else the bundled one (build-aux/run and tests set it). */
  strings->catalog_path = bi_settings_find_imported_catalog ();
  if (strings->catalog_path == NULL)
    strings->catalog_path = g_strdup (g_getenv ("BOOKIMG_CATALOG"));
  /* The token lives in a 0600 file, never in GSettings; the environment still overrides. */
  strings->access_token = g_strdup (g_getenv ("BOOKIMG_TOKEN"));
  if (strings->access_token == NULL)
    strings->access_token = bi_access_token_load ();
  /* Kept across runs: jobs still running when the app closed are resumed on the next start. */
  strings->server_data_dir = g_build_filename (g_get_user_data_dir (), "bookimg", "server",
                                               NULL);
  options->server_url = strings->server_url;
  options->access_token = strings->access_token;
  options->catalog_path = strings->catalog_path;
  options->server_data_dir = strings->server_data_dir;
}

static BiScanner *
create_scanner (BiApplication *self,
                BiLibrary     *library)
{
  BiScannerOptions options;
  g_auto(OptionStrings) strings = { NULL, NULL, NULL, NULL, NULL };

  read_options (self, &options, &strings);
  return bi_scanner_new (library, &options);
}

static gboolean
reconnect_cb (gpointer user_data)
{
  BiApplication *self = user_data;
  BiScannerOptions options;
  g_auto(OptionStrings) strings = { NULL, NULL, NULL, NULL, NULL };

  self->reconnect_source = 0;
  if (self->scanner == NULL)
    return G_SOURCE_REMOVE;
  read_options (self, &options, &strings);
  bi_scanner_reconfigure (self->scanner, &options);
  return G_SOURCE_REMOVE;
}

/* Switches to the backend the settings now ask for (once, however many keys changed). */
static void
schedule_reconnect (BiApplication *self)
{
  if (self->reconnect_source == 0)
    self->reconnect_source = g_idle_add (reconnect_cb, self);
}

/* The online catalogs are arguments of the embedded server: it restarts to apply them. A
 * remote server has its own. */
static void
online_catalogs_changed_cb (BiApplication *self)
{
  g_autofree char *backend = g_settings_get_string (self->settings, "backend");

  if (g_strcmp0 (backend, "remote") != 0)
    schedule_reconnect (self);
}

static void
present_window (BiApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (bi_window_new (GTK_APPLICATION (self), self->scanner));
  gtk_window_present (window);
}

/* ---- callbacks ---- */

static void
scanner_stopped_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(BiApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!bi_scanner_stop_finish (BI_SCANNER (source), result, &error))
    g_warning ("Could not stop the scanner cleanly: %s", error->message);
  self->stopped = TRUE;
}

static void
batch_finished_cb (BiApplication *self,
                   guint          n_books)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *body = NULL;

  if (window != NULL && gtk_window_is_active (window))
    return;
  if (self->settings != NULL && !g_settings_get_boolean (self->settings, "notify-when-done"))
    return;

  notification = g_notification_new (_("Photos scanned"));
  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u book found", "%u books found",
                                       n_books),
                          n_books);
  g_notification_set_body (notification, body);
  g_application_send_notification (G_APPLICATION (self), "batch-finished", notification);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  BiApplication *self = user_data;
  GList *windows = gtk_application_get_windows (GTK_APPLICATION (self));

  /* Close every window; the application ends when the last one goes. */
  for (GList *link = windows; link != NULL;)
    {
      GtkWindow *window = link->data;

      link = link->next;
      gtk_window_close (window);
    }
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  BiApplication *self = user_data;
  static const char *developers[] = { "The BookImg developers", NULL };
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  adw_show_about_window (window,
                         "application-name", _("BookImg"),
                         "application-icon", BI_APPLICATION_ID,
                         "developer-name", _("The BookImg developers"),
                         "version", PACKAGE_VERSION,
                         "comments", _("Turn photos of your bookshelves into a list of books"),
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "developers", developers,
                         "translator-credits", _("translator-credits"),
                         NULL);
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  BiApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  BiPreferencesWindow *preferences = bi_preferences_window_new (window);

  g_signal_connect_object (preferences, "backend-changed", G_CALLBACK (schedule_reconnect),
                           self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (preferences));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action, NULL, NULL, NULL, { 0 } },
  { "about", about_action, NULL, NULL, NULL, { 0 } },
  { "preferences", preferences_action, NULL, NULL, NULL, { 0 } },
};

/* ---- GApplication ---- */

static void
bi_application_startup (GApplication *application)
{
  BiApplication *self = BI_APPLICATION (application);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };
  static const char *open_accels[] = { "<Control>o", NULL };
  static const char *find_accels[] = { "<Control>f", NULL };
  static const char *export_accels[] = { "<Control>e", NULL };
  static const char *paste_accels[] = { "<Control>v", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *library_path = NULL;

  G_APPLICATION_CLASS (bi_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences",
                                         preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.open", open_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.find", find_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.export", export_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.paste", paste_accels);

  self->settings = bi_settings_new ();
  if (self->settings != NULL)
    {
      g_signal_connect_object (self->settings, "changed::backend",
                               G_CALLBACK (schedule_reconnect), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->settings, "changed::server-url",
                               G_CALLBACK (schedule_reconnect), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->settings, "changed::online-providers",
                               G_CALLBACK (online_catalogs_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->settings, "changed::google-books-key",
                               G_CALLBACK (online_catalogs_changed_cb), self, G_CONNECT_SWAPPED);
    }

  library_path = bi_library_default_path ();
  self->library = bi_library_open (library_path, &error);
  if (self->library == NULL)
    {
      /* Without its file the library still works for this session, in memory. */
      g_warning ("%s", error->message);
      g_clear_error (&error);
      self->library = bi_library_open (":memory:", &error);
      g_assert_no_error (error);
    }

  self->scanner = create_scanner (self, self->library);
  g_signal_connect_object (self->scanner, "batch-finished", G_CALLBACK (batch_finished_cb),
                           self, G_CONNECT_SWAPPED);
  if (!bi_scanner_load (self->scanner, &error))
    g_warning ("%s", error->message);
  bi_scanner_start (self->scanner);
}

static void
bi_application_activate (GApplication *application)
{
  present_window (BI_APPLICATION (application));
}

static void
bi_application_open (GApplication  *application,
                     GFile        **files,
                     int            n_files,
                     const char    *hint)
{
  BiApplication *self = BI_APPLICATION (application);

  present_window (self);
  bi_scanner_add_files (self->scanner, files, (guint) n_files);
}

static void
bi_application_shutdown (GApplication *application)
{
  BiApplication *self = BI_APPLICATION (application);
  gint64 deadline = g_get_monotonic_time () + STOP_TIMEOUT_US;

  g_clear_handle_id (&self->reconnect_source, g_source_remove);

  /* The embedded server is a child process: stop it before the app's main loop is gone. */
  if (self->scanner != NULL)
    {
      bi_scanner_stop_async (self->scanner, NULL, scanner_stopped_cb, g_object_ref (self));
      while (!self->stopped && g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, TRUE);
    }
  g_clear_object (&self->scanner);
  g_clear_object (&self->library);
  g_clear_object (&self->settings);

  G_APPLICATION_CLASS (bi_application_parent_class)->shutdown (application);
}

static void
bi_application_class_init (BiApplicationClass *klass)
{
  GApplicationClass *application_class = G_APPLICATION_CLASS (klass);

  application_class->startup = bi_application_startup;
  application_class->activate = bi_application_activate;
  application_class->open = bi_application_open;
  application_class->shutdown = bi_application_shutdown;
}

static void
bi_application_init (BiApplication *self)
{
}

/* ---- public API ---- */

BiApplication *
bi_application_new (void)
{
  return g_object_new (BI_TYPE_APPLICATION,
                       "application-id", BI_APPLICATION_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", "/io/github/bookimg/BookImg",
                       NULL);
}

BiScanner *
bi_application_get_scanner (BiApplication *self)
{
  g_return_val_if_fail (BI_IS_APPLICATION (self), NULL);
  return self->scanner;
}
