# Final results: the validator (and any stage's permanent failure) publishes to the topic; the
# notifier pushes them to the job's WebSocket subscribers.

resource "aws_sns_topic" "results" {
  name              = "${var.name_prefix}-results"
  kms_master_key_id = "alias/aws/sns"
}

resource "aws_sns_topic_subscription" "notifier" {
  topic_arn = aws_sns_topic.results.arn
  protocol  = "lambda"
  endpoint  = aws_lambda_function.stage["sns-notifier"].arn
}

resource "aws_lambda_permission" "sns_invokes_notifier" {
  statement_id  = "AllowSNSInvoke"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.stage["sns-notifier"].function_name
  principal     = "sns.amazonaws.com"
  source_arn    = aws_sns_topic.results.arn
}

# WebSocket subscriptions: one row per (job, connection).
locals {
  connection_index = "connectionId-index"
}

resource "aws_dynamodb_table" "connections" {
  name         = "${var.name_prefix}-connections"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "jobId"
  range_key    = "connectionId"

  attribute {
    name = "jobId"
    type = "S"
  }

  attribute {
    name = "connectionId"
    type = "S"
  }

  # $disconnect deletes every row of a connection: found through this index.
  global_secondary_index {
    name            = local.connection_index
    hash_key        = "connectionId"
    range_key       = "jobId"
    projection_type = "KEYS_ONLY"
  }

  # Rows of connections that vanished without $disconnect expire (reads also skip expired rows,
  # since DynamoDB deletes them only eventually).
  ttl {
    attribute_name = "expiresAt"
    enabled        = true
  }

  server_side_encryption {
    enabled = true
  }
}
