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
  description = "Which build to deploy: \"native\" (provided.al2023, target/function.zip from ./mvnw package -Dnative) or \"jvm\" (java25 with SnapStart, or on Lambda Managed Instances with managed_instances; target/function.zip from ./mvnw package)."
  type        = string
  default     = "native"

  validation {
    condition     = contains(["native", "jvm"], var.package)
    error_message = "package must be \"native\" or \"jvm\"."
  }
}

variable "java_runtime" {
  description = "The managed runtime of the JVM build: \"java25\" (the default, the one the project tests under AWS's runtime interface client on Temurin 25; SnapStart keeps what C2 compiled during init) or \"java21\" (the build targets Java 17, so it runs there too). Unused by the native build."
  type        = string
  default     = "java25"

  validation {
    condition     = contains(["java25", "java21"], var.java_runtime)
    error_message = "java_runtime must be \"java25\" or \"java21\"."
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
  description = "Function timeout in seconds (default 30; 20 on FIFO, where batches hold at most 10 records and the visibility timeout follows it). The function reads Lambda's deadline for each invocation and stops starting publishes in time to answer before it."
  type        = number
  default     = null

  validation {
    condition     = var.timeout == null || (coalesce(var.timeout, 30) >= 5 && coalesce(var.timeout, 30) <= 900)
    error_message = "timeout must be 5 to 900 seconds."
  }
}

variable "log_retention_days" {
  description = "Days the function's log group keeps its logs."
  type        = number
  default     = 30
}

variable "environment" {
  description = "Further environment variables for the function, e.g. SYNC_PUBLISH_CONCURRENCY or SYNC_BATCH_MAX_MESSAGES (see docs/configuration.md). Never put a key here."
  type        = map(string)
  default     = {}

  validation {
    condition     = length(setintersection(keys(var.environment), ["PUBNUB_PUBLISH_KEY", "PUBNUB_SUBSCRIBE_KEY", "PUBNUB_SECRET_KEY", "PUBNUB_AUTH_KEY"])) == 0
    error_message = "PubNub keys come from SSM Parameter Store or Secrets Manager, never from plain environment variables."
  }

  validation {
    condition     = length([for k in keys(var.environment) : k if startswith(k, "SYNC_REDELIVERY_")]) == 0
    error_message = "The queue's retention and FIFO hold rules count the outage delays: set them with the redelivery variable, not SYNC_REDELIVERY_* in environment."
  }

  validation {
    condition     = length(setintersection(keys(var.environment), ["SYNC_METRICS_NAMESPACE", "SYNC_METRICS_ENABLED"])) == 0
    error_message = "The records-failed alarm and the dashboard read the function's metrics: set metrics_namespace instead of SYNC_METRICS_NAMESPACE, and leave SYNC_METRICS_ENABLED alone (without the metrics the alarm goes silent)."
  }
}

variable "metrics_namespace" {
  description = "CloudWatch namespace of the function's Embedded Metric Format metrics; the function writes to it, and the records-failed alarm and the dashboard read from it."
  type        = string
  default     = "SyncFanout"

  validation {
    condition     = can(regex("^[A-Za-z0-9._/#:-]{1,255}$", var.metrics_namespace)) && !startswith(var.metrics_namespace, "AWS/")
    error_message = "metrics_namespace must be 1-255 letters, digits or . _ / # : - and must not start with AWS/ (CloudWatch reserves it)."
  }
}

# --- The queues ---------------------------------------------------------------------------------------

variable "fifo" {
  description = "Create FIFO queues (records carry MessageGroupId; the function keeps each group in order)."
  type        = bool
  default     = false
}

variable "visibility_timeout_seconds" {
  description = "Source queue visibility timeout (default 200; on FIFO 6 x timeout). AWS recommends at least 6 times the function timeout plus the batching window."
  type        = number
  default     = null

  validation {
    condition     = var.visibility_timeout_seconds == null || coalesce(var.visibility_timeout_seconds, 0) >= 6 * coalesce(var.timeout, var.fifo ? 20 : 30) + coalesce(var.maximum_batching_window_in_seconds, var.fifo ? 0 : 1)
    error_message = "visibility_timeout_seconds must be at least 6 x timeout + maximum_batching_window_in_seconds (AWS: https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html), or records become visible again while they are being published."
  }

  validation {
    condition     = !var.fifo || coalesce(var.visibility_timeout_seconds, 6 * coalesce(var.timeout, 20)) * coalesce(var.max_receive_count, 3) <= 1800
    error_message = "On FIFO, visibility_timeout_seconds x max_receive_count must be at most 1800 s: a record in flight holds its whole message group, and Lambda retries it until it is dead-lettered before it takes more of that group, so one record that can never be delivered holds its group's later updates that long (docs/operations.md#fifo-queues)."
  }
}

variable "redelivery" {
  description = "How records that failed for a PubNub outage wait it out (docs/operations.md#outages-and-the-dead-letter-queue). On a standard queue each is parked: sent back to the queue with DelaySeconds of base_seconds after its first failure, times multiplier after each further one, at most max_delay_seconds (SQS takes 900 at most), for up to park_limit_seconds from its first park; then it takes the queue's own way to the dead-letter queue. On FIFO the same delays are made in place, and count in the group's hold."
  type = object({
    base_seconds       = optional(number, 60)
    multiplier         = optional(number, 6)
    max_delay_seconds  = optional(number, 900)
    park_limit_seconds = optional(number, 21600)
  })
  default = {}

  validation {
    condition     = var.redelivery.base_seconds >= 1 && var.redelivery.multiplier >= 1 && var.redelivery.max_delay_seconds >= var.redelivery.base_seconds && var.redelivery.max_delay_seconds <= 42900
    error_message = "redelivery: base_seconds at least 1 (SQS delays by whole seconds), multiplier at least 1, max_delay_seconds from base_seconds to 42900 (SQS allows 12 hours from a receive)."
  }

  validation {
    condition     = var.redelivery.park_limit_seconds >= 0 && var.redelivery.park_limit_seconds <= 1209600
    error_message = "redelivery.park_limit_seconds must be 0 to 1209600 (14 days, the longest SQS keeps a message)."
  }
}

variable "in_flight_alarm_threshold" {
  description = "Alarm when this many of the source queue's messages are in flight: SQS stops handing out a queue's messages at about 120,000 (docs/operations.md#in-flight)."
  type        = number
  default     = 100000
}

variable "message_retention_seconds" {
  description = "How long the source queue keeps a message (the dead-letter queue keeps them 14 days). Must cover a record's longest stay during an outage: redelivery.park_limit_seconds, one park's delay, then max_receive_count x the visibility timeout (checked at plan)."
  type        = number
  default     = 345600
}

variable "max_receive_count" {
  description = "Deliveries before a record moves to the dead-letter queue (default 5; 3 on FIFO, where a record being retried holds its message group)."
  type        = number
  default     = null

  validation {
    condition     = var.max_receive_count == null || (coalesce(var.max_receive_count, 1) >= 1 && coalesce(var.max_receive_count, 1) <= 1000)
    error_message = "max_receive_count must be 1 to 1000."
  }
}

# --- The event source mapping -------------------------------------------------------------------------

variable "batch_size" {
  description = "Records per invocation: up to 10,000 on a standard queue (default 1,000), up to 10 on FIFO (default 10)."
  type        = number
  default     = null

  validation {
    condition     = var.batch_size == null || (coalesce(var.batch_size, 1) >= 1 && coalesce(var.batch_size, 1) <= (var.fifo ? 10 : 10000))
    error_message = "batch_size must be 1 to 10000 on a standard queue, 1 to 10 on a FIFO queue (AWS refuses more: https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html)."
  }

  validation {
    condition     = var.fifo || coalesce(var.batch_size, 1000) <= 10 || coalesce(var.maximum_batching_window_in_seconds, 1) >= 1
    error_message = "batch_size above 10 on a standard queue needs maximum_batching_window_in_seconds of at least 1 (AWS refuses the event source mapping otherwise)."
  }
}

variable "maximum_batching_window_in_seconds" {
  description = "Seconds Lambda gathers records before invoking (standard queues only; default 1). Batching more records per user means fewer publishes. FIFO queues take no window: leave it null."
  type        = number
  default     = null

  validation {
    condition     = var.maximum_batching_window_in_seconds == null || (coalesce(var.maximum_batching_window_in_seconds, 0) >= 0 && coalesce(var.maximum_batching_window_in_seconds, 0) <= 300)
    error_message = "maximum_batching_window_in_seconds must be 0 to 300."
  }

  validation {
    condition     = !var.fifo || coalesce(var.maximum_batching_window_in_seconds, 0) == 0
    error_message = "FIFO queues take no batching window (AWS refuses MaximumBatchingWindowInSeconds for them): leave maximum_batching_window_in_seconds null."
  }
}

variable "maximum_concurrency" {
  description = "Most concurrent invocations the queue may drive (2 to 1000; default 100: by the capacity model, enough for the finale burst and for about 90,000 updates a second, see docs/capacity.md). Not with provisioned_pollers, which bounds concurrency by its maximum instead."
  type        = number
  default     = null

  validation {
    condition     = var.maximum_concurrency == null || (coalesce(var.maximum_concurrency, 2) >= 2 && coalesce(var.maximum_concurrency, 2) <= 1000)
    error_message = "maximum_concurrency must be 2 to 1000."
  }

  validation {
    condition     = var.maximum_concurrency == null || var.provisioned_pollers == null
    error_message = "maximum_concurrency cannot be combined with provisioned_pollers (AWS: they are mutually exclusive, https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html); set one."
  }
}

variable "provisioned_pollers" {
  description = "Provisioned mode for the SQS trigger: dedicated event pollers, scaling about three times faster than the default mode, for bursts. minimum 2 to 200 (default 2), maximum up to 10,000 (default 1,000). A poller carries at most 10 receives of 10 messages a second (about 100 updates, docs/capacity.md), so 1,000 take 100,000 a second. Billed per event poller unit ($0.00925 an hour in us-east-1) while in use; null (the default) for the standard mode."
  type = object({
    minimum = optional(number, 2)
    maximum = optional(number, 1000)
  })
  default = null

  validation {
    condition = var.provisioned_pollers == null || (
      try(var.provisioned_pollers.minimum >= 2 && var.provisioned_pollers.minimum <= 200, false) &&
      try(var.provisioned_pollers.maximum >= var.provisioned_pollers.minimum && var.provisioned_pollers.maximum <= 10000, false)
    )
    error_message = "provisioned_pollers: minimum must be 2 to 200 and maximum from minimum to 10000 (AWS: https://docs.aws.amazon.com/lambda/latest/api/API_ProvisionedPollerConfig.html)."
  }
}

# --- A second lane for playing positions (optional) ---------------------------------------------------

variable "positions_lane" {
  description = <<-EOT
    A second lane for playing positions (docs/capacity.md#where-pubnubs-transactions-come-from): standard queues
    that producers send a progress_update in state Playing to, for a title the device already reported (every
    other update stays on the source queue), polled by the same function in large batches over a long window,
    so that a viewer's positions share a publish. At 1,000 updates a second (9 in 10 positions) it cuts PubNub's
    bill by about a fifth and positions reach a viewer's other devices about a minute late; watchlist edits and
    state changes stay as fresh as before. With queues > 1 producers spread viewers over that many queues by a
    hash of user_id (docs/deploy.md#a-second-lane-for-playing-positions), which keeps the saving at 10,000 a
    second. The queues share the source queue's dead-letter queue, receives and retention. Standard queues only.
    null (the default): no lane.
      queues: how many positions queues, 1 to 20 (default 1)
      batch_size: up to 10,000 (default 10,000)
      batching_window_seconds: 1 to 300 (default 60)
  EOT
  type = object({
    queues                  = optional(number, 1)
    batch_size              = optional(number, 10000)
    batching_window_seconds = optional(number, 60)
  })
  default = null

  validation {
    condition = var.positions_lane == null || (
      try(var.positions_lane.queues >= 1 && var.positions_lane.queues <= 20 && floor(var.positions_lane.queues) == var.positions_lane.queues, false) &&
      try(var.positions_lane.batch_size >= 1 && var.positions_lane.batch_size <= 10000, false) &&
      try(var.positions_lane.batching_window_seconds >= 1 && var.positions_lane.batching_window_seconds <= 300, false)
    )
    error_message = "positions_lane: queues must be a whole number from 1 to 20, batch_size 1 to 10000 and batching_window_seconds 1 to 300 (AWS: https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-parameters.html)."
  }
}

# --- Lambda Managed Instances (optional, JVM build only) ----------------------------------------------

variable "managed_instances" {
  description = <<-EOT
    Run the JVM build on Lambda Managed Instances: EC2 instances in your VPC that this module's capacity
    provider has Lambda manage, each execution environment taking many invocations at once (the Java runtime
    calls the handler on that many threads). Priced at EC2's price plus 15% and $0.20 per million requests,
    with no duration charge (docs/capacity.md says at which loads it is cheaper). null (the default) for
    on-demand Lambda. Needs package = "jvm" and memory_size of 2048 or more; SnapStart is off (environments
    are started ahead of traffic, so there is no cold start to shorten). The subnets need a route to PubNub
    (a NAT gateway) and to SSM or Secrets Manager.
      subnet_ids, security_group_ids: where the instances run
      operator_role_arn: the role Lambda assumes to manage the instances (AWSLambdaManagedEC2ResourceOperator)
      max_vcpu_count: most vCPUs the provider scales to (null: AWS's default)
      memory_gib_per_vcpu: 2 to 8 GiB of memory per vCPU of an execution environment (default 2)
      max_concurrency_per_environment: invocations at once in one environment, 1 to 1600 (null: AWS's default, 32 per vCPU for Java)
  EOT
  type = object({
    subnet_ids                      = list(string)
    security_group_ids              = list(string)
    operator_role_arn               = string
    max_vcpu_count                  = optional(number)
    memory_gib_per_vcpu             = optional(number, 2)
    max_concurrency_per_environment = optional(number)
  })
  default = null

  validation {
    condition     = var.managed_instances == null || var.package == "jvm"
    error_message = "managed_instances needs package = \"jvm\": Lambda Managed Instances run Java 21 and later, Python, Node.js and .NET, not the OS-only runtime (provided.al2023) the native build runs on. Its Quarkus poll loop also takes one event at a time, so it would use one thread of an environment built for many."
  }

  validation {
    condition     = var.managed_instances == null || var.memory_size >= 2048
    error_message = "managed_instances needs memory_size of 2048 or more: the smallest function Lambda Managed Instances run is 2 GB and 1 vCPU."
  }

  validation {
    condition = var.managed_instances == null || try(
      length(var.managed_instances.subnet_ids) > 0 && length(var.managed_instances.security_group_ids) > 0, false
    )
    error_message = "managed_instances needs at least one subnet and one security group (AWS: a capacity provider's VpcConfig); give subnets in several Availability Zones."
  }

  validation {
    condition = var.managed_instances == null || try(
      var.managed_instances.memory_gib_per_vcpu >= 2 && var.managed_instances.memory_gib_per_vcpu <= 8, false
    )
    error_message = "managed_instances.memory_gib_per_vcpu must be 2 to 8 (AWS: ExecutionEnvironmentMemoryGiBPerVCpu)."
  }

  validation {
    # coalesce: Terraform's || evaluates both sides, and null >= 1 is an error.
    condition = var.managed_instances == null || try(
      coalesce(var.managed_instances.max_concurrency_per_environment, 1) >= 1 &&
      coalesce(var.managed_instances.max_concurrency_per_environment, 1) <= 1600, false
    )
    error_message = "managed_instances.max_concurrency_per_environment must be 1 to 1600 (AWS: PerExecutionEnvironmentMaxConcurrency)."
  }

  validation {
    condition = var.managed_instances == null || try(
      can(regex("^arn:aws[a-zA-Z-]*:iam::[0-9]{12}:role/.+$", var.managed_instances.operator_role_arn)), false
    )
    error_message = "managed_instances.operator_role_arn must be an IAM role's ARN."
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

variable "pubnub_keys_revision" {
  description = "Bump it (any new string) to make every instance use rotated keys at once. The native build reads its keys when an instance starts; the JVM build with SnapStart reads them again as each instance is restored, so new instances pick up a rotation without it. Changing this restarts every instance (the JVM build: publishes a new version)."
  type        = string
  default     = "1"
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
  description = "ARN of the AWS Parameters and Secrets Lambda Extension layer for your region and architecture (https://docs.aws.amazon.com/systems-manager/latest/userguide/ps-integration-lambda-extensions.html#ps-integration-lambda-extensions-add); arm64's is named AWS-Parameters-and-Secrets-Lambda-Extension-Arm64. The function reads its keys through it at start-up."
  type        = string

  validation {
    condition     = can(regex("^arn:[a-z-]+:lambda:[a-z0-9-]+:[0-9]{12}:layer:[A-Za-z0-9_-]+:[0-9]+$", var.parameters_secrets_extension_layer_arn))
    error_message = "parameters_secrets_extension_layer_arn must be a layer version ARN, arn:aws:lambda:<region>:<account>:layer:<name>:<version>."
  }

  # The layer holds a binary for one architecture: on the other the extension never runs, and the function cannot read its keys.
  validation {
    condition = !startswith(element(split(":", var.parameters_secrets_extension_layer_arn), length(split(":", var.parameters_secrets_extension_layer_arn)) - 2), "AWS-Parameters-and-Secrets-Lambda-Extension") || (
      endswith(element(split(":", var.parameters_secrets_extension_layer_arn), length(split(":", var.parameters_secrets_extension_layer_arn)) - 2), "-Arm64") == (var.architecture == "arm64")
    )
    error_message = "parameters_secrets_extension_layer_arn is AWS's extension for the other architecture: architecture = \"${var.architecture}\" takes AWS-Parameters-and-Secrets-Lambda-Extension${var.architecture == "arm64" ? "-Arm64" : " (without -Arm64)"}."
  }
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
