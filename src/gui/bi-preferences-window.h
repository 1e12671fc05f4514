/* bi-preferences-window.h — backend, address, access token, scanning and catalog settings
 *
 * Signals:
 *   ::backend-changed — the access token was stored or a catalog imported: reconnect. (The
 *     backend and the address are GSettings keys; their changes are seen there.)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define BI_TYPE_PREFERENCES_WINDOW (bi_preferences_window_get_type ())
G_DECLARE_FINAL_TYPE (BiPreferencesWindow, bi_preferences_window, BI, PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

BiPreferencesWindow *bi_preferences_window_new (GtkWindow *parent);

/* TRUE when @text is an http:// or https:// address with a host. */
gboolean             bi_preferences_is_valid_server_url (const char *text);

G_END_DECLS
