terraform {
  # 1.9: variable validations may refer to other variables (the visibility timeout rule).
  required_version = ">= 1.9.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.60.0, < 7.0.0"
    }
  }
}
