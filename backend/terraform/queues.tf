# The three stage queues, each consumed by one function, each with a dead-letter queue.

locals {
  # queue → the function that consumes it
  stage_queues = {
    "ocr"        = "textract-processor"
    "candidates" = "bedrock-processor"
    "validation" = "book-validator"
  }
  queue_retention_seconds      = 4 * 24 * 3600  # SQS's default
  dead_letter_retention_seconds = 14 * 24 * 3600 # SQS's maximum: longer than the source queue's
  max_receive_count            = 5
}

resource "aws_sqs_queue" "dead_letter" {
  for_each                  = local.stage_queues
  name                      = "${var.name_prefix}-${each.key}-dlq"
  message_retention_seconds = local.dead_letter_retention_seconds
  sqs_managed_sse_enabled   = true
}

resource "aws_sqs_queue" "stage" {
  for_each = local.stage_queues
  name     = "${var.name_prefix}-${each.key}"
  # At least six times the consumer's timeout (AWS's advice for event source mappings), so a
  # batch still running is not delivered twice.
  visibility_timeout_seconds = 6 * local.functions[each.value].timeout
  message_retention_seconds  = local.queue_retention_seconds
  sqs_managed_sse_enabled    = true

  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dead_letter[each.key].arn
    maxReceiveCount     = local.max_receive_count
  })
}

resource "aws_sqs_queue_redrive_allow_policy" "dead_letter" {
  for_each  = local.stage_queues
  queue_url = aws_sqs_queue.dead_letter[each.key].id

  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [aws_sqs_queue.stage[each.key].arn]
  })
}

resource "aws_lambda_event_source_mapping" "stage" {
  for_each                           = local.stage_queues
  event_source_arn                   = aws_sqs_queue.stage[each.key].arn
  function_name                      = aws_lambda_function.stage[each.value].arn
  batch_size                         = 5
  maximum_batching_window_in_seconds = 1
  # Only the failed messages of a batch are retried (the handler answers batchItemFailures).
  function_response_types = ["ReportBatchItemFailures"]
}
