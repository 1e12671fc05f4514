# One server URL for every client. The app, the CLI and the web page open `<server>/ws` for the
# WebSocket and `<server>/upload-url` etc. for HTTP (docs/protocol.md). API Gateway gives the two
# APIs different hosts, and a WebSocket API refuses any path after its stage (403), so a
# CloudFront distribution serves both under one host: `/ws` goes to the WebSocket API (a
# CloudFront Function rewrites the path to the stage), everything else to the HTTP API.

locals {
  # AWS managed policies (same ids in every account).
  caching_disabled_policy_id     = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
  all_viewer_except_host_policy  = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
  http_api_domain                = replace(aws_apigatewayv2_api.http.api_endpoint, "https://", "")
  websocket_api_domain           = replace(aws_apigatewayv2_api.websocket.api_endpoint, "wss://", "")
}

resource "aws_cloudfront_function" "websocket_path" {
  name    = "${var.name_prefix}-websocket-path"
  runtime = "cloudfront-js-2.0"
  comment = "Maps /ws to the WebSocket API's stage path"
  publish = true
  code    = <<-JS
    function handler(event) {
      var request = event.request;
      if (request.uri === "/ws") {
        request.uri = "/${local.websocket_stage}";
      }
      return request;
    }
  JS
}

resource "aws_cloudfront_distribution" "server" {
  enabled         = true
  comment         = "BookImg ${var.name_prefix}: one URL for the HTTP and WebSocket APIs"
  price_class     = "PriceClass_100"
  is_ipv6_enabled = true

  origin {
    origin_id   = "http-api"
    domain_name = local.http_api_domain
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }

  origin {
    origin_id   = "websocket-api"
    domain_name = local.websocket_api_domain
    custom_origin_config {
      http_port              = 80
      https_port             = 443
      origin_protocol_policy = "https-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }

  default_cache_behavior {
    target_origin_id         = "http-api"
    viewer_protocol_policy   = "redirect-to-https"
    allowed_methods          = ["GET", "HEAD", "OPTIONS"]
    cached_methods           = ["GET", "HEAD"]
    cache_policy_id          = local.caching_disabled_policy_id
    origin_request_policy_id = local.all_viewer_except_host_policy
  }

  ordered_cache_behavior {
    path_pattern             = "/ws"
    target_origin_id         = "websocket-api"
    viewer_protocol_policy   = "https-only"
    allowed_methods          = ["GET", "HEAD"]
    cached_methods           = ["GET", "HEAD"]
    cache_policy_id          = local.caching_disabled_policy_id
    # Forwards the Sec-WebSocket-* headers and the ?token= query of the handshake.
    origin_request_policy_id = local.all_viewer_except_host_policy

    function_association {
      event_type   = "viewer-request"
      function_arn = aws_cloudfront_function.websocket_path.arn
    }
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    cloudfront_default_certificate = true
  }
}
