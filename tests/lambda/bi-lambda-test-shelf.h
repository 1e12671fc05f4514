/* bi-lambda-test-shelf.h — the shelf photo the AWS-mode tests scan, and Textract reading it
 *
 * Three spines drawn by bi-test-images (two read downwards, one upwards) whose books are in
 * the starter catalog. Textract is played: its stand-in answers DetectDocumentText for
 * exactly this photo with the documented JSON of the lines drawn on it (a title and an author
 * per spine, with their polygons), and refuses any other document, so a photo mangled on its
 * way through S3 fails the test where it happened.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bi-aws-test-utils.h"

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* The books the photo shows, left to right, as the final results' titles joined with ";". */
#define BI_LAMBDA_TEST_SHELF_TITLES "The Hobbit;Dune;Emma"

/* The photo as PNG, rendered at the first call (not thread-safe: call it before starting
 * threads that may). */
GBytes          *bi_lambda_test_shelf_photo       (void);

/* A BiAwsTestHandler for the world: Textract's DetectDocumentText of the shelf photo. */
BiAwsTestAnswer  bi_lambda_test_shelf_textract_cb (const BiAwsTestRequest *request,
                                                   guint                   index,
                                                   gpointer                user_data);

/* The titles of @results' books (final results), in their order, joined with ";". */
char            *bi_lambda_test_shelf_titles      (JsonNode               *results);

G_END_DECLS
