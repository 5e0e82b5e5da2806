data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  queue_suffix = var.fifo ? ".fifo" : ""
  native       = var.package == "native"

  # PubNub keys: parameters this module creates, or parameters / a secret managed elsewhere. Which keys
  # are given is not secret, only their values: nonsensitive() keeps the parameter names, and so the
  # for_each over them, usable (a for_each may not be sensitive).
  create_parameters = var.pubnub_keys_source == "ssm" && nonsensitive(var.pubnub_keys != null)
  parameter_prefix  = "/${var.name}/pubnub"
  key_parameters = local.create_parameters ? {
    publish   = "${local.parameter_prefix}/publish-key"
    subscribe = "${local.parameter_prefix}/subscribe-key"
    secret    = nonsensitive(try(var.pubnub_keys.secret_key, null) == null) ? null : "${local.parameter_prefix}/secret-key"
    auth      = nonsensitive(try(var.pubnub_keys.auth_key, null) == null) ? null : "${local.parameter_prefix}/auth-key"
    } : {
    publish   = var.pubnub_publish_key_parameter
    subscribe = var.pubnub_subscribe_key_parameter
    secret    = var.pubnub_secret_key_parameter
    auth      = var.pubnub_auth_key_parameter
  }
  used_parameters = { for k, v in local.key_parameters : k => v if v != null }
  parameter_arns = [
    for name in values(local.used_parameters) :
    "arn:${data.aws_partition.current.partition}:ssm:${data.aws_region.current.region}:${data.aws_caller_identity.current.account_id}:parameter/${trimprefix(name, "/")}"
  ]

  key_environment = var.pubnub_keys_source == "ssm" ? {
    for k, v in {
      PUBNUB_PUBLISH_KEY_PARAMETER   = local.key_parameters.publish
      PUBNUB_SUBSCRIBE_KEY_PARAMETER = local.key_parameters.subscribe
      PUBNUB_SECRET_KEY_PARAMETER    = local.key_parameters.secret
      PUBNUB_AUTH_KEY_PARAMETER      = local.key_parameters.auth
    } : k => v if v != null
  } : { PUBNUB_KEYS_SECRET_ID = var.pubnub_keys_secret_arn }

  # Each queue kind's defaults. On FIFO a record in flight holds its whole message group, and Lambda
  # retries it until it is dead-lettered before it takes more of that group, so one poison record holds
  # its household for visibility x receives: 20 s (a batch of 10 with every retry of a publish at 512 MB,
  # 4 x 3.7 s + backoff, takes under 16 s) x 6 x 3 = 6 minutes, where the standard defaults would be 17.
  timeout            = coalesce(var.timeout, var.fifo ? 20 : 30)
  visibility_timeout = coalesce(var.visibility_timeout_seconds, var.fifo ? 6 * local.timeout : 200)
  max_receive_count  = coalesce(var.max_receive_count, var.fifo ? 3 : 5)

  # The event source mapping: each queue kind's defaults, and the standard mode's concurrency cap unless
  # provisioned mode bounds it instead. 100: the capacity model's choice (docs/capacity.md): the finale's
  # burst needs about 35, 10,000 updates a second about 20; 10 fell minutes behind both.
  batch_size          = coalesce(var.batch_size, var.fifo ? 10 : 1000)
  batching_window     = var.fifo ? null : coalesce(var.maximum_batching_window_in_seconds, 1)
  maximum_concurrency = var.provisioned_pollers == null ? coalesce(var.maximum_concurrency, 100) : null

  # The extension layer: AWS publishes one per region and architecture, arm64's named "-Arm64".
  layer_arn_parts = regex("^arn:[a-z-]+:lambda:(?P<region>[a-z0-9-]+):[0-9]{12}:layer:(?P<name>[A-Za-z0-9_-]+):[0-9]+$", var.parameters_secrets_extension_layer_arn)

  # Lambda Managed Instances (JVM only, validated): no SnapStart there, environments start ahead of traffic.
  managed_instances = var.managed_instances != null
  snap_start        = !local.native && !local.managed_instances

  # The JVM build's JAVA_TOOL_OPTIONS, ahead of any given in var.environment: from Java 24 (java25),
  # jboss-threads (Quarkus's executor) resets a worker's thread locals only with java.lang opened to it;
  # without it an executor thread fails with IllegalAccessError (seen under the runtime interface client on
  # Temurin 25 as Quarkus shut down).
  java_tool_options = local.native ? {} : {
    JAVA_TOOL_OPTIONS = trimspace(join(" ", ["--add-opens=java.base/java.lang=ALL-UNNAMED", lookup(var.environment, "JAVA_TOOL_OPTIONS", "")]))
  }

  # Outages (docs/operations.md#outages-and-the-dead-letter-queue). A standard queue's record may stay parked
  # for the park limit, then one park's delay, then max_receive_count x visibility on its way to the DLQ: the
  # retention must cover it, or SQS deletes records that would have reached the DLQ. A FIFO record that fails
  # at every receive holds its group for its delays (each at least the visibility timeout: the records behind
  # it keep that) and, at its last receive, the visibility timeout alone (RedeliveryBackoff.fifoHold).
  longest_stay = var.redelivery.park_limit_seconds + min(var.redelivery.max_delay_seconds, 900) + local.max_receive_count * local.visibility_timeout
  fifo_hold = local.visibility_timeout + sum(concat([0], [
    for n in range(local.max_receive_count - 1) :
    max(local.visibility_timeout, min(var.redelivery.base_seconds * pow(var.redelivery.multiplier, n), var.redelivery.max_delay_seconds))
  ]))
  redelivery_environment = {
    SYNC_REDELIVERY_BACKOFF_BASE       = "${var.redelivery.base_seconds}s"
    SYNC_REDELIVERY_BACKOFF_MULTIPLIER = tostring(var.redelivery.multiplier)
    SYNC_REDELIVERY_BACKOFF_MAX        = "${var.redelivery.max_delay_seconds}s"
    SYNC_REDELIVERY_PARK_LIMIT         = "${var.redelivery.park_limit_seconds}s"
    # On FIFO the last receive is not delayed: the next one moves the record to the DLQ anyway.
    SYNC_REDELIVERY_MAX_RECEIVE_COUNT = tostring(local.max_receive_count)
  }

  # The positions lane (var.positions_lane): its queues' visibility keeps AWS's rule, 6 x the timeout plus
  # the batching window (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-configure.html), and
  # the retention covers a record's longest stay there as on the source queue.
  positions_queues             = var.positions_lane == null ? 0 : var.positions_lane.queues
  positions_visibility_timeout = var.positions_lane == null ? 0 : max(local.visibility_timeout, 6 * local.timeout + var.positions_lane.batching_window_seconds)
  positions_queue_arns         = [for i in range(local.positions_queues) : aws_sqs_queue.positions[i].arn]
  positions_queue_urls         = [for i in range(local.positions_queues) : aws_sqs_queue.positions[i].id]
  positions_longest_stay       = var.redelivery.park_limit_seconds + min(var.redelivery.max_delay_seconds, 900) + local.max_receive_count * local.positions_visibility_timeout

  # Funqy's handler with the request id in the log context; unused by the native (provided) runtime.
  jvm_handler = "io.syncfanout.lambda.RequestIdStreamHandler::handleRequest"
}

# Measured over TLS (docs/operations.md#memory-size): the JVM build below 1,024 MB cannot answer a cold
# 10,000-record batch within a 30 s timeout.
check "jvm_memory_size" {
  assert {
    condition     = local.native || var.memory_size >= 1024
    error_message = "The JVM build at ${var.memory_size} MB gets ${format("%.2f", var.memory_size / 1769)} of a vCPU: a cold instance takes longer than the 30 s timeout to deliver a 10,000-record batch over TLS. Give it 1024 MB or more, or deploy the native build (docs/operations.md#memory-size)."
  }
}


# --- PubNub keys stored by this module (optional) ------------------------------------------------------

resource "aws_ssm_parameter" "pubnub_key" {
  for_each = local.create_parameters ? toset(keys(local.used_parameters)) : toset([])

  name   = local.key_parameters[each.key]
  type   = "SecureString"
  key_id = var.kms_key_arn
  value = {
    publish   = var.pubnub_keys.publish_key
    subscribe = var.pubnub_keys.subscribe_key
    secret    = try(var.pubnub_keys.secret_key, null)
    auth      = try(var.pubnub_keys.auth_key, null)
  }[each.key]
  tags = var.tags
}

# --- Queues ------------------------------------------------------------------------------------------

resource "aws_sqs_queue" "dead_letter" {
  name                      = "${var.name}-dlq${local.queue_suffix}"
  fifo_queue                = var.fifo
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
  tags                      = var.tags
}

resource "aws_sqs_queue" "source" {
  name                        = "${var.name}${local.queue_suffix}"
  fifo_queue                  = var.fifo
  content_based_deduplication = var.fifo ? true : null
  visibility_timeout_seconds  = local.visibility_timeout
  message_retention_seconds   = var.message_retention_seconds
  sqs_managed_sse_enabled     = true

  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dead_letter.arn
    maxReceiveCount     = local.max_receive_count
  })

  lifecycle {
    precondition {
      condition     = var.message_retention_seconds >= (var.fifo ? local.fifo_hold : local.longest_stay)
      error_message = "message_retention_seconds (${var.message_retention_seconds}) is shorter than a record may wait on the source queue during a PubNub outage: ${var.fifo ? local.fifo_hold : local.longest_stay} s (${var.fifo ? "the FIFO hold" : "redelivery.park_limit_seconds, one park's delay, then max_receive_count x visibility timeout"}). SQS would delete such records before they reach the dead-letter queue: raise the retention or lower redelivery.park_limit_seconds (docs/operations.md#outages-and-the-dead-letter-queue)."
    }
    precondition {
      condition     = !var.fifo || local.fifo_hold <= 1800
      error_message = "On FIFO, a record that fails at every receive holds its message group for ${local.fifo_hold} s (its outage delays, each at least the visibility timeout, then the visibility timeout at its last receive): at most 1800 s. Lower max_receive_count, the visibility timeout or the redelivery delays (docs/operations.md#fifo-queues)."
    }
  }

  tags = var.tags
}

# The positions lane: as the source queue, with the visibility its window needs; the same dead-letter queue.
resource "aws_sqs_queue" "positions" {
  count                      = local.positions_queues
  name                       = "${var.name}-positions-${count.index}"
  visibility_timeout_seconds = local.positions_visibility_timeout
  message_retention_seconds  = var.message_retention_seconds
  sqs_managed_sse_enabled    = true

  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.dead_letter.arn
    maxReceiveCount     = local.max_receive_count
  })

  lifecycle {
    precondition {
      condition     = !var.fifo
      error_message = "positions_lane takes standard queues only: on FIFO a household's order would be split over two queues."
    }
    precondition {
      condition     = var.message_retention_seconds >= local.positions_longest_stay
      error_message = "message_retention_seconds (${var.message_retention_seconds}) is shorter than a position may wait on its queue during a PubNub outage: ${local.positions_longest_stay} s (redelivery.park_limit_seconds, one park's delay, then max_receive_count x the lane's visibility timeout of ${local.positions_visibility_timeout} s). Raise the retention or lower redelivery.park_limit_seconds."
    }
  }

  tags = var.tags
}

resource "aws_sqs_queue_redrive_allow_policy" "dead_letter" {
  queue_url = aws_sqs_queue.dead_letter.id
  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = concat([aws_sqs_queue.source.arn], local.positions_queue_arns)
  })
}

# --- Logs ----------------------------------------------------------------------------------------------

resource "aws_cloudwatch_log_group" "function" {
  name              = "/aws/lambda/${var.name}"
  retention_in_days = var.log_retention_days
  tags              = var.tags
}

# --- IAM: this queue, its logs, its keys; nothing else -------------------------------------------------

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]
    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "function" {
  name               = "${var.name}-function"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = var.tags
}

data "aws_iam_policy_document" "function" {
  statement {
    sid = "ConsumeTheSourceQueue"
    # SendMessage and ChangeMessageVisibility: the function parks records that failed for a PubNub outage
    # on their own queue, or on FIFO delays them in place (docs/operations.md#outages-and-the-dead-letter-queue).
    actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ChangeMessageVisibility", "sqs:SendMessage"]
    resources = [aws_sqs_queue.source.arn]
  }

  dynamic "statement" {
    for_each = local.positions_queues > 0 ? [1] : []
    content {
      sid       = "ConsumeThePositionsQueues"
      actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ChangeMessageVisibility", "sqs:SendMessage"]
      resources = local.positions_queue_arns
    }
  }

  statement {
    sid       = "WriteItsOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.function.arn}:*"]
  }

  dynamic "statement" {
    for_each = var.pubnub_keys_source == "ssm" ? [1] : []
    content {
      sid       = "ReadThePubNubKeyParameters"
      actions   = ["ssm:GetParameter"]
      resources = local.parameter_arns
    }
  }

  dynamic "statement" {
    for_each = var.pubnub_keys_source == "secretsmanager" ? [1] : []
    content {
      sid       = "ReadThePubNubKeysSecret"
      actions   = ["secretsmanager:GetSecretValue"]
      resources = [var.pubnub_keys_secret_arn]
    }
  }

  dynamic "statement" {
    for_each = var.kms_key_arn == null ? [] : [1]
    content {
      sid       = "DecryptTheKeys"
      actions   = ["kms:Decrypt"]
      resources = [var.kms_key_arn]
    }
  }
}

resource "aws_iam_role_policy" "function" {
  name   = "${var.name}-least-privilege"
  role   = aws_iam_role.function.id
  policy = data.aws_iam_policy_document.function.json
}

# --- The function --------------------------------------------------------------------------------------

resource "aws_lambda_function" "this" {
  function_name    = var.name
  role             = aws_iam_role.function.arn
  filename         = var.function_zip
  source_code_hash = filebase64sha256(var.function_zip)
  runtime          = local.native ? "provided.al2023" : var.java_runtime
  handler          = local.native ? "bootstrap" : local.jvm_handler
  architectures    = [var.architecture]
  memory_size      = var.memory_size
  timeout          = local.timeout
  layers           = [var.parameters_secrets_extension_layer_arn]
  # SnapStart snapshots published versions, and Managed Instances run published versions only; the event
  # source mapping targets the "live" alias.
  publish = !local.native

  dynamic "snap_start" {
    for_each = local.snap_start ? [1] : []
    content {
      apply_on = "PublishedVersions"
    }
  }

  dynamic "capacity_provider_config" {
    for_each = local.managed_instances ? [var.managed_instances] : []
    content {
      lambda_managed_instances_capacity_provider_config {
        capacity_provider_arn                     = aws_lambda_capacity_provider.this[0].arn
        execution_environment_memory_gib_per_vcpu = capacity_provider_config.value.memory_gib_per_vcpu
        per_execution_environment_max_concurrency = capacity_provider_config.value.max_concurrency_per_environment
      }
    }
  }

  environment {
    variables = merge(
      {
        PUBNUB_ORIGIN                          = var.pubnub_origin
        PUBNUB_UUID                            = var.pubnub_uuid
        SYNC_METRICS_NAMESPACE                 = var.metrics_namespace
        DISABLE_SIGNAL_HANDLERS                = "true"
        SSM_PARAMETER_STORE_TTL                = "300"
        SECRETS_MANAGER_TTL                    = "300"
        PARAMETERS_SECRETS_EXTENSION_LOG_LEVEL = "warn"
        # Changing it restarts every instance (the JVM build: a new version), each reading the keys anew.
        PUBNUB_KEYS_REVISION = var.pubnub_keys_revision
      },
      local.key_environment,
      local.redelivery_environment,
      var.environment,
      local.java_tool_options,
    )
  }

  logging_config {
    log_format = "Text"
    log_group  = aws_cloudwatch_log_group.function.name
  }

  lifecycle {
    # Refused at plan, not after apply: a function without its keys never starts, and every record
    # would go round max_receive_count times into the dead-letter queue.
    precondition {
      condition = var.pubnub_keys_source == "secretsmanager" ? var.pubnub_keys_secret_arn != null : (
        local.key_parameters.publish != null && local.key_parameters.subscribe != null
      )
      error_message = "Set pubnub_publish_key_parameter and pubnub_subscribe_key_parameter (or pubnub_keys), or pubnub_keys_secret_arn with pubnub_keys_source = \"secretsmanager\": without them the function cannot start."
    }
    # A function's layers must be in its region (CreateFunction refuses others).
    precondition {
      condition     = local.layer_arn_parts.region == data.aws_region.current.region
      error_message = "parameters_secrets_extension_layer_arn is in ${local.layer_arn_parts.region}, the function in ${data.aws_region.current.region}: use the extension's ARN for ${data.aws_region.current.region} (https://docs.aws.amazon.com/systems-manager/latest/userguide/ps-integration-lambda-extensions.html#ps-integration-lambda-extensions-add)."
    }
  }

  # The parameters first: the version this apply publishes (and its SnapStart snapshot) must read the
  # keys this apply stores, not the ones before a rotation.
  depends_on = [aws_iam_role_policy.function, aws_cloudwatch_log_group.function, aws_ssm_parameter.pubnub_key]
  tags       = var.tags
}

# --- Lambda Managed Instances (optional) ------------------------------------------------------------------

# The instances' security boundary: only this function is assigned to it. Its instances have the function's
# architecture, and Lambda picks their types.
resource "aws_lambda_capacity_provider" "this" {
  count = local.managed_instances ? 1 : 0
  name  = var.name

  vpc_config {
    subnet_ids         = var.managed_instances.subnet_ids
    security_group_ids = var.managed_instances.security_group_ids
  }

  permissions_config {
    capacity_provider_operator_role_arn = var.managed_instances.operator_role_arn
  }

  instance_requirements {
    architectures = [var.architecture]
  }

  dynamic "capacity_provider_scaling_config" {
    for_each = var.managed_instances.max_vcpu_count == null ? [] : [var.managed_instances.max_vcpu_count]
    content {
      max_vcpu_count = capacity_provider_scaling_config.value
    }
  }

  tags = var.tags
}

resource "aws_lambda_alias" "live" {
  name             = "live"
  function_name    = aws_lambda_function.this.function_name
  function_version = local.native ? "$LATEST" : aws_lambda_function.this.version
}

resource "aws_lambda_event_source_mapping" "source" {
  event_source_arn                   = aws_sqs_queue.source.arn
  function_name                      = aws_lambda_alias.live.arn
  batch_size                         = local.batch_size
  maximum_batching_window_in_seconds = local.batching_window
  # Without it Lambda ignores batchItemFailures and retries whole batches.
  function_response_types = ["ReportBatchItemFailures"]

  dynamic "scaling_config" {
    for_each = local.maximum_concurrency == null ? [] : [local.maximum_concurrency]
    content {
      maximum_concurrency = scaling_config.value
    }
  }

  # Provisioned mode (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html).
  dynamic "provisioned_poller_config" {
    for_each = var.provisioned_pollers == null ? [] : [var.provisioned_pollers]
    content {
      minimum_pollers = provisioned_poller_config.value.minimum
      maximum_pollers = provisioned_poller_config.value.maximum
    }
  }

  # The mapping's own metrics (polled, invoked, failed, deleted, dropped records) for the dashboard.
  metrics_config {
    metrics = ["EventCount"]
  }
}

# The positions lane's mappings: the same function, large batches over a long window (standard mode).
resource "aws_lambda_event_source_mapping" "positions" {
  count                              = local.positions_queues
  event_source_arn                   = aws_sqs_queue.positions[count.index].arn
  function_name                      = aws_lambda_alias.live.arn
  batch_size                         = var.positions_lane.batch_size
  maximum_batching_window_in_seconds = var.positions_lane.batching_window_seconds
  function_response_types            = ["ReportBatchItemFailures"]

  dynamic "scaling_config" {
    for_each = local.maximum_concurrency == null ? [] : [local.maximum_concurrency]
    content {
      maximum_concurrency = scaling_config.value
    }
  }

  metrics_config {
    metrics = ["EventCount"]
  }
}

# --- Alarms --------------------------------------------------------------------------------------------

resource "aws_cloudwatch_metric_alarm" "dead_letters" {
  alarm_name          = "${var.name}-dead-letters"
  alarm_description   = "Records gave up after ${local.max_receive_count} deliveries and wait in ${aws_sqs_queue.dead_letter.name}. See docs/operations.md#dead-letters."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.dead_letter.name }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "oldest_message" {
  alarm_name          = "${var.name}-oldest-message-age"
  alarm_description   = "The oldest record in ${aws_sqs_queue.source.name} is older than ${var.oldest_message_age_alarm_seconds} s: sync updates reach devices late. See docs/operations.md#oldest-message-age."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateAgeOfOldestMessage"
  dimensions          = { QueueName = aws_sqs_queue.source.name }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.oldest_message_age_alarm_seconds
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = var.tags
}

# A position waits up to the lane's window by design: its alarm allows for it.
resource "aws_cloudwatch_metric_alarm" "positions_oldest_message" {
  count               = local.positions_queues
  alarm_name          = "${var.name}-positions-${count.index}-oldest-message-age"
  alarm_description   = "The oldest position in ${aws_sqs_queue.positions[count.index].name} is older than ${var.oldest_message_age_alarm_seconds + var.positions_lane.batching_window_seconds} s (the alarm's age plus the lane's window): positions reach devices late. See docs/operations.md#oldest-message-age."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateAgeOfOldestMessage"
  dimensions          = { QueueName = aws_sqs_queue.positions[count.index].name }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 3
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.oldest_message_age_alarm_seconds + var.positions_lane.batching_window_seconds
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "positions_in_flight" {
  count               = local.positions_queues
  alarm_name          = "${var.name}-positions-${count.index}-in-flight"
  alarm_description   = "More than ${var.in_flight_alarm_threshold} messages of ${aws_sqs_queue.positions[count.index].name} are in flight: at about 120,000 SQS stops handing out its messages and the queue stalls. See docs/operations.md#in-flight."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesNotVisible"
  dimensions          = { QueueName = aws_sqs_queue.positions[count.index].name }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 2
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.in_flight_alarm_threshold
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "in_flight" {
  alarm_name          = "${var.name}-in-flight"
  alarm_description   = "More than ${var.in_flight_alarm_threshold} messages of ${aws_sqs_queue.source.name} are in flight: at about 120,000 SQS stops handing out its messages and the queue stalls. See docs/operations.md#in-flight."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesNotVisible"
  dimensions          = { QueueName = aws_sqs_queue.source.name }
  statistic           = "Maximum"
  period              = 60
  evaluation_periods  = 2
  comparison_operator = "GreaterThanThreshold"
  threshold           = var.in_flight_alarm_threshold
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "redeliveries_not_delayed" {
  alarm_name          = "${var.name}-redeliveries-not-delayed"
  alarm_description   = "Records that failed for a PubNub outage could not be parked or delayed (SQS refused, or no time was left): each comes back after the visibility timeout, a receive closer to the dead-letter queue. See docs/operations.md#redeliveries-not-delayed."
  namespace           = var.metrics_namespace
  metric_name         = "RedeliveriesNotDelayed"
  dimensions          = { FunctionName = aws_lambda_function.this.function_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "errors" {
  alarm_name          = "${var.name}-errors"
  alarm_description   = "Invocations failed as a whole (not an SQS event, a crash, a timeout, or a start-up error such as a missing key). See docs/operations.md#function-errors."
  namespace           = "AWS/Lambda"
  metric_name         = "Errors"
  dimensions          = { FunctionName = aws_lambda_function.this.function_name }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "throttles" {
  alarm_name          = "${var.name}-throttles"
  alarm_description   = "Lambda throttled invocations: the account's concurrency is exhausted. See docs/operations.md#throttles."
  namespace           = "AWS/Lambda"
  metric_name         = "Throttles"
  dimensions          = { FunctionName = aws_lambda_function.this.function_name }
  statistic           = "Sum"
  period              = 60
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = var.tags
}

resource "aws_cloudwatch_metric_alarm" "records_failed" {
  alarm_name          = "${var.name}-records-failed"
  alarm_description   = "Records reported failed (PubNub refused or unreachable, or invalid input); SQS delivers them again. From the function's Embedded Metric Format summary. See docs/operations.md#records-failed."
  namespace           = var.metrics_namespace
  metric_name         = "RecordsFailed"
  dimensions          = { FunctionName = aws_lambda_function.this.function_name }
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
  tags                = var.tags
}

# --- Dashboard ----------------------------------------------------------------------------------------
# What an on-call engineer looks at first: records in and out, why records failed, how PubNub answers
# (latency, 429 slow-downs, the circuit), the dead-letter queue and the function itself. Every function
# figure comes from the Embedded Metric Format summary each invocation logs; see docs/operations.md.

locals {
  dashboard_metric = { namespace = var.metrics_namespace, dimensions = ["FunctionName", aws_lambda_function.this.function_name] }
  # Event source mapping metrics (metrics_config EventCount):
  # https://docs.aws.amazon.com/lambda/latest/dg/monitoring-metrics-types.html#event-source-mapping-metrics
  mapping_metrics = {
    PolledEventCount       = "polled from the queue"
    InvokedEventCount      = "sent to the function"
    DeletedEventCount      = "deleted (delivered)"
    FailedInvokeEventCount = "in failed invocations"
    DroppedEventCount      = "dropped"
  }
  failure_kinds = {
    RecordsInvalid       = "invalid (producer bug)"
    RecordsRefused       = "refused by PubNub (4xx)"
    RecordsUndelivered   = "undelivered after retries"
    RecordsFailedFast    = "failed fast (circuit open)"
    RecordsOutOfTime     = "out of time (deadline)"
    RecordsBehindFailure = "behind a FIFO failure"
  }
}

resource "aws_cloudwatch_dashboard" "function" {
  dashboard_name = var.name
  dashboard_body = jsonencode({
    widgets = [
      {
        type = "metric", x = 0, y = 0, width = 12, height = 6
        properties = {
          title   = "Records in, published, and given back to SQS"
          region  = data.aws_region.current.region
          stat    = "Sum"
          period  = 60
          metrics = [for m in ["RecordsReceived", "RecordsSuperseded", "RecordsFailed", "Publishes", "PublishRetries"] : concat([local.dashboard_metric.namespace, m], local.dashboard_metric.dimensions)]
        }
      },
      {
        type = "metric", x = 12, y = 0, width = 12, height = 6
        properties = {
          title   = "Failed records by reason"
          region  = data.aws_region.current.region
          stat    = "Sum"
          period  = 60
          stacked = true
          metrics = [for m, label in local.failure_kinds : concat([local.dashboard_metric.namespace, m], local.dashboard_metric.dimensions, [{ label = label }])]
        }
      },
      {
        type = "metric", x = 0, y = 6, width = 8, height = 6
        properties = {
          title  = "Publish latency, first attempt to acknowledgement (ms)"
          region = data.aws_region.current.region
          period = 60
          metrics = [
            concat([local.dashboard_metric.namespace, "PublishLatency"], local.dashboard_metric.dimensions, [{ stat = "p50", label = "p50" }]),
            concat([local.dashboard_metric.namespace, "PublishLatency"], local.dashboard_metric.dimensions, [{ stat = "p99", label = "p99" }]),
          ]
        }
      },
      {
        type = "metric", x = 8, y = 6, width = 8, height = 6
        properties = {
          title  = "PubNub's outages: the circuit breaker"
          region = data.aws_region.current.region
          period = 60
          metrics = [
            concat([local.dashboard_metric.namespace, "CircuitOpen"], local.dashboard_metric.dimensions, [{ stat = "Maximum", label = "open at the end of an invocation (1 = yes)" }]),
            concat([local.dashboard_metric.namespace, "CircuitOpened"], local.dashboard_metric.dimensions, [{ stat = "Sum", label = "times opened" }]),
          ]
        }
      },
      {
        type = "metric", x = 16, y = 6, width = 8, height = 6
        properties = {
          title  = "PubNub's rate limit: 429 answers and the slow-downs they caused"
          region = data.aws_region.current.region
          period = 60
          metrics = [
            concat([local.dashboard_metric.namespace, "RateLimitedAnswers"], local.dashboard_metric.dimensions, [{ stat = "Sum", label = "429 answers" }]),
            concat([local.dashboard_metric.namespace, "RateLimitPause"], local.dashboard_metric.dimensions, [{ stat = "Sum", label = "ms publishing was held", yAxis = "right" }]),
          ]
        }
      },
      {
        type = "metric", x = 0, y = 24, width = 24, height = 6
        properties = {
          title  = "PubNub's outages on the queue: records parked, delayed, not delayed, parks ended; messages in flight"
          region = data.aws_region.current.region
          period = 60
          metrics = concat(
            [for m in ["RecordsParked", "RedeliveriesDelayed", "RedeliveriesNotDelayed", "ParksEnded"] : concat([local.dashboard_metric.namespace, m], local.dashboard_metric.dimensions, [{ stat = "Sum" }])],
            [["AWS/SQS", "ApproximateNumberOfMessagesNotVisible", "QueueName", aws_sqs_queue.source.name, { stat = "Maximum", label = "in flight (SQS stops near 120,000)", yAxis = "right" }]],
          )
        }
      },
      {
        type = "metric", x = 0, y = 18, width = 24, height = 6
        properties = {
          title  = "The SQS trigger: records polled, invoked, deleted, failed and dropped by the event source mapping"
          region = data.aws_region.current.region
          stat   = "Sum"
          period = 60
          metrics = [for m, label in local.mapping_metrics :
          ["AWS/Lambda", m, "EventSourceMappingUUID", aws_lambda_event_source_mapping.source.uuid, { label = label }]]
        }
      },
      {
        type = "metric", x = 0, y = 12, width = 12, height = 6
        properties = {
          title  = "Queues: dead letters and the oldest record waiting"
          region = data.aws_region.current.region
          period = 60
          stat   = "Maximum"
          metrics = [
            ["AWS/SQS", "ApproximateNumberOfMessagesVisible", "QueueName", aws_sqs_queue.dead_letter.name, { label = "dead-letter queue depth" }],
            ["AWS/SQS", "ApproximateAgeOfOldestMessage", "QueueName", aws_sqs_queue.source.name, { label = "oldest record in the source queue (s)", yAxis = "right" }],
          ]
        }
      },
      {
        type = "metric", x = 12, y = 12, width = 12, height = 6
        properties = {
          title  = "The function: duration, errors, throttles"
          region = data.aws_region.current.region
          period = 60
          metrics = [
            ["AWS/Lambda", "Duration", "FunctionName", aws_lambda_function.this.function_name, { stat = "p99", label = "duration p99 (ms)" }],
            ["AWS/Lambda", "Errors", "FunctionName", aws_lambda_function.this.function_name, { stat = "Sum", label = "errors", yAxis = "right" }],
            ["AWS/Lambda", "Throttles", "FunctionName", aws_lambda_function.this.function_name, { stat = "Sum", label = "throttles", yAxis = "right" }],
          ]
        }
      },
    ]
  })
}
