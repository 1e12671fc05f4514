/* bi-job-row.h — a row of the jobs list: thumbnail, photo name, live state, Retry
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "bi-photo-item.h"

G_BEGIN_DECLS

#define BI_TYPE_JOB_ROW (bi_job_row_get_type ())
G_DECLARE_FINAL_TYPE (BiJobRow, bi_job_row, BI, JOB_ROW, GtkBox)

GtkWidget   *bi_job_row_new      (void);
BiPhotoItem *bi_job_row_get_item (BiJobRow    *self);
/* Shows @item (NULL: nothing) and follows its changes. */
void         bi_job_row_set_item (BiJobRow    *self,
                                  BiPhotoItem *item);

G_END_DECLS
