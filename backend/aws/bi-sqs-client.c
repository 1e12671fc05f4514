/* bi-sqs-client.c — SQS SendMessage / GetQueueUrl / CreateQueue; the BiQueue adapter
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-sqs-client"

#include "bi-sqs-client.h"

#include "bi-aws-protocols.h"
#include "bi-aws-xml.h"

struct _BiSqsQueue
{
  BiQueue      port;       /* first: the port is the adapter */
  BiAwsClient *client;     /* borrowed */
  char        *prefix;
  GMutex       lock;       /* guards urls: send() runs on any worker thread */
  GHashTable  *urls;       /* port queue name → queue URL */
};

/* The text of @element in an XML answer, or BI_AWS_ERROR_BAD_RESPONSE. */
static char *
answer_text (GBytes     *answer,
             const char *element,
             const char *what,
             GError    **error)
{
  gsize size = 0;
  const char *data = g_bytes_get_data (answer, &size);
  char *text = bi_aws_xml_find_text (data, size, element);

  if (text == NULL)
    g_set_error (error, BI_AWS_ERROR, BI_AWS_ERROR_BAD_RESPONSE,
                 "%s: the answer has no <%s>.", what, element);
  return text;
}

char *
bi_sqs_send_message (BiAwsClient  *client,
                     const char   *queue_url,
                     const char   *body,
                     GError      **error)
{
  const char *params[] = { "QueueUrl", queue_url, "MessageBody", body, NULL };
  g_autoptr(GBytes) answer = NULL;

  g_return_val_if_fail (queue_url != NULL && body != NULL, NULL);

  answer = bi_aws_query_call (client, BI_AWS_SERVICE_SQS, BI_SQS_API_VERSION, "SendMessage",
                              params, error);
  return answer != NULL ? answer_text (answer, "MessageId", "SQS SendMessage", error) : NULL;
}

char *
bi_sqs_get_queue_url (BiAwsClient  *client,
                      const char   *queue_name,
                      GError      **error)
{
  const char *params[] = { "QueueName", queue_name, NULL };
  g_autoptr(GBytes) answer = bi_aws_query_call (client, BI_AWS_SERVICE_SQS, BI_SQS_API_VERSION,
                                                "GetQueueUrl", params, error);

  return answer != NULL ? answer_text (answer, "QueueUrl", "SQS GetQueueUrl", error) : NULL;
}

char *
bi_sqs_create_queue (BiAwsClient  *client,
                     const char   *queue_name,
                     GError      **error)
{
  const char *params[] = { "QueueName", queue_name, NULL };
  g_autoptr(GBytes) answer = bi_aws_query_call (client, BI_AWS_SERVICE_SQS, BI_SQS_API_VERSION,
                                                "CreateQueue", params, error);

  return answer != NULL ? answer_text (answer, "QueueUrl", "SQS CreateQueue", error) : NULL;
}

/* ---- BiQueue ----------------------------------------------------------------------------- */

static char *
queue_url_for (BiSqsQueue  *self,
               const char  *queue_name,
               GError     **error)
{
  g_autofree char *sqs_name = NULL;
  char *url;

  g_mutex_lock (&self->lock);
  url = g_strdup (g_hash_table_lookup (self->urls, queue_name));
  g_mutex_unlock (&self->lock);
  if (url != NULL)
    return url;

  sqs_name = g_strdup_printf ("%s-%s", self->prefix, queue_name);
  url = bi_sqs_get_queue_url (self->client, sqs_name, error);
  if (url == NULL)
    return NULL;

  g_mutex_lock (&self->lock);
  g_hash_table_replace (self->urls, g_strdup (queue_name), g_strdup (url));
  g_mutex_unlock (&self->lock);
  return url;
}

static gboolean
queue_send (BiQueue     *port,
            const char  *queue_name,
            const char  *body,
            GError     **error)
{
  BiSqsQueue *self = (BiSqsQueue *) port;
  g_autofree char *url = queue_url_for (self, queue_name, error);
  g_autofree char *message_id = NULL;

  if (url == NULL)
    return FALSE;
  message_id = bi_sqs_send_message (self->client, url, body, error);
  return message_id != NULL;
}

BiSqsQueue *
bi_sqs_queue_new (BiAwsClient *client,
                  const char  *prefix)
{
  BiSqsQueue *self;

  g_return_val_if_fail (client != NULL && prefix != NULL, NULL);

  self = g_new0 (BiSqsQueue, 1);
  self->port.send = queue_send;
  self->client = client;
  self->prefix = g_strdup (prefix);
  g_mutex_init (&self->lock);
  self->urls = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return self;
}

void
bi_sqs_queue_free (BiSqsQueue *self)
{
  if (self == NULL)
    return;

  g_hash_table_unref (self->urls);
  g_mutex_clear (&self->lock);
  g_free (self->prefix);
  g_free (self);
}

void
bi_sqs_queue_set_url (BiSqsQueue *self,
                      const char *queue_name,
                      const char *queue_url)
{
  g_mutex_lock (&self->lock);
  g_hash_table_replace (self->urls, g_strdup (queue_name), g_strdup (queue_url));
  g_mutex_unlock (&self->lock);
}

BiQueue *
bi_sqs_queue_as_port (BiSqsQueue *self)
{
  return &self->port;
}
