/* bi-peer-liveness.h — our pong timeout: is a WebSocket peer still there, by the kernel's word
 *
 * libsoup 3.2 sends keepalive pings but neither reports pongs nor times out. Rather than parse
 * frames ourselves, we ask the kernel: TCP_INFO says how many segments we sent are still
 * unacknowledged (tcpi_unacked) and how long ago the peer last acknowledged anything
 * (tcpi_last_ack_recv). A live peer acknowledges each ping within a round trip — even a client
 * that stops reading keeps acknowledging (closing that one is the send queue limit's job); a
 * vanished peer (cable pulled, laptop asleep, NAT entry dropped) acknowledges nothing. So a peer
 * is dead when data we sent has waited longer than the timeout without any acknowledgement and
 * no frame came from it meanwhile (any frame counts as life).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct
{
  gint64 last_frame_us;    /* monotonic time of the last frame received */
  gint64 stalled_since_us; /* monotonic time since which sent data has waited for an
                            * acknowledgement, as far as we saw; 0: nothing waits */
} BiPeerLiveness;

/* A peer that just connected counts as having just sent a frame. */
void     bi_peer_liveness_init           (BiPeerLiveness *self,
                                          gint64          now_us);
void     bi_peer_liveness_frame_received (BiPeerLiveness *self,
                                          gint64          now_us);

/* Takes one look at the connection: @unacked segments outstanding, the last acknowledgement
 * received @last_ack_age_us ago. TRUE when the peer is to be taken for dead. */
gboolean bi_peer_liveness_update         (BiPeerLiveness *self,
                                          gint64          now_us,
                                          guint           unacked,
                                          gint64          last_ack_age_us,
                                          gint64          timeout_us);

/* Reads those two figures from @socket's TCP_INFO; FALSE when the kernel does not say. */
gboolean bi_peer_liveness_observe        (GSocket        *socket,
                                          guint          *unacked,
                                          gint64         *last_ack_age_us);

G_END_DECLS
