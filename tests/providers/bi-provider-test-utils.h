/* bi-provider-test-utils.h — what the online catalog tests share: fixtures and result checks
 *
 * The services' recorded answers live in tests/providers/fixtures/ and are played by the
 * shared scripted server (tests/bi-test-http-server.h).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bi-ports.h"
#include "bi-provider-client.h"
#include "bi-test-clock.h"
#include "bi-test-http-server.h"

G_BEGIN_DECLS

/* The wall time, in seconds since the epoch, at which the tests' fake clocks start. */
#define BI_PROVIDER_TEST_START_SECONDS 1700000000

/* Starts @clock at BI_PROVIDER_TEST_START_SECONDS and gives it to @config. */
void              bi_provider_test_start_clock   (BiTestClock      *clock,
                                                  BiProviderConfig *config);
/* A new scripted server on loopback, with @config's base URL pointed at it. */
BiTestHttpServer *bi_provider_test_start_server  (BiProviderConfig *config);
/* Frees @server and clears @clock: the tear-down matching the two above. */
void              bi_provider_test_stop          (BiTestHttpServer *server,
                                                  BiTestClock      *clock);

/* Queues on @server the answer @status with tests/providers/fixtures/@name as its body (the
 * test fails when the file is missing). */
void          bi_provider_test_queue_fixture (BiTestHttpServer *server,
                                              guint             status,
                                              const char       *name);

/* The book with @source_id among @books (of BiBook), or NULL. */
const BiBook *bi_provider_test_find_book     (GPtrArray        *books,
                                              const char       *source_id);
/* The same, but the test fails without one. */
const BiBook *bi_provider_test_get_book      (GPtrArray        *books,
                                              const char       *source_id);
/* @catalog's answer to a search for @query (5 books at most); the test fails on an error. */
GPtrArray    *bi_provider_test_search        (BiCatalog        *catalog,
                                              const char       *query);

G_END_DECLS
