output "queue_url" {
  description = "URL of the source queue the API servers send sync updates to."
  value       = aws_sqs_queue.source.id
}

output "queue_arn" {
  description = "ARN of the source queue."
  value       = aws_sqs_queue.source.arn
}

output "positions_queue_urls" {
  description = "URLs of the positions lane's queues, in the order producers index them (hash of user_id modulo their number); empty without positions_lane."
  value       = local.positions_queue_urls
}

output "positions_queue_arns" {
  description = "ARNs of the positions lane's queues, in the same order."
  value       = local.positions_queue_arns
}

output "dead_letter_queue_url" {
  description = "URL of the dead-letter queue (see docs/operations.md to redrive it)."
  value       = aws_sqs_queue.dead_letter.id
}

output "dead_letter_queue_arn" {
  description = "ARN of the dead-letter queue."
  value       = aws_sqs_queue.dead_letter.arn
}

output "function_name" {
  description = "Name of the Lambda function."
  value       = aws_lambda_function.this.function_name
}

output "function_arn" {
  description = "ARN of the Lambda function."
  value       = aws_lambda_function.this.arn
}

output "alias_arn" {
  description = "ARN of the \"live\" alias the queue invokes."
  value       = aws_lambda_alias.live.arn
}

output "role_arn" {
  description = "ARN of the function's execution role."
  value       = aws_iam_role.function.arn
}

output "log_group_name" {
  description = "The function's log group."
  value       = aws_cloudwatch_log_group.function.name
}

output "alarm_arns" {
  description = "ARNs of the alarms, by what they watch."
  value = {
    dead_letters   = aws_cloudwatch_metric_alarm.dead_letters.arn
    oldest_message = aws_cloudwatch_metric_alarm.oldest_message.arn
    errors         = aws_cloudwatch_metric_alarm.errors.arn
    throttles      = aws_cloudwatch_metric_alarm.throttles.arn
    records_failed = aws_cloudwatch_metric_alarm.records_failed.arn
  }
}

output "dashboard_url" {
  description = "The CloudWatch dashboard: records, failures by reason, publish latency, the circuit breaker, 429 slow-downs, the queues."
  value       = "https://${data.aws_region.current.region}.console.aws.amazon.com/cloudwatch/home?region=${data.aws_region.current.region}#dashboards/dashboard/${aws_cloudwatch_dashboard.function.dashboard_name}"
}
