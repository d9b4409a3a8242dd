import type { InputProblems } from './problems.js'
import type { AuthInputs } from './types.js'
import { ACCOUNT_PATTERN, ROLE_ARN_PATTERN } from './patterns.js'
import type { RunnerContext } from '../runner/context.js'
import { deriveSessionName, SESSION_NAME_PATTERN } from './session-name.js'

// Readers of phase auth's inputs (names as in aws-actions/configure-aws-credentials).

// A role session assumed with another role's credentials lasts at most one hour (an STS rule).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining
const ROLE_CHAINING_MAX_SECONDS = 3600

export function readAuth(p: InputProblems, context: RunnerContext): AuthInputs {
  const roleArnHelp = 'must be an IAM role ARN such as arn:aws:iam::123456789012:role/deploy.'
  const sessionName = p.optional('role-session-name') ?? deriveSessionName(context)
  if (sessionName.length < 2 || sessionName.length > 64 || !SESSION_NAME_PATTERN.test(sessionName)) {
    p.add(
      'role-session-name',
      sessionName,
      'must be 2-64 characters from letters, digits and +=,.@_- (an STS rule).',
    )
  }
  const isRoleChaining = p.bool('role-chaining', false)
  const roleDurationSeconds = p.int('role-duration-seconds', 3600, { min: 900, max: 43200 })
  if (isRoleChaining && roleDurationSeconds > ROLE_CHAINING_MAX_SECONDS) {
    p.add(
      'role-duration-seconds',
      String(roleDurationSeconds),
      'is more than 3600: with role-chaining, STS limits the session to one hour. Lower it to 3600 or less.',
    )
  }
  return {
    roleToAssume: p.matching('role-to-assume', ROLE_ARN_PATTERN, roleArnHelp),
    isRoleChaining,
    audience: p.optional('audience') ?? 'sts.amazonaws.com',
    roleSessionName: sessionName,
    roleDurationSeconds,
    inlineSessionPolicy: readJsonPolicy(p),
    managedSessionPolicies: readManagedPolicies(p),
    shouldExportCredentials: p.bool('export-credentials', true),
    shouldMaskAccountId: p.bool('mask-aws-account-id', false),
    allowedAccountIds: readAccountIds(p, 'allowed-account-ids'),
  }
}

function readJsonPolicy(p: InputProblems): string | undefined {
  const policy = p.optional('inline-session-policy')
  if (policy === undefined) return undefined
  try {
    JSON.parse(policy)
  } catch {
    p.add('inline-session-policy', policy.slice(0, 80), 'must be a JSON IAM policy document.')
  }
  return policy
}

function readManagedPolicies(p: InputProblems): string[] {
  const arns = p.list('managed-session-policies')
  for (const arn of arns) {
    if (!/^arn:aws(-[a-z]+)*:iam::(\d{12}|aws):policy\/.+$/.test(arn)) {
      p.add(
        'managed-session-policies',
        arn,
        'each item must be a managed policy ARN (arn:aws:iam::aws:policy/...).',
      )
    }
  }
  return arns
}

function readAccountIds(p: InputProblems, name: string): string[] {
  const ids = p.list(name)
  for (const id of ids) {
    if (!ACCOUNT_PATTERN.test(id)) p.add(name, id, 'each item must be a 12-digit AWS account id.')
  }
  return ids
}
