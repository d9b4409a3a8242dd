import { readdirSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { ROOT } from '../../fixtures/action-runner.js'

// Every AWS SDK command the source sends maps to the IAM action a role needs for it, and that action is
// listed in docs/permissions.md: a new call without its line on the page fails here.
const IAM_ACTIONS: Readonly<Record<string, string>> = {
  AssumeRoleWithWebIdentityCommand: 'sts:AssumeRoleWithWebIdentity',
  AssumeRoleCommand: 'sts:AssumeRole',
  GetCallerIdentityCommand: 'sts:GetCallerIdentity',
  GetAuthorizationTokenCommand: 'ecr:GetAuthorizationToken',
  DescribeImagesCommand: 'ecr:DescribeImages',
  DescribeRepositoriesCommand: 'ecr:DescribeRepositories',
  DescribeImageScanFindingsCommand: 'ecr:DescribeImageScanFindings',
  DescribeClusterCommand: 'eks:DescribeCluster',
  ListClustersCommand: 'eks:ListClusters',
  DescribeAlarmsCommand: 'cloudwatch:DescribeAlarms',
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    return entry.isDirectory() ? sourceFiles(full) : entry.name.endsWith('.ts') ? [full] : []
  })
}

const commands = [
  ...new Set(
    sourceFiles(path.join(ROOT, 'src')).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/\bnew ([A-Z]\w*Command)\(/g)].map((match) => match[1] ?? ''),
    ),
  ),
].sort()
const page = readFileSync(path.join(ROOT, 'docs', 'permissions.md'), 'utf8')

describe('docs/permissions.md', () => {
  test('the source sends SDK commands (the scan found them)', () => {
    expect(commands.length).toBeGreaterThanOrEqual(10)
  })

  test.each(commands)('%s has its IAM action on the page', (command) => {
    const action = IAM_ACTIONS[command]
    expect({ command, action }).toEqual({ command, action: expect.any(String) })
    expect(page).toContain(`\`${action ?? ''}\``)
  })
})
