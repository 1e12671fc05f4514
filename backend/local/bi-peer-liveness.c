/* bi-peer-liveness.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-peer-liveness"

#include "bi-peer-liveness.h"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <string.h>
#include <sys/socket.h>

void
bi_peer_liveness_init (BiPeerLiveness *self,
                       gint64          now_us)
{
  g_return_if_fail (self != NULL);

  self->last_frame_us = now_us;
  self->stalled_since_us = 0;
}

void
bi_peer_liveness_frame_received (BiPeerLiveness *self,
                                 gint64          now_us)
{
  g_return_if_fail (self != NULL);

  self->last_frame_us = now_us;
}

gboolean
bi_peer_liveness_update (BiPeerLiveness *self,
                         gint64          now_us,
                         guint           unacked,
                         gint64          last_ack_age_us,
                         gint64          timeout_us)
{
  gint64 last_ack_us;

  g_return_val_if_fail (self != NULL, FALSE);

  if (now_us - self->last_frame_us < timeout_us || unacked == 0)
    {
      self->stalled_since_us = 0;
      return FALSE;
    }

  /* Data is outstanding. We know it only since we first saw it (it may be older: that makes
   * us late, never early); an acknowledgement received after that shows the peer is there,
   * so the wait starts again from it. */
  last_ack_us = now_us - last_ack_age_us;
  if (self->stalled_since_us == 0)
    self->stalled_since_us = now_us;
  else if (last_ack_us > self->stalled_since_us)
    self->stalled_since_us = last_ack_us;

  return now_us - self->stalled_since_us >= timeout_us;
}

gboolean
bi_peer_liveness_observe (GSocket *socket,
                          guint   *unacked,
                          gint64  *last_ack_age_us)
{
  struct tcp_info info;
  socklen_t length = sizeof info;

  g_return_val_if_fail (G_IS_SOCKET (socket), FALSE);
  g_return_val_if_fail (unacked != NULL && last_ack_age_us != NULL, FALSE);

  memset (&info, 0, sizeof info);
  if (getsockopt (g_socket_get_fd (socket), IPPROTO_TCP, TCP_INFO, &info, &length) != 0)
    return FALSE;

  *unacked = info.tcpi_unacked;
  *last_ack_age_us = (gint64) info.tcpi_last_ack_recv * G_TIME_SPAN_MILLISECOND;
  return TRUE;
}
