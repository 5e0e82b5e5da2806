# The module planned with each documented set of inputs, and refusing at plan what AWS would refuse at
# apply. Runs offline: with the AWS provider installed, against its mock; in CI, against the
# provider-free stand-in (.ci/infra-check/plan.mjs). Any file stands in for the package:
#   terraform init && terraform test -var function_zip=README.md

mock_provider "aws" {}

# The mock would answer a random region; the layer's region is checked against it.
override_data {
  target = data.aws_region.current
  values = { region = "eu-west-1" }
}

variables {
  parameters_secrets_extension_layer_arn = "arn:aws:lambda:eu-west-1:015030872274:layer:AWS-Parameters-and-Secrets-Lambda-Extension:18"
  pubnub_publish_key_parameter           = "/sync-fanout/test/pubnub/publish-key"
  pubnub_subscribe_key_parameter         = "/sync-fanout/test/pubnub/subscribe-key"
}

run "defaults_native_standard_queue" {
  command = plan

  assert {
    condition     = aws_lambda_function.this.runtime == "provided.al2023" && aws_lambda_function.this.handler == "bootstrap"
    error_message = "The default package is the native build on provided.al2023."
  }
  assert {
    condition     = aws_lambda_event_source_mapping.source.batch_size == 1000 && aws_lambda_event_source_mapping.source.maximum_batching_window_in_seconds == 1
    error_message = "A standard queue takes batches of 1,000 with a 1 s window by default."
  }
  assert {
    condition     = length(aws_lambda_event_source_mapping.source.scaling_config) == 1 && aws_lambda_event_source_mapping.source.scaling_config[0].maximum_concurrency == 100
    error_message = "The standard mode caps concurrency at 100 by default (docs/capacity.md)."
  }
  assert {
    condition     = length(aws_lambda_event_source_mapping.source.provisioned_poller_config) == 0
    error_message = "Provisioned mode is off by default."
  }
  assert {
    condition     = contains(aws_lambda_event_source_mapping.source.metrics_config[0].metrics, "EventCount")
    error_message = "The event source mapping must publish its EventCount metrics."
  }
  assert {
    condition     = contains(aws_lambda_event_source_mapping.source.function_response_types, "ReportBatchItemFailures")
    error_message = "Without ReportBatchItemFailures Lambda retries whole batches."
  }
}

run "keys_not_located_are_refused" {
  command = plan

  variables {
    pubnub_publish_key_parameter   = null
    pubnub_subscribe_key_parameter = null
  }

  # The plan fails, saying where the keys are missing: applied, the function could never start.
  expect_failures = [aws_lambda_function.this]
}

run "a_secrets_manager_source_without_its_secret_is_refused" {
  command = plan

  variables {
    pubnub_publish_key_parameter   = null
    pubnub_subscribe_key_parameter = null
    pubnub_keys_source             = "secretsmanager"
  }

  expect_failures = [aws_lambda_function.this]
}

run "extension_layer_of_another_region_is_refused" {
  command = plan

  variables {
    parameters_secrets_extension_layer_arn = "arn:aws:lambda:us-east-1:177933569100:layer:AWS-Parameters-and-Secrets-Lambda-Extension:18"
  }

  expect_failures = [aws_lambda_function.this]
}

run "x86_64_extension_layer_on_arm64_is_refused" {
  command = plan

  variables {
    architecture = "arm64"
  }

  expect_failures = [var.parameters_secrets_extension_layer_arn]
}

run "arm64_extension_layer_on_x86_64_is_refused" {
  command = plan

  variables {
    parameters_secrets_extension_layer_arn = "arn:aws:lambda:eu-west-1:015030872274:layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:18"
  }

  expect_failures = [var.parameters_secrets_extension_layer_arn]
}

run "arm64_with_the_arm64_extension_layer" {
  command = plan

  variables {
    architecture                           = "arm64"
    parameters_secrets_extension_layer_arn = "arn:aws:lambda:eu-west-1:015030872274:layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:18"
  }

  assert {
    condition     = contains(aws_lambda_function.this.architectures, "arm64")
    error_message = "arm64 plans with the extension built for it."
  }
}

run "metrics_namespace_is_read_where_it_is_written" {
  command = plan

  variables {
    metrics_namespace = "Media/SyncFanout"
  }

  assert {
    condition     = aws_lambda_function.this.environment[0].variables["SYNC_METRICS_NAMESPACE"] == "Media/SyncFanout" && aws_cloudwatch_metric_alarm.records_failed.namespace == "Media/SyncFanout"
    error_message = "The function writes its metrics where the alarm reads them."
  }
}

run "metrics_settings_in_environment_are_refused" {
  command = plan

  variables {
    environment = { SYNC_METRICS_ENABLED = "false" }
  }

  expect_failures = [var.environment]
}

run "metrics_namespace_in_environment_is_refused" {
  command = plan

  variables {
    environment = { SYNC_METRICS_NAMESPACE = "Elsewhere" }
  }

  expect_failures = [var.environment]
}

run "keys_stored_by_the_module" {
  command = plan

  variables {
    pubnub_publish_key_parameter   = null
    pubnub_subscribe_key_parameter = null
    pubnub_keys = {
      publish_key   = "pub-c-00000000-0000-0000-0000-000000000000"
      subscribe_key = "sub-c-00000000-0000-0000-0000-000000000000"
      secret_key    = "sec-c-000000000000000000000000000000000000000000000000"
    }
  }

  assert {
    condition     = toset(keys(aws_ssm_parameter.pubnub_key)) == toset(["publish", "subscribe", "secret"])
    error_message = "The module stores each given key, and no other, as a parameter."
  }
  assert {
    condition     = aws_lambda_function.this.environment[0].variables["PUBNUB_SECRET_KEY_PARAMETER"] == "/sync-fanout/pubnub/secret-key"
    error_message = "The function reads the secret key from the parameter the module stored."
  }
  assert {
    condition     = !contains(keys(aws_lambda_function.this.environment[0].variables), "PUBNUB_AUTH_KEY_PARAMETER")
    error_message = "No auth key was given, so none is read."
  }
}

run "ssm_parameters_managed_elsewhere" {
  command = plan

  variables {
    pubnub_secret_key_parameter = "/sync-fanout/test/pubnub/secret-key"
  }

  assert {
    condition     = length(aws_ssm_parameter.pubnub_key) == 0
    error_message = "Parameters managed elsewhere are not created."
  }
  assert {
    condition     = aws_lambda_function.this.environment[0].variables["PUBNUB_PUBLISH_KEY_PARAMETER"] == "/sync-fanout/test/pubnub/publish-key"
    error_message = "The function reads the publish key from the named parameter."
  }
}

run "secrets_manager" {
  command = plan

  variables {
    pubnub_publish_key_parameter   = null
    pubnub_subscribe_key_parameter = null
    pubnub_keys_source             = "secretsmanager"
    pubnub_keys_secret_arn         = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:sync-fanout/pubnub-AbCdEf"
  }

  assert {
    condition     = aws_lambda_function.this.environment[0].variables["PUBNUB_KEYS_SECRET_ID"] == "arn:aws:secretsmanager:eu-west-1:123456789012:secret:sync-fanout/pubnub-AbCdEf"
    error_message = "The function reads its keys from the secret."
  }
}

run "fifo" {
  command = plan

  variables {
    fifo = true
  }

  assert {
    condition     = aws_sqs_queue.source.name == "sync-fanout.fifo" && aws_sqs_queue.dead_letter.name == "sync-fanout-dlq.fifo"
    error_message = "FIFO queue names end in .fifo."
  }
  assert {
    condition     = aws_lambda_event_source_mapping.source.batch_size == 10 && aws_lambda_event_source_mapping.source.maximum_batching_window_in_seconds == null
    error_message = "A FIFO queue takes batches of at most 10 and no batching window."
  }
  assert {
    condition     = aws_lambda_function.this.timeout == 20 && aws_sqs_queue.source.visibility_timeout_seconds == 120 && strcontains(aws_cloudwatch_metric_alarm.dead_letters.alarm_description, "after 3 deliveries")
    error_message = "FIFO: a record being retried holds its group, so it is given 20 s, 120 s of visibility and 3 receives (10 minutes with the outage delays), not the standard 200 s x 5."
  }
}

run "standard_queue_defaults" {
  command = plan

  assert {
    condition     = aws_lambda_function.this.timeout == 30 && aws_sqs_queue.source.visibility_timeout_seconds == 200 && strcontains(aws_cloudwatch_metric_alarm.dead_letters.alarm_description, "after 5 deliveries")
    error_message = "A standard queue keeps 30 s, 200 s of visibility and 5 receives."
  }
}

run "fifo_group_held_longer_than_30_minutes_is_refused" {
  command = plan

  variables {
    fifo              = true
    max_receive_count = 20
  }

  expect_failures = [var.visibility_timeout_seconds]
}

run "a_retention_shorter_than_the_park_is_refused" {
  command = plan

  variables {
    message_retention_seconds = 21600
  }

  expect_failures = [aws_sqs_queue.source]
}

run "a_longer_park_with_a_longer_retention" {
  command = plan

  variables {
    redelivery                = { park_limit_seconds = 86400 }
    message_retention_seconds = 172800
  }

  assert {
    condition     = aws_lambda_function.this.environment[0].variables["SYNC_REDELIVERY_PARK_LIMIT"] == "86400s" && aws_lambda_function.this.environment[0].variables["SYNC_REDELIVERY_MAX_RECEIVE_COUNT"] == "5"
    error_message = "The function is told the park limit and the queue's maxReceiveCount."
  }
}

run "fifo_group_held_longer_than_30_minutes_by_its_delays_is_refused" {
  command = plan

  variables {
    fifo       = true
    redelivery = { base_seconds = 600, max_delay_seconds = 1200 }
  }

  # 600 s, then 1,200 s, then the 120 s visibility timeout: 32 minutes.
  expect_failures = [aws_sqs_queue.source]
}

run "redelivery_settings_in_environment_are_refused" {
  command = plan

  variables {
    environment = { SYNC_REDELIVERY_PARK_LIMIT = "48h" }
  }

  expect_failures = [var.environment]
}

run "jvm" {
  command = plan

  variables {
    package     = "jvm"
    memory_size = 1024
  }

  assert {
    condition     = aws_lambda_function.this.runtime == "java25" && aws_lambda_function.this.snap_start[0].apply_on == "PublishedVersions" && aws_lambda_function.this.publish
    error_message = "The JVM build runs on java25 with SnapStart on published versions."
  }
  assert {
    condition     = length(aws_lambda_function.this.capacity_provider_config) == 0 && length(aws_lambda_capacity_provider.this) == 0
    error_message = "On-demand Lambda by default: no capacity provider."
  }
}

run "jvm_java_tool_options" {
  command = plan

  variables {
    package     = "jvm"
    memory_size = 1024
    environment = { JAVA_TOOL_OPTIONS = "-XX:+UseParallelGC" }
  }

  assert {
    condition     = aws_lambda_function.this.environment[0].variables["JAVA_TOOL_OPTIONS"] == "--add-opens=java.base/java.lang=ALL-UNNAMED -XX:+UseParallelGC"
    error_message = "The JVM build opens java.lang to Quarkus's executor (Java 24 and later), and keeps the options given."
  }
}

run "jvm_on_java21" {
  command = plan

  variables {
    package      = "jvm"
    memory_size  = 1024
    java_runtime = "java21"
  }

  assert {
    condition     = aws_lambda_function.this.runtime == "java21" && length(aws_lambda_function.this.snap_start) == 1
    error_message = "java21 is still offered, with SnapStart."
  }
}

run "managed_instances" {
  command = plan

  variables {
    package                                = "jvm"
    memory_size                            = 4096
    architecture                           = "arm64"
    parameters_secrets_extension_layer_arn = "arn:aws:lambda:eu-west-1:015030872274:layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:18"
    managed_instances = {
      subnet_ids                      = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
      security_group_ids              = ["sg-0123abcd"]
      operator_role_arn               = "arn:aws:iam::123456789012:role/lambda-managed-instances-operator"
      max_vcpu_count                  = 64
      max_concurrency_per_environment = 64
    }
  }

  assert {
    condition     = length(aws_lambda_capacity_provider.this[0].vpc_config[0].subnet_ids) == 2 && contains(aws_lambda_capacity_provider.this[0].vpc_config[0].subnet_ids, "subnet-4e5f6a7b") && aws_lambda_capacity_provider.this[0].permissions_config[0].capacity_provider_operator_role_arn == "arn:aws:iam::123456789012:role/lambda-managed-instances-operator"
    error_message = "The capacity provider runs in the given subnets, managed through the given operator role."
  }
  assert {
    condition     = contains(aws_lambda_capacity_provider.this[0].instance_requirements[0].architectures, "arm64") && aws_lambda_capacity_provider.this[0].capacity_provider_scaling_config[0].max_vcpu_count == 64
    error_message = "The instances have the function's architecture and the given vCPU bound."
  }
  assert {
    condition     = aws_lambda_function.this.capacity_provider_config[0].lambda_managed_instances_capacity_provider_config[0].per_execution_environment_max_concurrency == 64 && aws_lambda_function.this.capacity_provider_config[0].lambda_managed_instances_capacity_provider_config[0].execution_environment_memory_gib_per_vcpu == 2
    error_message = "The function takes 64 invocations at once per environment, with 2 GiB per vCPU by default."
  }
  assert {
    condition     = length(aws_lambda_function.this.snap_start) == 0 && aws_lambda_function.this.publish && aws_lambda_function.this.runtime == "java25"
    error_message = "On Managed Instances the JVM build runs published versions of java25, without SnapStart."
  }
}

run "managed_instances_defaults" {
  command = plan

  variables {
    package     = "jvm"
    memory_size = 2048
    managed_instances = {
      subnet_ids         = ["subnet-0a1b2c3d"]
      security_group_ids = ["sg-0123abcd"]
      operator_role_arn  = "arn:aws:iam::123456789012:role/operator"
    }
  }

  assert {
    condition     = aws_lambda_function.this.capacity_provider_config[0].lambda_managed_instances_capacity_provider_config[0].per_execution_environment_max_concurrency == null && length(aws_lambda_capacity_provider.this[0].capacity_provider_scaling_config) == 0
    error_message = "Only the required settings: AWS's defaults for concurrency and scaling."
  }
}

run "managed_instances_with_the_native_build_is_refused" {
  command = plan

  variables {
    memory_size = 2048
    managed_instances = {
      subnet_ids         = ["subnet-0a1b2c3d"]
      security_group_ids = ["sg-0123abcd"]
      operator_role_arn  = "arn:aws:iam::123456789012:role/operator"
    }
  }

  expect_failures = [var.managed_instances]
}

run "managed_instances_below_2048_mb_is_refused" {
  command = plan

  variables {
    package     = "jvm"
    memory_size = 1024
    managed_instances = {
      subnet_ids         = ["subnet-0a1b2c3d"]
      security_group_ids = ["sg-0123abcd"]
      operator_role_arn  = "arn:aws:iam::123456789012:role/operator"
    }
  }

  expect_failures = [var.managed_instances]
}

run "managed_instances_without_subnets_is_refused" {
  command = plan

  variables {
    package     = "jvm"
    memory_size = 2048
    managed_instances = {
      subnet_ids         = []
      security_group_ids = ["sg-0123abcd"]
      operator_role_arn  = "arn:aws:iam::123456789012:role/operator"
    }
  }

  expect_failures = [var.managed_instances]
}

run "managed_instances_memory_per_vcpu_above_8_is_refused" {
  command = plan

  variables {
    package     = "jvm"
    memory_size = 2048
    managed_instances = {
      subnet_ids          = ["subnet-0a1b2c3d"]
      security_group_ids  = ["sg-0123abcd"]
      operator_role_arn   = "arn:aws:iam::123456789012:role/operator"
      memory_gib_per_vcpu = 16
    }
  }

  expect_failures = [var.managed_instances]
}

run "managed_instances_concurrency_above_1600_is_refused" {
  command = plan

  variables {
    package     = "jvm"
    memory_size = 2048
    managed_instances = {
      subnet_ids                      = ["subnet-0a1b2c3d"]
      security_group_ids              = ["sg-0123abcd"]
      operator_role_arn               = "arn:aws:iam::123456789012:role/operator"
      max_concurrency_per_environment = 1601
    }
  }

  expect_failures = [var.managed_instances]
}

run "jvm_below_1024_mb_is_warned" {
  command = plan

  variables {
    package     = "jvm"
    memory_size = 512
  }

  expect_failures = [check.jvm_memory_size]
}

run "provisioned_mode" {
  command = plan

  variables {
    provisioned_pollers = { minimum = 5, maximum = 100 }
  }

  assert {
    condition     = aws_lambda_event_source_mapping.source.provisioned_poller_config[0].minimum_pollers == 5 && aws_lambda_event_source_mapping.source.provisioned_poller_config[0].maximum_pollers == 100
    error_message = "Provisioned mode takes the given pollers."
  }
  assert {
    condition     = length(aws_lambda_event_source_mapping.source.scaling_config) == 0
    error_message = "Provisioned mode sets no maximum_concurrency (AWS refuses both)."
  }
}

run "provisioned_mode_defaults" {
  command = plan

  variables {
    provisioned_pollers = {}
  }

  assert {
    condition     = aws_lambda_event_source_mapping.source.provisioned_poller_config[0].minimum_pollers == 2 && aws_lambda_event_source_mapping.source.provisioned_poller_config[0].maximum_pollers == 1000
    error_message = "Provisioned mode defaults to 2 to 1,000 pollers: at about 100 updates a second each, 1,000 take 100,000 a second (docs/capacity.md)."
  }
}

run "no_positions_lane_by_default" {
  command = plan

  assert {
    condition     = length(aws_sqs_queue.positions) == 0 && length(aws_lambda_event_source_mapping.positions) == 0
    error_message = "The positions lane is off by default."
  }
}

run "positions_lane_over_two_queues" {
  command = plan

  variables {
    positions_lane = { queues = 2 }
  }

  assert {
    condition     = length(aws_sqs_queue.positions) == 2 && aws_sqs_queue.positions[1].name == "sync-fanout-positions-1"
    error_message = "positions_lane = { queues = 2 } makes sync-fanout-positions-0 and -1."
  }
  assert {
    condition     = alltrue([for m in aws_lambda_event_source_mapping.positions : m.batch_size == 10000 && m.maximum_batching_window_in_seconds == 60 && contains(m.function_response_types, "ReportBatchItemFailures")])
    error_message = "Each positions queue is polled in batches of up to 10,000 within 60 s, with partial batch responses."
  }
  assert {
    condition     = aws_sqs_queue.positions[0].visibility_timeout_seconds == 6 * 30 + 60
    error_message = "A positions queue's visibility is 6 x the timeout plus its window (AWS's rule): 240 s."
  }
  assert {
    condition     = aws_cloudwatch_metric_alarm.positions_oldest_message[0].threshold == var.oldest_message_age_alarm_seconds + 60
    error_message = "A position's age alarm allows for the lane's window."
  }
}

# --- What AWS would refuse at apply is refused at plan ---------------------------------------------------

run "positions_lane_on_fifo_is_refused" {
  command = plan

  variables {
    fifo           = true
    positions_lane = {}
  }

  expect_failures = [aws_sqs_queue.positions]
}

run "positions_lane_of_21_queues_is_refused" {
  command = plan

  variables {
    positions_lane = { queues = 21 }
  }

  expect_failures = [var.positions_lane]
}

run "positions_lane_window_beyond_300_s_is_refused" {
  command = plan

  variables {
    positions_lane = { batching_window_seconds = 301 }
  }

  expect_failures = [var.positions_lane]
}

run "fifo_batch_above_10_is_refused" {
  command = plan

  variables {
    fifo       = true
    batch_size = 100
  }

  expect_failures = [var.batch_size]
}

run "fifo_batching_window_is_refused" {
  command = plan

  variables {
    fifo                               = true
    maximum_batching_window_in_seconds = 5
  }

  expect_failures = [var.maximum_batching_window_in_seconds]
}

run "standard_batch_above_10_without_window_is_refused" {
  command = plan

  variables {
    batch_size                         = 100
    maximum_batching_window_in_seconds = 0
  }

  expect_failures = [var.batch_size]
}

run "maximum_concurrency_with_provisioned_mode_is_refused" {
  command = plan

  variables {
    maximum_concurrency = 50
    provisioned_pollers = { minimum = 2, maximum = 20 }
  }

  expect_failures = [var.maximum_concurrency]
}

# Each bound alone: a run that broke both would pass if either validation worked.
run "provisioned_minimum_below_2_is_refused" {
  command = plan

  variables {
    provisioned_pollers = { minimum = 1, maximum = 20 }
  }

  expect_failures = [var.provisioned_pollers]
}

run "provisioned_minimum_above_200_is_refused" {
  command = plan

  variables {
    provisioned_pollers = { minimum = 201, maximum = 500 }
  }

  expect_failures = [var.provisioned_pollers]
}

run "provisioned_maximum_above_10000_is_refused" {
  command = plan

  variables {
    provisioned_pollers = { minimum = 2, maximum = 10001 }
  }

  expect_failures = [var.provisioned_pollers]
}

run "provisioned_maximum_below_minimum_is_refused" {
  command = plan

  variables {
    provisioned_pollers = { minimum = 50, maximum = 20 }
  }

  expect_failures = [var.provisioned_pollers]
}

run "provisioned_bounds_at_their_limits" {
  command = plan

  variables {
    provisioned_pollers = { minimum = 200, maximum = 10000 }
  }

  assert {
    condition     = aws_lambda_event_source_mapping.source.provisioned_poller_config[0].maximum_pollers == 10000
    error_message = "10,000 pollers a mapping are allowed."
  }
}

run "visibility_timeout_below_six_timeouts_is_refused" {
  command = plan

  variables {
    timeout                    = 60
    visibility_timeout_seconds = 120
  }

  expect_failures = [var.visibility_timeout_seconds]
}
