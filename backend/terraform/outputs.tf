output "websocket_url" {
  description = "The WebSocket API itself (clients reach it as <server_url>/ws)."
  value       = aws_apigatewayv2_stage.websocket.invoke_url
}

output "http_url" {
  description = "The HTTP API itself (clients use server_url, which also carries /ws)."
  value       = aws_apigatewayv2_stage.http.invoke_url
}

output "uploads_bucket" {
  value = aws_s3_bucket.uploads.bucket
}

output "results_bucket" {
  value = aws_s3_bucket.results.bucket
}

output "dead_letter_queues" {
  description = "Messages that failed maxReceiveCount times; their jobs ended with processingFailed."
  value       = { for queue, dlq in aws_sqs_queue.dead_letter : queue => dlq.url }
}

output "failed_event_queues" {
  description = "S3 and SNS events whose function still failed after Lambda's two retries."
  value       = { for function, queue in aws_sqs_queue.failed_event : function => queue.url }
}

output "server_url" {
  description = "The one URL clients need: the app's Remote server, bookimg-cli --server, the web page."
  value       = "https://${aws_cloudfront_distribution.server.domain_name}"
}
