import { inputProblems, inputsFrom } from '../../fixtures/parsed-inputs.js'

describe('input manifests', () => {
  test('one entry per line, blank lines and # comments dropped; commas belong to a glob', () => {
    const { deploy } = inputsFrom({ release: 'web', manifests: 'k8s/\n\n# the jobs too\njobs/{a,b}.yaml\n' })
    expect(deploy.manifests).toEqual(['k8s/', 'jobs/{a,b}.yaml'])
    expect(deploy.chart).toBeUndefined()
  })

  test('with chart: refused, naming both, the value shortened', () => {
    const message = inputProblems({
      release: 'web',
      chart: './charts/web',
      manifests: `k8s/\n${'deploy/very-long-directory-name/'.repeat(4)}`,
    })
    expect(message).toContain(
      "Input 'manifests': cannot be given with 'chart': a release comes from one of them. Keep 'chart' for a Helm chart, or 'manifests' for plain Kubernetes YAML, and remove the other.",
    )
    expect(message).toContain(
      "Received: 'k8s/, deploy/very-long-directory-name/deploy/very-long-directory-name/deploy/ver…'.",
    )
  })

  test.each([
    ['set', 'replicas=2'],
    ['set-string', 'image.tag=1'],
    ['values-files', 'values.yaml'],
  ])('%s with manifests: refused, there are no values', (name, value) => {
    const message = inputProblems({ release: 'web', manifests: 'k8s/', [name]: value })
    expect(message).toContain(
      `Input '${name}': has no effect with 'manifests': plain manifests have no values. Write the value into the manifests themselves (the image of ecr-repository is pinned for you), or deploy a chart. Received: '${value}'.`,
    )
  })

  test('chart-version with manifests: refused; every problem reported at once', () => {
    const message = inputProblems({ release: 'web', manifests: 'k8s/', 'chart-version': '1.2.3', set: 'a=1' })
    expect(message).toContain("Input 'chart-version': applies to a chart, not to 'manifests'")
    expect(message).toContain("Input 'set': has no effect with 'manifests'")
    expect(message).toMatch(/^Invalid inputs:/)
  })
})
