import { EXEC_API_VERSION, type TokenPluginCommand } from '../../eks-token/plugin-command.js'

export type KubeconfigUser =
  | {
      readonly kind: 'exec'
      readonly command: TokenPluginCommand
      readonly region: string
      /** The cluster role's credentials (cluster-role-arn); else the plugin reads AWS_* from its env. */
      readonly credentialsFile?: string | undefined
    }
  | { readonly kind: 'token'; readonly token: string }

export interface KubeconfigSpec {
  readonly clusterName: string
  readonly endpoint: string
  /** base64 PEM, as DescribeCluster's certificateAuthority.data. */
  readonly certificateAuthorityData: string
  readonly user: KubeconfigUser
}

/** The plugin's argv after the node binary. */
function tokenPluginArgs(user: Extract<KubeconfigUser, { kind: 'exec' }>, clusterName: string): string[] {
  return [
    user.command.scriptPath,
    '--cluster-name',
    clusterName,
    '--region',
    user.region,
    ...(user.credentialsFile === undefined ? [] : ['--credentials-file', user.credentialsFile]),
  ]
}

/**
 * A kubeconfig with one cluster, one user and one context, all named after the cluster.
 * Scalars are JSON strings, which YAML reads as they are (no escaping rules of its own to get wrong).
 */
export function renderKubeconfig(spec: KubeconfigSpec): string {
  const q = (text: string): string => JSON.stringify(text)
  const name = q(spec.clusterName)
  return [
    'apiVersion: v1',
    'kind: Config',
    'preferences: {}',
    `current-context: ${name}`,
    'clusters:',
    `  - name: ${name}`,
    '    cluster:',
    `      server: ${q(spec.endpoint)}`,
    `      certificate-authority-data: ${q(spec.certificateAuthorityData)}`,
    'contexts:',
    `  - name: ${name}`,
    '    context:',
    `      cluster: ${name}`,
    `      user: ${name}`,
    'users:',
    `  - name: ${name}`,
    '    user:',
    ...renderUser(spec.user, spec.clusterName).map((line) => `      ${line}`),
    '',
  ].join('\n')
}

function renderUser(user: KubeconfigUser, clusterName: string): string[] {
  switch (user.kind) {
    case 'token':
      return [`token: ${JSON.stringify(user.token)}`]
    case 'exec':
      return [
        'exec:',
        `  apiVersion: ${JSON.stringify(EXEC_API_VERSION)}`,
        `  command: ${JSON.stringify(user.command.nodePath)}`,
        '  args:',
        ...tokenPluginArgs(user, clusterName).map((arg) => `    - ${JSON.stringify(arg)}`),
        // The plugin never prompts; Never keeps kubectl from handing it a terminal (and is valid
        // for both v1beta1 and v1, where interactiveMode is required).
        '  interactiveMode: Never',
        '  provideClusterInfo: false',
      ]
  }
}
