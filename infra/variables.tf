# --- The function ---------------------------------------------------------------------------------------

variable "name" {
  description = "Name of the function; also prefixes the queues, the role, the log group and the alarms."
  type        = string
  default     = "sync-fanout"

  validation {
    condition     = can(regex("^[A-Za-z0-9-_]{1,50}$", var.name))
    error_message = "name must be 1-50 letters, digits, '-' or '_' (the FIFO queue adds '.fifo')."
  }
}

variable "package" {
  description = "Which build to deploy: \"native\" (provided.al2023, target/function.zip from ./mvnw package -Dnative) or \"jvm\" (java21 with SnapStart, target/function.zip from ./mvnw package)."
  type        = string
  default     = "native"

  validation {
    condition     = contains(["native", "jvm"], var.package)
    error_message = "package must be \"native\" or \"jvm\"."
  }
}

variable "function_zip" {
  description = "Path to the function.zip to deploy (native or JVM, matching var.package)."
  type        = string
}

variable "architecture" {
  description = "Instruction set: x86_64 or arm64. A native function.zip must have been built for it."
  type        = string
  default     = "x86_64"

  validation {
    condition     = contains(["x86_64", "arm64"], var.architecture)
    error_message = "architecture must be \"x86_64\" or \"arm64\"."
  }
}

variable "memory_size" {
  description = "Memory in MB; CPU comes with it (1769 = one vCPU). Native: 512 (cheapest per record), 1024 to answer 10,000-record batches sooner. JVM: 1024 or more (see docs/operations.md#memory-size)."
  type        = number
  default     = 512
}

variable "timeout" {
  description = "Function timeout in seconds. The function reads Lambda's deadline for each invocation and stops starting publishes in time to answer before it."
  type        = number
  default     = 30

  validation {
    condition     = var.timeout >= 5 && var.timeout <= 900
    error_message = "timeout must be 5 to 900 seconds."
  }
}

variable "log_retention_days" {
  description = "Days the function's log group keeps its logs."
  type        = number
  default     = 30
}

variable "environment" {
  description = "Further environment variables for the function, e.g. SYNC_PUBLISH_CONCURRENCY or SYNC_BATCH_MAX_MESSAGES (see the README). Never put a key here."
  type        = map(string)
  default     = {}

  validation {
    condition     = length(setintersection(keys(var.environment), ["PUBNUB_PUBLISH_KEY", "PUBNUB_SUBSCRIBE_KEY", "PUBNUB_SECRET_KEY", "PUBNUB_AUTH_KEY"])) == 0
    error_message = "PubNub keys come from SSM Parameter Store or Secrets Manager, never from plain environment variables."
  }
}

# --- The queues ---------------------------------------------------------------------------------------

variable "fifo" {
  description = "Create FIFO queues (records carry MessageGroupId; the function keeps each group in order)."
  type        = bool
  default     = false
}

variable "visibility_timeout_seconds" {
  description = "Source queue visibility timeout. AWS recommends at least 6 times the function timeout plus the batching window."
  type        = number
  default     = 200

  validation {
    condition     = var.visibility_timeout_seconds >= 6 * var.timeout + var.maximum_batching_window_in_seconds
    error_message = "visibility_timeout_seconds must be at least 6 x timeout + maximum_batching_window_in_seconds (AWS: https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html), or records become visible again while they are being published."
  }
}

variable "message_retention_seconds" {
  description = "How long the source queue keeps a message (the dead-letter queue keeps them 14 days)."
  type        = number
  default     = 345600
}

variable "max_receive_count" {
  description = "Deliveries before a record moves to the dead-letter queue."
  type        = number
  default     = 5

  validation {
    condition     = var.max_receive_count >= 1 && var.max_receive_count <= 1000
    error_message = "max_receive_count must be 1 to 1000."
  }
}

# --- The event source mapping -------------------------------------------------------------------------

variable "batch_size" {
  description = "Records per invocation: up to 10,000 on a standard queue, 10 on FIFO."
  type        = number
  default     = 1000

  validation {
    condition     = var.batch_size >= 1 && var.batch_size <= 10000
    error_message = "batch_size must be 1 to 10000 (10 for FIFO queues)."
  }
}

variable "maximum_batching_window_in_seconds" {
  description = "Seconds Lambda gathers records before invoking (standard queues only; 0 for FIFO). Batching more records per user means fewer publishes."
  type        = number
  default     = 1

  validation {
    condition     = var.maximum_batching_window_in_seconds >= 0 && var.maximum_batching_window_in_seconds <= 300
    error_message = "maximum_batching_window_in_seconds must be 0 to 300."
  }
}

variable "maximum_concurrency" {
  description = "Most concurrent invocations the queue may drive (2 to 1000)."
  type        = number
  default     = 10

  validation {
    condition     = var.maximum_concurrency >= 2 && var.maximum_concurrency <= 1000
    error_message = "maximum_concurrency must be 2 to 1000."
  }
}

# --- PubNub ---------------------------------------------------------------------------------------------

variable "pubnub_origin" {
  description = "PubNub's REST origin."
  type        = string
  default     = "https://ps.pndsn.com"
}

variable "pubnub_uuid" {
  description = "The uuid the function publishes as."
  type        = string
  default     = "sync-fanout"
}

variable "pubnub_keys_source" {
  description = "Where the PubNub keys live: \"ssm\" (SecureString parameters, see pubnub_*_key_parameter) or \"secretsmanager\" (one JSON secret with publish_key, subscribe_key and optional secret_key, auth_key)."
  type        = string
  default     = "ssm"

  validation {
    condition     = contains(["ssm", "secretsmanager"], var.pubnub_keys_source)
    error_message = "pubnub_keys_source must be \"ssm\" or \"secretsmanager\"."
  }
}

variable "pubnub_publish_key_parameter" {
  description = "SSM parameter name (SecureString) holding the publish key, e.g. /sync-fanout/prod/pubnub/publish-key."
  type        = string
  default     = null
}

variable "pubnub_subscribe_key_parameter" {
  description = "SSM parameter name (SecureString) holding the subscribe key."
  type        = string
  default     = null
}

variable "pubnub_secret_key_parameter" {
  description = "SSM parameter name (SecureString) holding the secret key; when set, every publish is signed."
  type        = string
  default     = null
}

variable "pubnub_auth_key_parameter" {
  description = "SSM parameter name (SecureString) holding the auth key or Access Manager token."
  type        = string
  default     = null
}

variable "pubnub_keys_secret_arn" {
  description = "Secrets Manager secret ARN holding the keys as JSON (with pubnub_keys_source = \"secretsmanager\")."
  type        = string
  default     = null
}

variable "pubnub_keys" {
  description = "Optional: the keys themselves, to have this module store them as SSM SecureString parameters under /<name>/pubnub/. Leave null to point at parameters or a secret managed elsewhere (recommended: the keys then never pass through Terraform state)."
  type = object({
    publish_key   = string
    subscribe_key = string
    secret_key    = optional(string)
    auth_key      = optional(string)
  })
  default   = null
  sensitive = true
}

variable "kms_key_arn" {
  description = "Customer managed KMS key encrypting the parameters or the secret; null for the AWS managed key."
  type        = string
  default     = null
}

variable "parameters_secrets_extension_layer_arn" {
  description = "ARN of the AWS Parameters and Secrets Lambda Extension layer for your region and architecture (https://docs.aws.amazon.com/systems-manager/latest/userguide/ps-integration-lambda-extensions.html). The function reads its keys through it at start-up."
  type        = string
}

# --- Alarms ---------------------------------------------------------------------------------------------

variable "alarm_actions" {
  description = "SNS topic ARNs notified when an alarm fires and when it clears."
  type        = list(string)
  default     = []
}

variable "oldest_message_age_alarm_seconds" {
  description = "Alarm when the oldest record in the source queue is older than this."
  type        = number
  default     = 300
}

variable "tags" {
  description = "Tags for every resource."
  type        = map(string)
  default     = {}
}
