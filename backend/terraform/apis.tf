# The WebSocket API (subscriptions and pushes) and the HTTP API (upload URLs, results, catalog
# search, the web page), both on API Gateway v2.

locals {
  websocket_stage = "prod"
  websocket_routes = ["$connect", "$disconnect", "$default", "subscribe", "unsubscribe", "ping"]
  # Routes whose handler answers the client directly ({"type":"subscribed"}, "pong", errors).
  websocket_two_way_routes = ["$default", "subscribe", "unsubscribe", "ping"]
  websocket_management_endpoint = "https://${aws_apigatewayv2_api.websocket.id}.execute-api.${var.region}.amazonaws.com/${local.websocket_stage}"

  http_routes = [
    "GET /",
    "GET /healthz",
    "GET /upload-url",
    "GET /results/{jobId}",
    "GET /catalog/search",
  ]
}

# ---- WebSocket ------------------------------------------------------------------------------

resource "aws_apigatewayv2_api" "websocket" {
  name                       = "${var.name_prefix}-websocket"
  protocol_type              = "WEBSOCKET"
  route_selection_expression = "$request.body.action"
}

resource "aws_apigatewayv2_integration" "connection_manager" {
  api_id                    = aws_apigatewayv2_api.websocket.id
  integration_type          = "AWS_PROXY"
  integration_method        = "POST"
  integration_uri           = aws_lambda_function.stage["connection-manager"].invoke_arn
  content_handling_strategy = "CONVERT_TO_TEXT"
}

resource "aws_apigatewayv2_route" "websocket" {
  for_each                            = toset(local.websocket_routes)
  api_id                              = aws_apigatewayv2_api.websocket.id
  route_key                           = each.key
  target                              = "integrations/${aws_apigatewayv2_integration.connection_manager.id}"
  route_response_selection_expression = contains(local.websocket_two_way_routes, each.key) ? "$default" : null
}

resource "aws_apigatewayv2_route_response" "websocket" {
  for_each           = toset(local.websocket_two_way_routes)
  api_id             = aws_apigatewayv2_api.websocket.id
  route_id           = aws_apigatewayv2_route.websocket[each.key].id
  route_response_key = "$default"
}

resource "aws_apigatewayv2_stage" "websocket" {
  api_id      = aws_apigatewayv2_api.websocket.id
  name        = local.websocket_stage
  auto_deploy = true

  default_route_settings {
    throttling_burst_limit = 500
    throttling_rate_limit  = 1000
  }
}

resource "aws_lambda_permission" "websocket_invokes_connection_manager" {
  statement_id  = "AllowWebSocketInvoke"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.stage["connection-manager"].function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.websocket.execution_arn}/*/*"
}

# ---- HTTP -----------------------------------------------------------------------------------

resource "aws_apigatewayv2_api" "http" {
  name          = "${var.name_prefix}-http"
  protocol_type = "HTTP"

  cors_configuration {
    allow_origins = var.cors_allowed_origins
    allow_methods = ["GET", "OPTIONS"]
    allow_headers = ["authorization", "content-type"]
    max_age       = 3600
  }
}

resource "aws_apigatewayv2_integration" "http_api" {
  api_id                 = aws_apigatewayv2_api.http.id
  integration_type       = "AWS_PROXY"
  integration_uri        = aws_lambda_function.stage["http-api"].invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_route" "http" {
  for_each  = toset(local.http_routes)
  api_id    = aws_apigatewayv2_api.http.id
  route_key = each.key
  target    = "integrations/${aws_apigatewayv2_integration.http_api.id}"
}

resource "aws_apigatewayv2_stage" "http" {
  api_id      = aws_apigatewayv2_api.http.id
  name        = "$default"
  auto_deploy = true
}

resource "aws_lambda_permission" "http_invokes_http_api" {
  statement_id  = "AllowHttpApiInvoke"
  action        = "lambda:InvokeFunction"
  function_name = aws_lambda_function.stage["http-api"].function_name
  principal     = "apigateway.amazonaws.com"
  source_arn    = "${aws_apigatewayv2_api.http.execution_arn}/*/*"
}
