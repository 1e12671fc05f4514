/* bi-access-token.h — the remote server's access token, in a file only the user can read
 *
 * Kept out of GSettings (dconf is readable by every program of the session and gets backed up
 * and synced): g_get_user_config_dir()/bookimg/access-token, mode 0600 in a 0700 folder. Never
 * logged.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

char     *bi_access_token_get_path    (void);

/* The stored token, or NULL when none is stored. A tiny file, read once at start-up. */
char     *bi_access_token_load        (void);

/* Stores @token (NULL or "" removes it) in a worker thread. */
void      bi_access_token_save_async  (const char           *token,
                                       GCancellable         *cancellable,
                                       GAsyncReadyCallback   callback,
                                       gpointer              user_data);
gboolean  bi_access_token_save_finish (GAsyncResult         *result,
                                       GError              **error);

G_END_DECLS
