/* bi-metrics.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-metrics"

#include "bi-metrics.h"

#include <stdlib.h>
#include <string.h>

struct _BiMetrics
{
  guint64     pushes;               /* pushes handed to a connection's send queue */
  guint64     push_failures;        /* pushes to a connection that was gone or closed */
  guint64     slow_consumers;       /* connections closed with 1008 for falling behind */
  guint64     dead_peers;           /* connections closed by the pong timeout */
  guint64     websocket_messages;   /* frames received from clients */
  guint64     websocket_errors;     /* frames answered with an error message */
  guint64     http_aborted;         /* requests abandoned by the client */
  GHashTable *http_requests;        /* "route\tstatus" → guint64 * count */
};

BiMetrics *
bi_metrics_new (void)
{
  BiMetrics *self = g_new0 (BiMetrics, 1);

  self->http_requests = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return self;
}

void
bi_metrics_free (BiMetrics *self)
{
  if (self == NULL)
    return;

  g_hash_table_unref (self->http_requests);
  g_free (self);
}

void
bi_metrics_count_push (BiMetrics *self,
                       gboolean   delivered)
{
  g_return_if_fail (self != NULL);

  if (delivered)
    self->pushes++;
  else
    self->push_failures++;
}

void
bi_metrics_count_slow_consumer (BiMetrics *self)
{
  g_return_if_fail (self != NULL);

  self->slow_consumers++;
}

void
bi_metrics_count_dead_peer (BiMetrics *self)
{
  g_return_if_fail (self != NULL);

  self->dead_peers++;
}

void
bi_metrics_count_websocket_message (BiMetrics *self,
                                    gboolean   rejected)
{
  g_return_if_fail (self != NULL);

  self->websocket_messages++;
  if (rejected)
    self->websocket_errors++;
}

void
bi_metrics_count_http_request (BiMetrics  *self,
                               const char *route,
                               guint       status)
{
  g_autofree char *key = NULL;
  guint64 *count;

  g_return_if_fail (self != NULL);
  g_return_if_fail (route != NULL);

  key = g_strdup_printf ("%s\t%u", route, status);
  count = g_hash_table_lookup (self->http_requests, key);
  if (count == NULL)
    {
      count = g_new0 (guint64, 1);
      g_hash_table_insert (self->http_requests, g_steal_pointer (&key), count);
    }
  (*count)++;
}

void
bi_metrics_count_http_aborted (BiMetrics *self)
{
  g_return_if_fail (self != NULL);

  self->http_aborted++;
}

static void
write_header (GString    *out,
              const char *name,
              const char *help,
              const char *type)
{
  g_string_append_printf (out, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void
write_counter (GString    *out,
               const char *name,
               const char *help,
               guint64     value)
{
  write_header (out, name, help, "counter");
  g_string_append_printf (out, "%s %" G_GUINT64_FORMAT "\n", name, value);
}

void
bi_metrics_write_gauge (GString    *out,
                        const char *name,
                        const char *help,
                        double      value)
{
  char number[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_if_fail (out != NULL && name != NULL && help != NULL);

  write_header (out, name, help, "gauge");
  g_string_append_printf (out, "%s %s\n", name, g_ascii_dtostr (number, sizeof number, value));
}

void
bi_metrics_write_queue_depths (GString            *out,
                               BiSqliteQueue      *queue,
                               const char * const *queue_names)
{
  g_return_if_fail (out != NULL && queue != NULL && queue_names != NULL);

  write_header (out, "bookimg_queue_depth", "Messages waiting or in flight in a queue.", "gauge");
  for (guint i = 0; queue_names[i] != NULL; i++)
    g_string_append_printf (out, "bookimg_queue_depth{queue=\"%s\"} %u\n", queue_names[i],
                            bi_sqlite_queue_depth (queue, queue_names[i]));

  write_header (out, "bookimg_dead_letter_depth",
                "Messages in a queue's dead-letter queue.", "gauge");
  for (guint i = 0; queue_names[i] != NULL; i++)
    g_string_append_printf (out, "bookimg_dead_letter_depth{queue=\"%s\"} %u\n", queue_names[i],
                            bi_sqlite_queue_dead_letter_depth (queue, queue_names[i]));
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static void
write_http_requests (BiMetrics *self,
                     GString   *out)
{
  g_autofree gpointer *keys = NULL;
  guint n_keys = 0;

  write_header (out, "bookimg_http_requests_total", "HTTP requests answered, by route and status.",
                "counter");
  /* Sorted, so that the page is stable between scrapes and easy to read. */
  keys = g_hash_table_get_keys_as_array (self->http_requests, &n_keys);
  qsort (keys, n_keys, sizeof (gpointer), compare_strings);
  for (guint i = 0; i < n_keys; i++)
    {
      const char *key = keys[i];
      const char *tab = strchr (key, '\t');
      guint64 *count = g_hash_table_lookup (self->http_requests, key);

      g_string_append_printf (out, "bookimg_http_requests_total{route=\"%.*s\",status=\"%s\"} %"
                              G_GUINT64_FORMAT "\n", (int) (tab - key), key, tab + 1, *count);
    }
}

void
bi_metrics_write (BiMetrics *self,
                  GString   *out)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (out != NULL);

  write_counter (out, "bookimg_pushes_total",
                 "Messages pushed to subscribed WebSocket connections.", self->pushes);
  write_counter (out, "bookimg_push_failures_total",
                 "Pushes that failed because the connection was gone or closed.",
                 self->push_failures);
  write_counter (out, "bookimg_slow_consumers_closed_total",
                 "Connections closed (1008) because their send queue passed the limit.",
                 self->slow_consumers);
  write_counter (out, "bookimg_dead_peers_closed_total",
                 "Connections closed because the peer stopped acknowledging data.",
                 self->dead_peers);
  write_counter (out, "bookimg_websocket_messages_received_total",
                 "WebSocket frames received from clients.", self->websocket_messages);
  write_counter (out, "bookimg_websocket_message_errors_total",
                 "WebSocket frames answered with an error message.", self->websocket_errors);
  write_counter (out, "bookimg_http_requests_aborted_total",
                 "HTTP requests the client abandoned before the answer (e.g. cut uploads).",
                 self->http_aborted);
  write_http_requests (self, out);
}
