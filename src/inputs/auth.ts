import type { InputProblems } from './problems.js'
import type { AuthInputs } from './types.js'
import { ACCOUNT_PATTERN, ROLE_ARN_PATTERN, ROLE_ARN_RULE } from './patterns.js'
import type { RunnerContext } from '../runner/context.js'
import { deriveSessionName, SESSION_NAME_PATTERN } from './session-name.js'
import { findPolicyProblem, POLICY_PROBLEMS } from './session-policy.js'

// Readers of phase auth's inputs (names as in aws-actions/configure-aws-credentials).

// A role session assumed with another role's credentials lasts at most one hour (an STS rule).
// https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html#iam-term-role-chaining
const ROLE_CHAINING_MAX_SECONDS = 3600

export function readAuth(p: InputProblems, context: RunnerContext): AuthInputs {
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
    roleToAssume: p.matching('role-to-assume', ROLE_ARN_PATTERN, ROLE_ARN_RULE),
    isRoleChaining,
    audience: readAudience(p),
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
  const policy = p.multiline('inline-session-policy')
  if (policy === undefined) return undefined
  const problem = findPolicyProblem(policy)
  if (problem !== undefined) p.add('inline-session-policy', policy, POLICY_PROBLEMS[problem])
  return policy
}

// STS takes at most 10 managed session policies.
const MAX_MANAGED_POLICIES = 10

function readManagedPolicies(p: InputProblems): string[] {
  const arns = p.list('managed-session-policies')
  for (const arn of arns) {
    if (!/^arn:aws(-[a-z]+)*:iam::(\d{12}|aws):policy\/[\w+=,.@/-]{1,1000}$/.test(arn)) {
      p.add(
        'managed-session-policies',
        arn,
        'each item must be a managed policy ARN (arn:aws:iam::aws:policy/...).',
      )
    }
  }
  if (arns.length > MAX_MANAGED_POLICIES) {
    p.add(
      'managed-session-policies',
      arns.join(', '),
      `may list at most ${MAX_MANAGED_POLICIES} policies (an STS limit).`,
    )
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

/** An IAM OIDC provider's client ids (the audiences it accepts) are 1-255 characters. */
function readAudience(p: InputProblems): string {
  const audience = p.optional('audience') ?? 'sts.amazonaws.com'
  if (audience.length > 255) {
    p.add('audience', audience, "must be at most 255 characters (an IAM OIDC provider's client id).")
  }
  return audience
}
