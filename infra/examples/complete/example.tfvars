region       = "eu-west-1"
function_zip = "../../../target/function.zip"
# AWS Parameters and Secrets Lambda Extension, arm64, eu-west-1: take the current ARN for your region from
# https://docs.aws.amazon.com/systems-manager/latest/userguide/ps-integration-lambda-extensions.html
parameters_secrets_extension_layer_arn = "arn:aws:lambda:eu-west-1:015030872274:layer:AWS-Parameters-and-Secrets-Lambda-Extension-Arm64:18"
alarm_topic_arn                        = "arn:aws:sns:eu-west-1:123456789012:sync-fanout-alarms"
