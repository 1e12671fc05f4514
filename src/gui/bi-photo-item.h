/* bi-photo-item.h — one photo of the library as the jobs list shows it
 *
 * A plain model: the photo, the job id it was scanned under, the job's state (BiScanJobState),
 * upload fraction, how many books it gave or why it failed, and its thumbnail. BiScanner keeps
 * it in step with the live BiScanJob or with what the library stored.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gtk/gtk.h>

#include "bi-scan-job.h"

G_BEGIN_DECLS

#define BI_TYPE_PHOTO_ITEM (bi_photo_item_get_type ())
G_DECLARE_FINAL_TYPE (BiPhotoItem, bi_photo_item, BI, PHOTO_ITEM, GObject)

BiPhotoItem    *bi_photo_item_new               (const char     *job_id,
                                                 const char     *photo_path);

const char     *bi_photo_item_get_job_id        (BiPhotoItem    *self);
void            bi_photo_item_set_job_id        (BiPhotoItem    *self,
                                                 const char     *job_id);
const char     *bi_photo_item_get_photo_path    (BiPhotoItem    *self);
const char     *bi_photo_item_get_photo_name    (BiPhotoItem    *self);
BiScanJobState  bi_photo_item_get_state         (BiPhotoItem    *self);
void            bi_photo_item_set_state         (BiPhotoItem    *self,
                                                 BiScanJobState  state);
gboolean        bi_photo_item_is_terminal       (BiPhotoItem    *self);
/* 0.0–1.0 of the upload. */
double          bi_photo_item_get_fraction      (BiPhotoItem    *self);
void            bi_photo_item_set_fraction      (BiPhotoItem    *self,
                                                 double          fraction);
guint           bi_photo_item_get_book_count    (BiPhotoItem    *self);
void            bi_photo_item_set_book_count    (BiPhotoItem    *self,
                                                 guint           book_count);
const char     *bi_photo_item_get_error_message (BiPhotoItem    *self);
void            bi_photo_item_set_error_message (BiPhotoItem    *self,
                                                 const char     *message);
GdkPaintable   *bi_photo_item_get_thumbnail     (BiPhotoItem    *self);
void            bi_photo_item_set_thumbnail     (BiPhotoItem    *self,
                                                 GdkPaintable   *thumbnail);
/* What the row says: "Uploading 40 %", "Reading text", "Done — 3 books", … (translated). */
const char     *bi_photo_item_get_status_text   (BiPhotoItem    *self);

/* The state named by bi_scan_job_state_to_string(), or QUEUED for an unknown name. */
BiScanJobState  bi_photo_item_parse_state       (const char     *name);

G_END_DECLS
