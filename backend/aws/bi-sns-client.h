/* bi-sns-client.h — SNS Publish (query protocol) and the BiTopic adapter
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "bi-aws-client.h"
#include "bi-ports.h"

G_BEGIN_DECLS

#define BI_SNS_API_VERSION "2010-03-31"

/* Returns the MessageId. */
char       *bi_sns_publish        (BiAwsClient  *client,
                                   const char   *topic_arn,
                                   const char   *message,
                                   GError      **error);

typedef struct _BiSnsTopic BiSnsTopic;

/* @client is borrowed; publishes to @topic_arn. */
BiSnsTopic *bi_sns_topic_new      (BiAwsClient *client,
                                   const char  *topic_arn);
void        bi_sns_topic_free     (BiSnsTopic  *self);
BiTopic    *bi_sns_topic_as_port  (BiSnsTopic  *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BiSnsTopic, bi_sns_topic_free)

G_END_DECLS
