import { parse } from 'yaml'
import {
  renderKubeconfig,
  type KubeconfigSpec,
  type KubeconfigUser,
} from '../../../../src/phases/kubeconfig/render.js'
import { tokenPluginScriptPath } from '../../../../src/eks-token/plugin-command.js'

const COMMAND = { nodePath: '/opt/runner/externals/node24/bin/node', scriptPath: '/a/dist/token/index.js' }

function spec(user: KubeconfigUser, clusterName = 'prod'): KubeconfigSpec {
  return {
    clusterName,
    endpoint: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
    certificateAuthorityData: 'LS0tLS1CRUdJTg==',
    user,
  }
}

interface Kubeconfig {
  apiVersion: string
  kind: string
  'current-context': string
  clusters: { name: string; cluster: Record<string, string> }[]
  contexts: { name: string; context: { cluster: string; user: string } }[]
  users: { name: string; user: Record<string, unknown> }[]
}

const load = (text: string): Kubeconfig => parse(text) as Kubeconfig

describe('renderKubeconfig', () => {
  test('exec: cluster, context and user named after the cluster; node runs the token plugin', () => {
    const config = load(renderKubeconfig(spec({ kind: 'exec', command: COMMAND, region: 'eu-west-1' })))
    expect(config).toEqual({
      apiVersion: 'v1',
      kind: 'Config',
      preferences: {},
      'current-context': 'prod',
      clusters: [
        {
          name: 'prod',
          cluster: {
            server: 'https://ABC.gr7.eu-west-1.eks.amazonaws.com',
            'certificate-authority-data': 'LS0tLS1CRUdJTg==',
          },
        },
      ],
      contexts: [{ name: 'prod', context: { cluster: 'prod', user: 'prod' } }],
      users: [
        {
          name: 'prod',
          user: {
            exec: {
              apiVersion: 'client.authentication.k8s.io/v1beta1',
              command: '/opt/runner/externals/node24/bin/node',
              args: ['/a/dist/token/index.js', '--cluster-name', 'prod', '--region', 'eu-west-1'],
              interactiveMode: 'Never',
              provideClusterInfo: false,
            },
          },
        },
      ],
    })
  })

  test('exec with the cluster role: the plugin reads the credentials file; no secret in the kubeconfig', () => {
    const text = renderKubeconfig(
      spec({ kind: 'exec', command: COMMAND, region: 'us-east-1', credentialsFile: '/t/creds.json' }),
    )
    const exec = load(text).users[0]?.user.exec as { args: string[] }
    expect(exec.args).toEqual([
      '/a/dist/token/index.js',
      '--cluster-name',
      'prod',
      '--region',
      'us-east-1',
      '--credentials-file',
      '/t/creds.json',
    ])
    expect(text).not.toMatch(/token:|AWS_|secret/i)
  })

  test('token: a static bearer token instead of exec', () => {
    const config = load(renderKubeconfig(spec({ kind: 'token', token: 'k8s-aws-v1.abc' })))
    expect(config.users).toEqual([{ name: 'prod', user: { token: 'k8s-aws-v1.abc' } }])
  })

  test.each([
    ['paths with spaces and quotes', '/home/my runner/"x"/node', "/a b/it's/dist/token/index.js"],
    ['a Windows path', 'C:\\hostedtoolcache\\node.exe', 'D:\\a\\_actions\\dist\\token\\index.js'],
    ['YAML look-alikes', 'yes', '#: - null'],
  ])('scalars survive YAML: %s', (_name, nodePath, scriptPath) => {
    const config = load(
      renderKubeconfig(spec({ kind: 'exec', command: { nodePath, scriptPath }, region: 'r' }, 'true')),
    )
    const exec = config.users[0]?.user.exec as { command: string; args: string[] }
    expect(exec.command).toBe(nodePath)
    expect(exec.args[0]).toBe(scriptPath)
    expect(config['current-context']).toBe('true')
  })
})

describe('tokenPluginScriptPath', () => {
  test.each([
    ['the main bundle', 'file:///home/runner/work/_actions/o/a/v1/dist/index.js'],
    ['an ncc chunk', 'file:///home/runner/work/_actions/o/a/v1/dist/861.index.js'],
  ])('from %s: dist/token/index.js next to it', (_name, url) => {
    expect(tokenPluginScriptPath(url)).toBe('/home/runner/work/_actions/o/a/v1/dist/token/index.js')
  })

  test('from src/main.ts (local-action runs the sources): the built dist/token/index.js', () => {
    expect(tokenPluginScriptPath('file:///work/action/src/main.ts')).toBe('/work/action/dist/token/index.js')
  })

  test('decodes the URL (spaces in the runner path)', () => {
    expect(tokenPluginScriptPath('file:///runner%20dir/dist/index.js')).toBe(
      '/runner dir/dist/token/index.js',
    )
  })
})
