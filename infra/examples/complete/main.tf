# A complete deployment: the native function on arm64, a standard queue, keys in SSM Parameter Store.
#   cd infra/examples/complete && terraform init && terraform apply -var-file=example.tfvars

provider "aws" {
  region = var.region
}

variable "region" {
  type = string
}

variable "function_zip" {
  type = string
}

variable "parameters_secrets_extension_layer_arn" {
  type = string
}

variable "alarm_topic_arn" {
  type = string
}

module "sync_fanout" {
  source = "../.."

  name                                   = "sync-fanout-prod"
  package                                = "native"
  function_zip                           = var.function_zip
  architecture                           = "arm64"
  memory_size                            = 512
  timeout                                = 30
  visibility_timeout_seconds             = 190
  batch_size                             = 1000
  maximum_batching_window_in_seconds     = 2
  maximum_concurrency                    = 20
  max_receive_count                      = 5
  pubnub_keys_source                     = "ssm"
  pubnub_publish_key_parameter           = "/sync-fanout/prod/pubnub/publish-key"
  pubnub_subscribe_key_parameter         = "/sync-fanout/prod/pubnub/subscribe-key"
  pubnub_secret_key_parameter            = "/sync-fanout/prod/pubnub/secret-key"
  parameters_secrets_extension_layer_arn = var.parameters_secrets_extension_layer_arn
  alarm_actions                          = [var.alarm_topic_arn]
  environment = {
    SYNC_PUBLISH_CONCURRENCY = "32"
  }
  tags = {
    service = "sync-fanout"
    env     = "prod"
  }
}

output "queue_url" {
  value = module.sync_fanout.queue_url
}

output "dead_letter_queue_url" {
  value = module.sync_fanout.dead_letter_queue_url
}
