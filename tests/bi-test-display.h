/* bi-test-display.h — what the display tests share: letting a window draw, and screenshots
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "bi-scanner.h"

G_BEGIN_DECLS

/* Lets the windows lay out and draw what changed (a few frames' worth of main-loop time). */
void bi_test_display_settle          (void);

/* Settles, then saves @widget as PNG @name in $BOOKIMG_SCREENSHOT_DIR (nothing when unset). */
void bi_test_display_save_screenshot (GtkWidget  *widget,
                                      const char *name);

/* BiTestCondition: the scanner has a backend to talk to, or knows it has none (ready,
 * connected or offline). */
gboolean bi_test_scanner_is_settled      (gpointer    scanner);

/* Stops @scanner (and its embedded server) and waits for it; fails the test when it cannot. */
void     bi_test_scanner_stop            (BiScanner  *scanner);

G_END_DECLS
