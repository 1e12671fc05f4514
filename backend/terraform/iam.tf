# One role per function, each allowed only what its handler does.

locals {
  uploads_objects = "${aws_s3_bucket.uploads.arn}/*"
  results_objects = "${aws_s3_bucket.results.arn}/*"
  # Without s3:ListBucket, S3 answers 403 instead of 404 for a missing key; the stages tell
  # "not made yet" from "denied" (idempotent outputs, pending results) by that 404.
  list_results = { actions = ["s3:ListBucket"], resources = [aws_s3_bucket.results.arn] }
  read_write_results = {
    actions   = ["s3:GetObject", "s3:PutObject"]
    resources = [local.results_objects]
  }
  publish_results = { actions = ["sns:Publish"], resources = [aws_sns_topic.results.arn] }
  manage_connections = {
    actions   = ["execute-api:ManageConnections"]
    resources = ["${aws_apigatewayv2_api.websocket.execution_arn}/${local.websocket_stage}/*/@connections/*"]
  }
  connections_table = [aws_dynamodb_table.connections.arn,
                       "${aws_dynamodb_table.connections.arn}/index/${local.connection_index}"]

  consume = { for queue, function in local.stage_queues : function => {
    actions = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
               "sqs:ChangeMessageVisibility"]
    resources = [aws_sqs_queue.stage[queue].arn]
  } }
  # Lambda sends an asynchronous event that failed with the function's own role.
  send_failed_event = { for function in local.asynchronous_functions : function => {
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.failed_event[function].arn]
  } }
  send_to = { for queue, function in local.stage_queues : queue => {
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.stage[queue].arn]
  } }

  function_permissions = {
    "upload-handler" = [
      { actions = ["s3:GetObject"], resources = [local.uploads_objects] },
      local.send_failed_event["upload-handler"],
      { actions = ["s3:ListBucket"], resources = [aws_s3_bucket.uploads.arn] },
      local.list_results, local.read_write_results,
      local.send_to["ocr"], local.publish_results,
    ]
    "textract-processor" = [
      local.consume["textract-processor"],
      { actions = ["s3:GetObject"], resources = [local.uploads_objects] },
      local.list_results, local.read_write_results,
      # Textract has no resource-level permissions for DetectDocumentText.
      { actions = ["textract:DetectDocumentText"], resources = ["*"] },
      local.send_to["candidates"], local.publish_results,
    ]
    "bedrock-processor" = [
      local.consume["bedrock-processor"],
      local.list_results, local.read_write_results,
      { actions = ["bedrock:InvokeModel"],
        resources = ["arn:${data.aws_partition.current.partition}:bedrock:${var.region}::foundation-model/${var.bedrock_model_id}"] },
      local.send_to["validation"], local.publish_results,
    ]
    "book-validator" = [
      local.consume["book-validator"],
      local.list_results, local.read_write_results,
      local.publish_results,
    ]
    "connection-manager" = [
      { actions = ["dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:Query"],
        resources = local.connections_table },
      # A late subscriber is answered from the stored result.
      local.list_results,
      { actions = ["s3:GetObject"], resources = [local.results_objects] },
      local.manage_connections,
    ]
    "sns-notifier" = [
      { actions = ["dynamodb:Query", "dynamodb:DeleteItem"], resources = local.connections_table },
      local.send_failed_event["sns-notifier"],
      local.manage_connections,
    ]
    "http-api" = [
      # Presigned upload URLs are signed with this role's credentials.
      { actions = ["s3:PutObject"], resources = [local.uploads_objects] },
      { actions = ["s3:GetObject"], resources = [local.uploads_objects, local.results_objects] },
      { actions = ["s3:ListBucket"], resources = [aws_s3_bucket.uploads.arn, aws_s3_bucket.results.arn] },
    ]
  }
}

data "aws_iam_policy_document" "lambda_assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "function" {
  for_each           = local.functions
  name               = "${var.name_prefix}-${each.key}"
  assume_role_policy = data.aws_iam_policy_document.lambda_assume.json
}

data "aws_iam_policy_document" "function" {
  for_each = local.functions

  statement {
    sid       = "OwnLogGroup"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.function[each.key].arn}:*"]
  }

  dynamic "statement" {
    for_each = local.function_permissions[each.key]
    content {
      actions   = statement.value.actions
      resources = statement.value.resources
    }
  }
}

resource "aws_iam_role_policy" "function" {
  for_each = local.functions
  name     = "${var.name_prefix}-${each.key}"
  role     = aws_iam_role.function[each.key].id
  policy   = data.aws_iam_policy_document.function[each.key].json
}
