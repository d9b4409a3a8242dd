/**
 * What can be wrong with an inline session policy. STS takes a JSON IAM policy of at most 2,048
 * characters (whitespace counts), whose Statement holds Allow/Deny statements with an Action or
 * NotAction. https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRoleWithWebIdentity.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_grammar.html
 */
export const POLICY_PROBLEMS: Readonly<Record<PolicyProblem, string>> = {
  tooLong: 'must be at most 2048 characters (an STS limit that counts whitespace too: minify it).',
  notJson: 'must be a JSON IAM policy document.',
  notObject: 'must be a JSON IAM policy document: an object with a Statement.',
  version: 'must name Version "2012-10-17" or "2008-10-17", if it names one.',
  noStatement: 'must hold a Statement.',
  badStatement:
    'has a statement that is not an object with Effect "Allow" or "Deny" and an Action or NotAction.',
}
export type PolicyProblem = 'tooLong' | 'notJson' | 'notObject' | 'version' | 'noStatement' | 'badStatement'

/** The first problem of the policy, or undefined when STS could take it. */
export function findPolicyProblem(policy: string): PolicyProblem | undefined {
  if (policy.length > MAX_POLICY_LENGTH) return 'tooLong'
  let document: unknown
  try {
    document = JSON.parse(policy)
  } catch {
    return 'notJson'
  }
  if (!isObject(document)) return 'notObject'
  const { Version: version, Statement: statement } = document
  if (version !== undefined && !VERSIONS.includes(version as string)) return 'version'
  if (statement === undefined) return 'noStatement'
  const statements = Array.isArray(statement) ? (statement as unknown[]) : [statement]
  return statements.every(isStatement) ? undefined : 'badStatement'
}

const MAX_POLICY_LENGTH = 2048
const VERSIONS = ['2012-10-17', '2008-10-17']

const isObject = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

function isStatement(value: unknown): boolean {
  return (
    isObject(value) &&
    (value.Effect === 'Allow' || value.Effect === 'Deny') &&
    (value.Action !== undefined || value.NotAction !== undefined)
  )
}
