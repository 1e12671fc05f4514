/* bi-aws-xml.h — reading the few values we need from AWS's XML answers
 *
 * S3, SQS (query protocol) and SNS answer in XML; we read element texts by name (MessageId,
 * QueueUrl, Code, Message) with GMarkup, which checks well-formedness and decodes entities.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The text of the first element named @element (local name, any namespace prefix), or NULL
 * when there is none or the document is not well-formed XML. */
char *bi_aws_xml_find_text (const char *xml,
                            gsize       length,
                            const char *element);

G_END_DECLS
