/* bench-fanout.c — notification fan-out benchmark for bookimg-server
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 *
 * For each client count N the benchmark starts a fresh server on a temporary data dir (and, when
 * `node` and the `ws` package are present, a Node `ws` peer in the same way) and measures:
 *   - connections accepted per second: first connect() to the last completed handshake;
 *   - server RSS per idle connection: (VmRSS after N idle connections - before) / N;
 *   - ping round trips per second: {"action":"ping"} -> {"type":"pong"}, one in flight per client;
 *   - "per-job": every client subscribed to its own jobs; "fan-out": all N subscribed to one job.
 *     Results are published with POST /@topic over keep-alive HTTP/1.1; publish-to-receive
 *     latency is measured per delivery with one publish in flight ("paced"), and pushes delivered
 *     per second over a burst with every publisher connection busy.
 * Every phase has a time cap and reports what it measured so far when the cap is reached.
 *
 * The clients are one thread on epoll, written directly on sockets: GLib's main loop polls every
 * descriptor on each iteration, so clients built on it would measure themselves rather than the
 * server once thousands of connections are open.  GLib is used here only for utilities.
 */
#define G_LOG_DOMAIN "bi-bench-fanout"
#define _GNU_SOURCE

#include <glib.h>
#include <glib/gstdio.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#define WEBSOCKET_GUID "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
#define NS_PER_SECOND G_GINT64_CONSTANT (1000000000)
#define NS_PER_MS G_GINT64_CONSTANT (1000000)
/* A push bigger than this is a protocol error here: our results are a few hundred bytes. */
#define MAX_MESSAGE_BYTES (1024 * 1024)
/* An HTTP response head bigger than this is not one of ours. */
#define MAX_HTTP_HEAD_BYTES (64 * 1024)
#define READ_CHUNK_BYTES 16384
#define EPOLL_BATCH 512
#define MAX_PUBLISHERS 64
/* Paced publishing: give up on a publish's missing deliveries after this long. */
#define PACED_PUBLISH_WAIT_NS (2 * NS_PER_SECOND)
/* Burst: once everything is published, wait this long for deliveries still on their way. */
#define BURST_DRAIN_NS (3 * NS_PER_SECOND)
#define SERVER_START_SECONDS 60
#define SERVER_STOP_SECONDS 10
/* Job ids: "job-<13 digits>-bench<phase><17 digits>" — the random part is 23 of [a-z0-9]. */
#define JOB_INDEX_DIGITS 17

/* ------------------------------------------------------------------------------------------ */
/* State                                                                                        */

typedef enum
{
  ENDPOINT_CLIENT,
  ENDPOINT_PUBLISHER,
  ENDPOINT_SERVER_OUTPUT,
} EndpointKind;

/* One socket or pipe in the epoll set, with its byte buffers. */
typedef struct
{
  EndpointKind kind;
  int          fd;       /* -1 when closed */
  guint32      events;   /* what epoll watches now, so an unchanged mask costs no syscall */
  guint8      *in;       /* received bytes not parsed yet: in[0..in_len) */
  gsize        in_len;
  gsize        in_cap;
  guint8      *out;      /* queued bytes: out[out_off..out_len) still to send */
  gsize        out_off;
  gsize        out_len;
  gsize        out_cap;
} Endpoint;

typedef enum
{
  CLIENT_WAITING,        /* not started: the connect window is full */
  CLIENT_CONNECTING,     /* non-blocking connect() in progress */
  CLIENT_HANDSHAKING,    /* HTTP Upgrade sent, waiting for 101 */
  CLIENT_OPEN,
  CLIENT_CLOSED,
} ClientState;

typedef struct
{
  Endpoint    endpoint;        /* first member: epoll's data.ptr points at it */
  ClientState state;
  char        accept[32];      /* the Sec-WebSocket-Accept the server must answer with */
  GByteArray *fragments;       /* a message being reassembled from continuation frames */
  gboolean    ping_in_flight;
} BenchClient;

typedef struct
{
  Endpoint endpoint;           /* first member: epoll's data.ptr points at it */
  gboolean busy;               /* a POST /@topic is in flight */
  gint64   job;                /* job index of the request in flight, -1 if none */
} BenchPublisher;

typedef struct
{
  guint    subscribers;        /* "subscribed" answers received for this job */
  guint    delivered;          /* processingComplete pushes received for this job */
  gint64   published_at;       /* CLOCK_MONOTONIC ns of the POST, 0 until published */
  gboolean publish_failed;     /* the POST was answered with an error or lost */
} BenchJob;

typedef struct
{
  gboolean ran;
  gboolean partial;            /* some step hit its time cap */
  guint64  subscriptions;      /* answered subscribes */
  guint64  subscribe_errors;
  double   subscribe_seconds;
  GArray  *paced;              /* latency samples in ns, one publish in flight */
  GArray  *burst;              /* latency samples in ns during the burst */
  guint64  burst_publishes;
  guint64  burst_deliveries;
  double   burst_seconds;
  guint64  lost;               /* deliveries expected from subscriptions but never received */
  double   server_cpu_percent; /* during the burst; 100 = one core */
  double   bench_cpu_percent;
} PhaseResult;

typedef struct
{
  const char *label;
  guint       n;
  gboolean    started;
  char       *failure;         /* why the run stopped early, or NULL */
  guint       connected;
  guint       connect_failures;
  double      connect_seconds;
  gboolean    connect_partial;
  guint64     rss_before_kib;
  guint64     rss_after_kib;
  double      ping_rate;
  gboolean    ping_partial;
  guint       server_closes;   /* connections the server closed during the run */
  guint       last_close_code;
  PhaseResult per_job;
  PhaseResult fan_out;
} RunResult;

/* How to start one server under test. */
typedef struct
{
  const char  *label;
  char       **argv;           /* "@DATA_DIR@" is replaced with a fresh temporary data dir */
  char       **envp;
} BenchTarget;

typedef struct
{
  GPid     pid;
  char    *temp_dir;           /* removed when the server stops */
  char    *log_path;           /* the server's stderr */
  guint16  port;
  Endpoint output;             /* its stdout, drained so it never blocks on a full pipe */
} BenchServer;

typedef struct
{
  /* options */
  guint           connect_window;     /* connects in flight at once; 0 = all at once */
  guint           n_publishers;
  guint           deliveries;         /* burst size in deliveries */
  guint           latency_samples;    /* paced samples wanted per phase */
  double          ping_seconds;
  double          burst_seconds;      /* a burst publishes for at most this long, then drains */
  double          phase_seconds;      /* time cap of each step */
  gint64          global_deadline;    /* the whole run stops starting phases after this */

  int             epoll_fd;
  struct sockaddr_in address;
  char            host_header[64];
  BenchServer    *server;

  BenchClient    *clients;
  guint           n_clients;
  guint           next_to_connect;
  guint           in_progress;        /* clients connecting or handshaking */
  guint           open_clients;
  guint           handshakes;
  guint           connect_failures;
  gint64          first_connect_at;
  gint64          last_handshake_at;
  guint           server_closes;
  guint           last_close_code;
  char           *first_client_failure;

  BenchPublisher  publishers[MAX_PUBLISHERS];

  /* ping step */
  gboolean        pinging;
  gint64          ping_window_start;
  gint64          ping_window_end;
  guint64         pongs_in_window;
  guint           pings_in_flight;

  /* delivery phases */
  char            job_phase;          /* 'p' per-job, 'f' fan-out */
  gint64          job_stamp_ms;       /* the unix-ms part of this phase's job ids */
  char            iso_timestamp[40];
  BenchJob       *jobs;
  guint           n_jobs;
  guint64         subscribe_answers;  /* "subscribed" plus "error" answers */
  guint64         subscribe_errors;
  char           *first_error;
  guint           range_start;        /* jobs of the step in progress: [range_start, range_end) */
  guint           range_end;
  guint           next_job;
  gint64          paced_job;          /* paced: the job in flight, -1 if none */
  gint64          paced_deadline;
  guint64         range_deliveries;
  guint64         range_expected;
  gint64          burst_publish_until; /* no new publish of the burst after this */
  gint64          last_delivery_at;
  gint64          last_publish_at;
  GArray         *samples;            /* where latency samples go now, or NULL */
  guint64         unexpected_messages;
  guint64         publish_failures;
  char           *first_publish_failure;
  gboolean        cannot_publish;     /* a publisher could not reconnect: the server is gone */
} Bench;

typedef gboolean (*BenchStepFunc) (Bench *bench);

/* Set by SIGINT/SIGTERM (Ctrl-C, meson's benchmark timeout): every step ends at once and the
 * servers are still stopped and their temporary dirs removed. */
static volatile sig_atomic_t interrupted = 0;

/* ------------------------------------------------------------------------------------------ */
/* Small helpers                                                                                */

static gint64
now_ns (void)
{
  struct timespec ts;

  /* Cannot fail for CLOCK_MONOTONIC on Linux; a failure would make every figure meaningless. */
  if (clock_gettime (CLOCK_MONOTONIC, &ts) != 0)
    g_error ("clock_gettime(CLOCK_MONOTONIC) failed: %s", g_strerror (errno));
  return (gint64) ts.tv_sec * NS_PER_SECOND + ts.tv_nsec;
}

static double
seconds_between (gint64 start,
                 gint64 end)
{
  return end > start ? (double) (end - start) / (double) NS_PER_SECOND : 0.0;
}

static double
process_cpu_seconds (void)
{
  struct timespec ts;

  if (clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts) != 0)
    return 0.0;
  return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

static void
remember_first (char       **slot,
                const char  *text,
                gsize        length)
{
  if (*slot == NULL)
    *slot = g_strndup (text, MIN (length, 300));
}

/* Finds the string value of "name" in a flat JSON text: enough for the messages of this protocol,
 * whose field values we look at contain no escapes; a full parse per push would cost the client
 * more than the server's push. */
static gboolean
json_find_string (const char  *text,
                  gsize        length,
                  const char  *quoted_name,
                  const char **value,
                  gsize       *value_length)
{
  const char *end = text + length;
  const char *p = g_strstr_len (text, (gssize) length, quoted_name);
  const char *close_quote;

  if (p == NULL)
    return FALSE;
  p += strlen (quoted_name);
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
    p++;
  if (p >= end || *p != ':')
    return FALSE;
  p++;
  while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
    p++;
  if (p >= end || *p != '"')
    return FALSE;
  p++;
  close_quote = memchr (p, '"', (gsize) (end - p));
  if (close_quote == NULL)
    return FALSE;
  *value = p;
  *value_length = (gsize) (close_quote - p);
  return TRUE;
}

static gboolean
span_equals (const char *span,
             gsize       length,
             const char *literal)
{
  return strlen (literal) == length && memcmp (span, literal, length) == 0;
}

/* Parses decimal digits at p (at most max_digits); returns the position after them or NULL. */
static const char *
parse_decimal (const char *p,
               const char *end,
               guint       max_digits,
               guint64    *value)
{
  guint64 result = 0;
  guint digits = 0;

  while (p < end && g_ascii_isdigit (*p) && digits < max_digits)
    {
      result = result * 10 + (guint64) (*p - '0');
      p++;
      digits++;
    }
  if (digits == 0)
    return NULL;
  *value = result;
  return p;
}

static void
format_job_id (char   *buffer,
               gsize   size,
               gint64  stamp_ms,
               char    phase,
               guint   index)
{
  g_snprintf (buffer, size, "job-%013" G_GINT64_FORMAT "-bench%c%0*u", stamp_ms, phase,
              JOB_INDEX_DIGITS, index);
}

/* Reads the job index back from a job id of ours, for this phase only. */
static gboolean
parse_job_id (Bench      *bench,
              const char *job_id,
              gsize       length,
              guint      *index)
{
  const char *end = job_id + length;
  const char *p = g_strstr_len (job_id, (gssize) length, "-bench");
  guint64 value = 0;

  if (p == NULL || p + 7 > end || p[6] != bench->job_phase)
    return FALSE;
  if (parse_decimal (p + 7, end, JOB_INDEX_DIGITS, &value) == NULL || value >= bench->n_jobs)
    return FALSE;
  *index = (guint) value;
  return TRUE;
}

static gboolean
read_proc_file (GPid         pid,
                const char  *name,
                char       **contents)
{
  char path[64];

  g_snprintf (path, sizeof path, "/proc/%d/%s", (int) pid, name);
  return g_file_get_contents (path, contents, NULL, NULL);
}

static gboolean
read_rss_kib (GPid     pid,
              guint64 *rss_kib)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!read_proc_file (pid, "status", &status))
    return FALSE;
  line = strstr (status, "\nVmRSS:");
  if (line == NULL)
    return FALSE;
  *rss_kib = g_ascii_strtoull (line + strlen ("\nVmRSS:"), NULL, 10);
  return TRUE;
}

/* User plus system CPU seconds of a process, all its threads. */
static gboolean
read_cpu_seconds (GPid    pid,
                  double *seconds)
{
  g_autofree char *stat = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after_name;
  long ticks_per_second = sysconf (_SC_CLK_TCK);

  if (ticks_per_second <= 0 || !read_proc_file (pid, "stat", &stat))
    return FALSE;
  /* The command name may contain spaces; the fields after its closing parenthesis do not. */
  after_name = strrchr (stat, ')');
  if (after_name == NULL)
    return FALSE;
  fields = g_strsplit (after_name + 2, " ", 16);
  /* After the name: state(3) ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt
   * utime(14) stime(15). */
  if (g_strv_length (fields) < 13)
    return FALSE;
  *seconds = (double) (g_ascii_strtoull (fields[11], NULL, 10) + g_ascii_strtoull (fields[12], NULL, 10))
             / (double) ticks_per_second;
  return TRUE;
}

static int
percentile_compare (gconstpointer a,
                    gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

/* Nearest-rank percentile in ms of sorted samples; negative when there are none. */
static double
percentile_ms (GArray *sorted,
               double  fraction)
{
  gsize rank;

  if (sorted == NULL || sorted->len == 0)
    return -1.0;
  rank = (gsize) (fraction * (double) sorted->len + 0.999999);
  rank = CLAMP (rank, 1, sorted->len);
  return (double) g_array_index (sorted, gint64, rank - 1) / (double) NS_PER_MS;
}

/* ------------------------------------------------------------------------------------------ */
/* Endpoints: epoll registration and buffered I/O                                               */

static void
endpoint_init (Endpoint     *endpoint,
               EndpointKind  kind)
{
  memset (endpoint, 0, sizeof *endpoint);
  endpoint->kind = kind;
  endpoint->fd = -1;
}

static gboolean
endpoint_watch (Bench    *bench,
                Endpoint *endpoint,
                int       operation,
                guint32   events)
{
  struct epoll_event event = { 0 };

  if (operation == EPOLL_CTL_MOD && endpoint->events == events)
    return TRUE;
  event.events = events;
  event.data.ptr = endpoint;
  if (epoll_ctl (bench->epoll_fd, operation, endpoint->fd, &event) != 0)
    {
      g_printerr ("epoll_ctl: %s\n", g_strerror (errno));
      return FALSE;
    }
  endpoint->events = events;
  return TRUE;
}

/* Closing the descriptor also removes it from the epoll set (we never duplicate it). */
static void
endpoint_close (Endpoint *endpoint)
{
  if (endpoint->fd >= 0 && close (endpoint->fd) != 0 && errno != EINTR)
    g_printerr ("close: %s\n", g_strerror (errno));
  endpoint->fd = -1;
  endpoint->events = 0;
  endpoint->in_len = 0;
  endpoint->out_off = endpoint->out_len = 0;
}

static void
endpoint_free_buffers (Endpoint *endpoint)
{
  g_clear_pointer (&endpoint->in, g_free);
  g_clear_pointer (&endpoint->out, g_free);
  endpoint->in_cap = endpoint->out_cap = 0;
  endpoint->in_len = endpoint->out_off = endpoint->out_len = 0;
}

/* Room for length more bytes at the end of the send queue; the caller fills them. */
static guint8 *
endpoint_reserve (Endpoint *endpoint,
                  gsize     length)
{
  guint8 *slot;

  if (endpoint->out_off == endpoint->out_len)
    endpoint->out_off = endpoint->out_len = 0;
  if (endpoint->out_len + length > endpoint->out_cap)
    {
      if (endpoint->out_off > 0)
        {
          memmove (endpoint->out, endpoint->out + endpoint->out_off,
                   endpoint->out_len - endpoint->out_off);
          endpoint->out_len -= endpoint->out_off;
          endpoint->out_off = 0;
        }
      if (endpoint->out_len + length > endpoint->out_cap)
        {
          endpoint->out_cap = MAX (MAX (endpoint->out_cap * 2, endpoint->out_len + length), 512);
          endpoint->out = g_realloc (endpoint->out, endpoint->out_cap);
        }
    }
  slot = endpoint->out + endpoint->out_len;
  endpoint->out_len += length;
  return slot;
}

static void
endpoint_queue (Endpoint   *endpoint,
                const void *data,
                gsize       length)
{
  memcpy (endpoint_reserve (endpoint, length), data, length);
}

/* Sends what the socket takes now and watches for writability for the rest.
 * Returns FALSE when the connection failed. */
static gboolean
endpoint_flush (Bench    *bench,
                Endpoint *endpoint)
{
  guint32 base_events = endpoint->events & ~(guint32) EPOLLOUT;

  for (guint attempt = 0; endpoint->out_off < endpoint->out_len && attempt < 64; attempt++)
    {
      ssize_t sent = send (endpoint->fd, endpoint->out + endpoint->out_off,
                           endpoint->out_len - endpoint->out_off, MSG_NOSIGNAL | MSG_DONTWAIT);

      if (sent < 0)
        {
          if (errno == EINTR)
            continue;
          if (errno == EAGAIN || errno == EWOULDBLOCK)
            break;
          return FALSE;
        }
      endpoint->out_off += (gsize) sent;
    }
  if (endpoint->out_off < endpoint->out_len)
    return endpoint_watch (bench, endpoint, EPOLL_CTL_MOD, base_events | EPOLLOUT);
  endpoint->out_off = endpoint->out_len = 0;
  return endpoint_watch (bench, endpoint, EPOLL_CTL_MOD, base_events);
}

/* Reads once. Returns bytes read, 0 at end of stream, -1 on error, -2 when nothing is ready. */
static gssize
endpoint_read (Endpoint *endpoint)
{
  if (endpoint->in_cap - endpoint->in_len < READ_CHUNK_BYTES)
    {
      endpoint->in_cap = MAX (endpoint->in_cap * 2, endpoint->in_len + READ_CHUNK_BYTES);
      endpoint->in = g_realloc (endpoint->in, endpoint->in_cap);
    }
  for (guint attempt = 0; attempt < 16; attempt++)
    {
      ssize_t received = recv (endpoint->fd, endpoint->in + endpoint->in_len,
                               endpoint->in_cap - endpoint->in_len, MSG_DONTWAIT);

      if (received >= 0)
        {
          endpoint->in_len += (gsize) received;
          return received;
        }
      if (errno == EINTR)
        continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK)
        return -2;
      return -1;
    }
  return -2;
}

static void
endpoint_consume (Endpoint *endpoint,
                  gsize     length)
{
  g_assert (length <= endpoint->in_len);
  memmove (endpoint->in, endpoint->in + length, endpoint->in_len - length);
  endpoint->in_len -= length;
}

/* ------------------------------------------------------------------------------------------ */
/* WebSocket clients                                                                            */

static void bench_start_waiting_clients (Bench *bench);

static void
client_fail (Bench       *bench,
             BenchClient *client,
             const char  *why)
{
  if (client->state == CLIENT_CLOSED)
    return;
  if (client->state == CLIENT_CONNECTING || client->state == CLIENT_HANDSHAKING)
    {
      bench->in_progress--;
      bench->connect_failures++;
      if (bench->first_client_failure == NULL)
        bench->first_client_failure = g_strdup (why);
    }
  else if (client->state == CLIENT_OPEN)
    {
      bench->open_clients--;
      if (client->ping_in_flight)
        {
          client->ping_in_flight = FALSE;
          bench->pings_in_flight--;
        }
    }
  client->state = CLIENT_CLOSED;
  endpoint_close (&client->endpoint);
  g_clear_pointer (&client->fragments, g_byte_array_unref);
  bench_start_waiting_clients (bench);
}

/* Queues one masked frame: clients must mask (RFC 6455 5.3); the key needs no cryptographic
 * strength for a benchmark. */
static void
client_queue_frame (BenchClient *client,
                    guint8       opcode,
                    const void  *payload,
                    gsize        length)
{
  guint8 header[14];
  gsize header_length = 2;
  guint32 key = g_random_int ();
  guint8 mask[4];
  guint8 *slot;

  header[0] = (guint8) (0x80 | opcode);
  if (length < 126)
    header[1] = (guint8) (0x80 | length);
  else if (length <= 0xffff)
    {
      header[1] = 0x80 | 126;
      header[2] = (guint8) (length >> 8);
      header[3] = (guint8) length;
      header_length = 4;
    }
  else
    {
      header[1] = 0x80 | 127;
      for (guint i = 0; i < 8; i++)
        header[2 + i] = (guint8) ((guint64) length >> (56 - 8 * i));
      header_length = 10;
    }
  memcpy (mask, &key, sizeof mask);
  memcpy (header + header_length, mask, sizeof mask);
  header_length += sizeof mask;

  slot = endpoint_reserve (&client->endpoint, header_length + length);
  memcpy (slot, header, header_length);
  slot += header_length;
  for (gsize i = 0; i < length; i++)
    slot[i] = ((const guint8 *) payload)[i] ^ mask[i & 3];
}

static gboolean
client_send_text (Bench       *bench,
                  BenchClient *client,
                  const char  *text,
                  gboolean     flush)
{
  client_queue_frame (client, 0x1, text, strlen (text));
  if (flush && !endpoint_flush (bench, &client->endpoint))
    {
      client_fail (bench, client, "send failed");
      return FALSE;
    }
  return TRUE;
}

static void
client_send_ping (Bench       *bench,
                  BenchClient *client)
{
  if (client->state != CLIENT_OPEN || client->ping_in_flight)
    return;
  client->ping_in_flight = TRUE;
  bench->pings_in_flight++;
  (void) client_send_text (bench, client, "{\"action\":\"ping\"}", TRUE);
}

static void
client_send_handshake (Bench       *bench,
                       BenchClient *client)
{
  guint8 nonce[16];
  g_autofree char *key = NULL;
  g_autofree char *request = NULL;
  g_autoptr(GChecksum) sha1 = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 digest[20];
  gsize digest_length = sizeof digest;
  g_autofree char *accept = NULL;

  for (guint i = 0; i < sizeof nonce; i += 4)
    {
      guint32 word = g_random_int ();
      memcpy (nonce + i, &word, 4);
    }
  key = g_base64_encode (nonce, sizeof nonce);
  g_checksum_update (sha1, (const guchar *) key, -1);
  g_checksum_update (sha1, (const guchar *) WEBSOCKET_GUID, -1);
  g_checksum_get_digest (sha1, digest, &digest_length);
  accept = g_base64_encode (digest, digest_length);
  g_strlcpy (client->accept, accept, sizeof client->accept);

  request = g_strdup_printf ("GET /ws HTTP/1.1\r\n"
                             "Host: %s\r\n"
                             "Upgrade: websocket\r\n"
                             "Connection: Upgrade\r\n"
                             "Sec-WebSocket-Key: %s\r\n"
                             "Sec-WebSocket-Version: 13\r\n"
                             "\r\n",
                             bench->host_header, key);
  client->state = CLIENT_HANDSHAKING;
  if (!endpoint_watch (bench, &client->endpoint, EPOLL_CTL_MOD, EPOLLIN))
    {
      client_fail (bench, client, "epoll_ctl failed");
      return;
    }
  endpoint_queue (&client->endpoint, request, strlen (request));
  if (!endpoint_flush (bench, &client->endpoint))
    client_fail (bench, client, "sending the handshake failed");
}

static void
client_start_connect (Bench       *bench,
                      BenchClient *client)
{
  int one = 1;
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

  bench->in_progress++;
  client->state = CLIENT_CONNECTING;
  if (fd < 0)
    {
      client_fail (bench, client, g_strerror (errno));
      return;
    }
  client->endpoint.fd = fd;
  /* Small frames must leave at once, not wait for Nagle's delayed ACK. */
  if (setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0)
    {
      client_fail (bench, client, g_strerror (errno));
      return;
    }
  if (!endpoint_watch (bench, &client->endpoint, EPOLL_CTL_ADD, EPOLLIN | EPOLLOUT))
    {
      client_fail (bench, client, "epoll_ctl failed");
      return;
    }
  if (connect (fd, (const struct sockaddr *) &bench->address, sizeof bench->address) == 0)
    client_send_handshake (bench, client);
  else if (errno != EINPROGRESS)
    client_fail (bench, client, g_strerror (errno));
}

static void
bench_start_waiting_clients (Bench *bench)
{
  while (bench->next_to_connect < bench->n_clients
         && (bench->connect_window == 0 || bench->in_progress < bench->connect_window))
    client_start_connect (bench, &bench->clients[bench->next_to_connect++]);
}

static void
client_handle_text (Bench       *bench,
                    BenchClient *client,
                    const char  *text,
                    gsize        length)
{
  const char *type;
  gsize type_length;

  if (!json_find_string (text, length, "\"type\"", &type, &type_length))
    {
      bench->unexpected_messages++;
      return;
    }

  if (span_equals (type, type_length, "pong"))
    {
      gint64 now = now_ns ();

      if (client->ping_in_flight)
        {
          client->ping_in_flight = FALSE;
          bench->pings_in_flight--;
        }
      if (now >= bench->ping_window_start && now < bench->ping_window_end)
        bench->pongs_in_window++;
      if (bench->pinging && now < bench->ping_window_end)
        client_send_ping (bench, client);
    }
  else if (span_equals (type, type_length, "processingComplete"))
    {
      gint64 now = now_ns ();
      const char *end = text + length;
      const char *marker = g_strstr_len (text, (gssize) length, "Bench ");
      guint64 index = 0;
      guint64 sent_at = 0;

      /* The title of the published book carries "Bench <phase> J=<job> T=<monotonic ns>". */
      if (marker == NULL || marker + 10 > end || marker[6] != bench->job_phase
          || strncmp (marker + 7, " J=", 3) != 0
          || (marker = parse_decimal (marker + 10, end, 19, &index)) == NULL
          || index >= bench->n_jobs || marker + 3 > end || strncmp (marker, " T=", 3) != 0
          || parse_decimal (marker + 3, end, 19, &sent_at) == NULL)
        {
          bench->unexpected_messages++;
          return;
        }
      bench->jobs[index].delivered++;
      bench->last_delivery_at = now;
      if (index >= bench->range_start && index < bench->range_end)
        bench->range_deliveries++;
      if (bench->samples != NULL)
        {
          gint64 latency = now - (gint64) sent_at;
          g_array_append_val (bench->samples, latency);
        }
    }
  else if (span_equals (type, type_length, "subscribed"))
    {
      const char *job_id;
      gsize job_id_length;
      guint index;

      bench->subscribe_answers++;
      if (json_find_string (text, length, "\"jobId\"", &job_id, &job_id_length)
          && parse_job_id (bench, job_id, job_id_length, &index))
        bench->jobs[index].subscribers++;
      else
        bench->unexpected_messages++;
    }
  else if (span_equals (type, type_length, "error"))
    {
      /* Only subscribes draw errors from a correct server in this benchmark. */
      bench->subscribe_answers++;
      bench->subscribe_errors++;
      remember_first (&bench->first_error, text, length);
    }
  else if (!span_equals (type, type_length, "jobProgress"))
    bench->unexpected_messages++;
}

/* Parses every complete frame in the input buffer. Returns FALSE when the client was closed. */
static gboolean
client_process_frames (Bench       *bench,
                       BenchClient *client)
{
  Endpoint *endpoint = &client->endpoint;
  gsize position = 0;

  /* Bounded by the buffer: every iteration consumes one frame or stops. */
  while (endpoint->in_len - position >= 2)
    {
      const guint8 *frame = endpoint->in + position;
      gsize available = endpoint->in_len - position;
      gboolean fin = (frame[0] & 0x80) != 0;
      guint8 opcode = frame[0] & 0x0f;
      guint64 payload_length = frame[1] & 0x7f;
      gsize header_length = 2;
      const guint8 *payload;

      if ((frame[0] & 0x70) != 0 || (frame[1] & 0x80) != 0)
        {
          /* No extension was negotiated, and a server must never mask (RFC 6455 5.1). */
          client_fail (bench, client, "server sent reserved bits or a masked frame");
          return FALSE;
        }
      if (payload_length == 126)
        {
          if (available < 4)
            break;
          payload_length = ((guint64) frame[2] << 8) | frame[3];
          header_length = 4;
        }
      else if (payload_length == 127)
        {
          if (available < 10)
            break;
          payload_length = 0;
          for (guint i = 0; i < 8; i++)
            payload_length = (payload_length << 8) | frame[2 + i];
          header_length = 10;
        }
      if (payload_length > MAX_MESSAGE_BYTES)
        {
          client_fail (bench, client, "server sent a frame larger than 1 MiB");
          return FALSE;
        }
      if (available < header_length + payload_length)
        break;
      payload = frame + header_length;
      position += header_length + (gsize) payload_length;

      switch (opcode)
        {
        case 0x1: /* text */
        case 0x2: /* binary */
          if (client->fragments != NULL)
            {
              client_fail (bench, client, "new message inside a fragmented one");
              return FALSE;
            }
          if (fin)
            {
              client_handle_text (bench, client, (const char *) payload, (gsize) payload_length);
              /* Answering a pong may have failed and closed the client, buffer and all. */
              if (client->state == CLIENT_CLOSED)
                return FALSE;
            }
          else
            {
              client->fragments = g_byte_array_sized_new ((guint) payload_length * 2);
              g_byte_array_append (client->fragments, payload, (guint) payload_length);
            }
          break;

        case 0x0: /* continuation */
          if (client->fragments == NULL)
            {
              client_fail (bench, client, "continuation frame without a message");
              return FALSE;
            }
          if (client->fragments->len + payload_length > MAX_MESSAGE_BYTES)
            {
              client_fail (bench, client, "fragmented message larger than 1 MiB");
              return FALSE;
            }
          g_byte_array_append (client->fragments, payload, (guint) payload_length);
          if (fin)
            {
              g_autoptr(GByteArray) message = g_steal_pointer (&client->fragments);

              client_handle_text (bench, client, (const char *) message->data, message->len);
              if (client->state == CLIENT_CLOSED)
                return FALSE;
            }
          break;

        case 0x8: /* close: echo the status code, then drop the connection */
          {
            guint code = payload_length >= 2 ? ((guint) payload[0] << 8) | payload[1] : 1005;

            bench->server_closes++;
            bench->last_close_code = code;
            client_queue_frame (client, 0x8, payload, payload_length >= 2 ? 2 : 0);
            if (!endpoint_flush (bench, endpoint))
              {
                /* The server may already be gone; the connection ends either way. */
              }
            client_fail (bench, client, "closed by the server");
            return FALSE;
          }

        case 0x9: /* ping: answer with a masked pong carrying the same payload */
          if (!fin || payload_length > 125)
            {
              client_fail (bench, client, "invalid ping frame");
              return FALSE;
            }
          client_queue_frame (client, 0xA, payload, (gsize) payload_length);
          if (!endpoint_flush (bench, endpoint))
            {
              client_fail (bench, client, "sending a pong failed");
              return FALSE;
            }
          break;

        case 0xA: /* pong to a ping we never send: ignored */
          break;

        default:
          client_fail (bench, client, "unknown opcode");
          return FALSE;
        }
    }
  endpoint_consume (endpoint, position);
  return TRUE;
}

static const char *
find_bytes (const guint8 *haystack,
            gsize         length,
            const char   *needle)
{
  return memmem (haystack, length, needle, strlen (needle));
}

/* Looks up a header value (case-insensitive name) in an HTTP head; returns its length or -1. */
static gssize
http_header (const char  *head,
             gsize        head_length,
             const char  *name,
             const char **value)
{
  gsize name_length = strlen (name);
  const char *end = head + head_length;
  const char *line = memchr (head, '\n', head_length);

  /* One header per line, after the status line; bounded by the head. */
  while (line != NULL && line + 1 < end)
    {
      const char *start = line + 1;
      const char *line_end = memchr (start, '\n', (gsize) (end - start));
      gsize line_length = (gsize) ((line_end != NULL ? line_end : end) - start);

      if (line_length > name_length && start[name_length] == ':'
          && g_ascii_strncasecmp (start, name, name_length) == 0)
        {
          const char *v = start + name_length + 1;
          const char *v_end = start + line_length;

          while (v < v_end && (*v == ' ' || *v == '\t'))
            v++;
          while (v_end > v && (v_end[-1] == '\r' || v_end[-1] == ' ' || v_end[-1] == '\t'))
            v_end--;
          *value = v;
          return v_end - v;
        }
      line = line_end;
    }
  return -1;
}

/* Returns FALSE when the client was closed. */
static gboolean
client_process_handshake (Bench       *bench,
                          BenchClient *client)
{
  Endpoint *endpoint = &client->endpoint;
  const char *head_end = find_bytes (endpoint->in, endpoint->in_len, "\r\n\r\n");
  const char *head = (const char *) endpoint->in;
  const char *accept;
  gssize accept_length;
  gsize head_length;

  if (head_end == NULL)
    {
      if (endpoint->in_len > MAX_HTTP_HEAD_BYTES)
        {
          client_fail (bench, client, "handshake answer too long");
          return FALSE;
        }
      return TRUE;
    }
  head_length = (gsize) (head_end - head) + 4;
  if (head_length < 12 || strncmp (head, "HTTP/1.1 101", 12) != 0)
    {
      g_autofree char *status = g_strndup (head, MIN (head_length, 80));

      client_fail (bench, client, status);
      return FALSE;
    }
  accept_length = http_header (head, head_length, "Sec-WebSocket-Accept", &accept);
  if (accept_length < 0 || !span_equals (accept, (gsize) accept_length, client->accept))
    {
      client_fail (bench, client, "wrong or missing Sec-WebSocket-Accept");
      return FALSE;
    }
  endpoint_consume (endpoint, head_length);
  client->state = CLIENT_OPEN;
  bench->in_progress--;
  bench->open_clients++;
  bench->handshakes++;
  bench->last_handshake_at = now_ns ();
  bench_start_waiting_clients (bench);
  /* The server may have sent frames right behind its 101. */
  return client_process_frames (bench, client);
}

static void
client_handle_events (Bench       *bench,
                      BenchClient *client,
                      guint32      events)
{
  Endpoint *endpoint = &client->endpoint;

  if (client->state == CLIENT_CONNECTING)
    {
      int error = 0;
      socklen_t error_length = sizeof error;

      if (!(events & (EPOLLOUT | EPOLLERR | EPOLLHUP)))
        return;
      if (getsockopt (endpoint->fd, SOL_SOCKET, SO_ERROR, &error, &error_length) != 0)
        error = errno;
      if (error != 0)
        {
          client_fail (bench, client, g_strerror (error));
          return;
        }
      client_send_handshake (bench, client);
      return;
    }

  if ((events & EPOLLOUT) && !endpoint_flush (bench, endpoint))
    {
      client_fail (bench, client, "send failed");
      return;
    }

  if (events & (EPOLLIN | EPOLLERR | EPOLLHUP))
    {
      gssize received = endpoint_read (endpoint);

      if (received == 0 || received == -1)
        {
          if (client->state == CLIENT_OPEN)
            bench->server_closes++;
          client_fail (bench, client, received == 0 ? "connection closed during the handshake"
                                                    : g_strerror (errno));
          return;
        }
      if (received == -2)
        return;
      if (client->state == CLIENT_HANDSHAKING)
        (void) client_process_handshake (bench, client);
      else if (client->state == CLIENT_OPEN)
        (void) client_process_frames (bench, client);
    }
}

/* ------------------------------------------------------------------------------------------ */
/* Publishers: POST /@topic over keep-alive HTTP/1.1                                            */

static gboolean
publisher_connect (Bench          *bench,
                   BenchPublisher *publisher)
{
  int one = 1;
  int fd = socket (AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  int flags;

  if (fd < 0)
    return FALSE;
  /* Blocking connect is fine here: a handful of connections to a listening loopback port. */
  if (connect (fd, (const struct sockaddr *) &bench->address, sizeof bench->address) != 0
      || setsockopt (fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one) != 0
      || (flags = fcntl (fd, F_GETFL)) < 0 || fcntl (fd, F_SETFL, flags | O_NONBLOCK) != 0)
    {
      g_printerr ("publisher connection: %s\n", g_strerror (errno));
      if (close (fd) != 0)
        g_printerr ("close: %s\n", g_strerror (errno));
      return FALSE;
    }
  publisher->endpoint.fd = fd;
  publisher->busy = FALSE;
  publisher->job = -1;
  return endpoint_watch (bench, &publisher->endpoint, EPOLL_CTL_ADD, EPOLLIN);
}

static void
publisher_lost (Bench          *bench,
                BenchPublisher *publisher,
                const char     *why)
{
  if (publisher->busy && publisher->job >= 0)
    {
      bench->jobs[publisher->job].publish_failed = TRUE;
      bench->publish_failures++;
      remember_first (&bench->first_publish_failure, why, strlen (why));
    }
  publisher->busy = FALSE;
  publisher->job = -1;
  endpoint_close (&publisher->endpoint);
}

static gboolean
publisher_send (Bench          *bench,
                BenchPublisher *publisher,
                guint           job)
{
  char job_id[96];
  g_autofree char *body = NULL;
  g_autofree char *head = NULL;
  gint64 sent_at;

  if (publisher->endpoint.fd < 0 && !publisher_connect (bench, publisher))
    {
      bench->cannot_publish = TRUE;
      return FALSE;
    }
  format_job_id (job_id, sizeof job_id, bench->job_stamp_ms, bench->job_phase, job);
  sent_at = now_ns ();
  /* A complete final-results message, so the server's validation passes; the book title carries
   * the job index and the send time, fields any model of the results keeps. */
  body = g_strdup_printf ("{\"jobId\":\"%s\",\"status\":\"complete\",\"validatedBooks\":1,"
                          "\"totalCandidates\":1,\"books\":[{\"title\":\"Bench %c J=%u T=%"
                          G_GINT64_FORMAT "\",\"authors\":[\"BookImg Bench\"],\"year\":2024,"
                          "\"isbn13\":\"9780306406157\",\"confidence\":1.0,\"source\":\"catalog\","
                          "\"sourceId\":\"bench\",\"evidence\":{\"text\":\"bench\","
                          "\"bbox\":[0,0,40,400],\"position\":0,\"angle\":90}}],"
                          "\"unresolved\":[],\"timestamp\":\"%s\"}",
                          job_id, bench->job_phase, job, sent_at, bench->iso_timestamp);
  head = g_strdup_printf ("POST /@topic HTTP/1.1\r\n"
                          "Host: %s\r\n"
                          "Content-Type: application/json\r\n"
                          "Content-Length: %zu\r\n"
                          "\r\n",
                          bench->host_header, strlen (body));
  endpoint_queue (&publisher->endpoint, head, strlen (head));
  endpoint_queue (&publisher->endpoint, body, strlen (body));
  publisher->busy = TRUE;
  publisher->job = job;
  bench->jobs[job].published_at = sent_at;
  bench->last_publish_at = sent_at;
  if (!endpoint_flush (bench, &publisher->endpoint))
    {
      publisher_lost (bench, publisher, "sending POST /@topic failed");
      return FALSE;
    }
  return TRUE;
}

/* Length of a complete chunked body starting at body, or 0 when it is not complete yet. */
static gsize
chunked_body_length (const char *body,
                     gsize       available)
{
  gsize position = 0;

  /* Bounded by the buffer: each chunk advances position. */
  while (position < available)
    {
      const char *line_end = find_bytes ((const guint8 *) body + position, available - position,
                                         "\r\n");
      guint64 size;

      if (line_end == NULL)
        return 0;
      size = g_ascii_strtoull (body + position, NULL, 16);
      position = (gsize) (line_end - body) + 2;
      if (size == 0)
        {
          /* No trailers from our servers: the last chunk is followed by one empty line. */
          return available - position >= 2 ? position + 2 : 0;
        }
      if (size > MAX_MESSAGE_BYTES)
        return 0;
      position += (gsize) size + 2;
    }
  return 0;
}

static void bench_pump_burst (Bench *bench);

static void
publisher_process_input (Bench          *bench,
                         BenchPublisher *publisher)
{
  Endpoint *endpoint = &publisher->endpoint;

  /* One response per iteration; bounded by the buffer. */
  while (endpoint->fd >= 0 && endpoint->in_len > 0)
    {
      const char *head = (const char *) endpoint->in;
      const char *head_end = find_bytes (endpoint->in, endpoint->in_len, "\r\n\r\n");
      gsize head_length;
      gsize body_length = 0;
      const char *value;
      gssize value_length;
      guint status;
      gboolean close_after;

      if (head_end == NULL)
        {
          if (endpoint->in_len > MAX_HTTP_HEAD_BYTES)
            publisher_lost (bench, publisher, "HTTP answer head too long");
          return;
        }
      head_length = (gsize) (head_end - head) + 4;
      if (head_length < 12 || strncmp (head, "HTTP/1.", 7) != 0)
        {
          publisher_lost (bench, publisher, "not an HTTP answer");
          return;
        }
      status = (guint) g_ascii_strtoull (head + 9, NULL, 10);
      value_length = http_header (head, head_length, "Transfer-Encoding", &value);
      if (value_length > 0 && g_strstr_len (value, value_length, "chunked") != NULL)
        {
          body_length = chunked_body_length (head + head_length, endpoint->in_len - head_length);
          if (body_length == 0)
            return;
        }
      else if ((value_length = http_header (head, head_length, "Content-Length", &value)) > 0)
        {
          body_length = (gsize) g_ascii_strtoull (value, NULL, 10);
          if (body_length > MAX_MESSAGE_BYTES)
            {
              publisher_lost (bench, publisher, "HTTP answer body too long");
              return;
            }
          if (endpoint->in_len < head_length + body_length)
            return;
        }
      value_length = http_header (head, head_length, "Connection", &value);
      close_after = value_length > 0 && g_ascii_strncasecmp (value, "close", 5) == 0;

      if (status < 200 || status > 299)
        {
          g_autofree char *answer = g_strdup_printf ("HTTP %u: %.*s", status,
                                                     (int) MIN (body_length, 200),
                                                     head + head_length);

          bench->publish_failures++;
          remember_first (&bench->first_publish_failure, answer, strlen (answer));
          if (publisher->job >= 0)
            bench->jobs[publisher->job].publish_failed = TRUE;
        }
      endpoint_consume (endpoint, head_length + body_length);
      publisher->busy = FALSE;
      publisher->job = -1;
      if (close_after)
        endpoint_close (endpoint);
    }
}

static void
publisher_handle_events (Bench          *bench,
                         BenchPublisher *publisher,
                         guint32         events)
{
  Endpoint *endpoint = &publisher->endpoint;

  if ((events & EPOLLOUT) && !endpoint_flush (bench, endpoint))
    {
      publisher_lost (bench, publisher, "sending POST /@topic failed");
      return;
    }
  if (events & (EPOLLIN | EPOLLERR | EPOLLHUP))
    {
      gssize received = endpoint_read (endpoint);

      if (received == 0 || received == -1)
        {
          publisher_lost (bench, publisher, "publisher connection closed by the server");
          return;
        }
      if (received > 0)
        publisher_process_input (bench, publisher);
    }
  bench_pump_burst (bench);
}

/* ------------------------------------------------------------------------------------------ */
/* The event loop                                                                               */

static void
server_output_handle_events (Bench    *bench,
                             Endpoint *output)
{
  gssize received = endpoint_read (output);

  /* The server's later stdout lines are not ours to parse: drop them so the pipe never fills. */
  output->in_len = 0;
  if (received == 0 || received == -1)
    endpoint_close (output);
}

/* Runs the loop until step() says done or the deadline passes; returns FALSE on the deadline. */
static gboolean
bench_run_until (Bench         *bench,
                 BenchStepFunc  step,
                 gint64         deadline)
{
  struct epoll_event events[EPOLL_BATCH];

  /* Bounded by the deadline: every iteration waits at most 100 ms. */
  while (step == NULL || !step (bench))
    {
      gint64 now = now_ns ();
      int timeout_ms;
      int n;

      if (now >= deadline || interrupted)
        return FALSE;
      timeout_ms = (int) MIN ((deadline - now) / NS_PER_MS + 1, 100);
      n = epoll_wait (bench->epoll_fd, events, EPOLL_BATCH, timeout_ms);
      if (n < 0)
        {
          if (errno == EINTR)
            continue;
          g_printerr ("epoll_wait: %s\n", g_strerror (errno));
          return FALSE;
        }
      for (int i = 0; i < n; i++)
        {
          Endpoint *endpoint = events[i].data.ptr;

          /* An earlier event in this batch may have closed it. */
          if (endpoint->fd < 0)
            continue;
          switch (endpoint->kind)
            {
            case ENDPOINT_CLIENT:
              client_handle_events (bench, (BenchClient *) endpoint, events[i].events);
              break;
            case ENDPOINT_PUBLISHER:
              publisher_handle_events (bench, (BenchPublisher *) endpoint, events[i].events);
              break;
            case ENDPOINT_SERVER_OUTPUT:
              server_output_handle_events (bench, endpoint);
              break;
            default:
              g_assert_not_reached ();
            }
        }
    }
  return TRUE;
}

static gboolean
bench_out_of_time (Bench *bench)
{
  return interrupted || now_ns () >= bench->global_deadline;
}

static gint64
bench_step_deadline (Bench *bench)
{
  gint64 deadline = now_ns () + (gint64) (bench->phase_seconds * (double) NS_PER_SECOND);

  return MIN (deadline, bench->global_deadline);
}

/* Idles the loop (answering keepalive pings) for a moment. */
static void
bench_settle (Bench  *bench,
              gint64  duration)
{
  (void) bench_run_until (bench, NULL, MIN (now_ns () + duration, bench->global_deadline));
}

/* Reads VmRSS once it has settled: the server grows on its own just after it starts (its OCR
 * workers load their models), and charging that to the connections would be wrong. Settled means
 * three readings 200 ms apart within 256 KiB of each other; the wait is capped. */
static gboolean
bench_read_settled_rss (Bench   *bench,
                        GPid     pid,
                        guint64 *rss_kib)
{
  guint64 previous = 0;
  guint steady = 0;

  for (guint i = 0; i < 75 && steady < 2; i++)
    {
      guint64 current;

      bench_settle (bench, 200 * NS_PER_MS);
      if (!read_rss_kib (pid, &current))
        return FALSE;
      steady = previous != 0 && (current > previous ? current - previous : previous - current) < 256
                 ? steady + 1 : 0;
      previous = current;
    }
  if (steady < 2)
    g_printerr ("  the server's RSS did not settle within 15 s\n");
  *rss_kib = previous;
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Server processes                                                                             */

static int
remove_entry_cb (const char        *path,
                 const struct stat *info,
                 int                type,
                 struct FTW        *ftw)
{
  if (remove (path) != 0)
    g_printerr ("cannot remove %s: %s\n", path, g_strerror (errno));
  return 0;
}

static void
remove_tree (const char *path)
{
  if (nftw (path, remove_entry_cb, 16, FTW_DEPTH | FTW_PHYS) != 0)
    g_printerr ("cannot remove %s: %s\n", path, g_strerror (errno));
}

static void
print_log_tail (const char *log_path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (log_path == NULL || !g_file_get_contents (log_path, &contents, &length, NULL) || length == 0)
    return;
  g_printerr ("--- last lines of the server's stderr ---\n%s\n---\n",
              contents + (length > 2000 ? length - 2000 : 0));
}

static void
server_stop (Bench       *bench,
             BenchServer *server)
{
  if (server->pid > 0)
    {
      int status = 0;
      gboolean exited = FALSE;

      if (kill (server->pid, SIGTERM) != 0 && errno != ESRCH)
        g_printerr ("kill: %s\n", g_strerror (errno));
      /* Bounded: SERVER_STOP_SECONDS of 20 ms waits, then SIGKILL. */
      for (guint i = 0; i < SERVER_STOP_SECONDS * 50 && !exited; i++)
        {
          pid_t done = waitpid (server->pid, &status, WNOHANG);

          if (done == server->pid || (done < 0 && errno == ECHILD))
            exited = TRUE;
          else
            g_usleep (20000);
        }
      if (!exited)
        {
          g_printerr ("the server did not stop on SIGTERM within %d s; killing it\n",
                      SERVER_STOP_SECONDS);
          if (kill (server->pid, SIGKILL) != 0 && errno != ESRCH)
            g_printerr ("kill: %s\n", g_strerror (errno));
          if (waitpid (server->pid, &status, 0) < 0 && errno != ECHILD)
            g_printerr ("waitpid: %s\n", g_strerror (errno));
        }
      server->pid = 0;
    }
  endpoint_close (&server->output);
  endpoint_free_buffers (&server->output);
  if (server->temp_dir != NULL)
    remove_tree (server->temp_dir);
  g_clear_pointer (&server->temp_dir, g_free);
  g_clear_pointer (&server->log_path, g_free);
}

/* Reads the first stdout line: "listening on http://HOST:PORT". */
static gboolean
server_read_address (BenchServer *server,
                     Bench       *bench)
{
  char line[512];
  gsize length = 0;
  gint64 deadline = now_ns () + SERVER_START_SECONDS * NS_PER_SECOND;
  const char *colon;
  guint64 port;

  /* Bounded by the deadline and by the line buffer. */
  while (length < sizeof line - 1 && memchr (line, '\n', length) == NULL)
    {
      struct pollfd poll_fd = { .fd = server->output.fd, .events = POLLIN };
      gint64 left = deadline - now_ns ();
      int ready;
      ssize_t n;

      if (left <= 0 || interrupted)
        {
          g_printerr ("the server printed no address within %d s\n", SERVER_START_SECONDS);
          return FALSE;
        }
      ready = poll (&poll_fd, 1, (int) MIN (left / NS_PER_MS + 1, 1000));
      if (ready < 0 && errno != EINTR)
        return FALSE;
      if (ready <= 0)
        continue;
      n = read (server->output.fd, line + length, sizeof line - 1 - length);
      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        {
          g_printerr ("the server exited before printing its address\n");
          return FALSE;
        }
      length += (gsize) n;
    }
  line[length] = '\0';
  *strchrnul (line, '\n') = '\0';
  if (!g_str_has_prefix (line, "listening on http://")
      || (colon = strrchr (line, ':')) == NULL
      || (port = g_ascii_strtoull (colon + 1, NULL, 10)) == 0 || port > 65535)
    {
      g_printerr ("unexpected first line from the server: %s\n", line);
      return FALSE;
    }
  server->port = (guint16) port;
  memset (&bench->address, 0, sizeof bench->address);
  bench->address.sin_family = AF_INET;
  bench->address.sin_port = htons (server->port);
  bench->address.sin_addr.s_addr = htonl (INADDR_LOOPBACK);
  g_snprintf (bench->host_header, sizeof bench->host_header, "127.0.0.1:%u", server->port);
  return TRUE;
}

static gboolean
server_start (Bench             *bench,
              BenchServer       *server,
              const BenchTarget *target)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *data_dir = NULL;
  posix_spawn_file_actions_t actions;
  int pipe_fds[2];
  pid_t pid;
  int rc;
  int flags;

  memset (server, 0, sizeof *server);
  endpoint_init (&server->output, ENDPOINT_SERVER_OUTPUT);
  server->temp_dir = g_dir_make_tmp ("bookimg-bench-XXXXXX", &error);
  if (server->temp_dir == NULL)
    {
      g_printerr ("cannot make a temporary dir: %s\n", error->message);
      return FALSE;
    }
  data_dir = g_build_filename (server->temp_dir, "data", NULL);
  server->log_path = g_build_filename (server->temp_dir, "server.log", NULL);
  if (g_mkdir (data_dir, 0700) != 0)
    {
      g_printerr ("cannot make %s: %s\n", data_dir, g_strerror (errno));
      return FALSE;
    }
  for (guint i = 0; target->argv[i] != NULL; i++)
    g_ptr_array_add (argv, g_strdup (g_str_equal (target->argv[i], "@DATA_DIR@") ? data_dir
                                                                                : target->argv[i]));
  g_ptr_array_add (argv, NULL);

  if (pipe2 (pipe_fds, O_CLOEXEC) != 0)
    {
      g_printerr ("pipe: %s\n", g_strerror (errno));
      return FALSE;
    }
  rc = posix_spawn_file_actions_init (&actions);
  if (rc == 0)
    rc = posix_spawn_file_actions_addopen (&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  if (rc == 0)
    rc = posix_spawn_file_actions_adddup2 (&actions, pipe_fds[1], STDOUT_FILENO);
  if (rc == 0)
    rc = posix_spawn_file_actions_addopen (&actions, STDERR_FILENO, server->log_path,
                                           O_WRONLY | O_CREAT | O_TRUNC, 0600);
  if (rc == 0)
    rc = posix_spawn (&pid, argv->pdata[0], &actions, NULL, (char **) argv->pdata, target->envp);
  if (posix_spawn_file_actions_destroy (&actions) != 0)
    g_printerr ("posix_spawn_file_actions_destroy failed\n");
  if (close (pipe_fds[1]) != 0)
    g_printerr ("close: %s\n", g_strerror (errno));
  server->output.fd = pipe_fds[0];
  if (rc != 0)
    {
      g_printerr ("cannot start %s: %s\n", (const char *) argv->pdata[0], g_strerror (rc));
      return FALSE;
    }
  server->pid = pid;
  if (!server_read_address (server, bench))
    {
      print_log_tail (server->log_path);
      return FALSE;
    }
  if ((flags = fcntl (server->output.fd, F_GETFL)) < 0
      || fcntl (server->output.fd, F_SETFL, flags | O_NONBLOCK) != 0
      || !endpoint_watch (bench, &server->output, EPOLL_CTL_ADD, EPOLLIN))
    return FALSE;
  bench->server = server;
  return TRUE;
}

/* ------------------------------------------------------------------------------------------ */
/* Steps                                                                                        */

static gboolean
connect_step (Bench *bench)
{
  return bench->next_to_connect >= bench->n_clients && bench->in_progress == 0;
}

static void
bench_connect_clients (Bench     *bench,
                       guint      n,
                       RunResult *result)
{
  bench->clients = g_new0 (BenchClient, n);
  bench->n_clients = n;
  for (guint i = 0; i < n; i++)
    {
      endpoint_init (&bench->clients[i].endpoint, ENDPOINT_CLIENT);
      bench->clients[i].state = CLIENT_WAITING;
    }
  bench->first_connect_at = now_ns ();
  bench->last_handshake_at = bench->first_connect_at;
  bench_start_waiting_clients (bench);
  result->connect_partial = !bench_run_until (bench, connect_step, bench_step_deadline (bench));
  result->connected = bench->handshakes;
  result->connect_failures = bench->connect_failures
                             + (bench->n_clients - bench->next_to_connect) + bench->in_progress;
  result->connect_seconds = seconds_between (bench->first_connect_at, bench->last_handshake_at);
}

static gboolean
ping_step (Bench *bench)
{
  if (bench->pinging && now_ns () >= bench->ping_window_end)
    bench->pinging = FALSE;
  return !bench->pinging && bench->pings_in_flight == 0;
}

static void
bench_measure_pings (Bench     *bench,
                     RunResult *result)
{
  /* A short warm-up keeps connection setup costs out of the rate. */
  gint64 warm_up = (gint64) (0.3 * (double) NS_PER_SECOND);
  gint64 window = (gint64) (bench->ping_seconds * (double) NS_PER_SECOND);
  gint64 deadline;
  double window_seconds;

  bench->pongs_in_window = 0;
  bench->ping_window_start = now_ns () + warm_up;
  bench->ping_window_end = bench->ping_window_start + window;
  bench->pinging = TRUE;
  deadline = MIN (bench->ping_window_end + (gint64) (bench->phase_seconds * (double) NS_PER_SECOND),
                  bench->global_deadline);
  for (guint i = 0; i < bench->n_clients; i++)
    client_send_ping (bench, &bench->clients[i]);
  result->ping_partial = !bench_run_until (bench, ping_step, deadline);
  bench->pinging = FALSE;
  window_seconds = seconds_between (bench->ping_window_start,
                                   MIN (bench->ping_window_end, now_ns ()));
  result->ping_rate = window_seconds > 0 ? (double) bench->pongs_in_window / window_seconds : 0.0;
}

static gboolean
subscribe_step (Bench *bench)
{
  /* range_expected holds the number of subscribes sent. */
  return bench->subscribe_answers >= bench->range_expected || bench->open_clients == 0;
}

static void
bench_subscribe (Bench       *bench,
                 gboolean     fan_out,
                 PhaseResult *result)
{
  g_autoptr(GArray) open = g_array_new (FALSE, FALSE, sizeof (guint));
  gint64 start;
  char job_id[96];
  char message[192];

  for (guint i = 0; i < bench->n_clients; i++)
    if (bench->clients[i].state == CLIENT_OPEN)
      g_array_append_val (open, i);
  if (open->len == 0)
    return;

  bench->subscribe_answers = 0;
  bench->subscribe_errors = 0;
  bench->range_expected = 0;
  start = now_ns ();
  for (guint job = 0; job < bench->n_jobs; job++)
    {
      format_job_id (job_id, sizeof job_id, bench->job_stamp_ms, bench->job_phase, job);
      g_snprintf (message, sizeof message, "{\"action\":\"subscribe\",\"jobId\":\"%s\"}", job_id);
      if (fan_out)
        {
          for (guint k = 0; k < open->len; k++)
            client_queue_frame (&bench->clients[g_array_index (open, guint, k)], 0x1, message,
                                strlen (message));
          bench->range_expected += open->len;
        }
      else
        {
          client_queue_frame (&bench->clients[g_array_index (open, guint, job % open->len)], 0x1,
                              message, strlen (message));
          bench->range_expected++;
        }
    }
  for (guint k = 0; k < open->len; k++)
    {
      BenchClient *client = &bench->clients[g_array_index (open, guint, k)];

      if (client->state == CLIENT_OPEN && !endpoint_flush (bench, &client->endpoint))
        client_fail (bench, client, "send failed");
    }
  if (!bench_run_until (bench, subscribe_step, bench_step_deadline (bench)))
    result->partial = TRUE;
  result->subscriptions = bench->subscribe_answers - bench->subscribe_errors;
  result->subscribe_errors = bench->subscribe_errors;
  result->subscribe_seconds = seconds_between (start, now_ns ());
}

/* Next job of the step's range with at least one subscriber, or range_end. */
static guint
bench_next_publishable (Bench *bench)
{
  if (bench->cannot_publish)
    bench->next_job = bench->range_end;
  while (bench->next_job < bench->range_end && bench->jobs[bench->next_job].subscribers == 0)
    bench->next_job++;
  return bench->next_job;
}

static gboolean
paced_step (Bench *bench)
{
  BenchPublisher *publisher = &bench->publishers[0];
  gint64 now = now_ns ();
  guint job;

  if (bench->paced_job >= 0)
    {
      BenchJob *current = &bench->jobs[bench->paced_job];
      gboolean finished = current->delivered >= current->subscribers || current->publish_failed
                          || now >= bench->paced_deadline;

      if (!finished || publisher->busy)
        return FALSE;
      bench->paced_job = -1;
    }
  job = bench_next_publishable (bench);
  if (job >= bench->range_end)
    return TRUE;
  bench->next_job++;
  bench->range_expected += bench->jobs[job].subscribers;
  if (publisher_send (bench, publisher, job))
    {
      bench->paced_job = job;
      bench->paced_deadline = now + PACED_PUBLISH_WAIT_NS;
    }
  return FALSE;
}

static void
bench_pump_burst (Bench *bench)
{
  if (bench->samples == NULL || bench->paced_job != -2)
    return;
  /* The publishing window is over: the jobs left are simply not published (and not counted). */
  if (now_ns () >= bench->burst_publish_until)
    bench->next_job = bench->range_end;
  for (guint i = 0; i < bench->n_publishers; i++)
    {
      BenchPublisher *publisher = &bench->publishers[i];
      guint job;

      if (publisher->busy)
        continue;
      job = bench_next_publishable (bench);
      if (job >= bench->range_end)
        return;
      bench->next_job++;
      bench->range_expected += bench->jobs[job].subscribers;
      if (!publisher_send (bench, publisher, job))
        return;
    }
}

static gboolean
burst_step (Bench *bench)
{
  gboolean publishers_idle = TRUE;

  bench_pump_burst (bench);
  for (guint i = 0; i < bench->n_publishers; i++)
    publishers_idle = publishers_idle && !bench->publishers[i].busy;
  if (bench_next_publishable (bench) < bench->range_end || !publishers_idle)
    return FALSE;
  if (bench->range_deliveries >= bench->range_expected)
    return TRUE;
  /* Everything is published and answered: deliveries still missing get a bounded grace. */
  return now_ns () - MAX (bench->last_delivery_at, bench->last_publish_at) > BURST_DRAIN_NS;
}

static guint64
bench_count_lost (Bench *bench,
                  guint  start,
                  guint  end)
{
  guint64 lost = 0;

  for (guint j = start; j < end; j++)
    if (bench->jobs[j].published_at != 0 && !bench->jobs[j].publish_failed
        && bench->jobs[j].delivered < bench->jobs[j].subscribers)
      lost += bench->jobs[j].subscribers - bench->jobs[j].delivered;
  return lost;
}

static void
bench_run_delivery_phase (Bench       *bench,
                          char         phase,
                          gboolean     fan_out,
                          PhaseResult *result)
{
  guint open = MAX (bench->open_clients, 1);
  guint paced_jobs = fan_out ? MAX (3, (bench->latency_samples + open - 1) / open)
                             : bench->latency_samples;
  guint burst_jobs = fan_out ? MAX (1, (bench->deliveries + open - 1) / open) : bench->deliveries;
  g_autoptr(GDateTime) utc = g_date_time_new_now_utc ();
  g_autofree char *iso = g_date_time_format_iso8601 (utc);
  double server_cpu_start = 0.0;
  double server_cpu_end = 0.0;
  double bench_cpu_start;
  gint64 burst_start;

  result->ran = TRUE;
  result->paced = g_array_new (FALSE, FALSE, sizeof (gint64));
  result->burst = g_array_new (FALSE, FALSE, sizeof (gint64));
  if (bench->open_clients == 0 || bench_out_of_time (bench))
    {
      result->partial = TRUE;
      return;
    }

  bench->job_phase = phase;
  bench->job_stamp_ms = g_get_real_time () / 1000;
  g_strlcpy (bench->iso_timestamp, iso, sizeof bench->iso_timestamp);
  bench->n_jobs = paced_jobs + burst_jobs;
  bench->jobs = g_new0 (BenchJob, bench->n_jobs);
  bench->range_start = bench->range_end = 0;
  bench->samples = NULL;

  g_printerr ("  %s: subscribing %u jobs%s\n", fan_out ? "fan-out" : "per-job", bench->n_jobs,
              fan_out ? " on every connection" : "");
  bench_subscribe (bench, fan_out, result);

  /* Paced: one publish in flight, so the latency is the server's, not a queue's. */
  g_printerr ("  %s: paced publishes\n", fan_out ? "fan-out" : "per-job");
  bench->range_start = bench->next_job = 0;
  bench->range_end = paced_jobs;
  bench->range_deliveries = bench->range_expected = 0;
  bench->paced_job = -1;
  bench->samples = result->paced;
  if (!bench_run_until (bench, paced_step, bench_step_deadline (bench)))
    result->partial = TRUE;
  result->lost += bench_count_lost (bench, 0, paced_jobs);

  /* Burst: every publisher busy all the time, for the whole burst or --burst-seconds; pushes per
   * second from the first publish to the last delivery. paced_job -2 lets the publisher
   * callbacks keep the publishers busy. */
  g_printerr ("  %s: burst of %u publishes\n", fan_out ? "fan-out" : "per-job", burst_jobs);
  bench->range_start = bench->next_job = paced_jobs;
  bench->range_end = bench->n_jobs;
  bench->range_deliveries = bench->range_expected = 0;
  bench->paced_job = -2;
  bench->samples = result->burst;
  if (bench->server != NULL && !read_cpu_seconds (bench->server->pid, &server_cpu_start))
    server_cpu_start = -1.0;
  bench_cpu_start = process_cpu_seconds ();
  burst_start = now_ns ();
  bench->last_delivery_at = burst_start;
  bench->burst_publish_until = burst_start
                               + (gint64) (bench->burst_seconds * (double) NS_PER_SECOND);
  if (!bench_run_until (bench, burst_step, bench_step_deadline (bench)))
    result->partial = TRUE;
  result->burst_deliveries = bench->range_deliveries;
  for (guint j = paced_jobs; j < bench->n_jobs; j++)
    if (bench->jobs[j].published_at != 0)
      result->burst_publishes++;
  result->burst_seconds = seconds_between (burst_start, bench->last_delivery_at);
  if (server_cpu_start >= 0.0 && bench->server != NULL
      && read_cpu_seconds (bench->server->pid, &server_cpu_end) && result->burst_seconds > 0)
    result->server_cpu_percent = 100.0 * (server_cpu_end - server_cpu_start)
                                 / seconds_between (burst_start, now_ns ());
  result->bench_cpu_percent = 100.0 * (process_cpu_seconds () - bench_cpu_start)
                              / MAX (seconds_between (burst_start, now_ns ()), 1e-9);
  result->lost += bench_count_lost (bench, paced_jobs, bench->n_jobs);
  if (bench->cannot_publish)
    result->partial = TRUE;

  bench->samples = NULL;
  bench->paced_job = -1;
  g_array_sort (result->paced, percentile_compare);
  g_array_sort (result->burst, percentile_compare);
  g_clear_pointer (&bench->jobs, g_free);
  bench->n_jobs = 0;
  /* Let stragglers of this phase arrive before the next one starts counting. */
  bench_settle (bench, 200 * NS_PER_MS);
}

static void
bench_close_connections (Bench *bench)
{
  for (guint i = 0; i < bench->n_clients; i++)
    {
      BenchClient *client = &bench->clients[i];

      endpoint_close (&client->endpoint);
      endpoint_free_buffers (&client->endpoint);
      g_clear_pointer (&client->fragments, g_byte_array_unref);
    }
  g_clear_pointer (&bench->clients, g_free);
  bench->n_clients = bench->next_to_connect = 0;
  bench->in_progress = bench->open_clients = bench->handshakes = bench->connect_failures = 0;
  bench->pings_in_flight = 0;
  for (guint i = 0; i < bench->n_publishers; i++)
    {
      endpoint_close (&bench->publishers[i].endpoint);
      endpoint_free_buffers (&bench->publishers[i].endpoint);
      bench->publishers[i].busy = FALSE;
      bench->publishers[i].job = -1;
    }
}

static void
bench_run_target (Bench             *bench,
                  const BenchTarget *target,
                  guint              n,
                  RunResult         *result)
{
  BenchServer server;

  result->label = target->label;
  result->n = n;
  g_printerr ("%s, %u clients\n", target->label, n);
  if (!server_start (bench, &server, target))
    {
      result->failure = g_strdup ("the server did not start");
      server_stop (bench, &server);
      return;
    }
  result->started = TRUE;
  bench->server_closes = 0;
  bench->last_close_code = 0;

  /* Publisher connections first: they also warm up the server's HTTP side before the RSS. */
  for (guint i = 0; i < bench->n_publishers; i++)
    {
      endpoint_init (&bench->publishers[i].endpoint, ENDPOINT_PUBLISHER);
      if (!publisher_connect (bench, &bench->publishers[i]))
        {
          result->failure = g_strdup ("cannot connect to the server for publishing");
          goto out;
        }
    }
  if (!bench_read_settled_rss (bench, server.pid, &result->rss_before_kib))
    g_printerr ("cannot read the server's VmRSS\n");

  g_printerr ("  connecting\n");
  bench_connect_clients (bench, n, result);
  if (bench->first_client_failure != NULL)
    g_printerr ("  first connection failure: %s\n", bench->first_client_failure);
  if (!bench_read_settled_rss (bench, server.pid, &result->rss_after_kib))
    g_printerr ("cannot read the server's VmRSS\n");
  if (bench->open_clients == 0)
    {
      result->failure = g_strdup ("no connection was established");
      goto out;
    }

  g_printerr ("  ping round trips\n");
  bench_measure_pings (bench, result);
  bench_run_delivery_phase (bench, 'p', FALSE, &result->per_job);
  bench_run_delivery_phase (bench, 'f', TRUE, &result->fan_out);

out:
  result->server_closes = bench->server_closes;
  result->last_close_code = bench->last_close_code;
  if (bench->first_error != NULL)
    g_printerr ("  first error answer: %s\n", bench->first_error);
  if (bench->first_publish_failure != NULL)
    g_printerr ("  first publish failure: %s\n", bench->first_publish_failure);
  if (bench->unexpected_messages > 0)
    g_printerr ("  %" G_GUINT64_FORMAT " unexpected messages\n", bench->unexpected_messages);
  g_clear_pointer (&bench->first_error, g_free);
  g_clear_pointer (&bench->first_publish_failure, g_free);
  g_clear_pointer (&bench->first_client_failure, g_free);
  bench->unexpected_messages = 0;
  bench->publish_failures = 0;
  bench->cannot_publish = FALSE;
  bench_close_connections (bench);
  bench->server = NULL;
  server_stop (bench, &server);
}

/* ------------------------------------------------------------------------------------------ */
/* Report                                                                                       */

static void
format_ms (char   *buffer,
           gsize   size,
           double  ms)
{
  if (ms < 0)
    g_strlcpy (buffer, "-", size);
  else
    g_snprintf (buffer, size, ms < 10 ? "%.2f" : "%.1f", ms);
}

static void
print_phase_row (const RunResult   *run,
                 const char        *mode,
                 const PhaseResult *phase)
{
  char p50[16], p99[16], p999[16], b50[16], b99[16];
  double pushes = phase->burst_seconds > 0 ? (double) phase->burst_deliveries / phase->burst_seconds
                                           : 0.0;

  format_ms (p50, sizeof p50, percentile_ms (phase->paced, 0.50));
  format_ms (p99, sizeof p99, percentile_ms (phase->paced, 0.99));
  format_ms (p999, sizeof p999, percentile_ms (phase->paced, 0.999));
  format_ms (b50, sizeof b50, percentile_ms (phase->burst, 0.50));
  format_ms (b99, sizeof b99, percentile_ms (phase->burst, 0.99));
  g_print ("| %s | %u | %s%s | %" G_GUINT64_FORMAT " | %.0f | %u | %s | %s | %s | %"
           G_GUINT64_FORMAT " | %" G_GUINT64_FORMAT " | %.0f | %s | %s | %" G_GUINT64_FORMAT
           " | %.0f | %.0f |\n",
           run->label, run->n, mode, phase->partial ? "*" : "", phase->subscriptions,
           phase->subscribe_seconds > 0 ? (double) phase->subscriptions / phase->subscribe_seconds
                                        : 0.0,
           phase->paced != NULL ? phase->paced->len : 0, p50, p99, p999, phase->burst_publishes,
           phase->burst_deliveries,
           pushes, b50, b99, phase->lost, phase->server_cpu_percent, phase->bench_cpu_percent);
}

static void
print_report (GArray *runs)
{
  g_print ("\n### Connections\n\n"
           "| server | N | connected | connect s | accepted/s | RSS before MiB | RSS after MiB "
           "| KiB/conn | ping rt/s | server closes |\n"
           "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (guint i = 0; i < runs->len; i++)
    {
      RunResult *run = &g_array_index (runs, RunResult, i);
      double per_connection = run->connected > 0
                                ? ((double) run->rss_after_kib - (double) run->rss_before_kib)
                                    / run->connected
                                : 0.0;
      char close_code[32] = "";

      if (!run->started)
        {
          g_print ("| %s | %u | %s |\n", run->label, run->n,
                   run->failure != NULL ? run->failure : "not run");
          continue;
        }
      if (run->last_close_code != 0)
        g_snprintf (close_code, sizeof close_code, " (last code %u)", run->last_close_code);
      g_print ("| %s | %u | %u%s | %.2f | %.0f | %.1f | %.1f | %.2f | %.0f%s | %u%s |\n",
               run->label, run->n, run->connected, run->connect_partial ? "*" : "",
               run->connect_seconds,
               run->connect_seconds > 0 ? run->connected / run->connect_seconds : 0.0,
               run->rss_before_kib / 1024.0, run->rss_after_kib / 1024.0, per_connection,
               run->ping_rate, run->ping_partial ? "*" : "", run->server_closes, close_code);
    }

  g_print ("\n### Deliveries (latency: publish to receive, same host, CLOCK_MONOTONIC)\n\n"
           "| server | N | mode | subscriptions | subscribes/s | paced samples | p50 ms | p99 ms "
           "| p99.9 ms | burst publishes | burst deliveries | pushes/s | burst p50 ms | burst p99 ms | lost "
           "| server CPU %% | bench CPU %% |\n"
           "|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
  for (guint i = 0; i < runs->len; i++)
    {
      RunResult *run = &g_array_index (runs, RunResult, i);

      if (run->per_job.ran)
        print_phase_row (run, "per-job", &run->per_job);
      if (run->fan_out.ran)
        print_phase_row (run, "fan-out", &run->fan_out);
    }
  g_print ("\n`*`: a step hit its time cap; the figures are what it measured until then.\n"
           "A burst publishes for at most --burst-seconds, then waits for its deliveries.\n"
           "CPU %%: 100 = one core, measured over the burst.\n");
}

/* ------------------------------------------------------------------------------------------ */
/* main                                                                                         */

static void
interrupt_cb (int signal_number)
{
  interrupted = 1;
}

static void
catch_interrupts (void)
{
  struct sigaction action;

  memset (&action, 0, sizeof action);
  action.sa_handler = interrupt_cb;
  if (sigemptyset (&action.sa_mask) != 0 || sigaction (SIGINT, &action, NULL) != 0
      || sigaction (SIGTERM, &action, NULL) != 0)
    g_printerr ("sigaction: %s\n", g_strerror (errno));
}

static void
raise_file_limit (void)
{
  struct rlimit limit;

  /* Thousands of sockets on both sides: the child inherits the raised soft limit. */
  if (getrlimit (RLIMIT_NOFILE, &limit) != 0)
    {
      g_printerr ("getrlimit: %s\n", g_strerror (errno));
      return;
    }
  if (limit.rlim_cur < limit.rlim_max)
    {
      limit.rlim_cur = limit.rlim_max;
      if (setrlimit (RLIMIT_NOFILE, &limit) != 0)
        g_printerr ("setrlimit: %s\n", g_strerror (errno));
    }
}

static char *
executable_dir (void)
{
  g_autofree char *self = g_file_read_link ("/proc/self/exe", NULL);

  return self != NULL ? g_path_get_dirname (self) : g_strdup (".");
}

static GArray *
parse_client_counts (const char  *list,
                     GError     **error)
{
  g_autoptr(GArray) counts = g_array_new (FALSE, FALSE, sizeof (guint));
  g_auto(GStrv) items = g_strsplit (list, ",", 32);

  for (guint i = 0; items[i] != NULL; i++)
    {
      guint64 value;
      guint count;

      if (!g_ascii_string_to_unsigned (g_strstrip (items[i]), 10, 1, 100000, &value, error))
        return NULL;
      count = (guint) value;
      g_array_append_val (counts, count);
    }
  return g_steal_pointer (&counts);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *server_path = NULL;
  g_autofree char *clients_list = NULL;
  g_autofree char *node_path = NULL;
  g_autofree char *peer_script = NULL;
  g_autofree char *peer_modules = NULL;
  g_auto(GStrv) server_args = NULL;
  gboolean no_peer = FALSE;
  gint connect_window = 0;
  gint publishers = 4;
  gint deliveries = 20000;
  gint latency_samples = 2000;
  double ping_seconds = 3.0;
  double burst_seconds = 10.0;
  double phase_seconds = 60.0;
  double max_seconds = 1800.0;
  GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_FILENAME, &server_path,
      "bookimg-server binary (default: $BOOKIMG_SERVER, else the one in this build dir)", "PATH" },
    { "server-arg", 0, 0, G_OPTION_ARG_STRING_ARRAY, &server_args,
      "Extra argument for bookimg-server (repeatable), e.g. --server-arg=--send-queue-limit=256",
      "ARG" },
    { "clients", 0, 0, G_OPTION_ARG_STRING, &clients_list,
      "Client counts to measure (default 100,1000,5000)", "N,N,..." },
    { "connect-window", 0, 0, G_OPTION_ARG_INT, &connect_window,
      "Connects in flight at once (default 0: all at once)", "N" },
    { "publishers", 0, 0, G_OPTION_ARG_INT, &publishers,
      "Keep-alive HTTP connections publishing during a burst (default 4)", "N" },
    { "deliveries", 0, 0, G_OPTION_ARG_INT, &deliveries,
      "Deliveries per burst (default 20000)", "N" },
    { "latency-samples", 0, 0, G_OPTION_ARG_INT, &latency_samples,
      "Paced latency samples per phase (default 2000)", "N" },
    { "ping-seconds", 0, 0, G_OPTION_ARG_DOUBLE, &ping_seconds,
      "Length of the ping measurement (default 3)", "S" },
    { "burst-seconds", 0, 0, G_OPTION_ARG_DOUBLE, &burst_seconds,
      "Longest publishing time of a burst, before its deliveries drain (default 10)", "S" },
    { "phase-seconds", 0, 0, G_OPTION_ARG_DOUBLE, &phase_seconds,
      "Time cap of every step (default 60)", "S" },
    { "max-seconds", 0, 0, G_OPTION_ARG_DOUBLE, &max_seconds,
      "No new step starts after this many seconds (default 1800)", "S" },
    { "no-peer", 0, 0, G_OPTION_ARG_NONE, &no_peer,
      "Do not measure the Node ws peer", NULL },
    { "peer-script", 0, 0, G_OPTION_ARG_FILENAME, &peer_script,
      "peer-ws-server.js (default: beside this program)", "PATH" },
    { "peer-modules", 0, 0, G_OPTION_ARG_FILENAME, &peer_modules,
      "node_modules holding ws (default: bench-peer/node_modules beside this program)", "DIR" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- WebSocket notification fan-out");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) counts = NULL;
  g_autoptr(GArray) targets = g_array_new (FALSE, TRUE, sizeof (BenchTarget));
  g_autoptr(GArray) runs = g_array_new (FALSE, TRUE, sizeof (RunResult));
  g_autofree char *self_dir = executable_dir ();
  g_autoptr(GPtrArray) server_argv = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) peer_argv = NULL;
  g_auto(GStrv) peer_envp = NULL;
  g_autofree char *ws_package = NULL;
  Bench bench;

  g_option_context_add_main_entries (context, entries, NULL);
  g_option_context_set_summary (context,
    "Starts bookimg-server (and a Node ws peer when available) for each client count, connects\n"
    "the clients, and prints accept rate, RSS per idle connection, ping rate, publish-to-receive\n"
    "latency and pushes per second. Figures only: it never fails on time.");
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  if (publishers < 1 || publishers > MAX_PUBLISHERS || deliveries < 1 || latency_samples < 1
      || connect_window < 0 || ping_seconds <= 0 || burst_seconds <= 0 || phase_seconds <= 0 || max_seconds <= 0)
    {
      g_printerr ("invalid option value (publishers 1-%d, counts and durations positive)\n",
                  MAX_PUBLISHERS);
      return 1;
    }
  counts = parse_client_counts (clients_list != NULL ? clients_list : "100,1000,5000", &error);
  if (counts == NULL)
    {
      g_printerr ("--clients: %s\n", error->message);
      return 1;
    }

  if (server_path == NULL && g_getenv ("BOOKIMG_SERVER") != NULL)
    server_path = g_strdup (g_getenv ("BOOKIMG_SERVER"));
  if (server_path == NULL)
    server_path = g_build_filename (self_dir, "..", "backend", "local", "bookimg-server", NULL);
  if (!g_file_test (server_path, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_printerr ("%s is not an executable: build bookimg-server first, or pass --server PATH "
                  "(or set BOOKIMG_SERVER)\n", server_path);
      return 1;
    }

  raise_file_limit ();
  catch_interrupts ();
  /* Tesseract reads this when the server starts; setting it there is too late (see the
   * architecture's facts). The fan-out runs no OCR, but the server should run as it always does. */
  if (!g_setenv ("OMP_THREAD_LIMIT", "1", TRUE))
    g_printerr ("cannot set OMP_THREAD_LIMIT\n");

  g_ptr_array_add (server_argv, g_strdup (server_path));
  g_ptr_array_add (server_argv, g_strdup ("--listen"));
  g_ptr_array_add (server_argv, g_strdup ("127.0.0.1:0"));
  g_ptr_array_add (server_argv, g_strdup ("--data-dir"));
  g_ptr_array_add (server_argv, g_strdup ("@DATA_DIR@"));
  for (guint i = 0; server_args != NULL && server_args[i] != NULL; i++)
    g_ptr_array_add (server_argv, g_strdup (server_args[i]));
  g_ptr_array_add (server_argv, NULL);
  g_array_append_val (targets, ((BenchTarget) { "bookimg-server", (char **) server_argv->pdata,
                                                environ }));

  if (!no_peer)
    {
      node_path = g_find_program_in_path ("node");
      if (peer_script == NULL)
        peer_script = g_build_filename (self_dir, "peer-ws-server.js", NULL);
      if (peer_modules == NULL)
        peer_modules = g_build_filename (self_dir, "bench-peer", "node_modules", NULL);
      ws_package = g_build_filename (peer_modules, "ws", "package.json", NULL);
      if (node_path == NULL)
        g_printerr ("node not found: skipping the Node ws peer\n");
      else if (!g_file_test (peer_script, G_FILE_TEST_IS_REGULAR))
        g_printerr ("%s not found: skipping the Node ws peer\n", peer_script);
      else if (!g_file_test (ws_package, G_FILE_TEST_IS_REGULAR))
        g_printerr ("the ws package is not in %s: skipping the Node ws peer "
                    "(tests/bench/install-peer.sh installs it)\n", peer_modules);
      else
        {
          peer_argv = g_new0 (char *, 5);
          peer_argv[0] = g_strdup (node_path);
          peer_argv[1] = g_strdup (peer_script);
          peer_argv[2] = g_strdup ("--listen");
          peer_argv[3] = g_strdup ("127.0.0.1:0");
          peer_envp = g_environ_setenv (g_get_environ (), "NODE_PATH", peer_modules, TRUE);
          g_array_append_val (targets, ((BenchTarget) { "node ws (peer)", peer_argv, peer_envp }));
        }
    }

  memset (&bench, 0, sizeof bench);
  bench.connect_window = (guint) connect_window;
  bench.n_publishers = (guint) publishers;
  bench.deliveries = (guint) deliveries;
  bench.latency_samples = (guint) latency_samples;
  bench.ping_seconds = ping_seconds;
  bench.burst_seconds = burst_seconds;
  bench.phase_seconds = phase_seconds;
  bench.global_deadline = now_ns () + (gint64) (max_seconds * (double) NS_PER_SECOND);
  bench.paced_job = -1;
  bench.epoll_fd = epoll_create1 (EPOLL_CLOEXEC);
  if (bench.epoll_fd < 0)
    {
      g_printerr ("epoll_create1: %s\n", g_strerror (errno));
      return 1;
    }
  for (guint i = 0; i < MAX_PUBLISHERS; i++)
    endpoint_init (&bench.publishers[i].endpoint, ENDPOINT_PUBLISHER);

  for (guint c = 0; c < counts->len; c++)
    for (guint t = 0; t < targets->len; t++)
      {
        RunResult result = { 0 };

        if (bench_out_of_time (&bench))
          {
            result.label = g_array_index (targets, BenchTarget, t).label;
            result.n = g_array_index (counts, guint, c);
            result.failure = g_strdup (interrupted ? "skipped: interrupted"
                                                   : "skipped: --max-seconds reached");
          }
        else
          bench_run_target (&bench, &g_array_index (targets, BenchTarget, t),
                            g_array_index (counts, guint, c), &result);
        g_array_append_val (runs, result);
      }

  print_report (runs);

  for (guint i = 0; i < runs->len; i++)
    {
      RunResult *run = &g_array_index (runs, RunResult, i);

      g_clear_pointer (&run->failure, g_free);
      g_clear_pointer (&run->per_job.paced, g_array_unref);
      g_clear_pointer (&run->per_job.burst, g_array_unref);
      g_clear_pointer (&run->fan_out.paced, g_array_unref);
      g_clear_pointer (&run->fan_out.burst, g_array_unref);
    }
  if (close (bench.epoll_fd) != 0)
    g_printerr ("close: %s\n", g_strerror (errno));
  return 0;
}
