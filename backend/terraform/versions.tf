# BookImg on AWS: the pipeline of ../../docs/deploy-aws.md as one Terraform configuration.
#
#   terraform init
#   terraform apply -var name_prefix=bookimg -var region=eu-west-1 \
#                   -var lambda_zip=../../_build/bookimg-lambda.zip

terraform {
  required_version = ">= 1.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.60"
    }
  }
}

provider "aws" {
  region = var.region

  default_tags {
    tags = {
      Application = "BookImg"
      Deployment  = var.name_prefix
    }
  }
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
