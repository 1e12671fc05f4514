/* bi-test-display.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-test-display"

#include "bi-test-display.h"
#include "bi-test-store-utils.h"

#include <glib/gstdio.h>

static gboolean
frames_done_cb (gpointer user_data)
{
  guint *frames = user_data;

  return --(*frames) == 0 ? G_SOURCE_REMOVE : G_SOURCE_CONTINUE;
}

static gboolean
counter_zero (gpointer data)
{
  return *(guint *) data == 0;
}

void
bi_test_display_settle (void)
{
  guint frames = 6;

  g_timeout_add (30, frames_done_cb, &frames);
  bi_test_wait_until (counter_zero, &frames, 5, "the window to settle");
}

void
bi_test_display_save_screenshot (GtkWidget  *widget,
                                 const char *name)
{
  const char *dir = g_getenv ("BOOKIMG_SCREENSHOT_DIR");
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autofree char *path = NULL;
  int width = 0;
  int height = 0;

  bi_test_display_settle ();
  if (dir == NULL)
    return;
  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);

  paintable = gtk_widget_paintable_new (widget);
  /* A widget with a resize queued since the last frame (a thumbnail or a chunk of books just
   * arrived) draws nothing until the next layout: try again after it. */
  for (guint attempt = 0; node == NULL && attempt < 10; attempt++)
    {
      if (attempt > 0)
        bi_test_display_settle ();
      width = gtk_widget_get_width (widget);
      height = gtk_widget_get_height (widget);
      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, GDK_SNAPSHOT (snapshot), width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
    }
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  path = g_build_filename (dir, name, NULL);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

gboolean
bi_test_scanner_is_settled (gpointer scanner)
{
  BiScannerStatus status = bi_scanner_get_status (scanner);

  return status == BI_SCANNER_STATUS_READY || status == BI_SCANNER_STATUS_CONNECTED
         || status == BI_SCANNER_STATUS_OFFLINE;
}

static void
stopped_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  gboolean *done = user_data;

  g_assert_true (bi_scanner_stop_finish (BI_SCANNER (source), result, NULL));
  *done = TRUE;
}

static gboolean
flag_set (gpointer data)
{
  return *(gboolean *) data;
}

void
bi_test_scanner_stop (BiScanner *scanner)
{
  gboolean done = FALSE;

  bi_scanner_stop_async (scanner, NULL, stopped_cb, &done);
  g_assert_true (bi_test_iterate_until (flag_set, &done, 20));
}
