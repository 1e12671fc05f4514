/* bi-preferences-window.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-preferences-window"

#include "config.h"

#include "bi-preferences-window.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "bi-access-token.h"
#include "bi-settings.h"

struct _BiPreferencesWindow
{
  AdwPreferencesWindow  parent_instance;

  GSettings            *settings;        /* NULL when the schema is not installed */
  GCancellable         *cancellable;     /* cancelled when the window goes away */
  GtkFileChooserNative *catalog_chooser; /* while it is shown */

  /* template */
  AdwComboRow          *backend_row;
  AdwEntryRow          *server_url_row;
  AdwEntryRow          *token_row;
  GtkSpinButton        *parallel_spin;
  GtkSwitch            *notify_switch;
  AdwActionRow         *catalog_row;
  GtkButton            *catalog_button;
  GtkSwitch            *open_library_switch;
  GtkSwitch            *google_books_switch;
  AdwEntryRow          *google_books_key_row;

  gboolean              showing_providers; /* the switches are being set from the settings */
};

G_DEFINE_FINAL_TYPE (BiPreferencesWindow, bi_preferences_window, ADW_TYPE_PREFERENCES_WINDOW)

enum
{
  SIGNAL_BACKEND_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* The rows of backend_row, in order. */
static const char *const backend_ids[] = { "embedded", "remote" };

/* ---- helpers ---- */

static void
toast (BiPreferencesWindow *self,
       const char          *message)
{
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (message));
}

static void
update_sensitivity (BiPreferencesWindow *self)
{
  gboolean remote = adw_combo_row_get_selected (self->backend_row) == 1;

  gtk_widget_set_sensitive (GTK_WIDGET (self->server_url_row), remote);
  gtk_widget_set_sensitive (GTK_WIDGET (self->token_row), remote);
}

/* The switches as the `online-providers` setting says. */
static void
show_online_providers (BiPreferencesWindow *self)
{
  g_auto(GStrv) providers = g_settings_get_strv (self->settings, "online-providers");

  self->showing_providers = TRUE;
  gtk_switch_set_active (self->open_library_switch,
                         g_strv_contains ((const char * const *) providers, "openlibrary"));
  gtk_switch_set_active (self->google_books_switch,
                         g_strv_contains ((const char * const *) providers, "googlebooks"));
  self->showing_providers = FALSE;
}

/* ---- callbacks ---- */

static void
online_switch_cb (BiPreferencesWindow *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) current = NULL;
  g_auto(GStrv) chosen = NULL;
  g_autofree char *key = NULL;

  if (self->showing_providers || self->settings == NULL)
    return;

  if (gtk_switch_get_active (self->open_library_switch))
    g_strv_builder_add (builder, "openlibrary");
  if (gtk_switch_get_active (self->google_books_switch))
    g_strv_builder_add (builder, "googlebooks");
  chosen = g_strv_builder_end (builder);
  current = g_settings_get_strv (self->settings, "online-providers");
  if (!g_strv_equal ((const char * const *) current, (const char * const *) chosen))
    g_settings_set_strv (self->settings, "online-providers", (const char * const *) chosen);

  key = g_settings_get_string (self->settings, "google-books-key");
  if (gtk_switch_get_active (self->google_books_switch) && g_strstrip (key)[0] == '\0')
    toast (self, _("Enter a Google Books API key to use Google Books"));
}

static void
google_books_key_apply_cb (BiPreferencesWindow *self)
{
  g_autofree char *key = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->google_books_key_row))));

  if (self->settings == NULL)
    return;
  g_settings_set_string (self->settings, "google-books-key", key);
  toast (self, key[0] != '\0' ? _("Google Books API key saved")
                              : _("Google Books API key removed"));
}

static void
backend_selected_cb (BiPreferencesWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->backend_row);

  update_sensitivity (self);
  if (self->settings != NULL && selected < G_N_ELEMENTS (backend_ids))
    {
      g_autofree char *current = g_settings_get_string (self->settings, "backend");

      if (g_strcmp0 (current, backend_ids[selected]) != 0)
        g_settings_set_string (self->settings, "backend", backend_ids[selected]);
    }
}

static void
server_url_changed_cb (BiPreferencesWindow *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->server_url_row), "error");
}

static void
server_url_apply_cb (BiPreferencesWindow *self)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->server_url_row))));

  if (*text != '\0' && !bi_preferences_is_valid_server_url (text))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->server_url_row), "error");
      toast (self, _("Enter an address that starts with https:// or http://"));
      return;
    }
  if (self->settings != NULL)
    g_settings_set_string (self->settings, "server-url", text);
}

static void
token_saved_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(BiPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!bi_access_token_save_finish (result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      return;
    }
  toast (self, _("Access token saved"));
  g_signal_emit (self, signals[SIGNAL_BACKEND_CHANGED], 0);
}

static void
token_apply_cb (BiPreferencesWindow *self)
{
  g_autofree char *token = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->token_row))));

  bi_access_token_save_async (token, self->cancellable, token_saved_cb, g_object_ref (self));
}

static void
catalog_copied_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(BiPreferencesWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  gtk_widget_set_sensitive (GTK_WIDGET (self->catalog_button), TRUE);
  if (!g_file_copy_finish (G_FILE (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *message = g_strdup_printf (_("Could not import the catalog: %s"),
                                                      error->message);
          toast (self, message);
        }
      return;
    }
  toast (self, _("Catalog imported; the scanner on this computer restarts to read it"));
  g_signal_emit (self, signals[SIGNAL_BACKEND_CHANGED], 0);
}

static void
catalog_chooser_response_cb (GtkNativeDialog *dialog,
                             int              response,
                             gpointer         user_data)
{
  BiPreferencesWindow *self = user_data;
  g_autoptr(GFile) chosen = NULL;
  g_autoptr(GFile) target = NULL;
  g_autofree char *name = NULL;
  g_autofree char *target_path = NULL;
  g_autofree char *other_path = NULL;
  const char *extension;

  if (response == GTK_RESPONSE_ACCEPT)
    chosen = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
  g_clear_object (&self->catalog_chooser);
  if (chosen == NULL)
    return;

  name = g_file_get_basename (chosen);
  extension = g_str_has_suffix (name, ".csv") || g_str_has_suffix (name, ".CSV") ? "csv" : "tsv";
  target_path = bi_settings_get_imported_catalog_path (extension);
  other_path = bi_settings_get_imported_catalog_path (g_str_equal (extension, "csv") ? "tsv"
                                                                                    : "csv");
  target = g_file_new_for_path (target_path);
  /* One imported catalog at a time. Small and local: the unlink does not wait on anything. */
  g_remove (other_path);
  gtk_widget_set_sensitive (GTK_WIDGET (self->catalog_button), FALSE);
  g_file_copy_async (chosen, target, G_FILE_COPY_OVERWRITE, G_PRIORITY_DEFAULT,
                     self->cancellable, NULL, NULL, catalog_copied_cb, g_object_ref (self));
}

static void
import_catalog_clicked_cb (BiPreferencesWindow *self)
{
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *folder = NULL;

  if (self->catalog_chooser != NULL)
    {
      gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->catalog_chooser));
      return;
    }
  /* The copy goes into the app's data folder, which must exist first (a stat and a mkdir). */
  folder = g_build_filename (g_get_user_data_dir (), "bookimg", NULL);
  g_mkdir_with_parents (folder, 0700);

  self->catalog_chooser = gtk_file_chooser_native_new (_("Import Catalog"), GTK_WINDOW (self),
                                                       GTK_FILE_CHOOSER_ACTION_OPEN,
                                                       _("_Import"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Catalogs (TSV, CSV)"));
  gtk_file_filter_add_pattern (filter, "*.tsv");
  gtk_file_filter_add_pattern (filter, "*.csv");
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_mime_type (filter, "text/tab-separated-values");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->catalog_chooser), filter);
  g_signal_connect (self->catalog_chooser, "response", G_CALLBACK (catalog_chooser_response_cb),
                    self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->catalog_chooser));
}

/* ---- GObject ---- */

static void
bi_preferences_window_dispose (GObject *object)
{
  BiPreferencesWindow *self = BI_PREFERENCES_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->catalog_chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->catalog_chooser));
  g_clear_object (&self->catalog_chooser);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (bi_preferences_window_parent_class)->dispose (object);
}

static void
bi_preferences_window_finalize (GObject *object)
{
  BiPreferencesWindow *self = BI_PREFERENCES_WINDOW (object);

  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (bi_preferences_window_parent_class)->finalize (object);
}

static void
bi_preferences_window_class_init (BiPreferencesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = bi_preferences_window_dispose;
  object_class->finalize = bi_preferences_window_finalize;

  signals[SIGNAL_BACKEND_CHANGED] =
    g_signal_new ("backend-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/bookimg/BookImg/ui/"
                                               "bi-preferences-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BiPreferencesWindow, backend_row);
  gtk_widget_class_bind_template_child (widget_class, BiPreferencesWindow, server_url_row);
  gtk_widget_class_bind_template_child (widget_class, BiPreferencesWindow, token_row);
  gtk_widget_class_bind_template_child (widget_class, BiPreferencesWindow, parallel_spin);
  gtk_widget_class_bind_template_child (widget_class, BiPreferencesWindow, notify_switch);
  gtk_widget_class_bind_template_child (widget_class, BiPreferencesWindow, catalog_row);
  gtk_widget_class_bind_template_child (widget_class, BiPreferencesWindow, catalog_button);
  gtk_widget_class_bind_template_child (widget_class, BiPreferencesWindow, open_library_switch);
  gtk_widget_class_bind_template_child (widget_class, BiPreferencesWindow, google_books_switch);
  gtk_widget_class_bind_template_child (widget_class, BiPreferencesWindow,
                                        google_books_key_row);
  gtk_widget_class_bind_template_callback (widget_class, backend_selected_cb);
  gtk_widget_class_bind_template_callback (widget_class, server_url_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, server_url_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, token_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, import_catalog_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, online_switch_cb);
  gtk_widget_class_bind_template_callback (widget_class, google_books_key_apply_cb);
}

static void
bi_preferences_window_init (BiPreferencesWindow *self)
{
  g_autofree char *token = NULL;

  self->cancellable = g_cancellable_new ();
  self->settings = bi_settings_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  if (self->settings != NULL)
    {
      g_autofree char *backend = g_settings_get_string (self->settings, "backend");
      g_autofree char *server_url = g_settings_get_string (self->settings, "server-url");
      g_autofree char *google_books_key = g_settings_get_string (self->settings,
                                                                 "google-books-key");

      adw_combo_row_set_selected (self->backend_row, g_strcmp0 (backend, "remote") == 0);
      gtk_editable_set_text (GTK_EDITABLE (self->server_url_row), server_url);
      g_settings_bind (self->settings, "parallel-uploads", self->parallel_spin, "value",
                       G_SETTINGS_BIND_DEFAULT);
      g_settings_bind (self->settings, "notify-when-done", self->notify_switch, "active",
                       G_SETTINGS_BIND_DEFAULT);
      show_online_providers (self);
      gtk_editable_set_text (GTK_EDITABLE (self->google_books_key_row), google_books_key);
    }
  else
    {
      /* Without the schema nothing could be kept. */
      gtk_widget_set_sensitive (GTK_WIDGET (self->backend_row), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->parallel_spin), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->notify_switch), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->open_library_switch), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->google_books_switch), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->google_books_key_row), FALSE);
    }
  /* The stored token is shown hidden (a password row), so it can be checked or replaced. */
  token = bi_access_token_load ();
  if (token != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->token_row), token);
  update_sensitivity (self);
  if (self->settings == NULL)
    gtk_widget_set_sensitive (GTK_WIDGET (self->server_url_row), FALSE);
}

/* ---- public API ---- */

BiPreferencesWindow *
bi_preferences_window_new (GtkWindow *parent)
{
  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);

  return g_object_new (BI_TYPE_PREFERENCES_WINDOW, "transient-for", parent, "modal", TRUE,
                       NULL);
}

gboolean
bi_preferences_is_valid_server_url (const char *text)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (text == NULL)
    return FALSE;
  uri = g_uri_parse (text, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL)
    return FALSE;
  scheme = g_uri_get_scheme (uri);
  return (g_ascii_strcasecmp (scheme, "https") == 0 || g_ascii_strcasecmp (scheme, "http") == 0)
         && g_uri_get_host (uri) != NULL && *g_uri_get_host (uri) != '\0';
}
