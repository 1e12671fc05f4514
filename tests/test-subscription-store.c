/* test-subscription-store.c — (jobId, connectionId) rows and their TTL, on a fake clock
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-protocol-error.h"
#include "bi-subscription-store.h"
#include "bi-test-store-utils.h"

#define JOB_A "job-1700000000000-aaaaaaaaaaaaaaaaaaaaaaaa"
#define JOB_B "job-1700000000000-bbbbbbbbbbbbbbbbbbbbbbbb"
#define TTL_MS 1000

typedef struct
{
  char                *dir;
  char                *path;
  BiTestClock          clock;
  BiSubscriptionStore *store;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = bi_test_temp_dir_new ();
  fixture->path = g_build_filename (fixture->dir, "bookimg.db", NULL);
  fixture->clock.now_ms = 1700000000000;
  fixture->store = bi_subscription_store_open (fixture->path, TTL_MS, &error);
  g_assert_no_error (error);
  bi_subscription_store_set_clock (fixture->store, bi_test_clock_now, &fixture->clock);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->store, bi_subscription_store_free);
  bi_test_temp_dir_remove (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static void
put (Fixture    *fixture,
     const char *job_id,
     const char *connection_id)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (bi_subscription_store_put (fixture->store, job_id, connection_id, &error));
  g_assert_no_error (error);
}

/* The live connections of @job_id, joined with commas. */
static char *
list (Fixture    *fixture,
      const char *job_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) connections = NULL;

  connections = bi_subscription_store_list_by_job (fixture->store, job_id, &error);
  g_assert_no_error (error);
  g_ptr_array_add (connections, NULL);
  return g_strjoinv (",", (char **) connections->pdata);
}

#define assert_listed(fixture, job_id, expected) \
  G_STMT_START { \
    g_autofree char *listed_ = list (fixture, job_id); \
    g_assert_cmpstr (listed_, ==, expected); \
  } G_STMT_END

static void
test_put_list_delete (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  put (fixture, JOB_A, "conn-2");
  put (fixture, JOB_A, "conn-1");
  put (fixture, JOB_A, "conn-1");
  put (fixture, JOB_B, "conn-1");
  assert_listed (fixture, JOB_A, "conn-1,conn-2");
  g_assert_cmpuint (bi_subscription_store_count (fixture->store), ==, 3);

  g_assert_true (bi_subscription_store_delete (fixture->store, JOB_A, "conn-1", &error));
  g_assert_no_error (error);
  assert_listed (fixture, JOB_A, "conn-2");
  assert_listed (fixture, JOB_B, "conn-1");

  g_assert_true (bi_subscription_store_delete_by_connection (fixture->store, "conn-1", &error));
  g_assert_no_error (error);
  assert_listed (fixture, JOB_B, "");
  assert_listed (fixture, JOB_A, "conn-2");
  g_assert_cmpuint (bi_subscription_store_count (fixture->store), ==, 1);

  /* Persistent: another connection to the file sees the same rows. */
  g_clear_pointer (&fixture->store, bi_subscription_store_free);
  fixture->store = bi_subscription_store_open (fixture->path, TTL_MS, &error);
  g_assert_no_error (error);
  bi_subscription_store_set_clock (fixture->store, bi_test_clock_now, &fixture->clock);
  assert_listed (fixture, JOB_A, "conn-2");
}

static void
test_expired_rows_ignored_then_swept (Fixture       *fixture,
                                      gconstpointer  data)
{
  put (fixture, JOB_A, "conn-old");
  fixture->clock.now_ms += TTL_MS / 2;
  put (fixture, JOB_A, "conn-new");

  fixture->clock.now_ms += TTL_MS / 2 - 1;
  assert_listed (fixture, JOB_A, "conn-new,conn-old");
  g_assert_cmpuint (bi_subscription_store_count (fixture->store), ==, 2);

  /* conn-old's hour is up: reads skip it before any sweep. */
  fixture->clock.now_ms += 1;
  assert_listed (fixture, JOB_A, "conn-new");
  g_assert_cmpuint (bi_subscription_store_count (fixture->store), ==, 1);

  g_assert_cmpuint (bi_subscription_store_sweep (fixture->store), ==, 1);
  g_assert_cmpuint (bi_subscription_store_sweep (fixture->store), ==, 0);
  assert_listed (fixture, JOB_A, "conn-new");
}

static void
test_put_refreshes_expiry (Fixture       *fixture,
                           gconstpointer  data)
{
  put (fixture, JOB_A, "conn-1");
  fixture->clock.now_ms += TTL_MS - 1;
  put (fixture, JOB_A, "conn-1");

  fixture->clock.now_ms += TTL_MS - 1;
  assert_listed (fixture, JOB_A, "conn-1");
  g_assert_cmpuint (bi_subscription_store_sweep (fixture->store), ==, 0);

  fixture->clock.now_ms += 1;
  assert_listed (fixture, JOB_A, "");
  g_assert_cmpuint (bi_subscription_store_sweep (fixture->store), ==, 1);
}

static void
test_rejects_bad_ids (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *too_long = g_strnfill (129, 'c');
  const char *bad_connections[] = { "", "a b", "tab\there", "caf\xc3\xa9", too_long };
  const char *bad_jobs[] = { "", "../x", "job-1-x" };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) listed = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (bad_connections); i++)
    {
      g_autoptr(GError) put_error = NULL;
      g_autoptr(GError) delete_error = NULL;

      g_assert_false (bi_subscription_store_put (fixture->store, JOB_A, bad_connections[i],
                                                 &put_error));
      g_assert_error (put_error, BI_SUBSCRIPTION_STORE_ERROR,
                      BI_SUBSCRIPTION_STORE_ERROR_BAD_CONNECTION_ID);
      g_assert_false (bi_subscription_store_delete_by_connection (fixture->store,
                                                                  bad_connections[i],
                                                                  &delete_error));
      g_assert_error (delete_error, BI_SUBSCRIPTION_STORE_ERROR,
                      BI_SUBSCRIPTION_STORE_ERROR_BAD_CONNECTION_ID);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad_jobs); i++)
    {
      g_autoptr(GError) put_error = NULL;

      g_assert_false (bi_subscription_store_put (fixture->store, bad_jobs[i], "conn-1",
                                                 &put_error));
      g_assert_error (put_error, BI_PROTOCOL_ERROR, BI_PROTOCOL_ERROR_BAD_JOB_ID);
    }
  listed = bi_subscription_store_list_by_job (fixture->store, "../x", &error);
  g_assert_null (listed);
  g_assert_error (error, BI_PROTOCOL_ERROR, BI_PROTOCOL_ERROR_BAD_JOB_ID);
  g_assert_cmpuint (bi_subscription_store_count (fixture->store), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/bookimg/subscriptions/" path, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)
  ADD ("put-list-delete", test_put_list_delete);
  ADD ("expired-rows-ignored-then-swept", test_expired_rows_ignored_then_swept);
  ADD ("put-refreshes-expiry", test_put_refreshes_expiry);
  ADD ("rejects-bad-ids", test_rejects_bad_ids);
#undef ADD

  return g_test_run ();
}
