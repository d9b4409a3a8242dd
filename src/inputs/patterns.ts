// Shapes shared by the readers of several phases.

/** An AWS region code (us-east-1, eu-central-1, us-gov-west-1, cn-north-1). */
export const REGION_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/
/** An IAM role ARN, in any partition (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html). */
export const ROLE_ARN_PATTERN = /^arn:aws(-[a-z]+)*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/
export const ACCOUNT_PATTERN = /^\d{12}$/
