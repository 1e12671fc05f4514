/* test-peer-liveness.c — the pong timeout's decision, on made-up and on real TCP state
 *
 * A peer that vanished cannot be staged on loopback (the kernel acknowledges for any process),
 * so the decision is fed the figures TCP_INFO would give.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "bi-peer-liveness.h"

#define SECOND ((gint64) G_USEC_PER_SEC)
#define TIMEOUT (10 * SECOND)
#define START (1000 * SECOND)

static void
test_idle_peer_lives (void)
{
  BiPeerLiveness liveness;

  bi_peer_liveness_init (&liveness, START);
  /* Nothing outstanding for an hour: quiet, not dead. */
  for (gint64 t = START; t < START + 3600 * SECOND; t += 5 * SECOND)
    g_assert_false (bi_peer_liveness_update (&liveness, t, 0, t - START, TIMEOUT));
}

static void
test_unacknowledged_data_kills (void)
{
  BiPeerLiveness liveness;
  gint64 ping = START + 30 * SECOND;

  bi_peer_liveness_init (&liveness, START);
  /* A ping at `ping` is never acknowledged; the last acknowledgement is from START. */
  g_assert_false (bi_peer_liveness_update (&liveness, ping, 1, ping - START, TIMEOUT));
  g_assert_false (bi_peer_liveness_update (&liveness, ping + TIMEOUT - 1, 1,
                                           ping + TIMEOUT - 1 - START, TIMEOUT));
  g_assert_true (bi_peer_liveness_update (&liveness, ping + TIMEOUT, 1, ping + TIMEOUT - START,
                                          TIMEOUT));
}

static void
test_first_sight_is_not_the_start (void)
{
  BiPeerLiveness liveness;
  gint64 first_seen = START + 60 * SECOND;

  bi_peer_liveness_init (&liveness, START);
  /* The last acknowledgement is a minute old when the outstanding data is first seen: the
   * data may be new (a ping just sent), so the wait counts from now, not from that ack. */
  g_assert_false (bi_peer_liveness_update (&liveness, first_seen, 1, 60 * SECOND, TIMEOUT));
  g_assert_false (bi_peer_liveness_update (&liveness, first_seen + SECOND, 0, 0, TIMEOUT));
}

static void
test_acknowledgements_show_life (void)
{
  BiPeerLiveness liveness;

  bi_peer_liveness_init (&liveness, START);
  /* A long transfer: always something outstanding, but acknowledgements keep coming. */
  for (gint64 t = START + 20 * SECOND; t < START + 300 * SECOND; t += 2 * SECOND)
    g_assert_false (bi_peer_liveness_update (&liveness, t, 4, SECOND / 2, TIMEOUT));
}

static void
test_frames_show_life (void)
{
  BiPeerLiveness liveness;
  gint64 t = START + 30 * SECOND;

  bi_peer_liveness_init (&liveness, START);
  g_assert_false (bi_peer_liveness_update (&liveness, t, 1, 30 * SECOND, TIMEOUT));
  /* No acknowledgement (odd, but possible through some middleboxes), yet frames come. */
  bi_peer_liveness_frame_received (&liveness, t + 8 * SECOND);
  g_assert_false (bi_peer_liveness_update (&liveness, t + 15 * SECOND, 1, 45 * SECOND, TIMEOUT));
  /* Then the frames stop too. */
  g_assert_false (bi_peer_liveness_update (&liveness, t + 20 * SECOND, 1, 50 * SECOND, TIMEOUT));
  g_assert_true (bi_peer_liveness_update (&liveness, t + 30 * SECOND, 1, 60 * SECOND, TIMEOUT));
}

static void
test_observe_real_socket (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocket) listener = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                              G_SOCKET_PROTOCOL_TCP, &error);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any_port = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GSocket) client = NULL;
  g_autoptr(GSocket) accepted = NULL;
  guint unacked = 99;
  gint64 last_ack_age_us = -1;

  g_assert_no_error (error);
  g_socket_bind (listener, any_port, TRUE, &error);
  g_assert_no_error (error);
  g_socket_listen (listener, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (listener, &error);
  g_assert_no_error (error);

  client = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP,
                         &error);
  g_assert_no_error (error);
  g_socket_connect (client, bound, NULL, &error);
  g_assert_no_error (error);
  accepted = g_socket_accept (listener, NULL, &error);
  g_assert_no_error (error);

  /* Nothing sent: nothing outstanding. */
  g_assert_true (bi_peer_liveness_observe (accepted, &unacked, &last_ack_age_us));
  g_assert_cmpuint (unacked, ==, 0);
  g_assert_cmpint (last_ack_age_us, >=, 0);

  /* Not a TCP socket: the kernel has nothing to say. */
  {
    g_autoptr(GSocket) datagram = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_DATAGRAM,
                                                G_SOCKET_PROTOCOL_UDP, &error);

    g_assert_no_error (error);
    g_assert_false (bi_peer_liveness_observe (datagram, &unacked, &last_ack_age_us));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bookimg/peer-liveness/idle-peer-lives", test_idle_peer_lives);
  g_test_add_func ("/bookimg/peer-liveness/unacknowledged-data-kills",
                   test_unacknowledged_data_kills);
  g_test_add_func ("/bookimg/peer-liveness/first-sight", test_first_sight_is_not_the_start);
  g_test_add_func ("/bookimg/peer-liveness/acknowledgements-show-life",
                   test_acknowledgements_show_life);
  g_test_add_func ("/bookimg/peer-liveness/frames-show-life", test_frames_show_life);
  g_test_add_func ("/bookimg/peer-liveness/observe-real-socket", test_observe_real_socket);

  return g_test_run ();
}
