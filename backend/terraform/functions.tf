# One binary, bookimg-lambda, deployed seven times; _HANDLER (the function's handler setting)
# picks what each one does.

locals {
  functions = {
    "upload-handler"     = { timeout = 30, memory = 256 }
    "textract-processor" = { timeout = 60, memory = 512 }
    "bedrock-processor"  = { timeout = 60, memory = 256 }
    "book-validator"     = { timeout = 60, memory = 1024 }
    "connection-manager" = { timeout = 10, memory = 256 }
    "sns-notifier"       = { timeout = 30, memory = 256 }
    "http-api"           = { timeout = 10, memory = 256 }
  }

  # What every function may need to know; each role still grants only its own actions.
  function_environment = {
    BOOKIMG_UPLOADS_BUCKET           = aws_s3_bucket.uploads.bucket
    BOOKIMG_RESULTS_BUCKET           = aws_s3_bucket.results.bucket
    BOOKIMG_QUEUE_URL_OCR            = aws_sqs_queue.stage["ocr"].url
    BOOKIMG_QUEUE_URL_CANDIDATES     = aws_sqs_queue.stage["candidates"].url
    BOOKIMG_QUEUE_URL_VALIDATION     = aws_sqs_queue.stage["validation"].url
    BOOKIMG_TOPIC_ARN                = aws_sns_topic.results.arn
    BOOKIMG_CONNECTIONS_TABLE        = aws_dynamodb_table.connections.name
    BOOKIMG_CONNECTIONS_INDEX        = local.connection_index
    BOOKIMG_WEBSOCKET_ENDPOINT       = local.websocket_management_endpoint
    BOOKIMG_BEDROCK_MODEL_ID         = var.bedrock_model_id
    BOOKIMG_SUBSCRIPTION_TTL_SECONDS = tostring(var.subscription_ttl_seconds)
    BOOKIMG_ACCESS_TOKEN             = var.access_token
  }
}

resource "aws_cloudwatch_log_group" "function" {
  for_each          = local.functions
  name              = "/aws/lambda/${var.name_prefix}-${each.key}"
  retention_in_days = var.log_retention_days
}

resource "aws_lambda_function" "stage" {
  for_each         = local.functions
  function_name    = "${var.name_prefix}-${each.key}"
  role             = aws_iam_role.function[each.key].arn
  runtime          = "provided.al2023"
  architectures    = ["x86_64"]
  handler          = each.key
  filename         = var.lambda_zip
  source_code_hash = filebase64sha256(var.lambda_zip)
  timeout          = each.value.timeout
  memory_size      = each.value.memory

  environment {
    variables = local.function_environment
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.function[each.key].name
  }

  depends_on = [aws_cloudwatch_log_group.function]
}

# S3 and SNS invoke their functions asynchronously: Lambda retries a failed event twice and
# would then drop it. Nothing is lost: events that still fail go to a queue of their own.
locals {
  asynchronous_functions = ["upload-handler", "sns-notifier"]
}

resource "aws_sqs_queue" "failed_event" {
  for_each                  = toset(local.asynchronous_functions)
  name                      = "${var.name_prefix}-${each.key}-failed-events"
  message_retention_seconds = local.dead_letter_retention_seconds
  sqs_managed_sse_enabled   = true
}

resource "aws_lambda_function_event_invoke_config" "asynchronous" {
  for_each                     = toset(local.asynchronous_functions)
  function_name                = aws_lambda_function.stage[each.key].function_name
  maximum_retry_attempts       = 2
  maximum_event_age_in_seconds = 6 * 3600

  destination_config {
    on_failure {
      destination = aws_sqs_queue.failed_event[each.key].arn
    }
  }
}
