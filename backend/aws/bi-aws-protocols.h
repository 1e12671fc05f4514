/* bi-aws-protocols.h — the two RPC shapes of the services we call, over bi_aws_client_send
 *
 * Query protocol (SQS as sqslite speaks it, SNS): a form POST to "/" with Action and Version,
 * answered in XML. JSON protocol (DynamoDB 1.0, Textract 1.1): a JSON POST to "/" with
 * X-Amz-Target "PREFIX.Operation", answered in JSON.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <json-glib/json-glib.h>

#include "bi-aws-client.h"

G_BEGIN_DECLS

/* @params: NULL-terminated name, value, name, value, … Returns the XML answer's body. */
GBytes   *bi_aws_query_call (BiAwsClient         *client,
                             BiAwsService         service,
                             const char          *version,
                             const char          *action,
                             const char * const  *params,
                             GError             **error);

/* @json_version "1.0" or "1.1"; @target_prefix "DynamoDB_20120810", "Textract". Returns the
 * answer's JSON (an object; BI_AWS_ERROR_BAD_RESPONSE otherwise). */
JsonNode *bi_aws_json_call  (BiAwsClient         *client,
                             BiAwsService         service,
                             const char          *json_version,
                             const char          *target_prefix,
                             const char          *operation,
                             JsonNode            *request,
                             GError             **error);

/* Parses @body as a JSON object for @what; BI_AWS_ERROR_BAD_RESPONSE otherwise. */
JsonNode *bi_aws_json_parse_object (GBytes     *body,
                                    const char *what,
                                    GError    **error);

G_END_DECLS
