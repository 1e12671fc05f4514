/* main.c — the bookimg desktop app
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "bi-allocator.h"
#include "bi-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(BiApplication) application = NULL;

  bi_allocator_use_malloc (argv);
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  application = bi_application_new ();
  return g_application_run (G_APPLICATION (application), argc, argv);
}
