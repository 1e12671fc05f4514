/* bi-allocator.h — small blocks from malloc, not GSlice, on GLib before 2.76
 *
 * GLib 2.74 (Debian 12) hands out small blocks (GHashTable nodes, Pango's layout lines, list
 * links) from GSlice's magazines, and the first free after 15 s gives back every magazine
 * older than that, chunk by chunk: in the desktop app a keystroke in the search that freed a
 * screen of cell layouts held the main loop for 20–25 ms, where it takes 6 ms with malloc
 * (docs/benchmarks.md). GLib 2.76 removed GSlice (g_slice_* is malloc there). G_SLICE is read
 * once, while GLib loads, before main() runs: the process starts itself again with
 * G_SLICE=always-malloc, as the launchers of Firefox and LibreOffice set it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void bi_allocator_use_malloc (char **argv);

G_END_DECLS
