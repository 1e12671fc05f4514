/* bi-tesseract-engine.h — the OCR engine port on Tesseract (embedded mode)
 *
 * Reads the lines of text in a photo of spines or a cover. Spines are mostly vertical text, in
 * either direction, so the photo is read upright and turned a quarter each way; for each place
 * in the photo the most confident reading wins. Boxes are reported in pixels of the photo as
 * shown (after its EXIF orientation), and each line's angle is the clockwise turn, in degrees
 * (0, 90, 180 or 270), that makes its text upright. On a library shelf, where the spines carry
 * call-number labels too small for the whole-photo reading, the band of labels of each shelf
 * row is read again at full size (bi-label-band.h).
 *
 * Not thread-safe: Tesseract's engine is not. Create one engine per worker thread and use it
 * from that thread only (creating engines from several threads at once is safe).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

#include "bi-ports.h"

G_BEGIN_DECLS

#define BI_TESSERACT_ENGINE_ERROR (bi_tesseract_engine_error_quark ())

typedef enum
{
  BI_TESSERACT_ENGINE_ERROR_INVALID_LANGUAGES, /* not of the form "eng" or "eng+deu" */
  BI_TESSERACT_ENGINE_ERROR_MISSING_DATA,      /* a traineddata file (language or osd) is missing */
  BI_TESSERACT_ENGINE_ERROR_INIT,              /* Tesseract refused to start for another reason */
} BiTesseractEngineError;

GQuark bi_tesseract_engine_error_quark (void);

typedef struct _BiTesseractEngine BiTesseractEngine;

/* Checks that @languages (codes joined by "+", NULL for the default) is well formed and that
 * its data and the orientation data are installed; the error names the package to install. */
gboolean           bi_tesseract_engine_check_languages (const char  *languages,
                                                        GError     **error);

/* $BOOKIMG_OCR_LANGUAGES, or NULL (the default languages) when it is unset or empty. */
const char        *bi_tesseract_engine_languages_from_environment (void);

/* @languages: Tesseract language codes joined by "+", NULL for "eng". Fails when the language
 * data or the orientation data (package tesseract-ocr-osd) is not installed. */
BiTesseractEngine *bi_tesseract_engine_new          (const char          *languages,
                                                     GError             **error);
void               bi_tesseract_engine_free         (BiTesseractEngine   *self);

/* The engine as a port for BiStagePorts.ocr_engine; owned by @self. */
BiOcrEngine       *bi_tesseract_engine_as_port      (BiTesseractEngine   *self);

/* Longest side photos are reduced to before reading (0: BI_IMAGE_LOADER_DEFAULT_MAX_SIDE). */
void               bi_tesseract_engine_set_max_side (BiTesseractEngine   *self,
                                                     int                  max_side);

/* Whether the photo's lines are grouped into spine and cover regions, one book each (the
 * default), or all left outside any region (-1): the reading is the same either way. */
void               bi_tesseract_engine_set_find_regions (BiTesseractEngine *self,
                                                         gboolean           find_regions);

/* How many bands of call-number labels the last photo read had read again at full size (0
 * for a photo that is not of a library shelf; bi-label-band.h). */
guint              bi_tesseract_engine_get_n_label_bands (BiTesseractEngine *self);

/* The port's operation: NULL with BI_STAGE_ERROR_PERMANENT for a photo that cannot be decoded,
 * BI_STAGE_ERROR_TRANSIENT when Tesseract fails on a decoded one. */
BiOcrResult       *bi_tesseract_engine_recognize    (BiTesseractEngine   *self,
                                                     GBytes              *image,
                                                     GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiTesseractEngine, bi_tesseract_engine_free)

G_END_DECLS
