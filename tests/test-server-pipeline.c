/* test-server-pipeline.c — photos through the whole embedded pipeline, and a crash in the middle
 *
 * A rendered shelf photo whose titles are in a catalog file the test writes goes in; the
 * validated books come back over the WebSocket. Real Tesseract, real queues, real process.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <string.h>

#include "bi-job-id.h"
#include "bi-test-images.h"
#include "bi-test-server.h"

#define SHELF_WIDTH  600
#define SHELF_HEIGHT 800

static const BiTestSpine shelf[] = {
  { "THE HOBBIT", "TOLKIEN", 0x1f3a5f, 0xf5f0e1, 90 },
  { "DUNE", "FRANK HERBERT", 0xe8c872, 0x202020, 270 },
  { "EMMA", "JANE AUSTEN", 0x7a1f2b, 0xffffff, 90 },
};

static const char catalog[] =
  "book_id\ttitle\toriginal_title\tauthors\tyear\tisbn10\tisbn13\n"
  "1\tThe Hobbit\tThe Hobbit\tJ.R.R. Tolkien\t1937\t0618260307\t9780618260300\n"
  "2\tDune\tDune\tFrank Herbert\t1965\t0441172717\t9780441172719\n"
  "3\tEmma\tEmma\tJane Austen\t1815\t0141439580\t9780141439587\n"
  "4\tThe Hunger Games\tThe Hunger Games\tSuzanne Collins\t2008\t0439023483\t9780439023481\n";

static BiTestServer *server;
static SoupSession *session;
static char *catalog_path;
static GBytes *shelf_photo;

static void
upload (BiTestServer *target,
        const char   *job_id,
        const char   *content_type,
        GBytes       *photo)
{
  g_autofree char *url = bi_test_upload_url (session, target, job_id, "shelf.png", content_type);
  g_autoptr(BiTestResponse) response = bi_test_http (session, "PUT", url, content_type, photo);

  g_assert_cmpuint (response->status, ==, 200);
}

/* TRUE when @results lists a catalog book titled @title. */
static gboolean
has_book (JsonNode   *results,
          const char *title)
{
  JsonArray *books = json_object_get_array_member (json_node_get_object (results), "books");

  for (guint i = 0; i < json_array_get_length (books); i++)
    {
      JsonObject *book = json_array_get_object_element (books, i);

      if (g_strcmp0 (json_object_get_string_member (book, "title"), title) == 0
          && g_strcmp0 (json_object_get_string_member (book, "source"), "catalog") == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
is_ocr_started (const BiServerMessage *message,
                gpointer               user_data)
{
  return message->type == BI_SERVER_MESSAGE_JOB_PROGRESS
         && g_strcmp0 (message->job_id, user_data) == 0
         && g_strcmp0 (message->stage, "ocr") == 0 && !message->finished;
}

static void
test_full_scan (void)
{
  g_autofree char *job_id = bi_job_id_new ();
  g_autofree char *results_url = g_strconcat (bi_test_server_get_url (server), "/results/",
                                              job_id, NULL);
  g_autoptr(BiTestWebsocket) first = bi_test_websocket_connect (session, server);
  g_autoptr(BiTestWebsocket) second = bi_test_websocket_connect (session, server);
  g_autoptr(BiTestWebsocket) late = NULL;
  g_autoptr(BiServerMessage) started = NULL;
  g_autoptr(BiServerMessage) complete = NULL;
  g_autoptr(BiServerMessage) also_complete = NULL;
  g_autoptr(BiServerMessage) late_complete = NULL;
  g_autoptr(BiTestResponse) results = NULL;

  /* Subscribe first, then upload: the original design's order. */
  bi_test_websocket_subscribe (first, job_id);
  bi_test_websocket_subscribe (second, job_id);
  upload (server, job_id, "image/png", shelf_photo);

  started = bi_test_websocket_wait_for (first, is_ocr_started, job_id, "OCR to start");
  complete = bi_test_websocket_wait_for_type (first, BI_SERVER_MESSAGE_PROCESSING_COMPLETE,
                                              job_id);
  also_complete = bi_test_websocket_wait_for_type (second,
                                                   BI_SERVER_MESSAGE_PROCESSING_COMPLETE, job_id);
  g_assert_cmpint (complete->seq, >, started->seq);
  g_assert_cmpint (complete->seq, ==, also_complete->seq);
  g_assert_true (has_book (complete->results, "The Hobbit"));
  g_assert_true (has_book (complete->results, "Dune"));
  /* Progress of every stage came before the result. */
  g_assert_cmpuint (bi_test_websocket_count_type (first, BI_SERVER_MESSAGE_JOB_PROGRESS), >=, 6);

  /* A subscriber that comes after the end is answered from the store at once. */
  late = bi_test_websocket_connect (session, server);
  bi_test_websocket_subscribe (late, job_id);
  late_complete = bi_test_websocket_wait_for_type (late, BI_SERVER_MESSAGE_PROCESSING_COMPLETE,
                                                   job_id);
  g_assert_cmpint (late_complete->seq, ==, complete->seq);

  results = bi_test_http (session, "GET", results_url, NULL, NULL);
  g_assert_cmpuint (results->status, ==, 200);
  g_assert_nonnull (strstr (results->body, "\"status\":\"complete\""));
  g_assert_nonnull (strstr (results->body, "The Hobbit"));
}

static void
test_undecodable_photo (void)
{
  g_autofree char *job_id = bi_job_id_new ();
  g_autoptr(BiTestWebsocket) client = bi_test_websocket_connect (session, server);
  g_autoptr(GByteArray) data = g_byte_array_new ();
  g_autoptr(GBytes) broken = NULL;
  g_autoptr(BiServerMessage) failed = NULL;

  /* A PNG signature (so the upload is accepted) followed by noise. */
  g_byte_array_append (data, (const guint8 *) "\x89PNG\r\n\x1a\n", 8);
  for (guint i = 0; i < 1024; i++)
    {
      guint8 noise = (guint8) g_test_rand_int_range (0, 256);

      g_byte_array_append (data, &noise, 1);
    }
  broken = g_byte_array_free_to_bytes (g_steal_pointer (&data));

  bi_test_websocket_subscribe (client, job_id);
  upload (server, job_id, "image/png", broken);
  failed = bi_test_websocket_wait_for_type (client, BI_SERVER_MESSAGE_PROCESSING_FAILED, job_id);
  g_assert_cmpstr (failed->stage, ==, "ocr");
  g_assert_cmpstr (failed->error_message, !=, "");
}

static void
test_crash_mid_pipeline (void)
{
  const char *held[] = { "--catalog", catalog_path, "--ocr-workers", "1",
                         "--test-hold-stage", "ocr", NULL };
  const char *normal[] = { "--catalog", catalog_path, "--ocr-workers", "1", NULL };
  g_autoptr(BiTestServer) crashing = bi_test_server_new (held);
  g_autofree char *job_id = bi_job_id_new ();
  g_autoptr(BiTestWebsocket) before = bi_test_websocket_connect (session, crashing);
  g_autoptr(BiTestWebsocket) after = NULL;
  g_autoptr(BiServerMessage) started = NULL;
  g_autoptr(BiServerMessage) complete = NULL;

  bi_test_websocket_subscribe (before, job_id);
  upload (crashing, job_id, "image/png", shelf_photo);
  started = bi_test_websocket_wait_for (before, is_ocr_started, job_id, "OCR to start");

  /* Killed in the middle of OCR: the message is in flight, nothing was acknowledged. */
  bi_test_server_kill (crashing);
  bi_test_websocket_wait_closed (before);

  bi_test_server_restart (crashing, normal);
  after = bi_test_websocket_connect (session, crashing);
  bi_test_websocket_subscribe (after, job_id);
  complete = bi_test_websocket_wait_for_type (after, BI_SERVER_MESSAGE_PROCESSING_COMPLETE,
                                              job_id);
  g_assert_cmpint (complete->seq, >, started->seq);
  g_assert_true (has_book (complete->results, "The Hobbit"));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);

  catalog_path = bi_test_write_temp_file (".tsv", catalog);
  shelf_photo = bi_test_image_render_spines (shelf, G_N_ELEMENTS (shelf), SHELF_WIDTH,
                                             SHELF_HEIGHT, "png", &error);
  g_assert_no_error (error);
  {
    const char *args[] = { "--catalog", catalog_path, "--ocr-workers", "1", NULL };

    server = bi_test_server_new (args);
  }
  session = soup_session_new ();

  g_test_add_func ("/bookimg/server-pipeline/full-scan", test_full_scan);
  g_test_add_func ("/bookimg/server-pipeline/undecodable-photo", test_undecodable_photo);
  g_test_add_func ("/bookimg/server-pipeline/crash-mid-pipeline", test_crash_mid_pipeline);

  status = g_test_run ();

  g_clear_object (&session);
  g_clear_pointer (&server, bi_test_server_free);
  g_clear_pointer (&shelf_photo, g_bytes_unref);
  g_unlink (catalog_path);
  g_free (catalog_path);
  return status;
}
