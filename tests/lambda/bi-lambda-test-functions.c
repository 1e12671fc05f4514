/* bi-lambda-test-functions.c — AWS mode's functions and the event sources between them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-lambda-test-functions"

#include "bi-lambda-test-functions.h"

#include "bi-aws-error.h"
#include "bi-s3-client.h"

/* Far more than the pipeline takes (about a second): only a stuck pipeline reaches it. */
#define PIPELINE_LIMIT_US (30 * G_USEC_PER_SEC)

void
bi_lambda_test_functions_start (BiLambdaTestFunctions *functions,
                                BiLambdaTestWorld     *world,
                                const char * const    *extra)
{
  functions->world = world;
  functions->published = 0;
  functions->http_api = bi_lambda_test_world_function (world, "http-api", extra);
  functions->connection_manager = bi_lambda_test_world_function (world, "connection-manager",
                                                                 extra);
  functions->upload_handler = bi_lambda_test_world_function (world, "upload-handler", extra);
  functions->textract_processor = bi_lambda_test_world_function (world, "textract-processor",
                                                                 extra);
  functions->bedrock_processor = bi_lambda_test_world_function (world, "bedrock-processor",
                                                                extra);
  functions->book_validator = bi_lambda_test_world_function (world, "book-validator", extra);
  functions->sns_notifier = bi_lambda_test_world_function (world, "sns-notifier", extra);
}

void
bi_lambda_test_functions_stop (BiLambdaTestFunctions *functions)
{
  g_clear_pointer (&functions->http_api, bi_lambda_test_runtime_free);
  g_clear_pointer (&functions->connection_manager, bi_lambda_test_runtime_free);
  g_clear_pointer (&functions->upload_handler, bi_lambda_test_runtime_free);
  g_clear_pointer (&functions->textract_processor, bi_lambda_test_runtime_free);
  g_clear_pointer (&functions->bedrock_processor, bi_lambda_test_runtime_free);
  g_clear_pointer (&functions->book_validator, bi_lambda_test_runtime_free);
  g_clear_pointer (&functions->sns_notifier, bi_lambda_test_runtime_free);
}

/* The stored object @key of the uploads bucket, asked for until it is there. Each try is a
 * round trip to s3rver, which paces the loop; the limit only catches an upload that never
 * comes. */
static GBytes *
wait_for_upload (BiLambdaTestWorld *world,
                 const char        *key)
{
  gint64 limit = g_get_monotonic_time () + PIPELINE_LIMIT_US;

  while (TRUE)
    {
      g_autoptr(GError) error = NULL;
      GBytes *stored = bi_s3_get_object (world->s3_client, BI_LAMBDA_TEST_UPLOADS, key, &error);

      if (stored != NULL)
        return stored;
      if (!g_error_matches (error, BI_AWS_ERROR, BI_AWS_ERROR_NOT_FOUND))
        g_error ("Could not read the upload %s from s3rver: %s", key, error->message);
      if (g_get_monotonic_time () > limit)
        g_error ("The upload %s did not reach s3rver in %d s", key,
                 (int) (PIPELINE_LIMIT_US / G_USEC_PER_SEC));
    }
}

void
bi_lambda_test_functions_notify_upload (BiLambdaTestFunctions *functions,
                                        const char            *key)
{
  g_autoptr(GBytes) stored = wait_for_upload (functions->world, key);
  g_autofree char *size = g_strdup_printf ("%" G_GSIZE_FORMAT, g_bytes_get_size (stored));
  /* S3 URL-encodes the key in its events (a job id and a plain file name stay as they are). */
  g_autofree char *event_key = g_uri_escape_string (key, "/", FALSE);
  const char *subs[] = { "BUCKET", BI_LAMBDA_TEST_UPLOADS, "KEY", event_key, "SIZE", size,
                         NULL };
  g_autofree char *event = bi_lambda_test_event ("s3-put.json", subs);
  g_autoptr(BiLambdaTestOutcome) outcome = bi_lambda_test_runtime_invoke (
                                             functions->upload_handler, event, 10000);

  g_assert_false (outcome->failed);
}

guint
bi_lambda_test_functions_deliver_published (BiLambdaTestFunctions *functions)
{
  g_auto(GStrv) messages = bi_lambda_test_world_published (functions->world,
                                                           functions->published,
                                                           &functions->published);
  guint n = g_strv_length (messages);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *inside = bi_lambda_test_json_string_inside (messages[i]);
      const char *subs[] = { "MESSAGE", inside, NULL };
      g_autofree char *event = bi_lambda_test_event ("sns-notification.json", subs);
      g_autoptr(BiLambdaTestOutcome) outcome = bi_lambda_test_runtime_invoke (
                                                 functions->sns_notifier, event, 10000);

      g_assert_false (outcome->failed);
    }
  return n;
}

void
bi_lambda_test_functions_run_pipeline (BiLambdaTestFunctions *functions)
{
  BiLambdaTestWorld *world = functions->world;
  gint64 limit = g_get_monotonic_time () + PIPELINE_LIMIT_US;
  guint moved;

  do
    {
      moved = bi_lambda_test_world_deliver (world, BI_LAMBDA_TEST_QUEUE_OCR,
                                            functions->textract_processor);
      moved += bi_lambda_test_world_deliver (world, BI_LAMBDA_TEST_QUEUE_CANDIDATES,
                                             functions->bedrock_processor);
      moved += bi_lambda_test_world_deliver (world, BI_LAMBDA_TEST_QUEUE_VALIDATION,
                                             functions->book_validator);
      moved += bi_lambda_test_functions_deliver_published (functions);
      if (g_get_monotonic_time () > limit)
        g_error ("The pipeline still moved after %d s; see the functions' log.",
                 (int) (PIPELINE_LIMIT_US / G_USEC_PER_SEC));
    }
  while (moved > 0);
}
