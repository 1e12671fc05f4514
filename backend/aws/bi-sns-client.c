/* bi-sns-client.c — SNS Publish; the BiTopic adapter
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "bi-sns-client"

#include "bi-sns-client.h"

#include "bi-aws-protocols.h"
#include "bi-aws-xml.h"

struct _BiSnsTopic
{
  BiTopic      port;      /* first: the port is the adapter */
  BiAwsClient *client;    /* borrowed */
  char        *topic_arn;
};

char *
bi_sns_publish (BiAwsClient  *client,
                const char   *topic_arn,
                const char   *message,
                GError      **error)
{
  const char *params[] = { "TopicArn", topic_arn, "Message", message, NULL };
  g_autoptr(GBytes) answer = NULL;
  gsize size = 0;
  const char *data;
  char *message_id;

  g_return_val_if_fail (topic_arn != NULL && message != NULL, NULL);

  answer = bi_aws_query_call (client, BI_AWS_SERVICE_SNS, BI_SNS_API_VERSION, "Publish",
                              params, error);
  if (answer == NULL)
    return NULL;
  data = g_bytes_get_data (answer, &size);
  message_id = bi_aws_xml_find_text (data, size, "MessageId");
  if (message_id == NULL)
    g_set_error_literal (error, BI_AWS_ERROR, BI_AWS_ERROR_BAD_RESPONSE,
                         "SNS Publish: the answer has no <MessageId>.");
  return message_id;
}

static gboolean
topic_publish (BiTopic     *port,
               const char  *message,
               GError     **error)
{
  BiSnsTopic *self = (BiSnsTopic *) port;
  g_autofree char *message_id = bi_sns_publish (self->client, self->topic_arn, message, error);

  return message_id != NULL;
}

BiSnsTopic *
bi_sns_topic_new (BiAwsClient *client,
                  const char  *topic_arn)
{
  BiSnsTopic *self;

  g_return_val_if_fail (client != NULL && topic_arn != NULL, NULL);

  self = g_new0 (BiSnsTopic, 1);
  self->port.publish = topic_publish;
  self->client = client;
  self->topic_arn = g_strdup (topic_arn);
  return self;
}

void
bi_sns_topic_free (BiSnsTopic *self)
{
  if (self == NULL)
    return;

  g_free (self->topic_arn);
  g_free (self);
}

BiTopic *
bi_sns_topic_as_port (BiSnsTopic *self)
{
  return &self->port;
}
