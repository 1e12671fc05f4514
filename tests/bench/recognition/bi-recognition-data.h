/* bi-recognition-data.h — where the recognition benchmark finds the shared test data
 *
 * The catalogs and real photos are not in the repository: they are read from the directory
 * named by BOOKIMG_SHARED_DATA (meson sets it for tests and benchmarks), never from a path of
 * one machine.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* $BOOKIMG_SHARED_DATA, or NULL with an error saying how to set it. */
char  *bi_recognition_shared_data_dir   (GError **error);

/* The two catalog files (goodbooks-10k.tsv, llabres-library.csv), checked to exist. */
GStrv  bi_recognition_catalog_files     (GError **error);

/* The directory of the real shelf photos and their ground-truth.tsv. */
char  *bi_recognition_real_photos_dir   (GError **error);

G_END_DECLS
