/* bi-textract-engine.h — Textract DetectDocumentText and the BiOcrEngine adapter over it
 *
 * The photo goes as bytes (JPEG or PNG, at most 10 MB: Textract's synchronous limit). Each
 * LINE block becomes a BiOcrLine: its text, confidence/100, and its BoundingBox (fractions of
 * the image sent) turned by the photo's EXIF orientation and scaled to the size read from
 * its header (bi-image-header.h): pixels of the photo as shown, as ARCHITECTURE.md requires.
 * Textract is sent the stored pixel grid with the orientation tag set to 1, since it
 * documents its boxes relative to the input image and nothing about EXIF. The angle is the
 * reading direction of the line's polygon (turned the same way), to the nearest quarter turn:
 * 0 left→right, 90 top→bottom, 180 right→left, 270 bottom→top (a spine). No regions: lines
 * have region -1 and the candidate generator groups them.
 *
 * Errors: a photo Textract cannot read (not JPEG/PNG, too large, InvalidParameterException,
 * UnsupportedDocumentException, BadDocumentException, DocumentTooLargeException) is
 * BI_STAGE_ERROR_PERMANENT; anything else BI_STAGE_ERROR_TRANSIENT (the queue retries).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "bi-aws-client.h"
#include "bi-image-header.h"
#include "bi-ports.h"

G_BEGIN_DECLS

#define BI_TEXTRACT_MAX_DOCUMENT_BYTES (10 * 1024 * 1024)

/* The answer object of DetectDocumentText for @image. */
JsonNode      *bi_textract_detect_document_text (BiAwsClient  *client,
                                                 GBytes       *image,
                                                 GError      **error);
/* The LINE blocks of a DetectDocumentText @answer for the stored grid of the photo whose
 * header is @header, as lines in pixels of the photo as shown (its EXIF orientation applied). */
BiOcrResult   *bi_textract_result_from_answer   (JsonNode            *answer,
                                                 const BiImageHeader *header);

typedef struct _BiTextractEngine BiTextractEngine;

/* @client is borrowed. Thread-safe. */
BiTextractEngine *bi_textract_engine_new     (BiAwsClient      *client);
void              bi_textract_engine_free    (BiTextractEngine *self);
BiOcrEngine      *bi_textract_engine_as_port (BiTextractEngine *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiTextractEngine, bi_textract_engine_free)

G_END_DECLS
