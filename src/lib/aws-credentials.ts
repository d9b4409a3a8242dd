/** AWS credentials as a value: auth's session, the runner's own, or a chained role's. */
export interface AwsCredentials {
  readonly accessKeyId: string
  readonly secretAccessKey: string
  readonly sessionToken?: string
  readonly expiration?: Date
}
