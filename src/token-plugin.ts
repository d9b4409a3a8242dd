/** kubeconfig exec plugin: prints an ExecCredential. Implemented in the kubeconfig phase. */
export async function runTokenPlugin(args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  await Promise.resolve([args, env])
  process.stderr.write('eks-deploy-action token plugin: not implemented yet\n')
  return 1
}
