terraform {
  # 1.9: variable validations may refer to other variables (the visibility timeout rule).
  required_version = ">= 1.9.0"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 6.0: data.aws_region's `region` attribute; 6.x: provisioned_poller_config and metrics_config on
      # event source mappings. CI checks the module against the 6.25.0 schema.
      version = ">= 6.0.0, < 7.0.0"
    }
  }
}
