variable "name_prefix" {
  description = "Prefix of every resource name (buckets also get the account id), e.g. \"bookimg\"."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{1,30}$", var.name_prefix))
    error_message = "name_prefix must be 2–31 characters of a-z, 0-9 and '-', starting with a letter (it is part of bucket and queue names)."
  }
}

variable "region" {
  description = "AWS region to deploy to (Textract and the Bedrock model must be offered there)."
  type        = string
}

variable "lambda_zip" {
  description = "Deployment zip made by build-aux/package-lambda (bootstrap + libraries)."
  type        = string
}

variable "bedrock_model_id" {
  description = "Bedrock model for candidate generation (Converse API). Empty: heuristics only."
  type        = string
  default     = "anthropic.claude-3-haiku-20240307-v1:0"
}

variable "access_token" {
  description = "Optional bearer token the HTTP and WebSocket APIs require from clients. Empty: open."
  type        = string
  default     = ""
  sensitive   = true
}

variable "cors_allowed_origins" {
  description = "Origins of the web upload page allowed to PUT photos and call the HTTP API."
  type        = list(string)
  default     = ["*"]
}

variable "upload_retention_days" {
  description = "Days uploaded photos are kept before S3 deletes them."
  type        = number
  default     = 7
}

variable "results_retention_days" {
  description = "Days results (OCR, candidates, final results) are kept."
  type        = number
  default     = 30
}

variable "log_retention_days" {
  description = "CloudWatch Logs retention of every function's log group."
  type        = number
  default     = 14
}

variable "subscription_ttl_seconds" {
  description = "Lifetime of a WebSocket subscription row (API Gateway closes connections after 2 hours)."
  type        = number
  default     = 7200
}
